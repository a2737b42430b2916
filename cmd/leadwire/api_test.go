package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestAPITokensThroughServe makes an API token on the command line and
// reads as its user through serve's HTTP mux, beside the intake route.
func TestAPITokensThroughServe(t *testing.T) {
	e := newIOEnv(t)
	created := e.ok("tokens", "create", "bi", "--scopes", "read", "--as", "lan@example.com")
	secret := strings.TrimSpace(created.out)
	if !strings.HasPrefix(secret, "lw_") || !strings.Contains(created.errOut, "scopes read, acting as lan@example.com") {
		t.Fatalf("tokens create printed %q / %q", created.out, created.errOut)
	}
	if r := e.run("tokens", "create", "nobody", "--scopes", "read"); r.code == 0 || !strings.Contains(r.errOut, "--as EMAIL") {
		t.Errorf("a read token without a user: %d %q", r.code, r.errOut)
	}
	if out := e.ok("tokens", "list").out; !strings.Contains(out, "read") || !strings.Contains(out, "lan@example.com") {
		t.Errorf("tokens list:\n%s", out)
	}
	addr := serveInBackground(t, e)
	get := func(path, secret string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
		if secret != "" {
			req.Header.Set("Authorization", "Bearer "+secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/api/v1/users/me", secret); code != 200 || !strings.Contains(body, `"email":"lan@example.com"`) {
		t.Errorf("users/me: %d %s", code, body)
	}
	if code, body := get("/api/v1/leads", ""); code != 401 || !strings.Contains(body, "no token") {
		t.Errorf("anonymous: %d %s", code, body)
	}
	if code, _ := get("/api/v1/inbound/schema.json", ""); code != 200 {
		t.Errorf("the intake schema moved: %d", code)
	}
}

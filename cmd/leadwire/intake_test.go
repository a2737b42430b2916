package main

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// intakeConfig adds a form and a webhook source to the ioEnv setup.
const intakeConfig = `
forms:
  - id: contact
    team: Warsaw
    fields: {your-email: email, your-message: message}
    required: [email]
    redirect: https://example.com/thanks
    honeypot: website
webhooks:
  sources:
    - name: typeform
      team: Bangkok
      secret: s3cret
      mapping:
        "form_response.answers[field.ref=email].email": email
`

func TestIntakeThroughServeAndTheCommandLine(t *testing.T) {
	e := newIOEnv(t)
	cfg, _ := os.ReadFile(e.config)
	if err := os.WriteFile(e.config, append(cfg, intakeConfig...), 0o644); err != nil {
		t.Fatal(err)
	}

	created := e.ok("tokens", "create", "zapier-prod")
	secret := strings.TrimSpace(created.out)
	if !strings.HasPrefix(secret, "lw_") || !strings.Contains(created.errOut, "cannot be shown again") {
		t.Fatalf("tokens create printed %q / %q", created.out, created.errOut)
	}
	tfSecret := strings.TrimSpace(e.ok("tokens", "create", "tf", "--source", "typeform").out)
	if r := e.run("tokens", "create", "zapier-prod"); r.code == 0 || !strings.Contains(r.errOut, "exists already") {
		t.Errorf("a second token of one name: %d %q", r.code, r.errOut)
	}
	if r := e.run("--as", "lan@example.com", "tokens", "list"); r.code == 0 || !strings.Contains(r.errOut, "only an admin") {
		t.Errorf("a rep listed tokens: %d %q", r.code, r.errOut)
	}

	addr := serveInBackground(t, e)
	post := func(path, contentType, body string, headers ...string) (int, string, http.Header) {
		t.Helper()
		a := do(t, http.MethodPost, "http://"+addr+path, contentType, body, headers...)
		return a.status, a.body, a.header
	}

	t.Run("a browser form post becomes a lead and is redirected", func(t *testing.T) {
		code, _, h := post("/forms/contact", "application/x-www-form-urlencoded",
			url.Values{"your-email": {"anna@firma.pl"}, "your-message": {"Cennik?"}}.Encode())
		if code != 303 || h.Get("Location") != "https://example.com/thanks" {
			t.Errorf("got %d %v", code, h)
		}
	})
	t.Run("a webhook delivery with a token becomes a lead", func(t *testing.T) {
		code, body, _ := post("/api/v1/inbound", "application/json", `{"source":"zapier","external_id":"z1","contact":{"email":"bob@example.com"}}`,
			"Authorization", "Bearer "+secret)
		if code != 201 || !strings.Contains(body, `"receipt":"r_`) {
			t.Errorf("got %d %s", code, body)
		}
	})
	t.Run("a mapped and signed delivery of a bound token is taken", func(t *testing.T) {
		body := `{"form_response":{"answers":[{"field":{"ref":"email"},"email":"lan@vinacorp.vn"}]}}`
		mac := hmac.New(sha256.New, []byte("s3cret"))
		mac.Write([]byte(body))
		sig := "sha256=" + hex.EncodeToString(mac.Sum(nil))
		code, got, _ := post("/api/v1/inbound", "application/json", body, "Authorization", "Bearer "+tfSecret, "X-Signature", sig)
		if code != 201 {
			t.Errorf("got %d %s", code, got)
		}
		code, got, _ = post("/api/v1/inbound", "application/json", body, "Authorization", "Bearer "+tfSecret)
		if code != 403 {
			t.Errorf("unsigned: got %d %s", code, got)
		}
	})
	t.Run("the schema is served", func(t *testing.T) {
		resp, err := http.Get("http://" + addr + "/api/v1/inbound/schema.json")
		if err != nil {
			t.Fatal(err)
		}
		var schema map[string]any
		json.NewDecoder(resp.Body).Decode(&schema)
		resp.Body.Close()
		if schema["title"] != "leadwire inbound lead" {
			t.Errorf("schema = %v", schema)
		}
	})
	t.Run("a revoked token is refused at once", func(t *testing.T) {
		e.ok("tokens", "revoke", "zapier-prod")
		code, body, h := post("/api/v1/inbound", "application/json", `{"contact":{"email":"carl@example.com"}}`, "Authorization", "Bearer "+secret)
		if code != 401 || !strings.Contains(body, "was revoked") || h.Get("WWW-Authenticate") == "" {
			t.Errorf("got %d %s", code, body)
		}
	})
	t.Run("tokens list shows use and revocation", func(t *testing.T) {
		out := e.ok("tokens", "list").out
		if !strings.Contains(out, "zapier-prod") || !strings.Contains(out, "typeform") || strings.Count(out, "\n") != 3 {
			t.Errorf("tokens list:\n%s", out)
		}
		if strings.Contains(out, secret[7:]) {
			t.Error("tokens list shows the secret")
		}
	})
	t.Run("webhooks log shows what arrived and what it became", func(t *testing.T) {
		out := e.ok("webhooks", "log").out
		for _, want := range []string{"refused: token zapier-prod was revoked", "lead L", "zapier", "401", "201"} {
			if !strings.Contains(out, want) {
				t.Errorf("webhooks log lacks %q:\n%s", want, out)
			}
		}
		js := e.ok("webhooks", "log", "--json", "--refused").out
		var ds []deliveryJSON
		if err := json.Unmarshal([]byte(js), &ds); err != nil || len(ds) != 2 || ds[0].Status != 401 || ds[0].Token != "zapier-prod" || ds[1].Status != 403 {
			t.Errorf("webhooks log --json --refused = %s (%v)", js, err)
		}
	})
	t.Run("the intake routes are counted on /metrics", func(t *testing.T) {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{`route="POST /forms/{id}"`, `route="POST /api/v1/inbound"`} {
			if !strings.Contains(string(b), want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}

// serveInBackground runs leadwire serve on a free port until the test ends
// and returns its address.
func serveInBackground(t *testing.T, e *ioEnv) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, stop := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"--config", e.config, "serve", "--listen", addr}, io.Discard, pw, func(string) string { return "" })
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	var seen []string
	for lines.Scan() && !strings.Contains(lines.Text(), "leadwire serving") {
		seen = append(seen, lines.Text())
	}
	go io.Copy(io.Discard, pr)
	t.Cleanup(func() {
		stop()
		select {
		case code := <-exit:
			if code != 0 {
				t.Errorf("serve exited %d", code)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	if lines.Err() != nil || len(seen) > 0 && strings.Contains(strings.Join(seen, "\n"), "leadwire:") {
		t.Fatalf("serve did not start:\n%s", strings.Join(seen, "\n"))
	}
	return addr
}

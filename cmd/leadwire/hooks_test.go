package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"leadwire/connectors/hooks"
)

func TestHooksTestSendsASignedSampleEvent(t *testing.T) {
	e := newIOEnv(t)
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	status := 200
	var verified bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts, _ := strconv.ParseInt(r.Header.Get("webhook-timestamp"), 10, 64)
		verified = hooks.Verify(secret, r.Header.Get("webhook-id"), time.Unix(ts, 0), body, r.Header.Get("webhook-signature"))
		w.WriteHeader(status)
		io.WriteString(w, "รับแล้ว")
	}))
	defer srv.Close()

	if r := e.run("hooks", "test", srv.URL, "--secret", secret); r.code == 0 || !strings.Contains(r.errOut, "a loopback address") {
		t.Fatalf("a loopback receiver without hooks.allow_private: %d %q", r.code, r.errOut)
	}
	cfg, _ := os.ReadFile(e.config)
	if err := os.WriteFile(e.config, append(cfg, "\nhooks:\n  allow_private: true\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := e.run("--as", "lan@example.com", "hooks", "test", srv.URL); r.code == 0 || !strings.Contains(r.errOut, "only an admin") {
		t.Errorf("a rep tested a hook: %d %q", r.code, r.errOut)
	}
	r := e.ok("hooks", "test", srv.URL, "--secret", secret)
	if !verified || !strings.Contains(r.out, "answered 200") || !strings.Contains(r.out, "รับแล้ว") || !strings.Contains(r.out, "taken") {
		t.Errorf("verified %v; printed %q", verified, r.out)
	}
	status = 500
	if r := e.run("hooks", "test", srv.URL); r.code == 0 || !strings.Contains(r.out, "answered 500") || !strings.Contains(r.errOut, "not taken") {
		t.Errorf("a failing receiver: %d %q %q", r.code, r.out, r.errOut)
	}
}

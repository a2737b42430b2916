package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"leadwire/connectors/hooks"
	"leadwire/core"
	"leadwire/internal/secretbox"
	"leadwire/internal/view"
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

func TestHooksCommands(t *testing.T) {
	e := newIOEnv(t)
	key := strings.TrimSpace(e.ok("secrets", "new-key").out)
	file := filepath.Join(e.dir, "secrets.key")
	if err := os.WriteFile(file, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("webhook-id"))
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "maintenance\x1b[31m until 10:00")
	}))
	defer srv.Close()

	if r := e.run("hooks", "add", srv.URL, "--events", "deal.won"); r.code == 0 || !strings.Contains(r.errOut, "set secrets.key") {
		t.Fatalf("without a secrets key: %d %s", r.code, r.errOut)
	}
	e.appendConfig("secrets:\n  key: " + file + "\n")
	if r := e.run("hooks", "add", srv.URL, "--events", "deal.won"); r.code == 0 || !strings.Contains(r.errOut, "a loopback address") {
		t.Fatalf("a loopback receiver: %d %s", r.code, r.errOut)
	}
	e.appendConfig("hooks:\n  allow_private: true\n")
	if r := e.run("--as", "lan@example.com", "hooks", "add", srv.URL, "--events", "deal.won"); r.code == 0 || !strings.Contains(r.errOut, "only an admin manages webhooks") {
		t.Fatalf("a rep: %d %s", r.code, r.errOut)
	}
	if r := e.run("hooks", "add", srv.URL, "--events", "deal.wonn"); r.code == 0 || !strings.Contains(r.errOut, `unknown event "deal.wonn"`) {
		t.Fatalf("a misspelt event: %d %s", r.code, r.errOut)
	}
	r := e.ok("hooks", "add", srv.URL, "--events", "lead.created,deal.won", "--description", "n8n")
	secret := strings.TrimSpace(r.out)
	if !strings.HasPrefix(secret, "whsec_") || !strings.Contains(r.errOut, "cannot be shown again") {
		t.Fatalf("add printed %q %q", r.out, r.errOut)
	}
	if l := e.ok("hooks", "list").out; !strings.Contains(l, srv.URL) || !strings.Contains(l, "lead.created,deal.won") || strings.Contains(l, secret) {
		t.Errorf("list: %s", l)
	}
	e.ok("leads", "add", "--name", "Anna Kowalska", "--email", "anna@example.pl")

	// One round of serve's dispatcher.
	first, err := secretbox.ParseKey(key)
	if err != nil {
		t.Fatal(err)
	}
	d := core.NewHookDispatcher(core.NewService(e.store(), nil, core.Settings{}, nil), secretbox.New(first), hooks.NewSender(true), view.EventBody, 1)
	if n, err := d.Round(context.Background(), 10); n != 1 || err != nil {
		t.Fatalf("round: %d, %v", n, err)
	}
	out := e.ok("hooks", "deliveries", "--failed").out
	if !strings.Contains(out, "lead.created") || !strings.Contains(out, "503") || !strings.Contains(out, "maintenance [31m until") || strings.Contains(out, "\x1b") {
		t.Errorf("deliveries: %q", out)
	}
	if r := e.run("hooks", "redeliver", "1"); r.code == 0 || !strings.Contains(r.errOut, "still pending") {
		t.Errorf("redeliver a pending one: %d %s", r.code, r.errOut)
	}
	js := e.ok("hooks", "deliveries", "--json").out
	if !strings.Contains(js, `"state": "pending"`) || !strings.Contains(js, `"status": 503`) || !strings.Contains(js, got[0]) {
		t.Errorf("deliveries --json: %s", js)
	}

	// Rotating the secrets key re-seals the webhook's secret.
	r = e.ok("secrets", "rotate")
	if !strings.Contains(r.errOut, "re-encrypted 1 webhook secret") {
		t.Errorf("rotate: %s", r.errOut)
	}
	box, err := secretbox.Load(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc := core.NewService(e.store(), nil, core.Settings{}, nil)
	hs, _ := svc.Hooks.List(context.Background(), &core.User{Role: core.RoleAdmin})
	if s, err := core.OpenHookSecret(box, &hs[0]); err != nil || s != secret {
		t.Errorf("after rotation the secret opens as %q, %v", s, err)
	}
	if r := e.run("--as", "lan@example.com", "hooks", "remove", "1"); r.code == 0 {
		t.Error("a rep removed a webhook")
	}
	e.ok("hooks", "remove", "1")
	if l := e.ok("hooks", "list").out; !strings.Contains(l, "no webhooks yet") {
		t.Errorf("after remove: %s", l)
	}
}

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"leadwire/cmd/leadwire/config"
	"leadwire/core"
	"leadwire/internal/idptest"
	"leadwire/internal/secretbox"
	"leadwire/internal/wait"
	"leadwire/storage"
)

// callbackEnv is a server answering /oauth/callback for the mailbox
// "sales", whose provider signs people in as sales@example.com.
type callbackEnv struct {
	a   *App
	idp *idptest.Provider
	web *httptest.Server
	key secretbox.Key
}

func newCallbackEnv(t *testing.T) *callbackEnv {
	t.Helper()
	ctx := context.Background()
	idp := idptest.Start(t, "sales@example.com")
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "secrets.key")
	key := secretbox.NewKey()
	if err := secretbox.WriteFile(keyFile, key); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(fmt.Appendf(nil, `
http:
  public_url: https://leads.example.com
secrets:
  key: %s
email:
  mailboxes:
    - name: sales
      host: 127.0.0.1
      port: 1
      tls: none
      username: sales@example.com
      auth: oauth2
      oauth2: {provider: generic, client_id: %s, auth_url: %s, token_url: %s, scopes: [mail]}
`, keyFile, idptest.PublicClient, idp.AuthURL(), idp.TokenURL()), "leadwire.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := storage.OpenAndMigrate(ctx, "sqlite:"+filepath.Join(dir, "lw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := core.NewService(db, nil, cfg.Settings(), nil)
	a := &App{ctx: ctx, cli: &CLI{}, cfg: cfg, db: db, svc: svc, getenv: func(string) string { return "" }, errOut: &logBuffer{}, out: io.Discard}
	srv := newServer(a)
	if err := srv.mountOAuthCallback(); err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(srv.mux)
	t.Cleanup(web.Close)
	cfg.HTTP.PublicURL = web.URL
	return &callbackEnv{a: a, idp: idp, web: web, key: key}
}

var signInURL = regexp.MustCompile(`(?m)^(http://\S+/authorize\?\S+)$`)

// connect runs `email connect sales --via-server` until it prints where to
// sign in, and returns that address and the command's outcome.
func (e *callbackEnv) connect(t *testing.T) (string, <-chan error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- (&EmailConnectCmd{Name: "sales", Timeout: time.Minute, ViaServer: true}).Run(e.a) }()
	var u string
	wait.For(t, "the address to sign in at", func() bool {
		m := signInURL.FindStringSubmatch(e.a.errOut.(*logBuffer).String())
		if m != nil {
			u = m[1]
		}
		return m != nil
	})
	return u, done
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestASignInComesBackToTheServer(t *testing.T) {
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	t.Run("the person signs in and the grant is kept, once", func(t *testing.T) {
		e := newCallbackEnv(t)
		u, done := e.connect(t)
		resp, err := noFollow.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		back := resp.Header.Get("Location")
		if !strings.HasPrefix(back, e.web.URL+"/oauth/callback?") {
			t.Fatalf("the provider sends the person to %s", back)
		}
		if code, body := get(t, back); code != http.StatusOK || !strings.Contains(body, "Signed in") {
			t.Fatalf("callback %d: %s", code, body)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		g, err := core.NewGrants(e.a.svc, secretbox.New(e.key)).Load(e.a.ctx, "email:sales")
		if err != nil || e.idp.Check("sales@example.com", g.AccessToken) != nil {
			t.Fatalf("grant: %v", err)
		}
		// The same answer again (a reload, a replay) is not acted on.
		if code, body := get(t, back); code != http.StatusNotFound || !strings.Contains(body, "not recognised") {
			t.Fatalf("replayed callback %d: %s", code, body)
		}
	})
	t.Run("an answer with a state nobody began is refused and stores nothing", func(t *testing.T) {
		e := newCallbackEnv(t)
		code, body := get(t, e.web.URL+"/oauth/callback?state=forged&code=x")
		if code != http.StatusNotFound || !strings.Contains(body, "state is unknown") {
			t.Fatalf("forged callback %d: %s", code, body)
		}
		if _, err := e.a.db.LoadGrant(e.a.ctx, "email:sales"); core.KindOf(err) != core.KindNotFound {
			t.Fatalf("a grant was stored: %v", err)
		}
	})
	t.Run("a declined sign-in is told to the browser and to the command", func(t *testing.T) {
		e := newCallbackEnv(t)
		e.idp.Deny()
		u, done := e.connect(t)
		code, body := get(t, u)
		if code != http.StatusForbidden || !strings.Contains(body, "declined") {
			t.Fatalf("callback %d: %s", code, body)
		}
		if err := <-done; err == nil || !strings.Contains(err.Error(), "declined") {
			t.Fatalf("connect: %v", err)
		}
	})
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/idptest"
	"leadwire/internal/secretbox"
	"leadwire/internal/wait"
)

// oauthEnv is an env with a secrets key and a mailbox "sales" signing in
// at a test identity provider with the device code flow.
func oauthEnv(t *testing.T) (*ioEnv, *idptest.Provider, secretbox.Key) {
	e := newIOEnv(t)
	p := idptest.Start(t, "sales@example.com")
	p.SetInterval(time.Second)
	key := secretbox.NewKey()
	file := filepath.Join(e.dir, "secrets.key")
	if err := secretbox.WriteFile(file, key); err != nil {
		t.Fatal(err)
	}
	e.appendConfig(fmt.Sprintf(`secrets:
  key: %s
email:
  mailboxes:
    - name: sales
      host: 127.0.0.1
      port: 1
      tls: none
      username: sales@example.com
      auth: oauth2
      oauth2:
        provider: generic
        client_id: %s
        device_auth_url: %s
        token_url: %s
        scopes: [mail]
`, file, idptest.PublicClient, p.DeviceAuthURL(), p.TokenURL()))
	return e, p, key
}

// runAsync runs leadwire in the background; its stderr can be read while
// it runs.
func (e *ioEnv) runAsync(args ...string) (stderr *logBuffer, done <-chan int) {
	stderr = &logBuffer{}
	ch := make(chan int, 1)
	go func() {
		ch <- run(context.Background(), append([]string{"--config", e.config}, args...), &logBuffer{}, stderr, func(string) string { return "" })
	}()
	return stderr, ch
}

var userCode = regexp.MustCompile(`enter the code (\S+)`)

func TestEmailConnect(t *testing.T) {
	t.Parallel()
	t.Run("the device code sign-in is kept sealed", func(t *testing.T) {
		e, p, key := oauthEnv(t)
		stderr, done := e.runAsync("email", "connect", "sales")
		var code string
		wait.For(t, "the code shown", func() bool {
			m := userCode.FindStringSubmatch(stderr.String())
			if m != nil {
				code = strings.TrimSuffix(m[1], ";")
			}
			return m != nil
		})
		p.Approve(code)
		if rc := <-done; rc != 0 {
			t.Fatalf("exit %d: %s", rc, stderr)
		}
		if !strings.Contains(stderr.String(), "signed in: mailbox sales reads sales@example.com") {
			t.Errorf("stderr: %s", stderr)
		}
		svc := core.NewService(e.store(), nil, core.Settings{}, nil)
		g, err := core.NewGrants(svc, secretbox.New(key)).Load(context.Background(), "email:sales")
		if err != nil || g.RefreshToken == "" || p.Check("sales@example.com", g.AccessToken) != nil {
			t.Fatalf("stored grant: %v", err)
		}
		if strings.Contains(stderr.String(), g.RefreshToken) || strings.Contains(stderr.String(), g.AccessToken) {
			t.Error("a token was printed")
		}
	})
	t.Run("a declined sign-in says so and keeps nothing", func(t *testing.T) {
		e, p, _ := oauthEnv(t)
		stderr, done := e.runAsync("email", "connect", "sales")
		wait.For(t, "the code shown", func() bool { return userCode.MatchString(stderr.String()) })
		p.Decline(strings.TrimSuffix(userCode.FindStringSubmatch(stderr.String())[1], ";"))
		if rc := <-done; rc == 0 || !strings.Contains(stderr.String(), "declined") {
			t.Fatalf("exit %d: %s", rc, stderr)
		}
		if _, err := e.store().LoadGrant(context.Background(), "email:sales"); core.KindOf(err) != core.KindNotFound {
			t.Fatalf("a grant was kept: %v", err)
		}
	})
	t.Run("without a secrets key nothing starts and the way to make one is named", func(t *testing.T) {
		e, _, _ := oauthEnv(t)
		if err := os.Remove(filepath.Join(e.dir, "secrets.key")); err != nil {
			t.Fatal(err)
		}
		cfg, _ := os.ReadFile(e.config)
		os.WriteFile(e.config, []byte(strings.Replace(string(cfg), "  key: "+filepath.Join(e.dir, "secrets.key"), `  key: ""`, 1)), 0o644)
		r := e.run("email", "connect", "sales")
		if r.code == 0 || !strings.Contains(r.errOut, "leadwire secrets new-key") {
			t.Fatalf("exit %d: %s", r.code, r.errOut)
		}
	})
	t.Run("a rep may not connect a mailbox", func(t *testing.T) {
		e, _, _ := oauthEnv(t)
		r := e.run("--as", "lan@example.com", "email", "connect", "sales")
		if r.code == 0 || !strings.Contains(r.errOut, "for admins") {
			t.Fatalf("exit %d: %s", r.code, r.errOut)
		}
	})
	t.Run("an unknown mailbox is named with the known ones", func(t *testing.T) {
		e, _, _ := oauthEnv(t)
		r := e.run("email", "connect", "support")
		if r.code == 0 || !strings.Contains(r.errOut, `no mailbox "support"`) || !strings.Contains(r.errOut, "sales") {
			t.Fatalf("exit %d: %s", r.code, r.errOut)
		}
	})
}

func TestConnectorsStatusShowsHowEachMailboxSignsIn(t *testing.T) {
	e, p, _ := oauthEnv(t)
	before := e.ok("connectors", "status").out
	if line := grepLines(before, "email:sales"); !strings.Contains(line, "oauth2 generic delegated sales@example.com; sign-in needed: run `leadwire email connect sales`") {
		t.Errorf("before the sign-in: %s", line)
	}
	stderr, done := e.runAsync("email", "connect", "sales")
	wait.For(t, "the code shown", func() bool { return userCode.MatchString(stderr.String()) })
	p.Approve(strings.TrimSuffix(userCode.FindStringSubmatch(stderr.String())[1], ";"))
	if rc := <-done; rc != 0 {
		t.Fatalf("connect: %s", stderr)
	}
	out := e.ok("connectors", "status").out
	line := grepLines(out, "email:sales")
	if !regexp.MustCompile(`signed in \d+ s ago`).MatchString(line) || !strings.Contains(line, "token until ") {
		t.Errorf("after the sign-in: %s", line)
	}
	var got []connectorJSON
	if err := json.Unmarshal([]byte(e.ok("connectors", "status", "--json").out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].SignIn == nil || got[0].SignIn.Kind != "oauth2" || got[0].SignIn.Account != "sales@example.com" ||
		got[0].SignIn.SignedIn == nil || got[0].SignIn.TokenExpiry == nil {
		t.Fatalf("json %+v", got)
	}
	if strings.Contains(out, "at-") || strings.Contains(out, "rt-") {
		t.Error("status shows a token")
	}
}

func TestServeLeavesAnOAuthMailboxWithoutASecretsKeyWaitingAndSaysWhy(t *testing.T) {
	e, _, _ := oauthEnv(t)
	cfg, _ := os.ReadFile(e.config)
	if err := os.WriteFile(e.config, []byte(strings.Replace(string(cfg), "  key: "+filepath.Join(e.dir, "secrets.key"), `  key: ""`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	s, code := startServe(t, e)
	if s.addr == "" {
		t.Fatalf("serve exited %d:\n%s", code, s.log)
	}
	if log := s.log.String(); !strings.Contains(log, "leadwire secrets new-key") || !strings.Contains(log, "mailbox sales") {
		t.Errorf("serve's log:\n%s", log)
	}
	line := grepLines(e.ok("connectors", "status").out, "email:sales")
	if !strings.Contains(line, "not started: mailbox sales (auth: oauth2): no secrets key") || !strings.Contains(line, "leadwire secrets new-key") {
		t.Errorf("status: %s", line)
	}
}

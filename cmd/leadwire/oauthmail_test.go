package main

import (
	"context"
	"fmt"
	"io"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"leadwire/cmd/leadwire/config"
	"leadwire/core"
	"leadwire/internal/idptest"
	"leadwire/internal/mailauth"
	"leadwire/internal/secretbox"
	"leadwire/internal/smtptest"
	"leadwire/storage"
)

// TestADigestAndASequenceStepGoOutWithTheMailboxsSignIn wires smtp with
// auth: oauth2 sharing the mailbox "sales"'s grant, as serve does, and
// sends a manager's digest and a sequence step through a go-smtp server
// that takes only OAUTHBEARER tokens of the test identity provider.
func TestADigestAndASequenceStepGoOutWithTheMailboxsSignIn(t *testing.T) {
	ctx := context.Background()
	idp := idptest.Start(t, "sales@example.com")
	srv := smtptest.Start(t)
	srv.AcceptOAuth([]string{mailauth.OAuthBearer}, idp.Check)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "secrets.key")
	key := secretbox.NewKey()
	if err := secretbox.WriteFile(keyFile, key); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(fmt.Appendf(nil, `
teams:
  - name: Warsaw
users:
  - {email: piotr@example.com, name: Piotr Wiśniewski, role: manager, team: Warsaw, locale: pl, timezone: Europe/Warsaw}
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
      oauth2: {provider: generic, client_id: %s, device_auth_url: %s, token_url: %s, scopes: [mail]}
smtp:
  host: 127.0.0.1
  port: %d
  tls: none
  from: "Sprzedaż <sales@example.com>"
  auth: oauth2
  mailbox: sales
`, keyFile, idptest.PublicClient, idp.DeviceAuthURL(), idp.TokenURL(), srv.Port), "leadwire.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := storage.OpenAndMigrate(ctx, "sqlite:"+filepath.Join(dir, "lw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := core.NewService(db, nil, cfg.Settings(), nil)
	if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: cfg.Teams(), Users: cfg.Users(), Pipelines: cfg.Pipelines()}); err != nil {
		t.Fatal(err)
	}
	a := &App{ctx: ctx, cli: &CLI{}, cfg: cfg, db: db, svc: svc, getenv: func(string) string { return "" }, errOut: io.Discard}

	// The mailbox signed in (leadwire email connect sales).
	tok, err := mailauth.Device(ctx, cfg.Email.Mailboxes[0].OAuth2.Settings(), func(p mailauth.DevicePrompt) { idp.Approve(p.UserCode) },
		func(context.Context, time.Duration) error { idp.Advance(5 * time.Second); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := core.NewGrants(svc, secretbox.New(key)).Put(ctx, &core.Grant{Connector: "email:sales", Provider: "generic",
		Account: "sales@example.com", RefreshToken: tok.RefreshToken}); err != nil {
		t.Fatal(err)
	}

	t.Run("a sequence step", func(t *testing.T) {
		mailer, err := a.smtpMailer()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mailer.Send(ctx, core.OutgoingMail{From: mailer.DefaultFrom(), To: mail.Address{Address: "anna@firma.example"},
			Subject: "Oferta", Text: "Dzień dobry"}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a digest", func(t *testing.T) {
		n, err := a.mailNotifier()
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.UserByEmail(ctx, "piotr@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Notify(ctx, core.Notice{Kind: core.NoticeDigest, UserID: u.ID, Date: time.Now().Format("2006-01-02")}); err != nil {
			t.Fatal(err)
		}
	})
	got := srv.Messages()
	if len(got) != 2 || got[0].To[0] != "anna@firma.example" || got[1].To[0] != "piotr@example.com" {
		t.Fatalf("delivered %d: %+v", len(got), got)
	}
	if !strings.Contains(string(got[1].Raw), "Auto-Submitted") {
		t.Error("the second mail is not the digest")
	}
}

package mail_test

import (
	"context"
	"net/mail"
	"strings"
	"testing"
	"time"

	lwmail "leadwire/bot/mail"
	"leadwire/core"
	"leadwire/internal/idptest"
	"leadwire/internal/mailauth"
	"leadwire/internal/smtptest"
)

// fixedTokens hands out tokens from a list, the next on force.
type fixedTokens struct {
	tokens []string
	calls  int
	forced int
}

func (f *fixedTokens) Token(_ context.Context, force bool) (string, time.Time, error) {
	if force {
		f.forced++
	}
	i := min(f.calls, len(f.tokens)-1)
	if force && f.forced < len(f.tokens) {
		i = f.forced
	}
	f.calls++
	return f.tokens[i], time.Now().Add(time.Hour), nil
}

func oauthSender(t *testing.T, srv *smtptest.Server, tokens lwmail.Tokens) *lwmail.Sender {
	t.Helper()
	s, err := lwmail.NewSender(lwmail.Config{
		Host: srv.Host, Port: srv.Port, TLS: core.TLSNone, Username: "sales@example.com",
		Auth: mailauth.OAuth2, OAuth: mailauth.Settings{Provider: mailauth.Generic, ClientID: "c", TokenURL: "http://127.0.0.1:1/token", Scopes: []string{"mail"}},
		Tokens: tokens, From: mail.Address{Name: "Sales", Address: "sales@example.com"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMailGoesOutWithAnOAuthToken(t *testing.T) {
	ctx := context.Background()
	for _, mech := range []string{mailauth.XOAuth2, mailauth.OAuthBearer} {
		t.Run("over "+mech+" when the server offers only it", func(t *testing.T) {
			p := idptest.Start(t, "sales@example.com")
			srv := smtptest.Start(t)
			srv.AcceptOAuth([]string{mech}, p.Check)
			s := mailauth.Settings{Provider: mailauth.Generic, Grant: mailauth.App, ClientID: idptest.AppClient, ClientSecret: idptest.AppSecret,
				TokenURL: p.TokenURL(), Scopes: []string{"mail"}}
			// Client credentials act as "app:leadwire-app": the server
			// takes that identity here.
			src := mailauth.NewSource(s, "sales", "app:"+idptest.AppClient, nil)
			sender, err := lwmail.NewSender(lwmail.Config{Host: srv.Host, Port: srv.Port, TLS: core.TLSNone, Username: "app:" + idptest.AppClient,
				Auth: mailauth.OAuth2, OAuth: s, Tokens: src, From: mail.Address{Address: "sales@example.com"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := sender.Send(ctx, &lwmail.Message{To: []mail.Address{{Address: "anna@example.pl"}}, Subject: "Oferta", Text: "Dzień dobry"}); err != nil {
				t.Fatal(err)
			}
			if len(srv.Messages()) != 1 {
				t.Fatalf("%d messages delivered", len(srv.Messages()))
			}
		})
	}
	t.Run("a refused token is refreshed and presented once more", func(t *testing.T) {
		srv := smtptest.Start(t)
		srv.AcceptOAuth([]string{mailauth.XOAuth2}, func(user, token string) error {
			if token != "fresh" {
				return context.DeadlineExceeded
			}
			return nil
		})
		tokens := &fixedTokens{tokens: []string{"stale", "fresh"}}
		if _, err := oauthSender(t, srv, tokens).Send(ctx, &lwmail.Message{To: []mail.Address{{Address: "a@example.com"}}, Text: "x"}); err != nil {
			t.Fatal(err)
		}
		if tokens.forced != 1 {
			t.Errorf("%d forced refreshes, want 1", tokens.forced)
		}
	})
	t.Run("a token refused twice is the relay's failure, not the message's", func(t *testing.T) {
		srv := smtptest.Start(t)
		srv.AcceptOAuth([]string{mailauth.OAuthBearer}, func(string, string) error { return context.DeadlineExceeded })
		tokens := &fixedTokens{tokens: []string{"bad-token-1", "bad-token-2"}}
		_, err := oauthSender(t, srv, tokens).Send(ctx, &lwmail.Message{To: []mail.Address{{Address: "a@example.com"}}, Text: "x"})
		if err == nil || lwmail.Permanent(err) || !strings.Contains(err.Error(), "refused") || strings.Contains(err.Error(), "bad-token") {
			t.Fatalf("err %v (permanent %v)", err, lwmail.Permanent(err))
		}
	})
	t.Run("a server without OAuth mechanisms is named", func(t *testing.T) {
		srv := smtptest.Start(t)
		_, err := oauthSender(t, srv, &fixedTokens{tokens: []string{"t"}}).Send(ctx, &lwmail.Message{To: []mail.Address{{Address: "a@example.com"}}, Text: "x"})
		if err == nil || !strings.Contains(err.Error(), "neither OAUTHBEARER nor XOAUTH2") {
			t.Fatalf("err %v", err)
		}
	})
}

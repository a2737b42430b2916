package mailauth_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/idptest"
	"leadwire/internal/mailauth"
)

const user = "sales@example.com"

// generic is a delegated generic provider at the test provider.
func generic(p *idptest.Provider) mailauth.Settings {
	s := mailauth.Settings{Provider: mailauth.Generic, ClientID: idptest.PublicClient, Issuer: p.URL, Scopes: []string{"mail"}}
	if err := s.Check(mailauth.IMAP); err != nil {
		panic(err)
	}
	return s
}

func wantErr(t *testing.T, err error, words ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one saying %q", words)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

func TestDeviceCodeSignIn(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		// at is called before each poll (1, 2, …) with the code shown;
		// it returns how far the provider's clock moves first.
		at    func(p *idptest.Provider, poll int, code string, interval time.Duration) time.Duration
		words []string // the error; none: signed in
		polls int      // polls made, when signed in
	}{
		{
			name: "the person approves after two polls of pending",
			at: func(p *idptest.Provider, poll int, code string, d time.Duration) time.Duration {
				if poll == 3 {
					p.Approve(code)
				}
				return d
			},
			polls: 3,
		},
		{
			name: "polling too fast is slowed down by five seconds and then signs in",
			at: func(p *idptest.Provider, poll int, code string, d time.Duration) time.Duration {
				switch poll {
				case 2:
					return time.Second // too soon: slow_down
				case 3:
					if d != 10*time.Second {
						panic("the interval did not grow by 5s after slow_down: " + d.String())
					}
					p.Approve(code)
				}
				return d
			},
			polls: 3,
		},
		{
			name: "the person declines",
			at: func(p *idptest.Provider, poll int, code string, d time.Duration) time.Duration {
				p.Decline(code)
				return d
			},
			words: []string{"declined", "access_denied"},
		},
		{
			name: "nobody signs in before the code expires",
			at: func(p *idptest.Provider, poll int, code string, d time.Duration) time.Duration {
				return 16 * time.Minute
			},
			words: []string{"expired before anyone signed in", "expired_token"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := idptest.Start(t, user)
			s := generic(p)
			var code string
			polls := 0
			wait := func(ctx context.Context, d time.Duration) error {
				polls++
				p.Advance(tt.at(p, polls, code, d))
				return nil
			}
			tok, err := mailauth.Device(ctx, s, func(dp mailauth.DevicePrompt) {
				code = dp.UserCode
				if dp.URL == "" || dp.UserCode == "" {
					t.Errorf("prompt %+v", dp)
				}
			}, wait)
			if tt.words != nil {
				wantErr(t, err, tt.words...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tok.RefreshToken == "" || p.Check(user, tok.AccessToken) != nil || polls != tt.polls {
				t.Fatalf("token %v (refresh %v), %d polls", p.Check(user, tok.AccessToken), tok.RefreshToken != "", polls)
			}
		})
	}
}

func TestAuthorizationCodeSignInWithPKCE(t *testing.T) {
	ctx := context.Background()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	t.Run("the person signs in through the loopback redirect", func(t *testing.T) {
		p := idptest.Start(t, user)
		tok, err := mailauth.AuthCode(ctx, generic(p), func(u string) {
			if !strings.Contains(u, "code_challenge_method=S256") {
				t.Errorf("no PKCE in %s", u)
			}
			resp, err := http.Get(u)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		})
		if err != nil {
			t.Fatal(err)
		}
		if tok.RefreshToken == "" || p.Check(user, tok.AccessToken) != nil {
			t.Fatal("no usable token")
		}
	})
	t.Run("an answer with another state is refused and the sign-in goes on", func(t *testing.T) {
		p := idptest.Start(t, user)
		var forged int
		tok, err := mailauth.AuthCode(ctx, generic(p), func(u string) {
			// The provider's answer, caught before the browser follows it.
			resp, err := noFollow.Get(u)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			back, _ := url.Parse(resp.Header.Get("Location"))
			q := back.Query()
			q.Set("state", "forged")
			forgedURL := *back
			forgedURL.RawQuery = q.Encode()
			r2, err := http.Get(forgedURL.String())
			if err != nil {
				t.Error(err)
				return
			}
			body, _ := io.ReadAll(r2.Body)
			r2.Body.Close()
			forged = r2.StatusCode
			if !strings.Contains(string(body), "state does not match") {
				t.Errorf("forged answer: %s", body)
			}
			r3, err := http.Get(back.String())
			if err == nil {
				r3.Body.Close()
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if forged != http.StatusBadRequest || p.Check(user, tok.AccessToken) != nil {
			t.Fatalf("forged answer status %d", forged)
		}
	})
	t.Run("the person declines", func(t *testing.T) {
		p := idptest.Start(t, user)
		p.Deny()
		_, err := mailauth.AuthCode(ctx, generic(p), func(u string) {
			if resp, err := http.Get(u); err == nil {
				resp.Body.Close()
			}
		})
		wantErr(t, err, "declined", "access_denied")
	})
}

func TestAppOnlySignIn(t *testing.T) {
	ctx := context.Background()
	t.Run("a Google service account acts for the mailbox's address", func(t *testing.T) {
		p := idptest.Start(t, user)
		key := filepath.Join(t.TempDir(), "sa.json")
		if err := os.WriteFile(key, p.ServiceAccount(t, "leadwire@project.iam.gserviceaccount.com"), 0o600); err != nil {
			t.Fatal(err)
		}
		s := mailauth.Settings{Provider: mailauth.Google, Grant: mailauth.App, KeyFile: key}
		if err := s.Check(mailauth.IMAP); err != nil {
			t.Fatal(err)
		}
		src := mailauth.NewSource(s, "sales", user, nil)
		tok, _, err := src.Token(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Check(user, tok); err != nil {
			t.Fatalf("the token is not the mailbox's: %v", err)
		}
	})
	t.Run("Microsoft client credentials", func(t *testing.T) {
		p := idptest.Start(t, user)
		s := mailauth.Settings{Provider: mailauth.Microsoft, Grant: mailauth.App, Tenant: "contoso.onmicrosoft.com",
			ClientID: idptest.AppClient, ClientSecret: idptest.AppSecret, TokenURL: p.TokenURL()}
		if err := s.Check(mailauth.IMAP); err != nil {
			t.Fatal(err)
		}
		tok, exp, err := mailauth.NewSource(s, "sales", user, nil).Token(ctx, false)
		if err != nil || tok == "" || exp.IsZero() {
			t.Fatalf("%v, %v", exp, err)
		}
		if s.Scopes[0] != "https://outlook.office365.com/.default" {
			t.Errorf("scopes %v", s.Scopes)
		}
	})
	t.Run("an app of another directory is told to fix the tenant", func(t *testing.T) {
		p := idptest.Start(t, user)
		p.OtherTenant(idptest.AppClient)
		s := mailauth.Settings{Provider: mailauth.Microsoft, Grant: mailauth.App, Tenant: "fabrikam.onmicrosoft.com",
			ClientID: idptest.AppClient, ClientSecret: idptest.AppSecret, TokenURL: p.TokenURL()}
		if err := s.Check(mailauth.IMAP); err != nil {
			t.Fatal(err)
		}
		_, _, err := mailauth.NewSource(s, "sales", user, nil).Token(ctx, false)
		wantErr(t, err, "wrong tenant", "fabrikam.onmicrosoft.com")
	})
	t.Run("a wrong client secret is named", func(t *testing.T) {
		p := idptest.Start(t, user)
		s := mailauth.Settings{Provider: mailauth.Generic, Grant: mailauth.App, ClientID: idptest.AppClient, ClientSecret: "wrong",
			TokenURL: p.TokenURL(), Scopes: []string{"mail"}}
		_, _, err := mailauth.NewSource(s, "sales", user, nil).Token(ctx, false)
		wantErr(t, err, "client id or secret")
		if strings.Contains(err.Error(), "wrong") {
			t.Error("the secret is repeated")
		}
	})
}

// memGrants is a GrantStore in memory, with core.Grants' versioning.
type memGrants struct {
	mu sync.Mutex
	g  *core.Grant
}

func (m *memGrants) Load(_ context.Context, connector string) (*core.Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.g == nil {
		return nil, core.Errorf(core.KindNotFound, "none")
	}
	c := *m.g
	return &c, nil
}

func (m *memGrants) Refreshed(_ context.Context, g *core.Grant) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.g == nil || m.g.Version != g.Version {
		return false, nil
	}
	c := *g
	c.Version++
	m.g = &c
	g.Version = c.Version
	return true, nil
}

func TestADelegatedGrantIsRefreshedAndShared(t *testing.T) {
	ctx := context.Background()
	p := idptest.Start(t, user)
	s := generic(p)
	tok, err := mailauth.Device(ctx, s, func(dp mailauth.DevicePrompt) { p.Approve(dp.UserCode) },
		func(context.Context, time.Duration) error { p.Advance(5 * time.Second); return nil })
	if err != nil {
		t.Fatal(err)
	}
	store := &memGrants{g: &core.Grant{Connector: "email:sales", Account: user, RefreshToken: tok.RefreshToken,
		AccessToken: tok.AccessToken, Expiry: tok.Expiry, Version: 1}}
	a := mailauth.NewSource(s, "sales", user, store)
	b := mailauth.NewSource(s, "sales", user, store)

	t.Run("a fresh stored token is used without asking the provider", func(t *testing.T) {
		issued := p.Issued()
		got, _, err := a.Token(ctx, false)
		if err != nil || got != tok.AccessToken || p.Issued() != issued {
			t.Fatalf("%v; issued %d more", err, p.Issued()-issued)
		}
	})
	t.Run("a refused token is refreshed once, and the other replica uses the new one", func(t *testing.T) {
		issued := p.Issued()
		fresh, _, err := a.Token(ctx, true)
		if err != nil || fresh == tok.AccessToken || p.Check(user, fresh) != nil {
			t.Fatalf("forced: %v", err)
		}
		other, _, err := b.Token(ctx, false)
		if err != nil || other != fresh || p.Issued() != issued+1 {
			t.Fatalf("the other replica got its own token (%v), %d issued", err, p.Issued()-issued)
		}
	})
	t.Run("a token about to expire is refreshed before it does", func(t *testing.T) {
		a.Margin = 2 * time.Hour // every token is about to expire
		before, _, _ := b.Token(ctx, false)
		got, _, err := a.Token(ctx, false)
		if err != nil || got == before {
			t.Fatalf("not refreshed: %v", err)
		}
		a.Margin = mailauth.DefaultMargin
	})
	t.Run("a revoked grant asks for a new sign-in", func(t *testing.T) {
		p.RevokeUser(user)
		_, _, err := a.Token(ctx, true)
		wantErr(t, err, "sign-in needed: run `leadwire email connect sales`", "invalid_grant")
		if !mailauth.IsSignInNeeded(err) {
			t.Error("not a SignInError")
		}
	})
	t.Run("a mailbox nobody signed in to asks for a sign-in", func(t *testing.T) {
		_, _, err := mailauth.NewSource(s, "support", user, &memGrants{}).Token(ctx, false)
		wantErr(t, err, "leadwire email connect support", "nobody has signed in")
	})
}

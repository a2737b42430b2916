package email

import (
	"sync"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/idptest"
	"leadwire/internal/mailauth"
	"leadwire/internal/secretbox"
	"leadwire/internal/testenv"
)

// dovecotIdP is the identity provider the test Dovecot's oauth2 passdb
// introspects tokens at: one per test process, on the address
// scripts/test.sh gave Dovecot; each test signs in users of its own.
var dovecotIdP struct {
	once sync.Once
	p    *idptest.Provider
	err  error
}

func sharedIdP(t *testing.T) *idptest.Provider {
	t.Helper()
	addr := testenv.IdP(t)
	dovecotIdP.once.Do(func() { dovecotIdP.p, dovecotIdP.err = idptest.StartOn(addr, "") })
	if dovecotIdP.err != nil {
		t.Fatal(dovecotIdP.err)
	}
	return dovecotIdP.p
}

// dovecotOAuth is a Dovecot account that signs in with tokens of the
// shared provider living ttl, its grant stored for mailbox "sales".
func dovecotOAuth(t *testing.T, e *env, ttl time.Duration) (*dovecot, *idptest.Provider, *mailauth.Source, Mailbox) {
	t.Helper()
	d := newDovecot(t)
	d.client() // the account exists for Dovecot
	p := sharedIdP(t)
	expiry := time.Now().Add(time.Hour)
	if ttl > 0 {
		expiry = time.Now().Add(ttl)
	}
	access, refresh := p.Issue(d.user, idptest.PublicClient, ttl)
	set := mailauth.Settings{Provider: mailauth.Generic, ClientID: idptest.PublicClient, TokenURL: p.TokenURL(), Scopes: []string{"mail"}}
	if err := set.Check(mailauth.IMAP); err != nil {
		t.Fatal(err)
	}
	grants := core.NewGrants(e.svc, secretbox.New(secretbox.NewKey()))
	if err := grants.Put(e.ctx, &core.Grant{Connector: "email:sales", Provider: "generic", Account: d.user,
		RefreshToken: refresh, AccessToken: access, Expiry: expiry}); err != nil {
		t.Fatal(err)
	}
	src := mailauth.NewSource(set, "sales", d.user, grants)
	mb := d.mailbox("sales")
	mb.Password, mb.Auth, mb.OAuth, mb.Tokens = "", mailauth.OAuth2, set, src
	return d, p, src, mb
}

func TestDovecotTakesTheMailboxsOAuthToken(t *testing.T) {
	for _, mech := range []string{mailauth.XOAuth2, mailauth.OAuthBearer} {
		t.Run("over "+mech, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			d, p, _, mb := dovecotOAuth(t, e, 0)
			d.appendAll([][]byte{[]byte(msg("Anna Kowalska <anna@firma.example>", "Oferta", "Proszę o ofertę."))})
			checked := p.Introspections()
			c := e.connector(mb)
			c.mech = mech
			e.run(c)
			e.waitCount(c.Name(), core.CountCaptured, 1)
			if p.Introspections() == checked {
				t.Error("Dovecot did not ask the identity provider")
			}
		})
	}
}

func TestDovecotSessionOutlivesItsTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// Each sign-in waits for Dovecot to ask the provider, which takes
	// longer on a loaded machine than the token's few seconds: a sign-in
	// that lost that race is retried, so allow for a few.
	e.patience = time.Minute
	// Tokens live 8 s: the session signs in again 3 s before each expires,
	// with a token refreshed when less than 5 s was left.
	d, p, src, mb := dovecotOAuth(t, e, 8*time.Second)
	src.Margin = 5 * time.Second
	c := e.connector(mb)
	c.reauthBefore = 3 * time.Second
	idled := make(chan struct{}, 100)
	c.idling = func() { idled <- struct{}{} }
	e.run(c)
	d.appendAll([][]byte{[]byte(msg("Minh <minh@cty.example>", "Báo giá", "Xin báo giá."))})
	e.waitCount(c.Name(), core.CountCaptured, 1)
	issued := p.Issued()
	e.waitFor("a new token after the first expired mid-IDLE", func() bool { return p.Issued() > issued+1 })
	for len(idled) > 0 {
		<-idled
	}
	<-idled
	d.appendAll([][]byte{[]byte(msg("王芳 <wang@gongsi.example>", "询价", "请报价。"))})
	e.waitCount(c.Name(), core.CountCaptured, 2)
	if st := e.status(c.Name()); st.Counts[core.CountDuplicate] != 0 {
		t.Errorf("status %+v", st)
	}
}

func TestDovecotRefusesARevokedGrantAndTheMailboxAsksForASignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d, p, _, mb := dovecotOAuth(t, e, 0)
	p.RevokeUser(d.user)
	c := e.connector(mb)
	e.run(c)
	e.waitFor("the mailbox failing", func() bool { return e.status(c.Name()).LastError != "" })
	if got := e.status(c.Name()).LastError; got != "sign-in needed: run `leadwire email connect sales` (the provider answered invalid_grant: the sign-in was revoked or expired)" {
		t.Fatalf("last error %q", got)
	}
}

package email

import (
	"context"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/idptest"
	"leadwire/internal/imaptest"
	"leadwire/internal/mailauth"
	"leadwire/internal/secretbox"
)

// oauthSetup is a memIMAP taking tokens of a test identity provider over
// mechs, and a mailbox "sales" signed in there: its grant stored sealed.
type oauthSetup struct {
	srv *memIMAP
	idp *idptest.Provider
	src *mailauth.Source
	mb  Mailbox
}

func newOAuthSetup(t *testing.T, e *env, mechs ...string) *oauthSetup {
	t.Helper()
	idp := idptest.Start(t, testUser)
	srv := newMemIMAP(t)
	srv.stop()
	srv.oauth = &imaptest.OAuth{Mechanisms: mechs, Check: idp.Check, Password: func(string) string { return testPass }}
	srv.start(srv.addr)

	set := mailauth.Settings{Provider: mailauth.Generic, ClientID: idptest.PublicClient,
		DeviceAuthURL: idp.DeviceAuthURL(), TokenURL: idp.TokenURL(), Scopes: []string{"mail"}}
	if err := set.Check(mailauth.IMAP); err != nil {
		t.Fatal(err)
	}
	tok, err := mailauth.Device(e.ctx, set, func(p mailauth.DevicePrompt) { idp.Approve(p.UserCode) },
		func(context.Context, time.Duration) error { idp.Advance(5 * time.Second); return nil })
	if err != nil {
		t.Fatal(err)
	}
	grants := core.NewGrants(e.svc, secretbox.New(secretbox.NewKey()))
	if err := grants.Put(e.ctx, &core.Grant{Connector: "email:sales", Provider: "generic", Account: testUser,
		RefreshToken: tok.RefreshToken, AccessToken: tok.AccessToken, Expiry: tok.Expiry}); err != nil {
		t.Fatal(err)
	}
	src := mailauth.NewSource(set, "sales", testUser, grants)
	mb := srv.mailbox("sales")
	mb.Password, mb.Auth, mb.OAuth, mb.Tokens = "", mailauth.OAuth2, set, src
	return &oauthSetup{srv: srv, idp: idp, src: src, mb: mb}
}

func TestAMailboxSignsInWithOAuth(t *testing.T) {
	for _, mech := range []string{mailauth.XOAuth2, mailauth.OAuthBearer} {
		t.Run("over "+mech+" when the server offers only it", func(t *testing.T) {
			e := newEnv(t)
			o := newOAuthSetup(t, e, mech)
			o.srv.append("INBOX", msg("Anna Kowalska <anna@firma.example>", "Oferta", "Proszę o ofertę."), time.Time{})
			c := e.connector(o.mb)
			e.run(c)
			e.waitCount(c.Name(), core.CountCaptured, 1)
			if st := e.status(c.Name()); st.LastError != "" {
				t.Errorf("last error %q", st.LastError)
			}
		})
	}
}

func TestATokenExpiringMidIdleIsRenewedWithoutLosingOrRepeatingMail(t *testing.T) {
	e := newEnv(t)
	o := newOAuthSetup(t, e, mailauth.OAuthBearer)
	// Tokens live 4 s: the source refreshes one with less than 2 s left,
	// the session signs in again 1 s before its token expires.
	o.idp.SetAccessTTL(4 * time.Second)
	o.idp.ExpireAccess() // the token from the sign-in, an hour long, is over
	o.src.Margin = 2 * time.Second
	c := e.connector(o.mb)
	c.reauthBefore = time.Second
	idled := make(chan struct{}, 100)
	c.idling = func() { idled <- struct{}{} }
	e.run(c)

	o.srv.append("INBOX", msg("Minh <minh@cty.example>", "Báo giá", "Xin báo giá."), time.Time{})
	e.waitCount(c.Name(), core.CountCaptured, 1)
	issued := o.idp.Issued()
	e.waitFor("a new token after the first expired mid-IDLE", func() bool { return o.idp.Issued() > issued })
	for len(idled) > 0 {
		<-idled
	}
	<-idled // IDLE again, on the new token
	o.srv.append("INBOX", msg("王芳 <wang@gongsi.example>", "询价", "请报价。"), time.Time{})
	e.waitCount(c.Name(), core.CountCaptured, 2)
	if st := e.status(c.Name()); st.Counts[core.CountDuplicate] != 0 || st.LastError != "" {
		t.Errorf("status %+v", st)
	}
	if n := len(e.leads()); n != 2 {
		t.Errorf("%d leads, want 2", n)
	}
}

func TestARevokedGrantTurnsTheMailboxToSignInNeeded(t *testing.T) {
	e := newEnv(t)
	o := newOAuthSetup(t, e, mailauth.XOAuth2)
	o.idp.RevokeUser(testUser)
	c := e.connector(o.mb)
	e.run(c)
	e.waitFor("the mailbox failing", func() bool { return e.status(c.Name()).LastError != "" })
	got := e.status(c.Name()).LastError
	if !strings.Contains(got, "sign-in needed: run `leadwire email connect sales`") {
		t.Fatalf("last error %q", got)
	}
	if strings.Contains(got, "rt-") || strings.Contains(got, "at-") {
		t.Errorf("the error shows a token: %q", got)
	}
}

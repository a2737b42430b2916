package email

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-sasl"

	"leadwire/internal/mailauth"
)

// errReauth ends a session whose access token is about to expire: the
// next one signs in with a fresh token and syncs from the checkpoints, so
// nothing is lost or read twice.
var errReauth = errors.New("access token about to expire; signing in again")

// authenticate signs in with an OAuth access token over the SASL
// mechanism the server offers (OAUTHBEARER, else XOAUTH2). A refused token
// is refreshed and presented once more; a second refusal is errLogin.
func (s *session) authenticate(ctx context.Context, addr string) error {
	c := s.c
	caps := s.cl.Caps()
	mech, err := mailauth.Choose(func(m string) bool {
		return caps.Has(imap.Cap("AUTH="+m)) && (c.mech == "" || c.mech == m)
	})
	if err != nil {
		return fmt.Errorf("%w: %s: %v", errLogin, addr, err)
	}
	var last error
	for attempt := range 2 {
		token, expiry, err := c.mb.Tokens.Token(ctx, attempt > 0)
		if err != nil {
			return err
		}
		err = s.cl.Authenticate(mailauth.NewClient(mech, c.mb.Username, token, c.mb.Host, c.mb.Port))
		if err == nil {
			s.expiry = expiry
			c.log.Debug("mailbox signed in", "mech", mech, "token_expiry", expiry)
			return nil
		}
		if !tokenRefused(err) {
			return s.fail("authenticate to "+addr, err)
		}
		last = err
	}
	why := last.Error()
	if ie, ok := errors.AsType[*imap.Error](last); ok {
		why = strings.TrimSuffix(ie.Text, ".")
	}
	return fmt.Errorf("%w: %s refused the OAuth token of %s (%s) after a refresh: %s; check that the app has the mail scopes and the account may use IMAP",
		errLogin, addr, c.mb.Username, mech, why)
}

// tokenRefused reports whether err is the server's refusal of a token: a NO,
// or the error challenge the SASL client ended the exchange on.
func tokenRefused(err error) bool {
	_, no := errors.AsType[*imap.Error](err)
	_, bearer := errors.AsType[*sasl.OAuthBearerError](err)
	_, xoauth := errors.AsType[*mailauth.XOAuth2Error](err)
	return no || bearer || xoauth
}

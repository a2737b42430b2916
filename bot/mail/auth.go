package mail

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"leadwire/core"
	"leadwire/internal/mailauth"
)

// Tokens gives the sender OAuth 2.0 access tokens for its account:
// *mailauth.Source is one.
type Tokens interface {
	// Token returns an access token valid for a while yet and when it
	// expires; force refreshes it even so (the server refused the last).
	Token(ctx context.Context, force bool) (token string, expiry time.Time, err error)
}

// CheckAuth validates the keys that say how leadwire signs in to the
// submission server (auth, oauth2.*, username, password) and, for oauth2
// with a provider preset, fills in the server the provider publishes when
// host is left out. Run it before CheckServer. Its errors are
// *core.SettingError, joined.
func (c *Config) CheckAuth() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &core.SettingError{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	kind, err := mailauth.ParseKind(string(c.Auth))
	if err != nil {
		bad("auth", "%v", err)
		return errors.Join(errs...)
	}
	c.Auth = kind
	if kind != mailauth.OAuth2 {
		return nil
	}
	if c.Password != "" {
		bad("password", "auth: oauth2 signs in with a token; leave password out")
	}
	if strings.TrimSpace(c.Username) == "" {
		bad("username", "auth: oauth2 needs the account it sends as, such as sales@example.com")
	}
	if err := c.OAuth.Check(mailauth.SMTP); err != nil {
		errs = append(errs, err)
	}
	if p, ok := mailauth.PresetOf(c.OAuth.Provider, c.OAuth.Tenant); ok && strings.TrimSpace(c.Host) == "" {
		c.Host, c.Port, c.TLS = p.SMTPHost, p.SMTPPort, p.SMTPTLS
	}
	return errors.Join(errs...)
}

// authenticate signs in with an OAuth access token over the SASL
// mechanism the server offers (OAUTHBEARER, else XOAUTH2). A refused
// token is refreshed and presented once more.
func (s *Sender) authenticate(ctx context.Context, c *smtp.Client, addr string) error {
	_, offered := c.Extension("AUTH")
	mechs := strings.Fields(strings.ToUpper(offered))
	mech, err := mailauth.Choose(func(m string) bool { return slices.Contains(mechs, m) })
	if err != nil {
		return fmt.Errorf("smtp %s: %w", addr, err)
	}
	var last error
	for attempt := range 2 {
		token, _, err := s.cfg.Tokens.Token(ctx, attempt > 0)
		if err != nil {
			return fmt.Errorf("smtp %s: %w", addr, err)
		}
		last = c.Auth(mailauth.NewClient(mech, s.cfg.Username, token, s.cfg.Host, s.cfg.Port))
		if last == nil {
			return nil
		}
		var se *smtp.SMTPError
		if !errors.As(last, &se) {
			break // the connection broke: no second try on it
		}
	}
	return fmt.Errorf("smtp %s: the OAuth token of %s was refused (%s) after a refresh: %w; check that the app has the SMTP scope and the account may send over SMTP",
		addr, s.cfg.Username, mech, last)
}

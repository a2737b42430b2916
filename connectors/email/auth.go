package email

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"leadwire/core"
	"leadwire/internal/mailauth"
)

// Tokens gives the connector OAuth 2.0 access tokens for its account:
// *mailauth.Source is one.
type Tokens interface {
	// Token returns an access token valid for a while yet and when it
	// expires; force refreshes it even so (the server refused the last).
	Token(ctx context.Context, force bool) (token string, expiry time.Time, err error)
}

// CheckAuth validates the keys that say how the mailbox signs in (auth,
// oauth2.*, password) and, for oauth2 with a provider preset, fills in the
// server the provider publishes when host is left out. Run it before
// CheckServer. Its errors are *core.SettingError, joined.
func (mb *Mailbox) CheckAuth() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &core.SettingError{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	kind, err := mailauth.ParseKind(string(mb.Auth))
	if err != nil {
		bad("auth", "%v", err)
		return errors.Join(errs...)
	}
	mb.Auth = kind
	if kind != mailauth.OAuth2 {
		return nil
	}
	if mb.Password != "" {
		bad("password", "auth: oauth2 signs in with a token; leave password out")
	}
	if err := mb.OAuth.Check(mailauth.IMAP); err != nil {
		errs = append(errs, err)
	}
	if p, ok := mailauth.PresetOf(mb.OAuth.Provider, mb.OAuth.Tenant); ok && strings.TrimSpace(mb.Host) == "" {
		mb.Host, mb.Port, mb.TLS = p.IMAPHost, p.IMAPPort, p.IMAPTLS
	}
	if mb.OAuth.Grant == mailauth.App && !strings.Contains(mb.Username, "@") {
		bad("username", "grant: app reads the mailbox of an address: give it as username, such as sales@example.com")
	}
	return errors.Join(errs...)
}

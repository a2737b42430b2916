package mailauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"leadwire/core"
)

// GrantStore keeps delegated grants: *core.Grants is one.
type GrantStore interface {
	Load(ctx context.Context, connector string) (*core.Grant, error)
	Refreshed(ctx context.Context, g *core.Grant) (bool, error)
}

// DefaultMargin is how long before its expiry an access token is
// refreshed.
const DefaultMargin = 2 * time.Minute

// Source keeps one account's access token fresh: from the stored grant
// (delegated: refreshed with its refresh token, the new tokens stored
// over the version read, so replicas share one grant) or from the app's
// own credentials (app: JWT bearer or client credentials, kept in memory).
type Source struct {
	set       Settings
	mailbox   string // the mailbox whose sign-in it is, named in SignInError
	connector string // where the grant is stored: "email:<mailbox>"
	account   string
	store     GrantStore

	// Margin: refresh this long before expiry; default DefaultMargin.
	Margin time.Duration
	// HTTP is the client for the provider (tests); nil: the default.
	HTTP *http.Client
	// Now is the clock expiries are judged by; nil: time.Now.
	Now func() time.Time

	mu          sync.Mutex
	cur         *oauth2.Token
	app         oauth2.TokenSource
	dead        *SignInError // the grant the provider refused, until a new one is stored
	deadVersion int64
}

// NewSource returns the token source of mailbox's sign-in as account.
func NewSource(set Settings, mailbox, account string, store GrantStore) *Source {
	return &Source{set: set, mailbox: mailbox, connector: core.ConnectorName(core.ChannelEmail, mailbox), account: account,
		store: store, Margin: DefaultMargin}
}

// Account is who the tokens sign in as.
func (s *Source) Account() string { return s.account }

// Settings returns the source's settings.
func (s *Source) Settings() Settings { return s.set }

func (s *Source) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Source) fresh(t *oauth2.Token) bool {
	return t != nil && t.AccessToken != "" && (t.Expiry.IsZero() || s.now().Add(s.Margin).Before(t.Expiry))
}

func (s *Source) ctx(ctx context.Context) context.Context {
	if s.HTTP != nil {
		return context.WithValue(ctx, oauth2.HTTPClient, s.HTTP)
	}
	return ctx
}

// Token returns an access token that stays valid for Margin at least, and
// its expiry; force gets a new one even so (the server refused the last).
// A grant the provider no longer honours is a *SignInError.
func (s *Source) Token(ctx context.Context, force bool) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !force && s.fresh(s.cur) {
		return s.cur.AccessToken, s.cur.Expiry, nil
	}
	var err error
	if s.set.Grant == App {
		err = s.appToken(ctx, force)
	} else {
		err = s.delegated(ctx, force)
	}
	if err != nil {
		return "", time.Time{}, err
	}
	return s.cur.AccessToken, s.cur.Expiry, nil
}

func (s *Source) appToken(ctx context.Context, force bool) error {
	if s.app == nil || force {
		ts, err := AppTokenSource(s.ctx(context.WithoutCancel(ctx)), s.set, s.account)
		if err != nil {
			return err
		}
		s.app = ts
	}
	t, err := s.app.Token()
	if err != nil {
		return fmt.Errorf("app sign-in for %s: %w", s.account, Explain(s.set, err))
	}
	s.cur = t
	return nil
}

func (s *Source) delegated(ctx context.Context, force bool) error {
	g, err := s.store.Load(ctx, s.connector)
	if core.KindOf(err) == core.KindNotFound {
		return &SignInError{Mailbox: s.mailbox, Reason: "nobody has signed in yet"}
	}
	if err != nil {
		return err
	}
	if s.dead != nil && g.Version == s.deadVersion {
		// The provider refused this grant already: asking again would
		// only be refused again. A new sign-in stores a new version.
		return s.dead
	}
	s.dead = nil
	stored := &oauth2.Token{AccessToken: g.AccessToken, RefreshToken: g.RefreshToken, Expiry: g.Expiry}
	// Another replica (or an earlier run) may have refreshed already; a
	// forced refresh is for the token just refused, not a newer one.
	if s.fresh(stored) && (!force || s.cur == nil || stored.AccessToken != s.cur.AccessToken) {
		s.cur = stored
		return nil
	}
	if g.RefreshToken == "" {
		return &SignInError{Mailbox: s.mailbox, Reason: "the stored sign-in has no refresh token"}
	}
	if err := s.set.Discover(ctx, s.HTTP); err != nil {
		return err
	}
	conf := s.set.Config("")
	t, err := conf.TokenSource(s.ctx(ctx), &oauth2.Token{RefreshToken: g.RefreshToken}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
			s.dead = &SignInError{Mailbox: s.mailbox, Reason: "the provider answered invalid_grant: the sign-in was revoked or expired"}
			s.deadVersion = g.Version
			return s.dead
		}
		return fmt.Errorf("refresh the sign-in of %s: %w", s.mailbox, Explain(s.set, err))
	}
	g.AccessToken, g.Expiry = t.AccessToken, t.Expiry
	if t.RefreshToken != "" {
		g.RefreshToken = t.RefreshToken // rotated
	}
	ok, err := s.store.Refreshed(ctx, g)
	if err != nil {
		return err
	}
	if !ok {
		// Someone stored a newer grant meanwhile (another replica's
		// refresh, a new sign-in): use that one.
		if g2, err := s.store.Load(ctx, s.connector); err == nil && g2.AccessToken != "" {
			t = &oauth2.Token{AccessToken: g2.AccessToken, RefreshToken: g2.RefreshToken, Expiry: g2.Expiry}
		}
	}
	s.cur = t
	return nil
}

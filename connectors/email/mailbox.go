package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"

	"leadwire/core"
	"leadwire/internal/mailauth"
)

// Defaults of a Mailbox's optional fields.
const (
	DefaultFolder       = "INBOX"
	DefaultSince        = 7 * 24 * time.Hour
	DefaultPollInterval = time.Minute
	// DefaultMaxSize is the largest message fetched whole; a larger one is
	// kept as a failed inbound with its first bytes.
	DefaultMaxSize = 25 << 20
)

// Mailbox configures one IMAP account that leads are read from.
type Mailbox struct {
	Name     string // the source of its inbounds; counters and checkpoints are under "email:<Name>"
	Host     string
	Port     int          // 0: 993 for core.TLSImplicit, else 143
	TLS      core.TLSMode // core.TLSImplicit (""), core.TLSStartTLS or core.TLSNone
	Username string
	Password string
	// Auth is how it signs in: mailauth.Password ("") or mailauth.OAuth2
	// with OAuth's settings and Tokens to present.
	Auth    mailauth.Kind
	OAuth   mailauth.Settings
	Tokens  Tokens   // required with mailauth.OAuth2
	Folders []string // read in this order; IDLE watches the first; default INBOX
	Team    string   // routing hint for core; "" is the default team
	// Since is how far back the first sync of a folder reaches (and a
	// re-sync after its UIDVALIDITY changed); default 7 days.
	Since           time.Duration
	InternalDomains []string      // senders there are colleagues, never leads
	PollInterval    time.Duration // how often to look for mail without IDLE, and in the other folders; default 1m
	MaxSize         int64         // default DefaultMaxSize
	TLSConfig       *tls.Config   // nil: the system roots, verifying Host
}

// Connector reads one mailbox into core.Capture: it syncs every folder
// from its checkpoint, then waits for new mail with IDLE (or polls), and
// reconnects with backoff after any failure, until its context ends.
type Connector struct {
	mb   Mailbox
	name string // "email:<Name>"
	svc  *core.Service
	log  *slog.Logger

	// Tuning, set by New; tests shorten them.
	retry     backoff
	idleFor   time.Duration // IDLE is re-issued this often, well inside the 29 minutes servers allow
	chunk     int           // UIDs per FETCH of message bodies
	maxBatch  int           // inbounds per CaptureBatch; 1: one Capture each
	linger    time.Duration // how long a run waits for the next message before it is stored
	noIdle    bool          // poll even when the server has IDLE
	ioTimeout time.Duration // how long the server may take to answer
	idling    func()        // tests: called each time IDLE has begun
	// reauthBefore: an OAuth session signs in again this long before its
	// token expires; less than the token source's refresh margin.
	reauthBefore time.Duration
	mech         string // tests: the only SASL mechanism to use ("": the server's best)
}

// New checks a mailbox's settings and returns its connector.
func New(mb Mailbox, svc *core.Service, log *slog.Logger) (*Connector, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	authErr := mb.CheckAuth() // fills in an OAuth provider's host
	if mb.Name == "" || mb.Host == "" || mb.Username == "" {
		return nil, fmt.Errorf("email mailbox %q: name, host and username are required", mb.Name)
	}
	if err := errors.Join(authErr, mb.CheckServer()); err != nil {
		return nil, fmt.Errorf("email mailbox %s: %w", mb.Name, err)
	}
	if mb.Auth == mailauth.OAuth2 && mb.Tokens == nil {
		return nil, fmt.Errorf("email mailbox %s: auth: oauth2 needs a token source", mb.Name)
	}
	mb.Folders = slices.Clone(mb.Folders)
	if len(mb.Folders) == 0 {
		mb.Folders = []string{DefaultFolder}
	}
	if mb.Since <= 0 {
		mb.Since = DefaultSince
	}
	if mb.PollInterval <= 0 {
		mb.PollInterval = DefaultPollInterval
	}
	if mb.MaxSize <= 0 {
		mb.MaxSize = DefaultMaxSize
	}
	return &Connector{
		mb:        mb,
		name:      core.ConnectorName(core.ChannelEmail, mb.Name),
		svc:       svc,
		log:       log.With("mailbox", mb.Name),
		retry:     backoff{min: time.Second, max: 5 * time.Minute},
		idleFor:   20 * time.Minute,
		chunk:     200,
		maxBatch:  200,
		linger:    5 * time.Millisecond,
		ioTimeout: 30 * time.Second,
		// mailauth.DefaultMargin is 2m: the token signed in with next
		// is a fresh one.
		reauthBefore: time.Minute,
	}, nil
}

// CheckServer validates the keys that say where the IMAP server is and how
// the connection is secured (host, port, tls) and fills in their defaults.
// Its errors are *core.SettingError, joined: the config file reports them
// at the mailbox's keys, and New refuses the mailbox with them.
func (mb *Mailbox) CheckServer() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &core.SettingError{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	mb.Host = strings.TrimSpace(mb.Host)
	if mb.Host == "" {
		bad("host", "a mailbox needs the IMAP server's host, such as imap.example.com")
	} else if strings.ContainsAny(mb.Host, "/@ ") || strings.Count(mb.Host, ":") == 1 {
		bad("host", "invalid host %q; give the name alone, such as imap.example.com, and the port under port", mb.Host)
	}
	mode, err := core.ParseTLSMode(string(mb.TLS), core.TLSImplicit)
	switch {
	case err != nil:
		bad("tls", "%s", core.Message(err))
	case mode == core.TLSNone && mb.Host != "" && !core.IsLoopbackHost(mb.Host):
		bad("tls", "tls: none would send the password unencrypted; it is allowed only for a loopback host (localhost, 127.0.0.1, ::1), not %s; use tls or starttls", mb.Host)
	}
	if err == nil {
		mb.TLS = mode
	}
	if mb.Port == 0 {
		mb.Port = 143
		if mb.TLS == core.TLSImplicit {
			mb.Port = 993
		}
	} else if mb.Port < 1 || mb.Port > 65535 {
		bad("port", "invalid port %d; use a number from 1 to 65535 (usually 993 with tls, 143 with starttls)", mb.Port)
	}
	return errors.Join(errs...)
}

// Name is the connector's name in counters, checkpoints and logs:
// "email:<mailbox name>".
func (c *Connector) Name() string { return c.name }

// Mailbox is the mailbox's own name (Mailbox.Name), the Source of its
// inbounds.
func (c *Connector) Mailbox() string { return c.mb.Name }

// Run reads the mailbox until ctx ends, then logs out and returns nil. A
// failure (network, server, login) is logged, recorded as the connector's
// last error, and retried after a capped, jittered backoff: a mailbox is
// never given up on. The first complete sync after a failure clears the
// error.
func (c *Connector) Run(ctx context.Context) error {
	c.log.Info("mailbox starting", "host", c.mb.Host, "port", c.mb.Port, "folders", c.mb.Folders)
	// A previous run may have left an error behind: the first sync clears
	// it. A sync that could not read some folders records why instead.
	failing, reported := true, ""
	synced := func(err error) {
		c.retry.reset()
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if !failing && msg == "" || msg != "" && msg == reported {
			return
		}
		if msg != "" {
			c.log.Warn("mailbox folders unreadable; reading the others", "err", err)
		}
		if rerr := c.svc.Connectors.ConnectorError(ctx, c.name, err); rerr != nil {
			c.log.Warn("record mailbox error", "err", rerr)
			return
		}
		failing, reported = msg != "", msg
	}
	for {
		err := c.session(ctx, synced)
		if ctx.Err() != nil {
			c.log.Info("mailbox stopped")
			return nil
		}
		if errors.Is(err, errReauth) {
			// Not a failure: sign in again at once with a fresh token.
			c.log.Debug("mailbox signing in again before its token expires")
			continue
		}
		failing, reported = true, ""
		wait := c.retry.next()
		level := slog.LevelWarn
		if errors.Is(err, errLogin) || mailauth.IsSignInNeeded(err) {
			level = slog.LevelError
		}
		c.log.Log(ctx, level, "mailbox failed; retrying", "err", err, "retry_in", wait.Round(time.Millisecond))
		if rerr := c.svc.Connectors.ConnectorError(ctx, c.name, err); rerr != nil && ctx.Err() == nil {
			c.log.Warn("record mailbox error", "err", rerr)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			c.log.Info("mailbox stopped")
			return nil
		case <-t.C:
		}
	}
}

// session connects, syncs every folder, then waits for mail and syncs
// again, until an error or the end of ctx.
func (c *Connector) session(ctx context.Context, synced func(error)) error {
	s, err := c.connect(ctx)
	if err != nil {
		return err
	}
	defer s.close()
	// Whatever command is still waiting on the server shortly after ctx
	// ends is failed by closing the connection.
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(2*time.Second, s.abort) })
	defer stop()

	// The first folder is synced last, so that it is the one selected when
	// IDLE starts.
	order := append(slices.Clone(c.mb.Folders[1:]), c.mb.Folders[0])
	refused := map[string]error{} // folders the server refuses, until they are read again
	all := true
	for {
		folders := order
		if !all {
			folders = order[len(order)-1:]
		}
		for _, f := range folders {
			err := s.sync(ctx, f)
			var ie *imap.Error
			switch {
			case err == nil:
				delete(refused, f)
			case f != c.mb.Folders[0] && errors.As(err, &ie):
				// A folder the server refuses (misspelt, deleted) must
				// not keep the others from being read; without the
				// first one there is nothing to IDLE on.
				refused[f] = err
			default:
				return err
			}
		}
		if all {
			s.polled = time.Now()
		}
		var errs []error
		for _, f := range order {
			errs = append(errs, refused[f])
		}
		synced(errors.Join(errs...))
		if all, err = s.wait(ctx); err != nil {
			return err
		}
	}
}

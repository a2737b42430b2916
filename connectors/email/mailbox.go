package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"

	"leadwire/core"
)

// How a connection to the IMAP server is secured.
const (
	TLSImplicit = "tls"      // TLS from the first byte, usually port 993
	TLSStartTLS = "starttls" // plaintext upgraded with STARTTLS, usually port 143
	TLSNone     = "none"     // no encryption: loopback hosts only
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
	Port     int    // 0: 993 for TLSImplicit, else 143
	TLS      string // TLSImplicit (""), TLSStartTLS or TLSNone
	Username string
	Password string
	Folders  []string // read in this order; IDLE watches the first; default INBOX
	Team     string   // routing hint for core; "" is the default team
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
}

// New checks a mailbox's settings and returns its connector.
func New(mb Mailbox, svc *core.Service, log *slog.Logger) (*Connector, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if mb.Name == "" || mb.Host == "" || mb.Username == "" {
		return nil, fmt.Errorf("email mailbox %q: name, host and username are required", mb.Name)
	}
	switch mb.TLS {
	case "":
		mb.TLS = TLSImplicit
	case TLSImplicit, TLSStartTLS:
	case TLSNone:
		if !IsLoopback(mb.Host) {
			return nil, fmt.Errorf("email mailbox %s: tls: none sends the password in clear; it is allowed only for a loopback host, not %s", mb.Name, mb.Host)
		}
	default:
		return nil, fmt.Errorf("email mailbox %s: unknown tls %q; use tls, starttls or none", mb.Name, mb.TLS)
	}
	if mb.Port == 0 {
		mb.Port = 143
		if mb.TLS == TLSImplicit {
			mb.Port = 993
		}
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
	}, nil
}

// IsLoopback reports whether host names this machine: localhost or a
// loopback address.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Name is the connector's name in counters, checkpoints and logs:
// "email:<mailbox name>".
func (c *Connector) Name() string { return c.name }

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
		if rerr := c.svc.ConnectorError(ctx, c.name, err); rerr != nil {
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
		failing, reported = true, ""
		wait := c.retry.next()
		level := slog.LevelWarn
		if errors.Is(err, errLogin) {
			level = slog.LevelError
		}
		c.log.Log(ctx, level, "mailbox failed; retrying", "err", err, "retry_in", wait.Round(time.Millisecond))
		if rerr := c.svc.ConnectorError(ctx, c.name, err); rerr != nil && ctx.Err() == nil {
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

package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"leadwire/core"
	"leadwire/internal/mailauth"
)

// errLogin marks a refused login, which is reported louder than a network
// failure: it will not heal until someone fixes the password.
var errLogin = errors.New("login refused")

// session is one logged-in connection to the mailbox's server.
type session struct {
	c      *Connector
	cl     *imapclient.Client
	idle   bool          // the server has IDLE
	exists chan struct{} // the selected folder has new messages (EXISTS)
	expiry time.Time     // when the OAuth access token signed in with expires; zero: never
	polled time.Time     // when every folder was last synced

	timedOut atomic.Bool // the guard closed the connection
}

// connect dials, secures and logs in.
func (c *Connector) connect(ctx context.Context) (*session, error) {
	addr := net.JoinHostPort(c.mb.Host, strconv.Itoa(c.mb.Port))
	s := &session{c: c, exists: make(chan struct{}, 1)}
	opts := &imapclient.Options{
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil {
					s.notify()
				}
			},
		},
	}
	dialer := &net.Dialer{Timeout: c.ioTimeout, KeepAlive: 30 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", addr, err)
	}
	// Nothing below has a deadline of its own: the connection is closed
	// if the server stops answering, or when ctx ends.
	watchdog := time.AfterFunc(c.ioTimeout, func() {
		s.timedOut.Store(true)
		conn.Close()
	})
	defer watchdog.Stop()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	cfg := c.tlsConfig()
	switch c.mb.TLS {
	case core.TLSImplicit:
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("TLS handshake with %s: %w", addr, err)
		}
		s.cl = imapclient.New(tc, opts)
	case core.TLSStartTLS:
		opts.TLSConfig = cfg
		if s.cl, err = imapclient.NewStartTLS(conn, opts); err != nil {
			return nil, fmt.Errorf("STARTTLS with %s: %w", addr, err)
		}
	default:
		s.cl = imapclient.New(conn, opts)
	}
	if err := s.cl.WaitGreeting(); err != nil {
		s.cl.Close()
		return nil, s.fail("greeting from "+addr, err)
	}
	if c.mb.Auth == mailauth.OAuth2 {
		if err := s.authenticate(ctx, addr); err != nil {
			s.cl.Close()
			return nil, err
		}
	} else if err := s.cl.Login(c.mb.Username, c.mb.Password).Wait(); err != nil {
		s.cl.Close()
		var ie *imap.Error
		if errors.As(err, &ie) {
			return nil, fmt.Errorf("%w: %s as %s: %s; check the mailbox's username and password", errLogin, addr, c.mb.Username, strings.TrimSuffix(ie.Text, "."))
		}
		return nil, s.fail("log in to "+addr, err)
	}
	caps := s.cl.Caps()
	s.idle = caps.Has(imap.CapIdle) || caps.Has(imap.CapIMAP4rev2)
	if !watchdog.Stop() || ctx.Err() != nil {
		s.cl.Close()
		return nil, s.fail("log in to "+addr, context.Cause(ctx))
	}
	c.log.Debug("mailbox connected", "addr", addr, "idle", s.idle)
	return s, nil
}

func (c *Connector) tlsConfig() *tls.Config {
	cfg := &tls.Config{}
	if c.mb.TLSConfig != nil {
		cfg = c.mb.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = c.mb.Host
	}
	if cfg.NextProtos == nil {
		cfg.NextProtos = []string{"imap"}
	}
	return cfg
}

// notify records that the selected folder has grown; one pending signal
// is enough.
func (s *session) notify() {
	select {
	case s.exists <- struct{}{}:
	default:
	}
}

// guard closes the connection unless stopped within the connector's I/O
// timeout: an IMAP command has no deadline of its own, and a server that
// stops answering must not hang the mailbox. The returned watchdog's
// Reset extends it (a long fetch making progress).
func (s *session) guard() *time.Timer {
	return time.AfterFunc(s.c.ioTimeout, func() {
		s.timedOut.Store(true)
		s.cl.Close()
	})
}

// fail describes a command's error, naming a timeout as such.
func (s *session) fail(op string, err error) error {
	if s.timedOut.Load() {
		return fmt.Errorf("%s: no answer from the server within %v", op, s.c.ioTimeout)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// selectFolder opens a folder read-only (EXAMINE), so that nothing the
// connector does can change a flag.
func (s *session) selectFolder(folder string) (*imap.SelectData, error) {
	g := s.guard()
	defer g.Stop()
	data, err := s.cl.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return nil, s.fail("select "+folder, err)
	}
	return data, nil
}

// abort closes the connection at once, failing whatever command waits.
func (s *session) abort() { s.cl.Close() }

// close logs out politely, waiting briefly, then closes the connection.
func (s *session) close() {
	done := make(chan struct{})
	go func() {
		s.cl.Logout().Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	s.cl.Close()
}

package email

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"leadwire/core"
	"leadwire/internal/imaptest"
	"leadwire/internal/wait"
	"leadwire/storage"
)

// memIMAP is go-imap's in-memory server on a loopback port, with one user
// and an INBOX. It can be stopped and started again on the same address.
type memIMAP struct {
	t    *testing.T
	addr string
	user *imapmemserver.User
	mem  *imapmemserver.Server

	// tls, when set, serves with implicit TLS (tlsMode "tls") or offers
	// STARTTLS (tlsMode "starttls"); set before start.
	tls     *tls.Config
	tlsMode core.TLSMode
	// oauth, when set, makes the server take OAuth tokens only; set
	// before start.
	oauth *imaptest.OAuth

	mu  sync.Mutex
	srv *imapserver.Server
	ln  *trackedListener
}

// trackedListener remembers every connection it hands out, so stop can
// close them all itself: a connection the server accepted but had not yet
// registered when it was closed would otherwise live on, serving a client
// that then never sees the server go away.
type trackedListener struct {
	net.Listener
	mu     sync.Mutex
	conns  []net.Conn
	closed bool
}

func (l *trackedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		c.Close()
		return nil, net.ErrClosed
	}
	l.conns = append(l.conns, c)
	return c, nil
}

// closeAll closes the listener and every connection accepted through it.
func (l *trackedListener) closeAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	l.Listener.Close()
	for _, c := range l.conns {
		c.Close()
	}
	l.conns = nil
}

const (
	testUser = "sales@example.com"
	testPass = "secret"
)

func newMemIMAP(t *testing.T) *memIMAP {
	t.Helper()
	m := &memIMAP{t: t, mem: imapmemserver.New(), user: imapmemserver.NewUser(testUser, testPass)}
	m.mem.AddUser(m.user)
	if err := m.user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	m.start("127.0.0.1:0")
	t.Cleanup(m.stop)
	return m
}

// start serves on addr ("127.0.0.1:0" for any port).
func (m *memIMAP) start(addr string) {
	m.t.Helper()
	var ln net.Listener
	var err error
	// A port just closed can take a moment to be free again.
	wait.Until(5*time.Second, func() bool {
		ln, err = net.Listen("tcp", addr)
		return err == nil
	})
	if err != nil {
		m.t.Fatalf("listen on %s: %v", addr, err)
	}
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			if m.oauth != nil {
				return imaptest.NewOAuthSession(m.mem, *m.oauth), nil, nil
			}
			return imaptest.NewSession(m.mem), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		InsecureAuth: m.tlsMode == "",
		Logger:       discardLogger{},
	}
	m.mu.Lock()
	m.addr = ln.Addr().String()
	switch m.tlsMode {
	case core.TLSImplicit:
		ln = tls.NewListener(ln, m.tls)
	case core.TLSStartTLS:
		opts.TLSConfig = m.tls
	}
	srv := imapserver.New(opts)
	tracked := &trackedListener{Listener: ln}
	m.srv, m.ln = srv, tracked
	m.mu.Unlock()
	go srv.Serve(tracked)
}

// stop closes the listener and every connection. Both are closed here as
// well as by the server: a server closed before its Serve goroutine has
// begun returns from Serve without closing the listener (the port would go
// on accepting connections that never get a greeting), and a connection
// accepted just before Close may not be known to the server yet (the
// client would go on idling, never seeing an error).
func (m *memIMAP) stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.srv != nil {
		m.srv.Close()
		m.ln.closeAll()
		m.srv = nil
	}
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}

// append adds a message to a folder with the given INTERNALDATE (zero:
// now) and returns its UID.
func (m *memIMAP) append(folder, raw string, at time.Time) imap.UID {
	m.t.Helper()
	data, err := m.user.Append(folder, bytes.NewReader([]byte(raw)), &imap.AppendOptions{Time: at})
	if err != nil {
		m.t.Fatalf("append to %s: %v", folder, err)
	}
	return data.UID
}

// mailbox is the connector's configuration for this server.
func (m *memIMAP) mailbox(name string) Mailbox {
	host, port, _ := net.SplitHostPort(m.addr)
	var p int
	fmt.Sscan(port, &p)
	return Mailbox{Name: name, Host: host, Port: p, TLS: core.TLSNone, Username: testUser, Password: testPass,
		PollInterval: time.Hour, InternalDomains: []string{"ourco.example"}}
}

// env is a core service over a fresh SQLite database with one team.
type env struct {
	t   *testing.T
	ctx context.Context
	db  *storage.DB
	svc *core.Service
	log *slog.Logger
	// patience bounds every wait; default wait.Patience.
	patience time.Duration
}

func newEnv(t *testing.T, edit ...func(*core.Settings)) *env {
	t.Helper()
	ctx := context.Background()
	db, err := storage.OpenAndMigrate(ctx, "sqlite:"+filepath.Join(t.TempDir(), "lw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	settings := core.DefaultSettings()
	for _, e := range edit {
		e(&settings)
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc := core.NewService(db, core.SystemClock{}, settings, log)
	if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: []core.TeamDef{{Name: "Sales"}}}); err != nil {
		t.Fatal(err)
	}
	return &env{t: t, ctx: ctx, db: db, svc: svc, log: log, patience: wait.Patience}
}

// connector returns a connector tuned for tests: quick retries and I/O
// timeouts.
func (e *env) connector(mb Mailbox) *Connector {
	e.t.Helper()
	c, err := New(mb, e.svc, e.log)
	if err != nil {
		e.t.Fatal(err)
	}
	c.retry = backoff{min: 20 * time.Millisecond, max: 200 * time.Millisecond}
	c.ioTimeout = 5 * time.Second
	return c
}

// run starts the connector and returns a stop function that cancels it
// and fails the test unless Run returns promptly; it is also a cleanup.
func (e *env) run(c *Connector) (stop func()) {
	e.t.Helper()
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					e.t.Errorf("Run returned %v, want nil after cancel", err)
				}
			case <-time.After(20 * time.Second):
				e.t.Errorf("Run did not return within 20 s of cancel")
			}
		})
	}
	e.t.Cleanup(stop)
	return stop
}

// status returns the connector's status, zero when it has none yet.
func (e *env) status(name string) core.ConnectorStatus {
	e.t.Helper()
	all, err := e.db.ConnectorStatuses(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, s := range all {
		if s.Connector == name {
			return s
		}
	}
	return core.ConnectorStatus{Counts: map[string]int64{}}
}

// waitCount polls until the connector's counter reaches want.
func (e *env) waitCount(name, counter string, want int64) {
	e.t.Helper()
	e.waitFor(fmt.Sprintf("%s %s = %d", name, counter, want), func() bool {
		return e.status(name).Counts[counter] >= want
	})
	if got := e.status(name).Counts[counter]; got != want {
		e.t.Fatalf("%s %s = %d, want %d", name, counter, got, want)
	}
}

// waitFor polls cond until it holds or e.patience passes.
func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	wait.Within(e.t, e.patience, what, cond)
}

// checkpoint returns the saved position of a folder.
func (e *env) checkpoint(name, folder string) string {
	e.t.Helper()
	v, err := e.db.LoadCheckpoint(e.ctx, name, folder)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// leads lists every lead, newest first.
func (e *env) leads() []core.Lead {
	e.t.Helper()
	ls, err := e.db.ListLeads(e.ctx, core.LeadFilter{Limit: 10000})
	if err != nil {
		e.t.Fatal(err)
	}
	return ls
}

// mail builds a plain message; headers are "Name: value" lines added
// after the standard ones (a Date: or Message-ID: there replaces the
// default; "-Date" drops it).
func msg(from, subject, body string, headers ...string) string {
	var b strings.Builder
	std := map[string]string{
		"From":       from,
		"To":         "Sales <" + testUser + ">",
		"Subject":    subject,
		"Date":       time.Now().UTC().Format(time.RFC1123Z),
		"Message-ID": "<" + strings.ToLower(rand8()) + "@test.example>",
	}
	order := []string{"From", "To", "Subject", "Date", "Message-ID"}
	var extra []string
	for _, h := range headers {
		if name, ok := strings.CutPrefix(h, "-"); ok {
			delete(std, name)
			continue
		}
		name, value, _ := strings.Cut(h, ": ")
		if _, ok := std[name]; ok {
			std[name] = value
			continue
		}
		extra = append(extra, h)
	}
	for _, k := range order {
		if v, ok := std[k]; ok {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	for _, h := range extra {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	b.WriteString(strings.ReplaceAll(body, "\n", "\r\n") + "\r\n")
	return b.String()
}

var seq struct {
	sync.Mutex
	n int
}

func rand8() string {
	seq.Lock()
	defer seq.Unlock()
	seq.n++
	return fmt.Sprintf("m%d.%d", time.Now().UnixNano(), seq.n)
}

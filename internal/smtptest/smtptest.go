// Package smtptest runs a real SMTP server (emersion/go-smtp) in the test
// process that accepts every message and records it, so tests can send
// mail over the wire and read back exactly what was delivered.
package smtptest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/mail"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"leadwire/internal/mailauth"
)

// Message is one delivered message.
type Message struct {
	From string
	To   []string
	Raw  []byte
}

// Parsed parses the raw message with net/mail.
func (m Message) Parsed(t testing.TB) *mail.Message {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		t.Fatalf("delivered message does not parse: %v\n%s", err, m.Raw)
	}
	return msg
}

// Server is a recording SMTP server on a loopback port.
type Server struct {
	Host string
	Port int
	// Username and Password are the credentials it accepts (AUTH PLAIN
	// over the plain connection).
	Username, Password string

	mu       sync.Mutex
	messages []Message
	reject   map[string]int // recipient → SMTP code to refuse it with
	refuse   int            // SMTP code to refuse every session with, 0: none
	oauth    func(user, token string) error
	mechs    []string
	notify   chan struct{}
	srv      *smtp.Server
	listener net.Listener
}

// Start starts a server closed at the end of the test.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{Username: "leadwire", Password: "secret", reject: map[string]int{}, notify: make(chan struct{}, 1)}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().(*net.TCPAddr)
	s.Host, s.Port = "127.0.0.1", addr.Port
	s.srv, s.listener = srv, l
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// Stop closes the server: its port refuses connections, as an unreachable
// relay's does. The listener is closed by hand, since a server closed
// before Serve began would still accept on it.
func (s *Server) Stop() {
	_ = s.listener.Close()
	_ = s.srv.Close()
}

// Reject makes the server refuse a recipient with code (550: permanent,
// 450: temporary).
func (s *Server) Reject(rcpt string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject[rcpt] = code
}

// Refuse makes the server refuse every session with code at EHLO (421:
// the service is unavailable, 554: no SMTP service here), as a relay that
// is down or misconfigured does; 0 serves again.
func (s *Server) Refuse(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = code
}

// AcceptOAuth makes the server take OAuth tokens over mechs
// (mailauth.XOAuth2, mailauth.OAuthBearer) instead of passwords, checked
// by check (an identity provider's).
func (s *Server) AcceptOAuth(mechs []string, check func(user, token string) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mechs, s.oauth = mechs, check
}

// Messages returns what was delivered so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Delivered is signalled after each delivery.
func (s *Server) Delivered() <-chan struct{} { return s.notify }

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) {
	b.s.mu.Lock()
	code := b.s.refuse
	b.s.mu.Unlock()
	if code != 0 {
		return nil, &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 3, 0}, Message: "service not available"}
	}
	return &session{s: b.s}, nil
}

type session struct {
	s    *Server
	auth bool
	msg  Message
}

func (ss *session) AuthMechanisms() []string {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.oauth != nil {
		return ss.s.mechs
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	ss.s.mu.Lock()
	check := ss.s.oauth
	ss.s.mu.Unlock()
	if check != nil {
		ok := func(user, token string) error {
			if err := check(user, token); err != nil {
				return err
			}
			ss.auth = true
			return nil
		}
		switch mech {
		case mailauth.OAuthBearer:
			return mailauth.NewOAuthBearerServer(ok), nil
		case mailauth.XOAuth2:
			return mailauth.NewXOAuth2Server(ok), nil
		}
		return nil, errors.New("mechanism not offered")
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.Username || password != ss.s.Password {
			return errors.New("invalid credentials")
		}
		ss.auth = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.auth {
		return smtp.ErrAuthRequired
	}
	ss.msg = Message{From: from}
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	code := ss.s.reject[to]
	ss.s.mu.Unlock()
	if code != 0 {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1}, Message: "no such user"}
	}
	ss.msg.To = append(ss.msg.To, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.msg.Raw = raw
	ss.s.mu.Lock()
	ss.s.messages = append(ss.s.messages, ss.msg)
	ss.s.mu.Unlock()
	select {
	case ss.s.notify <- struct{}{}:
	default:
	}
	return nil
}

func (ss *session) Reset()        { ss.msg = Message{} }
func (ss *session) Logout() error { return nil }

// Package mail sends leadwire's own email over SMTP: digests to managers
// and sequence steps to contacts. It composes proper MIME with
// emersion/go-message (RFC 2047 subjects and names, quoted-printable UTF-8
// bodies, a text alternative beside HTML, inline images by Content-ID)
// and delivers with emersion/go-smtp.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"leadwire/core"
	"leadwire/internal/mailauth"
)

// Config is an SMTP submission server and the sender leadwire writes as.
type Config struct {
	Host     string
	Port     int
	TLS      core.TLSMode // core.TLSStartTLS (""), core.TLSImplicit or core.TLSNone
	Username string       // empty: no authentication
	Password string
	// Auth is how it signs in: mailauth.Password ("") or mailauth.OAuth2
	// with OAuth's settings and Tokens to present.
	Auth   mailauth.Kind
	OAuth  mailauth.Settings
	Tokens Tokens       // required with mailauth.OAuth2
	From   mail.Address // the default sender
	// HelloName is the name given in EHLO; default the From domain.
	HelloName string
	// Timeout bounds a whole delivery; default 30 s.
	Timeout time.Duration
	// TLSConfig overrides the TLS settings (tests with their own CA).
	TLSConfig *tls.Config
	// Status, when set, is told how each delivery went, under the
	// connector name Sender.Connector: `leadwire connectors status`,
	// /metrics and the connector alerts show it. core.Service is one.
	Status Status
}

// Status records how deliveries go.
type Status interface {
	// Sent records that the server answered a delivery: counter "sent",
	// or "refused" and "deferred" for a recipient it would not take now
	// or ever. The server works, so any error it had is cleared.
	Sent(ctx context.Context, connector, counter string) error
	// ConnectorError records that the server could not be reached or
	// would not take mail at all (down, TLS, login).
	ConnectorError(ctx context.Context, connector string, err error) error
}

var _ Status = (*core.Connectors)(nil)

// relayError is a failure of the server itself rather than a refusal of
// one message: it could not be reached, would not talk TLS, refused the
// login, or closed the session.
type relayError struct{ error }

func (e relayError) Unwrap() error { return e.error }

// Message is an email to send. Text is required; HTML, when set, is its
// alternative, and Inline holds the images its cid: URLs refer to.
type Message struct {
	From    mail.Address // zero: the configured sender
	ReplyTo []mail.Address
	To      []mail.Address
	Subject string
	Text    string
	HTML    string
	Inline  []Inline
	// MessageID without angle brackets; generated when empty.
	MessageID  string
	InReplyTo  string   // a Message-ID, without angle brackets
	References []string // Message-IDs, oldest first
	// Header holds extra header fields (List-Unsubscribe, Auto-Submitted).
	Header map[string]string
	Date   time.Time // zero: now
}

// Inline is an image an HTML body shows with <img src="cid:ID">.
type Inline struct {
	ContentID   string // without angle brackets
	ContentType string // image/png
	Name        string
	Data        []byte
}

// Compose renders m as an RFC 5322 message. It sets m.MessageID when it
// was empty.
func Compose(m *Message, defaultFrom mail.Address) ([]byte, error) {
	if len(m.To) == 0 {
		return nil, errors.New("compose mail: no recipient")
	}
	from := m.From
	if from.Address == "" {
		from = defaultFrom
	}
	if from.Address == "" {
		return nil, errors.New("compose mail: no sender; set smtp.from")
	}
	if m.MessageID == "" {
		m.MessageID = NewMessageID(from.Address)
	}
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	var h gomail.Header
	h.SetDate(date)
	h.SetAddressList("From", []*mail.Address{&from})
	h.SetAddressList("To", addrs(m.To))
	if len(m.ReplyTo) > 0 {
		h.SetAddressList("Reply-To", addrs(m.ReplyTo))
	}
	h.SetSubject(strings.TrimSpace(strings.ReplaceAll(m.Subject, "\n", " ")))
	h.SetMessageID(m.MessageID)
	if m.InReplyTo != "" {
		h.SetMsgIDList("In-Reply-To", []string{m.InReplyTo})
	}
	if len(m.References) > 0 {
		h.SetMsgIDList("References", m.References)
	}
	for k, v := range m.Header {
		if strings.ContainsAny(k+v, "\r\n") {
			return nil, fmt.Errorf("compose mail: header %s holds a line break", k)
		}
		h.Set(k, v)
	}
	h.Set("MIME-Version", "1.0")

	var buf bytes.Buffer
	if m.HTML == "" {
		h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		w, err := message.CreateWriter(&buf, h.Header)
		if err != nil {
			return nil, fmt.Errorf("compose mail: %w", err)
		}
		if err := writeClose(w, m.Text); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	h.SetContentType("multipart/alternative", nil)
	alt, err := message.CreateWriter(&buf, h.Header)
	if err != nil {
		return nil, fmt.Errorf("compose mail: %w", err)
	}
	if err := textPart(alt, "text/plain", m.Text); err != nil {
		return nil, err
	}
	if len(m.Inline) == 0 {
		if err := textPart(alt, "text/html", m.HTML); err != nil {
			return nil, err
		}
	} else {
		var rh message.Header
		rh.SetContentType("multipart/related", map[string]string{"type": "text/html"})
		rel, err := alt.CreatePart(rh)
		if err != nil {
			return nil, fmt.Errorf("compose mail: %w", err)
		}
		if err := textPart(rel, "text/html", m.HTML); err != nil {
			return nil, err
		}
		for _, in := range m.Inline {
			var ih message.Header
			ih.SetContentType(in.ContentType, nil)
			ih.SetContentDisposition("inline", map[string]string{"filename": in.Name})
			ih.Set("Content-ID", "<"+in.ContentID+">")
			ih.Set("Content-Transfer-Encoding", "base64")
			w, err := rel.CreatePart(ih)
			if err != nil {
				return nil, fmt.Errorf("compose mail: %w", err)
			}
			if _, err := w.Write(in.Data); err != nil {
				return nil, fmt.Errorf("compose mail: %w", err)
			}
			if err := w.Close(); err != nil {
				return nil, fmt.Errorf("compose mail: %w", err)
			}
		}
		if err := rel.Close(); err != nil {
			return nil, fmt.Errorf("compose mail: %w", err)
		}
	}
	if err := alt.Close(); err != nil {
		return nil, fmt.Errorf("compose mail: %w", err)
	}
	return buf.Bytes(), nil
}

func textPart(parent *message.Writer, typ, body string) error {
	var ph message.Header
	ph.SetContentType(typ, map[string]string{"charset": "utf-8"})
	ph.Set("Content-Transfer-Encoding", "quoted-printable")
	w, err := parent.CreatePart(ph)
	if err != nil {
		return fmt.Errorf("compose mail: %w", err)
	}
	return writeClose(w, body)
}

func writeClose(w io.WriteCloser, body string) error {
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := io.WriteString(w, body); err != nil {
		return fmt.Errorf("compose mail: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("compose mail: %w", err)
	}
	return nil
}

func addrs(as []mail.Address) []*mail.Address {
	out := make([]*mail.Address, len(as))
	for i := range as {
		out[i] = &as[i]
	}
	return out
}

// NewMessageID returns a unique Message-ID (without angle brackets) on
// the sender's domain, so replies thread back to it.
func NewMessageID(from string) string {
	domain := "leadwire.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = from[i+1:]
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return strconv.FormatInt(time.Now().UnixNano(), 36) + "." + hex.EncodeToString(b[:]) + "@" + domain
}

// Sender delivers messages to one SMTP server.
type Sender struct {
	cfg Config
}

// CheckServer validates the keys that say where the submission server is
// and how the connection is secured (host, port, tls) and fills in their
// defaults. Its errors are *core.SettingError, joined: the config file
// reports them at the smtp keys, and NewSender refuses cfg with them.
func (c *Config) CheckServer() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &core.SettingError{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	c.Host = strings.TrimSpace(c.Host)
	if c.Host == "" {
		bad("host", "outgoing mail needs the submission server's host, such as smtp.example.com")
	} else if strings.ContainsAny(c.Host, "/@ ") || strings.Count(c.Host, ":") == 1 {
		bad("host", "invalid host %q; give the name alone, such as smtp.example.com, and the port under port", c.Host)
	}
	mode, err := core.ParseTLSMode(string(c.TLS), core.TLSStartTLS)
	switch {
	case err != nil:
		bad("tls", "%s", core.Message(err))
	case mode == core.TLSNone && c.Host != "" && !core.IsLoopbackHost(c.Host):
		bad("tls", "tls: none would send the password and the mail unencrypted; it is allowed only for a loopback relay (localhost, 127.0.0.1, ::1), not %s; use starttls or tls", c.Host)
	}
	if err == nil {
		c.TLS = mode
	}
	if c.Port == 0 {
		c.Port = 587
		if c.TLS == core.TLSImplicit {
			c.Port = 465
		}
	} else if c.Port < 1 || c.Port > 65535 {
		bad("port", "invalid port %d; use a number from 1 to 65535 (usually 587 with starttls, 465 with tls)", c.Port)
	}
	return errors.Join(errs...)
}

// NewSender checks cfg and returns a Sender; it does not connect.
func NewSender(cfg Config) (*Sender, error) {
	if err := cfg.CheckAuth(); err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	if cfg.Host == "" {
		return nil, errors.New("smtp: no host")
	}
	if err := cfg.CheckServer(); err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	if cfg.Auth == mailauth.OAuth2 && cfg.Tokens == nil {
		return nil, errors.New("smtp: auth: oauth2 needs a token source")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.HelloName == "" {
		cfg.HelloName = "localhost"
		if i := strings.LastIndexByte(cfg.From.Address, '@'); i >= 0 {
			cfg.HelloName = cfg.From.Address[i+1:]
		}
	}
	return &Sender{cfg: cfg}, nil
}

// From is the configured sender.
func (s *Sender) From() mail.Address { return s.cfg.From }

// Connector names the server in connector statuses: "smtp:mail.example.com".
func (s *Sender) Connector() string { return core.SMTPConnector(s.cfg.Host) }

// Send composes m and delivers it; it returns the Message-ID used. A
// refusal of the server for a recipient or the message (a 5xx reply) is
// an *smtp.SMTPError the caller may treat as final.
func (s *Sender) Send(ctx context.Context, m *Message) (string, error) {
	raw, err := Compose(m, s.cfg.From)
	if err != nil {
		return "", err
	}
	return m.MessageID, s.sendRaw(ctx, m, raw)
}

// sendRaw delivers m composed as raw.
func (s *Sender) sendRaw(ctx context.Context, m *Message, raw []byte) error {
	from := m.From.Address
	if from == "" {
		from = s.cfg.From.Address
	}
	to := make([]string, len(m.To))
	for i, a := range m.To {
		to[i] = a.Address
	}
	err := s.deliver(ctx, from, to, raw)
	if serr := s.record(ctx, err); serr != nil && err != nil {
		// A delivery that went through is not failed for its status:
		// that would send it again.
		err = errors.Join(err, serr)
	}
	return err
}

// record tells Status how a delivery went.
func (s *Sender) record(ctx context.Context, err error) error {
	if s.cfg.Status == nil || ctx.Err() != nil {
		return nil
	}
	var relay relayError
	switch {
	case err == nil:
		return s.cfg.Status.Sent(ctx, s.Connector(), "sent")
	case errors.As(err, &relay):
		return s.cfg.Status.ConnectorError(ctx, s.Connector(), err)
	case Permanent(err):
		return s.cfg.Status.Sent(ctx, s.Connector(), "refused")
	}
	return s.cfg.Status.Sent(ctx, s.Connector(), "deferred")
}

func (s *Sender) deliver(ctx context.Context, from string, to []string, raw []byte) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	tlsConfig := s.cfg.TLSConfig
	if tlsConfig == nil {
		tlsConfig = &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return relayError{fmt.Errorf("smtp %s: %w", addr, err)}
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()

	var c *smtp.Client
	switch s.cfg.TLS {
	case core.TLSImplicit:
		c = smtp.NewClient(tls.Client(conn, tlsConfig))
	case core.TLSStartTLS:
		if c, err = smtp.NewClientStartTLS(conn, tlsConfig); err != nil {
			_ = conn.Close()
			return relayError{fmt.Errorf("smtp %s: starttls: %w", addr, err)}
		}
	default:
		c = smtp.NewClient(conn)
	}
	defer c.Close()
	if err := c.Hello(s.cfg.HelloName); err != nil {
		return relayError{fmt.Errorf("smtp %s: %w", addr, err)}
	}
	if s.cfg.Auth == mailauth.OAuth2 {
		if err := s.authenticate(ctx, c, addr); err != nil {
			return relayError{err}
		}
	} else if s.cfg.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.cfg.Username, s.cfg.Password)); err != nil {
			return relayError{fmt.Errorf("smtp %s: log in as %s: %w (check smtp.username and smtp.password)", addr, s.cfg.Username, err)}
		}
	}
	if err := c.SendMail(from, to, bytes.NewReader(raw)); err != nil {
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code == 421 {
			// The connection broke, or the server is closing: not this
			// message's fault.
			return relayError{fmt.Errorf("smtp %s: send: %w", addr, err)}
		}
		return fmt.Errorf("smtp %s: send: %w", addr, err)
	}
	if err := c.Quit(); err != nil {
		return fmt.Errorf("smtp %s: quit: %w", addr, err)
	}
	return nil
}

// Permanent reports whether err is a refusal retrying will not change:
// an SMTP 5xx reply to the message or a recipient. The server's own
// trouble (a refused login, no service) is not, whatever its code: it is
// mended on the server or in the config, and the mail goes out then.
func Permanent(err error) bool {
	var se *smtp.SMTPError
	var relay relayError
	return errors.As(err, &se) && se.Code >= 500 && !errors.As(err, &relay)
}

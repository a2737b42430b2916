package mail_test

import (
	"bytes"
	"context"
	"io"
	"net/mail"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	lwmail "leadwire/bot/mail"
	"leadwire/core"
	"leadwire/internal/smtptest"
)

func sender(t *testing.T, srv *smtptest.Server) *lwmail.Sender {
	t.Helper()
	s, err := lwmail.NewSender(lwmail.Config{
		Host: srv.Host, Port: srv.Port, TLS: core.TLSNone,
		Username: srv.Username, Password: srv.Password,
		From: mail.Address{Name: "Anna Kowalska", Address: "anna@example.pl"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// parts reads every leaf part of a delivered message: content type → body.
func parts(t *testing.T, raw []byte) (*gomail.Header, map[string]string, map[string]string) {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read delivered mail: %v", err)
	}
	bodies, cids := map[string]string{}, map[string]string{}
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p.Body)
		ct, _, _ := p.Header.(interface {
			ContentType() (string, map[string]string, error)
		}).ContentType()
		bodies[ct] = string(b)
		if id := p.Header.Get("Content-Id"); id != "" {
			cids[id] = ct
		}
	}
	return &r.Header, bodies, cids
}

func TestSendHTMLWithInlineChart(t *testing.T) {
	srv := smtptest.Start(t)
	s := sender(t, srv)
	png := []byte("\x89PNG\r\n\x1a\nnot really")
	m := &lwmail.Message{
		To:         []mail.Address{{Name: "Nguyễn Văn An", Address: "an@example.vn"}},
		Subject:    "สรุปประจำวัน — Daily digest 2026-11-25",
		Text:       "New leads: 3\nผู้มุ่งหวังใหม่ 3 ราย\n",
		HTML:       `<p>ผู้มุ่งหวังใหม่ <b>3</b></p><img src="cid:forecast@leadwire">`,
		Inline:     []lwmail.Inline{{ContentID: "forecast@leadwire", ContentType: "image/png", Name: "forecast.png", Data: png}},
		InReplyTo:  "first@example.pl",
		References: []string{"first@example.pl"},
		Header:     map[string]string{"List-Unsubscribe": "<https://crm.example/u/abc>", "Auto-Submitted": "auto-generated"},
		Date:       time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC),
	}
	id, err := s.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(id, "@example.pl") {
		t.Errorf("Message-ID %q is not on the sender's domain", id)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("delivered %d messages, want 1", len(got))
	}
	if got[0].From != "anna@example.pl" || len(got[0].To) != 1 || got[0].To[0] != "an@example.vn" {
		t.Errorf("envelope %s → %v", got[0].From, got[0].To)
	}
	h, bodies, cids := parts(t, got[0].Raw)
	subject, err := h.Subject()
	if err != nil || subject != m.Subject {
		t.Errorf("subject %q (%v), want %q", subject, err, m.Subject)
	}
	to, _ := h.AddressList("To")
	if len(to) != 1 || to[0].Name != "Nguyễn Văn An" {
		t.Errorf("To = %v", to)
	}
	if mid, _ := h.MessageID(); mid != id {
		t.Errorf("Message-ID header %q, Send returned %q", mid, id)
	}
	if irt, _ := h.MsgIDList("In-Reply-To"); len(irt) != 1 || irt[0] != "first@example.pl" {
		t.Errorf("In-Reply-To = %v", irt)
	}
	if h.Get("List-Unsubscribe") != "<https://crm.example/u/abc>" {
		t.Errorf("List-Unsubscribe = %q", h.Get("List-Unsubscribe"))
	}
	if !strings.Contains(bodies["text/plain"], "ผู้มุ่งหวังใหม่ 3 ราย") {
		t.Errorf("text part = %q", bodies["text/plain"])
	}
	if !strings.Contains(bodies["text/html"], "<b>3</b>") {
		t.Errorf("html part = %q", bodies["text/html"])
	}
	if bodies["image/png"] != string(png) || cids["<forecast@leadwire>"] != "image/png" {
		t.Errorf("inline image missing or changed: %q %v", bodies["image/png"], cids)
	}
}

func TestSendPlainText(t *testing.T) {
	srv := smtptest.Start(t)
	s := sender(t, srv)
	if _, err := s.Send(context.Background(), &lwmail.Message{
		To: []mail.Address{{Address: "x@example.com"}}, Subject: "Hi", Text: "line one\nline two",
	}); err != nil {
		t.Fatal(err)
	}
	msg := srv.Messages()[0].Parsed(t)
	if ct := msg.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestSendRefusals(t *testing.T) {
	srv := smtptest.Start(t)
	srv.Reject("gone@example.com", 550)
	srv.Reject("busy@example.com", 451)
	s := sender(t, srv)
	ctx := context.Background()
	_, err := s.Send(ctx, &lwmail.Message{To: []mail.Address{{Address: "gone@example.com"}}, Subject: "x", Text: "x"})
	if err == nil || !lwmail.Permanent(err) {
		t.Errorf("550 recipient: err %v, want a permanent error", err)
	}
	_, err = s.Send(ctx, &lwmail.Message{To: []mail.Address{{Address: "busy@example.com"}}, Subject: "x", Text: "x"})
	if err == nil || lwmail.Permanent(err) {
		t.Errorf("451 recipient: err %v, want a temporary error", err)
	}

	bad, _ := lwmail.NewSender(lwmail.Config{Host: srv.Host, Port: srv.Port, TLS: core.TLSNone, Username: "leadwire", Password: "wrong", From: mail.Address{Address: "a@example.com"}})
	if _, err := bad.Send(ctx, &lwmail.Message{To: []mail.Address{{Address: "x@example.com"}}, Subject: "x", Text: "x"}); err == nil || !strings.Contains(err.Error(), "smtp.password") {
		t.Errorf("wrong password: err %v, want one naming smtp.password", err)
	}
	if _, err := s.Send(ctx, &lwmail.Message{To: []mail.Address{{Address: "x@example.com"}}, Subject: "x", Text: "x", Header: map[string]string{"X-Injected": "a\r\nBcc: victim@example.com"}}); err == nil {
		t.Error("a header with a line break was sent")
	}
	if len(srv.Messages()) != 0 {
		t.Errorf("%d messages delivered, want none", len(srv.Messages()))
	}
	if _, err := s.Send(ctx, &lwmail.Message{Subject: "x", Text: "x"}); err == nil {
		t.Error("a message without recipients was sent")
	}
}

func FuzzCompose(f *testing.F) {
	f.Add("Subject ผู้มุ่งหวัง", "body\nمتن", "<p>x</p>", "Ömer <b>")
	f.Fuzz(func(t *testing.T, subject, text, html, name string) {
		raw, err := lwmail.Compose(&lwmail.Message{
			To: []mail.Address{{Name: name, Address: "x@example.com"}}, Subject: subject, Text: text, HTML: html,
		}, mail.Address{Address: "a@example.com"})
		if err != nil {
			return
		}
		if _, err := gomail.CreateReader(bytes.NewReader(raw)); err != nil {
			t.Fatalf("composed mail does not read back: %v", err)
		}
	})
}

// statusLog records what a Sender reports of its deliveries.
type statusLog struct{ lines []string }

func (l *statusLog) Sent(_ context.Context, connector, counter string) error {
	l.lines = append(l.lines, connector+" "+counter)
	return nil
}

func (l *statusLog) ConnectorError(_ context.Context, connector string, err error) error {
	l.lines = append(l.lines, connector+" failing: "+err.Error())
	return nil
}

// TestSendReportsHowTheServerIsDoing: every delivery tells the status of
// the smtp connector; the server's own trouble (unreachable, refusing
// sessions, refusing the login) is its error, a recipient's refusal is
// not, and neither kind of server trouble counts as a final refusal of
// the mail, whatever its code.
func TestSendReportsHowTheServerIsDoing(t *testing.T) {
	ctx := context.Background()
	srv := smtptest.Start(t)
	srv.Reject("gone@example.com", 550)
	dead := smtptest.Start(t)
	dead.Stop()
	tests := []struct {
		name      string
		srv       *smtptest.Server
		refuse    int
		password  string
		to        string
		status    string // what the Sender reports
		permanent bool
	}{
		{"a delivery is a sync", srv, 0, "", "x@example.com", "smtp:127.0.0.1 sent", false},
		{"a recipient refused is no trouble of the server's", srv, 0, "", "gone@example.com", "smtp:127.0.0.1 refused", true},
		{"an unreachable server is failing", dead, 0, "", "x@example.com", "smtp:127.0.0.1 failing: smtp 127.0.0.1:", false},
		{"a server refusing sessions is failing", srv, 421, "", "x@example.com", "smtp:127.0.0.1 failing: smtp 127.0.0.1:", false},
		{"a server with no service for us is failing, not refusing the mail", srv, 554, "", "x@example.com", "smtp:127.0.0.1 failing: smtp 127.0.0.1:", false},
		{"a refused login is failing, not refusing the mail", srv, 0, "wrong", "x@example.com", "smtp:127.0.0.1 failing: smtp 127.0.0.1:", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.Refuse(tt.refuse)
			defer srv.Refuse(0)
			status := &statusLog{}
			s, err := lwmail.NewSender(lwmail.Config{Host: tt.srv.Host, Port: tt.srv.Port, TLS: core.TLSNone, Username: tt.srv.Username,
				Password: cmpOr(tt.password, tt.srv.Password), From: mail.Address{Address: "anna@example.pl"}, Status: status})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Send(ctx, &lwmail.Message{To: []mail.Address{{Address: tt.to}}, Subject: "x", Text: "x"})
			if len(status.lines) != 1 || !strings.HasPrefix(status.lines[0], tt.status) {
				t.Errorf("status %q, want %q… (send: %v)", status.lines, tt.status, err)
			}
			if lwmail.Permanent(err) != tt.permanent {
				t.Errorf("Permanent(%v) = %v", err, !tt.permanent)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestNewSenderRefusesUnsafeOrInvalidSettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  lwmail.Config
		want string
	}{
		{"plaintext to a remote relay is refused", lwmail.Config{Host: "smtp.example.com", TLS: core.TLSNone}, "only for a loopback relay"},
		{"an unknown tls mode suggests the right one", lwmail.Config{Host: "smtp.example.com", TLS: "startls"}, "did you mean starttls?"},
		{"a host with a port is refused", lwmail.Config{Host: "smtp.example.com:587"}, "port under port"},
		{"a port out of range is refused", lwmail.Config{Host: "smtp.example.com", Port: 70000}, "1 to 65535"},
		{"no host is refused", lwmail.Config{}, "no host"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := lwmail.NewSender(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewSender: %v, want an error about %q", err, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		cfg  lwmail.Config
		want core.TLSMode
		port int
	}{
		{"STARTTLS on 587 is the default", lwmail.Config{Host: "smtp.example.com"}, core.TLSStartTLS, 587},
		{"implicit TLS defaults to 465", lwmail.Config{Host: "smtp.example.com", TLS: "TLS"}, core.TLSImplicit, 465},
		{"plaintext to a loopback relay is allowed", lwmail.Config{Host: "127.0.0.1", TLS: core.TLSNone, Port: 2525}, core.TLSNone, 2525},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			if err := cfg.CheckServer(); err != nil || cfg.TLS != tc.want || cfg.Port != tc.port {
				t.Errorf("CheckServer: %v, tls %q port %d; want %q on %d", err, cfg.TLS, cfg.Port, tc.want, tc.port)
			}
		})
	}
}

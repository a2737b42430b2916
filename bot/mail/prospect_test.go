package mail_test

import (
	"bytes"
	"context"
	"errors"
	"net/mail"
	"strings"
	"testing"
	"time"

	lwmail "leadwire/bot/mail"
	"leadwire/core"
	"leadwire/internal/smtptest"
)

// sentCopies records the copies a ProspectMailer keeps.
type sentCopies struct {
	mailbox []string
	raw     [][]byte
	err     error
}

func (s *sentCopies) CopyToSent(_ context.Context, mailbox string, raw []byte, _ time.Time) error {
	s.mailbox, s.raw = append(s.mailbox, mailbox), append(s.raw, raw)
	return s.err
}

func TestProspectMailerSendsThreadedRepliesAndKeepsACopy(t *testing.T) {
	ctx := context.Background()
	reply := core.ProspectMessage{Channel: core.ChannelEmail, To: "anna@example.pl", ToName: "Anna Nowak", Text: "Tak, wysyłamy w piątek.",
		From: mail.Address{Name: "Niran", Address: "niran@siam-sales.example"}, Subject: "Re: Oferta", MessageID: "reply.1@siam-sales.example",
		InReplyTo: "m2@example.pl", References: []string{"m1@example.pl", "m2@example.pl"}, Date: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC), Mailbox: "sales"}

	t.Run("from the owner, threaded, with the same bytes in the mailbox's Sent folder", func(t *testing.T) {
		srv := smtptest.Start(t)
		copies := &sentCopies{}
		p := lwmail.ProspectMailer{S: sender(t, srv), Sent: copies}
		if err := p.SendToProspect(ctx, reply); err != nil {
			t.Fatal(err)
		}
		got := srv.Messages()
		if len(got) != 1 || got[0].From != "niran@siam-sales.example" {
			t.Fatalf("delivered %+v", got)
		}
		h := got[0].Parsed(t).Header
		for k, want := range map[string]string{"Message-Id": "<reply.1@siam-sales.example>", "In-Reply-To": "<m2@example.pl>",
			"References": "<m1@example.pl> <m2@example.pl>", "Subject": "Re: Oferta"} {
			if h.Get(k) != want {
				t.Errorf("%s: %q, want %q", k, h.Get(k), want)
			}
		}
		if len(copies.mailbox) != 1 || copies.mailbox[0] != "sales" {
			t.Fatalf("copies %v, want one in sales", copies.mailbox)
		}
		kept, err := mail.ReadMessage(bytes.NewReader(copies.raw[0]))
		if err != nil || kept.Header.Get("Message-Id") != h.Get("Message-Id") || !bytes.Contains(got[0].Raw, copies.raw[0][len(copies.raw[0])-40:]) {
			t.Errorf("the copy is not the message sent: %v\n%s", err, copies.raw[0])
		}
	})
	t.Run("a lead from no mailbox keeps no copy", func(t *testing.T) {
		srv := smtptest.Start(t)
		copies := &sentCopies{}
		m := reply
		m.Mailbox = ""
		if err := (lwmail.ProspectMailer{S: sender(t, srv), Sent: copies}).SendToProspect(ctx, m); err != nil || len(copies.mailbox) != 0 {
			t.Fatalf("err %v, copies %v", err, copies.mailbox)
		}
	})
	t.Run("a copy that fails does not fail the sent mail", func(t *testing.T) {
		srv := smtptest.Start(t)
		copies := &sentCopies{err: errors.New("imap down")}
		if err := (lwmail.ProspectMailer{S: sender(t, srv), Sent: copies}).SendToProspect(ctx, reply); err != nil {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("a recipient the server refuses is undeliverable, with its reason", func(t *testing.T) {
		srv := smtptest.Start(t)
		srv.Reject("anna@example.pl", 550)
		err := (lwmail.ProspectMailer{S: sender(t, srv)}).SendToProspect(ctx, reply)
		if !errors.Is(err, core.ErrUndeliverable) || !strings.Contains(err.Error(), "refused") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("a server that is away is retried, not undeliverable", func(t *testing.T) {
		srv := smtptest.Start(t)
		s := sender(t, srv)
		srv.Stop()
		err := (lwmail.ProspectMailer{S: s}).SendToProspect(ctx, reply)
		if err == nil || errors.Is(err, core.ErrUndeliverable) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("with OAuth, the reply signs in with a token", func(t *testing.T) {
		srv := smtptest.Start(t)
		srv.AcceptOAuth([]string{"XOAUTH2"}, func(user, token string) error {
			if token != "good" {
				return context.DeadlineExceeded
			}
			return nil
		})
		if err := (lwmail.ProspectMailer{S: oauthSender(t, srv, &fixedTokens{tokens: []string{"good"}})}).SendToProspect(ctx, reply); err != nil {
			t.Fatal(err)
		}
		if len(srv.Messages()) != 1 {
			t.Fatalf("%d delivered", len(srv.Messages()))
		}
	})
}

package mail

import (
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"time"

	"leadwire/core"
)

// SentCopier keeps a copy of a message sent for an IMAP mailbox in its
// Sent folder (connectors/email.SentFolders implements it).
type SentCopier interface {
	CopyToSent(ctx context.Context, mailbox string, raw []byte, at time.Time) error
}

// ProspectMailer sends reps' replies to email prospects
// (core.ProspectSender): from the owner, through the configured smtp
// server (signing in with OAuth where configured), threaded on the
// prospect's message; when the lead came from an IMAP mailbox, a copy
// goes to that mailbox's Sent folder so the team's mail client shows it.
// A refusal (5xx) is core.Undeliverable with the server's reason.
type ProspectMailer struct {
	S    *Sender
	Sent SentCopier   // nil: no copies
	Log  *slog.Logger // nil: none
}

var _ core.ProspectSender = ProspectMailer{}

// SendToProspect implements core.ProspectSender.
func (p ProspectMailer) SendToProspect(ctx context.Context, m core.ProspectMessage) error {
	if m.Channel != core.ChannelEmail {
		return core.Undeliverable(fmt.Errorf("the mail sender cannot reach %s", m.Channel))
	}
	if m.To == "" {
		return core.Undeliverable(core.Fail(core.KindInvalid, "term.undelivered.no_email", "the prospect has no email address"))
	}
	msg := &Message{From: m.From, To: []mail.Address{{Name: m.ToName, Address: m.To}}, Subject: m.Subject, Text: m.Text,
		MessageID: m.MessageID, InReplyTo: m.InReplyTo, References: m.References, Date: m.Date}
	raw, err := Compose(msg, p.S.From())
	if err != nil {
		return core.Permanent(err)
	}
	if err := p.S.sendRaw(ctx, msg, raw); err != nil {
		if Permanent(err) {
			return core.Undeliverable(fmt.Errorf("the mail server refused it: %w", err))
		}
		return err
	}
	if m.Mailbox == "" || p.Sent == nil {
		return nil
	}
	// The mail went out: a failing copy is logged, not retried, which
	// would send the mail again.
	if err := p.Sent.CopyToSent(ctx, m.Mailbox, raw, m.Date); err != nil && p.Log != nil {
		p.Log.Warn("reply sent, but its copy to the mailbox's Sent folder failed", "mailbox", m.Mailbox, "err", err)
	}
	return nil
}

package mail

import (
	"context"
	"net/mail"

	"leadwire/core"
)

// Mailer adapts a Sender to core.Mailer, the port sequence steps are sent
// through: a permanent refusal (5xx) becomes core.ErrUndeliverable.
type Mailer struct{ S *Sender }

var _ core.Mailer = Mailer{}

// DefaultFrom implements core.Mailer.
func (m Mailer) DefaultFrom() mail.Address { return m.S.From() }

// Send implements core.Mailer.
func (m Mailer) Send(ctx context.Context, out core.OutgoingMail) (string, error) {
	msg := &Message{
		From:       out.From,
		To:         []mail.Address{out.To},
		Subject:    out.Subject,
		Text:       out.Text,
		MessageID:  out.MessageID,
		InReplyTo:  out.InReplyTo,
		References: out.References,
		Header:     out.Header,
		Date:       out.Date,
	}
	if out.ReplyTo.Address != "" {
		msg.ReplyTo = []mail.Address{out.ReplyTo}
	}
	id, err := m.S.Send(ctx, msg)
	if err != nil && Permanent(err) {
		return "", core.Undeliverable(err)
	}
	return id, err
}

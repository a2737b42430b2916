package main

import (
	"leadwire/bot/mail"
	"leadwire/connectors/email"
	"leadwire/core"
)

// prospectMailer is the sender of reps' replies to email prospects, nil
// when smtp is not configured: through the smtp server, with copies in
// the Sent folder of the mailbox a lead came from.
func (a *App) prospectMailer(mailboxes []*email.Connector) (core.ProspectSender, error) {
	cfg, svc, t, err := a.smtpParts()
	if err != nil {
		return nil, err
	}
	s, err := smtpSender(cfg, svc.Connectors, t)
	if s == nil || err != nil {
		return nil, err
	}
	sent := email.SentFolders{}
	for _, c := range mailboxes {
		sent[c.Mailbox()] = c
	}
	return mail.ProspectMailer{S: s, Sent: sent, Log: a.Logger().With("part", "replies")}, nil
}

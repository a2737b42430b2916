package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
)

// MaxMailReply is the longest reply, in characters, sent by mail.
const MaxMailReply = 20000

// maxReferences bounds the References header of a reply: the first
// message of the thread and the newest ones are what mail clients use.
const maxReferences = 10

// replyRoute finds where a reply to the contact goes: the channel of their
// newest message, chat or email (last is that email), else their chat
// (chatRoute), else their address when mail is on.
func (s *Service) replyRoute(ctx context.Context, tx Reader, c *Contact) (job ChatReplyJob, last *Activity, err error) {
	acts, err := tx.ListActivities(ctx, ActivityFilter{ContactID: c.ID, Limit: 500})
	if err != nil {
		return ChatReplyJob{}, nil, err
	}
	for i, a := range acts { // newest first
		if a.Kind == ActivityChatIn {
			if _, _, _, ok := chatRef(a.ExternalRef); ok {
				break
			}
		}
		if a.Kind == ActivityEmailIn && len(c.Emails) > 0 {
			return ChatReplyJob{Channel: ChannelEmail, To: c.Emails[0]}, &acts[i], s.mailOn()
		}
	}
	job, err = chatRoute(ctx, tx, c)
	if err == nil || len(c.Emails) == 0 || s.mailOn() != nil {
		return job, nil, err
	}
	return ChatReplyJob{Channel: ChannelEmail, To: c.Emails[0]}, nil, nil
}

// mailOn refuses a reply by mail when no smtp server is configured.
func (s *Service) mailOn() error {
	if slices.Contains(s.settings.Channels, ChannelEmail) {
		return nil
	}
	return Fail(KindInvalid, "error.reply_no_smtp", "the prospect last wrote by email, and leadwire cannot send mail: no smtp server is configured; answer from your mailbox, or ask an admin to set smtp up")
}

// mailReply makes act an email_out reply: from the owner of the lead or
// deal (else the actor), to the contact, threaded on last (the message it
// answers, when there is one) with its Message-ID as ExternalRef, so the
// prospect's answer threads back; job gets the headers and the mailbox
// whose Sent folder keeps a copy.
func (s *Service) mailReply(ctx context.Context, tx Tx, actor *User, c *Contact, leadID, dealID int64, last *Activity, job *ChatReplyJob, act *Activity) error {
	var lead *Lead
	var err error
	if leadID != 0 {
		if lead, err = tx.LeadByID(ctx, leadID); err != nil {
			return err
		}
	}
	owner := actor
	ownerID := int64(0)
	if dealID != 0 {
		d, err := tx.DealByID(ctx, dealID)
		if err != nil {
			return err
		}
		ownerID = d.OwnerID
	} else if lead != nil {
		ownerID = lead.OwnerID
	}
	if ownerID != 0 && ownerID != actor.ID {
		if u, err := tx.UserByID(ctx, ownerID); err == nil && u.Active && u.Email != "" {
			owner = u
		}
	}
	if owner.Email == "" {
		return Fail(KindInvalid, "error.reply_owner_no_email", "a reply by mail goes from the owner's address, and {Name} has none; add an email to the user", "Name", owner.Name)
	}
	job.From, job.FromName, job.ToName = owner.Email, owner.Name, c.Name
	act.Kind = ActivityEmailOut
	act.ExternalRef = replyMessageID(owner.Email)
	if lead != nil && lead.SourceChannel == ChannelEmail {
		job.Mailbox = lead.SourceName
	}
	subject := ""
	if lead != nil {
		subject = lead.Subject
	}
	if last != nil {
		subject = last.Subject
		job.InReplyTo = last.ExternalRef
		job.References, err = threadRefsOf(ctx, tx, c.ID, last)
		if err != nil {
			return err
		}
	}
	act.Subject = replySubject(subject)
	return nil
}

// threadRefsOf lists the References of a reply to last: the Message-IDs
// of the contact's mail on the same record, oldest first, ending with
// last's, at most maxReferences (the first and the newest).
func threadRefsOf(ctx context.Context, tx Reader, contactID int64, last *Activity) ([]string, error) {
	acts, err := tx.ListActivities(ctx, ActivityFilter{ContactID: contactID, Limit: 200})
	if err != nil {
		return nil, err
	}
	var refs []string
	for i := len(acts) - 1; i >= 0; i-- { // oldest first
		a := acts[i]
		same := last.DealID != 0 && a.DealID == last.DealID || last.LeadID != 0 && a.LeadID == last.LeadID
		if a.ExternalRef == "" || a.ID > last.ID || (a.Kind != ActivityEmailIn && a.Kind != ActivityEmailOut) || !same {
			continue
		}
		if !slices.Contains(refs, a.ExternalRef) {
			refs = append(refs, a.ExternalRef)
		}
	}
	if len(refs) > maxReferences {
		refs = append(refs[:1], refs[len(refs)-maxReferences+1:]...)
	}
	return refs, nil
}

// replySubject is "Re: " and the subject answered, once.
func replySubject(subject string) string {
	subject = strings.TrimSpace(subject)
	if subject == "" {
		return "Re: your message"
	}
	if len(subject) >= 3 && strings.EqualFold(subject[:3], "re:") {
		return subject
	}
	return "Re: " + subject
}

// replyMessageID is a new Message-ID (without angle brackets) on the
// domain of from: unique, so the prospect's answer, which quotes it in
// In-Reply-To, finds the reply's activity.
func replyMessageID(from string) string {
	domain := "leadwire.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = from[i+1:]
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "reply." + hex.EncodeToString(b[:]) + "@" + domain
}

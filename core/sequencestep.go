package core

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// SequenceStep runs a SequenceStepJob: in one transaction it checks the
// enrolment is still due (active, deal open, contact subscribed, no reply)
// and marks the step as being sent; then it sends through m; then it
// records the mail on the deal's timeline and enqueues the next step. A
// permanent refusal stops the enrolment; other send errors are returned
// for the job to be retried.
func (s *Sequences) SequenceStep(ctx context.Context, m Mailer, job SequenceStepJob) error {
	var out *OutgoingMail
	err := s.store.Update(ctx, func(tx Tx) error {
		e, err := tx.EnrollmentByID(ctx, job.EnrollmentID)
		if IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if e.Status != EnrollmentActive || e.Step != job.Step || (e.Sending == "" && !e.NextRunAt.Equal(job.At.UTC().Truncate(time.Second))) {
			return nil // stopped, done, or superseded by a later job
		}
		seq, err := s.sequence(e.Sequence)
		if err != nil || e.Step >= len(seq.Steps) {
			return s.stopEnrollment(ctx, tx, e, stopWhy{"the sequence is no longer configured", "unconfigured", nil})
		}
		if m == nil {
			return s.stopEnrollment(ctx, tx, e, stopWhy{"outgoing mail (smtp) is not configured", "no_smtp", nil})
		}
		st, err := s.loadStep(ctx, tx, e)
		if err != nil {
			return err
		}
		key, err := s.sequenceKey(ctx, tx)
		if err != nil {
			return err
		}
		mail, err := s.composeStep(key, seq, e, st, m)
		if err != nil {
			return s.stopEnrollment(ctx, tx, e, stopWhy{err.Error(), "error", Args{"Error": TextArg(err.Error())}})
		}
		if e.Sending != "" {
			// An attempt stopped between sending and recording: the mail
			// may have left, and sending it again could make two. The
			// next step checks again whether to go on.
			mail.MessageID = e.Sending
			return s.recordSent(ctx, tx, e, seq, st, mail, true)
		}
		if why, err := s.stopReason(ctx, tx, e, st); err != nil || why.english != "" {
			if err != nil {
				return err
			}
			return s.stopEnrollment(ctx, tx, e, why)
		}
		now := s.clock.Now()
		if next := seq.Hours.Next(now, s.sendLocation(st.contact, st.owner)).Truncate(time.Second); next.After(now) {
			e.NextRunAt, e.UpdatedAt = next.UTC(), now
			if err := tx.UpdateEnrollment(ctx, e); err != nil {
				return err
			}
			return tx.Enqueue(ctx, SequenceStepJob{EnrollmentID: e.ID, Step: e.Step, At: e.NextRunAt})
		}
		e.Sending, e.UpdatedAt = mail.MessageID, now
		out = &mail
		return tx.UpdateEnrollment(ctx, e)
	})
	if err != nil || out == nil {
		if err != nil {
			return fmt.Errorf("sequence step %d of enrolment %d: %w", job.Step, job.EnrollmentID, err)
		}
		return nil
	}
	if _, sendErr := m.Send(ctx, *out); sendErr != nil {
		final := errors.Is(sendErr, ErrUndeliverable)
		first := false // of a streak of failures
		err := s.store.Update(ctx, func(tx Tx) error {
			e, err := tx.EnrollmentByID(ctx, job.EnrollmentID)
			if err != nil {
				return err
			}
			if e.Sending != out.MessageID {
				return nil
			}
			if final {
				return s.stopEnrollment(ctx, tx, e, stopWhy{"the mail server refused " + out.To.Address + ": " + sendErr.Error(),
					"refused", Args{"To": TextArg(out.To.Address), "Error": TextArg(sendErr.Error())}})
			}
			e.Sending, e.UpdatedAt = "", s.clock.Now()
			if err := tx.UpdateEnrollment(ctx, e); err != nil {
				return err
			}
			first, err = s.sendFailing(ctx, tx, e, out.To.Address, sendErr)
			return err
		})
		if err != nil {
			return errors.Join(sendErr, err)
		}
		if final {
			s.log.Warn("sequence mail refused; enrolment stopped", "enrollment", job.EnrollmentID, "step", job.Step, "err", sendErr)
			return nil
		}
		if first {
			s.log.Warn("sequence mail not sent; retrying, said once on the timeline", "enrollment", job.EnrollmentID, "step", job.Step, "err", sendErr)
		}
		return fmt.Errorf("send step %d of enrolment %d: %w", job.Step, job.EnrollmentID, sendErr)
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		e, err := tx.EnrollmentByID(ctx, job.EnrollmentID)
		if err != nil {
			return err
		}
		if e.Sending != out.MessageID {
			return nil // recorded already
		}
		seq, _ := s.sequence(e.Sequence)
		st, err := s.loadStep(ctx, tx, e)
		if err != nil {
			return err
		}
		return s.recordSent(ctx, tx, e, seq, st, *out, false)
	})
	if err != nil {
		return fmt.Errorf("record step %d of enrolment %d: %w", job.Step, job.EnrollmentID, err)
	}
	return nil
}

// GiveUpSequenceStep stops an enrolment whose step failed its last
// attempt (a mail server refusing for days), saying why on the timeline,
// so it does not stay active with nothing scheduled.
func (s *Sequences) GiveUpSequenceStep(ctx context.Context, job SequenceStepJob, cause error) error {
	err := s.store.Update(ctx, func(tx Tx) error {
		e, err := tx.EnrollmentByID(ctx, job.EnrollmentID)
		if IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if e.Status != EnrollmentActive || e.Step != job.Step {
			return nil
		}
		return s.stopEnrollment(ctx, tx, e, stopWhy{"sending failed too often: " + cause.Error(), "failing", Args{"Error": TextArg(cause.Error())}})
	})
	if err != nil {
		return fmt.Errorf("give up step %d of enrolment %d: %w", job.Step, job.EnrollmentID, err)
	}
	s.log.Error("sequence mail failed too often; enrolment stopped", "enrollment", job.EnrollmentID, "step", job.Step, "err", cause)
	return nil
}

// failingKey is the setting that holds since when an enrolment's mail
// has been failing, "" while it is not.
func failingKey(enrollmentID int64) string { return fmt.Sprintf("sequence:failing:%d", enrollmentID) }

// sendFailing notes on the timeline that a step could not be sent and is
// retried, once per streak of failures: it reports whether this failure
// began one.
func (s *Sequences) sendFailing(ctx context.Context, tx Tx, e *Enrollment, to string, cause error) (bool, error) {
	key := failingKey(e.ID)
	if since, err := tx.Setting(ctx, key); err != nil || since != "" {
		return false, err
	}
	now := s.clock.Now()
	if err := tx.PutSetting(ctx, key, now.UTC().Format(time.RFC3339)); err != nil {
		return false, err
	}
	return true, tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: e.ContactID, LeadID: e.LeadID, DealID: e.DealID,
		Key: "timeline.sequence_failing", Args: Args{"Sequence": TextArg(e.Sequence), "Step": NumberArg(int64(e.Step + 1)),
			"To": TextArg(to), "Error": TextArg(cause.Error())}, At: now})
}

// sendMended ends an enrolment's streak of failures, if it had one.
func sendMended(ctx context.Context, tx Tx, e *Enrollment) error {
	key := failingKey(e.ID)
	if since, err := tx.Setting(ctx, key); err != nil || since == "" {
		return err
	}
	return tx.PutSetting(ctx, key, "")
}

// stepState is what a step is rendered from.
type stepState struct {
	contact *Contact
	owner   *User
	deal    *Deal
	lead    *Lead
	stage   string
}

func (s *Sequences) loadStep(ctx context.Context, tx Tx, e *Enrollment) (*stepState, error) {
	st := &stepState{}
	var err error
	if st.contact, err = tx.ContactByID(ctx, e.ContactID); err != nil {
		return nil, err
	}
	if st.owner, err = tx.UserByID(ctx, e.OwnerID); err != nil {
		return nil, err
	}
	if e.DealID != 0 {
		if st.deal, err = tx.DealByID(ctx, e.DealID); err != nil {
			return nil, err
		}
		if p, err := tx.PipelineByID(ctx, st.deal.PipelineID); err == nil {
			if stage := p.Stage(st.deal.StageID); stage != nil {
				st.stage = stage.Name
			}
		}
	} else if st.lead, err = tx.LeadByID(ctx, e.LeadID); err != nil {
		return nil, err
	}
	return st, nil
}

// stopReason says why an enrolment must not send any more, none (an
// empty english) when it may.
func (s *Sequences) stopReason(ctx context.Context, tx Tx, e *Enrollment, st *stepState) (stopWhy, error) {
	switch {
	case st.deal != nil && st.deal.Status != DealOpen:
		return dealClosedStop(st.deal.Status), nil
	case st.lead != nil && !st.lead.Open():
		return stopWhy{"the lead was " + string(st.lead.Status), "lead_closed", Args{"Status": Arg{Term: st.lead.Status.TermKey()}}}, nil
	case !st.contact.UnsubscribedAt.IsZero():
		return unsubscribedStop, nil
	case len(st.contact.Emails) == 0:
		return stopWhy{"the contact has no email address", "no_email", nil}, nil
	}
	if dne, err := onDoNotEmail(ctx, tx, st.contact.Emails); dne || err != nil {
		if err != nil {
			return stopWhy{}, err
		}
		return stopWhy{"the address is on the do-not-email list", "do_not_email", nil}, nil
	}
	acts, err := tx.ListActivities(ctx, ActivityFilter{ContactID: e.ContactID, Limit: 50})
	if err != nil {
		return stopWhy{}, err
	}
	for _, a := range acts {
		if a.Kind == ActivityEmailIn && a.At.After(e.CreatedAt) {
			return stopWhy{"the contact replied", "replied", nil}, nil
		}
	}
	return stopWhy{}, nil
}

// unsubscribedStop is an enrolment stopped because its contact
// unsubscribed.
var unsubscribedStop = stopWhy{"unsubscribed", "unsubscribed", nil}

// dealClosedStop is an enrolment stopped because its deal was won or lost.
func dealClosedStop(status DealStatus) stopWhy {
	return stopWhy{"the deal was " + string(status), "deal_closed", Args{"Status": Arg{Term: status.TermKey()}}}
}

// composeStep renders step e.Step into a mail: from the owner (see
// sequenceSender), threaded under the earlier steps, with the unsubscribe
// link in the body and the List-Unsubscribe headers.
func (s *Sequences) composeStep(key []byte, seq *Sequence, e *Enrollment, st *stepState, m Mailer) (OutgoingMail, error) {
	data := SequenceData{
		Contact: SequenceContact{Name: st.contact.Name, FirstName: firstName(st.contact.Name), Company: st.contact.Company, Email: st.contact.Emails[0]},
		Owner:   SequenceOwner{Name: st.owner.Name, Email: st.owner.Email},
	}
	if st.deal != nil {
		data.Deal = SequenceDeal{Title: st.deal.Title, Stage: st.stage}
		if st.deal.Value.Currency != "" {
			data.Deal.Value = st.deal.Value.String()
		}
	} else if st.lead != nil {
		data.Deal.Title = st.lead.Subject
	}
	subject, body, err := renderStep(seq.Steps[e.Step], data)
	if err != nil {
		return OutgoingMail{}, err
	}
	from, replyTo := sequenceSender(m.DefaultFrom(), st.owner)
	link := s.unsubscribeURL(key, e.ID)
	out := OutgoingMail{
		From:      from,
		ReplyTo:   replyTo,
		To:        mail.Address{Name: st.contact.Name, Address: st.contact.Emails[0]},
		Subject:   subject,
		Text:      strings.TrimRight(body, "\n") + "\n\n--\nNo more of these emails: " + link + "\n",
		MessageID: stepMessageID(key, e, e.Step, from.Address),
		Header: map[string]string{
			"List-Unsubscribe":      "<" + link + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		},
		Date: s.clock.Now(),
	}
	if n := len(e.MessageIDs); n > 0 {
		out.InReplyTo = e.MessageIDs[n-1]
		out.References = append([]string(nil), e.MessageIDs...)
	}
	return out, nil
}

// recordSent puts a sent step on the timeline (its Message-ID the external
// ref replies thread by) and enqueues the next step or finishes.
func (s *Sequences) recordSent(ctx context.Context, tx Tx, e *Enrollment, seq *Sequence, st *stepState, out OutgoingMail, unsure bool) error {
	now := s.clock.Now()
	key := ""
	if unsure {
		key = "timeline.sequence_sent_unsure"
	}
	if err := tx.AddActivity(ctx, &Activity{Kind: ActivityEmailOut, ContactID: e.ContactID, LeadID: e.LeadID, DealID: e.DealID,
		UserID: e.OwnerID, Subject: out.Subject, Body: out.Text, Key: key, ExternalRef: out.MessageID, At: now}); err != nil {
		return err
	}
	if err := sendMended(ctx, tx, e); err != nil {
		return err
	}
	e.MessageIDs = append(e.MessageIDs, out.MessageID)
	e.Sending, e.UpdatedAt = "", now
	e.Step++
	if e.Status != EnrollmentActive {
		return tx.UpdateEnrollment(ctx, e) // stopped while the mail was out
	}
	if seq == nil || e.Step >= len(seq.Steps) {
		e.Status, e.NextRunAt = EnrollmentFinished, time.Time{}
		return tx.UpdateEnrollment(ctx, e)
	}
	e.NextRunAt = s.dueAt(seq, e.Step, now, st.contact, st.owner)
	if err := tx.UpdateEnrollment(ctx, e); err != nil {
		return err
	}
	return tx.Enqueue(ctx, SequenceStepJob{EnrollmentID: e.ID, Step: e.Step, At: e.NextRunAt})
}

// sequenceSender is who a sequence mail comes from: the deal's owner when
// the SMTP relay sends for the owner's domain (the configured sender's);
// otherwise the relay's own address under the owner's name, with replies
// to the owner — a From on a domain the relay does not send for fails SPF
// and DMARC and lands in spam.
func sequenceSender(relay mail.Address, owner *User) (from, replyTo mail.Address) {
	if owner == nil || owner.Email == "" {
		return relay, mail.Address{}
	}
	own := mail.Address{Name: owner.Name, Address: owner.Email}
	if relay.Address == "" || strings.EqualFold(domainOf(relay.Address), domainOf(own.Address)) {
		return own, mail.Address{}
	}
	name := cmp.Or(owner.Name, owner.Email)
	return mail.Address{Name: name + " via " + cmp.Or(relay.Name, "leadwire"), Address: relay.Address}, own
}

// domainOf is the part of an address after its last @.
func domainOf(addr string) string {
	return addr[strings.LastIndexByte(addr, '@')+1:]
}

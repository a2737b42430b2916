package core

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Sequences runs email sequences: enrolling contacts, sending each step
// when it falls due, stopping on a reply, a close or an unsubscribe.
type Sequences struct {
	store    SequenceStore
	clock    Clock
	settings Settings
	log      *slog.Logger
}

// SequenceStore is the part of the Store the Sequences need.
type SequenceStore interface {
	SequenceReader
	settingReader
	// ContactByID reads the contact an unsubscribe link is for: its
	// language is the page's.
	ContactByID(ctx context.Context, id int64) (*Contact, error)
	Update(ctx context.Context, fn func(Tx) error) error
}

// unsubscribeReader reads what an unsubscribe link names.
type unsubscribeReader interface {
	SequenceReader
	settingReader
}

// Enroll puts the contact of a deal (or lead) into a sequence: its first
// step is enqueued, in the same transaction, for its due time inside
// working hours. The actor must be allowed to act on the deal; a contact
// without an email address, one who unsubscribed, or one already active
// in the sequence is refused.
func (s *Sequences) Enroll(ctx context.Context, actor *User, ref Ref, name string) (*Enrollment, error) {
	seq, err := s.sequence(name)
	if err != nil {
		return nil, err
	}
	if s.settings.PublicURL == "" {
		return nil, Fail(KindInvalid, "error.sequence_needs_public_url", "sequence mail needs an unsubscribe link: set http.public_url in the config")
	}
	var e *Enrollment
	err = s.store.Update(ctx, func(tx Tx) error {
		contactID, leadID, dealID, err := target(ctx, tx, actor, ref)
		if err != nil {
			return err
		}
		ownerID := actor.ID
		if dealID != 0 {
			d, err := tx.DealByID(ctx, dealID)
			if err != nil {
				return err
			}
			if d.Status != DealOpen {
				return Fail(KindConflict, "error.enroll_deal_closed", "{Ref} is {Status}; only an open deal can be enrolled", "Ref", d.Ref(), "Status", d.Status)
			}
			ownerID = cmpOr(d.OwnerID, ownerID)
		} else {
			l, err := tx.LeadByID(ctx, leadID)
			if err != nil {
				return err
			}
			if !l.Open() {
				return Fail(KindConflict, "error.enroll_lead_closed", "{Ref} is {Status}; only an open lead can be enrolled", "Ref", l.Ref(), "Status", l.Status)
			}
			ownerID = cmpOr(l.OwnerID, ownerID)
		}
		c, err := tx.ContactByID(ctx, contactID)
		if err != nil {
			return err
		}
		if len(c.Emails) == 0 {
			return Fail(KindInvalid, "error.enroll_no_email", "{Who} has no email address to send {Sequence} to", "Who", contactName(c), "Sequence", seq.Name)
		}
		if !c.UnsubscribedAt.IsZero() {
			return Fail(KindConflict, "error.enroll_unsubscribed", "{Who} unsubscribed from our mail on {Date}", "Who", contactName(c), "Date", c.UnsubscribedAt.Format(time.DateOnly))
		}
		if dne, err := onDoNotEmail(ctx, tx, c.Emails); err != nil {
			return err
		} else if dne {
			return Fail(KindConflict, "error.enroll_erased", "{Who}'s address was erased at their request and is on the do-not-email list", "Who", contactName(c))
		}
		active, err := tx.ListEnrollments(ctx, EnrollmentFilter{ContactID: c.ID, Sequence: seq.Name, Status: EnrollmentActive})
		if err != nil {
			return err
		}
		if len(active) > 0 {
			return Fail(KindConflict, "error.enroll_already", "{Who} is in {Sequence} already (since {Date})", "Who", contactName(c), "Sequence", seq.Name, "Date", active[0].CreatedAt.Format(time.DateOnly))
		}
		owner, err := tx.UserByID(ctx, ownerID)
		if err != nil {
			return err
		}
		if _, err := s.sequenceKey(ctx, tx); err != nil {
			return err
		}
		now := s.clock.Now()
		e = &Enrollment{Sequence: seq.Name, DealID: dealID, LeadID: leadID, ContactID: c.ID, OwnerID: owner.ID,
			Status: EnrollmentActive, CreatedAt: now, UpdatedAt: now}
		e.NextRunAt = s.dueAt(seq, 0, now, c, owner)
		if err := tx.CreateEnrollment(ctx, e); err != nil {
			return err
		}
		if err := tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: c.ID, LeadID: leadID, DealID: dealID, UserID: actor.ID,
			Key: "timeline.enrolled", Args: byActor(actor, Args{"Sequence": TextArg(seq.Name)}), At: now}); err != nil {
			return err
		}
		if err := writeAudit(ctx, tx, now, actor, AuditEntry{Action: "sequence.enroll", Contact: c.ID, Lead: leadID, Deal: dealID, Target: seq.Name,
			Changes: []FieldChange{{Field: "sequence", After: seq.Name}, {Field: "status", After: string(EnrollmentActive)}}}); err != nil {
			return err
		}
		return tx.Enqueue(ctx, SequenceStepJob{EnrollmentID: e.ID, Step: 0, At: e.NextRunAt})
	})
	if err != nil {
		return nil, fmt.Errorf("enroll %s in %s: %w", ref, seq.Name, err)
	}
	return e, nil
}

// Unenroll stops the actor's deal's (or lead's) active enrolments, all or
// of one sequence (name ""). It returns how many were stopped.
func (s *Sequences) Unenroll(ctx context.Context, actor *User, ref Ref, name string) (int, error) {
	n := 0
	err := s.store.Update(ctx, func(tx Tx) error {
		contactID, leadID, dealID, err := target(ctx, tx, actor, ref)
		if err != nil {
			return err
		}
		list, err := tx.ListEnrollments(ctx, EnrollmentFilter{ContactID: contactID, Status: EnrollmentActive})
		if err != nil {
			return err
		}
		for i := range list {
			e := &list[i]
			if (name != "" && !strings.EqualFold(e.Sequence, name)) || (e.DealID != dealID && e.LeadID != leadID) {
				continue
			}
			if err := s.stopEnrollment(ctx, tx, e, stopWhy{"stopped by " + actor.display(), "by", Args{"By": actorArg(actor)}}); err != nil {
				return err
			}
			if err := writeAudit(ctx, tx, s.clock.Now(), actor, AuditEntry{Action: "sequence.unenroll", Contact: e.ContactID, Lead: e.LeadID, Deal: e.DealID,
				Target: e.Sequence, Changes: []FieldChange{{Field: "status", Before: string(EnrollmentActive), After: string(EnrollmentStopped)}}}); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			if name != "" {
				return Fail(KindNotFound, "error.no_active_sequence_named", "{Ref} has no active sequence {Sequence}", "Ref", ref, "Sequence", name)
			}
			return Fail(KindNotFound, "error.no_active_sequence", "{Ref} has no active sequence", "Ref", ref)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("unenroll %s: %w", ref, err)
	}
	return n, nil
}

// Enrollments lists the enrolments of a contact (all when 0 and the actor
// is an admin).
func (s *Sequences) Enrollments(ctx context.Context, f EnrollmentFilter) ([]Enrollment, error) {
	return s.store.ListEnrollments(ctx, f)
}

func cmpOr(a, b int64) int64 {
	if a != 0 {
		return a
	}
	return b
}

func contactName(c *Contact) string {
	switch {
	case c.Name != "":
		return c.Name
	case len(c.Emails) > 0:
		return c.Emails[0]
	}
	return fmt.Sprintf("contact %d", c.ID)
}

// sendLocation is the zone sends are timed in: the contact's when known,
// else the owner's, else the organisation's.
func (s *Sequences) sendLocation(c *Contact, owner *User) *time.Location {
	for _, tz := range []string{c.TimeZone, owner.TimeZone, s.settings.TimeZone} {
		if tz == "" {
			continue
		}
		if loc, err := time.LoadLocation(tz); err == nil {
			return loc
		}
	}
	return time.UTC
}

// dueAt is when step i falls due counting from `from`, moved into
// working hours; whole seconds, so a job can name it exactly.
func (s *Sequences) dueAt(seq *Sequence, i int, from time.Time, c *Contact, owner *User) time.Time {
	t := from.Add(seq.Steps[i].Delay)
	return seq.Hours.Next(t, s.sendLocation(c, owner)).Truncate(time.Second).UTC()
}

// sequenceKey returns the installation's signing secret, made on first
// use.
func (s *Sequences) sequenceKey(ctx context.Context, tx Tx) ([]byte, error) {
	v, err := tx.Setting(ctx, sequenceKeySetting)
	if err != nil {
		return nil, err
	}
	if v == "" {
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("make sequence key: %w", err)
		}
		if v, err = tx.InitSetting(ctx, sequenceKeySetting, hex.EncodeToString(b[:])); err != nil {
			return nil, err
		}
	}
	return hex.DecodeString(v)
}

func sign(key []byte, parts ...string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return m.Sum(nil)
}

// unsubscribeToken signs an enrolment id: "SEALED.SIGNATURE", the id
// sealed (sealID) so that a link shows no sequential number to its reader.
func unsubscribeToken(key []byte, enrollmentID int64) string {
	return sealID(key, enrollmentID) + "." + unsubscribeSignature(key, enrollmentID)
}

func unsubscribeSignature(key []byte, enrollmentID int64) string {
	return base64.RawURLEncoding.EncodeToString(sign(key, "unsubscribe", strconv.FormatInt(enrollmentID, 10))[:16])
}

// sealID encrypts an enrolment id, with zeros after it, as one AES block
// under a key derived from the sequence key: what a prospect sees of it
// (in a link, a Message-ID) tells neither the id nor how many there are,
// and stays the same for the same id.
func sealID(key []byte, id int64) string {
	var block [aes.BlockSize]byte
	binary.BigEndian.PutUint64(block[:8], uint64(id))
	idCipher(key).Encrypt(block[:], block[:])
	return base64.RawURLEncoding.EncodeToString(block[:])
}

// openID is the id sealID sealed into s; false when s is not one.
func openID(key []byte, s string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != aes.BlockSize {
		return 0, false
	}
	idCipher(key).Decrypt(b, b)
	for _, c := range b[8:] {
		if c != 0 {
			return 0, false
		}
	}
	id := int64(binary.BigEndian.Uint64(b[:8]))
	return id, id > 0
}

func idCipher(key []byte) cipher.Block {
	c, err := aes.NewCipher(sign(key, "enrolment id")) // 32 bytes: AES-256
	if err != nil {
		panic(err) // unreachable: the key length is fixed
	}
	return c
}

// UnsubscribeURL is the link of an enrolment's mails.
func (s *Sequences) unsubscribeURL(key []byte, enrollmentID int64) string {
	return strings.TrimRight(s.settings.PublicURL, "/") + "/u/" + unsubscribeToken(key, enrollmentID)
}

// stepMessageID is the Message-ID of a step: the same on every attempt,
// on the sender's domain.
func stepMessageID(key []byte, e *Enrollment, step int, from string) string {
	domain := "leadwire.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = from[i+1:]
	}
	id, st := strconv.FormatInt(e.ID, 10), strconv.Itoa(step)
	return "seq." + sealID(key, e.ID) + "." + st + "." + hex.EncodeToString(sign(key, "message-id", id, st)[:6]) + "@" + domain
}

// Unsubscribe marks the contact of a signed link unsubscribed and stops
// every active enrolment of theirs. A link used again changes nothing.
func (s *Sequences) Unsubscribe(ctx context.Context, token string) (*Contact, error) {
	var c *Contact
	err := s.store.Update(ctx, func(tx Tx) error {
		e, err := unsubscribeEnrollment(ctx, tx, token)
		if err != nil {
			return err
		}
		if c, err = tx.ContactByID(ctx, e.ContactID); err != nil {
			return err
		}
		now := s.clock.Now()
		if c.UnsubscribedAt.IsZero() {
			c.UnsubscribedAt, c.UpdatedAt = now, now
			if err := tx.UpdateContact(ctx, c); err != nil {
				return err
			}
			if err := tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: c.ID, LeadID: e.LeadID, DealID: e.DealID,
				Key: "timeline.unsubscribed", At: now}); err != nil {
				return err
			}
			// The person did it, through the link in a sequence mail.
			if err := writeAudit(ctx, tx, now, nil, AuditEntry{Action: "contact.unsubscribe", Actor: "contact:" + ContactRef(c.ID),
				Via: ViaWeb, Contact: c.ID, Lead: e.LeadID, Deal: e.DealID,
				Changes: []FieldChange{{Field: "unsubscribed", After: now.UTC().Format(time.RFC3339)}}}); err != nil {
				return err
			}
		}
		_, err = tx.StopEnrollments(ctx, c.ID, 0, "unsubscribed", now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("unsubscribe: %w", err)
	}
	return c, nil
}

// CheckUnsubscribe verifies an unsubscribe token without acting on it:
// the page a link opens asks the reader to confirm, since mail scanners
// follow links. It returns the language the person wrote to us in, if
// known, for the page.
func (s *Sequences) CheckUnsubscribe(ctx context.Context, token string) (locale string, err error) {
	e, err := unsubscribeEnrollment(ctx, s.store, token)
	if err != nil {
		return "", fmt.Errorf("unsubscribe: %w", err)
	}
	if c, err := s.store.ContactByID(ctx, e.ContactID); err == nil {
		return c.Locale, nil
	}
	return "", nil // the page is answered all the same, in the organisation's language
}

// unsubscribeEnrollment returns the enrolment a signed unsubscribe token
// names.
func unsubscribeEnrollment(ctx context.Context, r unsubscribeReader, token string) (*Enrollment, error) {
	damaged := Fail(KindInvalid, "error.unsubscribe_damaged", "this unsubscribe link is damaged; copy the whole link from the mail")
	idText, sig, ok := strings.Cut(token, ".")
	if !ok {
		return nil, damaged
	}
	v, err := r.Setting(ctx, sequenceKeySetting)
	if err != nil {
		return nil, err
	}
	key, _ := hex.DecodeString(v)
	if v == "" {
		return nil, damaged
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		var sealed bool
		if id, sealed = openID(key, idText); !sealed {
			return nil, damaged
		}
	} // else a link sent before ids were sealed, still honoured
	if id <= 0 || !hmac.Equal([]byte(unsubscribeSignature(key, id)), []byte(sig)) {
		return nil, damaged
	}
	e, err := r.EnrollmentByID(ctx, id)
	if IsNotFound(err) {
		// Signed by us, but gone: the reader is told nothing of ids.
		return nil, Fail(KindNotFound, "error.unsubscribe_invalid", "this unsubscribe link is no longer valid")
	}
	return e, err
}

// stopWhy is why an enrolment stops: in English for the enrolment's
// record, and for the timeline the message timeline.sequence_stopped.KEY
// with its args (the sequence's name is added).
type stopWhy struct {
	english string
	key     string
	args    Args
}

// stopEnrollment stops one enrolment and says so on the timeline.
func (s *Sequences) stopEnrollment(ctx context.Context, tx Tx, e *Enrollment, why stopWhy) error {
	now := s.clock.Now()
	e.Status, e.StopReason, e.Sending, e.UpdatedAt = EnrollmentStopped, why.english, "", now
	if err := tx.UpdateEnrollment(ctx, e); err != nil {
		return err
	}
	if err := sendMended(ctx, tx, e); err != nil {
		return err
	}
	return tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: e.ContactID, LeadID: e.LeadID, DealID: e.DealID,
		Key: "timeline.sequence_stopped." + why.key, Args: withArg(why.args, "Sequence", TextArg(e.Sequence)), At: now})
}

// stopOnReply stops the sequences of a contact who wrote in, and of the
// deal the message joined; one indexed update, none without sequences.
func (s *Service) stopOnReply(ctx context.Context, tx Tx, contactID, dealID int64, at time.Time) error {
	if len(s.settings.Sequences) == 0 {
		return nil
	}
	n, err := tx.StopEnrollments(ctx, contactID, dealID, "the contact replied", at)
	if err != nil || n == 0 {
		return err
	}
	return s.audit(ctx, tx, nil, AuditEntry{Action: "sequence.stop", Actor: "rule:stop on reply", Contact: contactID, Deal: dealID,
		Note: fmt.Sprintf("%d enrolments stopped: the contact replied", n)})
}

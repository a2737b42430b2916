package core

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Erasure is what the store erases: the contacts of one person (the one
// named and those merged into it), and the strings of their personal data
// (names, addresses, phones, chat handles) to look for where data is kept
// as it came (raw messages, webhook bodies, queued job arguments).
type Erasure struct {
	ContactIDs []int64
	Needles    []string // lower-cased
	// Salt makes the hashes that replace the personal parts of
	// idempotency keys.
	Salt string
	At   time.Time
}

// ErasedCounts says how many rows of each table an erasure changed or
// removed.
type ErasedCounts map[string]int64

// ErasureReader is the port erasure and export read through.
type ErasureReader interface {
	// ActivitiesOfPerson lists every activity of the contacts and of
	// their leads and deals, oldest first.
	ActivitiesOfPerson(ctx context.Context, contactIDs []int64) ([]Activity, error)
	// FailedInboundsMentioning lists the kept failures whose raw message,
	// id or error holds one of the lower-cased needles.
	FailedInboundsMentioning(ctx context.Context, needles []string) ([]FailedInbound, error)
	// ContactsMergedInto lists the contacts merged into the contact.
	ContactsMergedInto(ctx context.Context, contactID int64) ([]int64, error)
	// OnDoNotEmail reports whether the hash is on the do-not-email list.
	OnDoNotEmail(ctx context.Context, hash string) (bool, error)
}

// ErasureTx is the port erasure writes through.
type ErasureTx interface {
	// ErasePerson removes the personal data of e's contacts everywhere it
	// is stored, keeping the rows that counts and reports rest on.
	ErasePerson(ctx context.Context, e Erasure) (ErasedCounts, error)
	// AddDoNotEmail puts a hash on the do-not-email list.
	AddDoNotEmail(ctx context.Context, hash string, at time.Time) error
}

// eraseSaltKey is the setting holding the installation's erasure salt.
const eraseSaltKey = "erasure_salt"

// eraseSalt returns the installation's salt, made on first use.
func eraseSalt(ctx context.Context, tx Tx) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return tx.InitSetting(ctx, eraseSaltKey, hex.EncodeToString(b))
}

// addressHash is the do-not-email list's form of an address.
func addressHash(salt, email string) string {
	h := sha256.Sum256([]byte(salt + "\x00" + strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(h[:])
}

// onDoNotEmail reports whether any of the addresses was erased at its
// owner's request: sequences do not mail it again.
func onDoNotEmail(ctx context.Context, tx Tx, emails []string) (bool, error) {
	if len(emails) == 0 {
		return false, nil
	}
	salt, err := tx.Setting(ctx, eraseSaltKey)
	if err != nil || salt == "" {
		return false, err // nothing was ever erased
	}
	for _, e := range emails {
		if on, err := tx.OnDoNotEmail(ctx, addressHash(salt, e)); on || err != nil {
			return on, err
		}
	}
	return false, nil
}

// FindPerson finds a contact by "C12", an email address or a phone
// number (read in the default region when it has no country code).
func (s *Service) FindPerson(ctx context.Context, r Reader, text string) (*Contact, error) {
	t := strings.TrimSpace(text)
	var c *Contact
	var err error
	switch {
	case len(t) > 1 && (t[0] == 'C' || t[0] == 'c') && strings.Trim(t[1:], "0123456789") == "":
		id, perr := ParseContactRef(t)
		if perr != nil {
			return nil, perr
		}
		c, err = r.ContactByID(ctx, id)
	case strings.Contains(t, "@"):
		email, nerr := NormalizeEmail(t)
		if nerr != nil {
			return nil, nerr
		}
		c, err = r.ContactByIdentity(ctx, Identity{IdentityEmail, email})
	default:
		phone, nerr := NormalizePhone(t, s.settings.DefaultRegion)
		if nerr != nil {
			return nil, Errorf(KindInvalid, "%q is no contact id, email address or phone number; write C12, anna@example.pl or +48 601 234 567", t)
		}
		c, err = r.ContactByIdentity(ctx, Identity{IdentityPhone, phone})
	}
	if IsNotFound(err) {
		return nil, Errorf(KindNotFound, "nobody is held under %s", t)
	}
	if err != nil {
		return nil, err
	}
	if c.MergedInto != 0 {
		return r.ContactByID(ctx, c.MergedInto)
	}
	return c, nil
}

// personOf is the contacts of one person: c and those merged into it,
// with the strings of their personal data.
func personOf(ctx context.Context, r Reader, c *Contact) ([]*Contact, []string, error) {
	people := []*Contact{c}
	seen := map[int64]bool{c.ID: true}
	for i := 0; i < len(people); i++ {
		ids, err := r.ContactsMergedInto(ctx, people[i].ID)
		if err != nil {
			return nil, nil, err
		}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			m, err := r.ContactByID(ctx, id)
			if err != nil {
				return nil, nil, err
			}
			people = append(people, m)
		}
	}
	needles := map[string]bool{}
	add := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if utf8.RuneCountInString(s) >= 4 {
			needles[s] = true
		}
	}
	for _, p := range people {
		add(p.Name)
		for _, e := range p.Emails {
			add(e)
		}
		for _, ph := range append(slices.Clone(p.Phones), p.InvalidPhones...) {
			add(ph)
			add(strings.TrimPrefix(ph, "+"))
		}
		for _, h := range p.Handles {
			add(h)
			if _, id, ok := strings.Cut(h, ":"); ok && len(id) >= 6 {
				add(id)
			}
		}
	}
	return people, slices.Sorted(maps.Keys(needles)), nil
}

// ErasureReport is what an erasure did, without the personal data.
type ErasureReport struct {
	ContactID int64
	Contacts  int // the contact and those merged into it
	Counts    ErasedCounts
	Addresses int // put on the do-not-email list
}

// Erase removes a person's personal data everywhere it is stored, in one
// transaction: names, addresses, phones, chat handles, activity bodies,
// raw messages, search terms, the personal parts of idempotency keys,
// queued job arguments and sequence enrolments. Deals and counts stay on
// the anonymous contact. The addresses go on the do-not-email list as
// salted hashes, and the erasure is recorded in the audit log without
// the personal data. Admins only.
func (s *Service) Erase(ctx context.Context, actor *User, who, reason string) (*ErasureReport, error) {
	if actor.Role != RoleAdmin {
		return nil, Errorf(KindForbidden, "only admins may erase a person's data; you are a %s", actor.Role)
	}
	if strings.TrimSpace(reason) == "" {
		return nil, Errorf(KindInvalid, "say why with --reason, e.g. --reason \"erasure request of 2 Nov by email\"")
	}
	rep := &ErasureReport{}
	err := s.store.Update(ctx, func(tx Tx) error {
		c, err := s.FindPerson(ctx, tx, who)
		if err != nil {
			return err
		}
		if !c.ErasedAt.IsZero() && len(c.Identities()) == 0 {
			return Errorf(KindConflict, "%s was erased on %s already", c.Ref(), c.ErasedAt.Format(time.DateOnly))
		}
		people, needles, err := personOf(ctx, tx, c)
		if err != nil {
			return err
		}
		salt, err := eraseSalt(ctx, tx)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		e := Erasure{Needles: needles, Salt: salt, At: now}
		for _, p := range people {
			e.ContactIDs = append(e.ContactIDs, p.ID)
			for _, addr := range p.Emails {
				if err := tx.AddDoNotEmail(ctx, addressHash(salt, addr), now); err != nil {
					return err
				}
				rep.Addresses++
			}
		}
		if rep.Counts, err = tx.ErasePerson(ctx, e); err != nil {
			return err
		}
		rep.ContactID, rep.Contacts = c.ID, len(people)
		return s.audit(ctx, tx, actor, AuditEntry{Action: "contact.erase", Contact: c.ID,
			Note: fmt.Sprintf("erased at the person's request (%s): %s", redact(reason, needles), countsText(rep.Counts))})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// redact replaces the needles in text.
func redact(text string, needles []string) string {
	low := strings.ToLower(text)
	if len(low) != len(text) {
		text = low // a case whose folding changes lengths: redact the folded text
	}
	for _, n := range needles {
		for {
			i := strings.Index(low, n)
			if i < 0 {
				break
			}
			text, low = text[:i]+"[erased]"+text[i+len(n):], low[:i]+"[erased]"+low[i+len(n):]
		}
	}
	return text
}

func countsText(c ErasedCounts) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(c)) {
		if c[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, c[k]))
		}
	}
	return strings.Join(parts, ", ")
}

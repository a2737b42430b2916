package core

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// UnmergeWindow is how long after a merge it can be undone.
const UnmergeWindow = 30 * 24 * time.Hour

// MergeRule is the rule by which a merge picks each field, as shown
// before confirming.
const MergeRule = "the first contact named stays; of each field it keeps its own value and takes the other's only where its own is empty; " +
	"every email, phone and handle of both is kept; the earlier first contact and its source are kept; unsubscribed stays unsubscribed"

// ContactMoves lists the rows a merge moved from the merged contact to the
// survivor, so an unmerge moves exactly those back.
type ContactMoves struct {
	Identities  []int64 `json:"identities,omitempty"` // contact_identities rows
	Leads       []int64 `json:"leads,omitempty"`
	Deals       []int64 `json:"deals,omitempty"`
	Activities  []int64 `json:"activities,omitempty"`
	Enrollments []int64 `json:"enrollments,omitempty"`
	// InboundKeys are the idempotency keys whose result named the merged
	// contact.
	InboundKeys []InboundKey `json:"inbound_keys,omitempty"`
	// Marks are the possible-duplicate marks that named the merged
	// contact, removed; Repointed the marks added in their place, naming
	// the survivor.
	Marks     []PossibleDuplicate `json:"marks,omitempty"`
	Repointed []PossibleDuplicate `json:"repointed,omitempty"`
}

// Holdings counts what a contact holds, directly or through its leads and
// deals.
type Holdings struct {
	Identities, Leads, Deals, Activities, Tasks, Enrollments int64
}

// ContactMerge is one merge, as recorded.
type ContactMerge struct {
	ID         int64
	SurvivorID int64
	MergedID   int64
	ByUserID   int64
	Via        Via
	At         time.Time
	UndoneAt   time.Time // zero: in force
	// Survivor and Merged are both contacts as they were before.
	Survivor Contact
	Merged   Contact
	Moves    ContactMoves
}

// MergeReader is the port merges read through.
type MergeReader interface {
	// ContactHoldings counts what the contact holds.
	ContactHoldings(ctx context.Context, contactID int64) (Holdings, error)
	ContactMergeByID(ctx context.Context, id int64) (*ContactMerge, error)
	// ContactKeys pages through contacts by id after afterID with what the
	// duplicate listing compares, merged contacts left out.
	ContactKeys(ctx context.Context, teamID, afterID int64, limit int) ([]ContactKey, error)
}

// MergeTx is the port merges write through.
type MergeTx interface {
	// MoveContact moves every row of the merged contact (identities,
	// leads and through them their tasks, deals, activities, sequence
	// enrolments, idempotency results, possible-duplicate marks) to the
	// survivor, marks the merged contact as merged into it, drops its
	// search terms, and says what moved.
	MoveContact(ctx context.Context, survivorID, mergedID int64, at time.Time) (ContactMoves, error)
	// UnmoveContact moves back what MoveContact moved, restores the
	// merged contact's marks and search terms and clears its merge.
	UnmoveContact(ctx context.Context, survivorID, mergedID int64, moves ContactMoves) error
	// AddContactMerge records a merge; it sets m.ID.
	AddContactMerge(ctx context.Context, m *ContactMerge) error
	// MarkUnmerged records that the merge was undone at at.
	MarkUnmerged(ctx context.Context, id int64, at time.Time) error
}

// FieldChoice is one field of a merge where the two contacts differ.
type FieldChoice struct {
	Field    string
	Survivor string // the survivor's value
	Other    string // the merged contact's value
	Result   string
}

// MergePlan is what a merge will do, shown before confirming.
type MergePlan struct {
	Survivor, Merged Contact
	Result           Contact
	Rule             string
	Fields           []FieldChoice
	Moves            Holdings // what moves from the merged contact
}

// contactForMerge loads a contact that actor may merge: admins any,
// managers their own team's; a contact merged away already is refused.
func contactForMerge(ctx context.Context, r Reader, actor *User, id int64) (*Contact, error) {
	c, err := r.ContactByID(ctx, id)
	if IsNotFound(err) {
		return nil, Fail(KindNotFound, "error.no_contact", "no contact {Ref}", "Ref", ContactRef(id))
	}
	if err != nil {
		return nil, err
	}
	if err := mayMerge(actor, c); err != nil {
		return nil, err
	}
	if c.MergedInto != 0 {
		return nil, Fail(KindConflict, "error.contact_merged_already", "{Ref} was merged into {Into} already", "Ref", ContactRef(id), "Into", ContactRef(c.MergedInto))
	}
	return c, nil
}

// mayMerge says why actor may not merge or unmerge c, nil when they may.
func mayMerge(actor *User, c *Contact) error {
	switch {
	case actor.Role == RoleAdmin:
	case actor.Role != RoleManager:
		return Fail(KindForbidden, "error.merge_forbidden", "only managers (for their team's contacts) and admins may merge contacts; you are a {Role}", "Role", actor.Role)
	case actor.TeamID == 0 || c.TeamID != actor.TeamID:
		return Fail(KindForbidden, "error.merge_not_your_team", "{Ref} is not a contact of your team: a manager merges their own team's contacts, an admin any", "Ref", c.Ref())
	}
	return nil
}

// PlanMerge says what merging other into survivor would do, changing
// nothing; it refuses what Merge would refuse.
func (s *Service) PlanMerge(ctx context.Context, actor *User, survivorID, otherID int64) (*MergePlan, error) {
	return s.planMerge(ctx, s.store, actor, survivorID, otherID)
}

func (s *Service) planMerge(ctx context.Context, r Reader, actor *User, survivorID, otherID int64) (*MergePlan, error) {
	if survivorID == otherID {
		return nil, Fail(KindInvalid, "error.merge_same", "{A} and {B} are one contact", "A", ContactRef(survivorID), "B", ContactRef(otherID))
	}
	a, err := contactForMerge(ctx, r, actor, survivorID)
	if err != nil {
		return nil, err
	}
	b, err := contactForMerge(ctx, r, actor, otherID)
	if err != nil {
		return nil, err
	}
	// Two active enrolments in one sequence cannot become one contact's.
	active, err := r.ListEnrollments(ctx, EnrollmentFilter{ContactID: a.ID, Status: EnrollmentActive})
	if err != nil {
		return nil, err
	}
	others, err := r.ListEnrollments(ctx, EnrollmentFilter{ContactID: b.ID, Status: EnrollmentActive})
	if err != nil {
		return nil, err
	}
	for _, e := range others {
		if slices.ContainsFunc(active, func(x Enrollment) bool { return x.Sequence == e.Sequence }) {
			return nil, Fail(KindConflict, "error.merge_both_enrolled", `{A} and {B} are both in sequence "{Sequence}"; unenroll one of them first`, "A", a.Ref(), "B", b.Ref(), "Sequence", e.Sequence)
		}
	}
	moves, err := r.ContactHoldings(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	p := &MergePlan{Survivor: *a, Merged: *b, Rule: MergeRule, Moves: moves}
	p.Result, p.Fields = mergeFields(a, b)
	return p, nil
}

// mergeFields applies MergeRule: the result and the fields that differ.
func mergeFields(a, b *Contact) (Contact, []FieldChoice) {
	r := *a
	r.Emails = append(slices.Clone(a.Emails), b.Emails...)
	r.Phones = append(slices.Clone(a.Phones), b.Phones...)
	r.Handles = append(slices.Clone(a.Handles), b.Handles...)
	for _, p := range b.InvalidPhones {
		if !slices.Contains(r.InvalidPhones, p) && len(r.InvalidPhones) < maxInvalidPhones {
			r.InvalidPhones = append(r.InvalidPhones, p)
		}
	}
	var fields []FieldChoice
	pick := func(name string, mine *string, other string) {
		was := *mine
		if *mine == "" {
			*mine = other
		}
		if was != other && other != "" {
			fields = append(fields, FieldChoice{Field: name, Survivor: was, Other: other, Result: *mine})
		}
	}
	pick("name", &r.Name, b.Name)
	pick("company", &r.Company, b.Company)
	pick("domain", &r.Domain, b.Domain)
	pick("time zone", &r.TimeZone, b.TimeZone)
	if r.CompanyID == 0 {
		r.CompanyID = b.CompanyID
	}
	if r.TeamID == 0 {
		r.TeamID = b.TeamID
	}
	if !b.CreatedAt.IsZero() && (r.CreatedAt.IsZero() || b.CreatedAt.Before(r.CreatedAt)) {
		fields = append(fields, FieldChoice{Field: "first contact", Survivor: a.CreatedAt.UTC().Format(time.RFC3339), Other: b.CreatedAt.UTC().Format(time.RFC3339),
			Result: b.CreatedAt.UTC().Format(time.RFC3339)})
		r.CreatedAt = b.CreatedAt
		if b.Source != "" && b.Source != r.Source {
			fields = append(fields, FieldChoice{Field: "source", Survivor: a.Source, Other: b.Source, Result: b.Source})
			r.Source = b.Source
		}
	}
	if !b.UnsubscribedAt.IsZero() && (r.UnsubscribedAt.IsZero() || b.UnsubscribedAt.Before(r.UnsubscribedAt)) {
		fields = append(fields, FieldChoice{Field: "unsubscribed", Survivor: timeOrNo(a.UnsubscribedAt), Other: timeOrNo(b.UnsubscribedAt), Result: timeOrNo(b.UnsubscribedAt)})
		r.UnsubscribedAt = b.UnsubscribedAt
	}
	return r, fields
}

func timeOrNo(t time.Time) string {
	if t.IsZero() {
		return "no"
	}
	return t.UTC().Format(time.RFC3339)
}

// Merge merges the contact otherID into survivorID in one transaction:
// identities, leads, deals, activities, tasks (with their leads and
// deals) and sequence enrolments move to the survivor, its fields are
// chosen by MergeRule, and the merge is recorded so that Unmerge can undo
// it within UnmergeWindow. Managers merge their team's contacts, admins
// any.
func (s *Service) Merge(ctx context.Context, actor *User, survivorID, otherID int64) (*ContactMerge, error) {
	var m *ContactMerge
	err := s.store.Update(ctx, func(tx Tx) error {
		p, err := s.planMerge(ctx, tx, actor, survivorID, otherID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		moves, err := tx.MoveContact(ctx, p.Survivor.ID, p.Merged.ID, now)
		if err != nil {
			return err
		}
		result := p.Result
		result.UpdatedAt = now
		if err := tx.UpdateContact(ctx, &result); err != nil {
			return err
		}
		m = &ContactMerge{SurvivorID: p.Survivor.ID, MergedID: p.Merged.ID, ByUserID: actor.ID, Via: ViaOf(ctx), At: now,
			Survivor: p.Survivor, Merged: p.Merged, Moves: moves}
		if err := tx.AddContactMerge(ctx, m); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, AuditEntry{Action: "contact.merge", Contact: p.Survivor.ID, Target: ContactRef(p.Merged.ID),
			Changes: fieldChanges(p.Fields), Note: fmt.Sprintf("merge %d: %s merged into %s", m.ID, ContactRef(p.Merged.ID), ContactRef(p.Survivor.ID))})
	})
	return m, err
}

// Unmerge undoes a merge recorded within UnmergeWindow: the rows that
// moved go back, and both contacts are as they were before it.
func (s *Service) Unmerge(ctx context.Context, actor *User, mergeID int64) (*ContactMerge, error) {
	var m *ContactMerge
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if m, err = tx.ContactMergeByID(ctx, mergeID); err != nil {
			return err
		}
		now := s.clock.Now()
		switch {
		case !m.UndoneAt.IsZero():
			return Fail(KindConflict, "error.unmerge_done_already", "merge {ID} was undone already", "ID", m.ID)
		case now.Sub(m.At) > UnmergeWindow:
			return Fail(KindConflict, "error.unmerge_too_old", "merge {ID} is older than 30 days and cannot be undone", "ID", m.ID)
		}
		merged, err := tx.ContactByID(ctx, m.MergedID)
		if err != nil {
			return err
		}
		survivor, err := tx.ContactByID(ctx, m.SurvivorID)
		if err != nil {
			return err
		}
		if merged.MergedInto != m.SurvivorID {
			return Fail(KindConflict, "error.unmerge_not_merged", "{Ref} is no longer merged into {Into}", "Ref", ContactRef(m.MergedID), "Into", ContactRef(m.SurvivorID))
		}
		if survivor.MergedInto != 0 {
			return Fail(KindConflict, "error.unmerge_merged_since", "{Ref} was merged into {Into} since; undo that merge first", "Ref", ContactRef(m.SurvivorID), "Into", ContactRef(survivor.MergedInto))
		}
		for _, c := range []*Contact{survivor, merged} {
			if err := mayMerge(actor, c); err != nil {
				return err
			}
		}
		if err := tx.UnmoveContact(ctx, m.SurvivorID, m.MergedID, m.Moves); err != nil {
			return err
		}
		// The survivor's fields as they were; identities it gained since
		// stay its own.
		restored := m.Survivor
		if err := tx.UpdateContact(ctx, &restored); err != nil {
			return err
		}
		if err := tx.MarkUnmerged(ctx, m.ID, now); err != nil {
			return err
		}
		m.UndoneAt = now
		return s.audit(ctx, tx, actor, AuditEntry{Action: "contact.unmerge", Contact: m.SurvivorID, Target: ContactRef(m.MergedID),
			Note: fmt.Sprintf("merge %d undone: %s restored beside %s", m.ID, ContactRef(m.MergedID), ContactRef(m.SurvivorID))})
	})
	return m, err
}

func fieldChanges(fields []FieldChoice) []FieldChange {
	var out []FieldChange
	for _, f := range fields {
		out = append(out, FieldChange{Field: f.Field, Before: f.Survivor, After: f.Result})
	}
	return out
}

package core

import (
	"context"
	"fmt"
)

// MaxQualification is the most runes each BANT answer keeps.
const MaxQualification = 200

// clean trims each answer to one line of at most MaxQualification runes.
func (q Qualification) clean() Qualification {
	c := func(s string) string {
		s = cleanLine(s)
		if r := []rune(s); len(r) > MaxQualification {
			s = string(r[:MaxQualification])
		}
		return s
	}
	return Qualification{Budget: c(q.Budget), Authority: c(q.Authority), Need: c(q.Need), Timeline: c(q.Timeline)}
}

// Empty reports whether no answer is given.
func (q Qualification) Empty() bool { return q == Qualification{} }

// merge keeps q's answers where u gives none.
func (q Qualification) merge(u Qualification) Qualification {
	pick := func(old, new string) string {
		if new != "" {
			return new
		}
		return old
	}
	return Qualification{Budget: pick(q.Budget, u.Budget), Authority: pick(q.Authority, u.Authority),
		Need: pick(q.Need, u.Need), Timeline: pick(q.Timeline, u.Timeline)}
}

// SetQualification sets a deal's BANT answers (budget, authority, need, timeline):
// the ones given replace the deal's, the others stay. The actor must be
// one who may change the deal.
func (s *Service) SetQualification(ctx context.Context, actor *User, dealID int64, q Qualification) (*Deal, error) {
	q = q.clean()
	if q.Empty() {
		return nil, Fail(KindInvalid, "error.bant_empty", "give at least one of budget, authority, need or timeline")
	}
	var deal *Deal
	err := s.store.Update(ctx, func(tx Tx) error {
		d, err := dealFor(ctx, tx, actor, dealID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		before := d.Qualification
		d.Qualification, d.UpdatedAt = d.Qualification.merge(q), now
		deal = d
		if err := tx.UpdateDeal(ctx, d); err != nil {
			return err
		}
		var changes []FieldChange
		for _, f := range []struct{ name, before, after string }{
			{"budget", before.Budget, d.Qualification.Budget},
			{"authority", before.Authority, d.Qualification.Authority},
			{"need", before.Need, d.Qualification.Need},
			{"timeline", before.Timeline, d.Qualification.Timeline},
		} {
			if f.before != f.after {
				changes = append(changes, FieldChange{Field: f.name, Before: f.before, After: f.after})
			}
		}
		if len(changes) == 0 {
			return nil
		}
		return s.audit(ctx, tx, actor, AuditEntry{Action: "deal.qualification", Deal: d.ID, Contact: d.ContactID, Changes: changes})
	})
	if err != nil {
		return nil, fmt.Errorf("qualification of %s: %w", DealRef(dealID), err)
	}
	return deal, nil
}

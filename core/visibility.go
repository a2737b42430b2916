package core

import (
	"context"
	"strings"
)

// Visibility is what a team's reps may read: their own leads and deals
// (and the team's unclaimed leads), or every lead and deal of the team.
// Reading never implies changing: a rep changes only their own.
type Visibility string

// The visibilities.
const (
	VisibilityOwn  Visibility = "own"
	VisibilityTeam Visibility = "team"
)

// ParseVisibility reads a team's visibility; "" is own.
func ParseVisibility(s string) (Visibility, error) {
	switch v := Visibility(strings.ToLower(strings.TrimSpace(s))); v {
	case "", VisibilityOwn:
		return VisibilityOwn, nil
	case VisibilityTeam:
		return v, nil
	}
	return "", Errorf(KindInvalid, "unknown visibility %q; use own (reps read their own leads and deals) or team (reps read the team's)", s)
}

// readsTeam reports whether actor is a rep whose team lets its reps read
// every lead and deal of the team.
func readsTeam(ctx context.Context, r DirectoryReader, actor *User) (bool, error) {
	if actor.Role != RoleRep || actor.TeamID == 0 {
		return false, nil
	}
	t, err := r.TeamByID(ctx, actor.TeamID)
	if IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return t.Visibility == VisibilityTeam, nil
}

// leadSeen loads a lead the actor may read: one they may act on, or a
// teammate's when their team reads the team's.
func leadSeen(ctx context.Context, r Reader, actor *User, id int64) (*Lead, error) {
	l, err := r.LeadByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if canLead(actor, l) {
		return l, nil
	}
	if l.TeamID != 0 && l.TeamID == actor.TeamID {
		ok, err := readsTeam(ctx, r, actor)
		if err != nil {
			return nil, err
		}
		if ok {
			return l, nil
		}
	}
	return nil, forbiddenLead(actor, l)
}

// dealSeen loads a deal the actor may read: one they may act on, or a
// teammate's when their team reads the team's.
func dealSeen(ctx context.Context, r Reader, actor *User, id int64) (*Deal, error) {
	d, err := r.DealByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if canDeal(actor, d) {
		return d, nil
	}
	if d.TeamID != 0 && d.TeamID == actor.TeamID {
		ok, err := readsTeam(ctx, r, actor)
		if err != nil {
			return nil, err
		}
		if ok {
			return d, nil
		}
	}
	return nil, forbiddenDeal(actor, d)
}

// seen resolves a lead or deal ref the actor may read, returning the ids
// of its timeline.
func seen(ctx context.Context, r Reader, actor *User, ref Ref) (contactID, leadID, dealID int64, err error) {
	switch ref.Kind {
	case 'L':
		l, err := leadSeen(ctx, r, actor, ref.ID)
		if err != nil {
			return 0, 0, 0, err
		}
		return l.ContactID, l.ID, l.DealID, nil
	case 'D':
		d, err := dealSeen(ctx, r, actor, ref.ID)
		if err != nil {
			return 0, 0, 0, err
		}
		return d.ContactID, d.LeadID, d.ID, nil
	}
	return 0, 0, 0, Fail(KindInvalid, "error.not_lead_or_deal", "{Ref} is not a lead or a deal", "Ref", ref.String())
}

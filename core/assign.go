package core

import (
	"context"
	"fmt"
	"time"
)

// handOff records that a lead or deal went from one owner to another (from
// 0: it had none) and tells them, in tx: the new owner gets the record
// with its open tasks, unless they took it themselves; the old owner hears
// it was handed over, unless they did it.
func (s *Service) handOff(ctx context.Context, tx Tx, actor *User, rt Route) error {
	rt.ByID = actor.ID
	if err := tx.AddRoute(ctx, &rt); err != nil {
		return err
	}
	ref := LeadRef(rt.LeadID)
	if rt.DealID != 0 {
		ref = DealRef(rt.DealID)
	}
	at := rt.At.UnixMilli()
	if rt.ToID != 0 && rt.ToID != actor.ID {
		n := Notice{Kind: NoticeAssigned, UserID: rt.ToID, LeadID: rt.LeadID, DealID: rt.DealID, By: actor.ID, How: rt.How, Text: rt.Rule,
			Key: NoticeKey(string(NoticeAssigned), ref, rt.ToID, at)}
		if _, err := s.Notices.Announce(ctx, tx, n); err != nil {
			return err
		}
	}
	if rt.FromID != 0 && rt.FromID != rt.ToID && rt.FromID != actor.ID {
		n := Notice{Kind: NoticeHandedOver, UserID: rt.FromID, LeadID: rt.LeadID, DealID: rt.DealID, By: actor.ID, How: rt.How, Text: rt.Rule,
			Key: NoticeKey(string(NoticeHandedOver), ref, rt.FromID, at)}
		if _, err := s.Notices.Announce(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

// AssignDeal hands an open deal over to another user: a manager within
// their team, an admin to anyone. The new owner is told, with the deal's
// latest activities and open tasks; so is the old owner.
func (s *Service) AssignDeal(ctx context.Context, actor *User, dealID, userID int64) (*Deal, error) {
	return s.assignDeal(ctx, actor, dealID, func(tx Tx, d *Deal) (*User, RouteHow, error) {
		to, err := tx.UserByID(ctx, userID)
		if err != nil {
			return nil, "", err
		}
		if err := assignee(actor, to, d.TeamID); err != nil {
			return nil, "", err
		}
		return to, RouteAssigned, nil
	})
}

// AssignDealRoundRobin hands an open deal to the next active rep of its
// team, in turn.
func (s *Service) AssignDealRoundRobin(ctx context.Context, actor *User, dealID int64) (*Deal, error) {
	return s.assignDeal(ctx, actor, dealID, func(tx Tx, d *Deal) (*User, RouteHow, error) {
		to, err := s.nextInTurn(ctx, tx, d.TeamID)
		return to, RouteRoundRobin, err
	})
}

func (s *Service) assignDeal(ctx context.Context, actor *User, dealID int64, pick func(Tx, *Deal) (*User, RouteHow, error)) (*Deal, error) {
	var deal *Deal
	err := s.store.Update(ctx, func(tx Tx) error {
		if actor.Role == RoleRep {
			return Refusal(KindForbidden, "assign.rep_deal", "only a manager or an admin hands deals over; ask your manager", "Ref", DealRef(dealID))
		}
		d, err := dealFor(ctx, tx, actor, dealID)
		if err != nil {
			return err
		}
		if d.Status != DealOpen {
			return Refusal(KindConflict, "assign.closed_deal", fmt.Sprintf("%s is %s; reopen it first", d.Ref(), d.Status), "Ref", d.Ref())
		}
		to, how, err := pick(tx, d)
		if err != nil {
			return err
		}
		if to.ID == d.OwnerID {
			return Refusal(KindConflict, "assign.already", fmt.Sprintf("%s is %s's already", d.Ref(), to.display()), "Ref", d.Ref(), "Who", to.display())
		}
		deal = d
		return s.setDealOwner(ctx, tx, actor, d, to, how, "")
	})
	if err != nil {
		return nil, fmt.Errorf("assign %s: %w", DealRef(dealID), err)
	}
	return deal, nil
}

// assignee checks that actor may give a record of team teamID to to: an
// admin to any active user, a manager to an active member of their own
// team, which must be the record's.
func assignee(actor, to *User, teamID int64) error {
	if !to.Active {
		return Refusal(KindInvalid, "assign.inactive", fmt.Sprintf("%s is deactivated; give it to someone active", to.display()), "Who", to.display())
	}
	if actor.Role == RoleAdmin {
		return nil
	}
	if actor.TeamID == 0 || to.TeamID != actor.TeamID {
		return Refusal(KindForbidden, "assign.other_team", fmt.Sprintf("%s is not in your team: a manager assigns within the team, an admin anywhere", to.display()), "Who", to.display())
	}
	if teamID != 0 && to.TeamID != teamID {
		return Refusal(KindInvalid, "assign.not_record_team", fmt.Sprintf("%s is not in the record's team", to.display()), "Who", to.display())
	}
	return nil
}

// setDealOwner gives d to owner and records it: the deal, the audit log,
// the timeline, the routing, and the notices (rule: the rule that did it).
func (s *Service) setDealOwner(ctx context.Context, tx Tx, actor *User, d *Deal, owner *User, how RouteHow, rule string) error {
	now := s.clock.Now()
	from := d.OwnerID
	before := ""
	if from != 0 {
		if u, err := tx.UserByID(ctx, from); err == nil {
			before = u.Email
		}
	}
	d.OwnerID, d.UpdatedAt = owner.ID, now
	if err := tx.UpdateDeal(ctx, d); err != nil {
		return err
	}
	if err := s.audit(ctx, tx, actor, AuditEntry{Action: "deal.assign", Deal: d.ID, Contact: d.ContactID, User: owner.ID,
		Changes: []FieldChange{{Field: "owner", Before: before, After: owner.Email}}}); err != nil {
		return err
	}
	key, args := "timeline.handed_over", Args{"To": UserArg(owner.ID)}
	switch {
	case how == RouteRoundRobin && rule != "":
		key, args = "timeline.assigned_rule", Args{"To": UserArg(owner.ID), "Rule": TextArg(rule)}
	case how == RouteRoundRobin:
		key = "timeline.assigned_rr"
	}
	if err := tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: d.ContactID, LeadID: d.LeadID, DealID: d.ID, UserID: actor.ID,
		Key: key, Args: byActor(actor, args), At: now}); err != nil {
		return err
	}
	if err := s.emit(ctx, tx, EventDealUpdated, DealRefOf(d.ID), EventData{}); err != nil {
		return err
	}
	return s.handOff(ctx, tx, actor, Route{DealID: d.ID, How: how, TeamID: d.TeamID, Rule: rule, ToID: owner.ID, FromID: from, At: now})
}

// FollowUpFor creates a task on a lead or deal for another user, who gets
// its reminder: a manager for a member of their team, an admin for
// anyone. The owner is told a task was given to them. For oneself it is
// FollowUp.
func (s *Service) FollowUpFor(ctx context.Context, actor *User, ownerID int64, ref Ref, title string, due time.Time) (*Task, error) {
	if ownerID == actor.ID {
		return s.FollowUp(ctx, actor, ref, title, due)
	}
	if actor.Role == RoleRep {
		return nil, Refusal(KindForbidden, "remind.rep_other", "only a manager or an admin gives tasks to others; remind yourself instead")
	}
	title = cleanLine(title)
	if title == "" {
		title = "Follow up"
	}
	if due.IsZero() {
		return nil, Errorf(KindInvalid, "when is it due? give a time, e.g. tomorrow 9am or 2026-12-01 14:00")
	}
	var task *Task
	err := s.store.Update(ctx, func(tx Tx) error {
		to, err := tx.UserByID(ctx, ownerID)
		if err != nil {
			return err
		}
		if err := assignee(actor, to, 0); err != nil {
			return err
		}
		_, leadID, dealID, err := target(ctx, tx, actor, ref)
		if err != nil {
			return err
		}
		if ref.Kind == 'L' {
			dealID = 0
		}
		now := s.clock.Now()
		task = &Task{Title: title, DueAt: due.UTC(), OwnerID: to.ID, LeadID: leadID, DealID: dealID, CreatedAt: now}
		if err := s.createTask(ctx, tx, actor, "", task); err != nil {
			return err
		}
		_, err = s.Notices.Announce(ctx, tx, Notice{Kind: NoticeTaskGiven, UserID: to.ID, TaskID: task.ID, By: actor.ID,
			Key: NoticeKey(string(NoticeTaskGiven), fmt.Sprintf("T%d", task.ID))})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("follow up on %s: %w", ref, err)
	}
	return task, nil
}

package core

import (
	"context"
	"fmt"
)

// Contact returns a contact the actor may see: an admin any; others the
// contacts of their team and those of a lead or deal they may act on.
func (s *Service) Contact(ctx context.Context, actor *User, id int64) (*Contact, error) {
	c, err := s.store.ContactByID(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.reaches(ctx, actor, c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, Errorf(KindForbidden, "that contact is not within your reach: you see the contacts of your team and of your own leads and deals")
	}
	return c, nil
}

// reaches reports whether actor may see c. The team's contacts need no
// query; a contact of another team is seen through a lead or deal of it.
func (s *Service) reaches(ctx context.Context, actor *User, c *Contact) (bool, error) {
	if actor.Role == RoleAdmin || (actor.TeamID != 0 && c.TeamID == actor.TeamID) {
		return true, nil
	}
	leads, err := s.store.ListLeads(ctx, LeadFilter{ContactID: c.ID, Limit: 50})
	if err != nil {
		return false, err
	}
	for i := range leads {
		if canLead(actor, &leads[i]) {
			return true, nil
		}
	}
	deals, err := s.store.ListDeals(ctx, DealFilter{ContactID: c.ID, Limit: 50})
	if err != nil {
		return false, err
	}
	for i := range deals {
		if canDeal(actor, &deals[i]) {
			return true, nil
		}
	}
	return false, nil
}

// Contacts pages through the contacts the actor may list, oldest first:
// an admin any team's (f.TeamID, 0 for all), a manager of a team the
// team's. Others list none here: they reach contacts through their leads.
func (s *Service) Contacts(ctx context.Context, actor *User, f ContactFilter) ([]Contact, error) {
	switch {
	case actor.Role == RoleAdmin:
	case actor.Role == RoleManager && actor.TeamID != 0:
		f.TeamID = actor.TeamID
	default:
		return nil, nil
	}
	return s.store.ListContacts(ctx, f)
}

// PossibleDuplicates lists the marks naming a contact the actor may see,
// at most limit.
func (s *Service) PossibleDuplicates(ctx context.Context, actor *User, contactID int64, limit int) ([]PossibleDuplicate, error) {
	if _, err := s.Contact(ctx, actor, contactID); err != nil {
		return nil, err
	}
	return s.store.PossibleDuplicates(ctx, contactID, limit)
}

// StageHistory lists the stage moves of a deal the actor may act on,
// oldest first.
func (s *Service) StageHistory(ctx context.Context, actor *User, dealID int64) ([]StageChange, error) {
	if _, err := s.Deal(ctx, actor, dealID); err != nil {
		return nil, err
	}
	return s.store.StageHistory(ctx, dealID)
}

// NoticeSubject is what a notice is about, loaded for its rendering: who
// reads it and the records it names.
type NoticeSubject struct {
	// Reader is whom to render for: the notice's user, or for a team's
	// channel TeamViewer (any rep of the team, in the organisation's zone).
	Reader *User
	Team   *Team // the team of a team notice; nil for a user's
	Lead   *Lead // nil unless the notice names one
	Deal   *Deal // the notice's deal, or its task's
	Task   *Task
}

// NoticeSubject loads what n is about. A team notice that names a lead
// and no team is for the lead's team.
func (s *Notices) NoticeSubject(ctx context.Context, n Notice) (*NoticeSubject, error) {
	var sub NoticeSubject
	var err error
	if n.LeadID != 0 {
		if sub.Lead, err = s.store.LeadByID(ctx, n.LeadID); err != nil {
			return nil, fmt.Errorf("%s notice: %w", n.Kind, err)
		}
		if n.UserID == 0 && n.TeamID == 0 {
			n.TeamID = sub.Lead.TeamID
		}
	}
	if n.DealID != 0 {
		if sub.Deal, err = s.store.DealByID(ctx, n.DealID); err != nil {
			return nil, fmt.Errorf("%s notice: %w", n.Kind, err)
		}
	}
	if n.TaskID != 0 {
		if sub.Task, err = s.store.TaskByID(ctx, n.TaskID); err != nil {
			return nil, fmt.Errorf("%s notice: %w", n.Kind, err)
		}
		if n.UserID == 0 {
			n.UserID = sub.Task.OwnerID
		}
		if sub.Deal == nil && sub.Task.DealID != 0 {
			if sub.Deal, err = s.store.DealByID(ctx, sub.Task.DealID); err != nil && !IsNotFound(err) {
				return nil, fmt.Errorf("%s notice: %w", n.Kind, err)
			}
		}
	}
	switch {
	case n.UserID != 0:
		if sub.Reader, err = s.store.UserByID(ctx, n.UserID); err != nil {
			return nil, fmt.Errorf("%s notice: %w", n.Kind, err)
		}
	default:
		if n.TeamID != 0 {
			if sub.Team, err = s.store.TeamByID(ctx, n.TeamID); err != nil {
				return nil, fmt.Errorf("%s notice: %w", n.Kind, err)
			}
		}
		sub.Reader = TeamViewer(n.TeamID, s.settings.TimeZone)
		if sub.Team != nil {
			sub.Reader.Locale = sub.Team.Locale // the channel's language
		}
	}
	return &sub, nil
}

// LeadContact returns the contact of a lead the actor may act on, or of
// their team's (whose contacts they see); no lookup checks the lead again.
func (s *Service) LeadContact(ctx context.Context, actor *User, l *Lead) (*Contact, error) {
	if !canLead(actor, l) && !(actor.TeamID != 0 && l.TeamID == actor.TeamID) {
		return nil, forbiddenLead(actor, l)
	}
	return s.store.ContactByID(ctx, l.ContactID)
}

// DealContact returns the contact of a deal the actor may act on, or of
// their team's (a task's deal, shown to the task's owner).
func (s *Service) DealContact(ctx context.Context, actor *User, d *Deal) (*Contact, error) {
	if !canDeal(actor, d) && !(actor.TeamID != 0 && d.TeamID == actor.TeamID) {
		return nil, forbiddenDeal(actor, d)
	}
	return s.store.ContactByID(ctx, d.ContactID)
}

// DealNext is what a deal's card shows beside it: its next open task
// (whoever owns it) and its latest activity, either nil when none.
func (s *Service) DealNext(ctx context.Context, actor *User, d *Deal) (next *Task, last *Activity, err error) {
	if !canDeal(actor, d) && !(actor.TeamID != 0 && d.TeamID == actor.TeamID) {
		return nil, nil, forbiddenDeal(actor, d)
	}
	tasks, err := s.store.ListTasks(ctx, TaskFilter{DealID: d.ID, OpenOnly: true, Limit: 1})
	if err != nil {
		return nil, nil, err
	}
	acts, err := s.store.ListActivities(ctx, ActivityFilter{DealID: d.ID, Limit: 1})
	if err != nil {
		return nil, nil, err
	}
	if len(tasks) > 0 {
		next = &tasks[0]
	}
	if len(acts) > 0 {
		last = &acts[0]
	}
	return next, last, nil
}

package core

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// target resolves a lead or deal ref the actor may act on, returning the
// ids an activity or task attaches to.
func target(ctx context.Context, tx Reader, actor *User, ref Ref) (contactID, leadID, dealID int64, err error) {
	switch ref.Kind {
	case 'L':
		l, err := leadFor(ctx, tx, actor, ref.ID)
		if err != nil {
			return 0, 0, 0, err
		}
		return l.ContactID, l.ID, l.DealID, nil
	case 'D':
		d, err := dealFor(ctx, tx, actor, ref.ID)
		if err != nil {
			return 0, 0, 0, err
		}
		return d.ContactID, d.LeadID, d.ID, nil
	}
	return 0, 0, 0, Fail(KindInvalid, "error.not_lead_or_deal", "{Ref} is not a lead or a deal", "Ref", ref)
}

// Note adds a note to a lead's or deal's timeline.
func (s *Service) Note(ctx context.Context, actor *User, ref Ref, text string) (*Activity, error) {
	text = strings.TrimSpace(cleanText(text))
	if text == "" {
		return nil, Fail(KindInvalid, "error.note_empty", "the note is empty; write: note {Ref} your text", "Ref", ref)
	}
	var act *Activity
	err := s.store.Update(ctx, func(tx Tx) error {
		contactID, leadID, dealID, err := target(ctx, tx, actor, ref)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		act = &Activity{Kind: ActivityNote, ContactID: contactID, LeadID: leadID, DealID: dealID, UserID: actor.ID, Body: text, At: now}
		if err := tx.AddActivity(ctx, act); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, AuditEntry{Action: "note.add", Contact: contactID, Lead: leadID, Deal: dealID, Target: ref.String(),
			Changes: []FieldChange{{Field: "note", After: clipAudit(text)}}}); err != nil {
			return err
		}
		return s.touch(ctx, tx, leadID, dealID, now)
	})
	if err != nil {
		return nil, fmt.Errorf("note on %s: %w", ref, err)
	}
	return act, nil
}

// touch records activity on a lead or deal, which keeps it from rotting
// and counts as a response to a lead.
func (s *Service) touch(ctx context.Context, tx Tx, leadID, dealID int64, now time.Time) error {
	if dealID != 0 {
		d, err := tx.DealByID(ctx, dealID)
		if err != nil {
			return err
		}
		d.LastActivityAt, d.UpdatedAt = now, now
		return tx.UpdateDeal(ctx, d)
	}
	if leadID != 0 {
		l, err := tx.LeadByID(ctx, leadID)
		if err != nil {
			return err
		}
		l.LastActivityAt, l.UpdatedAt = now, now
		if l.FirstResponseAt.IsZero() {
			l.FirstResponseAt = now
		}
		return tx.UpdateLead(ctx, l)
	}
	return nil
}

// Timeline returns the activities of a lead or deal, newest first.
func (s *Service) Timeline(ctx context.Context, actor *User, ref Ref, limit int) ([]Activity, error) {
	_, leadID, dealID, err := seen(ctx, s.store, actor, ref)
	if err != nil {
		return nil, err
	}
	f := ActivityFilter{LeadID: leadID, Limit: limit}
	if dealID != 0 {
		f = ActivityFilter{DealID: dealID, Limit: limit}
	}
	return s.store.ListActivities(ctx, f)
}

// FollowUp creates a task for the actor on a lead or deal, due at due.
func (s *Service) FollowUp(ctx context.Context, actor *User, ref Ref, title string, due time.Time) (*Task, error) {
	title = cleanLine(title)
	if title == "" {
		title = "Follow up"
	}
	if due.IsZero() {
		return nil, Fail(KindInvalid, "error.task_when", "when is it due? give a time, e.g. tomorrow 9am or 2026-12-01 14:00")
	}
	var task *Task
	err := s.store.Update(ctx, func(tx Tx) error {
		_, leadID, dealID, err := target(ctx, tx, actor, ref)
		if err != nil {
			return err
		}
		if ref.Kind == 'L' {
			dealID = 0
		}
		task = &Task{Title: title, DueAt: due.UTC(), OwnerID: actor.ID, LeadID: leadID, DealID: dealID, CreatedAt: s.clock.Now()}
		return s.createTask(ctx, tx, actor, "", task)
	})
	if err != nil {
		return nil, fmt.Errorf("follow up on %s: %w", ref, err)
	}
	return task, nil
}

// AddTask creates a task for the actor that is not tied to a lead or deal.
func (s *Service) AddTask(ctx context.Context, actor *User, title string, due time.Time) (*Task, error) {
	title = cleanLine(title)
	if title == "" || due.IsZero() {
		return nil, Fail(KindInvalid, "error.task_needs_title", "a task needs a title and a due time")
	}
	task := &Task{Title: title, DueAt: due.UTC(), OwnerID: actor.ID, CreatedAt: s.clock.Now()}
	err := s.store.Update(ctx, func(tx Tx) error { return s.createTask(ctx, tx, actor, "", task) })
	if err != nil {
		return nil, fmt.Errorf("add task: %w", err)
	}
	return task, nil
}

// Tasks lists the actor's tasks (a manager may pass a rep's id in f.OwnerID).
func (s *Service) Tasks(ctx context.Context, actor *User, f TaskFilter) ([]Task, error) {
	if outsideReach(actor, false, f.TeamID, f.OwnerID) {
		return nil, nil // asked for another team's or rep's: none within reach
	}
	switch {
	case actor.Role == RoleAdmin:
	case actor.Role == RoleManager && actor.TeamID != 0:
		if f.OwnerID == 0 {
			f.TeamID = actor.TeamID
		} else if err := s.checkTeamMember(ctx, actor, f.OwnerID); err != nil {
			return nil, err
		}
	default:
		f.OwnerID = ownID(actor)
	}
	return s.store.ListTasks(ctx, f)
}

func (s *Service) checkTeamMember(ctx context.Context, actor *User, userID int64) error {
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if u.TeamID != actor.TeamID && u.ID != actor.ID {
		return Fail(KindForbidden, "error.not_in_your_team", "{Who} is not in your team", "Who", u.display())
	}
	return nil
}

// CompleteTask marks a task done.
func (s *Service) CompleteTask(ctx context.Context, actor *User, taskID int64) (*Task, error) {
	return s.editTask(ctx, actor, taskID, "task.done", func(t *Task, now time.Time) error {
		if t.Done {
			return Fail(KindConflict, "error.task_done_already", "{Ref} is done already", "Ref", TaskRef(t.ID))
		}
		t.Done, t.DoneAt = true, now
		return nil
	})
}

// SnoozeTask puts a task off until a later time.
func (s *Service) SnoozeTask(ctx context.Context, actor *User, taskID int64, until time.Time) (*Task, error) {
	return s.editTask(ctx, actor, taskID, "task.snooze", func(t *Task, now time.Time) error {
		if t.Done {
			return Fail(KindConflict, "error.task_done_already", "{Ref} is done already", "Ref", TaskRef(t.ID))
		}
		if !until.After(now) {
			return Fail(KindInvalid, "error.snooze_future", "snooze until a time in the future")
		}
		t.SnoozedUntil = until.UTC()
		return nil
	})
}

func (s *Service) editTask(ctx context.Context, actor *User, taskID int64, action string, edit func(*Task, time.Time) error) (*Task, error) {
	var task *Task
	err := s.store.Update(ctx, func(tx Tx) error {
		t, err := tx.TaskByID(ctx, taskID)
		if err != nil {
			return err
		}
		if err := s.mayEditTask(ctx, tx, actor, t); err != nil {
			return err
		}
		was := taskFields(t)
		if err := edit(t, s.clock.Now()); err != nil {
			return err
		}
		task = t
		if err := tx.UpdateTask(ctx, t); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, AuditEntry{Action: action, Lead: t.LeadID, Deal: t.DealID, User: t.OwnerID,
			Target: "T" + strconv.FormatInt(t.ID, 10), Changes: diffFields(was, taskFields(t))}); err != nil {
			return err
		}
		if t.Done {
			return nil
		}
		// A new due time gets its reminder; the same one is a duplicate
		// the queue skips.
		return tx.Enqueue(ctx, reminderJob(t))
	})
	if err != nil {
		return nil, fmt.Errorf("task T%d: %w", taskID, err)
	}
	return task, nil
}

// Search finds contacts by name, company, email or phone within the actor's
// team (all teams for an admin); someone in no team finds the contacts of
// their own leads and deals only.
func (s *Service) Search(ctx context.Context, actor *User, query string, limit int) ([]SearchHit, error) {
	if strings.TrimSpace(query) == "" {
		return nil, Fail(KindInvalid, "error.search_what", "search for what? give a name, email, phone or company")
	}
	var f SearchFilter
	switch {
	case actor.Role == RoleAdmin:
		f.Everyone = true
	case actor.TeamID != 0:
		f.TeamID = actor.TeamID
	default:
		f.OwnerID = ownID(actor)
	}
	if limit <= 0 {
		limit = 20
	}
	// A phone number is searched by its digits, as stored.
	q := query
	if p, err := NormalizePhone(query, s.settings.DefaultRegion); err == nil && strings.ContainsAny(query, "0123456789") && !strings.Contains(query, "@") {
		q = strings.TrimPrefix(p, "+")
	}
	f.Query, f.Limit = q, limit
	return s.store.Search(ctx, f)
}

package core

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// LogCall records a call on a lead's or deal's timeline, with the notes
// taken (which may be none).
func (s *Service) LogCall(ctx context.Context, actor *User, ref Ref, notes string) (*Activity, error) {
	var act *Activity
	err := s.store.Update(ctx, func(tx Tx) error {
		contactID, leadID, dealID, err := target(ctx, tx, actor, ref)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		act = &Activity{Kind: ActivityCall, ContactID: contactID, LeadID: leadID, DealID: dealID, UserID: actor.ID,
			Body: strings.TrimSpace(cleanText(notes)), At: now}
		if err := tx.AddActivity(ctx, act); err != nil {
			return err
		}
		return s.touch(ctx, tx, leadID, dealID, now)
	})
	if err != nil {
		return nil, fmt.Errorf("call on %s: %w", ref, err)
	}
	return act, nil
}

// ScheduleMeeting records a meeting at a time on a lead's or deal's
// timeline, and makes it the actor's task of kind meeting due then, with
// its reminder: the reminder asks whether it was held. The task's title is
// the notes, else untitled ("Meeting" in the actor's language; English
// when empty).
func (s *Service) ScheduleMeeting(ctx context.Context, actor *User, ref Ref, at time.Time, notes, untitled string) (*Task, error) {
	if at.IsZero() {
		return nil, Fail(KindInvalid, "error.meeting_no_time", "when is the meeting? give a time, e.g. tomorrow 3pm or 2026-12-01 14:00")
	}
	notes = cleanLine(notes)
	var task *Task
	err := s.store.Update(ctx, func(tx Tx) error {
		contactID, leadID, dealID, err := target(ctx, tx, actor, ref)
		if err != nil {
			return err
		}
		if ref.Kind == 'L' {
			dealID = 0
		}
		now := s.clock.Now()
		title := cmp.Or(notes, cleanLine(untitled), "Meeting")
		task = &Task{Kind: TaskMeeting, Title: title, DueAt: at.UTC(), OwnerID: actor.ID, LeadID: leadID, DealID: dealID, CreatedAt: now}
		if err := s.createTask(ctx, tx, actor, "", task); err != nil {
			return err
		}
		if err := tx.AddActivity(ctx, &Activity{Kind: ActivityMeeting, ContactID: contactID, LeadID: leadID, DealID: dealID,
			UserID: actor.ID, Key: "timeline.meeting_scheduled", Args: Args{"At": TimeArg(at)}, Body: notes, At: now}); err != nil {
			return err
		}
		return s.touch(ctx, tx, leadID, dealID, now)
	})
	if err != nil {
		return nil, fmt.Errorf("meeting on %s: %w", ref, err)
	}
	return task, nil
}

// MeetingHeld marks a meeting held: ref names the meeting (T7) or its lead
// or deal (the open meeting most recently due, else the next one). The
// task is done, the timeline says so, and the lead gets the configured
// meeting_confirmed points, once.
func (s *Service) MeetingHeld(ctx context.Context, actor *User, ref Ref) (*Task, error) {
	var task *Task
	err := s.store.Update(ctx, func(tx Tx) error {
		t, err := s.meetingOf(ctx, tx, actor, ref)
		if err != nil {
			return err
		}
		if err := s.mayEditTask(ctx, tx, actor, t); err != nil {
			return err
		}
		switch {
		case !t.HeldAt.IsZero():
			return Fail(KindConflict, "error.meeting_held_already", "{Task} was marked held already", "Task", TaskRef(t.ID))
		case t.Done:
			return Fail(KindConflict, "error.task_done_already", "{Ref} is done already", "Ref", TaskRef(t.ID))
		}
		now := s.clock.Now()
		t.Done, t.DoneAt, t.HeldAt = true, now, now
		if err := tx.UpdateTask(ctx, t); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, AuditEntry{Action: "task.held", Lead: t.LeadID, Deal: t.DealID, User: t.OwnerID,
			Target: fmt.Sprintf("T%d", t.ID), Changes: []FieldChange{{Field: "held", After: "yes"}}}); err != nil {
			return err
		}
		leadID, dealID, contactID := t.LeadID, t.DealID, int64(0)
		if dealID != 0 {
			d, err := tx.DealByID(ctx, dealID)
			if err != nil {
				return err
			}
			leadID, contactID = d.LeadID, d.ContactID
		}
		if leadID != 0 {
			l, err := tx.LeadByID(ctx, leadID)
			if err != nil {
				return err
			}
			contactID = l.ContactID
			if hit, ok := s.settings.Scoring.EventHit(EventMeetingConfirmed, now); ok {
				hit.Detail = fmt.Sprintf("T%d", t.ID)
				l.ScoreHits = append(l.ScoreHits, hit)
				l.Score = s.settings.Scoring.Total(l.ScoreHits, now, now)
				l.UpdatedAt = now
				if err := tx.UpdateLead(ctx, l); err != nil {
					return err
				}
			}
		}
		if err := tx.AddActivity(ctx, &Activity{Kind: ActivityMeeting, ContactID: contactID, LeadID: leadID, DealID: dealID,
			UserID: actor.ID, Key: "timeline.meeting_held", Body: t.Title, At: now}); err != nil {
			return err
		}
		task = t
		if t.DealID == 0 && t.LeadID != 0 {
			return s.touch(ctx, tx, t.LeadID, 0, now)
		}
		return s.touch(ctx, tx, 0, t.DealID, now)
	})
	if err != nil {
		return nil, fmt.Errorf("meeting held on %s: %w", ref, err)
	}
	return task, nil
}

// meetingOf finds the meeting ref names: the task itself, or the open
// meeting of a lead or deal most recently due by now, else the next.
func (s *Service) meetingOf(ctx context.Context, tx Tx, actor *User, ref Ref) (*Task, error) {
	if ref.Kind == 'T' {
		t, err := tx.TaskByID(ctx, ref.ID)
		if err != nil {
			return nil, err
		}
		if t.Kind != TaskMeeting {
			return nil, Fail(KindInvalid, "error.task_not_a_meeting", "{Task} is not a meeting; mark it done instead", "Task", TaskRef(t.ID))
		}
		return t, nil
	}
	_, leadID, dealID, err := target(ctx, tx, actor, ref)
	if err != nil {
		return nil, err
	}
	f := TaskFilter{DealID: dealID, OpenOnly: true, Limit: 500}
	if ref.Kind == 'L' || dealID == 0 {
		f = TaskFilter{LeadID: leadID, OpenOnly: true, Limit: 500}
	}
	tasks, err := tx.ListTasks(ctx, f)
	if err != nil {
		return nil, err
	}
	tasks = slices.DeleteFunc(tasks, func(t Task) bool { return t.Kind != TaskMeeting })
	if len(tasks) == 0 {
		return nil, Fail(KindNotFound, "error.no_open_meeting", "{Ref} has no open meeting; book one with: meeting {Ref} tomorrow 3pm", "Ref", ref.String())
	}
	// Tasks come by due time: the last one due by now, else the first.
	now, pick := s.clock.Now(), tasks[0]
	for _, t := range tasks {
		if !t.Due().After(now) {
			pick = t
		}
	}
	return &pick, nil
}

// mayEditTask checks that the actor may change the task: its owner, a
// manager of the owner's team, or an admin.
func (s *Service) mayEditTask(ctx context.Context, tx Tx, actor *User, t *Task) error {
	if t.OwnerID == actor.ID || actor.Role == RoleAdmin {
		return nil
	}
	owner, err := tx.UserByID(ctx, t.OwnerID)
	if err != nil {
		return err
	}
	if actor.Role != RoleManager || actor.TeamID == 0 || owner.TeamID != actor.TeamID {
		return Fail(KindForbidden, "error.task_not_yours", "{Ref} is not yours", "Ref", TaskRef(t.ID))
	}
	return nil
}

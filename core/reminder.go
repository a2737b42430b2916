package core

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// ReminderJob reminds a task's owner that it fell due at DueAt. A task
// gets one when it is created and another each time it is snoozed; the job
// whose due time is no longer the task's finds nothing to do, so a snooze
// re-schedules and completing cancels without touching the queue.
type ReminderJob struct {
	TaskID int64     `json:"task_id"`
	DueAt  time.Time `json:"due_at"`
}

// Kind implements Job.
func (ReminderJob) Kind() string { return "reminder" }

// JobOptions implements JobScheduler: the job runs at the due time and is
// enqueued once per task and due time.
func (j ReminderJob) JobOptions() JobOptions {
	return JobOptions{RunAt: j.DueAt, UniqueKey: NoticeKey("T"+strconv.FormatInt(j.TaskID, 10), j.DueAt.Unix())}
}

// reminderJob is the job for a task's current due time.
func reminderJob(t *Task) ReminderJob {
	return ReminderJob{TaskID: t.ID, DueAt: t.Due().UTC().Truncate(time.Microsecond)}
}

// createTask stores a new task and schedules its reminder, in tx: every
// path that creates a task goes through it. The audit log names actor,
// or who ("rule:…") when actor is nil.
func (s *Service) createTask(ctx context.Context, tx Tx, actor *User, who string, t *Task) error {
	if err := tx.CreateTask(ctx, t); err != nil {
		return err
	}
	if err := s.audit(ctx, tx, actor, AuditEntry{Action: "task.create", Actor: who, Lead: t.LeadID, Deal: t.DealID, User: t.OwnerID,
		Target: "T" + strconv.FormatInt(t.ID, 10), Changes: []FieldChange{{Field: "title", After: t.Title},
			{Field: "due", After: auditTime(t.DueAt)}}}); err != nil {
		return err
	}
	return tx.Enqueue(ctx, reminderJob(t))
}

// ReminderKey is the notice key of a task's reminder for one due time.
func ReminderKey(taskID int64, due time.Time) string {
	return NoticeKey("reminder", "T"+strconv.FormatInt(taskID, 10), due.Unix())
}

// FireReminder runs a ReminderJob: in one transaction, when the task is
// still open, still due at due (a snooze moves it, and a newer job then
// exists) and not yet reminded of that due time, it marks it reminded and
// announces a NoticeReminder to the owner. It reports whether it did; a
// job that runs twice (a crash, a second replica) announces once.
func (s *Service) FireReminder(ctx context.Context, taskID int64, due time.Time) (bool, error) {
	due = due.UTC().Truncate(time.Microsecond)
	fired := false
	err := s.store.Update(ctx, func(tx Tx) error {
		t, err := tx.TaskByID(ctx, taskID)
		if IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if t.Done || t.OwnerID == 0 || !t.Due().Truncate(time.Microsecond).Equal(due) {
			return nil
		}
		ok, err := tx.MarkReminded(ctx, t.ID, due)
		if err != nil || !ok {
			return err
		}
		fired = true
		if _, err = s.Notices.Announce(ctx, tx, Notice{Kind: NoticeReminder, UserID: t.OwnerID, TaskID: t.ID, LeadID: t.LeadID,
			DealID: t.DealID, Key: ReminderKey(t.ID, due)}); err != nil {
			return err
		}
		return s.emit(ctx, tx, EventTaskOverdue, TaskRefOf(t.ID), EventData{})
	})
	if err != nil {
		return false, fmt.Errorf("reminder of T%d: %w", taskID, err)
	}
	return fired, nil
}

// NoticeFailed handles a notice that could not be delivered on channel
// for good: the user it was for is told once a day, on their other
// channels, that this one fails. A team's notice or a notice about a
// failing channel tells nobody. It returns the channels told.
func (s *Notices) NoticeFailed(ctx context.Context, channel string, n Notice, cause error) ([]string, error) {
	if n.UserID == 0 || n.Kind == NoticeChannelFailing {
		return nil, nil
	}
	what, whatKey := "a notice", "channel_failing.what.notice"
	switch {
	case n.Kind == NoticeReminder && n.TaskID != 0:
		what, whatKey = "the reminder of T"+strconv.FormatInt(n.TaskID, 10), "channel_failing.what.reminder"
	case n.Kind == NoticeDigest:
		what, whatKey = "your digest", "channel_failing.what.digest"
	}
	reason := "it keeps failing"
	msg := NoticeMsg{Key: "channel_failing.keeps_failing", Args: map[string]string{"Channel": channelName(channel), "Ref": TaskRef(n.TaskID)},
		Terms: map[string]string{"What": whatKey}}
	if cause != nil {
		reason = cause.Error()
		msg.Key, msg.Args["Reason"] = "channel_failing", reason
	}
	if channel == ChannelEmail {
		msg.Terms["Channel"] = "term.channel.email"
	}
	text := fmt.Sprintf("leadwire could not reach you on %s (%s), so %s did not arrive there. "+
		"Check that the leadwire app may message you on %s; until then your notices come here.", channelName(channel), reason, what, channelName(channel))
	var told []string
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		told, err = s.AnnounceExcept(ctx, tx, Notice{Kind: NoticeChannelFailing, UserID: n.UserID, Text: text, Msgs: []NoticeMsg{msg},
			Key: NoticeKey("channel_failing", channel, "U"+strconv.FormatInt(n.UserID, 10), s.clock.Now().UTC().Format(time.DateOnly))}, channel)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("tell user %d that %s fails: %w", n.UserID, channel, err)
	}
	return told, nil
}

// channelName is a channel as users call it.
func channelName(ch string) string {
	switch ch {
	case ChannelSlack:
		return "Slack"
	case ChannelTelegram:
		return "Telegram"
	case ChannelEmail:
		return "email"
	}
	return ch
}

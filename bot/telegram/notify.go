package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/riverqueue/river"

	"leadwire/core"
)

// NotifyLead posts a new lead's card, with Claim, to its team's Telegram
// group (core.Team.TelegramChat); a team without one is skipped. Pressing
// Claim edits the card in place to show the owner. A 429 comes back as
// *tg.TooManyRequestsError.
func (a *Adapter) NotifyLead(ctx context.Context, leadID int64) error {
	return a.notifyLead(ctx, leadID, nil)
}

// notifyLead is NotifyLead; pace, when given, may hold the message back
// (and returns a *river.JobSnoozeError then).
func (a *Adapter) notifyLead(ctx context.Context, leadID int64, pace *pacer) error {
	reply, team, err := a.conv.TeamLeadNotice(ctx, leadID)
	if err != nil {
		return fmt.Errorf("notify lead %d: %w", leadID, err)
	}
	if team == nil {
		return nil
	}
	chat := chatID(team.TelegramChat)
	if chat == nil {
		return nil // nobody to tell in Telegram
	}
	if pace != nil {
		if wait := pace.reserve(chat, a.now()); wait > 0 {
			return river.JobSnooze(wait)
		}
	}
	if _, err := a.Send(ctx, chat, reply); err != nil {
		return fmt.Errorf("notify lead %d: %w", leadID, err)
	}
	return nil
}

// chatID reads a configured chat: a numeric id (-100…) or a public @name;
// nil when none.
func chatID(s string) any {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		return id
	}
	return s
}

// NewLeadJob posts a new lead to its team's Telegram group. It is its own
// job kind, apart from core.NewLeadJob, so a retry of one chat's post
// never repeats another's; it is unique by lead, so enqueuing it twice
// posts once.
type NewLeadJob struct {
	LeadID int64 `json:"lead_id"`
}

// Kind implements river.JobArgs.
func (NewLeadJob) Kind() string { return "telegram_new_lead" }

// InsertOpts implements river.JobArgsWithInsertOpts: one job per lead.
func (NewLeadJob) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// NewLeadWorker is the River worker of NewLeadJob. Posts are paced within
// Telegram's limits (a job over them is snoozed until there is room); when
// Telegram answers 429 all the same, the job is snoozed for its
// retry_after and tried again through the queue, so nothing is dropped; a
// lead gone from the database cancels it.
type NewLeadWorker struct {
	river.WorkerDefaults[NewLeadJob]
	a *Adapter
}

// NewLeadWorker returns the worker posting new leads through the adapter.
func (a *Adapter) NewLeadWorker() *NewLeadWorker { return &NewLeadWorker{a: a} }

// Work implements river.Worker.
func (w *NewLeadWorker) Work(ctx context.Context, job *river.Job[NewLeadJob]) error {
	return jobError(w.a.notifyLead(ctx, job.Args.LeadID, w.a.pace))
}

// jobError maps a Telegram failure onto River: a rate limit snoozes the
// job for retry_after (not counted as a failed attempt), a missing record
// cancels it, anything else is retried with River's backoff.
func jobError(err error) error {
	var limited *tg.TooManyRequestsError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &limited):
		return river.JobSnooze(max(time.Duration(limited.RetryAfter)*time.Second, time.Second))
	case core.IsNotFound(err):
		return river.JobCancel(err)
	}
	return err
}

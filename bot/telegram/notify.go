package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"

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
// (and returns core.RetryAfter then).
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
			return core.RetryAfter(wait)
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

// Kind implements core.Job.
func (NewLeadJob) Kind() string { return "telegram_new_lead" }

// JobOptions implements core.JobScheduler: one job per lead.
func (j NewLeadJob) JobOptions() core.JobOptions {
	return core.JobOptions{UniqueKey: core.NoticeKey("telegram_new_lead", j.LeadID)}
}

// HandleNewLead is the handler of NewLeadJob. Posts are paced within
// Telegram's limits (a job over them is retried when there is room); when
// Telegram answers 429 all the same, the job is retried after its
// retry_after through the queue, so nothing is dropped; a lead gone from
// the database fails it for good.
func (a *Adapter) HandleNewLead(ctx context.Context, job NewLeadJob, _ core.JobInfo) error {
	return jobError(a.notifyLead(ctx, job.LeadID, a.pace))
}

// jobError maps a Telegram failure onto a job's outcome: a rate limit is
// a retry after retry_after (not counted as a failed attempt), a missing
// record is permanent, anything else is retried with backoff.
func jobError(err error) error {
	var limited *tg.TooManyRequestsError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &limited):
		return core.RetryAfter(max(time.Duration(limited.RetryAfter)*time.Second, time.Second))
	case core.IsNotFound(err):
		return core.Permanent(err)
	}
	return err
}

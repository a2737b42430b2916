package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/slack-go/slack"

	"leadwire/core"
)

// NotifyLead posts a new lead's card, with Claim, to its team's Slack
// channel; a team without a channel is skipped. Pressing Claim on it
// updates the message to show the owner (see Interactions).
func (a *Adapter) NotifyLead(ctx context.Context, leadID int64) error {
	reply, team, err := a.conv.TeamLeadNotice(ctx, leadID)
	if err != nil {
		return fmt.Errorf("notify lead %d: %w", leadID, err)
	}
	if team == nil || team.SlackChannel == "" {
		return nil // nobody to tell in Slack
	}
	if _, err := a.post(ctx, team.SlackChannel, "", reply); err != nil {
		return fmt.Errorf("notify lead %d: %w", leadID, err)
	}
	return nil
}

// NewLeadWorker is the River worker of core.NewLeadJob ("new_lead"): it
// posts the lead to its team's channel. When Slack answers 429, the job is
// snoozed for Slack's Retry-After and tried again through the queue; a
// lead gone from the database cancels the job.
type NewLeadWorker struct {
	river.WorkerDefaults[core.NewLeadJob]
	a *Adapter
}

// NewLeadWorker returns the worker posting new leads through the adapter.
func (a *Adapter) NewLeadWorker() *NewLeadWorker { return &NewLeadWorker{a: a} }

// Work implements river.Worker.
func (w *NewLeadWorker) Work(ctx context.Context, job *river.Job[core.NewLeadJob]) error {
	return jobError(w.a.NotifyLead(ctx, job.Args.LeadID))
}

// jobError maps a Slack failure onto River: a rate limit snoozes the job
// (not counted as a failed attempt), a missing record cancels it, anything
// else is retried with River's backoff.
func jobError(err error) error {
	var limited *slack.RateLimitedError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &limited):
		return river.JobSnooze(max(limited.RetryAfter, time.Second))
	case core.IsNotFound(err):
		return river.JobCancel(err)
	}
	return err
}

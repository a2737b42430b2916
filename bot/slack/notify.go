package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

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

// HandleNewLead is the handler of core.NewLeadJob ("new_lead"): it
// posts the lead to its team's channel. When Slack answers 429, the job is
// retried after Slack's Retry-After (core.RetryAfter); a lead gone from
// the database fails it for good (core.Permanent).
func (a *Adapter) HandleNewLead(ctx context.Context, job core.NewLeadJob, _ core.JobInfo) error {
	return jobError(a.NotifyLead(ctx, job.LeadID))
}

// jobError maps a Slack failure onto a job's outcome: a rate limit is a
// retry after Retry-After (not counted as a failed attempt), a missing
// record is permanent, anything else is retried with backoff.
func jobError(err error) error {
	var limited *slack.RateLimitedError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &limited):
		return core.RetryAfter(max(limited.RetryAfter, time.Second))
	case core.IsNotFound(err):
		return core.Permanent(err)
	}
	return err
}

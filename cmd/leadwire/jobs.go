package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	slackbot "leadwire/bot/slack"
	telegrambot "leadwire/bot/telegram"
	"leadwire/core"
	"leadwire/storage"
)

// jobWorkers are the workers of the background jobs core enqueues. Without
// a chat to notify, new-lead jobs are completed with a log line, so they do
// not pile up as failures.
// More workers are registered by the functions in more.
func jobWorkers(slack *slackbot.Adapter, telegram *telegrambot.Adapter, log *slog.Logger, more ...func(*river.Workers)) *river.Workers {
	workers := river.NewWorkers()
	for _, add := range more {
		add(workers)
	}
	var newLead river.Worker[core.NewLeadJob] = &quietNewLead{log: log}
	if slack != nil {
		newLead = slack.NewLeadWorker()
	}
	if telegram != nil {
		river.AddWorker(workers, telegram.NewLeadWorker())
		newLead = &telegramNewLead{Worker: newLead}
	}
	river.AddWorker(workers, newLead)
	return workers
}

// telegramNewLead hands a new lead to Telegram as a job of its own
// (unique by lead, so this job's retries do not post twice; paced and
// snoozed on 429 apart from Slack's), then to the worker it wraps.
type telegramNewLead struct {
	river.Worker[core.NewLeadJob]
}

// Work implements river.Worker.
func (w *telegramNewLead) Work(ctx context.Context, job *river.Job[core.NewLeadJob]) error {
	client := river.ClientFromContext[*sql.Tx](ctx)
	if _, err := client.Insert(ctx, telegrambot.NewLeadJob{LeadID: job.Args.LeadID}, nil); err != nil {
		return fmt.Errorf("enqueue telegram notice of lead %d: %w", job.Args.LeadID, err)
	}
	return w.Worker.Work(ctx, job)
}

// rescueJobsAfter is how long a job may stay running before it is taken
// to belong to a replica that died and is run again (River's default is
// an hour: a reminder in flight on a crashed replica would come an hour
// late). It is longer than any worker's timeout (sweepTimeout the
// longest), so a job still running is never run twice.
const rescueJobsAfter = 5 * time.Minute

// newJobClient returns the River client that runs the jobs, and the
// periodic ones on the elected leader; Start and Stop it.
func newJobClient(db *storage.DB, workers *river.Workers, log *slog.Logger, periodic ...*river.PeriodicJob) (*river.Client[*sql.Tx], error) {
	client, err := river.NewClient(db.RiverDriver(), &river.Config{
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 20},
			core.NotifyQueue: {MaxWorkers: 30}},
		// The drivers over database/sql have no LISTEN/NOTIFY: jobs are
		// fetched by polling, at most MaxWorkers per FetchCooldown, so a
		// short cooldown is what lets a burst of reminders through.
		FetchCooldown:        20 * time.Millisecond,
		RescueStuckJobsAfter: rescueJobsAfter,
		Workers:              workers,
		Logger:               log,
		ErrorHandler:         jobErrors{log: log},
		PeriodicJobs:         periodic,
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return client, nil
}

// jobErrors logs failed jobs where they are noticed (River itself says
// it at INFO): a failure River will retry at WARN, the last attempt's and
// a panic at ERROR.
type jobErrors struct{ log *slog.Logger }

// HandleError implements river.ErrorHandler.
func (h jobErrors) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	level, msg := slog.LevelWarn, "job failed; retrying"
	if job.Attempt >= job.MaxAttempts {
		level, msg = slog.LevelError, "job failed on its last attempt"
	}
	h.log.Log(ctx, level, msg, "kind", job.Kind, "job", job.ID, "attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
	return nil
}

// HandlePanic implements river.ErrorHandler.
func (h jobErrors) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	h.log.Error("job panicked", "kind", job.Kind, "job", job.ID, "attempt", job.Attempt, "panic", panicVal, "trace", trace)
	return nil
}

// quietNewLead completes new-lead jobs when no chat is configured.
type quietNewLead struct {
	river.WorkerDefaults[core.NewLeadJob]
	log *slog.Logger
}

// Work implements river.Worker.
func (w *quietNewLead) Work(ctx context.Context, job *river.Job[core.NewLeadJob]) error {
	w.log.Debug("new lead not announced: no chat configured", "lead", job.Args.LeadID)
	return nil
}

package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"

	slackbot "leadwire/bot/slack"
	"leadwire/core"
	"leadwire/storage"
)

// jobWorkers are the workers of the background jobs core enqueues. Without
// a chat to notify, new-lead jobs are completed with a log line, so they do
// not pile up as failures.
func jobWorkers(slack *slackbot.Adapter, log *slog.Logger) *river.Workers {
	workers := river.NewWorkers()
	if slack != nil {
		river.AddWorker(workers, slack.NewLeadWorker())
	} else {
		river.AddWorker(workers, &quietNewLead{log: log})
	}
	return workers
}

// newJobClient returns the River client that runs the jobs; Start and
// Stop it.
func newJobClient(db *storage.DB, workers *river.Workers, log *slog.Logger) (*river.Client[*sql.Tx], error) {
	client, err := river.NewClient(db.RiverDriver(), &river.Config{
		Queues:  map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}},
		Workers: workers,
		Logger:  log,
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return client, nil
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

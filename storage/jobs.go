package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"leadwire/core"
)

// RescueJobsAfter is how long a job may stay running before it is taken
// to belong to a replica that died and is run again (River's default is
// an hour: a reminder in flight on a crashed replica would come an hour
// late). NewJobs refuses a handler whose timeout is not shorter, so a job
// still running is never run twice.
const RescueJobsAfter = 5 * time.Minute

// defaultJobTimeout bounds a handler without a core.JobTimeout.
const defaultJobTimeout = river.JobTimeoutDefault

// Jobs runs core's job handlers on River over the database, and the
// periodic jobs on the elected leader; Start and Stop it.
type Jobs struct {
	client *river.Client[*sql.Tx]
}

// NewJobs returns the runner of the handlers' jobs and of the periodic
// ones. One generic worker per kind runs the kind's handler and maps its
// outcome: core.RetryAfter to River's snooze, core.Permanent to cancel, any
// other error to a retry with backoff.
func (db *DB) NewJobs(handlers *core.Handlers, log *slog.Logger, periodic ...core.Periodic) (*Jobs, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	workers := river.NewWorkers()
	for _, kind := range handlers.Kinds() {
		if t := handlers.Timeout(kind); t >= RescueJobsAfter {
			return nil, fmt.Errorf("%s jobs time out after %s, not before RescueJobsAfter (%s): a job still running would be run twice", kind, t, RescueJobsAfter)
		}
		if err := addWorker(workers, kind, &jobWorker{handlers: handlers}); err != nil {
			return nil, fmt.Errorf("job queue: %w", err)
		}
	}
	client, err := river.NewClient(db.RiverDriver(), &river.Config{
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 20},
			core.NotifyQueue: {MaxWorkers: 30}},
		// The drivers over database/sql have no LISTEN/NOTIFY: jobs are
		// fetched by polling, at most MaxWorkers per FetchCooldown, so a
		// short cooldown is what lets a burst of reminders through.
		FetchCooldown:        20 * time.Millisecond,
		RescueStuckJobsAfter: RescueJobsAfter,
		Workers:              workers,
		Logger:               log,
		ErrorHandler:         jobErrors{log: log},
		PeriodicJobs:         periodicJobs(periodic),
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Jobs{client: client}, nil
}

// addWorker registers w as the worker of kind, recovering River's panic
// on a kind registered twice.
func addWorker(workers *river.Workers, kind string, w *jobWorker) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("worker of %s: %v", kind, r)
		}
	}()
	river.AddWorkerArgs(workers, rawJob{kind: kind}, w)
	return nil
}

// Start starts working jobs until Stop; jobs run with ctx's values.
func (j *Jobs) Start(ctx context.Context) error { return j.client.Start(ctx) }

// Stop stops fetching jobs and waits for those running to end, or for ctx.
func (j *Jobs) Stop(ctx context.Context) error { return j.client.Stop(ctx) }

// AddPeriodic adds periodic jobs to a runner, running or not.
func (j *Jobs) AddPeriodic(periodic ...core.Periodic) {
	j.client.PeriodicJobs().AddMany(periodicJobs(periodic))
}

// River is the River client underneath, for tests that look at the queue.
func (j *Jobs) River() *river.Client[*sql.Tx] { return j.client }

// periodicJobs are core's periodic jobs as River's.
func periodicJobs(periodic []core.Periodic) []*river.PeriodicJob {
	out := make([]*river.PeriodicJob, 0, len(periodic))
	for _, p := range periodic {
		out = append(out, river.NewPeriodicJob(river.PeriodicInterval(p.Every),
			func() (river.JobArgs, *river.InsertOpts) {
				opts := &river.InsertOpts{MaxAttempts: p.MaxAttempts}
				if s, ok := p.Job.(core.JobScheduler); ok {
					opts.Queue = s.JobOptions().Queue
				}
				return p.Job, opts
			},
			&river.PeriodicJobOpts{ID: p.ID, RunOnStart: p.RunOnStart}))
	}
	return out
}

// rawJob is a job of any kind as River hands it over: its arguments left
// as JSON for core's handler to read.
type rawJob struct {
	kind string
	args json.RawMessage
}

// Kind implements river.JobArgs.
func (r rawJob) Kind() string { return r.kind }

// UnmarshalJSON keeps the arguments as they are.
func (r *rawJob) UnmarshalJSON(b []byte) error {
	r.args = append(json.RawMessage(nil), b...)
	return nil
}

// MarshalJSON writes the arguments as they came.
func (r rawJob) MarshalJSON() ([]byte, error) {
	if r.args == nil {
		return []byte("{}"), nil
	}
	return r.args, nil
}

// jobWorker is the one River worker: it runs the handler of the job's kind.
type jobWorker struct {
	river.WorkerDefaults[rawJob]
	handlers *core.Handlers
}

// Timeout implements river.Worker: the handler's, or River's default.
func (w *jobWorker) Timeout(job *river.Job[rawJob]) time.Duration {
	return w.handlers.Timeout(job.Kind)
}

// Work implements river.Worker.
func (w *jobWorker) Work(ctx context.Context, job *river.Job[rawJob]) error {
	err := w.handlers.Run(ctx, job.Kind, job.Args.args, core.JobInfo{ID: job.ID, Attempt: job.Attempt,
		MaxAttempts: job.MaxAttempts, CreatedAt: job.CreatedAt})
	return riverOutcome(err)
}

// riverOutcome maps a handler's outcome onto River.
func riverOutcome(err error) error {
	if err == nil {
		return nil
	}
	if after, ok := core.RetryAfterOf(err); ok {
		return river.JobSnooze(after)
	}
	if core.IsPermanent(err) {
		return river.JobCancel(err)
	}
	return err
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

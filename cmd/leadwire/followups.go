package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"leadwire/core"
)

// How often the follow-up sweeps run: unclaimed leads are measured in
// minutes (a 15m response limit), rotting deals in days.
const (
	unclaimedSweepEvery = time.Minute
	rottingSweepEvery   = 5 * time.Minute
)

// followUpWorkers adds the workers of the follow-up sweeps and the rules
// to workers and returns them.
func followUpWorkers(workers *river.Workers, svc *core.Service, log *slog.Logger) *river.Workers {
	river.AddWorker(workers, &sweepWorker{svc: svc, log: log})
	river.AddWorker(workers, &ruleWorker{svc: svc, log: log})
	return workers
}

// followUpPeriodicJobs are the sweeps River's leader enqueues on a timer;
// one replica sweeps at a time.
func followUpPeriodicJobs() []*river.PeriodicJob {
	every := func(d time.Duration, what string) *river.PeriodicJob {
		return river.NewPeriodicJob(river.PeriodicInterval(d), func() (river.JobArgs, *river.InsertOpts) {
			return core.SweepJob{What: what}, nil
		}, &river.PeriodicJobOpts{ID: "sweep-" + what, RunOnStart: true})
	}
	return []*river.PeriodicJob{every(unclaimedSweepEvery, core.SweepUnclaimedLeads), every(rottingSweepEvery, core.SweepRottingDeals)}
}

// sweepWorker runs a follow-up sweep.
type sweepWorker struct {
	river.WorkerDefaults[core.SweepJob]
	svc *core.Service
	log *slog.Logger
}

// sweepTimeout bounds one sweep. A first sweep over a large pipeline
// notices many deals (700,000 take about 100 s); one cut short has
// committed its pages, and the next carries on.
const sweepTimeout = 4 * time.Minute

// Timeout implements river.Worker.
func (w *sweepWorker) Timeout(*river.Job[core.SweepJob]) time.Duration { return sweepTimeout }

// Work implements river.Worker.
func (w *sweepWorker) Work(ctx context.Context, job *river.Job[core.SweepJob]) error {
	start := time.Now()
	n, err := w.svc.Sweep(ctx, job.Args)
	if n > 0 || err != nil {
		w.log.Info("follow-up sweep", "what", job.Args.What, "noticed", n, "took", time.Since(start).Round(time.Millisecond), "err", err)
	}
	return err
}

// ruleWorker applies the rules of a trigger.
type ruleWorker struct {
	river.WorkerDefaults[core.RuleJob]
	svc *core.Service
	log *slog.Logger
}

// Work implements river.Worker.
func (w *ruleWorker) Work(ctx context.Context, job *river.Job[core.RuleJob]) error {
	applied, err := w.svc.RunRules(ctx, job.Args)
	if len(applied) > 0 {
		w.log.Info("rules applied", "trigger", string(job.Args.Trigger), "lead", job.Args.LeadID, "deal", job.Args.DealID, "rules", applied)
	}
	return err
}

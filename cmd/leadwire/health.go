package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"leadwire/core"
)

// checkConnectorsEvery is how often the connectors' health is checked.
const checkConnectorsEvery = time.Minute

// healthChecks registers the connector health check with workers and
// returns the periodic job that runs it every minute; River runs periodic
// jobs on its elected leader only, so with several replicas one checks.
func healthChecks(workers *river.Workers, svc *core.Service, log *slog.Logger) []*river.PeriodicJob {
	river.AddWorker(workers, &checkConnectorsWorker{svc: svc, log: log})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(checkConnectorsEvery),
		func() (river.JobArgs, *river.InsertOpts) {
			// A failed check is not retried: the next one comes soon.
			return core.CheckConnectorsJob{}, &river.InsertOpts{MaxAttempts: 1}
		},
		&river.PeriodicJobOpts{ID: core.CheckConnectorsJob{}.Kind(), RunOnStart: true})}
}

// checkConnectorsWorker runs core's connector health check.
type checkConnectorsWorker struct {
	river.WorkerDefaults[core.CheckConnectorsJob]
	svc *core.Service
	log *slog.Logger
}

// Work implements river.Worker.
func (w *checkConnectorsWorker) Work(ctx context.Context, job *river.Job[core.CheckConnectorsJob]) error {
	changes, err := w.svc.CheckConnectors(ctx, w.svc.Clock().Now())
	for _, c := range changes {
		if c.To == core.Healthy {
			w.log.Info("connector recovered; admins told", "connector", c.Connector, "was", c.From, "notices", c.Notified)
		} else {
			w.log.Warn("connector unhealthy; admins told", "connector", c.Connector, "health", c.To, "err", c.Error, "notices", c.Notified)
		}
	}
	return err
}

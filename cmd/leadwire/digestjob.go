package main

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"leadwire/bot"
	"leadwire/bot/mail"
	"leadwire/core"
)

// digestPeriodic inserts the digest tick every minute. River runs periodic
// jobs on its elected leader only; ScheduleDigests makes each digest once
// regardless, so a tick run twice (a leader change) sends nothing twice.
func digestPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
		func() (river.JobArgs, *river.InsertOpts) {
			return core.DigestJob{}, &river.InsertOpts{MaxAttempts: 1} // the next tick is the retry
		},
		&river.PeriodicJobOpts{ID: "digest_tick", RunOnStart: true})
}

// digestWorker runs the tick: it announces every digest that is due.
type digestWorker struct {
	river.WorkerDefaults[core.DigestJob]
	svc *core.Service
}

// Work implements river.Worker.
func (w *digestWorker) Work(ctx context.Context, _ *river.Job[core.DigestJob]) error {
	if _, err := w.svc.ScheduleDigests(ctx, w.svc.Clock().Now()); err != nil {
		return fmt.Errorf("digest tick: %w", err)
	}
	return nil
}

// Timeout implements river.Worker: a tick is short, the next one is a
// minute away.
func (w *digestWorker) Timeout(*river.Job[core.DigestJob]) time.Duration { return 50 * time.Second }

// mailNotifier is the email channel's notifier (digests over SMTP), nil
// when smtp is not configured. The notify worker hands it the email
// notices.
func (a *App) mailNotifier() (*mail.Notifier, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	if !cfg.SMTP.Enabled() {
		return nil, nil
	}
	svc, err := a.Service()
	if err != nil {
		return nil, err
	}
	sender, err := smtpSender(cfg, svc)
	if err != nil {
		return nil, err
	}
	return mail.NewNotifier(svc, bot.NewConversation(svc, nil, bot.Options{Log: a.Logger()}), sender), nil
}

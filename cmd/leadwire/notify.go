package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	slackbot "leadwire/bot/slack"
	telegrambot "leadwire/bot/telegram"
	"leadwire/core"
)

// noticeMetrics count notices on /metrics: delivered, and failed for good
// (undeliverable, or out of attempts), by channel and kind.
type noticeMetrics struct {
	delivered *prometheus.CounterVec
	failed    *prometheus.CounterVec
}

func newNoticeMetrics() *noticeMetrics {
	return &noticeMetrics{
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "leadwire_notices_total", Help: "Notices delivered, by channel and kind.",
		}, []string{"channel", "kind"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "leadwire_notice_failures_total", Help: "Notices that could not be delivered for good, by channel and kind.",
		}, []string{"channel", "kind"}),
	}
}

// register adds the counters to a registry.
func (m *noticeMetrics) register(r prometheus.Registerer) {
	r.MustRegister(m.delivered, m.failed)
}

// notifiers are the configured chats' notifiers by channel.
func notifiers(slack *slackbot.Adapter, telegram *telegrambot.Adapter) map[string]core.Notifier {
	out := map[string]core.Notifier{}
	if slack != nil {
		out[slack.Channel()] = slack
	}
	if telegram != nil {
		out[telegram.Channel()] = telegram
	}
	return out
}

// noticeWorkers registers the workers of reminders and notices: for
// jobWorkers.
func noticeWorkers(svc *core.Service, notifiers map[string]core.Notifier, metrics *noticeMetrics, log *slog.Logger) func(*river.Workers) {
	return func(workers *river.Workers) {
		river.AddWorker(workers, &reminderWorker{svc: svc})
		river.AddWorker(workers, &notifyWorker{svc: svc, notifiers: notifiers, metrics: metrics, log: log})
	}
}

// reminderWorker runs core.ReminderJob: core decides, in one transaction,
// whether the reminder is still due and announces it.
type reminderWorker struct {
	river.WorkerDefaults[core.ReminderJob]
	svc *core.Service
}

// Work implements river.Worker.
func (w *reminderWorker) Work(ctx context.Context, job *river.Job[core.ReminderJob]) error {
	_, err := w.svc.FireReminder(ctx, job.Args.TaskID, job.Args.DueAt)
	return err
}

// notifyWorker runs core.NotifyJob: it hands the notice to its channel's
// notifier. A core.RetryAfter (pacing, a 429) is River's snooze; a record
// gone ends the job quietly; other failures are retried with River's
// backoff until the notice is undeliverable or out of attempts, which is
// final: counted, and the user is told on their other channels.
type notifyWorker struct {
	river.WorkerDefaults[core.NotifyJob]
	svc       *core.Service
	notifiers map[string]core.Notifier
	metrics   *noticeMetrics
	log       *slog.Logger
}

// Work implements river.Worker.
func (w *notifyWorker) Work(ctx context.Context, job *river.Job[core.NotifyJob]) error {
	ch, n := job.Args.Channel, job.Args.Notice
	notifier, ok := w.notifiers[ch]
	if job.Attempt > 1 {
		// An earlier attempt failed or died with its replica (a snooze
		// does not count): it may have been delivered all the same.
		ctx = core.WithRedelivery(ctx, job.CreatedAt)
	}
	var err error
	if ok {
		err = notifier.Notify(ctx, n)
	} else {
		err = core.Undeliverable(fmt.Errorf("%s is not configured", ch))
	}
	after, retry := core.RetryAfterOf(err)
	switch {
	case err == nil:
		w.metrics.delivered.WithLabelValues(ch, string(n.Kind)).Inc()
		return nil
	case retry:
		return river.JobSnooze(after)
	case core.IsNotFound(err):
		w.log.Info("notice dropped: what it was about is gone", "channel", ch, "kind", n.Kind, "key", n.Key, "err", err)
		return river.JobCancel(err)
	case errors.Is(err, core.ErrUndeliverable) || job.Attempt >= job.MaxAttempts:
		w.metrics.failed.WithLabelValues(ch, string(n.Kind)).Inc()
		w.log.Warn("notice undeliverable", "channel", ch, "kind", n.Kind, "key", n.Key, "user", n.UserID,
			"attempt", job.Attempt, "err", err)
		if _, terr := w.svc.NoticeFailed(ctx, ch, n, err); terr != nil {
			// Telling the user failed: retry the job, which fails again
			// and tells them then.
			return errors.Join(err, terr)
		}
		return river.JobCancel(err)
	}
	return err
}

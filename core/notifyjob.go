package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// NoticeCounter counts notices delivered and failed for good, by channel
// and kind (the metrics of /metrics).
type NoticeCounter interface {
	Delivered(channel string, kind NoticeKind)
	Failed(channel string, kind NoticeKind)
}

// NoticeSender runs NotifyJob: it hands the notice to its channel's
// notifier.
type NoticeSender struct {
	notices   *Notices
	notifiers map[string]Notifier
	counts    NoticeCounter
	log       *slog.Logger
}

// NewNoticeSender returns the sender of notices through the notifiers by
// channel; counts may be nil.
func (s *Notices) NewNoticeSender(notifiers map[string]Notifier, counts NoticeCounter) *NoticeSender {
	return &NoticeSender{notices: s, notifiers: notifiers, counts: counts, log: s.log.With("part", "notices")}
}

// Handle runs a NotifyJob. A RetryAfter (pacing, a 429) goes back as is;
// a record gone ends the job quietly; other failures are retried with
// backoff until the notice is undeliverable or out of attempts, which is
// final: counted, and the user is told on their other channels.
func (w *NoticeSender) Handle(ctx context.Context, job NotifyJob, info JobInfo) error {
	ch, n := job.Channel, job.Notice
	notifier, ok := w.notifiers[ch]
	if info.Attempt > 1 {
		// An earlier attempt failed or died with its replica (a retry
		// after does not count): it may have been delivered all the same.
		ctx = WithRedelivery(ctx, info.CreatedAt)
	}
	var err error
	if ok {
		err = notifier.Notify(ctx, n)
	} else {
		err = Undeliverable(fmt.Errorf("%s is not configured", ch))
	}
	_, retry := RetryAfterOf(err)
	switch {
	case err == nil:
		if w.counts != nil {
			w.counts.Delivered(ch, n.Kind)
		}
		return nil
	case retry:
		return err
	case IsNotFound(err):
		w.log.Info("notice dropped: what it was about is gone", "channel", ch, "kind", n.Kind, "key", n.Key, "err", err)
		return Permanent(err)
	case errors.Is(err, ErrUndeliverable) || info.LastAttempt():
		if w.counts != nil {
			w.counts.Failed(ch, n.Kind)
		}
		w.log.Warn("notice undeliverable", "channel", ch, "kind", n.Kind, "key", n.Key, "user", n.UserID,
			"attempt", info.Attempt, "err", err)
		if _, terr := w.notices.NoticeFailed(ctx, ch, n, err); terr != nil {
			// Telling the user failed: retry the job, which fails again
			// and tells them then.
			return errors.Join(err, terr)
		}
		return Permanent(err)
	}
	return err
}

package core

import (
	"errors"
	"fmt"
	"time"
)

// Job is background work: a notification, a reminder, a digest. Its Kind
// names the handler that runs it; the job itself is stored as JSON.
type Job interface {
	Kind() string
}

// JobOptions tune when and where a job runs; a Job may implement
// JobScheduler to carry its own.
type JobOptions struct {
	RunAt     time.Time // zero: now
	Queue     string    // "": the default queue
	UniqueKey string    // jobs with the same kind and key are enqueued once
}

// JobScheduler is implemented by jobs that say when they run.
type JobScheduler interface {
	JobOptions() JobOptions
}

// NewLeadJob is how a new lead was told before it became a notice
// (NoticeNewLead): nothing enqueues it now, but jobs queued by an earlier
// version are still run (HandleNewLead announces the notice).
type NewLeadJob struct {
	LeadID int64 `json:"lead_id"`
}

// Kind implements Job.
func (NewLeadJob) Kind() string { return "new_lead" }

// TelegramNewLeadJob is the Telegram half of NewLeadJob in earlier
// versions, kept like it so that queued jobs are run
// (HandleTelegramNewLead announces the notice on Telegram).
type TelegramNewLeadJob struct {
	LeadID int64 `json:"lead_id"`
}

// Kind implements Job.
func (TelegramNewLeadJob) Kind() string { return "telegram_new_lead" }

// A job handler returns one of four outcomes: nil (done); RetryAfter (run
// it again after a while, not counted as a failed attempt: a pace, a
// 429's Retry-After); Permanent (failed for good, not retried); or any
// other error (failed; retried with backoff until out of attempts).

// RetryAfter asks for the job to run again after d. It is not a failure:
// the attempt does not count against the job's attempts.
func RetryAfter(d time.Duration) error { return &retryAfterError{after: d} }

type retryAfterError struct{ after time.Duration }

func (e *retryAfterError) Error() string { return fmt.Sprintf("retry after %s", e.after) }

// RetryAfterOf reports whether err asks for the job to run again later
// (RetryAfter), and after how long.
func RetryAfterOf(err error) (time.Duration, bool) {
	var r *retryAfterError
	if errors.As(err, &r) {
		return r.after, true
	}
	return 0, false
}

// Permanent marks err as a failure that retrying cannot change: the job
// ends, failed, and is not run again.
func Permanent(err error) error { return &permanentError{err: err} }

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

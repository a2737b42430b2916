package core

import "time"

// Job is background work: a notification, a reminder, a digest. Its Kind
// names the worker that handles it; the job itself is stored as JSON.
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

// NewLeadJob tells the lead's team about a newly captured lead.
type NewLeadJob struct {
	LeadID int64 `json:"lead_id"`
}

// Kind implements Job.
func (NewLeadJob) Kind() string { return "new_lead" }

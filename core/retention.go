package core

import (
	"context"
	"fmt"
	"time"
)

// Retention says how long personal data is kept where nobody needs it;
// zero durations keep it for ever.
type Retention struct {
	// RawMessages is how long inbounds kept as they came because they
	// could not be read (failed inbounds) are kept.
	RawMessages time.Duration
	// WebhookBodies is how long the webhook delivery log keeps bodies.
	WebhookBodies time.Duration
	// DisqualifiedLeads is how long after a lead was disqualified its
	// contact's personal data is kept, when the contact has nothing else:
	// no open lead, no deal, nothing heard since.
	DisqualifiedLeads time.Duration
}

// RetentionReader is the port retention reads through.
type RetentionReader interface {
	// StaleDisqualified lists, by id after afterID, contacts not erased
	// whose every lead was disqualified before before, with no deal and
	// no activity since.
	StaleDisqualified(ctx context.Context, before time.Time, afterID int64, limit int) ([]int64, error)
}

// RetentionTx is the port retention writes through.
type RetentionTx interface {
	// PruneFailedInbounds removes failed inbounds kept since before
	// before, and says how many.
	PruneFailedInbounds(ctx context.Context, before time.Time) (int64, error)
	// PruneDeliveryBodies drops the bodies of deliveries logged before
	// before, and says how many.
	PruneDeliveryBodies(ctx context.Context, before time.Time) (int64, error)
}

// RetentionJob applies the retention settings once.
type RetentionJob struct{}

// Kind implements Job.
func (RetentionJob) Kind() string { return "retention" }

// RetentionPeriodic applies the retention settings every six hours.
func RetentionPeriodic() Periodic {
	return Periodic{ID: "retention", Every: 6 * time.Hour, Job: RetentionJob{}, MaxAttempts: 1, RunOnStart: true}
}

// RetentionCounter counts what retention removed, by what it was: the
// /metrics counter.
type RetentionCounter interface {
	Removed(what string, n int64)
}

// retentionBatch is how many contacts one transaction erases.
const retentionBatch = 100

// RetentionHandler is the RetentionJob handler: it removes what the
// settings no longer keep, counts it in counter (nil: nowhere) and
// records it in the audit log.
func (s *Service) RetentionHandler(counter RetentionCounter) func(ctx context.Context, _ RetentionJob, _ JobInfo) error {
	return func(ctx context.Context, _ RetentionJob, _ JobInfo) error {
		counts, err := s.ApplyRetention(ctx)
		if counter != nil {
			for what, n := range counts {
				counter.Removed(what, n)
			}
		}
		return err
	}
}

// ApplyRetention removes what the retention settings no longer keep, in
// transactions of bounded size, each with its audit entry; it returns
// what it removed.
func (s *Service) ApplyRetention(ctx context.Context) (ErasedCounts, error) {
	r := s.settings.Retention
	now := s.clock.Now()
	total := ErasedCounts{}
	job := AuditEntry{Action: "retention.apply", Actor: "job:retention"}
	if r.RawMessages > 0 || r.WebhookBodies > 0 {
		err := s.store.Update(ctx, func(tx Tx) error {
			counts := ErasedCounts{}
			if r.RawMessages > 0 {
				n, err := tx.PruneFailedInbounds(ctx, now.Add(-r.RawMessages))
				if err != nil {
					return err
				}
				counts["raw messages"] = n
			}
			if r.WebhookBodies > 0 {
				n, err := tx.PruneDeliveryBodies(ctx, now.Add(-r.WebhookBodies))
				if err != nil {
					return err
				}
				counts["webhook bodies"] = n
			}
			if counts["raw messages"]+counts["webhook bodies"] == 0 {
				return nil
			}
			e := job
			e.Note = "kept past retention: " + countsText(counts)
			if err := s.audit(ctx, tx, nil, e); err != nil {
				return err
			}
			addCounts(total, counts)
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("retention: %w", err)
		}
	}
	if r.DisqualifiedLeads <= 0 {
		return total, nil
	}
	var after int64
	for {
		ids, err := s.store.StaleDisqualified(ctx, now.Add(-r.DisqualifiedLeads), after, retentionBatch)
		if err != nil || len(ids) == 0 {
			return total, err
		}
		after = ids[len(ids)-1]
		err = s.store.Update(ctx, func(tx Tx) error {
			salt, err := eraseSalt(ctx, tx)
			if err != nil {
				return err
			}
			for _, id := range ids {
				c, err := tx.ContactByID(ctx, id)
				if err != nil {
					return err
				}
				_, needles, err := personOf(ctx, tx, c)
				if err != nil {
					return err
				}
				counts, err := tx.ErasePerson(ctx, Erasure{ContactIDs: []int64{id}, Needles: needles, Salt: salt, At: now})
				if err != nil {
					return err
				}
				e := job
				e.Contact = id
				e.Note = fmt.Sprintf("disqualified more than %s ago with nothing since: personal data erased (%s)", r.DisqualifiedLeads, countsText(counts))
				if err := s.audit(ctx, tx, nil, e); err != nil {
					return err
				}
				addCounts(total, ErasedCounts{"contacts": 1})
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("retention: %w", err)
		}
	}
}

func addCounts(into, from ErasedCounts) {
	for k, n := range from {
		into[k] += n
	}
}

package core

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Checkpoint is a connector's position in its source (an IMAP folder's
// UIDVALIDITY and last UID, a Telegram update offset). It is saved in the
// same transaction as what was captured up to it, so a crash can neither
// skip nor repeat a message.
type Checkpoint struct {
	Connector string // "email:sales"
	Key       string // "INBOX"
	Value     string // connector-defined, e.g. "1699999999:4711"
}

// Lease is who runs a single-owner connector (a mailbox, the Telegram
// long polling) among the replicas, until when unless renewed.
type Lease struct {
	Name      string // the connector's name: "email:sales"
	Holder    string // "host:pid:random"
	ExpiresAt time.Time
}

// ConnectorName is how counters and checkpoints name a connector:
// "channel:source".
func ConnectorName(channel, source string) string { return channel + ":" + source }

// SMTPConnector names the outgoing mail server (digests, sequence steps)
// among the connectors: "smtp:mail.example.com".
func SMTPConnector(host string) string { return ConnectorName("smtp", host) }

// FailedInbound is something a connector received but could not turn into
// an inbound: kept raw with its error, so nothing is silently dropped.
type FailedInbound struct {
	ID         int64
	Connector  string
	ExternalID string
	Error      string
	Raw        []byte
	At         time.Time
}

// ConnectorStatus is what `leadwire connectors status` shows of one
// connector.
type ConnectorStatus struct {
	Connector string
	LastSync  time.Time // last time it captured, skipped or saw nothing new
	LastError string
	ErrorAt   time.Time
	Counts    map[string]int64 // "captured", "duplicate", "activity", "failed", "skipped:auto_reply", …
}

// Counter names of connectors.
const (
	CountCaptured  = "captured"  // a new lead
	CountActivity  = "activity"  // added to an existing lead or deal
	CountDuplicate = "duplicate" // seen before
	CountFailed    = "failed"    // kept as a failed inbound
	CountGuarded   = "loop_guard"
)

// SkipCount names the counter of a skip reason.
func SkipCount(reason string) string { return "skipped:" + reason }

// Skip records that a connector looked at something that is not a lead (an
// auto-reply, a bounce, list mail), counting it by reason and moving the
// checkpoint past it in one transaction.
func (s *Service) Skip(ctx context.Context, connector, reason string, cp *Checkpoint) error {
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := tx.CountConnector(ctx, connector, SkipCount(reason), 1, s.clock.Now()); err != nil {
			return err
		}
		return saveCheckpoint(ctx, tx, cp)
	})
	if err != nil {
		return fmt.Errorf("record skip by %s: %w", connector, err)
	}
	return nil
}

// Fail keeps what a connector could not parse, with its error, counts it
// and moves the checkpoint past it, so it is neither lost nor fetched again
// in a loop.
func (s *Service) Fail(ctx context.Context, f FailedInbound, cp *Checkpoint) error {
	if f.At.IsZero() {
		f.At = s.clock.Now()
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := tx.AddFailedInbound(ctx, &f); err != nil {
			return err
		}
		if err := tx.CountConnector(ctx, f.Connector, CountFailed, 1, f.At); err != nil {
			return err
		}
		return saveCheckpoint(ctx, tx, cp)
	})
	if err != nil {
		return fmt.Errorf("keep failed inbound of %s: %w", f.Connector, err)
	}
	return nil
}

// Checkpoint saves a connector's position on its own, when it has moved
// without capturing anything (an empty folder, a new UIDVALIDITY).
func (s *Service) Checkpoint(ctx context.Context, cp Checkpoint) error {
	return s.store.Update(ctx, func(tx Tx) error {
		if err := tx.CountConnector(ctx, cp.Connector, "", 0, s.clock.Now()); err != nil {
			return err
		}
		return saveCheckpoint(ctx, tx, &cp)
	})
}

// ConnectorError records a connector's last error (a login refused, a
// server gone); a nil err clears it.
func (s *Service) ConnectorError(ctx context.Context, connector string, err error) error {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	return s.store.Update(ctx, func(tx Tx) error {
		return tx.SetConnectorError(ctx, connector, msg, s.clock.Now())
	})
}

// Sent records that an outgoing connector's server answered a delivery,
// counting it under counter ("sent", "refused"): a sync, which clears the
// error it had.
func (s *Service) Sent(ctx context.Context, connector, counter string) error {
	return s.store.Update(ctx, func(tx Tx) error {
		now := s.clock.Now()
		if err := tx.CountConnector(ctx, connector, counter, 1, now); err != nil {
			return err
		}
		return tx.SetConnectorError(ctx, connector, "", now)
	})
}

// MailFailing tells whether outgoing mail is failing now: the error of
// the SMTP connector and since when; "" when it is not.
func (s *Service) MailFailing(ctx context.Context) (string, time.Time, error) {
	statuses, err := s.store.ConnectorStatuses(ctx)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("mail status: %w", err)
	}
	for _, st := range statuses {
		if strings.HasPrefix(st.Connector, SMTPConnector("")) && st.LastError != "" {
			return st.LastError, st.ErrorAt, nil
		}
	}
	return "", time.Time{}, nil
}

func saveCheckpoint(ctx context.Context, tx Tx, cp *Checkpoint) error {
	if cp == nil {
		return nil
	}
	return tx.SaveCheckpoint(ctx, *cp)
}

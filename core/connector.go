package core

import (
	"context"
	"fmt"
	"log/slog"
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

// Connectors keeps what connectors report: their positions (checkpoints),
// counters, kept failures and errors, and watches their health to alert
// admins.
type Connectors struct {
	store   ConnectorStore
	clock   Clock
	alerts  Alerts
	log     *slog.Logger
	notices announcer
}

// ConnectorStore is the part of the Store the Connectors need.
type ConnectorStore interface {
	ConnectorReader
	settingReader
	Update(ctx context.Context, fn func(Tx) error) error
}

// settingReader reads installation facts.
type settingReader interface {
	Setting(ctx context.Context, key string) (string, error)
}

// announcer enqueues notices in a transaction (the Service does).
type announcer interface {
	Announce(ctx context.Context, tx Tx, n Notice) ([]string, error)
}

// LoadCheckpoint returns a connector's saved position under key, "" when
// none.
func (c *Connectors) LoadCheckpoint(ctx context.Context, connector, key string) (string, error) {
	return c.store.LoadCheckpoint(ctx, connector, key)
}

// Statuses reports every connector that has counted anything.
func (c *Connectors) Statuses(ctx context.Context) ([]ConnectorStatus, error) {
	return c.store.ConnectorStatuses(ctx)
}

// Leases lists the leases held or left behind, by name.
func (c *Connectors) Leases(ctx context.Context) ([]Lease, error) {
	return c.store.ListLeases(ctx)
}

// FailedInbounds lists kept failures of a connector ("" for all), newest
// first, at most limit.
func (c *Connectors) FailedInbounds(ctx context.Context, connector string, limit int) ([]FailedInbound, error) {
	return c.store.ListFailedInbounds(ctx, connector, limit)
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
func (c *Connectors) Skip(ctx context.Context, connector, reason string, cp *Checkpoint) error {
	err := c.store.Update(ctx, func(tx Tx) error {
		if err := tx.CountConnector(ctx, connector, SkipCount(reason), 1, c.clock.Now()); err != nil {
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
func (c *Connectors) Fail(ctx context.Context, f FailedInbound, cp *Checkpoint) error {
	if f.At.IsZero() {
		f.At = c.clock.Now()
	}
	err := c.store.Update(ctx, func(tx Tx) error {
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
func (c *Connectors) Checkpoint(ctx context.Context, cp Checkpoint) error {
	return c.store.Update(ctx, func(tx Tx) error {
		if err := tx.CountConnector(ctx, cp.Connector, "", 0, c.clock.Now()); err != nil {
			return err
		}
		return saveCheckpoint(ctx, tx, &cp)
	})
}

// ConnectorError records a connector's last error (a login refused, a
// server gone); a nil err clears it.
func (c *Connectors) ConnectorError(ctx context.Context, connector string, err error) error {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	return c.store.Update(ctx, func(tx Tx) error {
		return tx.SetConnectorError(ctx, connector, msg, c.clock.Now())
	})
}

// Sent records that an outgoing connector's server answered a delivery,
// counting it under counter ("sent", "refused"): a sync, which clears the
// error it had.
func (c *Connectors) Sent(ctx context.Context, connector, counter string) error {
	return c.store.Update(ctx, func(tx Tx) error {
		now := c.clock.Now()
		if err := tx.CountConnector(ctx, connector, counter, 1, now); err != nil {
			return err
		}
		return tx.SetConnectorError(ctx, connector, "", now)
	})
}

// MailFailing tells whether outgoing mail is failing now: the error of
// the SMTP connector and since when; "" when it is not.
func (c *Connectors) MailFailing(ctx context.Context) (string, time.Time, error) {
	statuses, err := c.store.ConnectorStatuses(ctx)
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

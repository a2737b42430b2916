package core

import (
	"context"
	"fmt"
	"time"
)

// Delivery is one webhook delivery as the delivery log keeps it: what
// arrived, what it became, or why it was refused.
type Delivery struct {
	ID         int64
	At         time.Time
	Source     string // the webhook source, "" when the delivery never said
	Token      string // the name of the token presented, "" when none was known
	Status     int    // the HTTP status answered
	Outcome    string // one of the Delivery… outcomes
	Ref        string // what it became: "L123" or "D45"
	Error      string // why it was refused
	ExternalID string
	Size       int64  // bytes of body received
	Body       []byte // the first DeliveryBodyMax bytes of the body
}

// Outcomes of a webhook delivery.
const (
	DeliveryLead      = "lead"      // a new lead
	DeliveryActivity  = "activity"  // an activity on an open lead or deal
	DeliveryDuplicate = "duplicate" // its external id was seen before: nothing new
	DeliveryRefused   = "refused"   // nothing stored; Error says why
)

// DeliveryBodyMax is how much of a delivery's body the log keeps.
const DeliveryBodyMax = 4 << 10

// DeliveryRetention is how long the log keeps a delivery.
const DeliveryRetention = 30 * 24 * time.Hour

// pruneEvery makes one logged delivery in so many also drop the expired.
const pruneEvery = 256

// DeliveryFilter narrows the delivery log. Zero fields do not filter.
type DeliveryFilter struct {
	Source  string
	Outcome string
	Limit   int
}

// LogDelivery records a webhook delivery in a transaction of its own, so
// refusals are logged although nothing else is stored. It keeps at most
// DeliveryBodyMax bytes of the body, sets d.ID and d.At (when zero), and now
// and then drops deliveries older than DeliveryRetention.
func (s *Service) LogDelivery(ctx context.Context, d *Delivery) error {
	if d.At.IsZero() {
		d.At = s.clock.Now()
	}
	if len(d.Body) > DeliveryBodyMax {
		d.Body = d.Body[:DeliveryBodyMax]
	}
	d.Error = cleanLine(d.Error)
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := tx.AddDelivery(ctx, d); err != nil {
			return err
		}
		if d.ID%pruneEvery == 0 {
			return tx.PruneDeliveries(ctx, d.At.Add(-DeliveryRetention))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("log delivery from %q: %w", d.Source, err)
	}
	return nil
}

// Deliveries lists logged deliveries, newest first. They hold what senders
// posted, so only an admin reads them.
func (s *Service) Deliveries(ctx context.Context, actor *User, f DeliveryFilter) ([]Delivery, error) {
	if actor != nil && actor.Role != RoleAdmin {
		return nil, Errorf(KindForbidden, "only an admin reads the webhook delivery log")
	}
	out, err := s.store.ListDeliveries(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	return out, nil
}

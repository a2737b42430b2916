package view

import (
	"bytes"
	"encoding/json"
	"fmt"

	"leadwire/core"
)

// Event is an outgoing webhook's body: the event's id (webhook-id too),
// type and time, and in data the record as the API writes it, as it was
// when the event happened.
type Event struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	// PreviousStage is the stage a deal left (deal.stage_changed,
	// deal.won, deal.lost).
	PreviousStage string `json:"previous_stage,omitempty"`
	// Rule is the rule whose webhook action sent it (rule.matched).
	Rule string `json:"rule,omitempty"`
	Data any    `json:"data"`
}

// EventBody renders a stored event as receivers get it; it implements
// core.EventRenderer.
func EventBody(e core.HookEvent) ([]byte, error) {
	var d core.EventData
	if err := json.Unmarshal(e.Data, &d); err != nil {
		return nil, fmt.Errorf("event %s: %w", e.ID, err)
	}
	v := Event{ID: e.ID, Type: string(e.Type), Timestamp: *Time(e.At), PreviousStage: d.PreviousStage, Rule: d.Rule}
	n := Names{Users: d.Users, Teams: d.Teams}
	var contact *Contact
	if d.Contact != nil {
		c := ContactOf(d.Contact)
		contact = &c
	}
	switch {
	case d.Lead != nil:
		l := LeadOf(d.Lead, n)
		l.Contact = contact
		v.Data = l
	case d.Deal != nil:
		dv := DealOf(d.Deal, d.Pipeline, n)
		dv.Contact = contact
		v.Data = dv
	case d.Task != nil:
		v.Data = TaskOf(d.Task, n)
	default:
		return nil, fmt.Errorf("event %s carries no record", e.ID)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("event %s: %w", e.ID, err)
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Hook is an outgoing webhook subscription; Secret is set only in the
// answer that creates it.
type Hook struct {
	ID             int64    `json:"id"`
	URL            string   `json:"url"`
	Events         []string `json:"events"`
	Description    string   `json:"description,omitempty"`
	CreatedBy      string   `json:"created_by,omitempty"`
	CreatedAt      *string  `json:"created_at"`
	Active         bool     `json:"active"`
	DisabledAt     *string  `json:"disabled_at"`
	DisabledReason string   `json:"disabled_reason,omitempty"`
	Secret         string   `json:"secret,omitempty"`
}

// HookOf returns the view of h.
func HookOf(h *core.Hook) Hook {
	v := Hook{ID: h.ID, URL: h.URL, Events: make([]string, len(h.Events)), Description: h.Description, CreatedBy: h.CreatedBy,
		CreatedAt: Time(h.CreatedAt), Active: h.Active(), DisabledAt: Time(h.DisabledAt), DisabledReason: h.DisabledReason}
	for i, e := range h.Events {
		v.Events[i] = string(e)
	}
	return v
}

// HookDelivery is one event owed to one subscription and its last
// attempt.
type HookDelivery struct {
	ID          int64   `json:"id"`
	Hook        int64   `json:"hook"`
	Event       string  `json:"event"`
	Type        string  `json:"type"`
	Record      string  `json:"record"`
	State       string  `json:"state"`
	Attempts    int     `json:"attempts"`
	Status      int     `json:"status"`
	LatencyMS   int64   `json:"latency_ms"`
	Excerpt     string  `json:"excerpt,omitempty"`
	Error       string  `json:"error,omitempty"`
	CreatedAt   *string `json:"created_at"`
	LastAt      *string `json:"last_attempt_at"`
	NextAt      *string `json:"next_attempt_at"`
	DeliveredAt *string `json:"delivered_at"`
}

// HookDeliveryOf returns the view of d.
func HookDeliveryOf(d *core.HookDelivery) HookDelivery {
	v := HookDelivery{ID: d.ID, Hook: d.HookID, Event: d.EventID, Type: string(d.EventType), Record: d.Record, State: string(d.State),
		Attempts: d.Attempts, Status: d.Status, LatencyMS: d.Latency.Milliseconds(), Excerpt: d.Excerpt, Error: d.Error,
		CreatedAt: Time(d.CreatedAt), LastAt: Time(d.LastAt), DeliveredAt: Time(d.DeliveredAt)}
	if d.State == core.DeliveryPending {
		v.NextAt = Time(d.NextAt)
	}
	return v
}

package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"
)

// EventType names something that happened to a record, as outgoing
// webhooks tell it.
type EventType string

// The event types a subscription may ask for.
const (
	EventLeadCreated      EventType = "lead.created"      // captured from any channel, the API or the CLI
	EventLeadClaimed      EventType = "lead.claimed"      // a rep claimed it
	EventLeadAssigned     EventType = "lead.assigned"     // a manager, an admin or a rule gave it to someone
	EventLeadDisqualified EventType = "lead.disqualified" // with its reason
	EventDealCreated      EventType = "deal.created"      // a lead was qualified into it
	EventDealUpdated      EventType = "deal.updated"      // its value, close date or probability changed
	EventDealStageChanged EventType = "deal.stage_changed"
	EventDealWon          EventType = "deal.won"
	EventDealLost         EventType = "deal.lost"
	EventTaskOverdue      EventType = "task.overdue" // fell due while open (its owner is reminded at once)
	// EventRuleMatched goes only to the subscription a rule's webhook
	// action names by its URL.
	EventRuleMatched EventType = "rule.matched"
)

// EventTypes lists the event types in the order the docs list them.
var EventTypes = []EventType{EventLeadCreated, EventLeadClaimed, EventLeadAssigned, EventLeadDisqualified,
	EventDealCreated, EventDealUpdated, EventDealStageChanged, EventDealWon, EventDealLost, EventTaskOverdue, EventRuleMatched}

// ParseEventTypes reads a comma-separated list of event types; "*" is
// every one but rule.matched.
func ParseEventTypes(s string) ([]EventType, error) {
	var out []EventType
	for f := range strings.SplitSeq(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		switch {
		case f == "":
			continue
		case f == "*":
			for _, t := range EventTypes {
				if t != EventRuleMatched && !slices.Contains(out, t) {
					out = append(out, t)
				}
			}
			continue
		case !slices.Contains(EventTypes, EventType(f)):
			return nil, Errorf(KindInvalid, "unknown event %q; use %s", f, eventList())
		}
		if !slices.Contains(out, EventType(f)) {
			out = append(out, EventType(f))
		}
	}
	if len(out) == 0 {
		return nil, Errorf(KindInvalid, "name the events to send, e.g. --events lead.created,deal.won; one of: %s", eventList())
	}
	return out, nil
}

func eventList() string {
	s := make([]string, len(EventTypes))
	for i, t := range EventTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// Hook is an outgoing webhook subscription: the events of its types are
// posted to URL, signed with its secret.
type Hook struct {
	ID     int64
	URL    string
	Events []EventType
	// Secret is the whsec_ secret, sealed (see Sealer); only Add ever
	// shows it in the clear.
	Secret      []byte
	Description string
	CreatedBy   string // who made it: an email, or a token's name
	CreatedAt   time.Time
	// DisabledAt is when deliveries failing for HookGiveUp stopped it
	// (zero: active), and DisabledReason the last failure.
	DisabledAt     time.Time
	DisabledReason string
	// FailingSince is when its deliveries began to fail (zero: the last
	// went through).
	FailingSince time.Time
}

// Active reports whether the hook still gets events.
func (h *Hook) Active() bool { return h.DisabledAt.IsZero() }

// Wants reports whether the hook subscribed to events of type t.
func (h *Hook) Wants(t EventType) bool { return h.Active() && slices.Contains(h.Events, t) }

// EventNames is the hook's events as words ("lead.created,deal.won").
func (h *Hook) EventNames() string {
	s := make([]string, len(h.Events))
	for i, t := range h.Events {
		s[i] = string(t)
	}
	return strings.Join(s, ",")
}

// HookEvent is one event in the outbox: what happened, to which record
// (its chat ref, L12, D45, T7), when, and the record as it was then.
type HookEvent struct {
	ID     string // evt_…: the same on every delivery, so receivers drop repeats
	Type   EventType
	Record string
	At     time.Time
	Data   []byte // EventData as JSON
}

// EventData is what an event carries: the record (one of Lead, Deal,
// Task) as it was when the event happened, with what names it for
// readers outside (its contact, its pipeline, its people's emails and its
// team's name). Adapters render it as the API writes the record.
type EventData struct {
	Lead          *Lead            `json:"lead,omitempty"`
	Deal          *Deal            `json:"deal,omitempty"`
	Task          *Task            `json:"task,omitempty"`
	Contact       *Contact         `json:"contact,omitempty"`
	Pipeline      *Pipeline        `json:"pipeline,omitempty"`
	Users         map[int64]string `json:"users,omitempty"` // id → email
	Teams         map[int64]string `json:"teams,omitempty"` // id → name
	PreviousStage string           `json:"previous_stage,omitempty"`
	Rule          string           `json:"rule,omitempty"` // rule.matched: the rule's name
}

// HookDeliveryState is where a delivery stands.
type HookDeliveryState string

// The delivery states.
const (
	DeliveryPending   HookDeliveryState = "pending"   // to be sent, or sent again after a failure
	DeliveryDelivered HookDeliveryState = "delivered" // the receiver answered 2xx
	DeliveryFailed    HookDeliveryState = "failed"    // given up: HookGiveUp passed, or its hook was disabled
)

// HookDelivery is one event owed to one subscription, and how its last
// attempt went.
type HookDelivery struct {
	ID        int64
	HookID    int64
	EventID   string
	EventType EventType
	Record    string
	State     HookDeliveryState
	Attempts  int
	CreatedAt time.Time
	NextAt    time.Time // when a pending delivery is tried next
	// The last attempt: when, the receiver's status (0: no answer), how
	// long it took, the start of its answer, and what went wrong.
	LastAt      time.Time
	Status      int
	Latency     time.Duration
	Excerpt     string
	Error       string
	DeliveredAt time.Time
}

// HookDeliveryFilter narrows a delivery listing (newest first).
type HookDeliveryFilter struct {
	HookID int64
	Failed bool // only those given up, or pending after a failed attempt
	Limit  int
}

// DueDelivery is a delivery to make now, with its event.
type DueDelivery struct {
	HookDelivery
	Event HookEvent
}

// HookReader finds subscriptions, events and deliveries.
type HookReader interface {
	HookByID(ctx context.Context, id int64) (*Hook, error)
	// ListHooks lists every subscription, disabled ones too, oldest first.
	ListHooks(ctx context.Context) ([]Hook, error)
	HookDeliveryByID(ctx context.Context, id int64) (*HookDelivery, error)
	ListHookDeliveries(ctx context.Context, f HookDeliveryFilter) ([]HookDelivery, error)
	// DueHookDeliveries lists, oldest first, at most limit pending
	// deliveries due at now, each the oldest pending delivery of its hook
	// and record: a later event of a record waits for the earlier.
	DueHookDeliveries(ctx context.Context, now time.Time, limit int) ([]DueDelivery, error)
}

// HookTx changes subscriptions and their outbox.
type HookTx interface {
	// CreateHook stores a subscription; it sets h.ID.
	CreateHook(ctx context.Context, h *Hook) error
	// DeleteHook removes a subscription and its deliveries.
	DeleteHook(ctx context.Context, id int64) error
	// DisableHook stops a subscription and gives up its pending
	// deliveries.
	DisableHook(ctx context.Context, id int64, at time.Time, reason string) error
	// AddHookEvent stores an event and a pending delivery of it, due at
	// its time, to each of hookIDs.
	AddHookEvent(ctx context.Context, e *HookEvent, hookIDs []int64) error
	// AddHookDelivery stores a delivery of a stored event; it sets d.ID.
	AddHookDelivery(ctx context.Context, d *HookDelivery) error
	// UpdateHookDelivery saves a delivery's state and last attempt; one
	// removed meanwhile is left alone.
	UpdateHookDelivery(ctx context.Context, d *HookDelivery) error
	// SetHookFailing sets (zero: clears) when a subscription began to fail.
	SetHookFailing(ctx context.Context, id int64, since time.Time) error
	// SetHookSecret stores a subscription's secret sealed anew.
	SetHookSecret(ctx context.Context, id int64, sealed []byte) error
	// PruneHookDeliveries drops deliveries made or given up that were
	// enqueued before before, and the events no delivery needs any more;
	// it returns how many deliveries it dropped.
	PruneHookDeliveries(ctx context.Context, before time.Time) (int64, error)
}

// Hooks manages outgoing webhook subscriptions and their delivery log.
// Events are raised by the services that change records, in the same
// transaction; a HookDispatcher delivers them.
type Hooks struct {
	store Store
	clock Clock
	log   *slog.Logger
}

// HookInput is a subscription to add.
type HookInput struct {
	URL         string
	Events      []EventType
	Description string
	// CheckURL checks the target (the SSRF guard, per hooks.allow_private);
	// nil checks only its form.
	CheckURL func(ctx context.Context, url string) error
	// NewSecret makes the whsec_ secret.
	NewSecret func() string
}

// mustManage refuses anyone but an admin.
func mustManage(actor *User) error {
	if actor == nil || actor.Role != RoleAdmin {
		who := "you are"
		if actor != nil {
			who = fmt.Sprintf("%s is a %s", actor.display(), actor.Role)
		}
		return Errorf(KindForbidden, "only an admin manages webhooks; %s", who)
	}
	return nil
}

// Add subscribes a URL to events and returns the subscription with its
// secret in the clear, shown this once; it is stored sealed with box.
func (h *Hooks) Add(ctx context.Context, actor *User, box Sealer, in HookInput) (*Hook, string, error) {
	if err := mustManage(actor); err != nil {
		return nil, "", err
	}
	if box == nil {
		return nil, "", Errorf(KindInvalid, "a webhook secret is stored encrypted: set secrets.key (leadwire secrets new-key) first")
	}
	raw := strings.TrimSpace(in.URL)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, "", Errorf(KindInvalid, "%q is no http or https URL", raw)
	}
	if in.CheckURL != nil {
		if err := in.CheckURL(ctx, raw); err != nil {
			return nil, "", Errorf(KindInvalid, "%v", err)
		}
	}
	if len(in.Events) == 0 {
		return nil, "", Errorf(KindInvalid, "name the events to send, e.g. lead.created,deal.won; one of: %s", eventList())
	}
	for _, t := range in.Events {
		if !slices.Contains(EventTypes, t) {
			return nil, "", Errorf(KindInvalid, "unknown event %q; use %s", t, eventList())
		}
	}
	secret := in.NewSecret()
	hook := &Hook{URL: raw, Events: in.Events, Description: cleanLine(in.Description), CreatedBy: actor.display(), CreatedAt: h.clock.Now()}
	if hook.Secret, err = box.Seal([]byte(secret), hookAD(raw)); err != nil {
		return nil, "", fmt.Errorf("add webhook %s: seal the secret: %w", raw, err)
	}
	err = h.store.Update(ctx, func(tx Tx) error { return tx.CreateHook(ctx, hook) })
	if err != nil {
		return nil, "", fmt.Errorf("add webhook %s: %w", raw, err)
	}
	return hook, secret, nil
}

// hookAD binds a sealed secret to its target: a secret copied onto a
// subscription to another URL does not open.
func hookAD(url string) []byte { return []byte("hook:" + url) }

// OpenHookSecret returns a subscription's secret in the clear.
func OpenHookSecret(box Sealer, h *Hook) (string, error) {
	if box == nil {
		return "", Errorf(KindInvalid, "webhook secrets are encrypted and no secrets.key is set")
	}
	b, err := box.Open(h.Secret, hookAD(h.URL))
	if err != nil {
		return "", fmt.Errorf("open the secret of webhook %d: %w", h.ID, err)
	}
	return string(b), nil
}

// List lists the subscriptions.
func (h *Hooks) List(ctx context.Context, actor *User) ([]Hook, error) {
	if err := mustManage(actor); err != nil {
		return nil, err
	}
	return h.store.ListHooks(ctx)
}

// Remove deletes a subscription and its delivery log.
func (h *Hooks) Remove(ctx context.Context, actor *User, id int64) error {
	if err := mustManage(actor); err != nil {
		return err
	}
	return h.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.HookByID(ctx, id); err != nil {
			return err
		}
		return tx.DeleteHook(ctx, id)
	})
}

// Deliveries lists logged deliveries, newest first.
func (h *Hooks) Deliveries(ctx context.Context, actor *User, f HookDeliveryFilter) ([]HookDelivery, error) {
	if err := mustManage(actor); err != nil {
		return nil, err
	}
	return h.store.ListHookDeliveries(ctx, f)
}

// Redeliver sends a delivery's event to its subscription again, as a new
// delivery due now; it returns the new delivery.
func (h *Hooks) Redeliver(ctx context.Context, actor *User, deliveryID int64) (*HookDelivery, error) {
	if err := mustManage(actor); err != nil {
		return nil, err
	}
	var out *HookDelivery
	err := h.store.Update(ctx, func(tx Tx) error {
		d, err := tx.HookDeliveryByID(ctx, deliveryID)
		if err != nil {
			return err
		}
		hook, err := tx.HookByID(ctx, d.HookID)
		if err != nil {
			return err
		}
		if !hook.Active() {
			return Errorf(KindConflict, "webhook %d is disabled (%s); add the URL again to get events", hook.ID, hook.DisabledReason)
		}
		if d.State == DeliveryPending {
			return Errorf(KindConflict, "delivery %d is still pending; it is tried again at %s", d.ID, d.NextAt.Format(time.RFC3339))
		}
		now := h.clock.Now()
		out = &HookDelivery{HookID: d.HookID, EventID: d.EventID, EventType: d.EventType, Record: d.Record,
			State: DeliveryPending, CreatedAt: now, NextAt: now}
		return tx.AddHookDelivery(ctx, out)
	})
	if err != nil {
		return nil, fmt.Errorf("redeliver %d: %w", deliveryID, err)
	}
	return out, nil
}

// Reseal seals every subscription's secret, opened with from, with to:
// part of rotating the secrets key. It returns how many it re-sealed.
func (h *Hooks) Reseal(ctx context.Context, from, to Sealer) (int, error) {
	if from == nil || to == nil {
		return 0, ErrNoSecretsKey
	}
	n := 0
	err := h.store.Update(ctx, func(tx Tx) error {
		hooks, err := tx.ListHooks(ctx)
		if err != nil {
			return err
		}
		for i := range hooks {
			secret, err := OpenHookSecret(from, &hooks[i])
			if err != nil {
				return err
			}
			sealed, err := to.Seal([]byte(secret), hookAD(hooks[i].URL))
			if err != nil {
				return err
			}
			if err := tx.SetHookSecret(ctx, hooks[i].ID, sealed); err != nil {
				return err
			}
		}
		n = len(hooks)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("re-seal webhook secrets: %w", err)
	}
	return n, nil
}

// NewEventID returns a new event id: evt_ and 16 random bytes in hex.
func NewEventID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails: see crypto/rand.Read
	return "evt_" + hex.EncodeToString(b)
}

// emit raises an event about a lead, deal or task in tx: stored with a
// delivery to every active subscription that wants it, in the
// transaction of the change. Without such a subscription it costs one
// small query.
func (s *Service) emit(ctx context.Context, tx Tx, typ EventType, ref Ref, extra EventData) error {
	hooks, err := tx.ListHooks(ctx)
	if err != nil {
		return err
	}
	var ids []int64
	for i := range hooks {
		if hooks[i].Wants(typ) {
			ids = append(ids, hooks[i].ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return s.emitTo(ctx, tx, typ, ref, extra, ids)
}

// emitTo stores an event for the given subscriptions.
func (s *Service) emitTo(ctx context.Context, tx Tx, typ EventType, ref Ref, extra EventData, hookIDs []int64) error {
	data, err := s.eventData(ctx, tx, ref, extra)
	if err != nil {
		return fmt.Errorf("event %s of %s: %w", typ, ref, err)
	}
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("event %s of %s: %w", typ, ref, err)
	}
	e := &HookEvent{ID: NewEventID(), Type: typ, Record: ref.String(), At: s.clock.Now(), Data: b}
	return tx.AddHookEvent(ctx, e, hookIDs)
}

// eventData loads the record of ref as it is in tx, with its names.
func (s *Service) eventData(ctx context.Context, tx Tx, ref Ref, d EventData) (EventData, error) {
	d.Users, d.Teams = map[int64]string{}, map[int64]string{}
	user := func(id int64) error {
		if id == 0 || d.Users[id] != "" {
			return nil
		}
		u, err := tx.UserByID(ctx, id)
		if err == nil {
			d.Users[id] = u.Email
		}
		return err
	}
	team := func(id int64) error {
		if id == 0 || d.Teams[id] != "" {
			return nil
		}
		t, err := tx.TeamByID(ctx, id)
		if err == nil {
			d.Teams[id] = t.Name
		}
		return err
	}
	contact := func(id int64) error {
		if id == 0 {
			return nil
		}
		c, err := tx.ContactByID(ctx, id)
		d.Contact = c
		return err
	}
	var err error
	switch ref.Kind {
	case 'L':
		if d.Lead, err = tx.LeadByID(ctx, ref.ID); err != nil {
			return d, err
		}
		if d.Lead.Open() {
			d.Lead.Score = s.settings.Scoring.Total(d.Lead.ScoreHits, d.Lead.LastActivityAt, s.clock.Now())
		}
		err = firstErr(user(d.Lead.OwnerID), team(d.Lead.TeamID), contact(d.Lead.ContactID))
	case 'D':
		if d.Deal, err = tx.DealByID(ctx, ref.ID); err != nil {
			return d, err
		}
		if d.Pipeline, err = tx.PipelineByID(ctx, d.Deal.PipelineID); err != nil {
			return d, err
		}
		err = firstErr(user(d.Deal.OwnerID), team(d.Deal.TeamID), contact(d.Deal.ContactID))
	case 'T':
		if d.Task, err = tx.TaskByID(ctx, ref.ID); err != nil {
			return d, err
		}
		err = user(d.Task.OwnerID)
	default:
		err = fmt.Errorf("no events of %s", ref)
	}
	return d, err
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// ruleWebhook raises rule.matched for the subscription to url.
func (s *Service) ruleWebhook(ctx context.Context, tx Tx, r *Rule, url string, ref Ref) error {
	hooks, err := tx.ListHooks(ctx)
	if err != nil {
		return err
	}
	for i := range hooks {
		if hooks[i].URL == url && hooks[i].Active() {
			return s.emitTo(ctx, tx, EventRuleMatched, ref, EventData{Rule: r.Name}, []int64{hooks[i].ID})
		}
	}
	return Errorf(KindInvalid, "rule %q: no active webhook subscription to %s; add one with leadwire hooks add %s --events rule.matched", r.Name, url, url)
}

package core

import (
	"context"
	"time"
)

// Via is the way a change came in: the audit log's "through what".
type Via string

// The ways a change comes in.
const (
	ViaCLI      Via = "cli"
	ViaSlack    Via = "slack"
	ViaTelegram Via = "telegram"
	ViaConsole  Via = "console"
	ViaAPI      Via = "api"
	ViaWeb      Via = "web"
	ViaJob      Via = "job"
	ViaConfig   Via = "config"
)

type viaKey struct{}

// WithVia tells the changes made with ctx which way they came in; each
// front end sets it once where a request enters.
func WithVia(ctx context.Context, v Via) context.Context { return context.WithValue(ctx, viaKey{}, v) }

// ViaOf is the way set by WithVia; the command line when none was set.
func ViaOf(ctx context.Context) Via {
	if v, ok := ctx.Value(viaKey{}).(Via); ok && v != "" {
		return v
	}
	return ViaCLI
}

// FieldChange is one field of a record before and after a change.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// AuditEntry is one change as the audit log keeps it: who (a user, or a
// rule, connector or token named in Actor), through what, when, on what
// record, and the fields before and after.
type AuditEntry struct {
	ID      int64
	At      time.Time
	ActorID int64  // the user; 0 for a rule, connector, token or job
	Actor   string // the user's email, or "rule:…", "connector:…", "token:…", "job:…"
	Via     Via
	Action  string // "deal.move", "lead.assign", "contact.merge", …
	Contact int64  // the record changed, where it is one of these
	Lead    int64
	Deal    int64
	User    int64
	Target  string // another record or name the change names ("C34", a token's name)
	Changes []FieldChange
	Note    string
}

// AuditFilter narrows the audit log; zero fields do not filter.
type AuditFilter struct {
	Contact, Lead, Deal int64
	// User is the user who acted or was changed.
	User     int64
	Since    time.Time
	Action   string // a prefix: "deal." for every deal change
	BeforeID int64  // keyset paging: entries below this id (newest first)
	Limit    int    // 0: 100
}

// AuditReader is the audit log's read port.
type AuditReader interface {
	// ListAudit lists entries newest first.
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

// AuditTx is the audit log's write port: entries are written in the
// transaction of the change they record.
type AuditTx interface {
	// AddAudit appends an entry; it sets e.ID.
	AddAudit(ctx context.Context, e *AuditEntry) error
}

// audit records e, made by actor (nil: the job or rule e.Actor names),
// in tx.
func (s *Service) audit(ctx context.Context, tx Tx, actor *User, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.clock.Now()
	}
	if e.Via == "" {
		e.Via = ViaOf(ctx)
	}
	if actor != nil {
		e.ActorID = actor.ID
		if e.Actor == "" {
			e.Actor = actor.Email
		}
	}
	if e.Actor == "" {
		e.Actor = "operator"
	}
	return tx.AddAudit(ctx, &e)
}

// Audit lists the audit log: admins see all of it; a manager the entries
// of their team's records is not offered yet, so others are refused.
func (s *Service) Audit(ctx context.Context, actor *User, f AuditFilter) ([]AuditEntry, error) {
	if actor.Role != RoleAdmin {
		return nil, Errorf(KindForbidden, "only admins may read the audit log; you are a %s", actor.Role)
	}
	return s.store.ListAudit(ctx, f)
}

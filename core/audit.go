package core

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
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
	ViaWebhook  Via = "webhook"
	ViaEmail    Via = "email"
	ViaJob      Via = "job"
	ViaConfig   Via = "config"
)

type viaKey struct{}

type tokenKey struct{}

// WithToken tells the changes made with ctx that an API token named name
// made them (acting as its user): the audit log names the token as who.
func WithToken(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, tokenKey{}, name)
}

// tokenOf is the token name set by WithToken, "" when none.
func tokenOf(ctx context.Context) string {
	name, _ := ctx.Value(tokenKey{}).(string)
	return name
}

// viaSet is the way set by WithVia, and whether one was.
func viaSet(ctx context.Context) (Via, bool) {
	v, ok := ctx.Value(viaKey{}).(Via)
	return v, ok && v != ""
}

// viaOfChannel is the way an inbound of the channel comes in when the
// front end that took it said none.
func viaOfChannel(channel string) Via {
	switch channel {
	case ChannelEmail:
		return ViaEmail
	case ChannelWebform:
		return ViaWeb
	case ChannelWebhook:
		return ViaWebhook
	case ChannelTelegram:
		return ViaTelegram
	case ChannelSlack:
		return ViaSlack
	}
	return ViaCLI
}

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
	// User is the user who acted or was changed; UserEmail names them
	// instead.
	User      int64
	UserEmail string
	Since     time.Time
	Action    string // a prefix: "deal." for every deal change
	BeforeID  int64  // keyset paging: entries below this id (newest first)
	Limit     int    // 0: 100
	// TeamID keeps the entries about records of the team: judged by the
	// most specific record an entry names (its deal, else its lead, else
	// its contact, else the user changed); entries about no record
	// (tokens, configuration) are left out.
	TeamID int64
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
	// AddAudits appends many entries at once (a capture batch's), in
	// their order; it does not set their ids.
	AddAudits(ctx context.Context, es []AuditEntry) error
}

// audit records e, made by actor (nil: the job or rule e.Actor names),
// in tx.
func (s *Service) audit(ctx context.Context, tx Tx, actor *User, e AuditEntry) error {
	return writeAudit(ctx, tx, s.clock.Now(), actor, e)
}

// audit records a directory change in tx, as Service.audit does.
func (d *Directory) audit(ctx context.Context, tx Tx, actor *User, e AuditEntry) error {
	return writeAudit(ctx, tx, d.clock.Now(), actor, e)
}

// writeAudit adds e to the audit log in tx, at now unless e has a time,
// through the channel the context names unless e does.
func writeAudit(ctx context.Context, tx Tx, now time.Time, actor *User, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = now
	}
	if e.Via == "" {
		e.Via = ViaOf(ctx)
	}
	if actor != nil {
		e.ActorID = actor.ID
		if e.Actor == "" {
			e.Actor = actor.Email
			if tok := tokenOf(ctx); tok != "" {
				// The token acted; ActorID keeps the user it acts as.
				e.Actor = "token:" + tok
			}
		}
	}
	if e.Actor == "" {
		e.Actor = "operator"
	}
	return tx.AddAudit(ctx, &e)
}

// Audit lists the audit log, newest first: admins all of it, a manager
// the entries about the records of their team. A record named in f must
// be within the manager's team; others are refused, saying why.
func (s *Service) Audit(ctx context.Context, actor *User, f AuditFilter) ([]AuditEntry, error) {
	switch {
	case actor.Role == RoleAdmin:
	case actor.Role == RoleManager && actor.TeamID != 0:
		f.TeamID = actor.TeamID
		if err := s.auditReach(ctx, actor, f); err != nil {
			return nil, err
		}
	case actor.Role == RoleManager:
		return nil, Fail(KindForbidden, "error.audit_no_team", "you manage no team, so there are no records whose changes you may read; an admin can put you in a team")
	default:
		return nil, Fail(KindForbidden, "error.audit_not_allowed", "only managers (for their team's records) and admins may read the audit log; you are a {Role}", "Role", actor.Role)
	}
	if f.UserEmail != "" {
		u, err := s.store.UserByEmail(ctx, f.UserEmail)
		if IsNotFound(err) {
			return nil, Fail(KindNotFound, "error.no_user", "no user {Email}", "Email", f.UserEmail)
		}
		if err != nil {
			return nil, err
		}
		if f.TeamID != 0 && u.TeamID != f.TeamID {
			return nil, Fail(KindForbidden, "error.audit_user_not_in_team", "{Email} is not in your team; you may read the changes of your team's people and records", "Email", u.Email)
		}
		f.User = u.ID
	}
	return s.store.ListAudit(ctx, f)
}

// auditReach refuses a manager a record of another team named in f.
func (s *Service) auditReach(ctx context.Context, actor *User, f AuditFilter) error {
	refuse := func(ref string) error {
		return Fail(KindForbidden, "error.audit_record_not_in_team", "{Ref} is not a record of your team; you may read the changes of your team's records only", "Ref", ref)
	}
	if f.Deal != 0 {
		d, err := s.store.DealByID(ctx, f.Deal)
		if err != nil {
			return err
		}
		if d.TeamID != actor.TeamID {
			return refuse(d.Ref())
		}
	}
	if f.Lead != 0 {
		l, err := s.store.LeadByID(ctx, f.Lead)
		if err != nil {
			return err
		}
		if l.TeamID != actor.TeamID {
			return refuse(l.Ref())
		}
	}
	if f.Contact != 0 {
		c, err := s.store.ContactByID(ctx, f.Contact)
		if err != nil {
			return err
		}
		if c.TeamID != actor.TeamID {
			return refuse(c.Ref())
		}
	}
	return nil
}

// auditStage records a deal's move, win, loss or reopening.
func (s *Service) auditStage(ctx context.Context, tx Tx, actor *User, d *Deal, from, to *Stage, was DealStatus, reason string) error {
	action := "deal.move"
	switch {
	case to.Kind == StageWon:
		action = "deal.win"
	case to.Kind == StageLost:
		action = "deal.lose"
	case was != DealOpen:
		action = "deal.reopen"
	}
	changes := []FieldChange{{Field: "stage", Before: from.Name, After: to.Name}}
	if was != d.Status {
		changes = append(changes, FieldChange{Field: "status", Before: string(was), After: string(d.Status)})
	}
	if reason != "" {
		changes = append(changes, FieldChange{Field: "lost reason", After: reason})
	}
	return s.audit(ctx, tx, actor, AuditEntry{Action: action, Deal: d.ID, Contact: d.ContactID, Changes: changes})
}

// auditOwner records a lead given to owner: claimed, or assigned.
func (s *Service) auditOwner(ctx context.Context, tx Tx, actor *User, l *Lead, owner *User) error {
	action := "lead.assign"
	if owner.ID == actor.ID {
		action = "lead.claim"
	}
	before := ""
	if l.OwnerID != 0 {
		if u, err := tx.UserByID(ctx, l.OwnerID); err == nil {
			before = u.Email
		}
	}
	return s.audit(ctx, tx, actor, AuditEntry{Action: action, Lead: l.ID, Contact: l.ContactID, User: owner.ID,
		Changes: []FieldChange{{Field: "owner", Before: before, After: owner.Email}, {Field: "status", Before: string(l.Status), After: string(LeadClaimed)}}})
}

// auditUser records a user made or changed: by actor, or by the
// configuration (actor nil) when something changed.
func (d *Directory) auditUser(ctx context.Context, tx Tx, actor *User, action string, was, u *User) error {
	var changes []FieldChange
	add := func(field, a, b string) {
		if a != b {
			changes = append(changes, FieldChange{Field: field, Before: a, After: b})
		}
	}
	add("name", was.Name, u.Name)
	add("role", string(was.Role), string(u.Role))
	add("team", teamText(was.TeamID), teamText(u.TeamID))
	add("time zone", was.TimeZone, u.TimeZone)
	add("locale", was.Locale, u.Locale)
	add("slack", was.SlackID, u.SlackID)
	add("telegram", idText(was.TelegramID), idText(u.TelegramID))
	add("active", boolText(was.Active), boolText(u.Active))
	if len(changes) == 0 && action == "user.update" {
		return nil
	}
	e := AuditEntry{Action: action, User: u.ID, Target: u.Email, Changes: changes}
	if actor == nil && ViaOf(ctx) == ViaConfig {
		e.Actor = "config"
	}
	return d.audit(ctx, tx, actor, e)
}

func teamText(id int64) string {
	if id == 0 {
		return ""
	}
	return "team " + idText(id)
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func boolText(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// dealFields are the fields of a deal a person edits, as the audit log
// shows them.
func dealFields(d *Deal) map[string]string {
	close := ""
	if !d.ExpectedClose.IsZero() {
		close = d.ExpectedClose.Format(time.DateOnly)
	}
	prob := "stage default"
	if d.Probability >= 0 {
		prob = strconv.Itoa(d.Probability) + "%"
	}
	return map[string]string{"title": d.Title, "value": d.Value.String(), "expected close": close, "probability": prob,
		"owner": idText(d.OwnerID)}
}

// diffFields lists the fields whose values differ, by field name.
func diffFields(before, after map[string]string) []FieldChange {
	var out []FieldChange
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if before[k] != after[k] {
			out = append(out, FieldChange{Field: k, Before: before[k], After: after[k]})
		}
	}
	return out
}

// captureOrigin is who sent an inbound in and through what.
type captureOrigin struct {
	via   Via
	token string
}

// originOf is the origin ctx names for in: the way set by WithVia, else
// the inbound's channel's; and the API token set by WithToken.
func originOf(ctx context.Context, in Inbound) captureOrigin {
	via, ok := viaSet(ctx)
	if !ok {
		via = viaOfChannel(in.Channel)
	}
	return captureOrigin{via: via, token: tokenOf(ctx)}
}

// entry starts the audit entry of a change an inbound made: by its API
// token, else by the connector it came through.
func (o captureOrigin) entry(ctx context.Context, in Inbound) AuditEntry {
	if o.via == "" { // captured in a batch, not through Capture
		o = originOf(ctx, in)
	}
	e := AuditEntry{Via: o.via, Actor: "connector:" + ConnectorName(in.Channel, in.Source)}
	if o.token != "" {
		e.Actor = "token:" + o.token
	}
	return e
}

// captureAudit is the entry of an inbound that made a lead or a contact.
// It is kept small, since every capture writes one: the lead and contact
// hold what they were made with, so the entry says only that they were
// made, and by what.
func captureAudit(ctx context.Context, in Inbound, res CaptureResult, contactCreated bool, now time.Time) AuditEntry {
	e := in.origin.entry(ctx, in)
	e.At, e.Contact = now, res.ContactID
	if contactCreated {
		e.Action = "contact.capture"
		e.Changes = []FieldChange{{Field: "contact", After: ContactRef(res.ContactID)}}
	}
	if res.NewLead {
		e.Action, e.Lead = "lead.capture", res.LeadID
	}
	return e
}

// contactFields are the fields of a contact a change may touch, as the
// audit log shows them.
func contactFields(c *Contact) map[string]string {
	return map[string]string{"name": c.Name, "company": c.Company, "emails": strings.Join(c.Emails, ", "),
		"phones": strings.Join(c.Phones, ", "), "handles": strings.Join(c.Handles, ", "), "time zone": c.TimeZone,
		"company id": idText(c.CompanyID)}
}

// taskFields are the fields of a task a change may touch.
func taskFields(t *Task) map[string]string {
	status := "open"
	if t.Done {
		status = "done"
	}
	return map[string]string{"title": t.Title, "status": status, "due": auditTime(t.Due())}
}

// auditTime is a time as the audit log keeps it: UTC, to the minute.
func auditTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}

// clipAudit keeps free text short in the audit log: the record keeps the
// whole.
func clipAudit(s string) string {
	if r := []rune(s); len(r) > 200 {
		return string(r[:200]) + "…"
	}
	return s
}

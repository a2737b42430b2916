// Package view holds the JSON shapes of leadwire's records as every reader
// outside gets them: the CLI's --json output, the REST API and outgoing
// webhooks. Ids read as L123 and D45, money as minor units plus currency,
// times in RFC 3339 (UTC). One shape for all, so a script written against
// one works against the others.
package view

import (
	"context"
	"fmt"
	"time"

	"leadwire/core"
	"leadwire/internal/lang"
)

// Money is an amount in minor units and its ISO 4217 currency.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// MoneyOf returns the view of m.
func MoneyOf(m core.Money) Money { return Money{m.Amount, m.Currency} }

// Time formats a time in RFC 3339 (UTC), or nil for an unset one.
func Time(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// Names resolves user ids to emails and team ids to names, and, for the
// words of a timeline, pipeline and stage ids to their names.
type Names struct {
	Users     map[int64]string
	Teams     map[int64]string
	Pipelines map[int64]*core.Pipeline
}

// User is a user.
type User struct {
	ID       int64  `json:"id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Team     string `json:"team,omitempty"`
	TimeZone string `json:"timezone,omitempty"`
	Locale   string `json:"locale,omitempty"`
	Slack    string `json:"slack,omitempty"`
	Telegram int64  `json:"telegram,omitempty"`
}

// UserOf returns the view of u; teams names teams by id.
func UserOf(u *core.User, teams map[int64]string) User {
	return User{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Team: teams[u.TeamID],
		TimeZone: u.TimeZone, Locale: u.Locale, Slack: u.SlackID, Telegram: u.TelegramID}
}

// Team is a team.
type Team struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Manager       string `json:"manager,omitempty"`
	SlackChannel  string `json:"slack_channel,omitempty"`
	TelegramChat  string `json:"telegram_chat,omitempty"`
	ResponseLimit string `json:"response_limit"`
	Region        string `json:"region,omitempty"`
}

// Stage is a pipeline stage.
type Stage struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Position    int    `json:"position"`
	Probability int    `json:"probability"`
	RotDays     int    `json:"rot_days"`
	Kind        string `json:"kind"`
	// Labels are the stage's name in other languages ("th": "เสนอราคา").
	Labels map[string]string `json:"labels,omitempty"`
}

// Pipeline is a pipeline and its stages in order.
type Pipeline struct {
	ID      int64   `json:"id"`
	Name    string  `json:"name"`
	Default bool    `json:"default"`
	Stages  []Stage `json:"stages"`
}

// PipelineOf returns the view of p.
func PipelineOf(p *core.Pipeline) Pipeline {
	out := Pipeline{ID: p.ID, Name: p.Name, Default: p.IsDefault}
	for _, s := range p.Stages {
		out.Stages = append(out.Stages, Stage{s.ID, s.Name, s.Position, s.Probability, s.RotDays, string(s.Kind), s.Labels})
	}
	return out
}

// Contact is a contact.
type Contact struct {
	ID      int64    `json:"id"`
	Ref     string   `json:"ref"` // C12
	Name    string   `json:"name"`
	Emails  []string `json:"emails,omitempty"`
	Phones  []string `json:"phones,omitempty"`
	Handles []string `json:"handles,omitempty"`
	// InvalidPhones are phones as written that are no valid numbers.
	InvalidPhones []string `json:"invalid_phones,omitempty"`
	Company       string   `json:"company,omitempty"`
	Domain        string   `json:"domain,omitempty"`
	Source        string   `json:"source,omitempty"`
}

// ContactOf returns the view of c.
func ContactOf(c *core.Contact) Contact {
	return Contact{c.ID, core.ContactRef(c.ID), c.Name, c.Emails, c.Phones, c.Handles, c.InvalidPhones, c.Company, c.Domain, c.Source}
}

// Lead is a lead.
type Lead struct {
	ID               string            `json:"id"`
	Status           string            `json:"status"`
	Contact          *Contact          `json:"contact,omitempty"`
	ContactID        int64             `json:"contact_id"`
	Team             string            `json:"team,omitempty"`
	Owner            string            `json:"owner,omitempty"`
	Source           string            `json:"source"`
	SourceName       string            `json:"source_name,omitempty"`
	Subject          string            `json:"subject,omitempty"`
	Message          string            `json:"message,omitempty"`
	Score            int               `json:"score"`
	ScoreHits        []core.ScoreHit   `json:"score_hits,omitempty"`
	DisqualifyReason string            `json:"disqualify_reason,omitempty"`
	Deal             string            `json:"deal,omitempty"`
	Metadata         map[string]string `json:"metadata,omitempty"`
	CreatedAt        *string           `json:"created_at"`
	ClaimedAt        *string           `json:"claimed_at"`
	FirstResponseAt  *string           `json:"first_response_at"`
	DisqualifiedAt   *string           `json:"disqualified_at"`
}

// LeadOf returns the view of l.
func LeadOf(l *core.Lead, n Names) Lead {
	v := Lead{ID: l.Ref(), Status: string(l.Status), ContactID: l.ContactID, Team: n.Teams[l.TeamID], Owner: n.Users[l.OwnerID],
		Source: l.SourceChannel, SourceName: l.SourceName, Subject: l.Subject, Message: l.Message, Score: l.Score, ScoreHits: l.ScoreHits,
		DisqualifyReason: l.DisqualifyReason, Metadata: l.Metadata,
		CreatedAt: Time(l.CreatedAt), ClaimedAt: Time(l.ClaimedAt), FirstResponseAt: Time(l.FirstResponseAt),
		DisqualifiedAt: Time(l.DisqualifiedAt)}
	if l.DealID != 0 {
		v.Deal = core.DealRef(l.DealID)
	}
	return v
}

// Deal is a deal.
type Deal struct {
	ID             string             `json:"id"`
	Title          string             `json:"title"`
	Status         string             `json:"status"`
	Contact        *Contact           `json:"contact,omitempty"`
	ContactID      int64              `json:"contact_id"`
	Lead           string             `json:"lead,omitempty"`
	Owner          string             `json:"owner,omitempty"`
	Team           string             `json:"team,omitempty"`
	Pipeline       string             `json:"pipeline"`
	Stage          string             `json:"stage"`
	Value          Money              `json:"value"`
	Probability    int                `json:"probability"`
	ExpectedClose  *string            `json:"expected_close"`
	LostReason     string             `json:"lost_reason,omitempty"`
	Qualification  core.Qualification `json:"qualification"`
	History        []History          `json:"history,omitempty"`
	CreatedAt      *string            `json:"created_at"`
	ClosedAt       *string            `json:"closed_at"`
	LastActivityAt *string            `json:"last_activity_at"`
}

// History is one move of a deal between stages.
type History struct {
	From string  `json:"from,omitempty"`
	To   string  `json:"to"`
	At   *string `json:"at"`
	By   string  `json:"by,omitempty"`
}

// DealOf returns the view of d in its pipeline p (nil: unknown).
func DealOf(d *core.Deal, p *core.Pipeline, n Names) Deal {
	v := Deal{ID: d.Ref(), Title: d.Title, Status: string(d.Status), ContactID: d.ContactID, Owner: n.Users[d.OwnerID],
		Team: n.Teams[d.TeamID], Value: MoneyOf(d.Value), LostReason: d.LostReason, Qualification: d.Qualification,
		CreatedAt: Time(d.CreatedAt), ClosedAt: Time(d.ClosedAt), LastActivityAt: Time(d.LastActivityAt)}
	if d.LeadID != 0 {
		v.Lead = core.LeadRef(d.LeadID)
	}
	if !d.ExpectedClose.IsZero() {
		s := d.ExpectedClose.Format(time.DateOnly)
		v.ExpectedClose = &s
	}
	if p != nil {
		v.Pipeline = p.Name
		st := p.Stage(d.StageID)
		if st != nil {
			v.Stage = st.Name
		}
		v.Probability = d.EffectiveProbability(st)
	}
	return v
}

// Task is a follow-up.
type Task struct {
	ID           string  `json:"id"`
	Title        string  `json:"title"`
	Owner        string  `json:"owner,omitempty"`
	Lead         string  `json:"lead,omitempty"`
	Deal         string  `json:"deal,omitempty"`
	DueAt        *string `json:"due_at"`
	Done         bool    `json:"done"`
	SnoozedUntil *string `json:"snoozed_until"`
	Kind         string  `json:"kind,omitempty"`    // "meeting", or none for a follow-up
	HeldAt       *string `json:"held_at,omitempty"` // when a meeting was marked held
}

// TaskOf returns the view of t.
func TaskOf(t *core.Task, n Names) Task {
	v := Task{ID: fmt.Sprintf("T%d", t.ID), Title: t.Title, Owner: n.Users[t.OwnerID], DueAt: Time(t.DueAt), Done: t.Done, SnoozedUntil: Time(t.SnoozedUntil),
		Kind: string(t.Kind)}
	if !t.HeldAt.IsZero() {
		v.HeldAt = Time(t.HeldAt)
	}
	if t.LeadID != 0 {
		v.Lead = core.LeadRef(t.LeadID)
	}
	if t.DealID != 0 {
		v.Deal = core.DealRef(t.DealID)
	}
	return v
}

// Activity is an entry of a timeline. What leadwire says of it is Key
// with its Args (ids, days, instants and amounts, in no language), for a
// reader to write in theirs, and Text, written in English; Subject and
// Body are what people typed or sent (and the English of entries from
// before keys were kept).
type Activity struct {
	Kind    string    `json:"kind"`
	At      *string   `json:"at"`
	By      string    `json:"by,omitempty"`
	Key     string    `json:"key,omitempty"`
	Args    core.Args `json:"args,omitempty"`
	Text    string    `json:"text,omitempty"`
	Subject string    `json:"subject,omitempty"`
	Body    string    `json:"body,omitempty"`
}

// Activities returns the views of acts.
func Activities(acts []core.Activity, n Names) []Activity {
	out := make([]Activity, len(acts))
	for i, a := range acts {
		out[i] = Activity{Kind: string(a.Kind), At: Time(a.At), By: n.Users[a.UserID], Key: a.Key, Args: a.Args,
			Text: ActivityText(a, n), Subject: a.Subject, Body: a.Body}
	}
	return out
}

// ActivityText is what leadwire says of a timeline entry, in English
// (users by email, days and times in ISO 8601, UTC); "" for an entry
// without a key.
func ActivityText(a core.Activity, n Names) string {
	return lang.Default().For("en").Activity(context.Background(), a, englishNamer(n))
}

// englishNamer names a timeline message's arguments for the CLI and the
// API, from what Names holds.
type englishNamer Names

func (n englishNamer) User(_ context.Context, id int64) string {
	if e := n.Users[id]; e != "" {
		return e
	}
	return fmt.Sprintf("user %d", id)
}

func (n englishNamer) Stage(_ context.Context, id int64) string {
	for _, p := range n.Pipelines {
		if st := p.Stage(id); st != nil {
			return st.Name
		}
	}
	return fmt.Sprintf("stage %d", id)
}

func (n englishNamer) Pipeline(_ context.Context, id int64) string {
	if p := n.Pipelines[id]; p != nil {
		return p.Name
	}
	return fmt.Sprintf("pipeline %d", id)
}

func (englishNamer) Day(day time.Time) string              { return day.Format(time.DateOnly) }
func (englishNamer) Time(t time.Time) string               { return t.UTC().Format("2006-01-02 15:04 UTC") }
func (englishNamer) Money(m core.Money) string             { return m.String() }
func (englishNamer) LostReason(stored string) string       { return stored }
func (englishNamer) DisqualifyReason(stored string) string { return stored }

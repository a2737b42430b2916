package main

import (
	"fmt"
	"time"

	"leadwire/core"
)

// The JSON shapes of --json output: ids as L123 and D45, money as minor
// units plus currency, times in RFC 3339 (UTC).

type moneyJSON struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

func moneyView(m core.Money) moneyJSON { return moneyJSON{m.Amount, m.Currency} }

// rfc3339 formats a time, or nil for an unset one.
func rfc3339(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

type userJSON struct {
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

func userView(u *core.User, teams map[int64]string) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Team: teams[u.TeamID],
		TimeZone: u.TimeZone, Locale: u.Locale, Slack: u.SlackID, Telegram: u.TelegramID}
}

type teamJSON struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Manager       string `json:"manager,omitempty"`
	SlackChannel  string `json:"slack_channel,omitempty"`
	TelegramChat  string `json:"telegram_chat,omitempty"`
	ResponseLimit string `json:"response_limit"`
	Region        string `json:"region,omitempty"`
}

type stageJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Position    int    `json:"position"`
	Probability int    `json:"probability"`
	RotDays     int    `json:"rot_days"`
	Kind        string `json:"kind"`
}

type pipelineJSON struct {
	ID      int64       `json:"id"`
	Name    string      `json:"name"`
	Default bool        `json:"default"`
	Stages  []stageJSON `json:"stages"`
}

func pipelineView(p *core.Pipeline) pipelineJSON {
	out := pipelineJSON{ID: p.ID, Name: p.Name, Default: p.IsDefault}
	for _, s := range p.Stages {
		out.Stages = append(out.Stages, stageJSON{s.ID, s.Name, s.Position, s.Probability, s.RotDays, string(s.Kind)})
	}
	return out
}

type contactJSON struct {
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

func contactView(c *core.Contact) contactJSON {
	return contactJSON{c.ID, core.ContactRef(c.ID), c.Name, c.Emails, c.Phones, c.Handles, c.InvalidPhones, c.Company, c.Domain, c.Source}
}

type leadJSON struct {
	ID               string            `json:"id"`
	Status           string            `json:"status"`
	Contact          *contactJSON      `json:"contact,omitempty"`
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
}

// names resolves user and team ids for display.
type names struct {
	users map[int64]string
	teams map[int64]string
}

func (a *App) names() (names, error) {
	u, err := a.userEmails()
	if err != nil {
		return names{}, err
	}
	t, err := a.teamNames()
	return names{u, t}, err
}

func leadView(l *core.Lead, n names) leadJSON {
	v := leadJSON{ID: l.Ref(), Status: string(l.Status), ContactID: l.ContactID, Team: n.teams[l.TeamID], Owner: n.users[l.OwnerID],
		Source: l.SourceChannel, SourceName: l.SourceName, Subject: l.Subject, Message: l.Message, Score: l.Score, ScoreHits: l.ScoreHits,
		DisqualifyReason: l.DisqualifyReason, Metadata: l.Metadata,
		CreatedAt: rfc3339(l.CreatedAt), ClaimedAt: rfc3339(l.ClaimedAt), FirstResponseAt: rfc3339(l.FirstResponseAt)}
	if l.DealID != 0 {
		v.Deal = core.DealRef(l.DealID)
	}
	return v
}

type dealJSON struct {
	ID             string             `json:"id"`
	Title          string             `json:"title"`
	Status         string             `json:"status"`
	Contact        *contactJSON       `json:"contact,omitempty"`
	ContactID      int64              `json:"contact_id"`
	Lead           string             `json:"lead,omitempty"`
	Owner          string             `json:"owner,omitempty"`
	Team           string             `json:"team,omitempty"`
	Pipeline       string             `json:"pipeline"`
	Stage          string             `json:"stage"`
	Value          moneyJSON          `json:"value"`
	Probability    int                `json:"probability"`
	ExpectedClose  *string            `json:"expected_close"`
	LostReason     string             `json:"lost_reason,omitempty"`
	Qualification  core.Qualification `json:"qualification"`
	History        []historyJSON      `json:"history,omitempty"`
	CreatedAt      *string            `json:"created_at"`
	ClosedAt       *string            `json:"closed_at"`
	LastActivityAt *string            `json:"last_activity_at"`
}

type historyJSON struct {
	From string  `json:"from,omitempty"`
	To   string  `json:"to"`
	At   *string `json:"at"`
	By   string  `json:"by,omitempty"`
}

func dealView(d *core.Deal, p *core.Pipeline, n names) dealJSON {
	v := dealJSON{ID: d.Ref(), Title: d.Title, Status: string(d.Status), ContactID: d.ContactID, Owner: n.users[d.OwnerID],
		Team: n.teams[d.TeamID], Value: moneyView(d.Value), LostReason: d.LostReason, Qualification: d.Qualification,
		CreatedAt: rfc3339(d.CreatedAt), ClosedAt: rfc3339(d.ClosedAt), LastActivityAt: rfc3339(d.LastActivityAt)}
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

type taskJSON struct {
	ID           string  `json:"id"`
	Title        string  `json:"title"`
	Owner        string  `json:"owner,omitempty"`
	Lead         string  `json:"lead,omitempty"`
	Deal         string  `json:"deal,omitempty"`
	DueAt        *string `json:"due_at"`
	Done         bool    `json:"done"`
	SnoozedUntil *string `json:"snoozed_until"`
}

func taskView(t *core.Task, n names) taskJSON {
	v := taskJSON{ID: fmt.Sprintf("T%d", t.ID), Title: t.Title, Owner: n.users[t.OwnerID], DueAt: rfc3339(t.DueAt), Done: t.Done, SnoozedUntil: rfc3339(t.SnoozedUntil)}
	if t.LeadID != 0 {
		v.Lead = core.LeadRef(t.LeadID)
	}
	if t.DealID != 0 {
		v.Deal = core.DealRef(t.DealID)
	}
	return v
}

package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/internal/display"
	"leadwire/internal/view"
)

// LeadsCmd groups the lead subcommands.
type LeadsCmd struct {
	List       LeadsListCmd       `cmd:"" help:"List leads."`
	Show       LeadsShowCmd       `cmd:"" help:"Show a lead with its contact and timeline."`
	Add        LeadsAddCmd        `cmd:"" help:"Add a lead by hand."`
	Claim      LeadsClaimCmd      `cmd:"" help:"Claim a lead (needs --as)."`
	Assign     LeadsAssignCmd     `cmd:"" help:"Assign a lead to a user, or round-robin with --next."`
	Qualify    LeadsQualifyCmd    `cmd:"" help:"Turn a lead into a deal."`
	Disqualify LeadsDisqualifyCmd `cmd:"" help:"Close a lead with a reason."`
}

// LeadsListCmd lists leads.
type LeadsListCmd struct {
	Status string `help:"new, claimed, qualified or disqualified (comma-separated)."`
	Team   string `help:"Only this team."`
	Owner  string `help:"Only this owner (email)."`
	Top    bool   `help:"Highest score first."`
	Limit  int    `help:"At most this many." default:"50"`
	JSON   bool   `help:"Print JSON."`
}

// Run prints the leads.
func (c *LeadsListCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	f := core.LeadFilter{Limit: c.Limit}
	for _, s := range splitList(c.Status) {
		st := core.LeadStatus(strings.ToLower(s))
		switch st {
		case core.LeadNew, core.LeadClaimed, core.LeadQualified, core.LeadDisqualified:
			f.Statuses = append(f.Statuses, st)
		default:
			return core.Errorf(core.KindInvalid, "unknown lead status %q; use new, claimed, qualified or disqualified", s)
		}
	}
	if c.Top {
		f.OrderBy = "score"
	}
	if c.Team != "" {
		t, err := svc.Directory.TeamByName(a.ctx, c.Team)
		if err != nil {
			return err
		}
		f.TeamID = t.ID
	}
	if c.Owner != "" {
		u, err := svc.Directory.UserByEmail(a.ctx, c.Owner)
		if err != nil {
			return err
		}
		f.OwnerID = u.ID
	}
	leads, err := svc.Leads(a.ctx, actor, f)
	if err != nil {
		return err
	}
	n, err := a.names()
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]view.Lead, len(leads))
		for i := range leads {
			out[i] = view.LeadOf(&leads[i], n)
		}
		return a.JSON(out)
	}
	w := display.NewTable(a.out)
	w.Empty = "No leads yet: they come from the mailboxes, forms and webhooks in the config, or add one with leadwire leads add --name NAME --email EMAIL."
	if c.Status != "" || c.Team != "" || c.Owner != "" {
		w.Empty = "No leads match; leadwire leads list without --status, --team or --owner lists them all."
	}
	fmt.Fprintln(w, "LEAD\tSTATUS\tSCORE\tSOURCE\tOWNER\tTEAM\tCREATED\tSUBJECT")
	for _, l := range leads {
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", l.Ref(), l.Status, l.Score, l.SourceChannel, n.Users[l.OwnerID], n.Teams[l.TeamID],
			a.when(actor, l.CreatedAt), clip(l.Subject, 50))
	}
	return w.Flush()
}

// LeadsShowCmd shows one lead.
type LeadsShowCmd struct {
	Lead string `arg:"" help:"Lead id, e.g. L123."`
	JSON bool   `help:"Print JSON."`
}

// Run prints the lead, its contact, score explanation and timeline.
func (c *LeadsShowCmd) Run(a *App) error {
	id, err := core.ParseRefOf(c.Lead, 'L')
	if err != nil {
		return err
	}
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	l, err := svc.Lead(a.ctx, actor, id)
	if err != nil {
		return err
	}
	contact, err := svc.LeadContact(a.ctx, actor, l)
	if err != nil {
		return err
	}
	n, err := a.names()
	if err != nil {
		return err
	}
	timeline, err := svc.Timeline(a.ctx, actor, core.Ref{Kind: 'L', ID: id}, 50)
	if err != nil {
		return err
	}
	if c.JSON {
		v := view.LeadOf(l, n)
		cv := view.ContactOf(contact)
		v.Contact = &cv
		return a.JSON(struct {
			view.Lead
			Timeline []view.Activity `json:"timeline"`
		}{v, view.Activities(timeline, n)})
	}
	fmt.Fprintf(a.out, "%s  %s  score %d\n", l.Ref(), l.Status, l.Score)
	printContact(a, actor, contact)
	fmt.Fprintf(a.out, "source:   %s %s\nteam:     %s\nowner:    %s\ncreated:  %s\n", l.SourceChannel, l.SourceName, n.Teams[l.TeamID], orDash(n.Users[l.OwnerID]), a.when(actor, l.CreatedAt))
	if !l.FirstResponseAt.IsZero() {
		fmt.Fprintf(a.out, "response: %s after capture\n", display.Duration(l.FirstResponseAt.Sub(l.CreatedAt)))
	}
	if l.Subject != "" {
		fmt.Fprintf(a.out, "subject:  %s\n", l.Subject)
	}
	if l.DisqualifyReason != "" {
		fmt.Fprintf(a.out, "disqualified: %s\n", l.DisqualifyReason)
	}
	if l.DealID != 0 {
		fmt.Fprintf(a.out, "deal:     %s\n", core.DealRef(l.DealID))
	}
	if len(l.ScoreHits) > 0 {
		fmt.Fprintln(a.out, "score:")
		for _, h := range l.ScoreHits {
			fmt.Fprintf(a.out, "  %+d  %s\n", h.Points, strings.TrimSpace(h.Rule+" "+h.Detail))
		}
	}
	printTimeline(a, actor, timeline, n)
	return nil
}

// LeadsAddCmd adds a lead by hand, through the same capture as connectors.
type LeadsAddCmd struct {
	Name    string `help:"Contact name."`
	Email   string `help:"Contact email."`
	Phone   string `help:"Contact phone (with country code, or in the team's region)."`
	Company string `help:"Company."`
	Team    string `help:"Team (default: the first team)."`
	Subject string `help:"What they asked about."`
	Message string `help:"Their message."`
	Source  string `help:"Source name." default:"cli"`
	JSON    bool   `help:"Print JSON."`
}

// Run captures the lead.
func (c *LeadsAddCmd) Run(a *App) error {
	svc, err := a.Service()
	if err != nil {
		return err
	}
	res, err := svc.Capture(a.ctx, core.Inbound{Channel: core.ChannelManual, Source: c.Source, Name: c.Name, Email: c.Email,
		Phone: c.Phone, Company: c.Company, Team: c.Team, Subject: c.Subject, Text: c.Message})
	if err != nil {
		return err
	}
	if c.JSON {
		return a.JSON(captureView(res))
	}
	if res.NewLead {
		fmt.Fprintf(a.out, "added lead %s (contact %d)\n", core.LeadRef(res.LeadID), res.ContactID)
	} else {
		fmt.Fprintf(a.out, "the contact has open work already: noted on %s\n", openRef(res))
	}
	for _, n := range slices.Concat(res.Notes, res.Doubts) {
		fmt.Fprintf(a.errOut, "note: %s\n", n)
	}
	return nil
}

func openRef(res core.CaptureResult) string {
	if res.DealID != 0 {
		return core.DealRef(res.DealID)
	}
	return core.LeadRef(res.LeadID)
}

type captureJSON struct {
	Lead      string   `json:"lead,omitempty"`
	Deal      string   `json:"deal,omitempty"`
	ContactID int64    `json:"contact_id"`
	NewLead   bool     `json:"new_lead"`
	Duplicate bool     `json:"duplicate"`
	Notes     []string `json:"notes,omitempty"`
}

func captureView(r core.CaptureResult) captureJSON {
	v := captureJSON{ContactID: r.ContactID, NewLead: r.NewLead, Duplicate: r.Duplicate, Notes: slices.Concat(r.Notes, r.Doubts)}
	if r.LeadID != 0 {
		v.Lead = core.LeadRef(r.LeadID)
	}
	if r.DealID != 0 {
		v.Deal = core.DealRef(r.DealID)
	}
	return v
}

// LeadsClaimCmd claims a lead.
type LeadsClaimCmd struct {
	Lead string `arg:"" help:"Lead id, e.g. L123."`
}

// Run claims the lead for the --as user.
func (c *LeadsClaimCmd) Run(a *App) error {
	id, err := core.ParseRefOf(c.Lead, 'L')
	if err != nil {
		return err
	}
	actor, err := a.Person("claim")
	if err != nil {
		return err
	}
	l, err := a.svc.Claim(a.ctx, actor, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "%s is yours, %s\n", l.Ref(), actor.Email)
	return nil
}

// LeadsAssignCmd assigns a lead.
type LeadsAssignCmd struct {
	Lead string `arg:"" help:"Lead id, e.g. L123."`
	To   string `help:"The user (email) to assign to." xor:"to"`
	Next bool   `help:"The next rep of the team in turn (round-robin)." xor:"to"`
}

// Run assigns the lead.
func (c *LeadsAssignCmd) Run(a *App) error {
	id, err := core.ParseRefOf(c.Lead, 'L')
	if err != nil {
		return err
	}
	actor, err := a.Actor()
	if err != nil {
		return err
	}
	var l *core.Lead
	switch {
	case c.Next:
		l, err = a.svc.AssignRoundRobin(a.ctx, actor, id)
	case c.To != "":
		var u *core.User
		if u, err = a.svc.Directory.UserByEmail(a.ctx, c.To); err != nil {
			return err
		}
		l, err = a.svc.Assign(a.ctx, actor, id, u.ID)
	default:
		return core.Errorf(core.KindInvalid, "assign to whom? add --to EMAIL or --next")
	}
	if err != nil {
		return err
	}
	owner, err := a.svc.Directory.UserByID(a.ctx, l.OwnerID)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "%s assigned to %s\n", l.Ref(), owner.Email)
	return nil
}

// LeadsQualifyCmd qualifies a lead into a deal.
type LeadsQualifyCmd struct {
	Lead      string `arg:"" help:"Lead id, e.g. L123."`
	Pipeline  string `help:"Pipeline name (default: the default pipeline)."`
	Title     string `help:"Deal title (default: the company or contact name)."`
	Value     string `help:"Deal value in major units, e.g. 12000, 12000.50 or 12 000,50; a lone . or , before three digits (12.345) is read by your locale."`
	Currency  string `help:"ISO 4217 currency (default: the reporting currency)."`
	Close     string `help:"Expected close date, as in chat: 2026-12-15, '15 dec', 'next fri'."`
	Budget    string `help:"Qualification: budget."`
	Authority string `help:"Qualification: authority."`
	Need      string `help:"Qualification: need."`
	Timeline  string `help:"Qualification: timeline."`
}

// Run qualifies the lead.
func (c *LeadsQualifyCmd) Run(a *App) error {
	id, err := core.ParseRefOf(c.Lead, 'L')
	if err != nil {
		return err
	}
	actor, err := a.Person("qualify")
	if err != nil {
		return err
	}
	in := core.QualifyInput{Pipeline: c.Pipeline, Title: c.Title,
		Qualification: core.Qualification{Budget: c.Budget, Authority: c.Authority, Need: c.Need, Timeline: c.Timeline}}
	if c.Value != "" || c.Currency != "" {
		cur := c.Currency
		if cur == "" {
			cur = a.svc.Settings().Currency
		}
		if c.Value == "" {
			c.Value = "0"
		}
		if in.Value, err = core.ParseMoneyIn(c.Value, cur, actor.Locale); err != nil {
			return err
		}
	}
	if c.Close != "" {
		if in.ExpectedClose, err = bot.ReadDate(c.Close, a.svc.Clock().Now(), actor.Location(), actor.Locale); err != nil {
			return fmt.Errorf("--close: %w", err)
		}
	}
	d, err := a.svc.Qualify(a.ctx, actor, id, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "%s qualified into %s %q (%s)\n", c.Lead, d.Ref(), d.Title, d.Value)
	return nil
}

// LeadsDisqualifyCmd disqualifies a lead.
type LeadsDisqualifyCmd struct {
	Lead   string   `arg:"" help:"Lead id, e.g. L123."`
	Reason []string `arg:"" help:"A configured reason code or label, or your own words."`
}

// Run disqualifies the lead.
func (c *LeadsDisqualifyCmd) Run(a *App) error {
	id, err := core.ParseRefOf(c.Lead, 'L')
	if err != nil {
		return err
	}
	actor, err := a.Actor()
	if err != nil {
		return err
	}
	l, err := a.svc.Disqualify(a.ctx, actor, id, strings.Join(c.Reason, " "))
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "%s disqualified: %s\n", l.Ref(), l.DisqualifyReason)
	return nil
}

func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, core.Errorf(core.KindInvalid, "invalid date %q; write it as YYYY-MM-DD", s)
	}
	return t, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

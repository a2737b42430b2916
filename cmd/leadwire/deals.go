package main

import (
	"fmt"
	"strings"

	"leadwire/core"
	"leadwire/internal/display"
	"leadwire/internal/view"
)

// DealsCmd groups the deal subcommands.
type DealsCmd struct {
	List   DealsListCmd   `cmd:"" help:"List deals."`
	Show   DealsShowCmd   `cmd:"" help:"Show a deal with its stage history and timeline."`
	Move   DealsMoveCmd   `cmd:"" help:"Move a deal to a stage (name or prefix)."`
	Win    DealsWinCmd    `cmd:"" help:"Mark a deal won."`
	Lose   DealsLoseCmd   `cmd:"" help:"Mark a deal lost, with a reason."`
	Reopen DealsReopenCmd `cmd:"" help:"Reopen a won or lost deal."`
	Note   DealsNoteCmd   `cmd:"" help:"Add a note to a deal."`
	Value  DealsValueCmd  `cmd:"" help:"Set a deal's value."`
	Assign DealsAssignCmd `cmd:"" help:"Hand a deal over to a user, or round-robin with --next (managers, admins)."`

	Enroll   DealsEnrollCmd   `cmd:"" help:"Mail the deal's contact a configured email sequence."`
	Unenroll DealsUnenrollCmd `cmd:"" help:"Stop the deal's email sequences."`
}

// DealsListCmd lists deals.
type DealsListCmd struct {
	Status   string `help:"open, won or lost (comma-separated)." default:"open"`
	Owner    string `help:"Only this owner (email)."`
	Team     string `help:"Only this team."`
	Pipeline string `help:"Only this pipeline."`
	Stage    string `help:"Only this stage (name or prefix; needs the pipeline unless it is the default)."`
	Limit    int    `help:"At most this many." default:"50"`
	JSON     bool   `help:"Print JSON."`
}

// Run prints the deals.
func (c *DealsListCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	f := core.DealFilter{Limit: c.Limit}
	for _, s := range splitList(c.Status) {
		st := core.DealStatus(strings.ToLower(s))
		switch st {
		case core.DealOpen, core.DealWon, core.DealLost:
			f.Statuses = append(f.Statuses, st)
		default:
			return core.Errorf(core.KindInvalid, "unknown deal status %q; use open, won or lost", s)
		}
	}
	if c.Owner != "" {
		u, err := svc.Directory.UserByEmail(a.ctx, c.Owner)
		if err != nil {
			return err
		}
		f.OwnerID = u.ID
	}
	if c.Team != "" {
		t, err := svc.Directory.TeamByName(a.ctx, c.Team)
		if err != nil {
			return err
		}
		f.TeamID = t.ID
	}
	if c.Pipeline != "" || c.Stage != "" {
		p, err := a.pipeline(c.Pipeline)
		if err != nil {
			return err
		}
		f.PipelineID = p.ID
		if c.Stage != "" {
			st, err := core.MatchStage(p, c.Stage)
			if err != nil {
				return err
			}
			f.StageID = st.ID
		}
	}
	deals, err := svc.Deals(a.ctx, actor, f)
	if err != nil {
		return err
	}
	n, err := a.names()
	if err != nil {
		return err
	}
	pipes, err := a.pipelines()
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]view.Deal, len(deals))
		for i := range deals {
			out[i] = view.DealOf(&deals[i], pipes[deals[i].PipelineID], n)
		}
		return a.JSON(out)
	}
	w := display.NewTable(a.out)
	w.Empty = fmt.Sprintf("No %s deals; a lead becomes a deal with leadwire leads qualify L123.", strings.Join(splitList(c.Status), " or "))
	if c.Owner != "" || c.Team != "" || c.Pipeline != "" || c.Stage != "" {
		w.Empty = fmt.Sprintf("No %s deals match; leave out --owner, --team, --pipeline or --stage to see more.", strings.Join(splitList(c.Status), " or "))
	}
	fmt.Fprintln(w, "DEAL\tSTAGE\tVALUE\tPROB\tOWNER\tCLOSE\tTITLE")
	for i := range deals {
		v := view.DealOf(&deals[i], pipes[deals[i].PipelineID], n)
		fmt.Fprintf(w, "%s\t%s\t%s\t%d%%\t%s\t%s\t%s\n", v.ID, v.Stage, deals[i].Value, v.Probability, v.Owner, orDash(deref(v.ExpectedClose)), clip(v.Title, 40))
	}
	return w.Flush()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (a *App) pipeline(name string) (*core.Pipeline, error) {
	if name == "" {
		return a.svc.Directory.DefaultPipeline(a.ctx)
	}
	return a.svc.Directory.PipelineByName(a.ctx, name)
}

func (a *App) pipelines() (map[int64]*core.Pipeline, error) {
	ps, err := a.svc.Directory.Pipelines(a.ctx)
	if err != nil {
		return nil, err
	}
	m := map[int64]*core.Pipeline{}
	for i := range ps {
		m[ps[i].ID] = &ps[i]
	}
	return m, nil
}

// DealsShowCmd shows one deal.
type DealsShowCmd struct {
	Deal string `arg:"" help:"Deal id, e.g. D45."`
	JSON bool   `help:"Print JSON."`
}

// Run prints the deal, its history and timeline.
func (c *DealsShowCmd) Run(a *App) error {
	id, err := core.ParseRefOf(c.Deal, 'D')
	if err != nil {
		return err
	}
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	d, err := svc.Deal(a.ctx, actor, id)
	if err != nil {
		return err
	}
	p, err := svc.Directory.PipelineByID(a.ctx, d.PipelineID)
	if err != nil {
		return err
	}
	contact, err := svc.DealContact(a.ctx, actor, d)
	if err != nil {
		return err
	}
	hist, err := svc.StageHistory(a.ctx, actor, d.ID)
	if err != nil {
		return err
	}
	timeline, err := svc.Timeline(a.ctx, actor, core.Ref{Kind: 'D', ID: id}, 50)
	if err != nil {
		return err
	}
	n, err := a.names()
	if err != nil {
		return err
	}
	v := view.DealOf(d, p, n)
	stageName := func(id int64) string {
		if s := p.Stage(id); s != nil {
			return s.Name
		}
		return ""
	}
	for _, h := range hist {
		v.History = append(v.History, view.History{From: stageName(h.FromStage), To: stageName(h.ToStage), At: view.Time(h.At), By: n.Users[h.ByUserID]})
	}
	if c.JSON {
		cv := view.ContactOf(contact)
		v.Contact = &cv
		return a.JSON(struct {
			view.Deal
			Timeline []view.Activity `json:"timeline"`
		}{v, view.Activities(timeline, n)})
	}
	fmt.Fprintf(a.out, "%s  %s  %s\n", d.Ref(), d.Title, strings.ToUpper(string(d.Status)))
	printContact(a, actor, contact)
	fmt.Fprintf(a.out, "pipeline: %s / %s (%d%%)\nvalue:    %s\nowner:    %s\nclose:    %s\n", p.Name, v.Stage, v.Probability, d.Value, orDash(v.Owner), orDash(deref(v.ExpectedClose)))
	if d.LostReason != "" {
		fmt.Fprintf(a.out, "lost:     %s\n", d.LostReason)
	}
	q := d.Qualification
	if q != (core.Qualification{}) {
		fmt.Fprintf(a.out, "budget: %s · authority: %s · need: %s · timeline: %s\n", orDash(q.Budget), orDash(q.Authority), orDash(q.Need), orDash(q.Timeline))
	}
	fmt.Fprintln(a.out, "history:")
	for i, h := range hist {
		fmt.Fprintf(a.out, "  %s  %s → %s  %s\n", a.when(actor, h.At), orDash(v.History[i].From), v.History[i].To, n.Users[h.ByUserID])
	}
	printTimeline(a, actor, timeline, n)
	return nil
}

// DealsMoveCmd moves a deal.
type DealsMoveCmd struct {
	Deal  string   `arg:"" help:"Deal id, e.g. D45."`
	Stage []string `arg:"" help:"Stage name or unique prefix, in any case."`
}

// Run moves the deal.
func (c *DealsMoveCmd) Run(a *App) error {
	return a.dealAction(c.Deal, func(actor *core.User, id int64) (*core.Deal, error) {
		return a.svc.Move(a.ctx, actor, id, strings.Join(c.Stage, " "))
	})
}

// DealsWinCmd wins a deal.
type DealsWinCmd struct {
	Deal string `arg:"" help:"Deal id, e.g. D45."`
}

// Run wins the deal.
func (c *DealsWinCmd) Run(a *App) error {
	return a.dealAction(c.Deal, func(actor *core.User, id int64) (*core.Deal, error) {
		return a.svc.Win(a.ctx, actor, id)
	})
}

// DealsLoseCmd loses a deal.
type DealsLoseCmd struct {
	Deal   string   `arg:"" help:"Deal id, e.g. D45."`
	Reason []string `arg:"" optional:"" help:"A configured reason code or label, or your own words."`
}

// Run loses the deal.
func (c *DealsLoseCmd) Run(a *App) error {
	return a.dealAction(c.Deal, func(actor *core.User, id int64) (*core.Deal, error) {
		return a.svc.Lose(a.ctx, actor, id, strings.Join(c.Reason, " "))
	})
}

// DealsReopenCmd reopens a deal.
type DealsReopenCmd struct {
	Deal string `arg:"" help:"Deal id, e.g. D45."`
}

// Run reopens the deal.
func (c *DealsReopenCmd) Run(a *App) error {
	return a.dealAction(c.Deal, func(actor *core.User, id int64) (*core.Deal, error) {
		return a.svc.Reopen(a.ctx, actor, id)
	})
}

// DealsValueCmd sets a deal's value.
type DealsValueCmd struct {
	Deal     string `arg:"" help:"Deal id, e.g. D45."`
	Amount   string `arg:"" help:"Amount in major units, e.g. 12000, 12000.50 or 12 000,50; a lone . or , before three digits (12.345) is read by your locale."`
	Currency string `arg:"" optional:"" help:"ISO 4217 code (default: the deal's currency)."`
}

// Run sets the value.
func (c *DealsValueCmd) Run(a *App) error {
	return a.dealAction(c.Deal, func(actor *core.User, id int64) (*core.Deal, error) {
		cur := c.Currency
		if cur == "" {
			d, err := a.svc.Deal(a.ctx, actor, id)
			if err != nil {
				return nil, err
			}
			cur = d.Value.Currency
		}
		m, err := core.ParseMoneyIn(c.Amount, cur, actor.Locale)
		if err != nil {
			return nil, err
		}
		return a.svc.SetValue(a.ctx, actor, id, m)
	})
}

// DealsNoteCmd notes on a deal.
type DealsNoteCmd struct {
	Deal string   `arg:"" help:"Deal id, e.g. D45 (or a lead, L123)."`
	Text []string `arg:"" help:"The note."`
}

// Run adds the note.
func (c *DealsNoteCmd) Run(a *App) error {
	ref, err := core.ParseRef(c.Deal)
	if err != nil {
		return err
	}
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	if _, err := svc.Note(a.ctx, actor, ref, strings.Join(c.Text, " ")); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "noted on %s\n", ref)
	return nil
}

// dealAction runs a change on a deal and prints where it stands after.
func (a *App) dealAction(ref string, do func(*core.User, int64) (*core.Deal, error)) error {
	id, err := core.ParseRefOf(ref, 'D')
	if err != nil {
		return err
	}
	if _, err := a.Service(); err != nil {
		return err
	}
	actor, err := a.Actor()
	if err != nil {
		return err
	}
	d, err := do(actor, id)
	if err != nil {
		return err
	}
	p, err := a.svc.Directory.PipelineByID(a.ctx, d.PipelineID)
	if err != nil {
		return err
	}
	// "Proposal, open", but "Won" rather than "Won, won".
	state := p.Stage(d.StageID).Name
	if !strings.EqualFold(state, string(d.Status)) {
		state += ", " + string(d.Status)
	}
	line := fmt.Sprintf("%s %q: %s, %s", d.Ref(), d.Title, state, d.Value)
	if d.LostReason != "" {
		line += " — " + d.LostReason
	}
	fmt.Fprintln(a.out, line)
	return nil
}

// DealsAssignCmd hands a deal over.
type DealsAssignCmd struct {
	Deal string `arg:"" help:"Deal id, e.g. D45."`
	To   string `help:"The user (email) to hand it to." xor:"to"`
	Next bool   `help:"The next rep of the team in turn (round-robin)." xor:"to"`
}

// Run hands the deal over; the new and the old owner are told in chat.
func (c *DealsAssignCmd) Run(a *App) error {
	id, err := core.ParseRefOf(c.Deal, 'D')
	if err != nil {
		return err
	}
	actor, err := a.Actor()
	if err != nil {
		return err
	}
	var d *core.Deal
	switch {
	case c.Next:
		d, err = a.svc.AssignDealRoundRobin(a.ctx, actor, id)
	case c.To != "":
		var u *core.User
		if u, err = a.svc.Directory.UserByEmail(a.ctx, c.To); err != nil {
			return err
		}
		d, err = a.svc.AssignDeal(a.ctx, actor, id, u.ID)
	default:
		return core.Errorf(core.KindInvalid, "hand it to whom? add --to EMAIL or --next")
	}
	if err != nil {
		return err
	}
	owner, err := a.svc.Directory.UserByID(a.ctx, d.OwnerID)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "%s handed over to %s\n", d.Ref(), owner.Email)
	return nil
}

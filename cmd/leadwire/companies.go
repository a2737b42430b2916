package main

import (
	"fmt"
	"strings"

	"leadwire/core"
	"leadwire/internal/display"
	"leadwire/internal/view"
)

// CompaniesCmd groups the company subcommands.
type CompaniesCmd struct {
	List  CompaniesListCmd  `cmd:"" help:"List the companies you may see: contacts, open deals, their value, last activity."`
	Show  CompaniesShowCmd  `cmd:"" help:"Show a company (name or #id) with its people and open deals."`
	Merge CompaniesMergeCmd `cmd:"" help:"Merge a company into another: its people move, it goes (managers and admins)."`
}

type companyJSON struct {
	ID           int64        `json:"id"`
	Name         string       `json:"name"`
	Domain       string       `json:"domain,omitempty"`
	Notes        string       `json:"notes,omitempty"`
	Contacts     int64        `json:"contacts"`
	OpenDeals    int64        `json:"open_deals"`
	OpenValue    []view.Money `json:"open_value"`
	LastActivity *string      `json:"last_activity"`
}

func companyView(s *core.CompanySummary) companyJSON {
	v := companyJSON{ID: s.ID, Name: s.Name, Domain: s.Domain, Notes: s.Notes, Contacts: s.Contacts, OpenDeals: s.OpenDeals,
		OpenValue: []view.Money{}, LastActivity: view.Time(s.LastActivity)}
	for _, m := range s.OpenValue {
		v.OpenValue = append(v.OpenValue, view.Money{Amount: m.Amount, Currency: m.Currency})
	}
	return v
}

func valueText(sums []core.CurrencySum) string {
	var parts []string
	for _, m := range sums {
		parts = append(parts, core.Money{Amount: m.Amount, Currency: m.Currency}.String())
	}
	return orDash(strings.Join(parts, " + "))
}

// CompaniesListCmd lists companies.
type CompaniesListCmd struct {
	Limit int  `help:"At most this many." default:"200"`
	JSON  bool `help:"Print JSON."`
}

// Run prints the companies within the actor's reach.
func (c *CompaniesListCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	sums, err := svc.Companies(a.ctx, actor, 0, c.Limit)
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]companyJSON, len(sums))
		for i := range sums {
			out[i] = companyView(&sums[i])
		}
		return a.JSON(out)
	}
	w := display.NewTable(a.out)
	w.Empty = "No companies yet: people writing from a company domain, or giving a company name, make one."
	fmt.Fprintln(w, "ID\tNAME\tDOMAIN\tCONTACTS\tOPEN DEALS\tVALUE\tLAST ACTIVITY")
	for _, s := range sums {
		fmt.Fprintf(w, "#%d\t%s\t%s\t%d\t%d\t%s\t%s\n", s.ID, clip(s.Name, 40), orDash(s.Domain), s.Contacts, s.OpenDeals,
			valueText(s.OpenValue), a.when(actor, s.LastActivity))
	}
	return w.Flush()
}

// CompaniesShowCmd shows one company.
type CompaniesShowCmd struct {
	Company string `arg:"" help:"The company's name, or #id from leadwire companies list."`
	JSON    bool   `help:"Print JSON."`
}

// Run prints the company, its people and its open deals.
func (c *CompaniesShowCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	v, err := svc.Company(a.ctx, actor, c.Company)
	if err != nil {
		return err
	}
	n, err := a.names()
	if err != nil {
		return err
	}
	if c.JSON {
		out := struct {
			companyJSON
			People []view.Contact `json:"people"`
			Deals  []view.Deal    `json:"deals"`
		}{companyView(&v.CompanySummary), []view.Contact{}, []view.Deal{}}
		for i := range v.People {
			out.People = append(out.People, view.ContactOf(&v.People[i]))
		}
		pipes, err := a.pipelines()
		if err != nil {
			return err
		}
		for i := range v.Deals {
			out.Deals = append(out.Deals, view.DealOf(&v.Deals[i], pipes[v.Deals[i].PipelineID], n))
		}
		return a.JSON(out)
	}
	fmt.Fprintf(a.out, "#%d  %s\n", v.ID, v.Name)
	fmt.Fprintf(a.out, "domain:        %s\ncontacts:      %d\nopen deals:    %d (%s)\nlast activity: %s\n",
		orDash(v.Domain), v.Contacts, v.OpenDeals, valueText(v.OpenValue), a.when(actor, v.LastActivity))
	if v.Notes != "" {
		fmt.Fprintf(a.out, "notes:         %s\n", v.Notes)
	}
	if len(v.People) > 0 {
		fmt.Fprintln(a.out, "\npeople:")
		w := display.NewTable(a.out)
		for _, p := range v.People {
			fmt.Fprintf(w, "  %s\t%s\t%s\n", core.ContactRef(p.ID), orDash(p.Name), strings.Join(append(append([]string{}, p.Emails...), p.Phones...), ", "))
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if len(v.Deals) > 0 {
		fmt.Fprintln(a.out, "\nopen deals:")
		w := display.NewTable(a.out)
		for _, d := range v.Deals {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", d.Ref(), d.Value, orDash(n.Users[d.OwnerID]), clip(d.Title, 40))
		}
		return w.Flush()
	}
	return nil
}

// CompaniesMergeCmd merges one company into another.
type CompaniesMergeCmd struct {
	From string `arg:"" help:"The company that goes (name or #id)."`
	Into string `arg:"" help:"The company that stays (name or #id)."`
	Yes  bool   `help:"Merge without asking."`
}

// Run merges after confirming.
func (c *CompaniesMergeCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	if !c.Yes {
		ok, err := a.confirm(fmt.Sprintf("Move every contact of %q to %q and remove %q?", c.From, c.Into, c.From))
		if err != nil || !ok {
			return err
		}
	}
	moved, into, err := svc.MergeCompanies(a.ctx, actor, c.From, c.Into)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "merged %q into #%d %s: %d contacts moved\n", c.From, into.ID, into.Name, moved)
	return nil
}

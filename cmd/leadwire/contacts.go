package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"leadwire/core"
	"leadwire/internal/display"
)

// ContactsCmd groups the contact subcommands: the people area.
type ContactsCmd struct {
	Merge      ContactsMergeCmd      `cmd:"" help:"Merge the second contact into the first (C12 C34), after showing what changes (managers, admins)."`
	Unmerge    ContactsUnmergeCmd    `cmd:"" help:"Undo a merge within 30 days by its id; both contacts are as they were."`
	Duplicates ContactsDuplicatesCmd `cmd:"" help:"List likely duplicates with the reason, for a person to decide (managers, admins)."`
	Export     ContactsExportCmd     `cmd:"" help:"Write everything held about a person as one JSON document (admins)."`
	Erase      ContactsEraseCmd      `cmd:"" help:"Erase a person's personal data everywhere it is stored; deals and counts stay, anonymous (admins)."`
}

// ContactsExportCmd writes a person's data.
type ContactsExportCmd struct {
	Who string `arg:"" help:"The person: C12, an email address or a phone number."`
	Out string `help:"Write to this file (default: standard output)." placeholder:"FILE"`
}

// Run writes the document.
func (c *ContactsExportCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	x, err := svc.Export(a.ctx, actor, c.Who)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if c.Out == "" {
		_, err = a.out.Write(b)
		return err
	}
	// The document is personal data: readable by its owner only.
	if err := os.WriteFile(c.Out, b, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", c.Out, err)
	}
	fmt.Fprintf(a.errOut, "wrote everything held about %s to %s\n", x.Contact.Ref(), c.Out)
	return nil
}

// ContactsEraseCmd erases a person.
type ContactsEraseCmd struct {
	Who    string `arg:"" help:"The person: C12, an email address or a phone number."`
	Reason string `help:"Why: the request it answers (kept in the audit log, without personal data)." required:""`
	Yes    bool   `help:"Erase without asking."`
}

// Run erases after confirming.
func (c *ContactsEraseCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	if !c.Yes {
		ok, err := a.confirm(fmt.Sprintf("Erase every personal detail held about %s (it cannot be undone)?", c.Who))
		if err != nil || !ok {
			return err
		}
	}
	rep, err := svc.Erase(a.ctx, actor, c.Who, c.Reason)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "erased %s (%d contact records): %d address(es) on the do-not-email list\n", core.ContactRef(rep.ContactID), rep.Contacts, rep.Addresses)
	for _, k := range slices.Sorted(maps.Keys(rep.Counts)) {
		if rep.Counts[k] > 0 {
			fmt.Fprintf(a.out, "  %s: %d\n", k, rep.Counts[k])
		}
	}
	return nil
}

// ContactsMergeCmd merges two contacts.
type ContactsMergeCmd struct {
	Survivor string `arg:"" help:"The contact that stays, e.g. C12."`
	Other    string `arg:"" help:"The contact merged into it, e.g. C34."`
	Yes      bool   `help:"Merge without asking."`
}

// Run shows the plan, asks, and merges.
func (c *ContactsMergeCmd) Run(a *App) error {
	a1, err := core.ParseContactRef(c.Survivor)
	if err != nil {
		return err
	}
	b1, err := core.ParseContactRef(c.Other)
	if err != nil {
		return err
	}
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	p, err := svc.PlanMerge(a.ctx, actor, a1, b1)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "merge %s %s into %s %s\nrule: %s\n", p.Merged.Ref(), orDash(p.Merged.Name), p.Survivor.Ref(), orDash(p.Survivor.Name), p.Rule)
	if len(p.Fields) > 0 {
		w := display.NewTable(a.out)
		fmt.Fprintln(w, "FIELD\t"+p.Survivor.Ref()+"\t"+p.Merged.Ref()+"\tRESULT")
		for _, f := range p.Fields {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", f.Field, orDash(f.Survivor), orDash(f.Other), orDash(f.Result))
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	m := p.Moves
	fmt.Fprintf(a.out, "moves: %d identities, %d leads, %d deals, %d activities, %d tasks, %d sequence enrolments\n",
		m.Identities, m.Leads, m.Deals, m.Activities, m.Tasks, m.Enrollments)
	if !c.Yes {
		ok, err := a.confirm("Merge?")
		if err != nil || !ok {
			return err
		}
	}
	done, err := svc.Merge(a.ctx, actor, a1, b1)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "merged %s into %s: merge %d (leadwire contacts unmerge %d undoes it within 30 days)\n",
		core.ContactRef(done.MergedID), core.ContactRef(done.SurvivorID), done.ID, done.ID)
	return nil
}

// ContactsUnmergeCmd undoes a merge.
type ContactsUnmergeCmd struct {
	Merge string `arg:"" help:"The merge's id, as contacts merge printed it."`
}

// Run undoes the merge.
func (c *ContactsUnmergeCmd) Run(a *App) error {
	id, err := strconv.ParseInt(strings.TrimPrefix(c.Merge, "#"), 10, 64)
	if err != nil || id <= 0 {
		return core.Errorf(core.KindInvalid, "%q is not a merge id; contacts merge printed it, like 7", c.Merge)
	}
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	m, err := svc.Unmerge(a.ctx, actor, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "undid merge %d: %s and %s are apart again, as they were\n", m.ID, core.ContactRef(m.SurvivorID), core.ContactRef(m.MergedID))
	return nil
}

// ContactsDuplicatesCmd lists likely duplicates.
type ContactsDuplicatesCmd struct {
	Limit int  `help:"At most this many pairs." default:"200"`
	JSON  bool `help:"Print JSON."`
}

type duplicateJSON struct {
	Contact string `json:"contact"`
	Other   string `json:"other"`
	Reason  string `json:"reason"`
	Detail  string `json:"detail"`
}

// Run prints the pairs with their reasons.
func (c *ContactsDuplicatesCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	dups, err := svc.Duplicates(a.ctx, actor, c.Limit)
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]duplicateJSON, len(dups))
		for i, d := range dups {
			out[i] = duplicateJSON{core.ContactRef(d.ContactID), core.ContactRef(d.OtherID), d.Reason, d.Detail}
		}
		return a.JSON(out)
	}
	w := display.NewTable(a.out)
	w.Empty = "No likely duplicates."
	fmt.Fprintln(w, "CONTACT\tOTHER\tREASON\tDETAIL")
	for _, d := range dups {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", core.ContactRef(d.ContactID), core.ContactRef(d.OtherID), d.Reason, clip(d.Detail, 60))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if len(dups) > 0 {
		fmt.Fprintln(a.errOut, "merge a pair with: leadwire contacts merge C12 C34 (the first stays)")
	}
	return nil
}

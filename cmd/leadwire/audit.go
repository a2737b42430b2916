package main

import (
	"fmt"
	"strings"
	"time"

	"leadwire/core"
	"leadwire/internal/display"
	"leadwire/internal/view"
)

// AuditCmd lists the audit log.
type AuditCmd struct {
	Deal    string `help:"Only this deal's changes, e.g. D45." placeholder:"D45"`
	Lead    string `help:"Only this lead's changes, e.g. L123." placeholder:"L123"`
	Contact string `help:"Only this contact's changes, e.g. C12." placeholder:"C12"`
	User    string `help:"Only changes made by or to this user." placeholder:"EMAIL"`
	Since   string `help:"Only changes since this date (YYYY-MM-DD) or this long ago (72h)." placeholder:"WHEN"`
	Action  string `help:"Only this kind of change, or its start: deal., contact.erase." placeholder:"ACTION"`
	Limit   int    `help:"At most this many, newest first." default:"100"`
	JSON    bool   `help:"Print JSON."`
}

type auditJSON struct {
	ID      int64              `json:"id"`
	At      *string            `json:"at"`
	Actor   string             `json:"actor"`
	Via     string             `json:"via"`
	Action  string             `json:"action"`
	Record  string             `json:"record,omitempty"`
	Target  string             `json:"target,omitempty"`
	Changes []core.FieldChange `json:"changes,omitempty"`
	Note    string             `json:"note,omitempty"`
}

func auditRecord(e *core.AuditEntry) string {
	switch {
	case e.Deal != 0:
		return core.DealRef(e.Deal)
	case e.Lead != 0:
		return core.LeadRef(e.Lead)
	case e.Contact != 0:
		return core.ContactRef(e.Contact)
	case e.User != 0:
		return fmt.Sprintf("user %d", e.User)
	}
	return ""
}

// Run prints the entries (admins only).
func (c *AuditCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	f := core.AuditFilter{Action: c.Action, Limit: c.Limit}
	if c.Deal != "" {
		if f.Deal, err = core.ParseRefOf(c.Deal, 'D'); err != nil {
			return err
		}
	}
	if c.Lead != "" {
		if f.Lead, err = core.ParseRefOf(c.Lead, 'L'); err != nil {
			return err
		}
	}
	if c.Contact != "" {
		if f.Contact, err = core.ParseContactRef(c.Contact); err != nil {
			return err
		}
	}
	f.UserEmail = c.User
	if c.Since != "" {
		if d, err := time.ParseDuration(c.Since); err == nil {
			f.Since = time.Now().Add(-d)
		} else if t, err := time.ParseInLocation(time.DateOnly, c.Since, actor.Location()); err == nil {
			f.Since = t
		} else {
			return core.Errorf(core.KindInvalid, "--since %q: give a date like 2026-11-01 or a span like 72h", c.Since)
		}
	}
	entries, err := svc.Audit(a.ctx, actor, f)
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]auditJSON, len(entries))
		for i := range entries {
			e := &entries[i]
			out[i] = auditJSON{ID: e.ID, At: view.Time(e.At), Actor: e.Actor, Via: string(e.Via), Action: e.Action,
				Record: auditRecord(e), Target: e.Target, Changes: e.Changes, Note: e.Note}
		}
		return a.JSON(out)
	}
	w := display.NewTable(a.out)
	w.Empty = "No changes recorded that match."
	fmt.Fprintln(w, "WHEN\tWHO\tVIA\tACTION\tRECORD\tCHANGES")
	for i := range entries {
		e := &entries[i]
		var parts []string
		for _, ch := range e.Changes {
			parts = append(parts, fmt.Sprintf("%s: %s → %s", ch.Field, orDash(ch.Before), orDash(ch.After)))
		}
		if e.Target != "" {
			parts = append([]string{e.Target}, parts...)
		}
		if e.Note != "" {
			parts = append(parts, e.Note)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", a.when(actor, e.At), e.Actor, e.Via, e.Action, orDash(auditRecord(e)), clip(strings.Join(parts, "; "), 120))
	}
	return w.Flush()
}

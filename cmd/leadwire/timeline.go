package main

import (
	"fmt"
	"strings"
	"time"

	"leadwire/core"
	"leadwire/internal/view"
)

// when formats a time in the viewer's time zone (the configured one for the
// operator).
func (a *App) when(viewer *core.User, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	loc := viewer.Location()
	if viewer.TimeZone == "" && a.cfg != nil {
		if l, err := time.LoadLocation(a.cfg.TimeZone); err == nil {
			loc = l
		}
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

func printContact(a *App, actor *core.User, c *core.Contact) {
	fmt.Fprintf(a.out, "contact:  %s %s", core.ContactRef(c.ID), orDash(c.Name))
	if c.Company != "" {
		fmt.Fprintf(a.out, " · %s", c.Company)
	}
	for _, v := range append(append(append([]string{}, c.Emails...), c.Phones...), c.Handles...) {
		fmt.Fprintf(a.out, " · %s", v)
	}
	for _, p := range c.InvalidPhones {
		fmt.Fprintf(a.out, " · %s (not a valid number)", p)
	}
	fmt.Fprintln(a.out)
	if a.svc == nil {
		return
	}
	marks, err := a.svc.PossibleDuplicates(a.ctx, actor, c.ID, 10)
	if err != nil {
		return // a hint: the contact shows without it
	}
	for _, m := range marks {
		other := m.OtherID
		if other == c.ID {
			other = m.ContactID
		}
		fmt.Fprintf(a.out, "          possible duplicate of contact %d: the same %s %s\n", other, m.Kind, m.Value)
	}
}

func printTimeline(a *App, viewer *core.User, acts []core.Activity, n view.Names) {
	if len(acts) == 0 {
		return
	}
	fmt.Fprintln(a.out, "timeline:")
	for _, act := range acts {
		text := view.ActivityText(act, n)
		if act.Subject != "" {
			if text != "" {
				text += " — "
			}
			text += act.Subject
		}
		if act.Body != "" {
			if text != "" {
				text += " — "
			}
			text += act.Body
		}
		by := ""
		if u := n.Users[act.UserID]; u != "" {
			by = " " + u
		}
		fmt.Fprintf(a.out, "  %s  %-8s%s  %s\n", a.when(viewer, act.At), act.Kind, by, clip(strings.Join(strings.Fields(text), " "), 100))
	}
}

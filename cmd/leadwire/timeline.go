package main

import (
	"fmt"
	"strings"
	"time"

	"leadwire/core"
)

type activityJSON struct {
	Kind    string  `json:"kind"`
	At      *string `json:"at"`
	By      string  `json:"by,omitempty"`
	Subject string  `json:"subject,omitempty"`
	Body    string  `json:"body,omitempty"`
}

func activityViews(acts []core.Activity, n names) []activityJSON {
	out := make([]activityJSON, len(acts))
	for i, a := range acts {
		out[i] = activityJSON{Kind: string(a.Kind), At: rfc3339(a.At), By: n.users[a.UserID], Subject: a.Subject, Body: a.Body}
	}
	return out
}

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

func printContact(a *App, c *core.Contact) {
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
	marks, err := a.svc.Store().PossibleDuplicates(a.ctx, c.ID, 10)
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

func printTimeline(a *App, viewer *core.User, acts []core.Activity, n names) {
	if len(acts) == 0 {
		return
	}
	fmt.Fprintln(a.out, "timeline:")
	for _, act := range acts {
		text := act.Subject
		if act.Body != "" {
			if text != "" {
				text += " — "
			}
			text += act.Body
		}
		by := ""
		if u := n.users[act.UserID]; u != "" {
			by = " " + u
		}
		fmt.Fprintf(a.out, "  %s  %-8s%s  %s\n", a.when(viewer, act.At), act.Kind, by, clip(strings.Join(strings.Fields(text), " "), 100))
	}
}

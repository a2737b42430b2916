package lang

import (
	"context"
	"strconv"
	"strings"
	"time"

	"leadwire/core"
)

// Namer names the arguments of a timeline message for one reader: users,
// stages and pipelines by id, days, instants and amounts as the reader
// reads them, stored reasons by their labels. A chat request has one in
// the reader's language, calendar and zone; the API and CLI one in
// English.
type Namer interface {
	User(ctx context.Context, id int64) string
	Stage(ctx context.Context, id int64) string
	Pipeline(ctx context.Context, id int64) string
	Day(day time.Time) string
	Time(t time.Time) string
	Money(m core.Money) string
	LostReason(stored string) string
	DisqualifyReason(stored string) string
}

// Activity writes what leadwire said of a timeline entry (a.Key and its
// Args) in the printer's language; "" for an entry without a key, whose
// Subject and Body are all there is. By, unless the message's arguments
// name who did it, is the activity's user, else leadwire.
func (p *Printer) Activity(ctx context.Context, a core.Activity, n Namer) string {
	if a.Key == "" {
		return ""
	}
	pairs := make([]any, 0, 2*len(a.Args)+2)
	if _, ok := a.Args["By"]; !ok {
		by := p.T("history.leadwire")
		if a.UserID != 0 {
			by = n.User(ctx, a.UserID)
		}
		pairs = append(pairs, "By", by)
	}
	for name, arg := range a.Args {
		pairs = append(pairs, name, p.arg(ctx, arg, n))
	}
	// An argument erased with the person it named, or missing from an
	// entry written by another version, leaves a gap, not Go's words.
	s := strings.ReplaceAll(p.T(a.Key, pairs...), "<no value>", "…")
	if p.rtl {
		// A right-to-left sentence, whatever it begins with (a Latin
		// name): set in a card or a list, it keeps its direction.
		s = "\u2067" + s + "\u2069"
	}
	return s
}

// arg is one argument of a timeline message in the reader's words.
func (p *Printer) arg(ctx context.Context, a core.Arg, n Namer) string {
	switch {
	case a.User != 0:
		return n.User(ctx, a.User)
	case a.Stage != 0:
		return n.Stage(ctx, a.Stage)
	case a.Pipeline != 0:
		return n.Pipeline(ctx, a.Pipeline)
	case a.Date != "":
		if t, err := time.Parse(time.DateOnly, a.Date); err == nil {
			return n.Day(t)
		}
		return a.Date
	case a.Time != "":
		if t, err := time.Parse(time.RFC3339, a.Time); err == nil {
			return n.Time(t)
		}
		return a.Time
	case a.Money != nil:
		return n.Money(*a.Money)
	case a.Number != nil:
		return strconv.FormatInt(*a.Number, 10)
	case a.LostReason != "":
		return n.LostReason(a.LostReason)
	case a.DisqualifyReason != "":
		return n.DisqualifyReason(a.DisqualifyReason)
	case a.Term != "":
		return p.T("term." + a.Term)
	case a.Rule != "":
		return p.T("timeline.by_rule", "Name", a.Rule)
	case a.Token != "":
		return p.T("timeline.by_token", "Name", a.Token)
	}
	return a.Text
}

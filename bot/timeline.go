package bot

import (
	"context"
	"strings"
	"time"

	"leadwire/core"
)

// namer names a timeline message's arguments for the asker: users by
// name, stages by their label in the asker's language, days in their
// calendar, times in their zone, amounts as their locale writes them.
type namer struct{ r *request }

func (n namer) User(ctx context.Context, id int64) string { return n.r.userName(ctx, id) }

func (n namer) Stage(ctx context.Context, id int64) string { return n.r.stageLabel(ctx, id, "?") }

func (n namer) Pipeline(ctx context.Context, id int64) string {
	if p := n.r.pipeline(ctx, id); p != nil {
		return p.Name
	}
	return "?"
}

func (n namer) Day(day time.Time) string  { return n.r.closeDate(day) }
func (n namer) Time(t time.Time) string   { return n.r.at(t) }
func (n namer) Money(m core.Money) string { return n.r.money(m) }

func (n namer) LostReason(stored string) string {
	return n.r.reason(n.r.c.svc.Settings().LostReasons, stored)
}

func (n namer) DisqualifyReason(stored string) string {
	return n.r.reason(n.r.c.svc.Settings().DisqualifyReasons, stored)
}

// activityText is a timeline entry's words for the asker: what leadwire
// says of it in their language, then what people typed or sent.
func (r *request) activityText(ctx context.Context, a core.Activity) string {
	parts := []string{r.p.Activity(ctx, a, namer{r}), a.Subject, a.Body}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

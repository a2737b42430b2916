package bot

import (
	"context"
	"strings"
	"time"

	"leadwire/core"
)

// lossRows is how many lines of each kind the analysis shows.
const lossRows = 5

// lossCard shows why deals were lost and leads disqualified: count and
// value by reason, by the stage lost from and by rep, each against the
// period before; the digest's, the chat's stats lost and `leadwire
// stats`' one rendering of it.
func (r *request) lossCard(ctx context.Context, l *core.Losses, title string) Card {
	card := Card{Title: title, Status: r.t("losses.status",
		"Lost", l.Lost.Count, "Value", r.money(l.Lost.Value), "PrevLost", l.Lost.PrevCount, "PrevValue", r.money(l.Lost.PrevValue),
		"Disq", l.Disq.Count, "PrevDisq", l.Disq.PrevCount)}
	if l.Empty() {
		card.Status = r.t("losses.none")
		return card
	}
	if l.Lost.Count > l.Lost.PrevCount || l.Disq.Count > l.Disq.PrevCount {
		card.Tone = ToneWarn
	}
	value := func(row core.LossRow) string {
		return r.t("losses.row", "Count", row.Count, "Value", r.money(row.Value), "PrevCount", row.PrevCount, "PrevValue", r.money(row.PrevValue))
	}
	add := func(rows []core.LossRow, label func(core.LossRow) string, val func(core.LossRow) string) {
		for i, row := range rows {
			if i == lossRows {
				break
			}
			card.Fields = append(card.Fields, Field{label(row), val(row)})
		}
	}
	add(l.ByReason, func(row core.LossRow) string {
		return r.t("losses.reason", "Reason", orUnknown(r.reason(r.c.svc.Settings().LostReasons, row.Key), r.t("digest.no_reason")))
	}, value)
	add(l.ByStage, func(row core.LossRow) string {
		return r.t("losses.stage", "Stage", orUnknown(r.stageLabelAny(ctx, row.Key), r.t("losses.unknown_stage")))
	}, value)
	add(l.ByRep, func(row core.LossRow) string {
		name := row.Key
		if row.UserID == 0 {
			name = r.t("nobody")
		}
		return r.t("losses.rep", "Name", name)
	}, value)
	add(l.DisqBy, func(row core.LossRow) string {
		return r.t("losses.disqualified", "Reason", orUnknown(r.reason(r.c.svc.Settings().DisqualifyReasons, row.Key), r.t("digest.no_reason")))
	}, func(row core.LossRow) string {
		return r.t("losses.row_count", "Count", row.Count, "PrevCount", row.PrevCount)
	})
	card.Note = r.warnings(l.Warnings)
	return card
}

func orUnknown(s, unknown string) string {
	if strings.TrimSpace(s) == "" {
		return unknown
	}
	return s
}

// statsLost answers "stats lost [me|team] [month|YYYY-MM]": the lost and
// disqualify analysis of a calendar month (by default this one) against
// the month before, scoped as stats is.
func (c *Conversation) statsLost(ctx context.Context, r *request, words []string) Reply {
	y, m, _ := r.now.In(r.loc).Date()
	from := time.Date(y, m, 1, 0, 0, 0, 0, r.loc)
	f, who, fail := c.statsScope(ctx, r, words, func(w string) bool {
		if w == "month" {
			return true
		}
		t, err := time.ParseInLocation("2006-01", w, r.loc)
		if err == nil {
			from = t
		}
		return err == nil
	})
	if fail != nil {
		return *fail
	}
	to := from.AddDate(0, 1, 0)
	prev := core.PrevPeriod(from, to, r.loc)
	l, err := c.svc.Reports.Losses(ctx, r.user, f, from, to, prev)
	if err != nil {
		return c.fail(r, err)
	}
	title := r.t("losses.title_of", "Who", who, "Period", r.dates.month(from), "Before", r.dates.month(prev.In(r.loc)))
	return shown("", r.lossCard(ctx, l, title))
}

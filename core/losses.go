package core

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// LossReader aggregates what the lost and disqualify analysis counts.
type LossReader interface {
	// LostDeals sums the deals of f's team, owner and pipeline lost within
	// [f.ClosedFrom, f.ClosedTo), by reason, the stage they were lost
	// from (0: unknown), owner and currency.
	LostDeals(ctx context.Context, f StatsFilter) ([]LostSum, error)
	// DisqualifiedLeads counts the leads of f's team and owner
	// disqualified within [f.ClosedFrom, f.ClosedTo), by reason and owner.
	DisqualifiedLeads(ctx context.Context, f StatsFilter) ([]DisqualifiedCount, error)
}

// LostSum is how many deals of one reason, stage, owner and currency
// were lost, and their value.
type LostSum struct {
	Reason    string
	FromStage int64
	OwnerID   int64
	Currency  string
	Deals     int64
	Value     int64
}

// DisqualifiedCount is how many leads of one owner were disqualified for
// one reason.
type DisqualifiedCount struct {
	Reason  string
	OwnerID int64
	Leads   int64
}

// LossRow is one line of the analysis: deals (or leads) lost for one
// reason, from one stage or by one rep, and their value, in the period
// and in the one before.
type LossRow struct {
	Key       string `json:"key"`               // the reason, stage or rep's name; "" unknown
	UserID    int64  `json:"user_id,omitempty"` // for a rep
	Count     int64  `json:"count"`
	Value     Money  `json:"value"`
	PrevCount int64  `json:"prev_count"`
	PrevValue Money  `json:"prev_value"`
}

// Losses analyses why deals were lost and leads disqualified within
// [From, To), against the period before, [PrevFrom, From). Money is in
// the reporting currency.
type Losses struct {
	From, To time.Time
	PrevFrom time.Time
	Currency string
	Lost     LossRow   // every lost deal
	ByReason []LossRow // lost deals by reason, most first
	ByStage  []LossRow // by the stage they were lost from
	ByRep    []LossRow // by owner
	Disq     LossRow   // every disqualified lead (no value)
	DisqBy   []LossRow // disqualified leads by reason
	Warnings []Warning
}

// Empty reports whether nothing was lost or disqualified in either period.
func (l *Losses) Empty() bool {
	return l.Lost.Count == 0 && l.Lost.PrevCount == 0 && l.Disq.Count == 0 && l.Disq.PrevCount == 0
}

// Losses analyses the lost deals and disqualified leads the actor may see
// (as Metrics scopes them: a rep their own, or with f.TeamID their team's
// with their own line alone by rep;
// a manager the team's; an admin everything) within [from, to) against
// [prevFrom, from).
func (s *Reports) Losses(ctx context.Context, actor *User, f StatsFilter, from, to, prevFrom time.Time) (*Losses, error) {
	f = s.scopeStats(actor, f)
	l, err := s.losses(ctx, f, from, to, prevFrom)
	if err != nil {
		return nil, err
	}
	if actor.Role == RoleRep {
		// A rep sees the team's totals, but of the reps their own line only.
		l.ByRep = slices.DeleteFunc(l.ByRep, func(r LossRow) bool { return r.UserID != actor.ID })
	}
	return l, nil
}

func (s *Reports) losses(ctx context.Context, f StatsFilter, from, to, prevFrom time.Time) (*Losses, error) {
	out := &Losses{From: from.UTC(), To: to.UTC(), PrevFrom: prevFrom.UTC(), Currency: s.settings.Rates.Base}
	pipelines, err := s.store.ListPipelines(ctx)
	if err != nil {
		return nil, fmt.Errorf("losses: %w", err)
	}
	stages := map[int64]string{}
	for _, p := range pipelines {
		for _, st := range p.Stages {
			stages[st.ID] = st.Name
			if len(pipelines) > 1 {
				stages[st.ID] = p.Name + " / " + st.Name
			}
		}
	}
	names, err := s.userNames(ctx)
	if err != nil {
		return nil, fmt.Errorf("losses: %w", err)
	}
	m := &Metrics{}
	rows := map[string]map[string]*LossRow{"reason": {}, "stage": {}, "rep": {}, "disq": {}}
	row := func(kind, key string, userID int64) *LossRow {
		r := rows[kind][key]
		if r == nil {
			r = &LossRow{Key: key, UserID: userID, Value: Money{Currency: out.Currency}, PrevValue: Money{Currency: out.Currency}}
			rows[kind][key] = r
		}
		return r
	}
	out.Lost = LossRow{Value: Money{Currency: out.Currency}, PrevValue: Money{Currency: out.Currency}}
	for _, prev := range []bool{false, true} {
		pf := f
		pf.ClosedFrom, pf.ClosedTo = from, to
		if prev {
			pf.ClosedFrom, pf.ClosedTo = prevFrom, from
		}
		lost, err := s.store.LostDeals(ctx, pf)
		if err != nil {
			return nil, fmt.Errorf("losses: %w", err)
		}
		for _, l := range lost {
			v := s.convert(m, Money{l.Value, l.Currency})
			for _, r := range []*LossRow{&out.Lost, row("reason", l.Reason, 0), row("stage", stages[l.FromStage], 0), row("rep", names[l.OwnerID], l.OwnerID)} {
				if prev {
					r.PrevCount += l.Deals
					r.PrevValue.Amount = m.add(r.PrevValue.Amount, v)
				} else {
					r.Count += l.Deals
					r.Value.Amount = m.add(r.Value.Amount, v)
				}
			}
		}
		disq, err := s.store.DisqualifiedLeads(ctx, pf)
		if err != nil {
			return nil, fmt.Errorf("losses: %w", err)
		}
		for _, d := range disq {
			for _, r := range []*LossRow{&out.Disq, row("disq", d.Reason, 0)} {
				if prev {
					r.PrevCount += d.Leads
				} else {
					r.Count += d.Leads
				}
			}
		}
	}
	sorted := func(kind string) []LossRow {
		var list []LossRow
		for _, r := range rows[kind] {
			list = append(list, *r)
		}
		slices.SortFunc(list, func(a, b LossRow) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(b.Value.Amount, a.Value.Amount),
				cmp.Compare(b.PrevCount, a.PrevCount), cmp.Compare(a.Key, b.Key))
		})
		return list
	}
	out.ByReason, out.ByStage, out.ByRep, out.DisqBy = sorted("reason"), sorted("stage"), sorted("rep"), sorted("disq")
	out.Disq.Value, out.Disq.PrevValue = Money{Currency: out.Currency}, Money{Currency: out.Currency}
	out.Warnings = m.Warnings
	return out, nil
}

// PrevPeriod is the start of the period as long as [from, to) just before
// it: the month before a calendar month (in loc), else the same length.
func PrevPeriod(from, to time.Time, loc *time.Location) time.Time {
	lf, lt := from.In(loc), to.In(loc)
	if lf.Day() == 1 && lt.Day() == 1 && lf.Hour() == 0 && lt.Hour() == 0 && lf.AddDate(0, 1, 0).Equal(lt) {
		return lf.AddDate(0, -1, 0).UTC()
	}
	if lf.Hour() == 0 && lt.Hour() == 0 {
		// Whole local days: as many days before, whatever their hours.
		n := int(lt.Sub(lf).Hours()+12) / 24
		return lf.AddDate(0, 0, -n).UTC()
	}
	return from.Add(-to.Sub(from)).UTC()
}

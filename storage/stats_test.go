package storage_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// statsWorld is a small data set whose aggregates are worked out by hand in
// TestStats.
func statsWorld(t *testing.T, db *storage.DB, f *fixture) {
	t.Helper()
	ctx := context.Background()
	q, p, n, won, lost := f.stage("Qualified").ID, f.stage("Proposal").ID, f.stage("Negotiation").ID,
		f.stage("Won").ID, f.stage("Lost").ID
	type move struct {
		to    int64
		after time.Duration // since the deal's creation
	}
	type spec struct {
		lead     core.Lead
		deal     *core.Deal
		moves    []move
		response time.Duration
	}
	old := at(-40 * day)
	eur := func(a int64) core.Money { return core.Money{Amount: a, Currency: "EUR"} }
	specs := []spec{
		{ // L1 → D1, won after ten days
			lead:     core.Lead{SourceChannel: core.ChannelEmail, OwnerID: f.rep.ID, CreatedAt: day0},
			response: time.Minute,
			deal: &core.Deal{OwnerID: f.rep.ID, Value: eur(100000), Status: core.DealWon, StageID: won,
				Probability: -1, CreatedAt: day0, ClosedAt: at(10 * day)},
			moves: []move{{q, 0}, {p, day}, {won, 10 * day}},
		},
		{ // L2 → D2, open in Proposal
			lead:     core.Lead{SourceChannel: core.ChannelEmail, OwnerID: f.rep.ID, CreatedAt: day0},
			response: 3 * time.Minute,
			deal: &core.Deal{OwnerID: f.rep.ID, Value: eur(50000), Status: core.DealOpen, StageID: p,
				Probability: -1, ExpectedClose: time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC), CreatedAt: day0},
			moves: []move{{q, 0}, {p, 2 * day}},
		},
		{ // L3, unowned, no response, no deal
			lead: core.Lead{SourceChannel: core.ChannelWebform, CreatedAt: day0},
		},
		{ // L4 → D3, lost after going back and forth
			lead:     core.Lead{SourceChannel: core.ChannelWebform, OwnerID: f.mgr.ID, CreatedAt: day0},
			response: 2 * time.Minute,
			deal: &core.Deal{OwnerID: f.mgr.ID, Value: core.Money{Amount: 3000000, Currency: "THB"},
				Status: core.DealLost, StageID: lost, Probability: -1, CreatedAt: day0, ClosedAt: at(4 * day)},
			moves: []move{{q, 0}, {p, day}, {q, 2 * day}, {lost, 4 * day}},
		},
		{ // L5, forty days old
			lead:     core.Lead{SourceChannel: core.ChannelEmail, OwnerID: f.rep.ID, CreatedAt: old},
			response: 1000 * time.Second,
		},
		{ // D4, no lead, a probability override, no expected close
			deal: &core.Deal{OwnerID: f.mgr.ID, Value: eur(20000), Status: core.DealOpen, StageID: q,
				Probability: 25, CreatedAt: day0},
			moves: []move{{q, 0}},
		},
		{ // D5, no lead, forty days old, in Negotiation
			deal: &core.Deal{OwnerID: f.rep.ID, Value: eur(10000), Status: core.DealOpen, StageID: n,
				Probability: -1, ExpectedClose: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), CreatedAt: old},
			moves: []move{{q, 0}, {n, 10 * day}},
		},
	}
	update(t, db, func(tx core.Tx) error {
		for _, s := range specs {
			l := s.lead
			if l.CreatedAt != (time.Time{}) {
				l.ContactID, l.TeamID, l.Status = f.contact.ID, f.team.ID, core.LeadNew
				if s.response > 0 {
					l.FirstResponseAt = l.CreatedAt.Add(s.response)
				}
				if err := tx.CreateLead(ctx, &l); err != nil {
					return err
				}
			}
			if s.deal == nil {
				continue
			}
			d := s.deal
			d.ContactID, d.TeamID, d.PipelineID, d.LeadID = f.contact.ID, f.team.ID, f.pipeline.ID, l.ID
			if err := tx.CreateDeal(ctx, d); err != nil {
				return err
			}
			if l.ID != 0 {
				l.DealID, l.Status = d.ID, core.LeadQualified
				if err := tx.UpdateLead(ctx, &l); err != nil {
					return err
				}
			}
			from := int64(0)
			for _, m := range s.moves {
				c := core.StageChange{DealID: d.ID, FromStage: from, ToStage: m.to, At: d.CreatedAt.Add(m.after)}
				if err := tx.AddStageChange(ctx, &c); err != nil {
					return err
				}
				from = m.to
			}
		}
		return nil
	})
}

func TestStats(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		statsWorld(t, db, f)
		const d = 86400.0
		eur := func(a int64) []core.CurrencySum { return []core.CurrencySum{{Currency: "EUR", Amount: a}} }
		stages := func(q, p, n core.StageCount) []core.StageCount {
			out := []core.StageCount{q, p, n, {}, {}}
			for i, s := range f.pipeline.Stages {
				out[i].StageID, out[i].PipelineID, out[i].Name, out[i].Position, out[i].Kind =
					s.ID, s.PipelineID, s.Name, s.Position, s.Kind
			}
			out[3].Entered, out[4].Entered = 1, 1 // D1 won, D3 lost
			out[3].Reached = 1                    // D1 got furthest, to Won
			return out
		}
		all := core.StatsData{
			LeadsBySource: []core.SourceCount{
				{Source: core.ChannelEmail, Leads: 3, Deals: 2, Won: 1},
				{Source: core.ChannelWebform, Leads: 2, Deals: 1, Won: 0},
			},
			LeadsByOwner: []core.OwnerCount{
				{OwnerID: 0, Leads: 1},
				{OwnerID: f.mgr.ID, Leads: 1, Deals: 1},
				{OwnerID: f.rep.ID, Leads: 3, Deals: 2, Won: 1},
			},
			Deals: []core.DealSum{
				{Status: core.DealLost, Currency: "THB", Count: 1, Value: 3000000, CycleDays: 4},
				{Status: core.DealOpen, Currency: "EUR", Count: 3, Value: 80000},
				{Status: core.DealWon, Currency: "EUR", Count: 1, Value: 100000, CycleDays: 10},
			},
			DealsByOwner: []core.OwnerDealSum{
				{OwnerID: f.mgr.ID, DealSum: core.DealSum{Status: core.DealLost, Currency: "THB", Count: 1, Value: 3000000, CycleDays: 4}},
				{OwnerID: f.mgr.ID, DealSum: core.DealSum{Status: core.DealOpen, Currency: "EUR", Count: 1, Value: 20000}},
				{OwnerID: f.rep.ID, DealSum: core.DealSum{Status: core.DealOpen, Currency: "EUR", Count: 2, Value: 60000}},
				{OwnerID: f.rep.ID, DealSum: core.DealSum{Status: core.DealWon, Currency: "EUR", Count: 1, Value: 100000, CycleDays: 10}},
			},
			// Qualified: stays of 1 (D1), 2 (D2), 1 and 2 (D3), 10 (D5) days;
			// Proposal: 9 (D1) and 1 (D3) days.
			Stages: stages(
				// Furthest stages: D1 Won, D2 and D3 Proposal, D4 Qualified,
				// D5 Negotiation (it skipped Proposal).
				core.StageCount{Entered: 5, Reached: 5, OpenNow: 1, OpenValue: eur(20000), StaySeconds: 16 * d, Exits: 5},
				core.StageCount{Entered: 3, Reached: 4, OpenNow: 1, OpenValue: eur(50000), StaySeconds: 10 * d, Exits: 2},
				core.StageCount{Entered: 1, Reached: 2, OpenNow: 1, OpenValue: eur(10000)},
			),
			Forecast: []core.ForecastSum{
				{Month: "", Currency: "EUR", Count: 1, Value: 20000, Weighted: 5000},
				{Month: "2026-12", Currency: "EUR", Count: 2, Value: 60000, Weighted: 25000 + 8000},
			},
			MedianResponseSeconds: 150, // of 60, 120, 180, 1000
		}
		recent := core.StatsData{
			LeadsBySource: []core.SourceCount{
				{Source: core.ChannelEmail, Leads: 2, Deals: 2, Won: 1},
				{Source: core.ChannelWebform, Leads: 2, Deals: 1, Won: 0},
			},
			LeadsByOwner: []core.OwnerCount{
				{OwnerID: 0, Leads: 1},
				{OwnerID: f.mgr.ID, Leads: 1, Deals: 1},
				{OwnerID: f.rep.ID, Leads: 2, Deals: 2, Won: 1},
			},
			Deals: []core.DealSum{
				{Status: core.DealLost, Currency: "THB", Count: 1, Value: 3000000, CycleDays: 4},
				{Status: core.DealOpen, Currency: "EUR", Count: 2, Value: 70000},
				{Status: core.DealWon, Currency: "EUR", Count: 1, Value: 100000, CycleDays: 10},
			},
			DealsByOwner: []core.OwnerDealSum{
				{OwnerID: f.mgr.ID, DealSum: core.DealSum{Status: core.DealLost, Currency: "THB", Count: 1, Value: 3000000, CycleDays: 4}},
				{OwnerID: f.mgr.ID, DealSum: core.DealSum{Status: core.DealOpen, Currency: "EUR", Count: 1, Value: 20000}},
				{OwnerID: f.rep.ID, DealSum: core.DealSum{Status: core.DealOpen, Currency: "EUR", Count: 1, Value: 50000}},
				{OwnerID: f.rep.ID, DealSum: core.DealSum{Status: core.DealWon, Currency: "EUR", Count: 1, Value: 100000, CycleDays: 10}},
			},
			Stages: stages(
				core.StageCount{Entered: 4, Reached: 4, OpenNow: 1, OpenValue: eur(20000), StaySeconds: 6 * d, Exits: 4},
				core.StageCount{Entered: 3, Reached: 3, OpenNow: 1, OpenValue: eur(50000), StaySeconds: 10 * d, Exits: 2},
				core.StageCount{Reached: 1},
			),
			Forecast: []core.ForecastSum{
				{Month: "", Currency: "EUR", Count: 1, Value: 20000, Weighted: 5000},
				{Month: "2026-12", Currency: "EUR", Count: 1, Value: 50000, Weighted: 25000},
			},
			MedianResponseSeconds: 120,
		}
		mine := core.StatsData{
			LeadsBySource: []core.SourceCount{{Source: core.ChannelEmail, Leads: 3, Deals: 2, Won: 1}},
			LeadsByOwner:  []core.OwnerCount{{OwnerID: f.rep.ID, Leads: 3, Deals: 2, Won: 1}},
			Deals: []core.DealSum{
				{Status: core.DealOpen, Currency: "EUR", Count: 2, Value: 60000},
				{Status: core.DealWon, Currency: "EUR", Count: 1, Value: 100000, CycleDays: 10},
			},
			DealsByOwner: []core.OwnerDealSum{
				{OwnerID: f.rep.ID, DealSum: core.DealSum{Status: core.DealOpen, Currency: "EUR", Count: 2, Value: 60000}},
				{OwnerID: f.rep.ID, DealSum: core.DealSum{Status: core.DealWon, Currency: "EUR", Count: 1, Value: 100000, CycleDays: 10}},
			},
			Stages: stages(
				core.StageCount{Entered: 3, Reached: 3, OpenNow: 0, StaySeconds: 13 * d, Exits: 3},
				core.StageCount{Entered: 2, Reached: 3, OpenNow: 1, OpenValue: eur(50000), StaySeconds: 9 * d, Exits: 1},
				core.StageCount{Entered: 1, Reached: 2, OpenNow: 1, OpenValue: eur(10000)},
			),
			Forecast: []core.ForecastSum{
				{Month: "2026-12", Currency: "EUR", Count: 2, Value: 60000, Weighted: 33000},
			},
			MedianResponseSeconds: 180, // of 60, 180, 1000
		}
		mine.Stages[4].Entered = 0 // D3 is the manager's

		cases := []struct {
			name   string
			filter core.StatsFilter
			want   core.StatsData
		}{
			{"everything", core.StatsFilter{}, all},
			{"the team and its pipeline", core.StatsFilter{TeamID: f.team.ID, PipelineID: f.pipeline.ID}, all},
			{"a creation window", core.StatsFilter{From: at(-day), To: at(30 * day)}, recent},
			{"one rep", core.StatsFilter{OwnerID: f.rep.ID}, mine},
		}
		for _, tc := range cases {
			t.Run("adds up "+tc.name, func(t *testing.T) {
				got, err := db.Stats(ctx, tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, *got); diff != "" {
					t.Errorf("stats (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("moves a deal's history into the window with its creation time", func(t *testing.T) {
			ds, err := db.ListDeals(ctx, core.DealFilter{StageID: f.stage("Negotiation").ID})
			if err != nil || len(ds) != 1 {
				t.Fatalf("deals in Negotiation: %v, %v", ds, err)
			}
			d5 := ds[0]
			d5.CreatedAt = day0
			update(t, db, func(tx core.Tx) error { return tx.UpdateDeal(ctx, &d5) })
			got, err := db.Stats(ctx, core.StatsFilter{From: at(-day), To: at(30 * day)})
			if err != nil {
				t.Fatal(err)
			}
			if n := got.Stages[2]; n.Entered != 1 || n.OpenNow != 1 {
				t.Errorf("Negotiation in the window = %+v, want D5 entered and open", n)
			}
		})
		t.Run("has nothing for another team", func(t *testing.T) {
			got, err := db.Stats(ctx, core.StatsFilter{TeamID: f.team.ID + 1000})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.LeadsBySource)+len(got.Deals)+len(got.Forecast) != 0 || got.MedianResponseSeconds != -1 {
				t.Errorf("stats = %+v", got)
			}
			for _, s := range got.Stages {
				if s.Entered+s.OpenNow+s.Exits != 0 {
					t.Errorf("stage %q = %+v", s.Name, s)
				}
			}
		})
	})
}

func TestStatsSumsAmountsPastAnInt64(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		money := func(a int64, cur string) func(d *core.Deal) {
			return func(d *core.Deal) { d.Value = core.Money{Amount: a, Currency: cur}; d.Probability = 50 }
		}
		// Exact where the sum fits, even with the parts of every amount
		// over a billion; held at the limit where it does not.
		f.deal(t, db, money(core.MaxDealAmount, "EUR"))
		f.deal(t, db, money(core.MaxDealAmount+1_999_999_999, "EUR"))
		f.deal(t, db, money(math.MaxInt64, "THB"))
		f.deal(t, db, money(math.MaxInt64, "THB"))
		f.deal(t, db, money(math.MaxInt64-1, "PLN"))
		got, err := db.Stats(ctx, core.StatsFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := []core.DealSum{
			{Status: core.DealOpen, Currency: "EUR", Count: 2, Value: 2*core.MaxDealAmount + 1_999_999_999},
			{Status: core.DealOpen, Currency: "PLN", Count: 1, Value: math.MaxInt64 - 1},
			{Status: core.DealOpen, Currency: "THB", Count: 2, Value: math.MaxInt64},
		}
		if diff := cmp.Diff(want, got.Deals); diff != "" {
			t.Errorf("deal sums (-want +got):\n%s", diff)
		}
		wantForecast := []core.ForecastSum{
			{Currency: "EUR", Count: 2, Value: 2*core.MaxDealAmount + 1_999_999_999, Weighted: core.MaxDealAmount + 999_999_999},
			{Currency: "PLN", Count: 1, Value: math.MaxInt64 - 1, Weighted: (math.MaxInt64 - 1) / 2},
			{Currency: "THB", Count: 2, Value: math.MaxInt64, Weighted: math.MaxInt64}, // half of twice the largest
		}
		if diff := cmp.Diff(wantForecast, got.Forecast); diff != "" {
			t.Errorf("forecast sums (-want +got):\n%s", diff)
		}
		if open := got.Stages[0].OpenValue; len(open) != 3 || open[2].Amount != math.MaxInt64 {
			t.Errorf("open value by currency = %v", open)
		}
	})
}

package core_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestReportsHoldDealsAtTheLargestAmount stores deals straight in the
// database at the largest amount an int64 holds, in several currencies
// (as data from before values were bounded could be): every report adds
// them up without failing, wrapping around or going negative.
func TestReportsHoldDealsAtTheLargestAmount(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		nov := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
		var won []int64
		// Two of a currency in one stage and month: one SQL sum holds both.
		for i, cur := range []string{"EUR", "EUR", "THB", "THB", "PLN", "PLN", "EUR", "EUR", "THB"} {
			id := f.newLead(t, "Bangkok", cur+string(rune('a'+i))+"@big.example")
			d, err := f.svc.Qualify(f.ctx, f.repA, id, core.QualifyInput{Value: core.Money{Amount: 100, Currency: cur}, ExpectedClose: nov})
			if err != nil {
				t.Fatal(err)
			}
			d.Value.Amount = math.MaxInt64
			if err := db.Update(f.ctx, func(tx core.Tx) error { return tx.UpdateDeal(f.ctx, d) }); err != nil {
				t.Fatal(err)
			}
			if i >= 6 {
				won = append(won, d.ID)
			}
		}
		for _, id := range won {
			if _, err := f.svc.Win(f.ctx, f.repA, id); err != nil {
				t.Fatal(err)
			}
		}
		wantSane := func(t *testing.T, what string, m core.Money) {
			t.Helper()
			if m.Amount <= 0 {
				t.Errorf("%s = %v; want a positive amount, not a wrapped one", what, m)
			}
		}
		wantWarned := func(t *testing.T, warnings []core.Warning) {
			t.Helper()
			if !slices.ContainsFunc(warnings, func(w core.Warning) bool { return strings.Contains(w.Text, "too large") }) {
				t.Errorf("warnings = %q; want one saying a total was too large", warnings)
			}
		}
		t.Run("stats add up the team's open and won deals", func(t *testing.T) {
			m, err := f.svc.Reports.Metrics(f.ctx, f.mgr, core.StatsFilter{})
			if err != nil {
				t.Fatal(err)
			}
			wantSane(t, "open value", m.OpenValue)
			wantSane(t, "won value", m.WonValue)
			wantSane(t, "average deal size", m.AvgDealSize)
			for _, st := range m.Stages {
				if st.OpenValue.Amount < 0 {
					t.Errorf("stage %s open value = %v", st.Stage, st.OpenValue)
				}
			}
			for _, r := range m.ByRep {
				if r.WonValue.Amount < 0 {
					t.Errorf("rep %d won value = %v", r.UserID, r.WonValue)
				}
			}
			wantWarned(t, m.Warnings)
		})
		t.Run("the forecast weighs and sums them", func(t *testing.T) {
			fc, err := f.svc.Reports.Forecast(f.ctx, f.mgr, core.StatsFilter{}, "2026-11")
			if err != nil {
				t.Fatal(err)
			}
			wantSane(t, "weighted", fc.Weighted)
			wantSane(t, "won", fc.Won)
			if fc.Gap.Amount > 0 {
				t.Errorf("gap = %v; far ahead of the target, the gap is negative", fc.Gap)
			}
			wantWarned(t, fc.Warnings)
		})
		t.Run("the pipeline summary totals them", func(t *testing.T) {
			s, err := f.svc.Reports.PipelineSummary(f.ctx, f.mgr, true)
			if err != nil {
				t.Fatal(err)
			}
			wantSane(t, "pipeline value", s.Value)
			wantSane(t, "weighted pipeline", s.Weighted)
		})
		t.Run("the manager's digest is built", func(t *testing.T) {
			d, err := f.svc.Reports.BuildDigest(f.ctx, f.mgr.ID, f.clock.Now().Format(time.DateOnly))
			if err != nil {
				t.Fatal(err)
			}
			wantSane(t, "digest pipeline", d.Pipeline.Value)
			wantWarned(t, d.Warnings)
		})
	})
}

func TestRatesConvertHoldsTheLargestAmounts(t *testing.T) {
	r := core.Rates{Base: "VND", Rates: map[string]float64{"EUR": 27000, "KWD": 80000, "THB": 700}}
	tests := []struct {
		name string
		in   core.Money
		want int64
	}{
		{"a huge euro amount is held at the largest dong amount", core.Money{Amount: math.MaxInt64, Currency: "EUR"}, math.MaxInt64},
		{"a huge dinar amount too", core.Money{Amount: math.MaxInt64 / 2, Currency: "KWD"}, math.MaxInt64},
		{"a huge negative amount at the smallest", core.Money{Amount: math.MinInt64, Currency: "THB"}, math.MinInt64},
		{"an ordinary amount is exact", core.Money{Amount: 123456789012, Currency: "EUR"}, 123456789012 * 270},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Convert(tt.in)
			if err != nil || got.Amount != tt.want || got.Currency != "VND" {
				t.Fatalf("Convert(%v) = %v, %v; want %d VND", tt.in, got, err, tt.want)
			}
		})
	}
}

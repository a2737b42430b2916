package core_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// seedLosses loses deals and disqualifies leads in October and November
// 2026: Bangkok's Niran and Pim, and Warsaw's Zofia, whom Bangkok's
// manager must not see.
func seedLosses(t *testing.T, f *fixture) {
	t.Helper()
	ctx := f.ctx
	lose := func(at time.Time, rep *core.User, team, email string, value core.Money, stage, reason string) {
		t.Helper()
		f.clock.Set(at)
		id := f.newLead(t, team, email)
		d, err := f.svc.Qualify(ctx, rep, id, core.QualifyInput{Value: value})
		if err != nil {
			t.Fatal(err)
		}
		if stage != "" {
			if _, err := f.svc.Move(ctx, rep, d.ID, stage); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.Lose(ctx, rep, d.ID, reason); err != nil {
			t.Fatal(err)
		}
	}
	disq := func(at time.Time, rep *core.User, team, email, reason string) {
		t.Helper()
		f.clock.Set(at)
		id := f.newLead(t, team, email)
		if _, err := f.svc.Disqualify(ctx, rep, id, reason); err != nil {
			t.Fatal(err)
		}
	}
	lose(time.Date(2026, 10, 10, 5, 0, 0, 0, time.UTC), f.repA, "Bangkok", "a@oct.th", core.Money{Amount: 40000000, Currency: "THB"}, "", "price")
	disq(time.Date(2026, 10, 12, 5, 0, 0, 0, time.UTC), f.repA, "Bangkok", "b@oct.th", "spam")
	lose(time.Date(2026, 11, 3, 5, 0, 0, 0, time.UTC), f.repA, "Bangkok", "c@nov.th", core.Money{Amount: 100000, Currency: "EUR"}, "proposal", "price")
	lose(time.Date(2026, 11, 4, 5, 0, 0, 0, time.UTC), f.repB, "Bangkok", "d@nov.th", core.Money{Amount: 500000, Currency: "PLN"}, "", "competitor")
	lose(time.Date(2026, 11, 5, 5, 0, 0, 0, time.UTC), f.repB, "Bangkok", "e@nov.th", core.Money{Amount: 20000, Currency: "EUR"}, "proposal", "we changed our mind")
	disq(time.Date(2026, 11, 6, 5, 0, 0, 0, time.UTC), f.repB, "Bangkok", "f@nov.th", "no_need")
	lose(time.Date(2026, 11, 7, 5, 0, 0, 0, time.UTC), f.repW, "Warsaw", "g@nov.pl", core.Money{Amount: 900000, Currency: "EUR"}, "", "price")
	// December: outside the period.
	lose(time.Date(2026, 12, 1, 5, 0, 0, 0, time.UTC), f.repA, "Bangkok", "h@dec.th", core.Money{Amount: 1, Currency: "EUR"}, "", "timing")
}

// lossSummary prints an analysis one row a line.
func lossSummary(l *core.Losses) string {
	var b strings.Builder
	row := func(name string, r core.LossRow) {
		fmt.Fprintf(&b, "%s %q %d %d %d %d\n", name, r.Key, r.Count, r.Value.Amount, r.PrevCount, r.PrevValue.Amount)
	}
	row("lost", l.Lost)
	for _, r := range l.ByReason {
		row("reason", r)
	}
	for _, r := range l.ByStage {
		row("stage", r)
	}
	for _, r := range l.ByRep {
		row("rep", r)
	}
	row("disq", l.Disq)
	for _, r := range l.DisqBy {
		row("disq-reason", r)
	}
	return b.String()
}

func TestLosses(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		seedLosses(t, f)
		// November in Bangkok, against October.
		bkk, _ := time.LoadLocation("Asia/Bangkok")
		from := time.Date(2026, 11, 1, 0, 0, 0, 0, bkk)
		to := from.AddDate(0, 1, 0)
		prev := core.PrevPeriod(from, to, bkk)
		if want := time.Date(2026, 10, 1, 0, 0, 0, 0, bkk); !prev.Equal(want) {
			t.Fatalf("previous period starts %s, want %s", prev, want)
		}
		cases := []struct {
			name  string
			actor *core.User
			f     core.StatsFilter
			want  string
		}{
			{"the manager sees the team's, by reason, stage lost from and rep, against October", f.mgr, core.StatsFilter{}, `lost "" 3 235000 1 1000000
reason "Went with a competitor" 1 115000 0 0
reason "Price too high" 1 100000 1 1000000
reason "we changed our mind" 1 20000 0 0
stage "Proposal" 2 120000 0 0
stage "Prospecting" 1 115000 1 1000000
rep "Pim" 2 135000 0 0
rep "นิรันดร์" 1 100000 1 1000000
disq "" 1 0 1 0
disq-reason "No need now" 1 0 0 0
disq-reason "Spam" 0 0 1 0
`},
			{"a rep sees their own", f.repB, core.StatsFilter{}, `lost "" 2 135000 0 0
reason "Went with a competitor" 1 115000 0 0
reason "we changed our mind" 1 20000 0 0
stage "Prospecting" 1 115000 0 0
stage "Proposal" 1 20000 0 0
rep "Pim" 2 135000 0 0
disq "" 1 0 0 0
disq-reason "No need now" 1 0 0 0
`},
			{"a rep asking for another team's gets nothing", f.repB, core.StatsFilter{TeamID: f.repW.TeamID}, `lost "" 0 0 0 0
disq "" 0 0 0 0
`},
			{"a rep asking for the team's sees its totals and of the reps their own line", f.repB, core.StatsFilter{TeamID: f.repB.TeamID}, `lost "" 3 235000 1 1000000
reason "Went with a competitor" 1 115000 0 0
reason "Price too high" 1 100000 1 1000000
reason "we changed our mind" 1 20000 0 0
stage "Proposal" 2 120000 0 0
stage "Prospecting" 1 115000 1 1000000
rep "Pim" 2 135000 0 0
disq "" 1 0 1 0
disq-reason "No need now" 1 0 0 0
disq-reason "Spam" 0 0 1 0
`},
			{"Warsaw's rep sees only Warsaw's", f.repW, core.StatsFilter{}, `lost "" 1 900000 0 0
reason "Price too high" 1 900000 0 0
stage "Prospecting" 1 900000 0 0
rep "Zofia Łukasiewicz" 1 900000 0 0
disq "" 0 0 0 0
`},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				l, err := f.svc.Reports.Losses(f.ctx, tc.actor, tc.f, from, to, prev)
				if err != nil {
					t.Fatal(err)
				}
				if got := lossSummary(l); got != tc.want {
					t.Errorf("got\n%s\nwant\n%s", got, tc.want)
				}
			})
		}
		t.Run("the admin sees every team", func(t *testing.T) {
			l, err := f.svc.Reports.Losses(f.ctx, f.admin, core.StatsFilter{}, from, to, prev)
			if err != nil {
				t.Fatal(err)
			}
			if l.Lost.Count != 4 || l.ByReason[0].Key != "Price too high" || l.ByReason[0].Count != 2 {
				t.Errorf("admin's analysis:\n%s", lossSummary(l))
			}
		})
	})
}

func TestPrevPeriod(t *testing.T) {
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	cases := []struct {
		name     string
		from, to time.Time
		want     time.Time
	}{
		{"a month: the month before", time.Date(2026, 3, 1, 0, 0, 0, 0, warsaw), time.Date(2026, 4, 1, 0, 0, 0, 0, warsaw), time.Date(2026, 2, 1, 0, 0, 0, 0, warsaw)},
		{"a day across the spring switch: the day before", time.Date(2026, 3, 30, 0, 0, 0, 0, warsaw), time.Date(2026, 3, 31, 0, 0, 0, 0, warsaw), time.Date(2026, 3, 29, 0, 0, 0, 0, warsaw)},
		{"a week: the week before", time.Date(2026, 3, 30, 0, 0, 0, 0, warsaw), time.Date(2026, 4, 6, 0, 0, 0, 0, warsaw), time.Date(2026, 3, 23, 0, 0, 0, 0, warsaw)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := core.PrevPeriod(tc.from, tc.to, warsaw); !got.Equal(tc.want) {
				t.Errorf("got %s, want %s", got.In(warsaw), tc.want)
			}
		})
	}
}

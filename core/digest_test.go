package core_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/golden"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// seedDigestDay gives team Bangkok a Tuesday (2026-11-03 in Bangkok) of
// work: leads by web form and email, a claim, deals qualified, moved, won
// and lost, an overdue task; Warsaw's lead must not show in Bangkok's
// digest. The clock ends on Wednesday morning in Bangkok.
func seedDigestDay(t *testing.T, f *fixture) {
	t.Helper()
	ctx := f.ctx
	// Monday in Bangkok: a lead and a deal before the day.
	f.clock.Set(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	old := f.newLead(t, "Bangkok", "old@a.th")
	oldDeal, err := f.svc.Qualify(ctx, f.repA, old, core.QualifyInput{Value: core.Money{Amount: 30000000, Currency: "THB"}, ExpectedClose: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	// Tuesday 00:30 in Bangkok is Monday 17:30 UTC: inside the day.
	f.clock.Set(time.Date(2026, 11, 2, 17, 30, 0, 0, time.UTC))
	early := f.newLead(t, "Bangkok", "early@b.th")
	f.clock.Advance(20 * time.Minute)
	if _, err := f.svc.Claim(ctx, f.repB, early); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(time.Date(2026, 11, 3, 3, 0, 0, 0, time.UTC)) // 10:00 in Bangkok
	byMail := f.capture(t, core.Inbound{Channel: core.ChannelEmail, Source: "sales", ExternalID: "<m1@c.th>", Email: "mail@c.th", Name: "Mail Prospect", Team: "Bangkok", Subject: "Quote"})
	f.clock.Advance(40 * time.Minute)
	won, err := f.svc.Qualify(ctx, f.repA, byMail.LeadID, core.QualifyInput{Value: core.Money{Amount: 1200000, Currency: "EUR"}})
	if err != nil {
		t.Fatal(err)
	}
	f.newLead(t, "Bangkok", "waiting@d.th") // unclaimed
	lost := f.newLead(t, "Bangkok", "lost@e.th")
	lostDeal, err := f.svc.Qualify(ctx, f.repB, lost, core.QualifyInput{Value: core.Money{Amount: 50000, Currency: "PLN"}})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(2 * time.Hour)
	if _, err := f.svc.Move(ctx, f.repA, oldDeal.ID, "proposal"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Move(ctx, f.repA, won.ID, "negotiation"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Win(ctx, f.repA, won.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Lose(ctx, f.repB, lostDeal.ID, "price"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.FollowUp(ctx, f.repA, core.Ref{Kind: 'D', ID: oldDeal.ID}, "send the revised quote", f.clock.Now().Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	f.newLead(t, "Warsaw", "other@f.pl")
	// Wednesday 09:00 in Bangkok; the task is overdue.
	f.clock.Set(time.Date(2026, 11, 4, 2, 0, 0, 0, time.UTC))
}

// digestSummary prints what a digest says, one fact a line.
func digestSummary(d *core.Digest) string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	p("%s (%s), %s, day %s weekly=%v, %s .. %s", d.Manager, d.TimeZone, d.Scope, d.Day, d.Weekly, d.From.Format(time.RFC3339), d.To.Format(time.RFC3339))
	p("new leads %d, median speed to lead %v", d.NewLeads, d.MedianSpeedToLead)
	for _, s := range d.LeadsBySource {
		p("  source %s: %d", s.Key, s.Leads)
	}
	for _, l := range d.Unclaimed {
		p("unclaimed %s created %s", l.Ref(), l.CreatedAt.Format(time.RFC3339))
	}
	for _, m := range d.Moves {
		p("moved into %s/%s: %d", m.Pipeline, m.Stage, m.Moves)
	}
	p("won %d (%s), lost %d", d.Won, d.WonValue, d.Lost)
	if d.Losses != nil {
		for _, r := range d.Losses.ByReason {
			p("  lost for %q: %d", r.Key, r.Count)
		}
	}
	for _, s := range d.Pipeline.Stages {
		p("pipeline %s: %d deals, %s", s.Stage, s.Deals, s.Value)
	}
	fc := d.Forecast
	p("forecast %s: won %s, weighted %s, target %s, gap %s", fc.Month, fc.Won, fc.Weighted, fc.Target, fc.Gap)
	for _, dl := range d.Rotting {
		p("rotting %s", dl.Ref())
	}
	for _, o := range d.Overdue {
		p("overdue %s: %d since %s", o.Name, o.Tasks, o.Oldest.Format(time.RFC3339))
	}
	for _, r := range d.Reps {
		p("rep %s: new %d, won %d, %s, win rate %.2f", r.Name, r.Leads, r.Won, r.WonValue, r.WinRate)
	}
	for _, f := range d.Funnels {
		for _, s := range f.Stages {
			p("funnel %s %s: reached %d, conversion %.2f", f.Pipeline, s.Stage, s.Reached, s.Conversion)
		}
	}
	for _, w := range d.Warnings {
		p("warning %s", w)
	}
	return b.String()
}

func TestBuildDigest(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		seedDigestDay(t, f)
		t.Run("a manager's day covers the team's day in the manager's zone", func(t *testing.T) {
			d, err := f.svc.Reports.BuildDigest(f.ctx, f.mgr.ID, "2026-11-03")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, "digest_bangkok.txt", []byte(digestSummary(d)))
		})
		t.Run("the day before holds only what happened then", func(t *testing.T) {
			d, err := f.svc.Reports.BuildDigest(f.ctx, f.mgr.ID, "2026-11-02")
			if err != nil {
				t.Fatal(err)
			}
			if d.NewLeads != 1 || d.Won != 0 || len(d.Moves) != 0 {
				t.Errorf("Monday: %d new leads, %d won, moves %v; want 1, 0, none", d.NewLeads, d.Won, d.Moves)
			}
		})
		t.Run("an admin's digest covers every team", func(t *testing.T) {
			d, err := f.svc.Reports.BuildDigest(f.ctx, f.admin.ID, "2026-11-03")
			if err != nil {
				t.Fatal(err)
			}
			// The admin is on UTC: Tuesday UTC has Bangkok's leads from
			// 10:00 local on and Warsaw's.
			if d.Scope != "every team" || d.NewLeads != 4 {
				t.Errorf("admin: scope %q, %d new leads; want every team, 4", d.Scope, d.NewLeads)
			}
		})
		t.Run("a manager without a team gets own work only", func(t *testing.T) {
			loner, err := f.svc.Directory.SaveUser(f.ctx, nil, core.UserDef{Email: "loner@example.com", Name: "Loner", Role: core.RoleManager, TimeZone: "Asia/Bangkok"})
			if err != nil {
				t.Fatal(err)
			}
			d, err := f.svc.Reports.BuildDigest(f.ctx, loner.ID, "2026-11-03")
			if err != nil {
				t.Fatal(err)
			}
			if d.Scope != "your own work" || d.NewLeads != 0 || d.Won != 0 || len(d.Unclaimed) != 0 || d.Pipeline.Deals != 0 || len(d.Overdue) != 0 {
				t.Errorf("loner: %s", digestSummary(d))
			}
		})
		// reached is how many deals got to each pipeline/stage.
		reached := func(d *core.Digest) map[string]int64 {
			m := map[string]int64{}
			for _, f := range d.Funnels {
				for _, s := range f.Stages {
					m[f.Pipeline+"/"+s.Stage] = s.Reached
				}
			}
			return m
		}
		t.Run("the funnel counts the deals of the last 90 days", func(t *testing.T) {
			now := f.clock.Now()
			f.clock.Set(time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC))
			june, err := f.svc.Qualify(f.ctx, f.repA, f.newLead(t, "Bangkok", "june@g.th"), core.QualifyInput{Value: core.Money{Amount: 900000, Currency: "THB"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Win(f.ctx, f.repA, june.ID); err != nil {
				t.Fatal(err)
			}
			f.clock.Set(now)
			d, err := f.svc.Reports.BuildDigest(f.ctx, f.mgr.ID, "2026-11-03")
			if err != nil {
				t.Fatal(err)
			}
			// 90 days before Wednesday 00:00 in Bangkok.
			if from := d.FunnelFrom.Format(time.RFC3339); from != "2026-08-05T17:00:00Z" {
				t.Errorf("funnel from %s", from)
			}
			if len(d.Funnels) != 1 || d.Funnels[0].Pipeline != "Sales" {
				t.Fatalf("funnels %+v", d.Funnels)
			}
			if r := reached(d); r["Sales/Prospecting"] != 3 || r["Sales/Won"] != 1 {
				t.Errorf("November's funnel %v: June's deal counted", r)
			}
			d, err = f.svc.Reports.BuildDigest(f.ctx, f.mgr.ID, "2026-06-01")
			if err != nil {
				t.Fatal(err)
			}
			if r := reached(d); r["Sales/Prospecting"] != 1 || r["Sales/Won"] != 1 {
				t.Errorf("June's funnel %v: want June's deal only", r)
			}
		})
		t.Run("a second pipeline has a funnel of its own once deals are in it", func(t *testing.T) {
			err := f.db.Update(f.ctx, func(tx core.Tx) error {
				return tx.SavePipeline(f.ctx, &core.Pipeline{Name: "Renewals", Stages: []core.Stage{
					{Name: "Up for renewal", Position: 1, Probability: 60, Kind: core.StageOpen},
					{Name: "Won", Position: 2, Probability: 100, Kind: core.StageWon},
					{Name: "Lost", Position: 3, Kind: core.StageLost}}})
			})
			if err != nil {
				t.Fatal(err)
			}
			d, err := f.svc.Reports.BuildDigest(f.ctx, f.mgr.ID, "2026-11-03")
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Funnels) != 1 {
				t.Fatalf("an empty pipeline has a funnel: %+v", d.Funnels)
			}
			if _, err := f.svc.Qualify(f.ctx, f.repA, f.newLead(t, "Bangkok", "renew@g.th"), core.QualifyInput{Pipeline: "Renewals"}); err != nil {
				t.Fatal(err)
			}
			// The digest of the day the deal was opened, in Bangkok.
			today := f.clock.Now().In(time.FixedZone("ICT", 7*3600)).Format(time.DateOnly)
			if d, err = f.svc.Reports.BuildDigest(f.ctx, f.mgr.ID, today); err != nil {
				t.Fatal(err)
			}
			if len(d.Funnels) != 2 || d.Funnels[0].Pipeline != "Sales" || d.Funnels[1].Pipeline != "Renewals" {
				t.Fatalf("funnels %+v", d.Funnels)
			}
			if r := reached(d); r["Renewals/Up for renewal"] != 1 || r["Renewals/Won"] != 0 || r["Sales/Prospecting"] == 0 {
				t.Errorf("funnels %v", r)
			}
		})
		t.Run("a bad day is refused", func(t *testing.T) {
			_, err := f.svc.Reports.BuildDigest(f.ctx, f.mgr.ID, "3.11.2026")
			wantKind(t, err, core.KindInvalid, "YYYY-MM-DD")
		})
	})
}

func TestDigestWindow(t *testing.T) {
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	tehran, _ := time.LoadLocation("Asia/Tehran")
	cases := []struct {
		name     string
		day      string
		loc      *time.Location
		weekly   bool
		from, to string
		isWeekly bool
	}{
		{"a 23-hour day in Warsaw", "2026-03-29", warsaw, false, "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", false},
		{"a 25-hour day in Warsaw", "2026-10-25", warsaw, false, "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", false},
		{"a day in Tehran", "2026-11-03", tehran, false, "2026-11-02T20:30:00Z", "2026-11-03T20:30:00Z", false},
		{"Sunday's weekly digest covers seven days", "2026-11-01", tehran, true, "2026-10-25T20:30:00Z", "2026-11-01T20:30:00Z", true},
		{"a weekday is never weekly", "2026-11-03", tehran, true, "2026-11-02T20:30:00Z", "2026-11-03T20:30:00Z", false},
		{"a week across the autumn switch", "2026-10-25", warsaw, true, "2026-10-18T22:00:00Z", "2026-10-25T23:00:00Z", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			from, to, weekly, err := core.DigestWindow(tc.day, tc.loc, tc.weekly)
			if err != nil {
				t.Fatal(err)
			}
			if got := from.Format(time.RFC3339) + " " + to.Format(time.RFC3339); got != tc.from+" "+tc.to || weekly != tc.isWeekly {
				t.Errorf("window %s weekly=%v, want %s %s weekly=%v", got, weekly, tc.from, tc.to, tc.isWeekly)
			}
		})
	}
}

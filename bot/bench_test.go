package bot_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"leadwire/bot"
	"leadwire/bot/console"
	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/internal/lang"
	"leadwire/storage"
)

// BenchmarkCommands times command handling (parse, core call, reply
// rendered as console text) for the commands a rep uses most, on a seeded
// SQLite file, and reports p50 and p99 per command. LEADWIRE_BENCH_N sets how many deals the file holds
// (default 20000: contacts, leads and deals alike, with stage history,
// tasks and unclaimed leads); LEADWIRE_BENCH_DB names a file to keep the
// seeded database in and reuse on the next run with the same N.
//
//	LEADWIRE_BENCH_N=1000000 LEADWIRE_BENCH_DB=/tmp/bot-1m.db go test -run '^$' -bench Commands -benchtime 2000x ./bot
func BenchmarkCommands(b *testing.B) {
	e := seedBench(b)
	rng := rand.New(rand.NewPCG(7, 7))
	locale := "en"
	// Each command in every language: the rep reads leadwire in locale.
	rep := func() *core.User {
		u := e.reps[rng.IntN(len(e.reps))]
		u.Locale = locale
		return &u
	}
	ctx := context.Background()
	handle := func(u *core.User, line string) error {
		r := e.conv.Handle(ctx, u, line)
		_ = console.Render(r)
		if r.Tone == bot.ToneBad || r.Tone == bot.ToneWarn {
			return fmt.Errorf("%s> %s: %s", u.Email, line, r.Text)
		}
		return nil
	}
	cases := []struct {
		name string
		run  func() error
	}{
		{"deal", func() error {
			u := rep()
			d := e.open[u.ID][rng.IntN(len(e.open[u.ID]))]
			return handle(u, "deal "+core.DealRef(d.id))
		}},
		{"pipeline", func() error { return handle(rep(), "pipeline") }},
		{"move", func() error {
			u := rep()
			d := e.open[u.ID][rng.IntN(len(e.open[u.ID]))]
			to := e.stages[rng.IntN(len(e.stages))]
			for to.ID == d.stage {
				to = e.stages[rng.IntN(len(e.stages))]
			}
			d.stage = to.ID
			return handle(u, "move "+core.DealRef(d.id)+" "+to.Name)
		}},
		{"review", func() error { return handle(rep(), "review") }},
	}
	for _, l := range lang.Languages {
		locale = l
		for _, tc := range cases {
			b.Run(l+"/"+tc.name, func(b *testing.B) {
				var times []time.Duration
				for b.Loop() {
					start := time.Now()
					if err := tc.run(); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(start))
				}
				slices.Sort(times)
				p50, p99 := times[len(times)/2], times[len(times)*99/100]
				b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
				b.Logf("%s %s at %d deals: p50 %v, p99 %v over %d runs", l, tc.name, e.n, p50.Round(time.Microsecond), p99.Round(time.Microsecond), len(times))
			})
		}
	}
}

// benchEnv is a seeded database and a conversation over it.
type benchEnv struct {
	n      int
	conv   *bot.Conversation
	reps   []core.User
	stages []core.Stage
	open   map[int64][]*benchDeal // open deals by owner
}

type benchDeal struct{ id, stage int64 }

var benchNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func seedBench(b *testing.B) *benchEnv {
	b.Helper()
	n := 20000
	if s := os.Getenv("LEADWIRE_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1000 {
			b.Fatalf("LEADWIRE_BENCH_N=%q: want a number ≥ 1000", s)
		}
	}
	path := os.Getenv("LEADWIRE_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	ctx := context.Background()
	db, err := storage.OpenAndMigrate(ctx, "sqlite:"+path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	clk := clocktest.New(benchNow)
	svc := core.NewService(db, clk, core.Settings{Rates: core.Rates{Base: "EUR", Rates: map[string]float64{"THB": 0.025, "PLN": 0.23}}}, nil)
	var have int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM deals`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have != 0 && have != n {
		b.Fatalf("%s holds %d deals, not %d: remove it", path, have, n)
	}
	if have == 0 {
		start := time.Now()
		if err := seedDeals(ctx, svc, db, n); err != nil {
			b.Fatalf("seed: %v", err)
		}
		b.Logf("seeded %d deals in %v", n, time.Since(start).Round(time.Second))
	}
	e := &benchEnv{n: n, conv: bot.NewConversation(svc, clk, bot.Options{}), open: map[int64][]*benchDeal{}}
	users, err := db.ListUsers(ctx, core.UserFilter{Role: core.RoleRep})
	if err != nil {
		b.Fatal(err)
	}
	p, err := db.DefaultPipeline(ctx)
	if err != nil {
		b.Fatal(err)
	}
	e.stages = p.OpenStages()
	for _, u := range users {
		deals, err := db.ListDeals(ctx, core.DealFilter{OwnerID: u.ID, Statuses: []core.DealStatus{core.DealOpen}, Limit: 200})
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range deals {
			e.open[u.ID] = append(e.open[u.ID], &benchDeal{d.ID, d.StageID})
		}
		if len(e.open[u.ID]) > 0 {
			e.reps = append(e.reps, u)
		}
	}
	return e
}

// seedDeals writes n contacts, leads and deals through core.Tx in
// transactions of 5,000: 10 teams of 20 reps, deals spread over stages
// and the last 400 days (70% open, 15% won, 15% lost) with their stage
// history, a task on one open deal in ten, and one unclaimed lead per 50
// deals.
func seedDeals(ctx context.Context, svc *core.Service, db *storage.DB, n int) error {
	dir := core.OrgDef{Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
		{Name: "Prospecting", Probability: 10, RotDays: 7}, {Name: "Qualified", Probability: 25, RotDays: 10},
		{Name: "Meeting", Probability: 40, RotDays: 10}, {Name: "Proposal", Probability: 60, RotDays: 14},
		{Name: "Negotiation", Probability: 80, RotDays: 14}}}}}
	zones := []string{"Asia/Bangkok", "Europe/Warsaw", "Asia/Tehran", "Asia/Ho_Chi_Minh", "Asia/Shanghai"}
	for t := range 10 {
		team := fmt.Sprintf("Team %d", t+1)
		dir.Teams = append(dir.Teams, core.TeamDef{Name: team})
		for r := range 20 {
			dir.Users = append(dir.Users, core.UserDef{Email: fmt.Sprintf("rep%d.%d@bench.test", t+1, r+1), Name: fmt.Sprintf("Rep %d.%d", t+1, r+1), Team: team, TimeZone: zones[t%len(zones)]})
		}
	}
	if err := svc.Directory.Sync(ctx, dir); err != nil {
		return err
	}
	reps, err := db.ListUsers(ctx, core.UserFilter{Role: core.RoleRep})
	if err != nil {
		return err
	}
	p, err := db.DefaultPipeline(ctx)
	if err != nil {
		return err
	}
	open, won, lost := p.OpenStages(), p.Terminal(core.StageWon), p.Terminal(core.StageLost)
	rng := rand.New(rand.NewPCG(1, 2))
	currencies := []string{"EUR", "EUR", "THB", "PLN"}
	for i := 0; i < n; {
		err := db.Update(ctx, func(tx core.Tx) error {
			for end := min(i+5000, n); i < end; i++ {
				rep := reps[rng.IntN(len(reps))]
				created := benchNow.Add(-time.Duration(rng.IntN(400*24)) * time.Hour)
				c := &core.Contact{Name: fmt.Sprintf("Contact %d", i), Emails: []string{fmt.Sprintf("c%d@corp%d.example", i, i%500)},
					Company: fmt.Sprintf("Company %d", i%5000), TeamID: rep.TeamID, Source: core.ChannelWebform, CreatedAt: created, UpdatedAt: created}
				if err := tx.CreateContact(ctx, c); err != nil {
					return err
				}
				l := &core.Lead{ContactID: c.ID, TeamID: rep.TeamID, OwnerID: rep.ID, Status: core.LeadQualified, SourceChannel: core.ChannelWebform,
					Subject: "Pricing", Score: rng.IntN(100), CreatedAt: created, ClaimedAt: created, FirstResponseAt: created.Add(time.Hour), LastActivityAt: created, UpdatedAt: created}
				if err := tx.CreateLead(ctx, l); err != nil {
					return err
				}
				steps := rng.IntN(len(open))
				d := &core.Deal{Title: c.Company, ContactID: c.ID, LeadID: l.ID, OwnerID: rep.ID, TeamID: rep.TeamID, PipelineID: p.ID,
					StageID: open[0].ID, Value: core.Money{Amount: int64(1000+rng.IntN(100000)) * 100, Currency: currencies[rng.IntN(len(currencies))]},
					ExpectedClose: created.AddDate(0, 0, 30+rng.IntN(120)).Truncate(24 * time.Hour), Probability: -1, Status: core.DealOpen,
					Source: core.ChannelWebform, CreatedAt: created, UpdatedAt: created, StageChangedAt: created, LastActivityAt: created}
				if err := tx.CreateDeal(ctx, d); err != nil {
					return err
				}
				hist := []core.StageChange{{DealID: d.ID, ToStage: open[0].ID, At: created, ByUserID: rep.ID}}
				at := created
				for s := 1; s <= steps; s++ {
					at = at.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
					hist = append(hist, core.StageChange{DealID: d.ID, FromStage: open[s-1].ID, ToStage: open[s].ID, At: at, ByUserID: rep.ID})
				}
				d.StageID, d.StageChangedAt, d.LastActivityAt = open[steps].ID, at, at
				switch r := rng.IntN(100); {
				case r < 15:
					at = at.Add(24 * time.Hour)
					hist = append(hist, core.StageChange{DealID: d.ID, FromStage: open[steps].ID, ToStage: won.ID, At: at, ByUserID: rep.ID})
					d.StageID, d.Status, d.ClosedAt = won.ID, core.DealWon, at
				case r < 30:
					at = at.Add(24 * time.Hour)
					hist = append(hist, core.StageChange{DealID: d.ID, FromStage: open[steps].ID, ToStage: lost.ID, At: at, ByUserID: rep.ID})
					d.StageID, d.Status, d.ClosedAt, d.LostReason = lost.ID, core.DealLost, at, "Price too high"
				case r < 37:
					due := benchNow.Add(time.Duration(rng.IntN(20*24)-10*24) * time.Hour)
					if err := tx.CreateTask(ctx, &core.Task{Title: "Call back", DueAt: due, OwnerID: rep.ID, DealID: d.ID, LeadID: l.ID, CreatedAt: created}); err != nil {
						return err
					}
				}
				if err := tx.UpdateDeal(ctx, d); err != nil {
					return err
				}
				for j := range hist {
					if err := tx.AddStageChange(ctx, &hist[j]); err != nil {
						return err
					}
				}
				l.DealID = d.ID
				if err := tx.UpdateLead(ctx, l); err != nil {
					return err
				}
				if i%50 == 0 {
					u := &core.Lead{ContactID: c.ID, TeamID: rep.TeamID, Status: core.LeadNew, SourceChannel: core.ChannelEmail,
						Subject: "Another question", Score: rng.IntN(100), CreatedAt: benchNow.Add(-time.Duration(rng.IntN(72)) * time.Hour)}
					u.LastActivityAt, u.UpdatedAt = u.CreatedAt, u.CreatedAt
					if err := tx.CreateLead(ctx, u); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"leadwire/core"
	"leadwire/storage"
)

// BenchCmd measures leadwire: `bench` (or `bench data`) on a seeded data
// set in this process, `bench forms` over HTTP against a server in another.
type BenchCmd struct {
	Data  BenchDataCmd  `cmd:"" default:"withargs" help:"Seed a large data set and measure capture, queries and stats (the default: leadwire bench --scale 0.02)."`
	Forms BenchFormsCmd `cmd:"" help:"Post web forms over HTTP to a running server (or one it starts) from this process and measure forms/s and latency against /healthz."`
}

// BenchDataCmd seeds a large pipeline in a fresh SQLite file and measures
// capture, the hot queries, and full stats and forecast.
type BenchDataCmd struct {
	Scale   float64 `help:"Fraction of the full data set (1,000,000 contacts and deals, 5,000,000 activities)." default:"1"`
	DB      string  `help:"SQLite file to seed (default: a new file in a temporary folder)." placeholder:"PATH"`
	Keep    bool    `help:"Keep the seeded file."`
	Queries int     `help:"Samples per query measurement." default:"2000"`
	Seed    uint64  `help:"Random seed." default:"1"`
	Measure bool    `help:"Only measure queries and reports on an existing --db seeded by an earlier run with --keep."`
	Capture bool    `help:"Only seed contacts and leads through capture and print its rate, against raw inserts."`
}

// benchSet is what the bench seeds at scale 1.
const (
	benchContacts   = 1_000_000
	benchActivities = 5_000_000
	benchTeams      = 5
	benchRepsPer    = 20
	benchBatch      = 1000
)

// Run seeds and measures, printing each figure.
func (c *BenchDataCmd) Run(a *App) error {
	if c.Scale <= 0 || c.Scale > 10 {
		return core.Errorf(core.KindInvalid, "--scale must be in (0, 10]; 1 is 1,000,000 contacts and deals")
	}
	path := c.DB
	if path == "" {
		dir, err := os.MkdirTemp("", "leadwire-bench-")
		if err != nil {
			return err
		}
		path = filepath.Join(dir, "bench.db")
		if !c.Keep {
			defer os.RemoveAll(dir)
		}
	} else if _, err := os.Stat(path); err == nil && !c.Measure {
		return core.Errorf(core.KindConflict, "%s exists; the bench seeds a new file, so give another --db path, or add --measure to measure it again", path)
	} else if err != nil && c.Measure {
		return core.Errorf(core.KindInvalid, "--measure needs an existing --db seeded with --keep: %v", err)
	}
	ctx := a.ctx
	db, err := storage.OpenAndMigrate(ctx, "sqlite:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	settings := core.DefaultSettings()
	settings.Rates = core.Rates{Base: "EUR", Rates: map[string]float64{"THB": 0.026, "PLN": 0.23, "USD": 0.92, "VND": 0.000036}}
	clock := &benchClock{now: time.Now().UTC().Add(-400 * 24 * time.Hour)}
	svc := core.NewService(db, clock, settings, nil)
	b := &bench{ctx: ctx, a: a, db: db, svc: svc, clock: clock, rng: rand.New(rand.NewPCG(c.Seed, 42))}
	n := int(benchContacts * c.Scale)
	fmt.Fprintf(a.out, "leadwire bench: %d contacts, %d deals, %d activities in %s\n", n, n, int(benchActivities*c.Scale), path)

	if err := b.directory(); err != nil {
		return err
	}
	if c.Measure {
		if err := b.loadLeads(); err != nil {
			return err
		}
		return b.measure(c.Queries)
	}
	rawRate, err := b.rawInserts(20000)
	if err != nil {
		return err
	}
	captureRate, err := b.capture(n)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "capture (core.CaptureBatch, dedupe + scoring, %d a commit): %.0f inbounds/s\n", benchBatch, captureRate)
	fmt.Fprintf(a.out, "raw single-row INSERT loop, one commit each, same file:   %.0f rows/s  (capture/raw = %.2f)\n", rawRate, captureRate/rawRate)
	if c.Capture {
		return nil
	}
	if err := b.deals(n); err != nil {
		return err
	}
	if err := b.activities(int(benchActivities*c.Scale) - n); err != nil {
		return err
	}
	return b.measure(c.Queries)
}

type benchClock struct{ now time.Time }

func (c *benchClock) Now() time.Time { return c.now }

type bench struct {
	ctx      context.Context
	a        *App
	db       *storage.DB
	svc      *core.Service
	clock    *benchClock
	rng      *rand.Rand
	reps     []core.User
	admin    *core.User
	managers []core.User // one a team, for the digest
	pipeline *core.Pipeline
	leads    []int64 // lead ids in capture order
	lastStep int
}

// progress prints a line each time another twentieth of a phase is done.
func (b *bench) progress(phase string, done, total int) {
	step := max(total/20, 1)
	if done == total || done/step != b.lastStep {
		b.lastStep = done / step
		fmt.Fprintf(b.a.errOut, "%s: %d/%d\n", phase, done, total)
	}
}

func (b *bench) directory() error {
	dir := core.OrgDef{Users: []core.UserDef{{Email: "admin@bench.test", Name: "Admin", Role: core.RoleAdmin}}}
	zones := []string{"Asia/Bangkok", "Europe/Warsaw", "Asia/Tehran", "Asia/Ho_Chi_Minh", "Asia/Shanghai"}
	regions := []string{"TH", "PL", "IR", "VN", "CN"}
	for t := range benchTeams {
		name := fmt.Sprintf("team-%d", t+1)
		dir.Teams = append(dir.Teams, core.TeamDef{Name: name, Region: regions[t], Manager: fmt.Sprintf("mgr%d@bench.test", t+1)})
		dir.Users = append(dir.Users, core.UserDef{Email: fmt.Sprintf("mgr%d@bench.test", t+1), Role: core.RoleManager, Team: name, TimeZone: zones[t]})
		for r := range benchRepsPer {
			dir.Users = append(dir.Users, core.UserDef{Email: fmt.Sprintf("rep%d.%d@bench.test", t+1, r+1), Team: name, TimeZone: zones[t]})
		}
	}
	dir.Pipelines = []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
		{Name: "Prospecting", Probability: 10, RotDays: 7}, {Name: "Qualified", Probability: 25, RotDays: 10},
		{Name: "Meeting", Probability: 40, RotDays: 10}, {Name: "Proposal", Probability: 60, RotDays: 14},
		{Name: "Negotiation", Probability: 80, RotDays: 14}}}}
	if err := b.svc.Directory.Sync(b.ctx, dir); err != nil {
		return err
	}
	users, err := b.db.ListUsers(b.ctx, core.UserFilter{})
	if err != nil {
		return err
	}
	for i := range users {
		switch users[i].Role {
		case core.RoleAdmin:
			b.admin = &users[i]
		case core.RoleManager:
			b.managers = append(b.managers, users[i])
		default:
			b.reps = append(b.reps, users[i])
		}
	}
	b.pipeline, err = b.db.DefaultPipeline(b.ctx)
	return err
}

// loadLeads reads back the lead ids of an earlier run, for the queries.
func (b *bench) loadLeads() error {
	var n int
	if err := b.db.SQL().QueryRowContext(b.ctx, `SELECT COUNT(*) FROM leads`).Scan(&n); err != nil {
		return fmt.Errorf("count leads: %w", err)
	}
	b.leads = make([]int64, n)
	for i := range b.leads {
		b.leads[i] = int64(i + 1)
	}
	return nil
}

// rawInserts is the yardstick: single-row inserts, each its own commit, on
// the same file and settings.
func (b *bench) rawInserts(n int) (float64, error) {
	sqlDB := b.db.SQL()
	if _, err := sqlDB.ExecContext(b.ctx, `CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, email TEXT NOT NULL, score INTEGER NOT NULL)`); err != nil {
		return 0, fmt.Errorf("raw inserts: %w", err)
	}
	start := time.Now()
	for i := range n {
		if _, err := sqlDB.ExecContext(b.ctx, `INSERT INTO bench_raw (email, score) VALUES (?, ?)`, fmt.Sprintf("raw%d@example.com", i), i%100); err != nil {
			return 0, fmt.Errorf("raw inserts: %w", err)
		}
	}
	rate := float64(n) / time.Since(start).Seconds()
	_, err := sqlDB.ExecContext(b.ctx, `DROP TABLE bench_raw`)
	return rate, err
}

var (
	benchFirst = []string{"Somchai", "Niran", "Pim", "Anong", "Minh", "Lan", "Huong", "Tuan", "Katarzyna", "Piotr", "Zofia", "Łukasz",
		"Dariush", "Maryam", "Reza", "Wei", "Fang", "Jun", "Anna", "James", "Sara", "Ömer", "สมชาย", "นิรันดร์", "Nguyễn", "Мария", "王芳", "رضا"}
	benchLast = []string{"Prasert", "Srisuk", "Wongsa", "Nguyen", "Tran", "Le", "Pham", "Nowak", "Kowalski", "Wiśniewski", "Lewandowska",
		"Karimi", "Ahmadi", "Hosseini", "Li", "Wang", "Zhang", "Chen", "Smith", "Müller", "Yılmaz", "ประเสริฐ", "Trần", "Иванова", "李", "احمدی"}
	benchCompanies = []string{"Siam Logistics", "VinaCorp", "Polimex", "Parsian Trading", "Shenzhen Parts", "Acme", "Globex", "Initech", "Umbrella", "Hooli"}
	benchChannels  = []string{core.ChannelEmail, core.ChannelWebform, core.ChannelWebhook, core.ChannelTelegram, core.ChannelSlack}
	benchCurrency  = []string{"EUR", "THB", "PLN", "USD", "VND"}
)

func (b *bench) inbound(i int) core.Inbound {
	first, last := benchFirst[b.rng.IntN(len(benchFirst))], benchLast[b.rng.IntN(len(benchLast))]
	company := benchCompanies[b.rng.IntN(len(benchCompanies))]
	return core.Inbound{
		Channel: benchChannels[i%len(benchChannels)], Source: "bench", ExternalID: fmt.Sprintf("bench-%d", i),
		Name: first + " " + last, Email: fmt.Sprintf("c%d@%s.example", i, []string{"corp", "gmail", "firma", "shop"}[i%4]),
		Phone: fmt.Sprintf("+4860%07d", i), Company: company + fmt.Sprintf(" %d", i%5000),
		Subject: "Request for pricing", Text: "Hello, we would like a quote and a demo.",
		Team:       fmt.Sprintf("team-%d", i%benchTeams+1),
		ReceivedAt: b.clock.now.Add(time.Duration(i) * 20 * time.Second),
	}
}

func (b *bench) capture(n int) (float64, error) {
	b.leads = make([]int64, 0, n)
	batch := make([]core.Inbound, 0, benchBatch)
	var elapsed time.Duration
	for i := 0; i < n; {
		batch = batch[:0]
		for ; i < n && len(batch) < benchBatch; i++ {
			batch = append(batch, b.inbound(i))
		}
		start := time.Now()
		res, errs := b.svc.CaptureBatch(b.ctx, batch)
		elapsed += time.Since(start)
		for j, err := range errs {
			if err != nil {
				return 0, fmt.Errorf("capture %s: %w", batch[j].ExternalID, err)
			}
			b.leads = append(b.leads, res[j].LeadID)
		}
		b.progress("capture", i, n)
	}
	return float64(n) / elapsed.Seconds(), nil
}

// deals qualifies every lead into a deal, spread over stages and statuses,
// with a stage history row for every step.
func (b *bench) deals(n int) error {
	open := b.pipeline.OpenStages()
	won, lost := b.pipeline.Terminal(core.StageWon), b.pipeline.Terminal(core.StageLost)
	start := time.Now()
	for i := 0; i < n; {
		err := b.db.Update(b.ctx, func(tx core.Tx) error {
			for end := min(i+5000, n); i < end; i++ {
				l, err := tx.LeadByID(b.ctx, b.leads[i])
				if err != nil {
					return err
				}
				rep := b.reps[int(l.TeamID-1)*benchRepsPer+b.rng.IntN(benchRepsPer)]
				created := l.CreatedAt.Add(time.Hour)
				cur := benchCurrency[b.rng.IntN(len(benchCurrency))]
				amount := int64(1000+b.rng.IntN(100000)) * 100
				if cur == "VND" {
					amount *= 250
				}
				d := &core.Deal{Title: fmt.Sprintf("Deal %d", i), ContactID: l.ContactID, LeadID: l.ID, OwnerID: rep.ID, TeamID: l.TeamID,
					PipelineID: b.pipeline.ID, StageID: open[0].ID, Value: core.Money{Amount: amount, Currency: cur},
					ExpectedClose: created.AddDate(0, 0, 30+b.rng.IntN(120)).Truncate(24 * time.Hour), Probability: -1,
					Status: core.DealOpen, Source: l.SourceChannel, CreatedAt: created, UpdatedAt: created, StageChangedAt: created, LastActivityAt: created}
				if err := tx.CreateDeal(b.ctx, d); err != nil {
					return err
				}
				at := created
				hist := []core.StageChange{{DealID: d.ID, ToStage: open[0].ID, At: at, ByUserID: rep.ID}}
				steps := b.rng.IntN(len(open))
				for s := 1; s <= steps; s++ {
					at = at.Add(time.Duration(1+b.rng.IntN(10*24)) * time.Hour)
					hist = append(hist, core.StageChange{DealID: d.ID, FromStage: open[s-1].ID, ToStage: open[s].ID, At: at, ByUserID: rep.ID})
				}
				d.StageID, d.StageChangedAt, d.LastActivityAt = open[steps].ID, at, at
				switch r := b.rng.IntN(100); {
				case r < 15:
					at = at.Add(48 * time.Hour)
					hist = append(hist, core.StageChange{DealID: d.ID, FromStage: open[steps].ID, ToStage: won.ID, At: at, ByUserID: rep.ID})
					d.StageID, d.Status, d.ClosedAt = won.ID, core.DealWon, at
				case r < 30:
					at = at.Add(48 * time.Hour)
					hist = append(hist, core.StageChange{DealID: d.ID, FromStage: open[steps].ID, ToStage: lost.ID, At: at, ByUserID: rep.ID})
					d.StageID, d.Status, d.ClosedAt, d.LostReason = lost.ID, core.DealLost, at, "Price too high"
				}
				d.UpdatedAt = at
				if err := tx.UpdateDeal(b.ctx, d); err != nil {
					return err
				}
				for j := range hist {
					if err := tx.AddStageChange(b.ctx, &hist[j]); err != nil {
						return err
					}
				}
				l.Status, l.DealID, l.OwnerID, l.ClaimedAt, l.FirstResponseAt = core.LeadQualified, d.ID, rep.ID, created, l.CreatedAt.Add(time.Duration(1+b.rng.IntN(120))*time.Minute)
				if err := tx.UpdateLead(b.ctx, l); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("seed deals: %w", err)
		}
		b.progress("deals", i, n)
	}
	fmt.Fprintf(b.a.out, "seeded %d deals with stage history in %s\n", n, time.Since(start).Round(time.Second))
	return nil
}

func (b *bench) activities(n int) error {
	start := time.Now()
	for i := 0; i < n; {
		err := b.db.Update(b.ctx, func(tx core.Tx) error {
			for end := min(i+10000, n); i < end; i++ {
				k := b.rng.IntN(len(b.leads))
				act := &core.Activity{Kind: core.ActivityNote, ContactID: int64(k + 1), LeadID: b.leads[k], DealID: int64(k + 1),
					Body: "Called, left a message.", At: b.clock.now.Add(time.Duration(i) * time.Second)}
				if err := tx.AddActivity(b.ctx, act); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("seed activities: %w", err)
		}
		b.progress("activities", i, n)
	}
	fmt.Fprintf(b.a.out, "seeded %d more activities in %s\n", n, time.Since(start).Round(time.Second))
	return nil
}

// measure times the hot queries and the full reports.
func (b *bench) measure(samples int) error {
	b.clock.now = time.Now().UTC()
	myDeals, err := b.latencies(samples, func() error {
		rep := &b.reps[b.rng.IntN(len(b.reps))]
		_, err := b.svc.Deals(b.ctx, rep, core.DealFilter{Statuses: []core.DealStatus{core.DealOpen}, Limit: 50})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(b.a.out, "my open deals (50 newest):  p50 %s  p99 %s\n", myDeals[0], myDeals[1])
	search, err := b.latencies(samples, func() error {
		rep := &b.reps[b.rng.IntN(len(b.reps))]
		q := []string{benchLast[b.rng.IntN(len(benchLast))], benchFirst[b.rng.IntN(len(benchFirst))][:3], fmt.Sprintf("c%d@", b.rng.IntN(len(b.leads))), benchCompanies[b.rng.IntN(len(benchCompanies))]}[b.rng.IntN(4)]
		_, err := b.svc.Search(b.ctx, rep, q, 20)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(b.a.out, "search (20 hits):           p50 %s  p99 %s\n", search[0], search[1])
	if err := b.measureAPI(samples); err != nil {
		return err
	}
	start := time.Now()
	m, err := b.svc.Reports.Metrics(b.ctx, b.admin, core.StatsFilter{})
	if err != nil {
		return err
	}
	fmt.Fprintf(b.a.out, "full stats over all deals:  %s  (%d open, %d won, %d lost, win rate %.1f%%)\n", time.Since(start).Round(time.Millisecond), m.Open, m.Won, m.Lost, 100*m.WinRate)
	start = time.Now()
	fc, err := b.svc.Reports.Forecast(b.ctx, b.admin, core.StatsFilter{}, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(b.a.out, "forecast over all deals:    %s  (%d close months, weighted this month %s)\n", time.Since(start).Round(time.Millisecond), len(fc.Months), fc.Weighted)
	// Why deals were lost, over every team, in the month most of the
	// seeded deals closed, against the month before.
	mid, err := b.db.LeadByID(b.ctx, b.leads[len(b.leads)/2])
	if err != nil {
		return err
	}
	from := time.Date(mid.CreatedAt.Year(), mid.CreatedAt.Month(), 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	start = time.Now()
	l, err := b.svc.Reports.Losses(b.ctx, b.admin, core.StatsFilter{}, from, to, core.PrevPeriod(from, to, time.UTC))
	if err != nil {
		return err
	}
	fmt.Fprintf(b.a.out, "lost analysis of %s:   %s  (%d lost, %d before; %d reasons, %d stages, %d reps)\n", from.Format("2006-01"), time.Since(start).Round(time.Millisecond),
		l.Lost.Count, l.Lost.PrevCount, len(l.ByReason), len(l.ByStage), len(l.ByRep))
	return b.measureDigest()
}

// measureDigest times a team manager's digest: of yesterday, of a busy
// day in the seeded history (leads), of a day deals closed, and of a
// busy week (the Monday summary).
func (b *bench) measureDigest() error {
	mgr := b.managers[0]
	var deals int
	if err := b.db.SQL().QueryRowContext(b.ctx, `SELECT COUNT(*) FROM deals WHERE team_id = ?`, mgr.TeamID).Scan(&deals); err != nil {
		return fmt.Errorf("count team deals: %w", err)
	}
	mid, err := b.db.LeadByID(b.ctx, b.leads[len(b.leads)/2])
	if err != nil {
		return err
	}
	loc := mgr.Location()
	busy := mid.CreatedAt.In(loc)
	sunday := busy.AddDate(0, 0, (7-int(busy.Weekday()))%7) // the week that holds it
	days := []struct{ name, day string }{
		{"yesterday", b.clock.now.In(loc).AddDate(0, 0, -1).Format(time.DateOnly)},
		{"a busy day", busy.Format(time.DateOnly)},
		{"a closing day", busy.AddDate(0, 0, 20).Format(time.DateOnly)},
		{"a busy week", sunday.Format(time.DateOnly)},
		{"a busy month (the monthly report)", busy.Format("2006-01")},
	}
	settings := b.svc.Settings()
	settings.Digest.Weekly = true
	svc := core.NewService(b.db, b.clock, settings, nil)
	for _, d := range days {
		var runs []time.Duration
		var dg *core.Digest
		for range 3 {
			start := time.Now()
			if dg, err = svc.Reports.BuildDigest(b.ctx, mgr.ID, d.day); err != nil {
				return err
			}
			runs = append(runs, time.Since(start))
		}
		fmt.Fprintf(b.a.out, "digest of %s, team of %d deals, %s (%s): first %s, then %s, %s  (%d new leads, %d won, %d lost, %d rotting)\n",
			mgr.Email, deals, d.name, d.day, runs[0].Round(time.Millisecond), runs[1].Round(time.Millisecond), runs[2].Round(time.Millisecond),
			dg.NewLeads, dg.Won, dg.Lost, len(dg.Rotting))
	}
	return nil
}

// latencies runs fn samples times and returns p50 and p99.
func (b *bench) latencies(samples int, fn func() error) ([2]time.Duration, error) {
	ds := make([]time.Duration, samples)
	for i := range ds {
		start := time.Now()
		if err := fn(); err != nil {
			return [2]time.Duration{}, err
		}
		ds[i] = time.Since(start)
	}
	slices.Sort(ds)
	return [2]time.Duration{ds[samples/2].Round(time.Microsecond), ds[samples*99/100].Round(time.Microsecond)}, nil
}

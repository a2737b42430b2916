package storage

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"leadwire/core"
)

// The benchmarks run on a seeded SQLite file. LEADWIRE_BENCH_N sets how
// many contacts, leads and deals it holds (default 10000; about three
// stage changes and one task per deal); LEADWIRE_BENCH_DB names a file to
// keep the seeded database in and reuse on the next run with the same N.
//
//	LEADWIRE_BENCH_N=1000000 LEADWIRE_BENCH_DB=/tmp/bench-1m.db go test -run '^$' -bench . ./storage
func benchDB(b *testing.B) (*DB, int, []int64) {
	b.Helper()
	n := 10000
	if s := os.Getenv("LEADWIRE_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 100 {
			b.Fatalf("LEADWIRE_BENCH_N=%q: want a number ≥ 100", s)
		}
	}
	path := os.Getenv("LEADWIRE_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	ctx := context.Background()
	db, err := OpenAndMigrate(ctx, "sqlite:"+path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	var have int
	if err := db.read.GetContext(ctx, &have, `SELECT COUNT(*) FROM contacts`); err != nil {
		b.Fatal(err)
	}
	if have != 0 && have != n {
		b.Fatalf("%s holds %d contacts, not %d: remove it", path, have, n)
	}
	if have == 0 {
		start := time.Now()
		if err := seed(ctx, db, n); err != nil {
			b.Fatalf("seed: %v", err)
		}
		b.Logf("seeded %d contacts, leads and deals in %v", n, time.Since(start).Round(time.Millisecond))
	}
	var owners []int64
	if err := db.read.SelectContext(ctx, &owners, `SELECT id FROM users ORDER BY id`); err != nil {
		b.Fatal(err)
	}
	return db, n, owners
}

var (
	benchFirst = []string{"Anna", "Piotr", "Somchai", "Malee", "Mehdi", "Sara", "Wei", "Li", "John", "Maria",
		"Łukasz", "Zofia", "สมศักดิ์", "มาลี", "مهدی", "زهرا", "小明", "丽丽", "Nguyen", "Kofi"}
	benchLast = []string{"Kowalski", "Nowak", "Wiśniewski", "Jaidee", "Srisuk", "Rezaei", "Ahmadi", "Wang",
		"Zhang", "Smith", "Garcia", "Müller", "ใจดี", "ศรีสุข", "رضایی", "احمدی", "王", "张", "Tran", "Mensah"}
	benchWords = []string{"Acme", "Global", "Siam", "Pars", "Vistula", "Dragon", "Nordic", "Trade", "Systems",
		"Logistics", "Foods", "Tech", "Capital", "Energy", "Media", "บริษัท", "شرکت", "贸易", "Solutions", "Labs"}
)

// seed fills the database in a few big transactions through prepared
// statements, writing the same rows (and search terms) as the Tx methods.
func seed(ctx context.Context, db *DB, n int) error {
	rng := rand.New(rand.NewPCG(1, 2))
	var teams, users []int64
	var pipeline core.Pipeline
	err := db.Update(ctx, func(tx core.Tx) error {
		for i := range 10 {
			t := core.Team{Name: fmt.Sprintf("Team %d", i)}
			if err := tx.CreateTeam(ctx, &t); err != nil {
				return err
			}
			teams = append(teams, t.ID)
		}
		for i := range 200 {
			u := core.User{Email: fmt.Sprintf("rep%d@bench.test", i), Role: core.RoleRep, TeamID: teams[i%10], Active: true}
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			users = append(users, u.ID)
		}
		pipeline = core.Pipeline{Name: "Sales", IsDefault: true, Stages: []core.Stage{
			{Name: "Qualified", Probability: 10, RotDays: 14, Kind: core.StageOpen},
			{Name: "Proposal", Probability: 50, RotDays: 7, Kind: core.StageOpen},
			{Name: "Negotiation", Probability: 80, RotDays: 7, Kind: core.StageOpen},
			{Name: "Won", Probability: 100, Kind: core.StageWon},
			{Name: "Lost", Kind: core.StageLost},
		}}
		return tx.SavePipeline(ctx, &pipeline)
	})
	if err != nil {
		return err
	}
	st := pipeline.Stages
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	micros := func(t time.Time) int64 { return t.UnixMicro() }

	const chunk = 50000
	for lo := 0; lo < n; lo += chunk {
		tx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		prep := func(q string) *sql.Stmt {
			s, perr := tx.PrepareContext(ctx, q)
			if perr != nil && err == nil {
				err = perr
			}
			return s
		}
		contact := prep(`INSERT INTO contacts (id, name, company, domain, source, team_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		ident := prep(`INSERT INTO contact_identities (kind, value, contact_id) VALUES (?, ?, ?)`)
		term := prep(`INSERT OR IGNORE INTO search_terms (term, contact_id, team_id) VALUES (?, ?, ?)`)
		lead := prep(`INSERT INTO leads (id, contact_id, team_id, owner_id, status, source_channel, score, created_at,
			first_response_at, updated_at, response_s, deal_id, deal_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		deal := prep(`INSERT INTO deals (id, title, contact_id, lead_id, owner_id, team_id, pipeline_id, stage_id, amount,
			currency, expected_close, status, source, created_at, updated_at, stage_changed_at, closed_at, last_activity_at, cycle_s)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		change := prep(`INSERT INTO stage_changes (deal_id, from_stage, to_stage, at, first_entry, stay_s, deal_created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`)
		task := prep(`INSERT INTO tasks (title, due_at, owner_id, deal_id, done, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			tx.Rollback()
			return err
		}
		exec := func(s *sql.Stmt, args ...any) {
			if err == nil {
				_, err = s.ExecContext(ctx, args...)
			}
		}
		for i := lo; i < min(lo+chunk, n); i++ {
			id := int64(i + 1)
			owner := users[rng.IntN(len(users))]
			team := teams[(owner-users[0])%10]
			created := now.Add(-time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
			c := core.Contact{ID: id,
				Name:    benchFirst[rng.IntN(len(benchFirst))] + " " + benchLast[rng.IntN(len(benchLast))],
				Company: benchWords[rng.IntN(len(benchWords))] + " " + benchWords[rng.IntN(len(benchWords))],
				Emails:  []string{fmt.Sprintf("c%d@d%d.test", i, rng.IntN(5000))},
				Phones:  []string{fmt.Sprintf("+48%09d", i)},
			}
			exec(contact, id, c.Name, c.Company, "", core.ChannelEmail, team, micros(created), micros(created))
			exec(ident, core.IdentityEmail, c.Emails[0], id)
			exec(ident, core.IdentityPhone, c.Phones[0], id)
			for _, t := range contactTerms(&c) {
				exec(term, t, id, team)
			}

			status := []core.DealStatus{core.DealOpen, core.DealOpen, core.DealOpen, core.DealWon, core.DealWon,
				core.DealWon, core.DealWon, core.DealLost, core.DealLost, core.DealLost}[rng.IntN(10)]
			resp := time.Duration(rng.Int64N(int64(2 * time.Hour)))
			exec(lead, id, id, team, owner, string(core.LeadQualified), []string{"email", "webform", "telegram"}[rng.IntN(3)],
				rng.IntN(100), micros(created), micros(created.Add(resp)), micros(created), resp.Seconds(), nil, string(status))

			// Every deal enters Qualified and Proposal; open ones may move
			// on to Negotiation, closed ones end in Won or Lost.
			t1 := created.Add(time.Duration(rng.Int64N(int64(10 * 24 * time.Hour))))
			t2 := t1.Add(time.Duration(rng.Int64N(int64(20 * 24 * time.Hour))))
			stage, closed, cycle := st[1].ID, any(nil), any(nil)
			switch {
			case status == core.DealWon:
				stage, closed, cycle = st[3].ID, micros(t2), t2.Sub(created).Seconds()
			case status == core.DealLost:
				stage, closed, cycle = st[4].ID, micros(t2), t2.Sub(created).Seconds()
			case rng.IntN(2) == 0:
				stage = st[2].ID
			}
			exec(deal, id, "Deal "+c.Name, id, id, owner, team, pipeline.ID, stage, rng.Int64N(10_000_000),
				[]string{"EUR", "USD", "THB"}[rng.IntN(3)], micros(now.AddDate(0, rng.IntN(6), 0)), string(status),
				core.ChannelEmail, micros(created), micros(t2), micros(t2), closed, micros(t2), cycle)
			exec(change, id, nil, st[0].ID, micros(created), 1, nil, micros(created))
			exec(change, id, st[0].ID, st[1].ID, micros(t1), 1, t1.Sub(created).Seconds(), micros(created))
			if stage != st[1].ID {
				exec(change, id, st[1].ID, stage, micros(t2), 1, t2.Sub(t1).Seconds(), micros(created))
			}
			if status == core.DealOpen {
				exec(task, "follow up", micros(t2.Add(48*time.Hour)), owner, id, false, micros(t2))
			}
		}
		if err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	// The rows went in by hand: derive what AddStageChange keeps, as the
	// migrations that introduced it do.
	for _, q := range []string{
		`UPDATE deals SET furthest_position = COALESCE((SELECT MAX(s.position) FROM stage_changes sc
			JOIN stages s ON s.id = sc.to_stage WHERE sc.deal_id = deals.id AND s.kind <> 'lost'), 0)`,
		`DELETE FROM stage_move_totals`,
		`INSERT INTO stage_move_totals (from_stage, to_stage, n, entered, stay_s)
			SELECT COALESCE(from_stage, 0), to_stage, COUNT(*), SUM(first_entry), COALESCE(SUM(stay_s), 0)
			FROM stage_changes GROUP BY COALESCE(from_stage, 0), to_stage`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	_, err = db.write.ExecContext(ctx, `ANALYZE`)
	return err
}

// measure runs op b.N times and reports the 50th and 99th percentile.
func measure(b *testing.B, op func(i int) error) {
	b.Helper()
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := op(i); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	pct := func(p float64) float64 { return float64(took[int(float64(len(took)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkListMyOpenDeals is a rep's "my open deals", fifty at a time.
func BenchmarkListMyOpenDeals(b *testing.B) {
	db, _, owners := benchDB(b)
	ctx := context.Background()
	measure(b, func(i int) error {
		ds, err := db.ListDeals(ctx, core.DealFilter{OwnerID: owners[i%len(owners)],
			Statuses: []core.DealStatus{core.DealOpen}, Limit: 50})
		if err == nil && len(ds) == 0 {
			err = fmt.Errorf("no open deals")
		}
		return err
	})
}

// BenchmarkSearch searches names, companies, emails and phone numbers by
// prefix, one and two words, with and without a team.
func BenchmarkSearch(b *testing.B) {
	db, n, _ := benchDB(b)
	ctx := context.Background()
	queries := []string{"anna", "kow", "ann now", "สมศ", "مهد", "小明", "acme trade", "wi", "z",
		"+48 000 001", "c12@", "d42.test", "siam", "piotr zhang"}
	measure(b, func(i int) error {
		q := queries[i%len(queries)]
		if i%len(queries) == 0 {
			q = fmt.Sprintf("c%d@", i%n)
		}
		team := int64(i % 3)
		_, err := db.Search(ctx, core.SearchFilter{Query: q, Everyone: team == 0, TeamID: team, Limit: 20})
		return err
	})
}

// BenchmarkStats is the manager digest's aggregates over everything.
func BenchmarkStats(b *testing.B) {
	db, _, _ := benchDB(b)
	ctx := context.Background()
	measure(b, func(int) error {
		_, err := db.Stats(ctx, core.StatsFilter{})
		return err
	})
}

// BenchmarkRottingDeals lists the fifty most rotten deals.
func BenchmarkRottingDeals(b *testing.B) {
	db, _, _ := benchDB(b)
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	measure(b, func(int) error {
		_, err := db.RottingDeals(ctx, core.StatsFilter{}, now, 50)
		return err
	})
}

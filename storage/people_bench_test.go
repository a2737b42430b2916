package storage

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/testenv"
)

// BenchmarkDuplicates lists every likely duplicate among the seeded
// contacts as an admin, reading them all (no early stop at a limit).
//
//	LEADWIRE_BENCH_N=1000000 LEADWIRE_BENCH_DB=/tmp/bench-1m.db go test -run '^$' -bench Duplicates -benchtime 1x ./storage
func BenchmarkDuplicates(b *testing.B) {
	db, n, _ := benchDB(b)
	svc := core.NewService(db, nil, core.DefaultSettings(), nil)
	admin := &core.User{ID: 1, Role: core.RoleAdmin}
	ctx := context.Background()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		dups, err := svc.Duplicates(ctx, admin, 1<<30)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(dups)), "pairs")
	}
	// On a shared machine the wall time says more about the neighbours
	// than about the listing: the CPU time it took is reported too.
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(n), "contacts")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkErase10kActivities erases a person with 10,000 activities on a
// lead on a SQLite file, or with LEADWIRE_BENCH_POSTGRES=1 on a new
// database of the PostgreSQL that LEADWIRE_TEST_POSTGRES names.
//
//	go test -run '^$' -bench Erase10k -benchtime 5x ./storage
//	LEADWIRE_BENCH_POSTGRES=1 scripts/test.sh -run '^$' -bench Erase10k -benchtime 5x ./storage
func BenchmarkErase10kActivities(b *testing.B) {
	ctx := context.Background()
	dsn := "sqlite:" + b.TempDir() + "/erase.db"
	if os.Getenv("LEADWIRE_BENCH_POSTGRES") == "1" {
		dsn = testenv.Postgres(b)
	}
	db, err := OpenAndMigrate(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := core.NewService(db, nil, core.DefaultSettings(), nil)
	admin := &core.User{Email: "admin@bench.test", Role: core.RoleAdmin, Active: true}
	if err := db.Update(ctx, func(tx core.Tx) error { return tx.CreateUser(ctx, admin) }); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	var spent, server time.Duration
	defer func() {
		b.ReportMetric(spent.Seconds()/float64(b.N), "cpu-s/op")
		if db.d == postgres {
			b.ReportMetric(server.Seconds()/float64(b.N), "pg-cpu-s/op")
		}
	}()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		email := fmt.Sprintf("person%d@bench.test", i)
		err := db.Update(ctx, func(tx core.Tx) error {
			c := core.Contact{Name: "Łucja Bench", Emails: []string{email}, Phones: []string{fmt.Sprintf("+4860000%04d", i)}, CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateContact(ctx, &c); err != nil {
				return err
			}
			l := core.Lead{ContactID: c.ID, Status: core.LeadNew, Subject: "Hello from Łucja", CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateLead(ctx, &l); err != nil {
				return err
			}
			for j := range 10000 {
				a := core.Activity{Kind: core.ActivityEmailIn, ContactID: c.ID, LeadID: l.ID, Subject: "Re: offer",
					Body: fmt.Sprintf("Łucja Bench <%s> wrote message %d", email, j), At: now.Add(time.Duration(j) * time.Second)}
				if err := tx.AddActivity(ctx, &a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu, pg := cpuTime(), serverCPU(b, db)
		rep, err := svc.Erase(ctx, admin, email, "benchmark")
		spent += cpuTime() - cpu
		server += serverCPU(b, db) - pg
		if err != nil {
			b.Fatal(err)
		}
		if rep.Counts["activities"] != 10000 {
			b.Fatalf("erased %v", rep.Counts)
		}
	}
}

// serverCPU is the CPU time the PostgreSQL server's processes have used,
// read from /proc (the test server runs on this machine); 0 on SQLite,
// whose work is in this process.
func serverCPU(b *testing.B, db *DB) time.Duration {
	if db.d != postgres {
		return 0
	}
	var pids []int
	if err := db.read.SelectContext(context.Background(), &pids, `SELECT pid FROM pg_stat_activity`); err != nil {
		b.Fatal(err)
	}
	var ticks int64
	for _, pid := range pids {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue // ended, or not on this machine
		}
		// Fields after the command name, which may hold spaces: utime
		// and stime are the 12th and 13th.
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(f) > 12 {
			u, _ := strconv.ParseInt(f[11], 10, 64)
			s, _ := strconv.ParseInt(f[12], 10, 64)
			ticks += u + s
		}
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ
}

package storage

import (
	"context"
	"testing"

	"leadwire/core"
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
	for b.Loop() {
		dups, err := svc.Duplicates(ctx, admin, 1<<30)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(dups)), "pairs")
	}
	b.ReportMetric(float64(n), "contacts")
}

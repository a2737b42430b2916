package storage

import (
	"context"
	"testing"
	"time"

	"leadwire/core"
)

// BenchmarkSweepRotting runs core's rotting sweep over the seeded data
// set, where most open deals rot. The first sweep notices every rotting
// deal (no chat channels are configured, so it writes the notice marks
// only); each sweep after it, as River runs one every few minutes, finds
// nothing new to tell and is what a replica pays in steady state.
func BenchmarkSweepRotting(b *testing.B) {
	db, n, _ := benchDB(b)
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.write.ExecContext(ctx, `DELETE FROM rot_notices`); err != nil {
		b.Fatal(err)
	}
	svc := core.NewService(db, nil, core.DefaultSettings(), nil)
	start := time.Now()
	noticed, err := svc.SweepRotting(ctx, now)
	if err != nil {
		b.Fatal(err)
	}
	first := time.Since(start)
	b.ReportMetric(first.Seconds(), "first-s")
	b.ReportMetric(float64(noticed), "first-noticed")
	b.Logf("first sweep over %d deals noticed %d rotting deals in %v", n, noticed, first.Round(time.Millisecond))
	measure(b, func(int) error {
		n, err := svc.SweepRotting(ctx, now)
		if err == nil && n != 0 {
			b.Fatalf("a repeat sweep noticed %d deals", n)
		}
		return err
	})
}

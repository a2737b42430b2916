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
	b.Run("marks", func(b *testing.B) { benchSweepRotting(b, false) })
	// Every owner has linked Slack: the first sweep also enqueues a
	// notice job per rotting deal.
	b.Run("slack", func(b *testing.B) { benchSweepRotting(b, true) })
}

func benchSweepRotting(b *testing.B, slack bool) {
	db, n, _ := benchDB(b)
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	settings := core.DefaultSettings()
	reset := []string{`DELETE FROM rot_notices`, `DELETE FROM river_job WHERE kind = 'notify'`, `UPDATE users SET slack_id = NULL`}
	if slack {
		settings.Channels = []string{core.ChannelSlack}
		reset[2] = `UPDATE users SET slack_id = 'U' || id`
	}
	for _, q := range reset {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	svc := core.NewService(db, nil, settings, nil)
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

package core_test

import (
	"context"
	"fmt"
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// BenchmarkCaptureBatch measures capture through core with dedupe and
// scoring, 1,000 inbounds a commit, on SQLite and on PostgreSQL (when one
// is configured, see scripts/test.sh); it reports inbounds/s.
func BenchmarkCaptureBatch(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchCaptureBatch(b, storagetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchCaptureBatch(b, storagetest.Postgres(b)) })
}

func benchCaptureBatch(b *testing.B, db *storage.DB) {
	ctx := context.Background()
	svc := core.NewService(db, nil, core.DefaultSettings(), nil)
	if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: []core.TeamDef{{Name: "Warsaw", Region: "PL"}}}); err != nil {
		b.Fatal(err)
	}
	const batch = 1000
	ins := make([]core.Inbound, batch)
	b.ResetTimer()
	for i := 0; i < b.N; i += batch {
		for j := range ins {
			k := i + j
			ins[j] = core.Inbound{Channel: core.ChannelWebform, Source: "bench", ExternalID: fmt.Sprint(k),
				Name: "Zofia Łukasiewicz", Email: fmt.Sprintf("c%d@firma.pl", k), Phone: fmt.Sprintf("+4860%07d", k),
				Company: "Polimex", Subject: "Oferta", Text: "Proszę o wycenę."}
		}
		_, errs := svc.CaptureBatch(ctx, ins)
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inbounds/s")
}

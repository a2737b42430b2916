package bot_test

import (
	"testing"
	"time"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/internal/typeset"
)

// chartDigest is a digest with everything the charts draw: a forecast
// and two pipelines' funnels, one with Thai stage names.
func chartDigest() core.Digest {
	eur := func(n int64) core.Money { return core.Money{Amount: n, Currency: "EUR"} }
	return core.Digest{Day: "2026-11-12", TimeZone: "Asia/Bangkok", FunnelFrom: time.Date(2026, 8, 14, 17, 0, 0, 0, time.UTC),
		Forecast: &core.Forecast{Month: "2026-11", Currency: "EUR", Won: eur(1200000), Weighted: eur(800000), Target: eur(3000000)},
		Funnels: []core.PipelineFunnel{
			{Pipeline: "Sales", Stages: []core.StageMetric{{Stage: "New", Reached: 10}, {Stage: "Qualified", Reached: 7},
				{Stage: "Proposal", Reached: 4}, {Stage: "Won", Kind: core.StageWon, Reached: 2}, {Stage: "Lost", Kind: core.StageLost, Reached: 3}}},
			{Pipeline: "ขายต่ออายุ", Stages: []core.StageMetric{{Stage: "ติดต่อแล้ว", Reached: 12}, {Stage: "ที่ปรึกษา 2 ครั้ง", Reached: 9},
				{Stage: "เสนอราคา", Reached: 5}, {Stage: "ปิดการขาย", Kind: core.StageWon, Reached: 3}}},
		}}
}

// BenchmarkDigestCharts draws a digest's chart set: the forecast and two
// funnels, as PNG.
func BenchmarkDigestCharts(b *testing.B) {
	d := chartDigest()
	if _, err := bot.DigestCharts(&d); err != nil { // loads the fonts
		b.Fatal(err)
	}
	for b.Loop() {
		if charts, err := bot.DigestCharts(&d); err != nil || len(charts) != 3 {
			b.Fatal(len(charts), err)
		}
	}
}

// BenchmarkDigestChartsByLanguage draws the forecast and a funnel for a
// reader of each language, with that language's stage names.
func BenchmarkDigestChartsByLanguage(b *testing.B) {
	fonts := typeset.System()
	for _, tag := range []string{"en", "th", "fa", "zh-Hans", "vi", "pl"} {
		b.Run(tag, func(b *testing.B) {
			d := stageDigest(chartStages[tag])
			for b.Loop() {
				if _, err := bot.ChartsIn(fonts, tag, &d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

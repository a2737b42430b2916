package bot_test

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"leadwire/bot"
	"leadwire/core"
	goldenfile "leadwire/internal/golden"
	"leadwire/internal/typeset"
)

// chartStages are a pipeline's stages as each language's teams name them.
var chartStages = map[string][]string{
	"en":      {"New", "Qualified", "Proposal sent", "Won"},
	"th":      {"ติดต่อแล้ว", "นัดคุย 2 ครั้ง", "เสนอราคา", "ปิดการขาย"},
	"fa":      {"سرنخ جدید", "تأیید شده", "پیش‌فاکتور (PDF) ارسال شد", "موفق"},
	"zh-Hans": {"新线索", "已确认需求", "已报价 2 次", "赢单"},
	"vi":      {"Mới", "Đủ điều kiện", "Đàm phán giá", "Thắng"},
	"pl":      {"Nowy", "Zakwalifikowany", "Oferta wysłana", "Wygrana"},
}

// stageDigest is a digest with a forecast and one funnel of stages.
func stageDigest(stages []string) core.Digest {
	eur := func(n int64) core.Money { return core.Money{Amount: n, Currency: "EUR"} }
	d := core.Digest{Day: "2026-11-12", TimeZone: "Asia/Bangkok", FunnelFrom: time.Date(2026, 8, 14, 17, 0, 0, 0, time.UTC),
		Forecast: &core.Forecast{Month: "2026-11", Currency: "EUR", Won: eur(1200000), Weighted: eur(845000), Target: eur(3000000)}}
	f := core.PipelineFunnel{Pipeline: "Sales"}
	for i, s := range stages {
		kind := core.StageOpen
		if i == len(stages)-1 {
			kind = core.StageWon
		}
		f.Stages = append(f.Stages, core.StageMetric{Stage: s, Kind: kind, Reached: []int64{10, 7, 4, 2}[i]})
	}
	f.Stages = append(f.Stages, core.StageMetric{Stage: "Lost", Kind: core.StageLost, Reached: 3})
	d.Funnels = []core.PipelineFunnel{f}
	return d
}

// cjkForGoldens is the CJK font the Chinese golden pictures are drawn
// with: WenQuanYi Micro Hei (Debian's fonts-wqy-microhei, which
// scripts/test.sh installs), so that they do not depend on which CJK
// font a machine has.
func cjkForGoldens(t *testing.T) *typeset.Fonts {
	t.Helper()
	for _, dir := range []string{"/usr/share/fonts/truetype/wqy", "/usr/local/share/fonts", "/usr/share/fonts/wqy-microhei"} {
		path := filepath.Join(dir, "wqy-microhei.ttc")
		if _, err := os.Stat(path); err != nil {
			continue
		}
		fonts, err := typeset.WithCJK(path)
		if err != nil {
			t.Fatal(err)
		}
		return fonts
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no wqy-microhei.ttc: scripts/test.sh installs fonts-wqy-microhei")
	}
	t.Skip("no wqy-microhei.ttc (apt-get install fonts-wqy-microhei)")
	return nil
}

// TestChartGoldenImages draws the forecast and the funnel for a reader of
// each language, with that language's stage names, and compares them
// with pictures checked by eye: Thai marks stacked over their
// consonants, Persian letters joined and read from the right with the
// chart mirrored, Chinese, Vietnamese and Polish letters with their
// marks. go test ./bot -run TestChartGoldenImages -update rewrites them.
func TestChartGoldenImages(t *testing.T) {
	for _, tag := range []string{"en", "th", "fa", "zh-Hans", "vi", "pl"} {
		t.Run("draws the "+tag+" reader's charts", func(t *testing.T) {
			fonts := typeset.Embedded()
			if tag == "zh-Hans" {
				fonts = cjkForGoldens(t)
			}
			d := stageDigest(chartStages[tag])
			charts, err := bot.ChartsIn(fonts, tag, &d)
			if err != nil {
				t.Fatal(err)
			}
			if len(charts) != 2 {
				t.Fatalf("%d charts", len(charts))
			}
			for _, c := range charts {
				if strings.Contains(c.Title, "digest.cjk_font") {
					t.Errorf("%s says a font is missing: %s", c.Name, c.Title)
				}
				goldenfile.CheckPNG(t, "charts/"+tag+"-"+c.Name, c.PNG, 40)
			}
		})
	}
}

// TestChartsWithoutACJKFont: on a server without a CJK font, Chinese
// stage names are numbered in the picture and named in the caption,
// the picture's words are English, and the caption says why, in the
// reader's language; Thai and Persian need no font of the machine.
func TestChartsWithoutACJKFont(t *testing.T) {
	fonts := typeset.Embedded()
	t.Run("numbers Chinese stage names and says why in Chinese", func(t *testing.T) {
		d := stageDigest(chartStages["zh-Hans"])
		charts, err := bot.ChartsIn(fonts, "zh-Hans", &d)
		if err != nil || len(charts) != 2 {
			t.Fatalf("charts %d, %v", len(charts), err)
		}
		if want := "1. 新线索 · 2. 已确认需求 · 3. 已报价 2 次 · 4. 赢单 — 服务器上没有能显示其中部分字符的字体"; !strings.Contains(charts[1].Title, want) {
			t.Errorf("funnel caption %q lacks %q", charts[1].Title, want)
		}
		if !strings.Contains(charts[0].Title, "digest.cjk_font") {
			t.Errorf("forecast caption %q does not say its words are English", charts[0].Title)
		}
		for _, c := range charts {
			if _, err := png.Decode(bytes.NewReader(c.PNG)); err != nil {
				t.Errorf("%s: %v", c.Name, err)
			}
		}
	})
	t.Run("numbers Chinese stage names for an English reader", func(t *testing.T) {
		d := stageDigest(chartStages["zh-Hans"])
		charts, err := bot.ChartsIn(fonts, "en", &d)
		if err != nil || len(charts) != 2 {
			t.Fatalf("charts %d, %v", len(charts), err)
		}
		if want := "— 1. 新线索 · 2. 已确认需求 · 3. 已报价 2 次 · 4. 赢单 — this server has no font for some of these characters"; !strings.Contains(charts[1].Title, want) {
			t.Errorf("funnel caption %q lacks %q", charts[1].Title, want)
		}
		if strings.Contains(charts[0].Title, "font") {
			t.Errorf("the forecast, all English, says a font is missing: %q", charts[0].Title)
		}
	})
	for _, tag := range []string{"th", "fa", "vi", "pl"} {
		t.Run("draws "+tag+" stage names as they are", func(t *testing.T) {
			d := stageDigest(chartStages[tag])
			charts, err := bot.ChartsIn(fonts, tag, &d)
			if err != nil || len(charts) != 2 {
				t.Fatalf("charts %d, %v", len(charts), err)
			}
			for _, c := range charts {
				if strings.Contains(c.Title, "1. ") || strings.Contains(c.Title, "digest.cjk_font") {
					t.Errorf("%s caption %q", c.Name, c.Title)
				}
			}
		})
	}
}

// TestFunnelPicturesNameTheirPipeline: with several pipelines, each
// funnel's picture is headed with its pipeline's name, so two funnels
// with the same counts are told apart in the picture too.
func TestFunnelPicturesNameTheirPipeline(t *testing.T) {
	d := stageDigest(chartStages["th"])
	renewals := d.Funnels[0]
	renewals.Pipeline = "ต่ออายุสัญญา"
	d.Funnels = append(d.Funnels, renewals)
	charts, err := bot.ChartsIn(typeset.Embedded(), "th", &d)
	if err != nil || len(charts) != 3 {
		t.Fatalf("charts %d, %v", len(charts), err)
	}
	if bytes.Equal(charts[1].PNG, charts[2].PNG) {
		t.Error("the two funnels' pictures are the same")
	}
}

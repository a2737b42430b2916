package bot_test

import (
	"bytes"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"time"

	"leadwire/bot"
	"leadwire/bot/console"
	"leadwire/core"
	"leadwire/storage/storagetest"
)

// digestFortnight gives team Bangkok ten days of work and sets the clock
// to Friday 13 November 2026, 09:00 in Bangkok, the morning after the
// day the digest covers (Thursday the 12th).
func digestFortnight(t *testing.T, c *chat) {
	t.Helper()
	c.lead("Bangkok", `<b>&"Ömer"</b>`, "omer@pars.example", "شرکت پارس")
	c.lead("Bangkok", "王伟", "wang@bj.example", "北京科技")
	c.lead("Bangkok", "Anong Wongsa", "anong@siam.example", "สยามโลจิสติกส์")
	c.say(t, "niran", "claim L1")
	c.say(t, "niran", "qualify L1 2500000000 IRR")
	c.say(t, "pim", "claim L2")
	c.say(t, "pim", "qualify L2 88,000.50 PLN")
	c.clock.Set(time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC))
	c.say(t, "pim", "remind D2 tomorrow 9am call about the <discount> & terms")
	// Thursday the 12th in Bangkok.
	c.clock.Set(time.Date(2026, 11, 12, 3, 0, 0, 0, time.UTC))
	c.lead("Bangkok", "Nguyễn Văn An", "an@viet.example", "Việt Corp")
	c.lead("Bangkok", "Li Na", "li@sh.example", "上海贸易")
	c.clock.Set(time.Date(2026, 11, 12, 3, 25, 0, 0, time.UTC))
	c.say(t, "pim", "claim L4")
	c.say(t, "pim", "qualify L4 1,200,000 THB")
	c.say(t, "pim", "move D3 proposal")
	c.say(t, "pim", "won D3")
	c.say(t, "niran", "claim L5")
	c.say(t, "niran", "qualify L5 30000 EUR")
	c.say(t, "niran", "lost D4 price")
	c.clock.Set(time.Date(2026, 11, 13, 2, 0, 0, 0, time.UTC))
}

func TestDigestReply(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	digestFortnight(t, c)
	rep, err := c.conv.DigestReply(c.ctx, c.users["somchai"].ID, "2026-11-12")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("renders the manager's day with rotting deals, overdue tasks and warnings", func(t *testing.T) {
		golden(t, "digest.golden", console.Render(rep))
	})
	t.Run("draws the forecast and the funnel as PNG", func(t *testing.T) {
		var names []string
		for _, ch := range rep.Charts {
			names = append(names, ch.Name)
			img, err := png.Decode(bytes.NewReader(ch.PNG))
			if err != nil {
				t.Fatalf("%s: %v", ch.Name, err)
			}
			if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 360 {
				t.Errorf("%s is %v", ch.Name, b)
			}
		}
		if got := strings.Join(names, " "); got != "forecast.png funnel.png" {
			t.Errorf("charts %q", got)
		}
	})
	t.Run("refuses a date that is not one", func(t *testing.T) {
		if _, err := c.conv.DigestReply(c.ctx, c.users["somchai"].ID, "12/11/2026"); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
			t.Errorf("err %v", err)
		}
	})
	t.Run("has nothing to draw for a manager with an empty world", func(t *testing.T) {
		charts, err := bot.DigestCharts(&coreDigestEmpty)
		if err != nil || len(charts) != 0 {
			t.Errorf("charts %d, %v", len(charts), err)
		}
	})
}

var coreDigestEmpty = core.Digest{Day: "2026-11-12", TimeZone: "UTC"}

// TestDigestWithSeveralPipelines: stages of two pipelines are not mixed
// up: the pipeline card names each stage's pipeline, and each pipeline
// with deals has a funnel and a chart of its own.
func TestDigestWithSeveralPipelines(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	digestFortnight(t, c)
	err := c.db.Update(c.ctx, func(tx core.Tx) error {
		return tx.SavePipeline(c.ctx, &core.Pipeline{Name: "Renewals", Stages: []core.Stage{
			{Name: "Up for renewal", Position: 1, Probability: 60, Kind: core.StageOpen},
			{Name: "Won", Position: 2, Probability: 100, Kind: core.StageWon},
			{Name: "Lost", Position: 3, Kind: core.StageLost}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	c.clock.Set(time.Date(2026, 11, 12, 4, 0, 0, 0, time.UTC))
	id := c.lead("Bangkok", "Kasem", "kasem@siam.example", "Siam Renew")
	if _, err := c.svc.Qualify(c.ctx, c.users["niran"], id, core.QualifyInput{Pipeline: "Renewals", Value: core.Money{Amount: 500000, Currency: "EUR"}}); err != nil {
		t.Fatal(err)
	}
	c.clock.Set(time.Date(2026, 11, 13, 2, 0, 0, 0, time.UTC))
	rep, err := c.conv.DigestReply(c.ctx, c.users["somchai"].ID, "2026-11-12")
	if err != nil {
		t.Fatal(err)
	}
	text := console.Render(rep)
	for _, want := range []string{"Funnel (Sales)", "Funnel (Renewals)", "Renewals / Up for renewal (60%)", "Sales / Proposal (60%)"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^│ Won +\d+$`).FindAllString(text, -1)); n != 2 {
		t.Errorf("want a Won in each funnel:\n%s", text)
	}
	var names, titles []string
	for _, ch := range rep.Charts {
		names, titles = append(names, ch.Name), append(titles, ch.Title)
	}
	if got := strings.Join(names, " "); got != "forecast.png funnel.png funnel-2.png" {
		t.Fatalf("charts %q", got)
	}
	if !strings.HasPrefix(titles[1], "Funnel (Sales): deals opened since") || !strings.HasPrefix(titles[2], "Funnel (Renewals): deals opened since") {
		t.Errorf("titles %q", titles)
	}
}

// TestStatsWithSeveralPipelines: the chat's stats show the funnels as
// the digest does, one per pipeline, not two pipelines' stages run
// together under one "slowest stage".
func TestStatsWithSeveralPipelines(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	digestFortnight(t, c)
	err := c.db.Update(c.ctx, func(tx core.Tx) error {
		return tx.SavePipeline(c.ctx, &core.Pipeline{Name: "Renewals", Stages: []core.Stage{
			{Name: "Up for renewal", Position: 1, Probability: 60, Kind: core.StageOpen},
			{Name: "Won", Position: 2, Probability: 100, Kind: core.StageWon},
			{Name: "Lost", Position: 3, Kind: core.StageLost}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	id := c.lead("Bangkok", "Kasem", "kasem@siam.example", "Siam Renew")
	if _, err := c.svc.Qualify(c.ctx, c.users["niran"], id, core.QualifyInput{Pipeline: "Renewals"}); err != nil {
		t.Fatal(err)
	}
	c.clock.Set(c.clock.Now().Add(50 * time.Hour))
	c.say(t, "niran", "won D5")
	text := c.say(t, "somchai", "stats team")
	for _, want := range []string{"┌ Funnel (Sales)\n│ all deals: how many got this far · went further", "┌ Funnel (Renewals)",
		"Deals stay longest in Up for renewal: 2 days on average."} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^│ Won +\d+$`).FindAllString(text, -1)); n != 2 {
		t.Errorf("want a Won in each funnel:\n%s", text)
	}
	if strings.Contains(text, "Slowest stage") {
		t.Errorf("a slowest stage across pipelines:\n%s", text)
	}
}

func TestDigestTitle(t *testing.T) {
	tehran := "Asia/Tehran"
	cases := []struct {
		name string
		d    core.Digest
		want string
	}{
		{"a day in the manager's zone", core.Digest{Scope: "team تهران", TimeZone: tehran,
			From: time.Date(2026, 11, 2, 20, 30, 0, 0, time.UTC), To: time.Date(2026, 11, 3, 20, 30, 0, 0, time.UTC)},
			"Daily digest, team تهران: Tuesday 3 November 2026"},
		{"Monday's week", core.Digest{Scope: "your own work", TimeZone: tehran, Weekly: true,
			From: time.Date(2026, 10, 25, 20, 30, 0, 0, time.UTC), To: time.Date(2026, 11, 1, 20, 30, 0, 0, time.UTC)},
			"Weekly digest, your own work: Mon 26 Oct – Sun 1 Nov 2026"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := bot.DigestTitle(&tc.d); got != tc.want {
				t.Errorf("title %q, want %q", got, tc.want)
			}
		})
	}
}

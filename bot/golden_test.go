package bot_test

import (
	"context"
	goldenfile "leadwire/internal/golden"
	"strings"
	"testing"
	"time"

	"leadwire/bot/console"
	"leadwire/storage/storagetest"
)

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, name, []byte(got))
}

func TestGoldenCards(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "Nguyễn Thị Minh Khai", "minh.khai@vinacorp.vn", "VinaCorp")
	c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
	t.Run("a new lead as the team's rep sees it", func(t *testing.T) {
		golden(t, "lead_card.golden", c.say(t, "niran", "lead L1"))
	})
	c.say(t, "niran", "claim L2")
	c.say(t, "niran", "qualify L2 1,250,000 THB")
	c.clock.Set(start.Add(26 * time.Hour))
	c.say(t, "niran", "move D1 proposal")
	c.say(t, "niran", "close D1 2026-12-15")
	c.say(t, "niran", "remind D1 fri 10:00 send the contract")
	c.say(t, "niran", "note D1 ลูกค้าสนใจ — wants a 5% discount")
	c.clock.Set(start.Add(30 * time.Hour))
	t.Run("a deal in Proposal with a task and a note", func(t *testing.T) {
		golden(t, "deal_card.golden", c.say(t, "niran", "deal D1"))
	})
	t.Run("the same deal seen by its manager in Tehran's time", func(t *testing.T) {
		// Times on cards are in the reader's zone.
		u := *c.users["somchai"]
		u.TimeZone = "Asia/Tehran"
		c.users["somchai-tehran"] = &u
		out := c.say(t, "somchai-tehran", "deal D1")
		if !strings.Contains(out, "T1 Fri 6 Nov 06:30 · send the contract") {
			t.Fatalf("deal card in Tehran time:\n%s", out)
		}
	})
}

func TestConsoleSession(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "Nguyễn Minh", "minh@vinacorp.vn", "VinaCorp")
	in := strings.NewReader("leads unclaimed\n1\n\nqualify L1 9000 EUR\n4\nquit\ndeals\n")
	var out strings.Builder
	if err := console.Run(context.Background(), c.conv, c.users["niran"], in, &out, console.Options{Echo: true}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"leadwire chat as Niran Srisuk <niran@example.com>, rep.",
		"niran@example.com> leads unclaimed\n",
		"niran@example.com> 1\n✓ L1 is yours now.",
		"niran@example.com> qualify L1 9000 EUR\n✓ L1 qualified into D1",
		"niran@example.com> 4\n✓ T1 due Tue 3 Nov 09:00 (Asia/Bangkok): Follow up (on D1).",
		"niran@example.com> quit\n",
	} {
		if !strings.Contains(got, want) {
			t.Fatalf("session:\n%s\nwant it to contain %q", got, want)
		}
	}
	if strings.Contains(got, "Your open deals") {
		t.Fatalf("the session went on after quit:\n%s", got)
	}
}

package bot_test

import (
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestStatsLost(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		// October: Niran loses one on price. November: Pim loses one to
		// a competitor from Proposal and disqualifies a lead; Warsaw's
		// Zofia loses one, which Bangkok must not see.
		c.clock.Set(time.Date(2026, 10, 12, 5, 0, 0, 0, time.UTC))
		c.lead("Bangkok", "October", "oct@a.th", "A")
		c.run(t, []step{
			{"October's loss", "niran", "qualify L1 1000 EUR", []string{"D1"}, nil},
			{"", "niran", "lost D1 price", []string{"D1 lost"}, nil},
		})
		c.clock.Set(start)
		c.lead("Bangkok", "Pim's", "pim@b.th", "B")
		c.lead("Bangkok", "Junk", "junk@c.th", "C")
		c.lead("Warsaw", "Warsaw", "w@d.pl", "D")
		c.run(t, []step{
			{"Pim's", "pim", "qualify L2 2000 EUR", []string{"D2"}, nil},
			{"", "pim", "move D2 proposal", []string{"moved"}, nil},
			{"", "pim", "lost D2 competitor", []string{"D2 lost"}, nil},
			{"", "pim", "disqualify L3 spam", []string{"L3"}, nil},
			{"", "zofia", "qualify L4 5000 EUR", []string{"D3"}, nil},
			{"", "zofia", "lost D3 price", []string{"D3 lost"}, nil},
			{"the manager sees the team's month against October", "somchai", "stats lost",
				[]string{"Lost and disqualified: team Bangkok, November 2026 against October 2026",
					"lost 1 (2,000.00 EUR), before 1 (1,000.00 EUR) · disqualified 1, before 0",
					"Lost: Went with a competitor  1 · 2,000.00 EUR (before 0 · 0.00 EUR)",
					"Lost: Price too high          0 · 0.00 EUR (before 1 · 1,000.00 EUR)",
					"Lost from Proposal", "Lost by Pim Jaidee", "Lost by Niran Srisuk", "Disqualified: Spam"},
				[]string{"5,000.00", "Zofia"}},
			{"October against September", "somchai", "stats lost 2026-10", []string{"October 2026 against September 2026", "lost 1 (1,000.00 EUR), before 0"}, nil},
			{"a rep sees their own", "niran", "stats lost", []string{"Lost and disqualified: you, November 2026", "lost 0 (0.00 EUR), before 1 (1,000.00 EUR)"}, []string{"Pim", "2,000.00"}},
			{"a rep asking for the team's sees its totals and only their own line by rep", "niran", "stats lost team",
				[]string{"team Bangkok", "lost 1 (2,000.00 EUR)", "Lost by Niran Srisuk"}, []string{"Lost by Pim"}},
			{"the admin sees every team", "ada", "stats lost", []string{"every team", "lost 2 (7,000.00 EUR)", "Zofia"}, nil},
			{"words it cannot read get the usage", "somchai", "stats lost lastyear", []string{"usage: stats [lost] [me|team] [month|YYYY-MM]"}, nil},
		})
		// Someone in no team sees their own, and has no team figures.
		loner, err := c.svc.Directory.SaveUser(c.ctx, c.users["ada"], core.UserDef{Email: "loner@example.com", Name: "Loner", TimeZone: "Asia/Bangkok"})
		if err != nil {
			t.Fatal(err)
		}
		c.users["loner"] = loner
		c.run(t, []step{
			{"someone in no team sees their own", "loner", "stats lost", []string{"you, November 2026", "Nothing lost or disqualified"}, []string{"Pim", "Niran"}},
			{"and is told there are no team figures", "loner", "stats lost team", []string{"You are not in a team"}, nil},
		})
	})
}

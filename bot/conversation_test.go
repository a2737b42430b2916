package bot_test

import (
	"strings"
	"testing"
	"time"

	"leadwire/bot"
	"leadwire/bot/console"
	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestARepWorksALeadToTheEnd(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		c.lead("Bangkok", "Nguyễn Minh", "minh@vinacorp.vn", "VinaCorp")
		c.run(t, []step{
			{"the team's unclaimed leads offer Claim", "niran", "leads unclaimed", []string{"L1", "Nguyễn Minh (VinaCorp)", "score", "[1] Claim"}, nil},
			{"pressing Claim claims it", "niran", "1", []string{"✓ L1 is yours now.", "claimed by Niran Srisuk", "[1] Qualify", "[2] Disqualify"}, []string{"Claim  "}},
			{"it is among my leads", "niran", "leads", []string{"Your open leads", "L1"}, nil},
			{"qualifying with a value in baht makes a deal", "niran", "qualify L1 450,000 THB", []string{"L1 qualified into D1, in Prospecting.", "450,000.00 THB", "Prospecting (1 of 5) · open"}, nil},
			{"a stage by its start", "niran", "move D1 qual", []string{"D1 moved to Qualified.", "Qualified (2 of 5)", "moved by Niran Srisuk"}, nil},
			{"the next-stage button", "niran", "1", []string{"D1 moved to Meeting."}, nil},
			{"an alias and a stage in another case", "niran", "mv D1 PROPOSAL", []string{"D1 moved to Proposal."}, nil},
			{"the value in euros", "niran", "value D1 12000 EUR", []string{"D1 is worth 12,000.00 EUR now."}, nil},
			{"the value keeps its currency", "niran", "value D1 12,500.50", []string{"D1 is worth 12,500.50 EUR now."}, nil},
			{"the expected close date", "niran", "close D1 2027-01-15", []string{"D1 is expected to close Fri 15 Jan 2027."}, nil},
			{"a note", "niran", "note D1 they want a discount", []string{"✓ Noted on D1."}, nil},
			{"a reminder repeats the time in my zone", "niran", "remind D1 tomorrow 9am call back", []string{"T1 due Tue 3 Nov 09:00 (Asia/Bangkok): call back (on D1)."}, nil},
			{"the deal card shows the next task", "niran", "deal D1", []string{"Next task", "T1 Tue 3 Nov 09:00 · call back", "Latest: they want a discount"}, nil},
			{"my tasks", "niran", "tasks", []string{"T1", "Tue 3 Nov 09:00 · call back", "on D1", "[1] Done", "[2] Snooze 1h", "[3] Tomorrow"}, nil},
			{"snoozing by a phrase", "niran", "snooze T1 tomorrow 3pm", []string{"T1 snoozed until Tue 3 Nov 15:00 (Asia/Bangkok): call back."}, nil},
			{"nothing is due today", "niran", "today", []string{"Nothing due today."}, nil},
			{"a reminder in two hours", "niran", "remind D1 in 2h send the quote", []string{"T2 due Mon 2 Nov 18:00 (Asia/Bangkok): send the quote (on D1)."}, nil},
			{"today lists what is due before midnight", "niran", "today", []string{"Due today", "T2", "Mon 2 Nov 18:00"}, []string{"T1"}},
			{"done", "niran", "done T1", []string{"T1 done: call back."}, nil},
			{"done twice", "niran", "done T1", []string{"! T1 is done already"}, nil},
			{"the pipeline by stage with the weighted total", "niran", "pipeline", []string{"1 open deal · 12,500.50 EUR · weighted 7,500.30 EUR", "Proposal (60%)     1 · 12,500.50 EUR", "Prospecting (10%)  0 · 0.00 EUR"}, nil},
			{"won", "niran", "won D1", []string{"✓ D1 won: 12,500.50 EUR.", "won Mon 2 Nov 16:00", "[1] Reopen"}, nil},
			{"my stats count it", "niran", "stats", []string{"Stats: you, all time", "0 open · 1 won · 0 lost · win rate 100%", "Won value      12,500.50 EUR"}, nil},
			{"reopened into its last open stage", "niran", "reopen D1", []string{"D1 reopened in Proposal."}, nil},
			{"lost without a reason offers the reasons", "niran", "lost D1", []string{"usage: lost D45 REASON", "[2] Went with a competitor", "or type: lost D1 REASON"}, nil},
			{"a reason picked from the menu", "niran", "2", []string{"D1 lost: Went with a competitor.", "✗ lost: Went with a competitor"}, nil},
			{"find by name", "niran", "find minh", []string{"D1", "Nguyễn Minh (VinaCorp)", "minh@vinacorp.vn"}, nil},
		})
	})
}

func TestManagersAndAdmins(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
		c.lead("Bangkok", "Malee Jaidee", "malee@foods.co.th", "Siam Foods")
		c.lead("Bangkok", "Lan Tran", "lan@vina.vn", "VinaTrade")
		c.lead("Warsaw", "Anna Nowak", "anna@polimex.pl", "Polimex")
		c.run(t, []step{
			{"a rep cannot assign", "niran", "assign L1 pim", []string{"✗ only a manager or an admin assigns leads; if L1 is unclaimed, claim it yourself"}, nil},
			{"a manager assigns by name", "somchai", "assign L1 pim", []string{"L1 assigned to Pim Jaidee."}, nil},
			{"by Slack mention", "somchai", "assign L2 <@U0NIRAN|niran>", []string{"L2 assigned to Niran Srisuk."}, nil},
			{"by email", "somchai", "give L3 pim@example.com", []string{"L3 assigned to Pim Jaidee."}, nil},
			{"nobody of that name", "somchai", "assign L3 zzz", []string{`nobody called "zzz" in your team`}, nil},
			{"a manager's new-lead card offers the next rep", "somchai", "lead L4", []string{"not yours"}, nil},
			{"the team's deals", "pim", "qualify L1 Sales 9000 EUR", []string{"L1 qualified into D1"}, nil},
			{"a rep asking for the team's deals gets own", "niran", "deals team", []string{"The team's deals are for its manager", "You have no open deals."}, nil},
			{"the manager sees the team's", "somchai", "deals team", []string{"Open deals of your team", "D1", "Pim Jaidee"}, nil},
			{"deals in a stage", "somchai", "deals prosp", []string{"Deals in Prospecting", "D1"}, nil},
			{"the team's pipeline", "somchai", "pipeline team", []string{"Your team's pipeline", "1 open deal · 9,000.00 EUR · weighted 900.00 EUR"}, nil},
			{"a rep has no team pipeline", "pim", "pipeline team", []string{"the team's pipeline is for its manager"}, nil},
			{"team stats by rep", "somchai", "stats team month", []string{"Stats: team Bangkok, November 2026", "1 open"}, nil},
			{"the forecast against the team's target", "somchai", "forecast", []string{"Forecast 2026-11", "Target             50,000.00 EUR", "behind by"}, nil},
			{"an admin sees every team's lead", "ada", "lead L4", []string{"Anna Nowak (Polimex)", "Team      Warsaw", "[1] Claim", "[2] Assign next rep"}, nil},
			{"and assigns it round-robin", "ada", "2", []string{"L4 assigned to Zofia Łukasiewicz."}, nil},
		})
	})
}

func TestNobodyReachesWhatIsNotTheirs(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		c.lead("Bangkok", "Nguyễn Minh", "minh@vinacorp.vn", "VinaCorp")
		c.say(t, "niran", "claim L1")
		c.say(t, "niran", "qualify L1")
		c.run(t, []step{
			{"a rep of another team cannot move the deal", "zofia", "move D1 proposal", []string{"✗ D1 is not yours"}, []string{"VinaCorp", "moved"}},
			{"nor see it", "zofia", "D1", []string{"✗ D1 is not yours"}, []string{"VinaCorp"}},
			{"nor press its buttons", "zofia", "won D1", []string{"✗ D1 is not yours"}, nil},
			{"a rep of the same team cannot close it either", "pim", "lost D1 price", []string{"✗ D1 is not yours"}, nil},
			{"nor claim a claimed lead", "pim", "claim L1", []string{"not yours"}, nil},
			{"an unknown user sees nothing", "", "deals", []string{"You are not a leadwire user yet", "leadwire users set YOUR-EMAIL"}, []string{"D1", "VinaCorp", "Prospecting"}},
			{"even when naming a deal", "", "D1", []string{"You are not a leadwire user yet"}, []string{"VinaCorp"}},
		})
		t.Run("an unknown user's button press does nothing", func(t *testing.T) {
			r := c.conv.Press(c.ctx, nil, "won:D1")
			if !strings.Contains(r.Text, "not a leadwire user") || len(r.Cards) > 0 {
				t.Fatalf("reply %+v", r)
			}
			d, err := db.DealByID(c.ctx, 1)
			if err != nil || d.Status != core.DealOpen {
				t.Fatalf("deal %+v, %v: want it open", d, err)
			}
		})
		t.Run("a deactivated user is unknown", func(t *testing.T) {
			u := *c.users["niran"]
			u.Active = false
			if r := c.conv.Handle(c.ctx, &u, "deal D1"); len(r.Cards) > 0 || !strings.Contains(r.Text, "not a leadwire user") {
				t.Fatalf("reply %+v", r)
			}
		})
		t.Run("the adapters' lookups find linked users only", func(t *testing.T) {
			if u, err := c.conv.SlackUser(c.ctx, "U0NIRAN"); err != nil || u == nil || u.Email != "niran@example.com" {
				t.Fatalf("SlackUser = %+v, %v", u, err)
			}
			if u, err := c.conv.SlackUser(c.ctx, "U0NOBODY"); err != nil || u != nil {
				t.Fatalf("SlackUser of a stranger = %+v, %v", u, err)
			}
			if u, err := c.conv.TelegramUser(c.ctx, 42); err != nil || u != nil {
				t.Fatalf("TelegramUser of a stranger = %+v, %v", u, err)
			}
			if r := bot.Unknown("slack", "U0NOBODY"); !strings.Contains(r.Text, "--slack U0NOBODY") || !r.Ephemeral {
				t.Fatalf("Unknown = %+v", r)
			}
		})
	})
}

func TestAliasesTyposAndUsage(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "Nguyễn Minh", "minh@vinacorp.vn", "VinaCorp")
	c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
	c.say(t, "niran", "take L1")
	c.say(t, "niran", "q L1")
	c.say(t, "niran", "r D1 in 2h call")
	t.Run("aliases", func(t *testing.T) {
		c.run(t, []step{
			{"an id alone shows it", "niran", "D1", []string{"┌ D1  VinaCorp"}, nil},
			{"a lead id alone", "niran", "l1", []string{"┌ L1  Nguyễn Minh (VinaCorp)"}, nil},
			{"d", "niran", "d D1", []string{"┌ D1  VinaCorp"}, nil},
			{"a slash and a bot name are ignored", "niran", "/deal@leadwire_bot D1", []string{"┌ D1  VinaCorp"}, nil},
			{"ll", "niran", "ll un", []string{"Unclaimed leads of your team", "L2"}, nil},
			{"leads top", "niran", "leads top", []string{"Best-scored open leads", "L2"}, nil},
			{"dd", "niran", "dd", []string{"Your open deals", "D1"}, nil},
			{"t", "niran", "t", []string{"Your open tasks", "T1"}, nil},
			{"td", "niran", "td", []string{"Due today", "T1"}, nil},
			{"p", "niran", "p", []string{"Your pipeline"}, nil},
			{"rv", "niran", "rv", []string{"Unclaimed leads of your team", "L2"}, nil},
			{"fc", "niran", "fc", []string{"Forecast 2026-11"}, nil},
			{"search", "niran", "search Siam", []string{"Anong Wongsa (Siam Logistics)", "L2"}, nil},
			{"?", "niran", "?", []string{"Commands", "remind [@rep] D45|L123 WHEN WHAT"}, nil},
			{"help on one command", "niran", "help mv", []string{"move D45 STAGE", "also: mv, m, stage"}, nil},
			{"leads new", "niran", "leads new", []string{"Unclaimed leads of your team", "L2", "[1] Claim"}, nil},
			{"a note on a lead", "niran", "n L2 asked for a call", []string{"Noted on L2."}, nil},
			{"disqualify by text with a configured reason", "niran", "dq L2 no_need", []string{"L2 disqualified: No need now."}, nil},
			{"the lead card shows why", "niran", "lead L2", []string{"✗ disqualified: No need now"}, nil},
			{"link telegram gives a one-time code", "niran", "link telegram", []string{"Send the leadwire Telegram bot: /start ", "within 15 minutes"}, nil},
		})
	})
	t.Run("a typo in a command gets did you mean", func(t *testing.T) {
		c.run(t, []step{
			{"swapped letters", "niran", "mvoe D1 proposal", []string{`unknown command "mvoe"; did you mean move? usage: move D45 STAGE`}, nil},
			{"a missing letter", "niran", "pipline", []string{"did you mean pipeline?"}, nil},
			{"a wrong letter", "niran", "reviwe", []string{"did you mean review?"}, nil},
			{"an alias mistyped", "niran", "remnid D1 tomorrow call", []string{"did you mean remind?"}, nil},
			{"in help", "niran", "help snoze", []string{"did you mean snooze?"}, nil},
			{"nothing close", "niran", "xyzzy", []string{`unknown command "xyzzy"; type help for the list`}, nil},
			{"a typo in a stage is core's", "niran", "move D1 propsal", []string{"did you mean Proposal?"}, nil},
		})
	})
	t.Run("a missing argument gets the exact usage", func(t *testing.T) {
		usage := map[string]string{
			"lead": "lead L123", "claim": "claim L123", "assign L1": "assign L123|D45 @rep|EMAIL|NAME|next",
			"qualify": "qualify L123 [PIPELINE] [VALUE CURRENCY]", "disqualify": "disqualify L123 REASON",
			"deal": "deal D45", "move": "move D45 STAGE", "move D1": "move D45 STAGE", "won": "won D45", "lost": "lost D45 REASON",
			"reopen": "reopen D45", "note D1": "note D45|L123 TEXT", "value D1": "value D45 AMOUNT [CURRENCY]",
			"close D1": "close D45 DATE", "remind D1": "remind [@rep] D45|L123 WHEN WHAT", "done": "done T7",
			"snooze T1": "snooze T7 WHEN", "find": "find TEXT", "link": "link telegram", "leads foo": "leads [mine|new|top|unclaimed]",
		}
		for line, want := range usage {
			t.Run(line, func(t *testing.T) {
				if out := c.say(t, "niran", line); !strings.Contains(out, "usage: "+want+"\n") && !strings.HasSuffix(strings.TrimSpace(out), "usage: "+want) {
					t.Fatalf("%s\n%s\nwant usage: %s", line, out, want)
				}
			})
		}
	})
	t.Run("bad arguments say what would be right", func(t *testing.T) {
		c.run(t, []step{
			{"an id of the wrong kind", "niran", "deal L1", []string{`"L1" is not a deal id like D45`}, nil},
			{"a malformed id", "niran", "claim 45", []string{`"45" is not a lead id like L123`}, nil},
			{"an unknown deal", "niran", "D99", []string{"deal D99 not found"}, nil},
			{"an unknown currency", "niran", "value D1 100 EUX", []string{`unknown currency "EUX"`}, nil},
			{"a value past the largest a deal may have", "niran", "value D1 92233720368547758.07 EUR",
				[]string{"a deal's value can be at most 1,000,000,000,000.00 EUR; 92,233,720,368,547,758.07 EUR is more"}, nil},
			{"a dot before three digits from someone without a locale", "somchai", "value D1 12.345 EUR",
				[]string{`amount "12.345" is ambiguous`, "write 12345, 12,345.00 or 12.345,00"}, nil},
			{"a dot before three digits in Thai marks decimals", "niran", "value D1 12.345 EUR", []string{`EUR has 2 decimals; "12.345" has more`}, nil},
			{"a date that is no date", "niran", "close D1 someday", []string{`"someday" is not a date I can read`}, nil},
			{"a reminder without a time", "niran", "remind D1 call back", []string{"When? I found no time in \"call back\""}, nil},
			{"a time past", "niran", "remind D1 today 9am call", []string{"Mon 2 Nov 09:00 (Asia/Bangkok) has passed"}, nil},
			{"a snooze that is no time", "niran", "snooze T1 whenever", []string{`"whenever" is not a time I can read`}, nil},
			{"a note on a task", "niran", "note T1 hi", []string{"notes go on a lead or a deal"}, nil},
		})
	})
}

func TestAValueInPersianDigitsQualifies(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "داریوش کریمی", "dariush@parsco.ir", "Parsco")
	c.run(t, []step{
		{"claimed", "niran", "claim L1", []string{"L1 is yours now."}, nil},
		{"the value is told from the pipeline by its digits", "niran", "qualify L1 ۴۵۰۰۰۰ THB", []string{"L1 qualified into D1", "450,000.00 THB"}, nil},
	})
}

func TestDatePhrasesInEveryonesZone(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Warsaw", "Anna Nowak", "anna@polimex.pl", "Polimex")
	c.say(t, "zofia", "claim L1")
	tehran := *c.users["ada"]
	tehran.TimeZone = "Asia/Tehran"
	c.users["tehran"] = &tehran
	// Saturday 28 March 2026, 10:00 in Warsaw; the clocks go forward tonight.
	c.clock.Set(time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC))
	c.run(t, []step{
		{"tomorrow 9am is summer time", "zofia", "remind L1 tomorrow 9am call Anna", []string{"T1 due Sun 29 Mar 09:00 (Europe/Warsaw): call Anna (on L1)."}, nil},
		{"in 3 days keeps the time of day", "zofia", "remind L1 in 3 days send the offer", []string{"due Tue 31 Mar 10:00 (Europe/Warsaw): send the offer"}, nil},
		{"fri 14:00", "zofia", "remind L1 fri 14:00 demo", []string{"due Fri 3 Apr 14:00 (Europe/Warsaw): demo"}, nil},
		{"next week", "zofia", "remind L1 next week plan", []string{"due Mon 30 Mar 09:00 (Europe/Warsaw): plan"}, nil},
		{"an ISO time", "zofia", "remind L1 2026-12-01 14:00 renewal", []string{"due Tue 1 Dec 14:00 (Europe/Warsaw): renewal"}, nil},
		{"the time at the end", "zofia", "remind L1 call back tomorrow 11:30", []string{"due Sun 29 Mar 11:30 (Europe/Warsaw): call back"}, nil},
		{"an admin in Tehran", "tehran", "remind L1 tomorrow 9am check", []string{"due Sun 29 Mar 09:00 (Asia/Tehran): check"}, nil},
	})
	t.Run("stored in UTC", func(t *testing.T) {
		task, err := c.db.TaskByID(c.ctx, 1)
		if err != nil || !task.DueAt.Equal(time.Date(2026, 3, 29, 7, 0, 0, 0, time.UTC)) {
			t.Fatalf("T1 due %v, %v; want 07:00 UTC", task.DueAt, err)
		}
		task, err = c.db.TaskByID(c.ctx, 7)
		if err != nil || !task.DueAt.Equal(time.Date(2026, 3, 29, 5, 30, 0, 0, time.UTC)) {
			t.Fatalf("T7 due %v, %v; want 05:30 UTC", task.DueAt, err)
		}
	})
	// Saturday 24 October, 10:00 in Warsaw; the clocks go back tonight.
	c.clock.Set(time.Date(2026, 10, 24, 8, 0, 0, 0, time.UTC))
	c.run(t, []step{
		{"tomorrow 9am is winter time", "zofia", "remind L1 tomorrow 9am call", []string{"due Sun 25 Oct 09:00 (Europe/Warsaw)"}, nil},
		{"snoozing across the change", "zofia", "snooze T1 in 2 days", []string{"T1 snoozed until Mon 26 Oct 10:00 (Europe/Warsaw)"}, nil},
		{"an expected close date in my zone", "zofia", "qualify L1", []string{"qualified into D1"}, nil},
		{"close next fri", "zofia", "close D1 fri", []string{"D1 is expected to close Fri 30 Oct 2026."}, nil},
	})
}

func TestButtonFlows(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "Nguyễn Minh", "minh@vinacorp.vn", "VinaCorp")
	c.lead("Bangkok", "Spam Bot", "bot@spam.example", "")
	press := func(who, action string) bot.Reply { return c.conv.Press(c.ctx, c.users[who], action) }

	r := press("niran", "claim:L1")
	if !r.Update || r.Ephemeral || len(r.Cards) != 1 || r.Cards[0].Ref != "L1" || !strings.Contains(r.Cards[0].Note, "claimed by Niran") {
		t.Fatalf("claim by button: %+v", r)
	}
	if r := press("pim", "claim:L1"); r.Update || !strings.Contains(r.Text, "not yours") {
		t.Fatalf("a second claim: %+v", r)
	}
	r = press("niran", "disq:L2")
	if !r.Update || len(r.Cards) != 1 || r.Cards[0].Menu == nil || r.Cards[0].Menu.Options[4].Action != "disq:L2:spam" {
		t.Fatalf("disqualify asks for a reason on the card: %+v", r)
	}
	if r = press("niran", "disq:L2:spam"); !r.Update || !strings.Contains(r.Text, "L2 disqualified: Spam.") {
		t.Fatalf("disqualified by reason: %+v", r)
	}
	if r = press("niran", "qualify:L1"); !r.Update || len(r.Cards) != 1 || r.Cards[0].Ref != "D1" {
		t.Fatalf("qualify by button: %+v", r)
	}
	r = press("niran", "lost:D1")
	if !r.Update || r.Cards[0].Menu == nil || r.Cards[0].Menu.Custom != "lost D1 REASON" {
		t.Fatalf("lost asks for a reason on the card: %+v", r)
	}
	if r = press("niran", r.Cards[0].Menu.Options[0].Action); !strings.Contains(r.Text, "D1 lost: No budget.") || r.Cards[0].Buttons[0].Action != "reopen:D1" {
		t.Fatalf("lost by reason: %+v", r)
	}
	if r = press("niran", "reopen:D1"); !strings.Contains(r.Text, "D1 reopened in Prospecting.") {
		t.Fatalf("reopen: %+v", r)
	}
	r = press("niran", "remind:D1:tomorrow")
	if !r.Update || !strings.Contains(r.Text, "T1 due Tue 3 Nov 09:00 (Asia/Bangkok): Follow up (on D1).") || !strings.Contains(console.Render(r), "Next task") {
		t.Fatalf("remind tomorrow: %+v", r)
	}
	if r = press("niran", "snooze:T1:1h"); !strings.Contains(r.Text, "T1 snoozed until Mon 2 Nov 17:00") {
		t.Fatalf("snooze 1h: %+v", r)
	}
	if r = press("niran", "done:T1"); !r.Update || !strings.Contains(r.Text, "T1 done") {
		t.Fatalf("done: %+v", r)
	}
	for _, code := range []string{"", "won", "won:", "won:L1", "stage:D1:x", "stage:D1:999", "assign:L1:pim", "explode:D1", "done:D1", "show:T1",
		"lost:D1:" + strings.Repeat("x", 64)} {
		if r := press("niran", code); r.Update || r.Tone != bot.ToneWarn {
			t.Errorf("Press(%q) = %+v; want a warning that changes nothing", code, r)
		}
	}
	for _, r := range []bot.Reply{press("niran", "show:D1"), press("niran", "show:L1")} {
		for _, b := range r.AllButtons() {
			if len(b.Action) > bot.MaxAction || b.Action == "" {
				t.Errorf("button %+v", b)
			}
		}
	}
}

func TestReview(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		c.lead("Bangkok", "Nguyễn Minh", "minh@vinacorp.vn", "VinaCorp")
		c.say(t, "niran", "claim L1")
		c.say(t, "niran", "qualify L1")
		c.say(t, "niran", "remind D1 tomorrow 9am call")
		c.run(t, []step{{"all clear at first", "niran", "review", []string{"✓ All clear"}, nil}})
		c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
		c.clock.Set(start.Add(10 * 24 * time.Hour))
		c.run(t, []step{
			{"ten days later", "niran", "review", []string{"Rotting deals", "! D1", "Overdue tasks", "T1", "(overdue)", "Unclaimed leads of your team", "L2"}, nil},
			{"the deal card says it rots", "niran", "D1", []string{"! Prospecting (1 of 5) · open · rotting (no activity for 10 days)"}, nil},
			{"another team's rep sees none of it", "zofia", "review", []string{"✓ All clear"}, nil},
			{"the manager sees the team's", "somchai", "review", []string{"D1", "T1", "L2"}, nil},
		})
	})
}

func TestNotices(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "Nguyễn Minh", "minh@vinacorp.vn", "VinaCorp")
	t.Run("a new lead for the team channel offers Claim, and pressing it shows the owner", func(t *testing.T) {
		r, err := c.conv.LeadNotice(c.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		out := console.Render(r)
		if r.Ephemeral || !strings.Contains(out, "New lead L1") || !strings.Contains(out, "Received  Mon 2 Nov 16:00") || r.AllButtons()[0].Action != "claim:L1" {
			t.Fatalf("notice %+v\n%s", r, out)
		}
		if r := c.conv.Press(c.ctx, c.users["pim"], "claim:L1"); !r.Update || !strings.Contains(console.Render(r), "claimed by Pim Jaidee") {
			t.Fatalf("claim from the notice: %s", console.Render(r))
		}
	})
	t.Run("a reminder has Done and Snooze", func(t *testing.T) {
		c.say(t, "pim", "qualify L1")
		c.say(t, "pim", "remind D1 tomorrow 9am call back")
		r, err := c.conv.TaskReminder(c.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, b := range r.AllButtons() {
			actions = append(actions, b.Action)
		}
		if got := strings.Join(actions, " "); got != "done:T1 snooze:T1:1h snooze:T1:tomorrow" || len(r.Cards) != 1 {
			t.Fatalf("reminder buttons %q, reply %+v", got, r)
		}
	})
	if _, err := c.conv.LeadNotice(c.ctx, 99); !core.IsNotFound(err) {
		t.Fatalf("notice of a missing lead: %v", err)
	}
}

func TestSlowCommandsAreNamed(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	for text, want := range map[string]bool{"stats team": true, "st": true, "forecast": true, "pipeline team": true, "p t": true,
		"pipeline": false, "deal D1": false, "review": false, "move D1 prop": false, "nonsense": false, "": false} {
		if got := c.conv.Slow(text); got != want {
			t.Errorf("Slow(%q) = %v, want %v", text, got, want)
		}
	}
}

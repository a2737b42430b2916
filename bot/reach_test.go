package bot_test

import (
	"strings"
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// addUser adds a user to the chat's directory, as `leadwire users add`
// does (no --team: in no team).
func (c *chat) addUser(name string, def core.UserDef) {
	c.t.Helper()
	u, err := c.svc.Directory.SaveUser(c.ctx, nil, def)
	if err != nil {
		c.t.Fatalf("add user %s: %v", def.Email, err)
	}
	c.users[name] = u
}

// Someone in no team reaches only their own records, and a rep of one
// team nothing of another's: no list or search reads "no team" as "every
// team".
func TestWhoIsInNoTeamSeesOnlyTheirOwn(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		c.addUser("lone", core.UserDef{Email: "lone@example.com", Name: "Lone Ranger", TimeZone: "Europe/Warsaw"})
		c.addUser("mira", core.UserDef{Email: "mira@example.com", Name: "Mira Manager", Role: core.RoleManager, TimeZone: "Europe/Warsaw"})

		// Warsaw: Zofia's deal with Anna Kowalska, and a reminder on it.
		if _, err := c.svc.Capture(c.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "kowalska",
			Name: "Anna Kowalska", Email: "anna@kowalska.pl", Phone: "+48 600 123 456", Company: "Kowalska Sp.", Team: "Warsaw",
			Subject: "Oferta", ReceivedAt: c.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		c.run(t, []step{
			{"Zofia claims her lead", "zofia", "claim L1", []string{"L1 is yours now."}, nil},
			{"and qualifies it", "zofia", "qualify L1 9000 PLN", []string{"L1 qualified into D1"}, nil},
			{"and sets a reminder", "zofia", "remind D1 tomorrow 9am call Anna", []string{"T1 due"}, nil},
		})
		// Bangkok: Niran's deal with Anna Srisuk, an unclaimed lead, and a
		// lead the admin gave to Lone.
		c.lead("Bangkok", "Anna Srisuk", "anna@siam.co.th", "Siam Widgets")
		c.run(t, []step{
			{"Niran claims his lead", "niran", "claim L2", []string{"L2 is yours now."}, nil},
			{"and qualifies it", "niran", "qualify L2 450000 THB", []string{"L2 qualified into D2"}, nil},
		})
		c.lead("Bangkok", "Anna Unclaimed", "anna@nobody.co.th", "Nobody Co")
		own := c.lead("Bangkok", "Anna Own", "anna.own@example.com", "Own Co")
		if _, err := c.svc.Assign(c.ctx, c.users["ada"], own, c.users["lone"].ID); err != nil {
			t.Fatal(err)
		}
		// What others' records would show: their refs and names (refs), and
		// their email and phone.
		refs := []string{"D1", "D2", "L1", "L2", "L3", "T1", "Kowalska", "Srisuk", "Unclaimed", "+48600123456"}
		others := append([]string{"anna@kowalska.pl", "anna@siam.co.th", "anna@nobody.co.th"}, refs...)
		ownAnd := func(also ...string) []string { return append(also, "anna.own@example.com") }
		c.run(t, []step{
			// A rep in no team.
			{"a rep in no team finds the contacts of their own leads only", "lone", "find anna", ownAnd("L4", "Anna Own"), others},
			{"nor by another team's email", "lone", "find anna@kowalska.pl", []string{"Nobody matches"}, refs},
			{"nor by another team's phone", "lone", "find +48 600 123 456", []string{"Nobody matches"}, others},
			{"their leads are their own", "lone", "leads", []string{"L4"}, others},
			{"the best-scored are their own", "lone", "leads top", []string{"L4"}, others},
			{"no team's unclaimed leads", "lone", "leads unclaimed", []string{"not in a team"}, others},
			{"their deals are their own", "lone", "deals", []string{"no open deals"}, others},
			{"and so are 'the team's'", "lone", "deals team", nil, others},
			{"deals in a stage are their own", "lone", "deals prospecting", nil, others},
			{"tasks are their own", "lone", "tasks", []string{"No open tasks"}, others},
			{"the review is their own", "lone", "review", nil, others},
			{"the pipeline is their own", "lone", "pipeline", []string{"No open deals"}, others},
			{"a team pipeline is refused", "lone", "pipeline team", []string{"not in a team"}, append([]string{"open deal ·"}, others...)},
			{"stats are their own", "lone", "stats", []string{"0 open · 0 won"}, others},
			{"another's lead cannot be shown", "lone", "lead L1", []string{"not yours"}, others[:3]},
			{"another's deal cannot be shown", "lone", "deal D2", []string{"not yours"}, others[:3]},
			{"the user directory is not theirs to search", "lone", "assign L4 s", nil, []string{"somchai@example.com", "niran@example.com"}},

			// A manager of no team.
			{"a manager of no team finds nobody's contacts", "mira", "find anna", []string{"Nobody matches"}, others},
			{"nor by phone", "mira", "find 48600123456", []string{"Nobody matches"}, refs},
			{"no team's leads", "mira", "leads unclaimed", []string{"not in a team"}, others},
			{"the best-scored are their own", "mira", "leads top", nil, others},
			{"no team's deals", "mira", "deals team", nil, others},
			{"deals in a stage are their own", "mira", "deals prospecting", nil, others},
			{"no team's tasks", "mira", "tasks", []string{"No open tasks"}, others},
			{"no team's review", "mira", "review", nil, others},
			{"no team's pipeline", "mira", "pipeline team", []string{"not in a team"}, append([]string{"open deal ·"}, others...)},
			{"no team's stats", "mira", "stats", []string{"Stats: you, all time", "0 open · 0 won"}, append([]string{"team"}, others...)},
			{"and no team stats", "mira", "stats team", []string{"not in a team"}, others},
			{"no team's forecast", "mira", "forecast", []string{"Weighted pipeline  0.00 EUR"}, others},
			{"no other users to assign to", "mira", "assign L3 s", nil, []string{"somchai@example.com", "niran@example.com"}},

			// A rep of another team.
			{"a Warsaw rep finds Warsaw's contacts", "zofia", "find anna", []string{"anna@kowalska.pl", "D1"}, []string{"anna@siam.co.th", "anna@nobody.co.th", "anna.own@example.com", "D2"}},
			{"but not Bangkok's by email", "zofia", "find anna@siam.co.th", []string{"Nobody matches"}, []string{"D2", "Srisuk"}},
			{"a Bangkok rep finds Bangkok's", "pim", "find anna", []string{"anna@siam.co.th"}, []string{"anna@kowalska.pl", "600123456", "D1"}},
			{"a Bangkok rep does not find Warsaw's by phone", "pim", "find 48600123456", []string{"Nobody matches"}, []string{"anna@kowalska.pl", "D1"}},
		})
	})
}

// A rep asking for the team's stats gets the team's totals, named as the
// team's, without how each colleague is doing; the manager gets those too.
func TestARepSeesTheTeamsStats(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		c.addUser("lone", core.UserDef{Email: "lone@example.com", Name: "Lone Ranger"})
		c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
		c.lead("Bangkok", "Malee Jaidee", "malee@foods.co.th", "Siam Foods")
		c.lead("Warsaw", "Anna Nowak", "anna@polimex.pl", "Polimex")
		c.run(t, []step{
			{"Niran wins a deal", "niran", "claim L1", nil, nil},
			{"worth 1000 euros", "niran", "qualify L1 1000 EUR", []string{"D1"}, nil},
			{"won", "niran", "won D1", []string{"D1 won"}, nil},
			{"Pim has one open", "pim", "claim L2", nil, nil},
			{"worth 2000 euros", "pim", "qualify L2 2000 EUR", []string{"D2"}, nil},
			{"Zofia has one open in Warsaw", "zofia", "claim L3", nil, nil},
			{"worth 5000 euros", "zofia", "qualify L3 5000 EUR", []string{"D3"}, nil},

			{"a rep's stats are their own", "niran", "stats", []string{"Stats: you, all time", "0 open · 1 won · 0 lost", "Open value     0.00 EUR"}, nil},
			{"a rep's team stats are the team's", "niran", "stats team", []string{"Stats: team Bangkok, all time", "1 open · 1 won · 0 lost · win rate 100%", "Won value      1,000.00 EUR", "Open value     2,000.00 EUR"}, []string{"Pim Jaidee", "5,000.00"}},
			{"and so for a month", "pim", "stats team month", []string{"Stats: team Bangkok, November 2026", "1 open · 1 won"}, []string{"Niran Srisuk", "5,000.00"}},
			{"a rep of the other team sees theirs", "zofia", "stats team", []string{"Stats: team Warsaw, all time", "1 open · 0 won", "Open value     5,000.00 EUR"}, []string{"2,000.00", "Niran"}},
			{"the manager sees the team's with each rep", "somchai", "stats team", []string{"Stats: team Bangkok, all time", "1 open · 1 won", "Niran Srisuk", "Pim Jaidee"}, []string{"5,000.00"}},
			{"the manager's own", "somchai", "stats me", []string{"Stats: you, all time", "0 open · 0 won"}, nil},
			{"the admin sees every team", "ada", "stats", []string{"Stats: every team, all time", "2 open · 1 won"}, nil},
			{"a rep in no team is told there is no team", "lone", "stats team", []string{"You are not in a team, so there are no team figures to show; yours are under: stats me"}, []string{"Stats:"}},
		})
	})
}

// A rep of a team whose reps read the team's sees a teammate's deal, in
// lists and on its card (without buttons), and still cannot change it; a
// rep of another team sees nothing of it.
func TestTeamVisibilityInChat(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		if err := db.Update(c.ctx, func(tx core.Tx) error {
			tm, err := tx.TeamByName(c.ctx, "Bangkok")
			if err != nil {
				return err
			}
			tm.Visibility = core.VisibilityTeam
			return tx.UpdateTeam(c.ctx, tm)
		}); err != nil {
			t.Fatal(err)
		}
		c.lead("Bangkok", "Anna Srisuk", "anna@siam.co.th", "Siam Widgets")
		c.lead("Bangkok", "Anna Unclaimed", "anna@nobody.co.th", "Nobody Co")
		c.run(t, []step{
			{"Niran claims his lead", "niran", "claim L1", []string{"L1 is yours now."}, nil},
			{"and qualifies it", "niran", "qualify L1 450000 THB", []string{"L1 qualified into D1"}, nil},
			{"Pim lists the team's deals", "pim", "deals team", []string{"Open deals of your team", "Siam Widgets"}, []string{"are for its manager"}},
			{"Pim opens Niran's deal, without buttons", "pim", "deal D1", []string{"Siam Widgets", "Niran Srisuk"}, []string{"[1]"}},
			{"and reads its history and why", "pim", "history D1", []string{"qualified by Niran Srisuk into D1"}, nil},
			{"and why", "pim", "why D1", []string{"claimed by Niran Srisuk"}, nil},
			{"but cannot move it", "pim", "move D1 proposal", []string{"D1 is not yours"}, nil},
			{"nor note on it", "pim", "note D1 mine", []string{"D1 is not yours"}, nil},
			{"the best-scored leads are listed once each", "pim", "leads top", []string{"Nobody Co"}, nil},
			{"Zofia of Warsaw sees nothing of it", "zofia", "deal D1", []string{"D1 is not yours"}, []string{"Siam"}},
			{"nor its history", "zofia", "history D1", []string{"D1 is not yours"}, []string{"qualified"}},
		})
		t.Run("the best-scored leads are listed once each", func(t *testing.T) {
			out := c.say(t, "pim", "leads top")
			if strings.Count(out, "Nobody Co") != 1 {
				t.Fatalf("leads top:\n%s", out)
			}
		})
	})
}

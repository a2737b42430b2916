package core_test

import (
	"slices"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// ruleRunner runs the rule jobs enqueued since it last ran, as the
// worker does, and returns the names of the rules that applied.
type ruleRunner struct {
	svc  *core.Service
	db   *storage.DB
	done int
}

func (r *ruleRunner) run(t *testing.T) []string {
	t.Helper()
	jobs := jobArgs[core.RuleJob](t, r.db, "rule")
	var applied []string
	for _, j := range jobs[r.done:] {
		names, err := r.svc.RunRules(t.Context(), j)
		if err != nil {
			t.Fatal(err)
		}
		applied = append(applied, names...)
	}
	r.done = len(jobs)
	return applied
}

func ptr[T any](v T) *T { return &v }

func TestRulesWithoutTheirTriggerEnqueueNothing(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.svc = withChannels(t, f, []core.Rule{{Name: "won", Trigger: core.TriggerDealWon,
			Actions: []core.RuleAction{{Kind: core.ActionNotify, To: core.NotifyTeam, Text: "won!"}}}})
		id := f.newLead(t, "Bangkok", "quiet@corp.th")
		if _, err := f.svc.Claim(f.ctx, f.repA, id); err != nil {
			t.Fatal(err)
		}
		d, err := f.svc.Qualify(f.ctx, f.repA, id, core.QualifyInput{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Move(f.ctx, f.repA, d.ID, "proposal"); err != nil {
			t.Fatal(err)
		}
		if jobs := jobArgs[core.RuleJob](t, db, "rule"); len(jobs) != 0 {
			t.Fatalf("rule jobs without a rule of their trigger: %+v", jobs)
		}
		if _, err := f.svc.Win(f.ctx, f.repA, d.ID); err != nil {
			t.Fatal(err)
		}
		jobs := jobArgs[core.RuleJob](t, db, "rule")
		if len(jobs) != 1 || jobs[0].Trigger != core.TriggerDealWon || jobs[0].DealID != d.ID {
			t.Fatalf("rule jobs after a win = %+v", jobs)
		}
	})
}

func TestRules(t *testing.T) {
	rules := []core.Rule{
		{Name: "hot web leads", Trigger: core.TriggerLeadCaptured,
			When:    core.RuleConditions{Sources: []string{"WebForm"}, Team: "bangkok", MinScore: ptr(10)},
			Actions: []core.RuleAction{{Kind: core.ActionAddScore, Points: 20}, {Kind: core.ActionAssignRoundRobin}}},
		{Name: "first call", Trigger: core.TriggerLeadClaimed,
			Actions: []core.RuleAction{{Kind: core.ActionCreateTask, Title: "first call", Due: 2 * time.Hour},
				{Kind: core.ActionNotify, To: core.NotifyOwner, Text: "call them within two hours"}}},
		{Name: "proposal follow-up", Trigger: core.TriggerDealStageChanged, When: core.RuleConditions{Stage: "Proposal", Pipeline: "sales"},
			Actions: []core.RuleAction{{Kind: core.ActionCreateTask, Title: "follow up on proposal", Due: 3 * 24 * time.Hour}}},
		{Name: "big win", Trigger: core.TriggerDealWon,
			When:    core.RuleConditions{MinValue: &core.Money{Amount: 1000000, Currency: "EUR"}, MaxValue: &core.Money{Amount: 100000000, Currency: "EUR"}},
			Actions: []core.RuleAction{{Kind: core.ActionNotify, To: core.NotifyTeam, Text: "a big one!"}}},
		{Name: "lost review", Trigger: core.TriggerDealLost,
			Actions: []core.RuleAction{{Kind: core.ActionNotify, To: core.NotifyManager, Text: "review this loss"}}},
		{Name: "wake up", Trigger: core.TriggerDealIdle,
			Actions: []core.RuleAction{{Kind: core.ActionMoveStage, Stage: "Negotiation"}}},
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.svc = withChannels(t, f, rules)
		runner := &ruleRunner{svc: f.svc, db: db}
		tasks := func(t *testing.T, dealID, leadID int64) []core.Task {
			t.Helper()
			ts, err := db.ListTasks(f.ctx, core.TaskFilter{DealID: dealID, LeadID: leadID})
			if err != nil {
				t.Fatal(err)
			}
			return ts
		}
		texts := func() []string {
			var out []string
			for _, n := range notices(t, db, core.NoticeText) {
				out = append(out, n.Text)
			}
			return out
		}

		var hot int64
		t.Run("lead.captured: a matching lead is scored up and assigned round-robin", func(t *testing.T) {
			hot = f.newLead(t, "Bangkok", "hot@corp.th")
			before, _ := db.LeadByID(f.ctx, hot)
			if got := runner.run(t); !slices.Equal(got, []string{"hot web leads"}) {
				t.Fatalf("applied %v", got)
			}
			l, _ := db.LeadByID(f.ctx, hot)
			if l.Score != before.Score+20 || l.OwnerID == 0 || l.Status != core.LeadClaimed {
				t.Fatalf("lead after the rule = score %d (was %d), owner %d, %s", l.Score, before.Score, l.OwnerID, l.Status)
			}
			if !l.FirstResponseAt.IsZero() {
				t.Errorf("a rule's assignment counted as a response")
			}
		})
		t.Run("lead.captured: the rep the rule gave it to is told, and why says which rule", func(t *testing.T) {
			l, _ := db.LeadByID(f.ctx, hot)
			var got []core.Notice
			for _, n := range notices(t, db, core.NoticeAssigned) {
				if n.LeadID == hot {
					got = append(got, n)
				}
			}
			if len(got) != 1 || got[0].UserID != l.OwnerID || got[0].How != core.RouteRoundRobin || got[0].Text != "hot web leads" || got[0].By != 0 {
				t.Fatalf("assigned notices %+v", got)
			}
			w, err := f.svc.Why(f.ctx, f.admin, core.Ref{Kind: 'L', ID: hot})
			if err != nil {
				t.Fatal(err)
			}
			last := w.Routes[len(w.Routes)-1]
			if last.How != core.RouteRoundRobin || last.Rule != "hot web leads" || last.ToID != l.OwnerID {
				t.Fatalf("routes %+v", w.Routes)
			}
			if !slices.ContainsFunc(w.Hits, func(h core.ScoreHit) bool { return h.Rule == "rule:hot web leads" && h.Points == 20 && !h.At.IsZero() }) {
				t.Fatalf("hits %+v lack the rule's points", w.Hits)
			}
		})
		t.Run("lead.captured: conditions on team and source keep others out", func(t *testing.T) {
			f.newLead(t, "Warsaw", "zimny@firma.pl")
			f.capture(t, core.Inbound{Channel: core.ChannelEmail, Source: "sales@", ExternalID: "<x@y>", Email: "mail@corp.th", Team: "Bangkok"})
			if got := runner.run(t); len(got) != 0 {
				t.Fatalf("applied %v", got)
			}
		})

		t.Run("lead.claimed: a task and a notice for the owner", func(t *testing.T) {
			id := f.newLead(t, "Warsaw", "klient@firma.pl")
			runner.run(t)
			if _, err := f.svc.Claim(f.ctx, f.repW, id); err != nil {
				t.Fatal(err)
			}
			if got := runner.run(t); !slices.Equal(got, []string{"first call"}) {
				t.Fatalf("applied %v", got)
			}
			ts := tasks(t, 0, id)
			if len(ts) != 1 || ts[0].Title != "first call" || ts[0].OwnerID != f.repW.ID || !ts[0].DueAt.Equal(f.clock.Now().Add(2*time.Hour)) {
				t.Fatalf("tasks = %+v", ts)
			}
			reminded := false
			for _, j := range jobArgs[core.ReminderJob](t, db, "reminder") {
				reminded = reminded || (j.TaskID == ts[0].ID && j.DueAt.Equal(ts[0].DueAt))
			}
			if !reminded {
				t.Errorf("the rule's task T%d has no reminder scheduled", ts[0].ID)
			}
			ns := notices(t, db, core.NoticeText)
			if len(ns) != 1 || ns[0].UserID != f.repW.ID || ns[0].LeadID != id || ns[0].Text != "call them within two hours" {
				t.Fatalf("notices = %+v", ns)
			}
		})

		warsawDeal := func(t *testing.T, email, value, cur string) *core.Deal {
			t.Helper()
			id := f.newLead(t, "Warsaw", email)
			m, err := core.ParseMoney(value, cur)
			if err != nil {
				t.Fatal(err)
			}
			d, err := f.svc.Qualify(f.ctx, f.repW, id, core.QualifyInput{Value: m})
			if err != nil {
				t.Fatal(err)
			}
			runner.run(t)
			return d
		}
		t.Run("deal.stage_changed: entering Proposal creates the follow-up task", func(t *testing.T) {
			d := warsawDeal(t, "oferta@firma.pl", "20000", "EUR")
			if _, err := f.svc.Move(f.ctx, f.repW, d.ID, "meeting"); err != nil {
				t.Fatal(err)
			}
			if got := runner.run(t); len(got) != 0 {
				t.Fatalf("entering Meeting applied %v", got)
			}
			if _, err := f.svc.Move(f.ctx, f.repW, d.ID, "proposal"); err != nil {
				t.Fatal(err)
			}
			if got := runner.run(t); !slices.Equal(got, []string{"proposal follow-up"}) {
				t.Fatalf("entering Proposal applied %v", got)
			}
			ts := tasks(t, d.ID, 0)
			if len(ts) != 1 || ts[0].Title != "follow up on proposal" || ts[0].OwnerID != f.repW.ID || !ts[0].DueAt.Equal(f.clock.Now().Add(72*time.Hour)) {
				t.Fatalf("tasks = %+v", ts)
			}
		})
		t.Run("deal.won: a big deal is announced to the team, a small one is not", func(t *testing.T) {
			big := warsawDeal(t, "duzy@firma.pl", "20000", "EUR")
			small := warsawDeal(t, "maly@firma.pl", "5000", "THB") // 125 EUR
			warsaw, _ := db.TeamByName(f.ctx, "Warsaw")
			for _, d := range []*core.Deal{big, small} {
				if _, err := f.svc.Win(f.ctx, f.repW, d.ID); err != nil {
					t.Fatal(err)
				}
			}
			if got := runner.run(t); !slices.Equal(got, []string{"big win"}) {
				t.Fatalf("applied %v", got)
			}
			ns := notices(t, db, core.NoticeText)
			last := ns[len(ns)-1]
			if last.TeamID != warsaw.ID || last.DealID != big.ID || last.Text != "a big one!" {
				t.Fatalf("notice = %+v", last)
			}
		})
		t.Run("deal.lost: the team's manager is told", func(t *testing.T) {
			id := f.newLead(t, "Bangkok", "lost@corp.th")
			runner.run(t)
			d, err := f.svc.Qualify(f.ctx, f.mgr, id, core.QualifyInput{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Lose(f.ctx, f.mgr, d.ID, "price"); err != nil {
				t.Fatal(err)
			}
			if got := runner.run(t); !slices.Equal(got, []string{"lost review"}) {
				t.Fatalf("applied %v", got)
			}
			if got := texts(); got[len(got)-1] != "review this loss" {
				t.Fatalf("texts = %v", got)
			}
			ns := notices(t, db, core.NoticeText)
			if last := ns[len(ns)-1]; last.UserID != f.mgr.ID || last.DealID != d.ID {
				t.Fatalf("notice = %+v, want to the manager", last)
			}
		})
		t.Run("deal.idle: raised once a period by the sweep; the rule's move fires no further rules", func(t *testing.T) {
			d := warsawDeal(t, "cisza@firma.pl", "100", "EUR") // Prospecting rots after 7 days
			f.clock.Advance(8 * 24 * time.Hour)
			for range 2 {
				if _, err := f.svc.SweepRotting(f.ctx, f.clock.Now()); err != nil {
					t.Fatal(err)
				}
			}
			jobs := jobArgs[core.RuleJob](t, db, "rule")
			var idle []core.RuleJob
			for _, j := range jobs {
				if j.Trigger == core.TriggerDealIdle {
					idle = append(idle, j)
				}
			}
			if len(idle) != 1 || idle[0].DealID != d.ID {
				t.Fatalf("idle jobs = %+v, want one for %s", idle, d.Ref())
			}
			if got := runner.run(t); !slices.Equal(got, []string{"wake up"}) {
				t.Fatalf("applied %v", got)
			}
			moved, _ := db.DealByID(f.ctx, d.ID)
			p, _ := db.DefaultPipeline(f.ctx)
			if p.Stage(moved.StageID).Name != "Negotiation" {
				t.Fatalf("deal in %s, want Negotiation", p.Stage(moved.StageID).Name)
			}
			if after := jobArgs[core.RuleJob](t, db, "rule"); len(after) != len(jobs) {
				t.Fatalf("the rule's move enqueued %+v", after[len(jobs):])
			}
		})
	})
}

func TestANewDealEntersItsFirstStage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.svc = withChannels(t, f, []core.Rule{{Name: "budget", Trigger: core.TriggerDealStageChanged, When: core.RuleConditions{Stage: "Prospecting"},
			Actions: []core.RuleAction{{Kind: core.ActionCreateTask, Title: "check the budget", Due: 24 * time.Hour}}}})
		runner := &ruleRunner{svc: f.svc, db: db}
		id := f.newLead(t, "Bangkok", "new@corp.th")
		d, err := f.svc.Qualify(f.ctx, f.repA, id, core.QualifyInput{})
		if err != nil {
			t.Fatal(err)
		}
		if got := runner.run(t); !slices.Equal(got, []string{"budget"}) {
			t.Fatalf("applied %v", got)
		}
		ts, err := db.ListTasks(f.ctx, core.TaskFilter{DealID: d.ID})
		if err != nil || len(ts) != 1 || ts[0].Title != "check the budget" || ts[0].OwnerID != f.repA.ID {
			t.Fatalf("tasks = %+v, %v", ts, err)
		}
	})
}

package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// rowsStore is the store with Stats over the rows, never the running
// totals: a service over it reports what today's queries say.
type rowsStore struct{ *storage.DB }

func (s rowsStore) Stats(ctx context.Context, f core.StatsFilter) (*core.StatsData, error) {
	return storage.StatsFromRows(ctx, s.DB, f)
}

// TestRunningTotalsAgreeWithTheRows drives three months of leads and deals
// through the service (capture, claims, qualifying, moves, wins, losses,
// reopening, new owners, values, currencies, close dates, probabilities,
// merges, an erasure, imports), and a few writes the service never makes
// (a deal changing team, rows deleted, a stage's probability changed);
// then stats, metrics and forecasts read from the running totals must
// equal those recomputed from the rows, for the whole organisation, a
// team, an owner, a pipeline and windows of whole months (and one that is
// not, which reads the rows either way).
func TestRunningTotalsAgreeWithTheRows(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		clock := clocktest.New(time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC))
		settings := core.DefaultSettings()
		settings.Rates = core.Rates{Base: "EUR", Rates: map[string]float64{"THB": 0.025, "PLN": 0.23, "USD": 0.92}}
		svc := core.NewService(db, clock, settings, nil)
		rows := core.NewService(rowsStore{db}, clock, settings, nil)
		err := svc.Directory.Sync(ctx, core.OrgDef{
			Teams: []core.TeamDef{{Name: "Bangkok", Manager: "somchai@example.com"}, {Name: "Warsaw"}},
			Users: []core.UserDef{
				{Email: "admin@example.com", Name: "Ada", Role: core.RoleAdmin},
				{Email: "somchai@example.com", Name: "Somchai", Role: core.RoleManager, Team: "Bangkok"},
				{Email: "niran@example.com", Name: "Niran", Team: "Bangkok"},
				{Email: "pim@example.com", Name: "Pim", Team: "Bangkok"},
				{Email: "zofia@example.com", Name: "Zofia", Team: "Warsaw"},
			},
			Pipelines: []core.PipelineDef{
				{Name: "Sales", Default: true, Stages: []core.StageDef{{Name: "Prospecting", Probability: 10, RotDays: 3},
					{Name: "Qualified", Probability: 25, RotDays: 20}, {Name: "Proposal", Probability: 60}, {Name: "Negotiation", Probability: 80, RotDays: 9}}},
				{Name: "Renewals", Stages: []core.StageDef{{Name: "Due", Probability: 50, RotDays: 30}, {Name: "Quoted", Probability: 70}}},
			},
			Targets: []core.TargetDef{{Team: "Bangkok", Month: "2026-11", Amount: core.Money{Amount: 5000000, Currency: "EUR"}}},
		})
		if err != nil {
			t.Fatalf("sync directory: %v", err)
		}
		user := func(email string) *core.User {
			u, err := db.UserByEmail(ctx, email)
			if err != nil {
				t.Fatalf("user %s: %v", email, err)
			}
			return u
		}
		admin, mgr, niran, pim, zofia := user("admin@example.com"), user("somchai@example.com"),
			user("niran@example.com"), user("pim@example.com"), user("zofia@example.com")
		must := func(what string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}

		// Three months of leads, a deal from most, moved along.
		type lead struct {
			id, contact, deal int64
			owner             *core.User
		}
		var leads []lead
		channels := []string{core.ChannelWebform, core.ChannelEmail, core.ChannelWebhook}
		currencies := []string{"EUR", "THB", "PLN", "USD"}
		for i := range 36 {
			clock.Advance(61 * time.Hour)
			team, owner := "Bangkok", []*core.User{niran, pim, mgr}[i%3]
			if i%4 == 3 {
				team, owner = "Warsaw", zofia
			}
			res, err := svc.Capture(ctx, core.Inbound{Channel: channels[i%3], Source: "form", ExternalID: fmt.Sprint("m", i),
				Email: fmt.Sprintf("buyer%d@example.com", i), Name: fmt.Sprint("Buyer ", i), Team: team, Subject: "Pricing"})
			must("capture", err)
			l := lead{id: res.LeadID, contact: res.ContactID, owner: owner}
			if i%6 != 5 { // some leads stay unclaimed
				_, err := svc.Assign(ctx, admin, l.id, owner.ID)
				must("assign", err)
			}
			if i%6 < 4 {
				in := core.QualifyInput{Value: core.Money{Amount: int64(1000+137*i) * 100, Currency: currencies[i%4]},
					ExpectedClose: clock.Now().AddDate(0, 0, 10+9*i%50)}
				if i%5 == 0 {
					in.Pipeline = "Renewals"
				}
				if i%7 == 0 {
					in.ExpectedClose = time.Time{}
				}
				d, err := svc.Qualify(ctx, owner, l.id, in)
				must("qualify", err)
				l.deal = d.ID
			}
			leads = append(leads, l)
		}
		for i, l := range leads {
			if l.deal == 0 {
				continue
			}
			clock.Advance(7 * time.Hour)
			renewal := i%5 == 0
			var err error
			switch i % 8 {
			case 0, 1:
				if !renewal {
					_, err = svc.Move(ctx, l.owner, l.deal, "proposal")
					must("move", err)
				}
				_, err = svc.Win(ctx, l.owner, l.deal)
				must("win", err)
			case 2:
				_, err = svc.Lose(ctx, l.owner, l.deal, "price")
				must("lose", err)
			case 3:
				_, err = svc.Lose(ctx, l.owner, l.deal, "competitor")
				must("lose", err)
				clock.Advance(30 * time.Hour)
				_, err = svc.Reopen(ctx, l.owner, l.deal)
				must("reopen", err)
				if i%3 == 0 {
					_, err = svc.Win(ctx, l.owner, l.deal)
					must("win after reopening", err)
				}
			case 4:
				if !renewal {
					_, err = svc.Move(ctx, l.owner, l.deal, "nego")
					must("move", err)
					_, err = svc.Move(ctx, l.owner, l.deal, "qualified")
					must("move back", err)
				}
				_, err = svc.SetValue(ctx, l.owner, l.deal, core.Money{Amount: 777700, Currency: "USD"})
				must("set value", err)
			case 5:
				_, err = svc.SetProbability(ctx, l.owner, l.deal, 35)
				must("set probability", err)
				_, err = svc.SetCloseDate(ctx, l.owner, l.deal, clock.Now().AddDate(0, 2, 0))
				must("set close date", err)
			case 6:
				if l.owner.TeamID == mgr.TeamID {
					other := niran
					if l.owner.ID == niran.ID {
						other = pim
					}
					_, err = svc.AssignDeal(ctx, mgr, l.deal, other.ID)
					must("assign deal", err)
				}
			}
		}
		// A batch of inbounds, written a statement a table.
		var batch []core.Inbound
		for i := range 5 {
			batch = append(batch, core.Inbound{Channel: channels[i%3], Source: "batch", ExternalID: fmt.Sprint("b", i),
				Email: fmt.Sprintf("batch%d@example.com", i), Name: fmt.Sprint("Batch ", i), Team: []string{"Bangkok", "Warsaw"}[i%2]})
		}
		_, errs := svc.CaptureBatch(ctx, batch)
		for _, err := range errs {
			must("capture batch", err)
		}
		// Two people who turn out to be one, and one who asks to be forgotten.
		_, err = svc.Merge(ctx, admin, leads[0].contact, leads[4].contact)
		must("merge", err)
		_, err = svc.Erase(ctx, admin, "buyer9@example.com", "asked to be forgotten")
		must("erase", err)
		_, errs = svc.ImportContacts(ctx, admin, []core.Inbound{{Email: "old@example.com", Name: "Old Friend", Team: "Warsaw"}})
		for _, err := range errs {
			must("import contacts", err)
		}
		_, errs = svc.ImportDeals(ctx, admin, []core.DealImport{
			{Inbound: core.Inbound{Email: "imp1@example.com", Name: "Imp One", Team: "Bangkok"}, Value: core.Money{Amount: 900000, Currency: "THB"},
				Stage: "Proposal", Owner: "pim@example.com", ExpectedClose: time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)},
			{Inbound: core.Inbound{Email: "imp2@example.com", Name: "Imp Two", Team: "Warsaw"}, Value: core.Money{Amount: 120000, Currency: "PLN"},
				Status: core.DealWon, Owner: "zofia@example.com", ClosedAt: time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC)},
			{Inbound: core.Inbound{Email: "imp3@example.com", Name: "Imp Three", Team: "Warsaw"}, Value: core.Money{Amount: 50000, Currency: "EUR"},
				Status: core.DealLost, LostReason: "price", Owner: "zofia@example.com"},
		})
		for _, err := range errs {
			must("import deals", err)
		}
		// Writes outside the service: a deal moves to another team, a deal
		// and a lead are made and deleted, a stage's probability changes.
		update(t, db, func(tx core.Tx) error {
			d, err := tx.DealByID(ctx, leads[1].deal)
			if err != nil {
				return err
			}
			d.TeamID, d.OwnerID = zofia.TeamID, zofia.ID
			if err := tx.UpdateDeal(ctx, d); err != nil {
				return err
			}
			gone := &core.Deal{Title: "gone", OwnerID: niran.ID, TeamID: niran.TeamID, PipelineID: d.PipelineID, StageID: d.StageID,
				Value: core.Money{Amount: 5000, Currency: "EUR"}, Probability: -1, Status: core.DealOpen, CreatedAt: clock.Now()}
			if err := tx.CreateDeal(ctx, gone); err != nil {
				return err
			}
			goneLead := &core.Lead{ContactID: leads[2].contact, TeamID: niran.TeamID, Status: core.LeadNew,
				SourceChannel: core.ChannelManual, CreatedAt: clock.Now()}
			return tx.CreateLead(ctx, goneLead)
		})
		for _, q := range []string{`DELETE FROM deals WHERE title = 'gone'`, `DELETE FROM leads WHERE source_channel = 'manual'`,
			`UPDATE stages SET probability = 45 WHERE name = 'Qualified'`} {
			if _, err := db.SQL().ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		clock.Advance(24 * time.Hour)

		p, err := db.DefaultPipeline(ctx)
		must("default pipeline", err)
		month := func(m time.Month) time.Time { return time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC) }
		filters := map[string]core.StatsFilter{
			"everything":                     {},
			"a team":                         {TeamID: mgr.TeamID},
			"another team":                   {TeamID: zofia.TeamID},
			"an owner":                       {OwnerID: niran.ID},
			"a pipeline":                     {PipelineID: p.ID},
			"October":                        {From: month(10), To: month(11)},
			"from November":                  {From: month(11)},
			"until December":                 {To: month(12)},
			"a team in November":             {TeamID: mgr.TeamID, From: month(11), To: month(12)},
			"an owner in a pipeline":         {OwnerID: pim.ID, PipelineID: p.ID},
			"a window off the month (rows)":  {From: month(10).Add(36 * time.Hour), To: month(12)},
			"closed in November (rows)":      {ClosedFrom: month(11), ClosedTo: month(12)},
			"the forecast part":              {Parts: core.StatsForecast},
			"the deals of a team in October": {TeamID: mgr.TeamID, From: month(10), To: month(11), Parts: core.StatsDeals},
		}
		approx := cmpopts.EquateApprox(1e-9, 1e-6)
		for name, f := range filters {
			t.Run(name, func(t *testing.T) {
				got, err := db.Stats(ctx, f)
				must("stats", err)
				want, err := storage.StatsFromRows(ctx, db, f)
				must("stats from rows", err)
				if diff := cmp.Diff(want, got, approx, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("stats (-rows +totals):\n%s", diff)
				}
				rotting, err := db.RottingDeals(ctx, f, clock.Now(), 1000)
				must("rotting deals", err)
				for _, limit := range []int{1000, 2} {
					n, err := db.RottingCount(ctx, f, clock.Now(), limit)
					if err != nil || n != min(limit, len(rotting)) {
						t.Errorf("rotting count up to %d = %d, %v; want %d", limit, n, err, min(limit, len(rotting)))
					}
				}
				for _, actor := range []*core.User{admin, mgr, niran} {
					got, err := svc.Reports.Metrics(ctx, actor, f)
					must("metrics", err)
					want, err := rows.Reports.Metrics(ctx, actor, f)
					must("metrics from rows", err)
					if diff := cmp.Diff(want, got, approx, cmpopts.EquateEmpty()); diff != "" {
						t.Errorf("metrics of %s (-rows +totals):\n%s", actor.Email, diff)
					}
					for _, m := range []string{"2026-10", "2026-11", "2026-12"} {
						got, err := svc.Reports.Forecast(ctx, actor, f, m)
						must("forecast", err)
						want, err := rows.Reports.Forecast(ctx, actor, f, m)
						must("forecast from rows", err)
						if diff := cmp.Diff(want, got, approx, cmpopts.EquateEmpty()); diff != "" {
							t.Errorf("forecast of %s for %s (-rows +totals):\n%s", actor.Email, m, diff)
						}
					}
				}
			})
		}
		t.Run("some deals rot", func(t *testing.T) {
			if n, err := db.RottingCount(ctx, core.StatsFilter{}, clock.Now(), 1000); err != nil || n == 0 {
				t.Errorf("rotting count = %d, %v", n, err)
			}
		})
		t.Run("the totals hold some of every kind of row", func(t *testing.T) {
			for _, table := range []string{"deal_totals", "open_deal_totals", "open_stage_totals", "reach_totals", "lead_totals"} {
				var n int
				if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil || n == 0 {
					t.Errorf("%s has %d rows, %v", table, n, err)
				}
			}
		})
	})
}

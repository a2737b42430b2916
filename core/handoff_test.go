package core_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// handoffFixture is a service whose users are linked to Slack, so that
// notices to them are enqueued: Bangkok (manager, two reps; visibility
// team), Warsaw (one rep; visibility own, two reps), a rep in no team and
// an admin.
type handoffFixture struct {
	ctx                     context.Context
	svc                     *core.Service
	db                      *storage.DB
	clock                   *clocktest.Clock
	admin, mgr, niran, pim  *core.User
	zofia, jan, loner, mgrW *core.User
	notices                 func(t *testing.T) []string
}

func newHandoff(t *testing.T, db *storage.DB) *handoffFixture {
	t.Helper()
	ctx := context.Background()
	clock := clocktest.New(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	settings := core.DefaultSettings()
	settings.Channels = []string{core.ChannelSlack}
	svc := core.NewService(db, clock, settings, nil)
	org := core.OrgDef{
		Teams: []core.TeamDef{
			{Name: "Bangkok", Manager: "somchai@example.com", Region: "TH", Visibility: core.VisibilityTeam},
			{Name: "Warsaw", Manager: "kasia@example.com", Region: "PL"},
		},
		Users: []core.UserDef{
			{Email: "admin@example.com", Name: "Ada", Role: core.RoleAdmin, SlackID: "UADA"},
			{Email: "somchai@example.com", Name: "Somchai", Role: core.RoleManager, Team: "Bangkok", SlackID: "USOM"},
			{Email: "niran@example.com", Name: "Niran", Team: "Bangkok", SlackID: "UNIR"},
			{Email: "pim@example.com", Name: "Pim", Team: "Bangkok", SlackID: "UPIM"},
			{Email: "kasia@example.com", Name: "Kasia", Role: core.RoleManager, Team: "Warsaw", SlackID: "UKAS"},
			{Email: "zofia@example.com", Name: "Zofia", Team: "Warsaw", SlackID: "UZOF"},
			{Email: "jan@example.com", Name: "Jan", Team: "Warsaw", SlackID: "UJAN"},
			{Email: "loner@example.com", Name: "Lone", SlackID: "ULON"},
		},
		Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{{Name: "Qualified"}, {Name: "Proposal"}}}},
	}
	if err := svc.Directory.Sync(ctx, org); err != nil {
		t.Fatal(err)
	}
	f := &handoffFixture{ctx: ctx, svc: svc, db: db, clock: clock}
	for _, p := range []struct {
		u     **core.User
		email string
	}{{&f.admin, "admin@example.com"}, {&f.mgr, "somchai@example.com"}, {&f.niran, "niran@example.com"}, {&f.pim, "pim@example.com"},
		{&f.zofia, "zofia@example.com"}, {&f.jan, "jan@example.com"}, {&f.loner, "loner@example.com"}, {&f.mgrW, "kasia@example.com"}} {
		u, err := db.UserByEmail(ctx, p.email)
		if err != nil {
			t.Fatal(err)
		}
		*p.u = u
	}
	jobs, err := river.NewClient(db.RiverDriver(), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	// notices returns the notices announced since it was last called, as
	// "kind user lead deal task by", in order.
	f.notices = func(t *testing.T) []string {
		t.Helper()
		res, err := jobs.JobList(ctx, river.NewJobListParams().Kinds("notify").First(1000))
		if err != nil {
			t.Fatal(err)
		}
		rows := res.Jobs
		slices.SortFunc(rows, func(a, b *rivertype.JobRow) int { return int(a.ID - b.ID) })
		var out []string
		for _, row := range rows[seen:] {
			var j core.NotifyJob
			if err := json.Unmarshal(row.EncodedArgs, &j); err != nil {
				t.Fatal(err)
			}
			n := j.Notice
			out = append(out, strings.Join([]string{string(n.Kind), who(f, n.UserID), ref('L', n.LeadID), ref('D', n.DealID), ref('T', n.TaskID), "by " + who(f, n.By), string(n.How)}, " "))
		}
		seen = len(rows)
		return out
	}
	return f
}

func who(f *handoffFixture, id int64) string {
	for _, u := range []*core.User{f.admin, f.mgr, f.niran, f.pim, f.zofia, f.jan, f.loner, f.mgrW} {
		if u.ID == id {
			return u.Name
		}
	}
	return "-"
}

func ref(kind byte, id int64) string {
	if id == 0 {
		return "-"
	}
	return core.Ref{Kind: kind, ID: id}.String()
}

// dealOf makes a lead of the team and qualifies it as owner's deal.
func (f *handoffFixture) dealOf(t *testing.T, team string, owner *core.User, email string) *core.Deal {
	t.Helper()
	res, err := f.svc.Capture(f.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: email, Email: email,
		Name: "Prospect " + email, Team: team, Subject: "Pricing please"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Claim(f.ctx, owner, res.LeadID); err != nil {
		t.Fatal(err)
	}
	d, err := f.svc.Qualify(f.ctx, owner, res.LeadID, core.QualifyInput{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestTeamVisibility(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newHandoff(t, db)
		pims := f.dealOf(t, "Bangkok", f.pim, "a@siam.example")
		jans := f.dealOf(t, "Warsaw", f.jan, "b@polska.example")

		t.Run("a rep of a team that reads the team's sees a teammate's deal", func(t *testing.T) {
			if _, err := f.svc.Deal(f.ctx, f.niran, pims.ID); err != nil {
				t.Fatalf("deal: %v", err)
			}
			deals, err := f.svc.Deals(f.ctx, f.niran, core.DealFilter{})
			if err != nil || len(deals) != 1 || deals[0].ID != pims.ID {
				t.Fatalf("deals %+v, %v; want %s", deals, err, pims.Ref())
			}
			leads, err := f.svc.Leads(f.ctx, f.niran, core.LeadFilter{})
			if err != nil || len(leads) != 1 || leads[0].OwnerID != f.pim.ID {
				t.Fatalf("leads %+v, %v; want Pim's", leads, err)
			}
			if _, err := f.svc.Timeline(f.ctx, f.niran, core.Ref{Kind: 'D', ID: pims.ID}, 10); err != nil {
				t.Fatalf("timeline: %v", err)
			}
			if _, err := f.svc.Why(f.ctx, f.niran, core.Ref{Kind: 'D', ID: pims.ID}); err != nil {
				t.Fatalf("why: %v", err)
			}
		})
		t.Run("but cannot move it, note on it or lose it", func(t *testing.T) {
			_, err := f.svc.Move(f.ctx, f.niran, pims.ID, "Proposal")
			wantKind(t, err, core.KindForbidden, "is not yours")
			_, err = f.svc.Note(f.ctx, f.niran, core.Ref{Kind: 'D', ID: pims.ID}, "mine now")
			wantKind(t, err, core.KindForbidden, "is not yours")
			_, err = f.svc.Lose(f.ctx, f.niran, pims.ID, "price")
			wantKind(t, err, core.KindForbidden, "is not yours")
		})
		t.Run("a rep of a team that reads own records does not see a teammate's deal", func(t *testing.T) {
			_, err := f.svc.Deal(f.ctx, f.zofia, jans.ID)
			wantKind(t, err, core.KindForbidden, "is not yours")
			deals, err := f.svc.Deals(f.ctx, f.zofia, core.DealFilter{})
			if err != nil || len(deals) != 0 {
				t.Fatalf("deals %+v, %v; want none", deals, err)
			}
			deals, err = f.svc.Deals(f.ctx, f.zofia, core.DealFilter{OwnerID: f.jan.ID})
			if err != nil || len(deals) != 0 {
				t.Fatalf("Jan's deals asked for: %+v, %v; want none", deals, err)
			}
			_, err = f.svc.Timeline(f.ctx, f.zofia, core.Ref{Kind: 'D', ID: jans.ID}, 10)
			wantKind(t, err, core.KindForbidden, "is not yours")
		})
		t.Run("a rep of another team does not see it, whatever that team reads", func(t *testing.T) {
			_, err := f.svc.Deal(f.ctx, f.zofia, pims.ID)
			wantKind(t, err, core.KindForbidden, "is not yours")
			deals, err := f.svc.Deals(f.ctx, f.niran, core.DealFilter{OwnerID: f.jan.ID})
			if err != nil || len(deals) != 0 {
				t.Fatalf("Jan's deals asked for by Niran: %+v, %v; want none", deals, err)
			}
			_, err = f.svc.Why(f.ctx, f.niran, core.Ref{Kind: 'D', ID: jans.ID})
			wantKind(t, err, core.KindForbidden, "is not yours")
		})
		t.Run("a user in no team sees neither", func(t *testing.T) {
			for _, d := range []*core.Deal{pims, jans} {
				_, err := f.svc.Deal(f.ctx, f.loner, d.ID)
				wantKind(t, err, core.KindForbidden, "is not yours")
			}
			deals, err := f.svc.Deals(f.ctx, f.loner, core.DealFilter{})
			if err != nil || len(deals) != 0 {
				t.Fatalf("deals %+v, %v; want none", deals, err)
			}
			leads, err := f.svc.Leads(f.ctx, f.loner, core.LeadFilter{})
			if err != nil || len(leads) != 0 {
				t.Fatalf("leads %+v, %v; want none", leads, err)
			}
		})
	})
}

func TestHandOff(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newHandoff(t, db)
		d := f.dealOf(t, "Bangkok", f.niran, "c@siam.example")
		jans := f.dealOf(t, "Warsaw", f.jan, "d@polska.example")
		f.notices(t)

		t.Run("a rep cannot hand a deal over, and is told why", func(t *testing.T) {
			_, err := f.svc.AssignDeal(f.ctx, f.niran, d.ID, f.pim.ID)
			wantKind(t, err, core.KindForbidden, "only a manager or an admin hands deals over")
			if key, _ := core.MessageKey(err); key != "assign.rep_deal" {
				t.Fatalf("key %q", key)
			}
		})
		t.Run("a manager cannot hand a deal to someone of another team", func(t *testing.T) {
			_, err := f.svc.AssignDeal(f.ctx, f.mgr, d.ID, f.zofia.ID)
			wantKind(t, err, core.KindForbidden, "Zofia is not in your team")
		})
		t.Run("a manager cannot hand over another team's deal", func(t *testing.T) {
			_, err := f.svc.AssignDeal(f.ctx, f.mgr, jans.ID, f.pim.ID)
			wantKind(t, err, core.KindForbidden, "is not yours")
		})
		t.Run("a manager hands a deal over within the team: both owners are told", func(t *testing.T) {
			got, err := f.svc.AssignDeal(f.ctx, f.mgr, d.ID, f.pim.ID)
			if err != nil || got.OwnerID != f.pim.ID {
				t.Fatalf("assign: %+v, %v", got, err)
			}
			want := []string{"assigned Pim - " + d.Ref() + " - by Somchai assigned", "handed_over Niran - " + d.Ref() + " - by Somchai assigned"}
			if n := f.notices(t); !slices.Equal(n, want) {
				t.Fatalf("notices %q, want %q", n, want)
			}
			w, err := f.svc.Why(f.ctx, f.pim, core.Ref{Kind: 'D', ID: d.ID})
			if err != nil {
				t.Fatal(err)
			}
			last := w.Routes[len(w.Routes)-1]
			if last.How != core.RouteAssigned || last.DealID != d.ID || last.ToID != f.pim.ID || last.FromID != f.niran.ID || last.ByID != f.mgr.ID {
				t.Fatalf("last route %+v", last)
			}
		})
		t.Run("handing it to its owner is refused", func(t *testing.T) {
			_, err := f.svc.AssignDeal(f.ctx, f.mgr, d.ID, f.pim.ID)
			wantKind(t, err, core.KindConflict, "is Pim's already")
		})
		t.Run("an admin hands a deal to anyone, round-robin too", func(t *testing.T) {
			if _, err := f.svc.AssignDeal(f.ctx, f.admin, jans.ID, f.zofia.ID); err != nil {
				t.Fatal(err)
			}
			got, err := f.svc.AssignDealRoundRobin(f.ctx, f.admin, d.ID)
			if err != nil || got.OwnerID == f.pim.ID {
				t.Fatalf("round-robin: %+v, %v", got, err)
			}
			n := f.notices(t)
			if len(n) != 4 || !strings.HasPrefix(n[2], "assigned "+who(f, got.OwnerID)+" - "+d.Ref()+" - by Ada round_robin") {
				t.Fatalf("notices %q", n)
			}
		})
		t.Run("claiming for oneself tells nobody", func(t *testing.T) {
			res, err := f.svc.Capture(f.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "e", Email: "e@siam.example", Team: "Bangkok"})
			if err != nil {
				t.Fatal(err)
			}
			f.notices(t) // the team's new-lead notice
			if _, err := f.svc.Claim(f.ctx, f.pim, res.LeadID); err != nil {
				t.Fatal(err)
			}
			if n := f.notices(t); len(n) != 0 {
				t.Fatalf("notices %q, want none", n)
			}
			t.Run("and a manager giving it to another tells both", func(t *testing.T) {
				if _, err := f.svc.Assign(f.ctx, f.mgr, res.LeadID, f.niran.ID); err != nil {
					t.Fatal(err)
				}
				l := core.LeadRef(res.LeadID)
				want := []string{"assigned Niran " + l + " - - by Somchai assigned", "handed_over Pim " + l + " - - by Somchai assigned"}
				if n := f.notices(t); !slices.Equal(n, want) {
					t.Fatalf("notices %q, want %q", n, want)
				}
			})
		})
	})
}

func TestTaskGiven(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newHandoff(t, db)
		d := f.dealOf(t, "Bangkok", f.niran, "f@siam.example")
		jans := f.dealOf(t, "Warsaw", f.jan, "g@polska.example")
		f.notices(t)
		dref := core.Ref{Kind: 'D', ID: d.ID}
		due := f.clock.Now().Add(24 * time.Hour)

		t.Run("a manager gives a rep of the team a task: it is theirs and they are told", func(t *testing.T) {
			task, err := f.svc.FollowUpFor(f.ctx, f.mgr, f.niran.ID, dref, "call back", due)
			if err != nil {
				t.Fatal(err)
			}
			if task.OwnerID != f.niran.ID || task.DealID != d.ID {
				t.Fatalf("task %+v", task)
			}
			want := []string{"task_given Niran - - " + ref('T', task.ID) + " by Somchai "}
			if n := f.notices(t); !slices.Equal(n, want) {
				t.Fatalf("notices %q, want %q", n, want)
			}
			tasks, err := f.svc.Tasks(f.ctx, f.niran, core.TaskFilter{OpenOnly: true})
			if err != nil || len(tasks) != 1 || tasks[0].ID != task.ID {
				t.Fatalf("Niran's tasks %+v, %v", tasks, err)
			}
		})
		t.Run("a rep cannot give a teammate a task", func(t *testing.T) {
			_, err := f.svc.FollowUpFor(f.ctx, f.niran, f.pim.ID, dref, "call back", due)
			wantKind(t, err, core.KindForbidden, "only a manager or an admin gives tasks")
		})
		t.Run("a manager cannot give a task to another team's rep", func(t *testing.T) {
			_, err := f.svc.FollowUpFor(f.ctx, f.mgr, f.zofia.ID, dref, "call back", due)
			wantKind(t, err, core.KindForbidden, "Zofia is not in your team")
			_, err = f.svc.FollowUpFor(f.ctx, f.mgr, f.niran.ID, core.Ref{Kind: 'D', ID: jans.ID}, "call back", due)
			wantKind(t, err, core.KindForbidden, "is not yours")
		})
		t.Run("an admin gives anyone a task", func(t *testing.T) {
			if _, err := f.svc.FollowUpFor(f.ctx, f.admin, f.zofia.ID, core.Ref{Kind: 'D', ID: jans.ID}, "call back", due); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestWhyAndRouting(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newHandoff(t, db)
		res, err := f.svc.Capture(f.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "w1", Email: "anna@acme.example",
			Company: "Acme", Subject: "Pricing for 50 seats", Team: "Warsaw"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := f.svc.Capture(f.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "w2", Email: "bob@gmail.com"})
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Hour)
		if _, err := f.svc.AssignRoundRobin(f.ctx, f.mgrW, res.LeadID); err != nil {
			t.Fatal(err)
		}
		lref := core.Ref{Kind: 'L', ID: res.LeadID}

		t.Run("each point with its reason and time", func(t *testing.T) {
			w, err := f.svc.Why(f.ctx, f.mgrW, lref)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			sum := 0
			for _, h := range w.Hits {
				got = append(got, h.Rule+"="+h.Detail)
				sum += h.Points
				if h.At.IsZero() {
					t.Errorf("hit %+v has no time", h)
				}
			}
			if sum != w.Score || !slices.Contains(got, "corporate email=acme.example") || !slices.Contains(got, "buying words=pricing") {
				t.Fatalf("hits %q add to %d, score %d", got, sum, w.Score)
			}
		})
		t.Run("how it was routed: its team by its source, then round-robin by the manager", func(t *testing.T) {
			w, err := f.svc.Why(f.ctx, f.mgrW, lref)
			if err != nil {
				t.Fatal(err)
			}
			if len(w.Routes) != 2 {
				t.Fatalf("routes %+v", w.Routes)
			}
			r0, r1 := w.Routes[0], w.Routes[1]
			if r0.How != core.RouteTeam || r0.Region != "PL" || r0.ByID != 0 || r1.How != core.RouteRoundRobin || r1.ByID != f.mgrW.ID || r1.ToID == 0 {
				t.Fatalf("routes %+v", w.Routes)
			}
		})
		t.Run("an inbound naming no team goes to the first", func(t *testing.T) {
			w, err := f.svc.Why(f.ctx, f.admin, core.Ref{Kind: 'L', ID: other.LeadID})
			if err != nil || len(w.Routes) != 1 || w.Routes[0].How != core.RouteFirstTeam || w.Routes[0].Region != "TH" {
				t.Fatalf("why %+v, %v", w, err)
			}
		})
	})
}

func TestImportedDealTellsItsOwner(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newHandoff(t, db)
		f.notices(t)
		rows := []core.DealImport{
			{Inbound: core.Inbound{Channel: core.ChannelImport, Source: "import:deals.csv", ExternalID: "r1", Email: "r1@siam.example", Team: "Bangkok"}, Owner: "pim@example.com"},
			{Inbound: core.Inbound{Channel: core.ChannelImport, Source: "import:deals.csv", ExternalID: "r2", Email: "r2@siam.example", Team: "Bangkok"}, Owner: "pim@example.com", Status: "won"},
			{Inbound: core.Inbound{Channel: core.ChannelImport, Source: "import:deals.csv", ExternalID: "r3", Email: "r3@siam.example", Team: "Bangkok"}, Owner: "somchai@example.com"},
		}
		res, errs := f.svc.ImportDeals(f.ctx, f.mgr, rows)
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		// The open deal imported for Pim tells her; the won one and the
		// manager's own tell nobody.
		want := []string{"assigned Pim - " + ref('D', res[0].DealID) + " - by Somchai imported"}
		if n := f.notices(t); !slices.Equal(n, want) {
			t.Fatalf("notices %q, want %q", n, want)
		}
		w, err := f.svc.Why(f.ctx, f.pim, core.Ref{Kind: 'D', ID: res[0].DealID})
		if err != nil || len(w.Routes) != 2 || w.Routes[0].How != core.RouteTeam || w.Routes[1].How != core.RouteImported || w.Routes[1].ByID != f.mgr.ID {
			t.Fatalf("why %+v, %v", w, err)
		}
	})
}

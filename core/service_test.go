package core_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// fixture is a service over a real database with two teams: Bangkok (a
// manager and two reps) and Warsaw (one rep), an admin, and the default
// pipeline.
type fixture struct {
	ctx                    context.Context
	svc                    *core.Service
	db                     *storage.DB
	clock                  *clocktest.Clock
	admin, mgr, repA, repB *core.User
	repW                   *core.User
}

func newFixture(t *testing.T, db *storage.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := clocktest.New(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	settings := core.DefaultSettings()
	settings.Rates = core.Rates{Base: "EUR", Rates: map[string]float64{"THB": 0.025, "PLN": 0.23}}
	svc := core.NewService(db, clock, settings, nil)
	dir := core.OrgDef{
		Teams: []core.TeamDef{
			{Name: "Bangkok", Manager: "somchai@example.com", Region: "TH"},
			{Name: "Warsaw", Region: "PL", ResponseLimit: 30 * time.Minute},
		},
		Users: []core.UserDef{
			{Email: "admin@example.com", Name: "Ada", Role: core.RoleAdmin},
			{Email: "somchai@example.com", Name: "สมชาย", Role: core.RoleManager, Team: "Bangkok", TimeZone: "Asia/Bangkok"},
			{Email: "niran@example.com", Name: "นิรันดร์", Team: "Bangkok", TimeZone: "Asia/Bangkok"},
			{Email: "pim@example.com", Name: "Pim", Team: "Bangkok", TimeZone: "Asia/Bangkok"},
			{Email: "zofia@example.com", Name: "Zofia Łukasiewicz", Team: "Warsaw", TimeZone: "Europe/Warsaw"},
		},
		Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
			{Name: "Prospecting", Probability: 10, RotDays: 7}, {Name: "Qualified", Probability: 25, RotDays: 10}, {Name: "Meeting", Probability: 40, RotDays: 10}, {Name: "Proposal", Probability: 60, RotDays: 14}, {Name: "Negotiation", Probability: 80, RotDays: 14},
		}}},
		Targets: []core.TargetDef{{Team: "Bangkok", Month: "2026-11", Amount: core.Money{Amount: 5000000, Currency: "EUR"}}},
	}
	if err := svc.Directory.Sync(ctx, dir); err != nil {
		t.Fatalf("sync directory: %v", err)
	}
	f := &fixture{ctx: ctx, svc: svc, db: db, clock: clock}
	for _, p := range []struct {
		u     **core.User
		email string
	}{{&f.admin, "admin@example.com"}, {&f.mgr, "somchai@example.com"}, {&f.repA, "niran@example.com"}, {&f.repB, "pim@example.com"}, {&f.repW, "zofia@example.com"}} {
		u, err := db.UserByEmail(ctx, p.email)
		if err != nil {
			t.Fatalf("user %s: %v", p.email, err)
		}
		*p.u = u
	}
	return f
}

func (f *fixture) capture(t *testing.T, in core.Inbound) core.CaptureResult {
	t.Helper()
	res, err := f.svc.Capture(f.ctx, in)
	if err != nil {
		t.Fatalf("capture %+v: %v", in, err)
	}
	return res
}

func (f *fixture) newLead(t *testing.T, team, email string) int64 {
	t.Helper()
	res := f.capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: email, Email: email, Name: "Prospect " + email, Team: team, Subject: "Pricing please"})
	if !res.NewLead {
		t.Fatalf("capture of %s did not make a new lead: %+v", email, res)
	}
	return res.LeadID
}

func wantKind(t *testing.T, err error, kind core.ErrorKind, contains string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s error containing %q", kind, contains)
	}
	if core.KindOf(err) != kind || !strings.Contains(err.Error(), contains) {
		t.Fatalf("got %s error %q, want %s error containing %q", core.KindOf(err), err, kind, contains)
	}
}

func TestCapture(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		in := core.Inbound{Channel: core.ChannelEmail, Source: "sales@", ExternalID: "<m1@mail.example>",
			Name: "Nguyễn Thị Minh Khai", Email: "Minh.Khai@VinaCorp.vn", Phone: "090 123 45 67", Company: "VinaCorp",
			Subject: "Xin báo giá — quote for 50 seats", Text: "Chào anh,\nplease send pricing.", Team: "Bangkok",
			Metadata: map[string]string{"utm_source": "google"}}
		first := f.capture(t, in)

		t.Run("a new sender becomes a contact and a scored lead", func(t *testing.T) {
			if !first.NewLead || first.LeadID == 0 || first.ContactID == 0 || first.ActivityID == 0 {
				t.Fatalf("result = %+v", first)
			}
			l, err := db.LeadByID(f.ctx, first.LeadID)
			if err != nil {
				t.Fatal(err)
			}
			if l.Status != core.LeadNew || l.SourceChannel != "email" || l.SourceName != "sales@" || l.Metadata["utm_source"] != "google" {
				t.Errorf("lead = %+v", l)
			}
			// has company 10 + corporate 15 + buying words 15 (+ phone 10)
			if l.Score != 50 || len(l.ScoreHits) != 4 {
				t.Errorf("score = %d from %+v, want 50 from 4 rules", l.Score, l.ScoreHits)
			}
			c, err := db.ContactByID(f.ctx, first.ContactID)
			if err != nil {
				t.Fatal(err)
			}
			if c.Emails[0] != "minh.khai@vinacorp.vn" || c.Phones[0] != "+66901234567" || c.Domain != "vinacorp.vn" {
				t.Errorf("contact = %+v (phone read in the Bangkok team's region TH)", c)
			}
		})
		t.Run("a redelivered inbound changes nothing", func(t *testing.T) {
			again := f.capture(t, in)
			if !again.Duplicate || again.LeadID != first.LeadID || again.NewLead {
				t.Fatalf("redelivery = %+v, want duplicate of %+v", again, first)
			}
			acts, _ := db.ListActivities(f.ctx, core.ActivityFilter{LeadID: first.LeadID})
			if len(acts) != 1 {
				t.Fatalf("%d activities after redelivery, want 1", len(acts))
			}
		})
		t.Run("the same person writing again is an activity on the open lead", func(t *testing.T) {
			res := f.capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "form-2", Email: "minh.khai@vinacorp.vn", Text: "any news?"})
			if res.NewLead || res.LeadID != first.LeadID || res.ContactID != first.ContactID {
				t.Fatalf("result = %+v, want an activity on %d", res, first.LeadID)
			}
		})
		t.Run("a phone match finds the contact", func(t *testing.T) {
			res := f.capture(t, core.Inbound{Channel: core.ChannelWebhook, Source: "typeform", ExternalID: "tf-1", Phone: "+66 90 123 4567", Team: "Bangkok"})
			if res.ContactID != first.ContactID || res.NewLead {
				t.Fatalf("result = %+v, want contact %d", res, first.ContactID)
			}
		})
		t.Run("an email match wins over a phone match of another contact", func(t *testing.T) {
			other := f.capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "other", Email: "other@corp.th", Phone: "+66 81 111 2222", Team: "Bangkok"})
			res := f.capture(t, core.Inbound{Channel: core.ChannelWebhook, Source: "typeform", ExternalID: "tf-2", Email: "MINH.KHAI@vinacorp.vn", Phone: "+66 81 111 2222", Team: "Bangkok"})
			if res.ContactID != first.ContactID || res.ContactID == other.ContactID {
				t.Fatalf("matched contact %d, want %d (by email) not %d (by phone)", res.ContactID, first.ContactID, other.ContactID)
			}
		})
		t.Run("a reply to a known message goes to its deal and scores", func(t *testing.T) {
			d, err := f.svc.Qualify(f.ctx, f.repA, first.LeadID, core.QualifyInput{})
			if err != nil {
				t.Fatal(err)
			}
			res := f.capture(t, core.Inbound{Channel: core.ChannelEmail, Source: "sales@", ExternalID: "<m9@other>", Email: "someone.else@vinacorp.vn",
				References: []string{"<m1@mail.example>"}, Events: []string{core.EventReplied}, Text: "Re: quote"})
			if res.DealID != d.ID || res.NewLead {
				t.Fatalf("reply = %+v, want on deal %d", res, d.ID)
			}
			l, _ := db.LeadByID(f.ctx, first.LeadID)
			if l.Score != 70 {
				t.Errorf("score after reply = %d, want 70 (+20 replied)", l.Score)
			}
		})
		t.Run("an inbound without a way to reach the sender is refused", func(t *testing.T) {
			_, err := f.svc.Capture(f.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "x", Name: "Anon"})
			wantKind(t, err, core.KindInvalid, "no email, phone or chat handle")
			if _, err := db.InboundResult(f.ctx, core.InboundKey{Channel: core.ChannelWebform, Source: "contact", ExternalID: "x"}); !core.IsNotFound(err) {
				t.Fatalf("a refused inbound left its key: %v", err)
			}
		})
		t.Run("an invalid phone alone is refused with what would be right", func(t *testing.T) {
			_, err := f.svc.Capture(f.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "y", Phone: "12"})
			wantKind(t, err, core.KindInvalid, "write it with its country code")
		})
	})
}

func TestCaptureBatchIsolatesBadInbounds(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ins := []core.Inbound{
			{Channel: core.ChannelImport, Source: "a.csv", ExternalID: "1", Email: "wang.fang@example.cn", Name: "王芳"},
			{Channel: core.ChannelImport, Source: "a.csv", ExternalID: "2", Email: "not an email"},
			{Channel: core.ChannelImport, Source: "a.csv", ExternalID: "3", Email: "reza@example.ir", Name: "رضا احمدی"},
		}
		res, errs := f.svc.CaptureBatch(f.ctx, ins)
		if errs[0] != nil || errs[2] != nil || errs[1] == nil {
			t.Fatalf("errs = %v, want only the second to fail", errs)
		}
		if !res[0].NewLead || !res[2].NewLead {
			t.Fatalf("results = %+v", res)
		}
		res, errs = f.svc.CaptureBatch(f.ctx, []core.Inbound{ins[0], ins[2]})
		if errs[0] != nil || !res[0].Duplicate || !res[1].Duplicate {
			t.Fatalf("re-run = %+v, %v; want duplicates", res, errs)
		}
	})
}

func TestLeadLifecycleAndPermissions(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		bkk := f.newLead(t, "Bangkok", "a@corp.th")
		waw := f.newLead(t, "Warsaw", "b@firma.pl")

		t.Run("a rep cannot claim another team's lead", func(t *testing.T) {
			_, err := f.svc.Claim(f.ctx, f.repW, bkk)
			wantKind(t, err, core.KindForbidden, "is not yours")
		})
		t.Run("a rep claims an unowned lead of the team and the response time is kept", func(t *testing.T) {
			f.clock.Advance(7 * time.Minute)
			l, err := f.svc.Claim(f.ctx, f.repA, bkk)
			if err != nil {
				t.Fatal(err)
			}
			if l.OwnerID != f.repA.ID || l.Status != core.LeadClaimed || l.FirstResponseAt.Sub(l.CreatedAt) != 7*time.Minute {
				t.Fatalf("claimed lead = %+v", l)
			}
		})
		t.Run("a second rep cannot take a claimed lead", func(t *testing.T) {
			_, err := f.svc.Claim(f.ctx, f.repB, bkk)
			wantKind(t, err, core.KindForbidden, "is not yours")
		})
		t.Run("a rep cannot assign", func(t *testing.T) {
			_, err := f.svc.Assign(f.ctx, f.repA, bkk, f.repB.ID)
			wantKind(t, err, core.KindForbidden, "only a manager or an admin")
		})
		t.Run("a manager reassigns within the team but not across", func(t *testing.T) {
			if _, err := f.svc.Assign(f.ctx, f.mgr, bkk, f.repB.ID); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.Assign(f.ctx, f.mgr, waw, f.repB.ID)
			wantKind(t, err, core.KindForbidden, "is not yours")
		})
		t.Run("round-robin takes reps in turn", func(t *testing.T) {
			var owners []int64
			for i := range 4 {
				id := f.newLead(t, "Bangkok", "rr"+string(rune('a'+i))+"@corp.th")
				l, err := f.svc.AssignRoundRobin(f.ctx, f.mgr, id)
				if err != nil {
					t.Fatal(err)
				}
				owners = append(owners, l.OwnerID)
			}
			if owners[0] == owners[1] || owners[0] != owners[2] || owners[1] != owners[3] {
				t.Fatalf("owners in turn = %v, want alternating", owners)
			}
		})
		t.Run("disqualifying needs a reason and maps configured ones", func(t *testing.T) {
			_, err := f.svc.Disqualify(f.ctx, f.admin, waw, " ")
			wantKind(t, err, core.KindInvalid, "a reason is required")
			l, err := f.svc.Disqualify(f.ctx, f.admin, waw, "no_budget")
			if err != nil || l.DisqualifyReason != "No budget" || l.Status != core.LeadDisqualified {
				t.Fatalf("disqualified = %+v, %v", l, err)
			}
			_, err = f.svc.Qualify(f.ctx, f.admin, waw, core.QualifyInput{})
			wantKind(t, err, core.KindConflict, "already disqualified")
		})
	})
}

func TestDealLifecycle(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		leadID := f.newLead(t, "Bangkok", "buyer@siam.co.th")
		if _, err := f.svc.Claim(f.ctx, f.repA, leadID); err != nil {
			t.Fatal(err)
		}
		value, _ := core.ParseMoney("450000", "THB")
		d, err := f.svc.Qualify(f.ctx, f.repA, leadID, core.QualifyInput{Value: value, Title: "Siam rollout",
			ExpectedClose: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Qualification: core.Qualification{Budget: "approved"}})
		if err != nil {
			t.Fatal(err)
		}
		p, _ := db.DefaultPipeline(f.ctx)
		stage := func(d *core.Deal) string { return p.Stage(d.StageID).Name }

		t.Run("a qualified lead becomes a deal in the first stage", func(t *testing.T) {
			if stage(d) != "Prospecting" || d.OwnerID != f.repA.ID || d.Value != value || d.Status != core.DealOpen {
				t.Fatalf("deal = %+v in %s", d, stage(d))
			}
			l, _ := db.LeadByID(f.ctx, leadID)
			if l.Status != core.LeadQualified || l.DealID != d.ID {
				t.Fatalf("lead after qualify = %+v", l)
			}
		})
		t.Run("moving by prefix in any case", func(t *testing.T) {
			f.clock.Advance(24 * time.Hour)
			d, err := f.svc.Move(f.ctx, f.repA, d.ID, "MEET")
			if err != nil || stage(d) != "Meeting" {
				t.Fatalf("move = %v, %v", d, err)
			}
		})
		t.Run("a typo gets a suggestion", func(t *testing.T) {
			_, err := f.svc.Move(f.ctx, f.repA, d.ID, "propsal")
			wantKind(t, err, core.KindInvalid, "did you mean Proposal?")
		})
		t.Run("another rep cannot move the deal; the team's manager can", func(t *testing.T) {
			_, err := f.svc.Move(f.ctx, f.repB, d.ID, "proposal")
			wantKind(t, err, core.KindForbidden, "is not yours")
			_, err = f.svc.Move(f.ctx, f.repW, d.ID, "proposal")
			wantKind(t, err, core.KindForbidden, "is not yours")
			f.clock.Advance(48 * time.Hour)
			if _, err := f.svc.Move(f.ctx, f.mgr, d.ID, "proposal"); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("losing needs a reason", func(t *testing.T) {
			_, err := f.svc.Lose(f.ctx, f.repA, d.ID, "")
			wantKind(t, err, core.KindInvalid, "a reason is required")
			_, err = f.svc.Move(f.ctx, f.repA, d.ID, "lost")
			wantKind(t, err, core.KindInvalid, "needs a reason")
		})
		t.Run("lost, then reopened into the stage it closed from, then won", func(t *testing.T) {
			lost, err := f.svc.Lose(f.ctx, f.repA, d.ID, "competitor")
			if err != nil || lost.Status != core.DealLost || lost.LostReason != "Went with a competitor" || lost.ClosedAt.IsZero() {
				t.Fatalf("lost = %+v, %v", lost, err)
			}
			_, err = f.svc.Move(f.ctx, f.repA, d.ID, "nego")
			wantKind(t, err, core.KindConflict, "reopen it first")
			re, err := f.svc.Reopen(f.ctx, f.repA, d.ID)
			if err != nil || stage(re) != "Proposal" || re.Status != core.DealOpen || re.LostReason != "" {
				t.Fatalf("reopened = %+v in %s, %v", re, stage(re), err)
			}
			won, err := f.svc.Win(f.ctx, f.repA, d.ID)
			if err != nil || won.Status != core.DealWon || stage(won) != "Won" {
				t.Fatalf("won = %+v, %v", won, err)
			}
		})
		t.Run("every move is in the stage history", func(t *testing.T) {
			hist, err := db.StageHistory(f.ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			var path []string
			for _, h := range hist {
				path = append(path, p.Stage(h.ToStage).Name)
			}
			if got := strings.Join(path, ">"); got != "Prospecting>Meeting>Proposal>Lost>Proposal>Won" {
				t.Fatalf("history = %s", got)
			}
			if hist[2].ByUserID != f.mgr.ID {
				t.Errorf("the manager's move is recorded as by user %d", hist[2].ByUserID)
			}
		})
		t.Run("value, close date and probability edits", func(t *testing.T) {
			if _, err := f.svc.SetValue(f.ctx, f.repA, d.ID, core.Money{Amount: 1, Currency: "XYZ"}); core.KindOf(err) != core.KindInvalid {
				t.Fatalf("bad currency: %v", err)
			}
			got, err := f.svc.SetValue(f.ctx, f.repA, d.ID, core.Money{Amount: 250000000, Currency: "vnd"})
			if err != nil || got.Value != (core.Money{Amount: 250000000, Currency: "VND"}) {
				t.Fatalf("set value = %+v, %v", got, err)
			}
			got, err = f.svc.SetProbability(f.ctx, f.repA, d.ID, 35)
			if err != nil || got.Probability != 35 {
				t.Fatalf("probability = %+v, %v", got, err)
			}
		})
	})
}

func TestNotesAndTasks(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		leadID := f.newLead(t, "Warsaw", "kontakt@firma.pl")
		ref := core.Ref{Kind: 'L', ID: leadID}
		if _, err := f.svc.Note(f.ctx, f.repW, ref, "Dzwoniłam — oddzwonią w piątek"); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Note(f.ctx, f.repW, ref, "  ")
		wantKind(t, err, core.KindInvalid, "the note is empty")
		due := f.clock.Now().Add(72 * time.Hour)
		task, err := f.svc.FollowUp(f.ctx, f.repW, ref, "Oddzwonić", due)
		if err != nil || task.LeadID != leadID || !task.DueAt.Equal(due) {
			t.Fatalf("task = %+v, %v", task, err)
		}
		_, err = f.svc.CompleteTask(f.ctx, f.repA, task.ID)
		wantKind(t, err, core.KindForbidden, "is not yours")
		if _, err := f.svc.SnoozeTask(f.ctx, f.repW, task.ID, f.clock.Now().Add(-time.Hour)); core.KindOf(err) != core.KindInvalid {
			t.Fatalf("snooze into the past: %v", err)
		}
		if _, err := f.svc.SnoozeTask(f.ctx, f.repW, task.ID, due.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		done, err := f.svc.CompleteTask(f.ctx, f.repW, task.ID)
		if err != nil || !done.Done {
			t.Fatalf("done = %+v, %v", done, err)
		}
		timeline, err := f.svc.Timeline(f.ctx, f.repW, ref, 10)
		if err != nil || len(timeline) != 2 || timeline[0].Kind != core.ActivityNote {
			t.Fatalf("timeline = %+v, %v", timeline, err)
		}
		hits, err := f.svc.Search(f.ctx, f.repW, "firma", 10)
		if err != nil || len(hits) != 1 || hits[0].LeadID != leadID {
			t.Fatalf("search = %+v, %v", hits, err)
		}
		hits, err = f.svc.Search(f.ctx, f.repA, "firma", 10)
		if err != nil || len(hits) != 0 {
			t.Fatalf("a Bangkok rep found a Warsaw contact: %+v, %v", hits, err)
		}
	})
}

func TestMetricsAndForecast(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		deal := func(email, value, cur string, close time.Time) int64 {
			id := f.newLead(t, "Bangkok", email)
			m, err := core.ParseMoney(value, cur)
			if err != nil {
				t.Fatal(err)
			}
			d, err := f.svc.Qualify(f.ctx, f.repA, id, core.QualifyInput{Value: m, ExpectedClose: close})
			if err != nil {
				t.Fatal(err)
			}
			return d.ID
		}
		nov := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
		d1 := deal("one@a.th", "10000", "EUR", nov)   // won after 10 days
		d2 := deal("two@b.th", "400000", "THB", nov)  // lost
		d3 := deal("three@c.th", "20000", "EUR", nov) // open in Proposal, 60%
		f.newLead(t, "Bangkok", "four@d.th")          // a lead that stays a lead
		f.clock.Advance(10 * 24 * time.Hour)
		if _, err := f.svc.Win(f.ctx, f.repA, d1); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Lose(f.ctx, f.repA, d2, "price"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Move(f.ctx, f.repA, d3, "proposal"); err != nil {
			t.Fatal(err)
		}
		m, err := f.svc.Reports.Metrics(f.ctx, f.mgr, core.StatsFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if m.Won != 1 || m.Lost != 1 || m.Open != 1 || m.WinRate != 0.5 {
			t.Errorf("counts = %d won %d lost %d open, rate %v", m.Won, m.Lost, m.Open, m.WinRate)
		}
		if m.AvgCycleDays < 9.99 || m.AvgCycleDays > 10.01 {
			t.Errorf("cycle = %v days, want 10", m.AvgCycleDays)
		}
		if m.WonValue != (core.Money{Amount: 1000000, Currency: "EUR"}) || m.OpenValue != (core.Money{Amount: 2000000, Currency: "EUR"}) {
			t.Errorf("won %v open %v", m.WonValue, m.OpenValue)
		}
		if len(m.BySource) != 1 || m.BySource[0].Leads != 4 || m.BySource[0].Deals != 3 || m.BySource[0].Won != 1 {
			t.Errorf("by source = %+v", m.BySource)
		}
		// d1 went Prospecting → Won, d2 Prospecting → Lost, d3 Prospecting
		// → Proposal: three deals passed Prospecting, two got further.
		conv := map[string]float64{}
		for _, st := range m.Stages {
			conv[st.Stage] = st.Conversion
		}
		if conv["Prospecting"] != 2.0/3 || conv["Qualified"] != 1 || conv["Proposal"] != 0.5 {
			t.Errorf("stage conversion = %v; skipped stages count as passed", conv)
		}
		fc, err := f.svc.Reports.Forecast(f.ctx, f.mgr, core.StatsFilter{}, "2026-11")
		if err != nil {
			t.Fatal(err)
		}
		// Target 50,000 EUR; won 10,000; open 20,000 × 60% = 12,000 → gap 28,000.
		if fc.Target.Amount != 5000000 || fc.Won.Amount != 1000000 || fc.Weighted.Amount != 1200000 || fc.Gap.Amount != 2800000 {
			t.Errorf("forecast = %+v", fc)
		}
		rep, err := f.svc.Reports.Metrics(f.ctx, f.repB, core.StatsFilter{})
		if err != nil || rep.Won+rep.Lost+rep.Open != 0 {
			t.Errorf("a rep without deals sees %+v, %v", rep, err)
		}
	})
}

func TestSyncAppliesTheConfiguredFieldsAtEveryStart(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		dir := core.OrgDef{Users: []core.UserDef{{Email: "pim@example.com", Name: "Pim", Team: "Bangkok", Role: core.RoleRep}}}
		if err := f.svc.Directory.Sync(f.ctx, dir); err != nil {
			t.Fatal(err)
		}
		user := func() *core.User {
			t.Helper()
			u, err := db.UserByEmail(f.ctx, "pim@example.com")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		t.Run("a CLI change of a configured field is undone at the next start", func(t *testing.T) {
			if _, err := f.svc.Directory.SaveUser(f.ctx, nil, core.UserDef{Email: "pim@example.com", Name: "Pim Srisuk", Team: "Warsaw"}); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.Directory.Sync(f.ctx, dir); err != nil {
				t.Fatal(err)
			}
			if u := user(); u.Name != "Pim" || u.TeamID != f.repA.TeamID {
				t.Fatalf("the configuration did not win: %+v", u)
			}
		})
		t.Run("a field the configuration leaves out keeps its CLI value", func(t *testing.T) {
			if _, err := f.svc.Directory.SaveUser(f.ctx, nil, core.UserDef{Email: "pim@example.com", Locale: "th"}); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.Directory.Sync(f.ctx, dir); err != nil {
				t.Fatal(err)
			}
			if u := user(); u.Locale != "th" {
				t.Fatalf("locale %q", u.Locale)
			}
		})
		t.Run("a changed directory is applied", func(t *testing.T) {
			dir.Users[0].Name = "Pim S."
			if err := f.svc.Directory.Sync(f.ctx, dir); err != nil {
				t.Fatal(err)
			}
			if u := user(); u.Name != "Pim S." {
				t.Fatalf("name %q", u.Name)
			}
		})
		t.Run("users added with the CLI are kept", func(t *testing.T) {
			if _, err := f.svc.Directory.SaveUser(f.ctx, nil, core.UserDef{Email: "new@example.com", Team: "Warsaw"}); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.Directory.Sync(f.ctx, dir); err != nil {
				t.Fatal(err)
			}
			if _, err := db.UserByEmail(f.ctx, "new@example.com"); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestAManagerWithoutATeamSeesOnlyOwnWork(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		loner, err := f.svc.Directory.SaveUser(f.ctx, nil, core.UserDef{Email: "loner@example.com", Role: core.RoleManager})
		if err != nil {
			t.Fatal(err)
		}
		id := f.newLead(t, "Bangkok", "x@corp.th")
		if _, err := f.svc.Qualify(f.ctx, f.repA, id, core.QualifyInput{}); err != nil {
			t.Fatal(err)
		}
		deals, err := f.svc.Deals(f.ctx, loner, core.DealFilter{})
		if err != nil || len(deals) != 0 {
			t.Fatalf("a manager without a team sees %d deals, %v", len(deals), err)
		}
		leads, err := f.svc.Leads(f.ctx, loner, core.LeadFilter{Unowned: true})
		if err != nil || len(leads) != 0 {
			t.Fatalf("a manager without a team sees %d unclaimed leads, %v", len(leads), err)
		}
		m, err := f.svc.Reports.Metrics(f.ctx, loner, core.StatsFilter{})
		if err != nil || m.Open != 0 {
			t.Fatalf("a manager without a team counts %d open deals, %v", m.Open, err)
		}
	})
}

func TestScoresDecayForIdleWeeks(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		id := f.newLead(t, "Bangkok", "idle@corp.th")
		fresh, err := f.svc.Lead(f.ctx, f.admin, id)
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(15 * 24 * time.Hour) // two full idle weeks, 5 points each
		idle, err := f.svc.Lead(f.ctx, f.admin, id)
		if err != nil || idle.Score != fresh.Score-10 {
			t.Fatalf("score after two idle weeks = %d (was %d), %v; want 10 less", idle.Score, fresh.Score, err)
		}
		listed, err := f.svc.Leads(f.ctx, f.admin, core.LeadFilter{})
		if err != nil || listed[0].Score != idle.Score {
			t.Fatalf("listed score = %+v, %v", listed, err)
		}
	})
}

// No team never means every team: a manager or a rep in no team reaches
// their own records only, through every list, search and edit.
func TestNoTeamIsNeverEveryTeam(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		mira, err := f.svc.Directory.SaveUser(f.ctx, nil, core.UserDef{Email: "mira@example.com", Role: core.RoleManager})
		if err != nil {
			t.Fatal(err)
		}
		lone, err := f.svc.Directory.SaveUser(f.ctx, nil, core.UserDef{Email: "lone@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		// Another team's deal, task and unclaimed lead, and a task of
		// another user in no team.
		f.capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "k", Name: "Anna Kowalska",
			Email: "anna@kowalska.pl", Phone: "+48 600 123 456", Team: "Warsaw"})
		d, err := f.svc.Qualify(f.ctx, f.repW, 1, core.QualifyInput{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.FollowUp(f.ctx, f.repW, core.Ref{Kind: 'D', ID: d.ID}, "call Anna", f.clock.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		f.newLead(t, "Bangkok", "anna@unclaimed.th")
		other, err := f.svc.AddTask(f.ctx, lone, "lone's own", f.clock.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}

		for _, who := range []*core.User{mira, lone} {
			t.Run(string(who.Role)+" in no team", func(t *testing.T) {
				checks := []struct {
					name string
					n    func() (int, error)
				}{
					{"finds no other team's contact by name", func() (int, error) { h, err := f.svc.Search(f.ctx, who, "anna", 10); return len(h), err }},
					{"finds no other team's contact by phone", func() (int, error) {
						h, err := f.svc.Search(f.ctx, who, "+48 600 123 456", 10)
						return len(h), err
					}},
					{"lists no other team's deals", func() (int, error) { d, err := f.svc.Deals(f.ctx, who, core.DealFilter{}); return len(d), err }},
					{"lists no other team's leads", func() (int, error) { l, err := f.svc.Leads(f.ctx, who, core.LeadFilter{}); return len(l), err }},
					{"lists no team's unclaimed leads", func() (int, error) {
						l, err := f.svc.Leads(f.ctx, who, core.LeadFilter{Unowned: true})
						return len(l), err
					}},
					{"lists no other team's tasks", func() (int, error) {
						ts, err := f.svc.Tasks(f.ctx, who, core.TaskFilter{})
						if who == lone {
							return len(ts) - 1, err // their own
						}
						return len(ts), err
					}},
					{"reviews nothing of another team", func() (int, error) {
						r, err := f.svc.Reports.Review(f.ctx, who, 10)
						if err != nil {
							return 0, err
						}
						n := len(r.Rotting) + len(r.Unclaimed) + len(r.Overdue)
						if who == lone {
							n-- // their own overdue task
						}
						return n, nil
					}},
					{"counts no other team's deals", func() (int, error) {
						m, err := f.svc.Reports.Metrics(f.ctx, who, core.StatsFilter{})
						return int(m.Open), err
					}},
					{"counts no other team's deals when naming it", func() (int, error) {
						m, err := f.svc.Reports.Metrics(f.ctx, who, core.StatsFilter{TeamID: d.TeamID})
						return int(m.Open), err
					}},
					{"forecasts nothing of another team", func() (int, error) {
						fc, err := f.svc.Reports.Forecast(f.ctx, who, core.StatsFilter{}, "")
						return int(fc.Weighted.Amount + fc.Target.Amount), err
					}},
				}
				for _, c := range checks {
					t.Run(c.name, func(t *testing.T) {
						n, err := c.n()
						if err != nil || n != 0 {
							t.Fatalf("got %d of others' records, %v", n, err)
						}
					})
				}
				t.Run("sees no team pipeline", func(t *testing.T) {
					_, err := f.svc.Reports.PipelineSummary(f.ctx, who, true)
					wantKind(t, err, core.KindForbidden, "pipeline")
				})
			})
		}
		t.Run("a manager in no team may not finish the task of another user in no team", func(t *testing.T) {
			_, err := f.svc.CompleteTask(f.ctx, mira, other.ID)
			wantKind(t, err, core.KindForbidden, "is not yours")
			_, err = f.svc.SnoozeTask(f.ctx, mira, other.ID, f.clock.Now().Add(time.Hour))
			wantKind(t, err, core.KindForbidden, "is not yours")
		})
	})
}

// A rep who asks for their team's numbers gets the team's totals, with
// their own line alone by rep; asking for another team gives their own.
func TestARepSeesTheTeamsTotals(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		for _, d := range []struct {
			rep   *core.User
			team  string
			email string
		}{{f.repA, "Bangkok", "a@x.th"}, {f.repB, "Bangkok", "b@x.th"}, {f.repW, "Warsaw", "w@x.pl"}} {
			if _, err := f.svc.Qualify(f.ctx, d.rep, f.newLead(t, d.team, d.email), core.QualifyInput{}); err != nil {
				t.Fatal(err)
			}
		}
		bangkok := f.repA.TeamID
		cases := []struct {
			name   string
			filter core.StatsFilter
			open   int64
			byRep  int
		}{
			{"own numbers by default", core.StatsFilter{}, 1, 1},
			{"the team's totals when asking for the team", core.StatsFilter{TeamID: bangkok}, 2, 1},
			{"own numbers when asking for another team", core.StatsFilter{TeamID: f.repW.TeamID}, 0, 0},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				m, err := f.svc.Reports.Metrics(f.ctx, f.repA, c.filter)
				if err != nil {
					t.Fatal(err)
				}
				if m.Open != c.open || len(m.ByRep) != c.byRep || (c.byRep == 1 && m.ByRep[0].UserID != f.repA.ID) {
					t.Fatalf("open %d, by rep %+v; want %d open and %d line(s), the rep's own", m.Open, m.ByRep, c.open, c.byRep)
				}
			})
		}
	})
}

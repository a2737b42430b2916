package core_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/secretbox"
	"leadwire/internal/view"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// receiver stands in for a webhook receiver: it keeps what it got and
// refuses what fail says.
type receiver struct {
	mu   sync.Mutex
	got  []core.HookMessage
	fail func(m core.HookMessage, n int) bool // n: the how-manieth time this id comes
	seen map[string]int
}

func (r *receiver) SendHook(_ context.Context, m core.HookMessage) core.HookResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]int{}
	}
	r.seen[m.ID]++
	if r.fail != nil && r.fail(m, r.seen[m.ID]) {
		return core.HookResult{Status: 503, Excerpt: "down for maintenance", Err: errors.New("the receiver answered 503")}
	}
	r.got = append(r.got, m)
	return core.HookResult{Status: 204, Latency: 3 * time.Millisecond}
}

// types returns, per subscription and record ("URL record"), the event
// types received, in order.
func (r *receiver) types(t *testing.T) map[string][]string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string][]string{}
	for _, m := range r.got {
		var ev struct {
			Type string         `json:"type"`
			Data map[string]any `json:"data"`
		}
		if err := json.Unmarshal(m.Body, &ev); err != nil {
			t.Fatal(err)
		}
		id, _ := ev.Data["id"].(string)
		out[m.URL+" "+id] = append(out[m.URL+" "+id], ev.Type)
	}
	return out
}

func addHook(t *testing.T, f *fixture, box core.Sealer, url string, events ...core.EventType) *core.Hook {
	t.Helper()
	h, secret, err := f.svc.Hooks.Add(f.ctx, f.admin, box, core.HookInput{URL: url, Events: events, NewSecret: func() string { return "whsec_c2VjcmV0" }})
	if err != nil {
		t.Fatal(err)
	}
	if secret != "whsec_c2VjcmV0" || strings.Contains(string(h.Secret), "c2VjcmV0") {
		t.Fatalf("secret %q stored as %q", secret, h.Secret)
	}
	return h
}

// drain makes rounds, moving the clock past each pause, until nothing is
// pending or rounds run out.
func drain(t *testing.T, f *fixture, d *core.HookDispatcher, rounds int) {
	t.Helper()
	for range rounds {
		if _, err := d.Round(f.ctx, 50); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Hour)
	}
}

func TestOnlyAdminsManageWebhooks(t *testing.T) {
	db := storagetest.SQLite(t)
	f := newFixture(t, db)
	box := secretbox.New(secretbox.NewKey())
	in := core.HookInput{URL: "https://hooks.example.com/x", Events: []core.EventType{core.EventDealWon}, NewSecret: func() string { return "whsec_eA==" }}
	for _, u := range []*core.User{f.repA, f.mgr} {
		_, _, err := f.svc.Hooks.Add(f.ctx, u, box, in)
		wantKind(t, err, core.KindForbidden, "only an admin manages webhooks; "+u.Name)
		_, err = f.svc.Hooks.List(f.ctx, u)
		wantKind(t, err, core.KindForbidden, "only an admin manages webhooks")
	}
	_, _, err := f.svc.Hooks.Add(f.ctx, f.admin, nil, in)
	wantKind(t, err, core.KindInvalid, "set secrets.key")
	in.CheckURL = func(context.Context, string) error { return errors.New("127.0.0.1 is a loopback address") }
	_, _, err = f.svc.Hooks.Add(f.ctx, f.admin, box, in)
	wantKind(t, err, core.KindInvalid, "loopback")
	_, err = core.ParseEventTypes("deal.wn")
	wantKind(t, err, core.KindInvalid, `unknown event "deal.wn"`)
}

func TestEventsAreDeliveredInOrderPerRecord(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		box := secretbox.New(secretbox.NewKey())
		all, _ := core.ParseEventTypes("*")
		hook := addHook(t, f, box, "https://hooks.example.com/all", all...)
		addHook(t, f, box, "https://hooks.example.com/won", core.EventDealWon)

		lead := f.newLead(t, "Bangkok", "khai@vinacorp.vn")
		if _, err := f.svc.Claim(f.ctx, f.repA, lead); err != nil {
			t.Fatal(err)
		}
		deal, err := f.svc.Qualify(f.ctx, f.repA, lead, core.QualifyInput{Value: core.Money{Amount: 4500000, Currency: "THB"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Move(f.ctx, f.repA, deal.ID, "propsal"); err == nil {
			t.Fatal("a move to no stage went through")
		}
		for _, stage := range []string{"meeting", "proposal"} {
			if _, err := f.svc.Move(f.ctx, f.repA, deal.ID, stage); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.Win(f.ctx, f.repA, deal.ID); err != nil {
			t.Fatal(err)
		}
		other := f.newLead(t, "Warsaw", "ola@firma.pl")

		// The receiver is down for the deal's first event, twice: the
		// deal's later events wait; the other lead's do not.
		rcv := &receiver{fail: func(m core.HookMessage, n int) bool { return m.Type == core.EventDealCreated && n <= 2 }}
		d := core.NewHookDispatcher(f.svc, box, rcv, view.EventBody, 4)
		if _, err := d.Round(f.ctx, 100); err != nil {
			t.Fatal(err)
		}
		got := rcv.types(t)
		all0 := "https://hooks.example.com/all "
		if len(got[all0+core.DealRef(deal.ID)]) != 0 {
			t.Errorf("the deal's later events went ahead of its first: %v", got)
		}
		if !slices.Equal(got[all0+core.LeadRef(other)], []string{"lead.created"}) {
			t.Errorf("another record waited: %v", got)
		}
		failed, err := f.svc.Hooks.Deliveries(f.ctx, f.admin, core.HookDeliveryFilter{Failed: true})
		if err != nil || len(failed) != 1 || failed[0].Status != 503 || failed[0].Excerpt != "down for maintenance" || failed[0].Attempts != 1 {
			t.Fatalf("failed deliveries %+v, %v", failed, err)
		}
		drain(t, f, d, 10)
		got = rcv.types(t)
		want := []string{"deal.created", "deal.stage_changed", "deal.stage_changed", "deal.stage_changed", "deal.won"}
		if !slices.Equal(got[all0+core.DealRef(deal.ID)], want) {
			t.Errorf("the deal's events %v, want %v", got[all0+core.DealRef(deal.ID)], want)
		}
		if won := got["https://hooks.example.com/won "+core.DealRef(deal.ID)]; !slices.Equal(won, []string{"deal.won"}) {
			t.Errorf("the other subscription got %v", won)
		}
		if !slices.Equal(got[all0+core.LeadRef(lead)], []string{"lead.created", "lead.claimed"}) {
			t.Errorf("the lead's events %v", got[all0+core.LeadRef(lead)])
		}
		left, _ := f.svc.Hooks.Deliveries(f.ctx, f.admin, core.HookDeliveryFilter{Failed: true})
		if len(left) != 0 {
			t.Errorf("still failing: %+v", left)
		}
		// The body is the record as the API writes it, as it was then.
		for _, m := range rcv.got {
			if m.Type != core.EventDealStageChanged {
				continue
			}
			var ev struct {
				PreviousStage string `json:"previous_stage"`
				Data          view.Deal
			}
			json.Unmarshal(m.Body, &ev)
			if ev.PreviousStage == "" || ev.Data.Stage == "" || ev.Data.Owner != "niran@example.com" || ev.Data.Team != "Bangkok" || ev.Data.Contact == nil || ev.Data.Value.Amount != 4500000 {
				t.Errorf("stage_changed body %s", m.Body)
			}
		}
		// A redelivery sends the same event id again.
		all2, _ := f.svc.Hooks.Deliveries(f.ctx, f.admin, core.HookDeliveryFilter{HookID: hook.ID})
		again, err := f.svc.Hooks.Redeliver(f.ctx, f.admin, all2[0].ID)
		if err != nil || again.EventID != all2[0].EventID {
			t.Fatalf("redeliver: %+v, %v", again, err)
		}
		before := len(rcv.got)
		drain(t, f, d, 1)
		if len(rcv.got) != before+1 || rcv.got[len(rcv.got)-1].ID != all2[0].EventID {
			t.Errorf("the redelivery did not go out: %d after %d, %+v", len(rcv.got), before, again)
		}
		if _, err := f.svc.Hooks.Redeliver(f.ctx, f.repA, all2[0].ID); core.KindOf(err) != core.KindForbidden {
			t.Errorf("a rep redelivers: %v", err)
		}
		// A month on, the log of what went out is pruned; what is pending stays.
		f.newLead(t, "Bangkok", "late@siam.co.th")
		f.clock.Advance(core.HookLogKept + time.Hour)
		f.newLead(t, "Bangkok", "later@siam.co.th")
		if n, err := d.Prune(f.ctx); err != nil || n < 10 {
			t.Fatalf("pruned %d, %v", n, err)
		}
		left, _ = f.svc.Hooks.Deliveries(f.ctx, f.admin, core.HookDeliveryFilter{})
		if len(left) != 2 || left[0].State != core.DeliveryPending || left[1].State != core.DeliveryPending {
			t.Errorf("after pruning: %+v", left)
		}
		drain(t, f, d, 1)
		if rcv.types(t)[all0+"L3"] == nil {
			t.Errorf("a pending event lost its body to the pruning: %v", rcv.types(t))
		}
	})
}

func TestImportsAndHandOffsRaiseEvents(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		box := secretbox.New(secretbox.NewKey())
		all, _ := core.ParseEventTypes("*")
		addHook(t, f, box, "https://hooks.example.com/all", all...)

		res, errs := f.svc.ImportDeals(f.ctx, f.mgr, []core.DealImport{{Inbound: core.Inbound{Channel: core.ChannelImport,
			Source: "import:deals.csv", ExternalID: "r1", Email: "r1@siam.example", Team: "Bangkok"}, Owner: f.repA.Email}})
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		deal := res[0].DealID
		if _, err := f.svc.AssignDeal(f.ctx, f.mgr, deal, f.repB.ID); err != nil {
			t.Fatal(err)
		}
		rcv := &receiver{}
		drain(t, f, core.NewHookDispatcher(f.svc, box, rcv, view.EventBody, 4), 5)
		got := rcv.types(t)["https://hooks.example.com/all "+core.DealRef(deal)]
		if want := []string{"deal.created", "deal.updated"}; !slices.Equal(got, want) {
			t.Errorf("the imported and handed-over deal's events %v, want %v", got, want)
		}
	})
}

func TestAWebhookFailingThreeDaysIsDisabledAndAdminsToldOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.admin.SlackID = "UADMIN"
		if err := db.Update(f.ctx, func(tx core.Tx) error { return tx.UpdateUser(f.ctx, f.admin) }); err != nil {
			t.Fatal(err)
		}
		settings := f.svc.Settings()
		settings.Channels = []string{core.ChannelSlack}
		f.svc = core.NewService(db, f.clock, settings, nil)
		box := secretbox.New(secretbox.NewKey())
		hook := addHook(t, f, box, "https://hooks.example.com/down", core.EventLeadCreated)
		f.newLead(t, "Bangkok", "a@siam.co.th")
		f.newLead(t, "Bangkok", "b@siam.co.th")
		rcv := &receiver{fail: func(core.HookMessage, int) bool { return true }}
		d := core.NewHookDispatcher(f.svc, box, rcv, view.EventBody, 2)
		start := f.clock.Now()
		for f.clock.Now().Sub(start) < 80*time.Hour {
			if _, err := d.Round(f.ctx, 10); err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(30 * time.Minute)
		}
		hs, _ := f.svc.Hooks.List(f.ctx, f.admin)
		if hs[0].Active() || !strings.Contains(hs[0].DisabledReason, "503") {
			t.Fatalf("hook %+v", hs[0])
		}
		if at := hs[0].DisabledAt.Sub(start); at < core.HookGiveUp || at > core.HookGiveUp+7*time.Hour {
			t.Errorf("disabled after %s", at)
		}
		ds, _ := f.svc.Hooks.Deliveries(f.ctx, f.admin, core.HookDeliveryFilter{HookID: hook.ID})
		for _, d := range ds {
			if d.State != core.DeliveryFailed || d.Attempts < 5 {
				t.Errorf("delivery %+v", d)
			}
		}
		told := notices(t, db, core.NoticeHookDisabled)
		if len(told) != 1 || told[0].UserID != f.admin.ID || told[0].HookID != hook.ID || told[0].Text != hook.URL {
			t.Errorf("admins told %+v", told)
		}
		f.newLead(t, "Bangkok", "c@siam.co.th")
		if n, _ := d.Round(f.ctx, 10); n != 0 {
			t.Errorf("a disabled hook got %d deliveries", n)
		}
	})
}

func TestARuleWebhookActionSendsToTheSubscriptionItNames(t *testing.T) {
	db := storagetest.SQLite(t)
	f := newFixture(t, db)
	settings := f.svc.Settings()
	settings.Rules = []core.Rule{{Name: "big wins", Trigger: core.TriggerDealWon,
		Actions: []core.RuleAction{{Kind: core.ActionWebhook, URL: "https://hooks.example.com/big"}}}}
	f.svc = core.NewService(db, f.clock, settings, nil)
	box := secretbox.New(secretbox.NewKey())
	addHook(t, f, box, "https://hooks.example.com/big", core.EventRuleMatched)
	lead := f.newLead(t, "Bangkok", "khai@vinacorp.vn")
	deal, err := f.svc.Qualify(f.ctx, f.repA, lead, core.QualifyInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Win(f.ctx, f.repA, deal.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RunRules(f.ctx, core.RuleJob{Trigger: core.TriggerDealWon, DealID: deal.ID}); err != nil {
		t.Fatal(err)
	}
	rcv := &receiver{}
	if _, err := core.NewHookDispatcher(f.svc, box, rcv, view.EventBody, 1).Round(f.ctx, 10); err != nil {
		t.Fatal(err)
	}
	if len(rcv.got) != 1 || rcv.got[0].Type != core.EventRuleMatched || !strings.Contains(string(rcv.got[0].Body), `"rule":"big wins"`) {
		t.Fatalf("got %+v", rcv.got)
	}
}

func TestErasingAPersonDropsTheirWebhookEvents(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		box := secretbox.New(secretbox.NewKey())
		all, _ := core.ParseEventTypes("*")
		addHook(t, f, box, "https://hooks.example.com/all", all...)
		gone := f.newLead(t, "Bangkok", "gone@example.com")
		if _, err := f.svc.Claim(f.ctx, f.repA, gone); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Qualify(f.ctx, f.repA, gone, core.QualifyInput{}); err != nil {
			t.Fatal(err)
		}
		f.newLead(t, "Bangkok", "stays@example.com")
		if _, err := f.svc.Erase(f.ctx, f.admin, "gone@example.com", "request"); err != nil {
			t.Fatal(err)
		}
		ds, _ := f.svc.Hooks.Deliveries(f.ctx, f.admin, core.HookDeliveryFilter{})
		if len(ds) != 1 || ds[0].Record != "L2" {
			t.Fatalf("deliveries left %+v", ds)
		}
		rcv := &receiver{}
		if _, err := core.NewHookDispatcher(f.svc, box, rcv, view.EventBody, 1).Round(f.ctx, 10); err != nil {
			t.Fatal(err)
		}
		if len(rcv.got) != 1 || strings.Contains(string(rcv.got[0].Body), "gone@") {
			t.Errorf("sent %d events", len(rcv.got))
		}
	})
}

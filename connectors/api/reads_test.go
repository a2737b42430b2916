package api_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"leadwire/connectors/api"
	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestEachRoleReadsWhatItMaySee(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db, api.Options{})
		bkk := e.deal(t, "repA", "Bangkok", "malee@example.co.th")
		waw := e.deal(t, "repW", "Warsaw", "jan@example.pl")
		open := e.lead(t, "Bangkok", "unclaimed@example.co.th")

		for _, tc := range []struct {
			who    string
			status int
			want   string // in the answer
		}{
			{"admin-ro", 200, `"id":"` + bkk.Ref() + `"`},
			{"mgr-ro", 200, `"owner":"niran@example.com"`},
			{"repA-ro", 200, `"value":{"amount":1250000,"currency":"THB"}`},
			{"repB-ro", 403, "is not yours"},
			{"repW-ro", 403, "is not yours"},
			{"lone-ro", 403, "is not yours"},
			{"intake", 403, "delivers leads only"},
			{"lw_unknown", 401, "unknown token"},
			{"", 401, "no token"},
		} {
			t.Run(fmt.Sprintf("%s gets %s: %d", orAnonymous(tc.who), bkk.Ref(), tc.status), func(t *testing.T) {
				r := e.do(t, "GET", "/api/v1/deals/"+bkk.Ref(), tc.who, "")
				if r.status != tc.status || !strings.Contains(r.raw, tc.want) {
					t.Fatalf("got %d %s, want %d with %s", r.status, r.raw, tc.status, tc.want)
				}
				if r.status >= 400 && r.header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("an error as %s", r.header.Get("Content-Type"))
				}
				if r.status == 401 && r.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
				if r.header.Get("X-Request-Id") == "" {
					t.Error("no request id")
				}
			})
		}

		for _, tc := range []struct {
			name, who, path string
			want            []string // ids listed, in order
		}{
			{"an admin lists every deal, newest first", "admin-ro", "/api/v1/deals", []string{waw.Ref(), bkk.Ref()}},
			{"a manager lists the team's deals", "mgr-ro", "/api/v1/deals", []string{bkk.Ref()}},
			{"a rep lists own deals", "repW-ro", "/api/v1/deals", []string{waw.Ref()}},
			{"a rep of the team without deals lists none", "repB-ro", "/api/v1/deals", nil},
			{"the user in no team lists none", "lone-ro", "/api/v1/deals", nil},
			{"a rep asking for another rep's deals gets none, not own", "repW-ro", "/api/v1/deals?owner=niran@example.com", nil},
			{"a manager asking for another team's deals gets none, not own", "mgr-ro", "/api/v1/deals?team=Warsaw", nil},
			{"a manager asking for another team's leads gets none, not own", "mgr-ro", "/api/v1/leads?team=Warsaw", nil},
			{"an admin filters deals by team", "admin-ro", "/api/v1/deals?team=Bangkok", []string{bkk.Ref()}},
			{"an admin filters deals by owner", "admin-ro", "/api/v1/deals?owner=zofia@example.com", []string{waw.Ref()}},
			{"an admin filters deals by stage", "admin-ro", "/api/v1/deals?pipeline=Sales&stage=qualified&status=open", []string{waw.Ref(), bkk.Ref()}},
			{"no deal is won yet", "admin-ro", "/api/v1/deals?status=won", nil},
			{"deals filter by source", "admin-ro", "/api/v1/deals?source=email", nil},
			{"leads filter by status", "admin-ro", "/api/v1/leads?status=new", []string{core.LeadRef(open)}},
			{"leads filter by source", "admin-ro", "/api/v1/leads?source=webform&status=qualified", []string{core.LeadRef(waw.LeadID), core.LeadRef(bkk.LeadID)}},
			{"a rep lists own leads", "repA-ro", "/api/v1/leads", []string{core.LeadRef(bkk.LeadID)}},
			{"the user in no team lists no leads", "lone-ro", "/api/v1/leads", nil},
			{"nothing changed after now", "admin-ro", "/api/v1/deals?updated_since=" + url.QueryEscape(e.clock.Now().Add(time.Minute).Format(time.RFC3339)), nil},
			{"everything changed since an hour ago", "admin-ro", "/api/v1/deals?updated_since=" + url.QueryEscape(e.clock.Now().Add(-time.Hour).Format(time.RFC3339)), []string{waw.Ref(), bkk.Ref()}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := e.do(t, "GET", tc.path, tc.who, "")
				if r.status != 200 {
					t.Fatalf("got %d %s", r.status, r.raw)
				}
				var got []string
				for _, d := range r.data() {
					got = append(got, d["id"].(string))
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("listed %v, want %v", got, tc.want)
				}
			})
		}

		t.Run("contacts, users and tasks are scoped too", func(t *testing.T) {
			if _, err := e.svc.FollowUp(e.ctx, e.users["repA"], core.Ref{Kind: 'D', ID: bkk.ID}, "send the quote", e.clock.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				who, path string
				n         int
			}{
				{"admin-ro", "/api/v1/contacts", 3},
				{"mgr-ro", "/api/v1/contacts", 2},
				{"repW-ro", "/api/v1/contacts", 0},
				{"lone-ro", "/api/v1/contacts", 0},
				{"admin-ro", "/api/v1/users", 6},
				{"mgr-ro", "/api/v1/users", 3},
				{"lone-ro", "/api/v1/users", 1},
				{"repA-ro", "/api/v1/tasks", 1},
				{"mgr-ro", "/api/v1/tasks", 1},
				{"repW-ro", "/api/v1/tasks", 0},
				{"repW-ro", "/api/v1/tasks?owner=niran@example.com", 0},
				{"repA-ro", "/api/v1/tasks?owner=pim@example.com", 0}, // not own tasks in place of Pim's
				{"repA-ro", "/api/v1/activities?deal=" + bkk.Ref(), 1},
				{"admin-ro", "/api/v1/pipelines", 1},
			} {
				r := e.do(t, "GET", tc.path, tc.who, "")
				if r.status != 200 || len(r.data()) != tc.n {
					t.Errorf("%s %s: %d with %d records, want %d: %s", tc.who, tc.path, r.status, len(r.data()), tc.n, r.raw)
				}
			}
			for _, tc := range []struct {
				who, path string
				status    int
			}{
				{"repW-ro", "/api/v1/activities?deal=" + bkk.Ref(), 403},
				{"repW-ro", "/api/v1/tasks/T1", 403},
				{"repA-ro", "/api/v1/tasks/T1", 200},
				{"lone-ro", fmt.Sprintf("/api/v1/contacts/%d", bkk.ContactID), 403},
				{"repW-ro", fmt.Sprintf("/api/v1/users/%d", e.users["repA"].ID), 404},
				{"repW-ro", "/api/v1/users/me", 200},
				{"repW-ro", "/api/v1/leads/" + core.LeadRef(open), 403},
				{"repB-ro", "/api/v1/leads/" + core.LeadRef(open), 200},
				{"admin-ro", "/api/v1/deals/D999", 404},
				{"admin-ro", "/api/v1/deals/L1", 404},
				{"admin-ro", "/api/v1/nothing", 404},
			} {
				r := e.do(t, "GET", tc.path, tc.who, "")
				if r.status != tc.status {
					t.Errorf("%s %s: %d, want %d: %s", tc.who, tc.path, r.status, tc.status, r.raw)
				}
			}
		})
	})
}

func orAnonymous(who string) string {
	if who == "" {
		return "anonymous"
	}
	return who
}

func TestListsPageWithACursor(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db, api.Options{})
		var want []string
		for i := range 5 {
			want = append([]string{core.LeadRef(e.lead(t, "Bangkok", fmt.Sprintf("p%d@example.com", i)))}, want...)
		}
		var got []string
		path := "/api/v1/leads?limit=2"
		for pages := 0; pages < 10; pages++ {
			r := e.do(t, "GET", path, "admin-ro", "")
			if r.status != 200 {
				t.Fatalf("got %d %s", r.status, r.raw)
			}
			for _, l := range r.data() {
				got = append(got, l["id"].(string))
			}
			next, _ := r.body["next_cursor"].(string)
			if next == "" {
				break
			}
			path = "/api/v1/leads?limit=2&cursor=" + url.QueryEscape(next)
		}
		if !slices.Equal(got, want) {
			t.Errorf("paged through %v, want %v", got, want)
		}
		for _, tc := range []struct{ path, want string }{
			{"/api/v1/leads?cursor=bogus", "cursor \"bogus\" is not one this API gave"},
			{"/api/v1/leads?limit=0", "limit \"0\" is not a number from 1 to 200"},
			{"/api/v1/leads?stauts=new", "unknown parameter \"stauts\""},
			{"/api/v1/leads?status=won", "unknown status \"won\"; use new, claimed, qualified, disqualified"},
			{"/api/v1/deals?stage=Propsal", "did you mean Proposal?"},
			{"/api/v1/deals?owner=ghost@example.com", "no user \"ghost@example.com\""},
			{"/api/v1/deals?updated_since=yesterday", "not an RFC 3339 time"},
		} {
			r := e.do(t, "GET", tc.path, "admin-ro", "")
			if detail, _ := r.body["detail"].(string); r.status != 422 || !strings.Contains(detail, tc.want) {
				t.Errorf("%s: %d %s, want 422 with %s", tc.path, r.status, r.raw, tc.want)
			}
		}
	})
}

func TestRequestIDsAndRateLimits(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db, api.Options{Rate: 0.001, Burst: 2})
		t.Run("a caller's request id comes back", func(t *testing.T) {
			r := e.do(t, "GET", "/api/v1/pipelines", "admin-ro", "", "X-Request-Id", "zap-42")
			if r.header.Get("X-Request-Id") != "zap-42" {
				t.Errorf("request id %q", r.header.Get("X-Request-Id"))
			}
			r = e.do(t, "GET", "/api/v1/pipelines", "admin-ro", "", "X-Request-Id", "bad id; drop table")
			if id := r.header.Get("X-Request-Id"); len(id) != 24 {
				t.Errorf("a bad request id was kept: %q", id)
			}
		})
		t.Run("past its burst a token is told to wait with 429 and Retry-After", func(t *testing.T) {
			r := e.do(t, "GET", "/api/v1/pipelines", "admin-ro", "")
			if r.status != 429 || r.header.Get("Retry-After") == "" || !strings.Contains(r.raw, "too many requests with token admin-ro") {
				t.Fatalf("got %d %q %s", r.status, r.header.Get("Retry-After"), r.raw)
			}
		})
		t.Run("another token has its own bucket", func(t *testing.T) {
			if r := e.do(t, "GET", "/api/v1/pipelines", "mgr-ro", ""); r.status != 200 {
				t.Fatalf("got %d %s", r.status, r.raw)
			}
		})
	})
}

func TestTasksActivitiesUsersAndPipelinesPageWithACursor(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db, api.Options{})
		d := e.deal(t, "repA", "Bangkok", "khai@vinacorp.vn")
		base := e.clock.Now().Add(24 * time.Hour)
		// Two tasks due at the same time, and notes written in the same
		// instant: ties are broken by id, and nothing is repeated or left
		// out across pages.
		for i, due := range []time.Duration{3 * time.Hour, 0, time.Hour, time.Hour, 2 * time.Hour} {
			if _, err := e.svc.FollowUp(e.ctx, e.users["repA"], core.DealRefOf(d.ID), fmt.Sprintf("call %d", i), base.Add(due)); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.Note(e.ctx, e.users["repA"], core.DealRefOf(d.ID), fmt.Sprintf("note %d", i)); err != nil {
				t.Fatal(err)
			}
		}
		deal := core.DealRef(d.ID)
		for _, tc := range []struct{ list, key string }{
			{"/api/v1/tasks?deal=" + deal, "id"},
			{"/api/v1/activities?deal=" + deal, "body"},
			{"/api/v1/users?x=1", "email"},
			{"/api/v1/pipelines?x=1", "name"},
		} {
			t.Run(tc.list, func(t *testing.T) {
				all := strings.Replace(tc.list, "?x=1", "?", 1)
				whole := e.do(t, "GET", all+"&limit=200", "admin-ro", "")
				var want, got []string
				for _, r := range whole.data() {
					want = append(want, fmt.Sprint(r[tc.key]))
				}
				path := all + "&limit=2"
				for pages := 0; pages < 20; pages++ {
					r := e.do(t, "GET", path, "admin-ro", "")
					if r.status != 200 {
						t.Fatalf("got %d %s", r.status, r.raw)
					}
					for _, row := range r.data() {
						got = append(got, fmt.Sprint(row[tc.key]))
					}
					next, _ := r.body["next_cursor"].(string)
					if next == "" {
						break
					}
					path = all + "&limit=2&cursor=" + url.QueryEscape(next)
				}
				if len(want) < 1 || !slices.Equal(got, want) {
					t.Errorf("paged through %v, want %v", got, want)
				}
			})
		}
		if r := e.do(t, "GET", "/api/v1/tasks?cursor=aWQ6MQ", "admin-ro", ""); r.status != 422 {
			t.Errorf("a deal cursor on tasks: %d %s", r.status, r.raw)
		}
	})
}

func TestIntegrationTokensActWithARoleOfTheirOwn(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db, api.Options{})
		bkk := e.deal(t, "repA", "Bangkok", "khai@vinacorp.vn")
		waw := e.deal(t, "repW", "Warsaw", "ola@firma.pl")
		for _, tc := range []struct {
			spec core.TokenSpec
			want string
		}{
			{core.TokenSpec{Name: "x1", Scopes: []core.Scope{core.ScopeRead}, Role: core.RoleManager}, "name it with --team NAME"},
			{core.TokenSpec{Name: "x2", Scopes: []core.Scope{core.ScopeRead}, Role: core.RoleRep, Team: "Bangkok"}, "a rep's token acts as that rep"},
			{core.TokenSpec{Name: "x3", Scopes: []core.Scope{core.ScopeRead}, Role: core.RoleAdmin, As: "admin@example.com"}, "not both"},
			{core.TokenSpec{Name: "x4", Scopes: []core.Scope{core.ScopeRead}}, "--role manager --team NAME"},
		} {
			if _, _, err := e.svc.Directory.CreateTokenFor(e.ctx, nil, tc.spec); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: %v, want %q", tc.spec.Name, err, tc.want)
			}
		}
		_, mgr, err := e.svc.Directory.CreateTokenFor(e.ctx, nil, core.TokenSpec{Name: "bi", Scopes: []core.Scope{core.ScopeWrite}, Role: core.RoleManager, Team: "Bangkok"})
		if err != nil {
			t.Fatal(err)
		}
		e.tokens["bi"] = mgr
		r := e.do(t, "GET", "/api/v1/deals", "bi", "")
		if r.status != 200 || len(r.data()) != 1 || r.data()[0]["id"] != bkk.Ref() {
			t.Errorf("the Bangkok integration lists %s", r.raw)
		}
		if r := e.do(t, "GET", "/api/v1/deals/"+waw.Ref(), "bi", ""); r.status != 403 {
			t.Errorf("it reads Warsaw's deal: %d %s", r.status, r.raw)
		}
		id := e.lead(t, "Bangkok", "new@siam.co.th")
		if r := e.do(t, "POST", "/api/v1/leads/"+core.LeadRef(id)+"/claim", "bi", ""); r.status != 422 || !strings.Contains(r.raw, "token bi acts as nobody in particular") {
			t.Errorf("it claims: %d %s", r.status, r.raw)
		}
		if r := e.do(t, "POST", "/api/v1/leads/"+core.LeadRef(id)+"/assign", "bi", `{"owner":"pim@example.com"}`); r.status != 200 || !strings.Contains(r.raw, `"owner":"pim@example.com"`) {
			t.Errorf("it assigns: %d %s", r.status, r.raw)
		}
		if r := e.do(t, "GET", "/api/v1/hooks", "bi", ""); r.status != 403 {
			t.Errorf("a manager's integration lists hooks: %d", r.status)
		}
	})
}

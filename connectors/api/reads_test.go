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

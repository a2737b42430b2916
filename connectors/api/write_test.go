package api_test

import (
	"strings"
	"testing"

	"leadwire/connectors/api"
	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestChangesGoThroughTheChatServicesAndChecks(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db, api.Options{})
		open := core.LeadRef(e.lead(t, "Bangkok", "malee@example.co.th"))
		var deal string
		var tag string
		steps := []struct {
			name, who, method string
			path              func() string
			body              string
			headers           func() []string
			status            int
			want              string // in the answer
		}{
			{"a rep of another team cannot claim the lead, as in chat", "repW", "POST", func() string { return "/api/v1/leads/" + open + "/claim" }, "", nil, 403,
				open + ` is not yours: you can act on your own leads and unclaimed leads of your team`},
			{"a read-only token cannot claim", "repA-ro", "POST", func() string { return "/api/v1/leads/" + open + "/claim" }, "", nil, 403, "has the scopes read, not write"},
			{"the rep of the team claims it", "repA", "POST", func() string { return "/api/v1/leads/" + open + "/claim" }, "", nil, 200, `"owner":"niran@example.com"`},
			{"claiming it again is a conflict", "repA", "POST", func() string { return "/api/v1/leads/" + open + "/claim" }, "", nil, 409, ""},
			{"a misspelt field is refused", "repA", "POST", func() string { return "/api/v1/leads/" + open + "/qualify" }, `{"titel":"x"}`, nil, 422, `unknown field`},
			{"the owner qualifies it into a deal", "repA", "POST", func() string { return "/api/v1/leads/" + open + "/qualify" },
				`{"title":"Siam Co — 20 seats","value":{"amount":4500000,"currency":"thb"},"expected_close":"2026-12-15"}`, nil, 201,
				`"value":{"amount":4500000,"currency":"THB"}`},
			{"a stage that is no stage says which are", "repA", "PATCH", func() string { return "/api/v1/deals/" + deal }, `{"stage":"Propsal"}`, nil, 422, `did you mean Proposal?`},
			{"a write with the current ETag moves the deal", "repA", "PATCH", func() string { return "/api/v1/deals/" + deal }, `{"stage":"proposal","probability":55}`,
				func() []string { return []string{"If-Match", tag} }, 200, `"stage":"Proposal","value":{"amount":4500000,"currency":"THB"},"probability":55`},
			{"a write with the old ETag is 412", "repA", "PATCH", func() string { return "/api/v1/deals/" + deal }, `{"stage":"negotiation"}`,
				func() []string { return []string{"If-Match", tag} }, 412, `changed since you read it`},
			{"another rep cannot move it", "repB", "POST", func() string { return "/api/v1/deals/" + deal + "/move" }, `{"stage":"negotiation"}`, nil, 403,
				`is not yours: a rep acts on own deals, a manager on the team's`},
			{"the team's manager moves it", "mgr", "POST", func() string { return "/api/v1/deals/" + deal + "/move" }, `{"stage":"negotiation"}`, nil, 200, `"stage":"Negotiation"`},
			{"a rep cannot hand the deal over, and is told why", "repA", "POST", func() string { return "/api/v1/deals/" + deal + "/assign" }, `{"owner":"pim@example.com"}`, nil, 403,
				`only a manager or an admin hands deals over`},
			{"the team's manager hands it to another rep", "mgr", "POST", func() string { return "/api/v1/deals/" + deal + "/assign" }, `{"owner":"pim@example.com"}`, nil, 200, `"owner":"pim@example.com"`},
			{"a manager cannot hand it to another team", "mgr", "POST", func() string { return "/api/v1/deals/" + deal + "/assign" }, `{"owner":"zofia@example.com"}`, nil, 403, `is not in your team`},
			{"and hands it back", "mgr", "POST", func() string { return "/api/v1/deals/" + deal + "/assign" }, `{"owner":"niran@example.com"}`, nil, 200, `"owner":"niran@example.com"`},
			{"losing it takes a reason", "repA", "POST", func() string { return "/api/v1/deals/" + deal + "/lose" }, `{"reason":"price"}`, nil, 200, `"status":"lost"`},
			{"reopening puts it back", "repA", "POST", func() string { return "/api/v1/deals/" + deal + "/reopen" }, ``, nil, 200, `"status":"open"`},
			{"winning it closes it", "repA", "POST", func() string { return "/api/v1/deals/" + deal + "/win" }, ``, nil, 200, `"status":"won"`},
			{"a note goes on the deal", "repA", "POST", func() string { return "/api/v1/deals/" + deal + "/notes" }, `{"text":"ลูกค้าพอใจ — signed"}`, nil, 201, `"body":"ลูกค้าพอใจ — signed"`},
			{"an empty note is refused with chat's words", "repA", "POST", func() string { return "/api/v1/deals/" + deal + "/notes" }, `{"text":" "}`, nil, 422, `the note is empty`},
			{"a follow-up needs a due time", "repA", "POST", func() string { return "/api/v1/leads/" + open + "/follow-ups" }, `{"title":"call"}`, nil, 422, `when is it due?`},
			{"a follow-up is a task", "repA", "POST", func() string { return "/api/v1/deals/" + deal + "/follow-ups" }, `{"title":"kick-off call","due":"2026-11-03T09:00:00+07:00"}`, nil, 201,
				`"due_at":"2026-11-03T02:00:00Z"`},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				var hs []string
				if s.headers != nil {
					hs = s.headers()
				}
				r := e.do(t, s.method, s.path(), s.who, s.body, hs...)
				detail, _ := r.body["detail"].(string)
				if r.status != s.status || !(strings.Contains(r.raw, s.want) || strings.Contains(detail, s.want)) {
					t.Fatalf("got %d %s, want %d with %s", r.status, r.raw, s.status, s.want)
				}
				if r.status == 201 && deal == "" {
					deal = r.body["id"].(string)
					tag = r.header.Get("ETag")
				}
			})
		}
	})
}

func TestLeadsAreCreatedOnceAKey(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db, api.Options{})
		body := `{"name":"Nguyễn Thị Minh Khai","email":"khai@vinacorp.vn","company":"VinaCorp","subject":"Xin báo giá","team":"Bangkok","metadata":{"utm_source":"n8n"}}`
		r := e.do(t, "POST", "/api/v1/leads", "mgr", body, "Idempotency-Key", "n8n-1")
		if r.status != 201 || r.header.Get("Location") == "" || !strings.Contains(r.raw, `"name":"Nguyễn Thị Minh Khai"`) {
			t.Fatalf("got %d %s", r.status, r.raw)
		}
		again := e.do(t, "POST", "/api/v1/leads", "mgr", body, "Idempotency-Key", "n8n-1")
		if again.status != 200 || again.body["id"] != r.body["id"] {
			t.Fatalf("a retry: %d %s", again.status, again.raw)
		}
		if r := e.do(t, "POST", "/api/v1/leads", "mgr", `{"name":"x"}`); r.status != 422 {
			t.Errorf("a lead nobody can reach: %d %s", r.status, r.raw)
		}
		if r := e.do(t, "POST", "/api/v1/leads", "repW", `{"email":"w@example.com","team":"Bangkok"}`); r.status != 201 || r.body["id"] == nil || r.body["status"] != nil {
			t.Errorf("a lead routed out of reach shows its id only: %d %s", r.status, r.raw)
		}
	})
}

func TestChangesThroughTheAPIAreAuditedAsTheTokens(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db, api.Options{})
		r := e.do(t, "POST", "/api/v1/leads", "mgr", `{"name":"Malee","email":"malee@siam.co.th","team":"Bangkok"}`, "Idempotency-Key", "k1")
		if r.status != 201 {
			t.Fatalf("got %d %s", r.status, r.raw)
		}
		id, err := core.ParseRefOf(r.body["id"].(string), 'L')
		if err != nil {
			t.Fatal(err)
		}
		if r := e.do(t, "POST", "/api/v1/leads/"+core.LeadRef(id)+"/claim", "repA", ""); r.status != 200 {
			t.Fatalf("claim: %d %s", r.status, r.raw)
		}
		log, err := e.svc.Audit(e.ctx, e.users["admin"], core.AuditFilter{Lead: id})
		if err != nil || len(log) != 2 {
			t.Fatalf("audit %+v, %v", log, err)
		}
		if c := log[1]; c.Action != "lead.capture" || c.Actor != "token:mgr" || c.Via != core.ViaAPI {
			t.Errorf("capture entry %+v", c)
		}
		if c := log[0]; c.Action != "lead.claim" || c.Actor != "token:repA" || c.ActorID != e.users["repA"].ID || c.Via != core.ViaAPI {
			t.Errorf("claim entry %+v", c)
		}
	})
}

package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"leadwire/connectors/api"
	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/storage"
)

// env is the API on a real HTTP server over a store, with a token for
// each kind of user: admin, mgr (Bangkok's manager), repA and repB
// (Bangkok), repW (Warsaw), lone (in no team), and intake (a webhook
// intake token).
type env struct {
	ctx    context.Context
	svc    *core.Service
	db     *storage.DB
	clock  *clocktest.Clock
	srv    *httptest.Server
	users  map[string]*core.User
	tokens map[string]string
}

var people = map[string]string{
	"admin": "admin@example.com", "mgr": "somchai@example.com", "repA": "niran@example.com",
	"repB": "pim@example.com", "repW": "zofia@example.com", "lone": "lone@example.com",
}

func newEnv(t *testing.T, db *storage.DB, opts api.Options) *env {
	t.Helper()
	e := &env{ctx: context.Background(), db: db, clock: clocktest.New(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)),
		users: map[string]*core.User{}, tokens: map[string]string{}}
	e.svc = core.NewService(db, e.clock, core.DefaultSettings(), nil)
	dir := core.OrgDef{
		Teams: []core.TeamDef{{Name: "Bangkok", Manager: "somchai@example.com", Region: "TH"}, {Name: "Warsaw", Region: "PL"}},
		Users: []core.UserDef{
			{Email: "admin@example.com", Name: "Ada", Role: core.RoleAdmin},
			{Email: "somchai@example.com", Name: "สมชาย", Role: core.RoleManager, Team: "Bangkok", TimeZone: "Asia/Bangkok"},
			{Email: "niran@example.com", Name: "นิรันดร์", Team: "Bangkok", TimeZone: "Asia/Bangkok"},
			{Email: "pim@example.com", Name: "Pim", Team: "Bangkok"},
			{Email: "zofia@example.com", Name: "Zofia Łukasiewicz", Team: "Warsaw", TimeZone: "Europe/Warsaw"},
			{Email: "lone@example.com", Name: "Lone"},
		},
		Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
			{Name: "Qualified", Probability: 25, RotDays: 10}, {Name: "Proposal", Probability: 60, RotDays: 14}, {Name: "Negotiation", Probability: 80}}}},
	}
	if err := e.svc.Directory.Sync(e.ctx, dir); err != nil {
		t.Fatal(err)
	}
	for who, email := range people {
		u, err := e.svc.Directory.UserByEmail(e.ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		e.users[who] = u
		_, secret, err := e.svc.Directory.CreateTokenFor(e.ctx, nil, core.TokenSpec{Name: who, Scopes: []core.Scope{core.ScopeWrite, core.ScopeHooks}, As: email})
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[who] = secret
		_, secret, err = e.svc.Directory.CreateTokenFor(e.ctx, nil, core.TokenSpec{Name: who + "-ro", Scopes: []core.Scope{core.ScopeRead}, As: email})
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[who+"-ro"] = secret
	}
	_, secret, err := e.svc.Directory.CreateToken(e.ctx, nil, "intake", "")
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["intake"] = secret
	mux := http.NewServeMux()
	for pattern, h := range api.New(e.svc, opts).Routes() {
		mux.HandleFunc(pattern, h)
	}
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

// lead captures a new lead for the team from the email.
func (e *env) lead(t *testing.T, team, email string) int64 {
	t.Helper()
	res, err := e.svc.Capture(e.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: email, Email: email,
		Name: "Prospect " + email, Team: team, Subject: "Pricing please", ReceivedAt: e.clock.Now()})
	if err != nil || !res.NewLead {
		t.Fatalf("capture %s: %+v, %v", email, res, err)
	}
	return res.LeadID
}

// deal makes a lead of the team, claimed and qualified by who.
func (e *env) deal(t *testing.T, who, team, email string) *core.Deal {
	t.Helper()
	id := e.lead(t, team, email)
	if _, err := e.svc.Claim(e.ctx, e.users[who], id); err != nil {
		t.Fatal(err)
	}
	d, err := e.svc.Qualify(e.ctx, e.users[who], id, core.QualifyInput{Value: core.Money{Amount: 1250000, Currency: "THB"}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

type response struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// data is the list of a list answer.
func (r response) data() []map[string]any {
	var out []map[string]any
	for _, v := range r.body["data"].([]any) {
		out = append(out, v.(map[string]any))
	}
	return out
}

// do sends a request with who's token ("" none; a raw secret when it is
// no one's) and header pairs.
func (e *env) do(t *testing.T, method, path, who, body string, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(e.ctx, method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != "" {
		secret, ok := e.tokens[who]
		if !ok {
			secret = who
		}
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.client(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	json.Unmarshal(raw, &r.body)
	return r
}

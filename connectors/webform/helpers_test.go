package webform_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"leadwire/connectors/webform"
	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// env is a web form server over a real SQLite database.
type env struct {
	ctx context.Context
	svc *core.Service
	db  *storage.DB
	srv *httptest.Server
}

// contactForm is the form most tests post to: a Contact Form 7-like field
// naming, one required field, a honeypot, a redirect and one origin.
var contactForm = webform.Form{
	ID:     "contact",
	Team:   "Warsaw",
	Region: "PL",
	Fields: map[string]string{"your-name": "name", "your-email": "email", "tel": "phone", "org": "company",
		"topic": "subject", "your-message": "message"},
	Required:       []string{"email", "your-message"},
	Redirect:       "https://example.com/dziekujemy",
	AllowedOrigins: []string{"https://example.com"},
	Honeypot:       "website",
}

func newEnv(t testing.TB, forms ...webform.Form) *env {
	t.Helper()
	db := storagetest.SQLite(t)
	e := &env{ctx: context.Background(), db: db}
	e.svc = core.NewService(db, core.SystemClock{}, core.DefaultSettings(), nil)
	dir := core.OrgDef{
		Teams: []core.TeamDef{{Name: "Bangkok", Region: "TH"}, {Name: "Warsaw", Region: "PL"}},
		Users: []core.UserDef{{Email: "admin@example.com", Name: "Ada", Role: core.RoleAdmin}},
		Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
			{Name: "Qualified", Probability: 20}, {Name: "Proposal", Probability: 60}}}},
	}
	if err := e.svc.Directory.Sync(e.ctx, dir); err != nil {
		t.Fatal(err)
	}
	if len(forms) == 0 {
		forms = []webform.Form{contactForm}
	}
	h, err := webform.New(e.svc, forms, webform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /forms/{id}", h.Submit)
	mux.HandleFunc("OPTIONS /forms/{id}", h.Preflight)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

// response is what a post got back.
type response struct {
	status int
	header http.Header
	body   string
}

// json decodes the body into a map.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("body %q is not JSON: %v", r.body, err)
	}
	return m
}

// post sends body with the headers (pairs of name and value) and returns
// the answer without following redirects.
func (e *env) post(t testing.TB, path, contentType string, body io.Reader, headers ...string) response {
	t.Helper()
	return e.do(t, http.MethodPost, path, contentType, body, headers...)
}

func (e *env) do(t testing.TB, method, path, contentType string, body io.Reader, headers ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

const (
	urlencoded = "application/x-www-form-urlencoded"
	jsonType   = "application/json"
)

// leads lists every lead, newest first.
func (e *env) leads(t testing.TB) []core.Lead {
	t.Helper()
	leads, err := e.db.ListLeads(e.ctx, core.LeadFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return leads
}

// lead returns the newest lead of the contact with the email: the
// answers carry no refs to find it by.
func (e *env) lead(t testing.TB, email string) *core.Lead {
	t.Helper()
	c, err := e.db.ContactByIdentity(e.ctx, core.Identity{Kind: core.IdentityEmail, Value: email})
	if err != nil {
		t.Fatalf("contact %s: %v", email, err)
	}
	leads, err := e.db.ListLeads(e.ctx, core.LeadFilter{ContactID: c.ID, Limit: 1})
	if err != nil || len(leads) == 0 {
		t.Fatalf("no lead of %s: %v", email, err)
	}
	return &leads[0]
}

// contact returns the lead's contact.
func (e *env) contact(t testing.TB, l *core.Lead) *core.Contact {
	t.Helper()
	c, err := e.db.ContactByID(e.ctx, l.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// activities counts the activities of the lead of an email.
func (e *env) activities(t testing.TB, email string) int {
	t.Helper()
	acts, err := e.db.ListActivities(e.ctx, core.ActivityFilter{LeadID: e.lead(t, email).ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(acts)
}

func form(pairs ...string) *strings.Reader {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(pairs[i]) + "=" + url.QueryEscape(pairs[i+1]))
	}
	return strings.NewReader(b.String())
}

package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"leadwire/connectors/webhook"
	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// A Typeform-like payload: answers in a list, found by their field's ref.
const typeformPayload = `{
  "event_id": "01HQ8X3TYPEFORM",
  "event_type": "form_response",
  "form_response": {
    "form_id": "lT4Z3j",
    "submitted_at": "2026-11-02T09:30:00Z",
    "hidden": {"utm_source": "linkedin", "utm_campaign": "q4-vn"},
    "definition": {"id": "lT4Z3j", "title": "Demo request"},
    "answers": [
      {"type": "text", "text": "Nguyễn Thị Lan", "field": {"id": "a1", "type": "short_text", "ref": "name"}},
      {"type": "email", "email": "lan@vinacorp.vn", "field": {"id": "a2", "type": "email", "ref": "email"}},
      {"type": "phone_number", "phone_number": "+84901234567", "field": {"id": "a3", "type": "phone_number", "ref": "phone"}},
      {"type": "choice", "choice": {"label": "Enterprise"}, "field": {"id": "a4", "type": "multiple_choice", "ref": "plan"}},
      {"type": "text", "text": "We need 50 seats by December.", "field": {"id": "a5", "type": "long_text", "ref": "message"}}
    ]
  }
}`

// A Tally-like payload: fields in a list, found by their label.
const tallyPayload = `{
  "eventId": "a4cb511e-d513-4fa5-baee-b815d718dfd1",
  "eventType": "FORM_RESPONSE",
  "createdAt": "2026-11-02T09:30:00.000Z",
  "data": {
    "responseId": "2wgx4n", "formId": "VwbNEw", "formName": "Kontakt",
    "fields": [
      {"key": "question_mVGEg3", "label": "First name", "type": "INPUT_TEXT", "value": "Zofia"},
      {"key": "question_nPWLv0", "label": "Last name", "type": "INPUT_TEXT", "value": "Łukasiewicz"},
      {"key": "question_3EKz4n", "label": "Email", "type": "INPUT_EMAIL", "value": "zofia@polimex.pl"},
      {"key": "question_w4Q4Xn", "label": "Company", "type": "INPUT_TEXT", "value": "Polimex"},
      {"key": "question_3jZaa9", "label": "Seats", "type": "INPUT_NUMBER", "value": 25},
      {"key": "question_wkqz4K", "label": "Interests", "type": "CHECKBOXES", "value": ["CRM", "Chat"]}
    ]
  }
}`

var sources = []webhook.Source{
	{Name: "typeform", Team: "Bangkok", Secret: "tf-secret", SignatureHeader: "Typeform-Signature", Mapping: map[string]string{
		"event_id":                                            "external_id",
		"form_response.definition.title":                      "subject",
		"form_response.answers[field.ref=name].text":          "name",
		"form_response.answers[field.ref=email].email":        "email",
		"form_response.answers[field.ref=phone].phone_number": "phone",
		"form_response.answers[field.ref=company].text":       "company",
		"form_response.answers[field.ref=message].text":       "message",
		"form_response.answers[field.ref=plan].choice.label":  "metadata.plan",
		"form_response.answers[field.ref=plan].choice":        "metadata.choice",
		"form_response.hidden.utm_source":                     "metadata.utm_source",
		"form_response.hidden.utm_campaign":                   "metadata.utm_campaign",
	}},
	{Name: "tally", Secret: "tally-secret", SignatureHeader: "Tally-Signature", Mapping: map[string]string{
		"eventId":                             "external_id",
		"data.formName":                       "subject",
		"data.fields[label=First name].value": "first_name",
		"data.fields[label=Last name].value":  "last_name",
		"data.fields[label=Email].value":      "email",
		"data.fields[label=Company].value":    "company",
		"data.fields[label=Seats].value":      "metadata.seats",
		"data.fields[label=Interests].value":  "metadata.interests",
	}},
	{Name: "zapier", Team: "Warsaw"},
	{Name: "strict", Mapping: map[string]string{"data": "name"}},
}

type env struct {
	ctx context.Context
	svc *core.Service
	db  *storage.DB
	srv *httptest.Server
	// tokens by name: zap (any source), tf (bound to typeform), tally
	// (bound to tally), old (revoked).
	tokens map[string]string
}

func newEnv(t testing.TB, opts webhook.Options) *env {
	t.Helper()
	db := storagetest.SQLite(t)
	e := &env{ctx: context.Background(), db: db, tokens: map[string]string{}}
	e.svc = core.NewService(db, core.SystemClock{}, core.DefaultSettings(), nil)
	dir := core.OrgDef{
		Teams: []core.TeamDef{{Name: "Bangkok", Region: "TH"}, {Name: "Warsaw", Region: "PL"}},
		Users: []core.UserDef{{Email: "admin@example.com", Role: core.RoleAdmin}},
		Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
			{Name: "Qualified", Probability: 20}}}},
	}
	if err := e.svc.Directory.Sync(e.ctx, dir); err != nil {
		t.Fatal(err)
	}
	for _, tk := range []struct{ name, source string }{{"zap", ""}, {"tf", "typeform"}, {"tally", "tally"}, {"old", ""}} {
		_, secret, err := e.svc.Directory.CreateToken(e.ctx, nil, tk.name, tk.source)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[tk.name] = secret
	}
	if _, err := e.svc.Directory.RevokeToken(e.ctx, nil, "old"); err != nil {
		t.Fatal(err)
	}
	_, secret, err := e.svc.Directory.CreateTokenFor(e.ctx, nil, core.TokenSpec{Name: "bi", Scopes: []core.Scope{core.ScopeRead}, As: "admin@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["bi"] = secret
	h, err := webhook.New(e.svc, sources, opts)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /api/v1/inbound", h)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// post delivers body with the token of the name ("" for none, or a raw
// Authorization value when it has a space) and the header pairs.
func (e *env) post(t testing.TB, query, token, body string, headers ...string) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/inbound"+query, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	switch {
	case strings.Contains(token, " "):
		req.Header.Set("Authorization", token)
	case token != "":
		secret := e.tokens[token]
		if secret == "" {
			secret = token
		}
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	json.Unmarshal(raw, &r.body)
	return r
}

// lead returns the newest lead of the contact with the email, and the
// contact: the answers carry no refs to find it by.
func (e *env) lead(t testing.TB, email string) (*core.Lead, *core.Contact) {
	t.Helper()
	c, err := e.db.ContactByIdentity(e.ctx, core.Identity{Kind: core.IdentityEmail, Value: email})
	if err != nil {
		t.Fatalf("contact %s: %v", email, err)
	}
	leads, err := e.db.ListLeads(e.ctx, core.LeadFilter{ContactID: c.ID, Limit: 10})
	if err != nil || len(leads) == 0 {
		t.Fatalf("no lead of %s: %v", email, err)
	}
	return &leads[0], c
}

func (e *env) deliveries(t testing.TB) []core.Delivery {
	t.Helper()
	ds, err := e.svc.Deliveries(e.ctx, nil, core.DeliveryFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func hexSig(secret, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func base64Sig(secret, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

const native = `{"source":"zapier","external_id":"zap-1","contact":{"name":"Somchai Prasert","email":"somchai@siam.co.th","phone":"081 234 5678","company":"Siam Co"},
	"subject":"Quote","message":"Please quote 20 seats","team":"Bangkok","metadata":{"utm_source":"google","seats":20,"tags":["a","b"],"nested":{"x":1}}}`

func TestAnswers(t *testing.T) {
	e := newEnv(t, webhook.Options{MaxBytes: 8 << 10})
	tests := []struct {
		name, query, token, body string
		headers                  []string
		status                   int
		want                     string // in the raw answer
	}{
		{"a delivery in leadwire's schema is a new lead", "", "zap", native, nil, 201, `{"receipt":"r_`},
		{"a redelivery stores nothing and answers 200 duplicate", "", "zap", native, nil, 200, `"duplicate":true`},
		{"no Authorization header is 401", "", "", native, nil, 401, "no token"},
		{"another scheme is 401", "", "Basic dXNlcjpwYXNz", native, nil, 401, "no token"},
		{"an unknown token is 401", "", "lw_notatoken", native, nil, 401, "unknown token"},
		{"a revoked token is 401 saying so", "", "old", native, nil, 401, "token old was revoked"},
		{"an API token without the inbound scope is 403", "", "bi", native, nil, 403, "token bi has the scopes read, not inbound"},
		{"a token bound to another source is 403", "?source=tally", "tf", typeformPayload, []string{"Typeform-Signature", hexSig("tf-secret", typeformPayload)}, 403, "token tf delivers as source typeform, not tally"},
		{"a Typeform delivery with a good hex signature is taken", "", "tf", typeformPayload, []string{"Typeform-Signature", hexSig("tf-secret", typeformPayload)}, 201, `{"receipt":"r_`},
		{"a Tally delivery with a good base64 signature is taken", "", "tally", tallyPayload, []string{"Tally-Signature", base64Sig("tally-secret", tallyPayload)}, 201, `{"receipt":"r_`},
		{"a bad signature is 403", "", "tf", typeformPayload, []string{"Typeform-Signature", hexSig("wrong", typeformPayload)}, 403, "bad signature"},
		{"a signature of another body is 403", "", "tf", typeformPayload + " ", []string{"Typeform-Signature", hexSig("tf-secret", typeformPayload)}, 403, "bad signature"},
		{"a missing signature is 403", "", "tf", typeformPayload, nil, 403, "missing signature; send Typeform-Signature"},
		{"malformed JSON is 400", "", "zap", `{"contact":`, nil, 400, "not valid JSON"},
		{"an empty body is 400", "", "zap", ``, nil, 400, "the body is empty"},
		{"no way to reach the contact is 422", "", "zap", `{"contact":{"name":"x"}}`, nil, 422, "no email, phone or chat handle"},
		{"an invalid email is 422", "", "zap", `{"contact":{"email":"nope"}}`, nil, 422, `invalid email address`},
		{"an unknown team is 422", "", "zap", `{"contact":{"email":"t@example.com"},"team":"Atlantis"}`, nil, 422, `team \"Atlantis\" not found`},
		{"an object where text is mapped is 422", "?source=strict", "zap", `{"data":{"a":1},"contact":{"email":"s@example.com"}}`, nil, 422, "data holds an object"},
		{"an invalid source name is 422", "?source=no%20spaces", "zap", native, nil, 422, "invalid source"},
		{"a 5,000-character email address is 422 with the bound", "", "zap", `{"contact":{"email":"` + strings.Repeat("a", 4988) + `@example.com"}}`, nil, 422,
			"an email address of 5000 characters is too long; an address has at most 254 bytes, 64 before the @"},
		{"a phone too long to be one is 422", "", "zap", `{"contact":{"email":"p@example.com","phone":"` + strings.Repeat("1", 100) + `"}}`, nil, 422, "a phone number of 100 characters is too long"},
		{"an invalid phone beside an email is kept and said", "", "zap", `{"external_id":"inv-1","team":"Warsaw","contact":{"email":"us@example.com","phone":"(555) 123-4567"}}`, nil, 201,
			`"notes":["phone number \"(555) 123-4567\" is not a valid number in PL: kept on the contact as written, not used to find them"]`},
		{"an overlong name is cut and said", "", "zap", `{"external_id":"long-1","contact":{"email":"long@example.com","name":"` + strings.Repeat("x", 300) + `"}}`, nil, 201,
			`"notes":["the name was 300 characters: cut to 200"]`},
		{"a body past the limit is 413", "", "zap", `{"contact":{"email":"big@example.com"},"message":"` + strings.Repeat("x", 9000) + `"}`, nil, 413, "larger than 8192 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.post(t, tt.query, tt.token, tt.body, tt.headers...)
			if r.status != tt.status || !strings.Contains(r.raw, tt.want) {
				t.Fatalf("got %d %s, want %d containing %q", r.status, r.raw, tt.status, tt.want)
			}
			if r.status == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func TestWhatIsStored(t *testing.T) {
	e := newEnv(t, webhook.Options{})

	t.Run("leadwire's schema fills contact, lead and metadata", func(t *testing.T) {
		r := e.post(t, "", "zap", native)
		l, c := e.lead(t, "somchai@siam.co.th")
		if c.Name != "Somchai Prasert" || c.Emails[0] != "somchai@siam.co.th" || c.Phones[0] != "+66812345678" || c.Company != "Siam Co" {
			t.Errorf("contact = %+v", c)
		}
		team, _ := e.db.TeamByName(e.ctx, "Bangkok")
		if l.SourceChannel != "webhook" || l.SourceName != "zapier" || l.Subject != "Quote" || l.Message != "Please quote 20 seats" || l.TeamID != team.ID {
			t.Errorf("lead = %+v (the payload's team Bangkok wins over the source's Warsaw)", l)
		}
		want := map[string]string{"utm_source": "google", "seats": "20", "tags": "a, b", "nested": `{"x":1}`,
			"receipt": fmt.Sprint(r.body["receipt"])}
		if fmt.Sprint(l.Metadata) != fmt.Sprint(want) {
			t.Errorf("metadata = %v, want %v", l.Metadata, want)
		}
	})
	t.Run("a Typeform-like payload is mapped by answer refs", func(t *testing.T) {
		e.post(t, "", "tf", typeformPayload, "Typeform-Signature", hexSig("tf-secret", typeformPayload))
		l, c := e.lead(t, "lan@vinacorp.vn")
		if c.Name != "Nguyễn Thị Lan" || c.Emails[0] != "lan@vinacorp.vn" || c.Phones[0] != "+84901234567" {
			t.Errorf("contact = %+v", c)
		}
		team, _ := e.db.TeamByName(e.ctx, "Bangkok")
		if l.SourceName != "typeform" || l.Subject != "Demo request" || l.Message != "We need 50 seats by December." || l.TeamID != team.ID {
			t.Errorf("lead = %+v", l)
		}
		if l.Metadata["plan"] != "Enterprise" || l.Metadata["utm_source"] != "linkedin" || l.Metadata["choice"] != `{"label":"Enterprise"}` {
			t.Errorf("metadata = %v", l.Metadata)
		}
		res, err := e.db.InboundResult(e.ctx, core.InboundKey{Channel: "webhook", Source: "typeform", ExternalID: "01HQ8X3TYPEFORM"})
		if err != nil || res.LeadID != l.ID {
			t.Errorf("the event id is not the idempotency key: %+v %v", res, err)
		}
	})
	t.Run("a Tally-like payload is mapped by field labels", func(t *testing.T) {
		e.post(t, "", "tally", tallyPayload, "Tally-Signature", base64Sig("tally-secret", tallyPayload))
		l, c := e.lead(t, "zofia@polimex.pl")
		if c.Name != "Zofia Łukasiewicz" || c.Emails[0] != "zofia@polimex.pl" || c.Company != "Polimex" {
			t.Errorf("contact = %+v", c)
		}
		if l.Subject != "Kontakt" || l.Metadata["seats"] != "25" || l.Metadata["interests"] != "CRM, Chat" {
			t.Errorf("lead = %+v", l)
		}
	})
	t.Run("an Idempotency-Key stands in for a missing external id", func(t *testing.T) {
		body := `{"contact":{"email":"idem@example.com"}}`
		a := e.post(t, "", "zap", body, "Idempotency-Key", "k-1")
		b := e.post(t, "", "zap", body, "Idempotency-Key", "k-1")
		if a.status != 201 || b.status != 200 || a.body["receipt"] != b.body["receipt"] || b.body["duplicate"] != true {
			t.Errorf("got %d %s then %d %s", a.status, a.raw, b.status, b.raw)
		}
	})
	t.Run("a delivery from a known contact goes onto the open lead", func(t *testing.T) {
		a := e.post(t, "", "zap", `{"contact":{"email":"twice@example.com"},"message":"one"}`)
		b := e.post(t, "", "zap", `{"contact":{"email":"twice@example.com"},"message":"two"}`)
		_, c := e.lead(t, "twice@example.com")
		leads, _ := e.db.ListLeads(e.ctx, core.LeadFilter{ContactID: c.ID, Limit: 10})
		if a.status != 201 || b.status != 201 || len(leads) != 1 {
			t.Errorf("got %s then %s, %d leads", a.raw, b.raw, len(leads))
		}
	})
}

func TestDeliveryLog(t *testing.T) {
	e := newEnv(t, webhook.Options{})
	e.post(t, "", "zap", native)
	e.post(t, "", "zap", native)
	e.post(t, "", "old", native)
	e.post(t, "", "tf", typeformPayload, "Typeform-Signature", "sha256=00")
	big := `{"contact":{"email":"long@example.com"},"message":"` + strings.Repeat("é", 5000) + `"}`
	e.post(t, "?source=website", "zap", big)
	okLead, _ := e.lead(t, "somchai@siam.co.th")
	longLead, _ := e.lead(t, "long@example.com")
	e.post(t, "", "zap", `{"contact":{"name":"nobody"}}`)

	got := e.deliveries(t)
	type row struct {
		source, token string
		status        int
		outcome, ref  string
		err           string
	}
	want := []row{
		{"api", "zap", 422, "refused", "", "no email, phone or chat handle"},
		{"website", "zap", 201, "lead", longLead.Ref(), ""},
		{"typeform", "tf", 403, "refused", "", "bad signature"},
		{"", "old", 401, "refused", "", "token old was revoked"},
		{"zapier", "zap", 200, "duplicate", okLead.Ref(), ""},
		{"zapier", "zap", 201, "lead", okLead.Ref(), ""},
	}
	if len(got) != len(want) {
		t.Fatalf("%d deliveries logged, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Source != w.source || g.Token != w.token || g.Status != w.status || g.Outcome != w.outcome || g.Ref != w.ref || !strings.Contains(g.Error, w.err) {
			t.Errorf("delivery %d = %+v\nwant %+v", i, g, w)
		}
		if time.Since(g.At) > time.Minute {
			t.Errorf("delivery %d at %v", i, g.At)
		}
	}
	t.Run("the body is kept up to 4 KiB with its full size", func(t *testing.T) {
		if got[1].Size != int64(len(big)) || len(got[1].Body) != core.DeliveryBodyMax {
			t.Errorf("size %d, kept %d", got[1].Size, len(got[1].Body))
		}
		if got[5].ExternalID != "zap-1" || string(got[5].Body) != native {
			t.Errorf("first delivery = %+v", got[5])
		}
	})
	t.Run("a stranger's refusals are logged only within a budget", func(t *testing.T) {
		before := len(e.deliveries(t))
		for range 100 {
			e.post(t, "", "lw_guess", native)
		}
		if n := len(e.deliveries(t)) - before; n < 55 || n > 65 {
			t.Errorf("%d of 100 refusals logged, want about 60", n)
		}
	})
}

func TestSchemaExample(t *testing.T) {
	raw, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Examples []json.RawMessage `json:"examples"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, webhook.Options{})
	for i, ex := range schema.Examples {
		t.Run(fmt.Sprintf("example %d of schema.json is taken", i), func(t *testing.T) {
			if r := e.post(t, "", "zap", string(ex)); r.status != 201 {
				t.Errorf("got %d %s", r.status, r.raw)
			}
		})
	}
}

func TestEchoedSourceNamesNeverReadAsAnother(t *testing.T) {
	e := newEnv(t, webhook.Options{})
	for _, tt := range []struct{ name, query, token, want, never string }{
		{"a source with a NUL is not the source of that name", "?source=zapier%00", "zap", `"zapier\x00"`, `"zapier"`},
		{"a source a bound token may not deliver as shows escaped", "?source=typeform%00", "tf", `"typeform\x00"`, `not typeform`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.post(t, tt.query, tt.token, `{"contact":{"email":"a@example.com"}}`)
			msg, _ := r.body["error"].(string)
			if r.status < 400 || !strings.Contains(msg, tt.want) || strings.HasSuffix(msg, tt.never) || strings.Contains(msg, tt.never+";") {
				t.Errorf("got %d %q; want a refusal with %s, never %s", r.status, msg, tt.want, tt.never)
			}
		})
	}
}

func TestAnAnswerCarriesAReceiptAndNoRefs(t *testing.T) {
	e := newEnv(t, webhook.Options{})
	// Anna is known, with a lead and an open deal.
	e.post(t, "", "zap", `{"contact":{"email":"anna@firma.pl"},"team":"Bangkok"}`)
	l, _ := e.lead(t, "anna@firma.pl")
	admin, err := e.db.UserByEmail(e.ctx, "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Qualify(e.ctx, admin, l.ID, core.QualifyInput{Title: "Anna's deal"}); err != nil {
		t.Fatal(err)
	}
	known := e.post(t, "", "zap", `{"contact":{"email":"anna@firma.pl"},"message":"again"}`)
	unknown := e.post(t, "", "zap", `{"contact":{"email":"nobody@firma.pl"},"message":"again"}`)
	refs := regexp.MustCompile(`\b[LD][0-9]+\b|"(lead|deal)"`)
	for _, r := range []response{known, unknown} {
		if r.status != 201 || refs.MatchString(r.raw) || len(r.body) != 1 || r.body["receipt"] == nil {
			t.Errorf("got %d %s; want 201 with a receipt only", r.status, r.raw)
		}
	}
	if len(known.raw) != len(unknown.raw) {
		t.Errorf("a known address is answered otherwise than an unknown one: %s and %s", known.raw, unknown.raw)
	}
	if got := e.deliveries(t)[1].Ref; got != "D1" {
		t.Errorf("the delivery log has ref %q, want the deal D1 for the team", got)
	}
	// Another person with a phone already stored is kept apart, and the
	// answer says nothing of the contact who has it.
	e.post(t, "", "zap", `{"contact":{"name":"Anna Kowalska","email":"anna@firma.pl","phone":"+48 601 234 567"}}`)
	other := e.post(t, "", "zap", `{"contact":{"name":"Jan Nowak","email":"jan@budowa.pl","phone":"+48 601 234 567"},"team":"Bangkok"}`)
	if other.status != 201 || len(other.body) != 1 || strings.Contains(other.raw, "601") || strings.Contains(other.raw, "another contact") {
		t.Errorf("got %d %s; want 201 with a receipt only, nothing of the contact with that phone", other.status, other.raw)
	}
}

func TestADeliveryIsAuditedAsTheSourcesThroughTheWebhook(t *testing.T) {
	e := newEnv(t, webhook.Options{})
	e.post(t, "", "zap", native)
	l, _ := e.lead(t, "somchai@siam.co.th")
	log, err := e.svc.Audit(e.ctx, &core.User{Role: core.RoleAdmin}, core.AuditFilter{Lead: l.ID})
	if err != nil || len(log) != 1 || log[0].Action != "lead.capture" || log[0].Actor != "connector:webhook:zapier" || log[0].Via != core.ViaWebhook {
		t.Fatalf("audit %+v, %v", log, err)
	}
}

package webform_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"leadwire/connectors/webform"
	"leadwire/core"
)

func TestAnswers(t *testing.T) {
	small := webform.Form{ID: "small", Limits: webform.Limits{MaxBytes: 2048, MaxFields: 5}}
	limited := webform.Form{ID: "limited", PerIP: webform.Rate{N: 2, Per: time.Minute}}
	busy := webform.Form{ID: "busy", PerForm: webform.Rate{N: 1, Per: time.Hour}}
	e := newEnv(t, contactForm, small, limited, busy)
	multi := func() (string, io.Reader) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("your-email", "multi@example.pl")
		mw.WriteField("your-message", "with a file")
		fw, _ := mw.CreateFormFile("cv", "cv.pdf")
		fw.Write([]byte("%PDF-1.4 …"))
		mw.Close()
		return mw.FormDataContentType(), &b
	}
	mct, mbody := multi()

	tests := []struct {
		name        string
		path        string
		contentType string
		body        io.Reader
		headers     []string
		status      int
		want        string // in the body
	}{
		{"a browser post is sent on to the redirect", "/forms/contact", urlencoded,
			form("your-email", "anna@example.pl", "your-message", "Cennik proszę"), []string{"Accept", "text/html"}, 303, ""},
		{"a plain HTML form post without Accept is a browser post too", "/forms/contact", urlencoded,
			form("your-email", "anna2@example.pl", "your-message", "x"), nil, 303, ""},
		{"a script gets a receipt as JSON", "/forms/contact", jsonType,
			strings.NewReader(`{"your-email":"bob@example.pl","your-message":"hi"}`), nil, 201, `{"receipt":"r_`},
		{"a urlencoded post asking for JSON gets JSON", "/forms/contact", urlencoded,
			form("your-email", "cy@example.pl", "your-message", "x"), []string{"Accept", "application/json"}, 201, `{"receipt":"r_`},
		{"a multipart post is taken", "/forms/contact", mct, mbody, []string{"Accept", "application/json"}, 201, `{"receipt":"r_`},
		{"a browser post without a redirect gets a thank-you page", "/forms/small", urlencoded,
			form("email", "dora@example.pl"), nil, 201, "Thank you"},
		{"a missing required field is 422 under its posted name", "/forms/contact", jsonType,
			strings.NewReader(`{"your-email":"ed@example.pl"}`), nil, 422, `"fields":{"your-message":"required"}`},
		{"an invalid email is 422 under its posted name", "/forms/contact", jsonType,
			strings.NewReader(`{"your-email":"not-an-address","your-message":"x"}`), nil, 422, `"your-email":"invalid email address`},
		{"an invalid phone is 422 under its posted name", "/forms/contact", jsonType,
			strings.NewReader(`{"your-email":"ph@example.pl","tel":"12","your-message":"x"}`), nil, 422, `"tel":"invalid phone number`},
		{"a 5,000-character email address is 422 under its posted name", "/forms/contact", jsonType,
			strings.NewReader(`{"your-email":"` + strings.Repeat("a", 4988) + `@example.pl","your-message":"x"}`), nil, 422, `"your-email":"invalid email address`},
		{"a US number written without +1 on a Polish form is 422", "/forms/contact", jsonType,
			strings.NewReader(`{"your-email":"us@example.pl","tel":"(555) 123-4567","your-message":"x"}`), nil, 422, `"tel":"invalid phone number`},
		{"a post with no way to reach the sender is 422", "/forms/small", jsonType,
			strings.NewReader(`{"name":"Nobody"}`), nil, 422, `"email":"give an email address or a phone number`},
		{"a browser gets its 422 as a page listing the fields", "/forms/contact", urlencoded,
			form("your-email", "x@"), nil, 422, "<strong>your-message</strong>: required"},
		{"an unknown form is 404", "/forms/nope", jsonType, strings.NewReader(`{}`), nil, 404, `no form \"nope\" here`},
		{"a body past the limit is 413", "/forms/small", urlencoded,
			form("email", "f@example.pl", "message", strings.Repeat("x", 3000)), nil, 413, "larger than 2048 bytes"},
		{"too many fields is 413", "/forms/small", urlencoded,
			strings.NewReader("email=g%40example.pl&a=1&b=2&c=3&d=4&e=5"), nil, 413, "more than 5 fields"},
		{"malformed JSON is 400 saying so", "/forms/contact", jsonType, strings.NewReader(`{"your-email":`), nil, 400, "malformed JSON body"},
		{"JSON that is not an object is 400", "/forms/contact", jsonType, strings.NewReader(`["a"]`), nil, 400, "malformed JSON body"},
		{"two JSON objects are 400", "/forms/contact", jsonType, strings.NewReader(`{} {}`), nil, 400, "more follows"},
		{"a nested object is 422 naming the field", "/forms/contact", jsonType,
			strings.NewReader(`{"your-email":"h@example.pl","your-message":{"a":1}}`), nil, 422, `"your-message":"want text`},
		{"a malformed multipart body is 400", "/forms/contact", "multipart/form-data; boundary=XYZ",
			strings.NewReader("--XYZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end"), []string{"Accept", "application/json"}, 400, "malformed multipart body"},
		{"a bad escape is 400", "/forms/contact", urlencoded, strings.NewReader("your-email=%zz"), []string{"Accept", "application/json"}, 400, "bad %-escape"},
		{"an unsupported content type is 415", "/forms/contact", "text/plain", strings.NewReader("hello"), nil, 415, "unsupported content type"},
		{"a bad Idempotency-Key is 400", "/forms/contact", jsonType, strings.NewReader(`{}`), []string{"Idempotency-Key", "a b"}, 400, "Idempotency-Key"},
		{"a post from another origin is 403", "/forms/contact", jsonType,
			strings.NewReader(`{"your-email":"i@example.pl","your-message":"x"}`), []string{"Origin", "https://evil.example"}, 403, `does not take posts from \"https://evil.example\"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.post(t, tt.path, tt.contentType, tt.body, tt.headers...)
			if r.status != tt.status || !strings.Contains(r.body, tt.want) {
				t.Fatalf("got %d %q, want %d containing %q", r.status, r.body, tt.status, tt.want)
			}
			if r.status == 303 && r.header.Get("Location") != contactForm.Redirect {
				t.Errorf("Location = %q", r.header.Get("Location"))
			}
		})
	}

	t.Run("a wrong method is 405", func(t *testing.T) {
		r := e.do(t, http.MethodGet, "/forms/contact", "", nil)
		if r.status != 405 {
			t.Errorf("GET: %d %q", r.status, r.body)
		}
	})
	t.Run("past the rate limit for one address it is 429 with Retry-After", func(t *testing.T) {
		var codes []int
		for i := range 3 {
			r := e.post(t, "/forms/limited", jsonType, strings.NewReader(fmt.Sprintf(`{"email":"rl%d@example.pl"}`, i)))
			codes = append(codes, r.status)
			if r.status == 429 && (r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "too many posts from your address")) {
				t.Errorf("429 without Retry-After or reason: %v %q", r.header, r.body)
			}
		}
		if fmt.Sprint(codes) != "[201 201 429]" {
			t.Errorf("codes = %v", codes)
		}
	})
	t.Run("past the form's own rate limit it is 429", func(t *testing.T) {
		e.post(t, "/forms/busy", jsonType, strings.NewReader(`{"email":"b1@example.pl"}`))
		r := e.post(t, "/forms/busy", jsonType, strings.NewReader(`{"email":"b2@example.pl"}`))
		if r.status != 429 || !strings.Contains(r.body, "the form is taking too many posts") {
			t.Errorf("got %d %q", r.status, r.body)
		}
	})
}

func TestWhatIsStored(t *testing.T) {
	e := newEnv(t)

	t.Run("mapped fields reach the contact and the lead, the rest is metadata", func(t *testing.T) {
		r := e.post(t, "/forms/contact", urlencoded, form(
			"your-name", "Katarzyna Nowak", "your-email", "Kasia@Firma.PL", "tel", "601 234 567", "org", "Firma Sp. z o.o.",
			"topic", "Wycena", "your-message", "Proszę o wycenę\r\n50 licencji", "plan", "business", "seats", "50", "seats", "60",
			"utm_source", "newsletter", "_charset_", "UTF-8"),
			"Accept", "application/json",
			"Referer", "https://example.com/pl/kontakt?utm_source=ignored&utm_campaign=jesien&utm_medium=email")
		if r.status != 201 {
			t.Fatalf("got %d %q", r.status, r.body)
		}
		l := e.lead(t, "kasia@firma.pl")
		c := e.contact(t, l)
		if c.Name != "Katarzyna Nowak" || c.Emails[0] != "kasia@firma.pl" || c.Phones[0] != "+48601234567" || c.Company != "Firma Sp. z o.o." {
			t.Errorf("contact = %+v", c)
		}
		if l.SourceChannel != "webform" || l.SourceName != "contact" || l.Subject != "Wycena" || l.Message != "Proszę o wycenę\n50 licencji" {
			t.Errorf("lead = %+v", l)
		}
		team, _ := e.db.TeamByName(e.ctx, "Warsaw")
		if l.TeamID != team.ID {
			t.Errorf("team %d, want Warsaw %d", l.TeamID, team.ID)
		}
		want := map[string]string{"plan": "business", "seats": "50, 60", "utm_source": "newsletter",
			"utm_campaign": "jesien", "utm_medium": "email",
			"referrer": "https://example.com/pl/kontakt?utm_source=ignored&utm_campaign=jesien&utm_medium=email",
			"receipt":  r.json(t)["receipt"].(string)}
		if fmt.Sprint(l.Metadata) != fmt.Sprint(want) {
			t.Errorf("metadata = %v\nwant       %v", l.Metadata, want)
		}
	})
	t.Run("a second post from the same person goes onto the open lead", func(t *testing.T) {
		first := e.post(t, "/forms/contact", jsonType, strings.NewReader(`{"your-email":"again@example.pl","your-message":"one"}`)).json(t)
		before := e.activities(t, "again@example.pl")
		second := e.post(t, "/forms/contact", jsonType, strings.NewReader(`{"your-email":"again@example.pl","your-message":"two"}`))
		if second.status != 201 || second.json(t)["receipt"] == first["receipt"] {
			t.Errorf("second post: %d %q, first %v; want 201 with a receipt of its own", second.status, second.body, first)
		}
		if got := e.activities(t, "again@example.pl"); got != before+1 {
			t.Errorf("activities %d, want %d", got, before+1)
		}
	})
	t.Run("an activity on an open deal is answered as a new lead is", func(t *testing.T) {
		e.post(t, "/forms/contact", jsonType, strings.NewReader(`{"your-email":"deal@example.pl","your-message":"one"}`))
		l := e.lead(t, "deal@example.pl")
		admin, err := e.db.UserByEmail(e.ctx, "admin@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Qualify(e.ctx, admin, l.ID, core.QualifyInput{Title: "Deal"}); err != nil {
			t.Fatalf("qualify: %v", err)
		}
		r := e.post(t, "/forms/contact", jsonType, strings.NewReader(`{"your-email":"deal@example.pl","your-message":"two"}`))
		if r.status != 201 || strings.Contains(r.body, `"deal"`) || !strings.HasPrefix(r.body, `{"receipt":"r_`) {
			t.Errorf("got %d %q; want 201 with a receipt only", r.status, r.body)
		}
	})
	t.Run("a multipart file is noted, not kept", func(t *testing.T) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("your-email", "file@example.pl")
		mw.WriteField("your-message", "see attached")
		fw, _ := mw.CreatePart(map[string][]string{"Content-Disposition": {`form-data; name="brief"; filename="brief.pdf"`},
			"Content-Type": {"application/pdf"}})
		fw.Write(make([]byte, 1000))
		mw.Close()
		r := e.post(t, "/forms/contact", mw.FormDataContentType(), &b, "Accept", "application/json")
		if r.status != 201 {
			t.Fatalf("got %d %q", r.status, r.body)
		}
		if got := e.lead(t, "file@example.pl").Metadata["file:brief"]; got != "brief.pdf (application/pdf, 1000 bytes, not kept)" {
			t.Errorf("file metadata = %q", got)
		}
	})
}

func TestIdempotency(t *testing.T) {
	e := newEnv(t)
	body := `{"your-email":"idem@example.pl","your-message":"once"}`
	first := e.post(t, "/forms/contact", jsonType, strings.NewReader(body), "Idempotency-Key", "4f1c-77")
	const ref = "idem@example.pl"
	leads, acts := len(e.leads(t)), e.activities(t, ref)

	tests := []struct {
		name    string
		headers []string
		status  int
		want    string
	}{
		{"a retried JSON post stores nothing and answers with the same receipt", []string{"Idempotency-Key", "4f1c-77"}, 200,
			strings.TrimSuffix(first.body, "}\n") + `,"duplicate":true}`},
		{"a retried browser post is redirected as before", []string{"Idempotency-Key", "4f1c-77", "Accept", "text/html"}, 303, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.post(t, "/forms/contact", jsonType, strings.NewReader(body), tt.headers...)
			if r.status != tt.status || strings.TrimSpace(r.body) != tt.want {
				t.Errorf("got %d %q, want %d %q", r.status, r.body, tt.status, tt.want)
			}
			if len(e.leads(t)) != leads || e.activities(t, ref) != acts {
				t.Errorf("leads %d activities %d, want %d and %d", len(e.leads(t)), e.activities(t, ref), leads, acts)
			}
		})
	}
	t.Run("the same key on another form is another submission", func(t *testing.T) {
		e2 := newEnv(t, contactForm, webform.Form{ID: "other"})
		a := e2.post(t, "/forms/contact", jsonType, strings.NewReader(body), "Idempotency-Key", "k1")
		b := e2.post(t, "/forms/other", jsonType, strings.NewReader(`{"email":"other@example.pl"}`), "Idempotency-Key", "k1")
		if a.status != 201 || b.status != 201 || a.body == b.body {
			t.Errorf("got %d %q and %d %q", a.status, a.body, b.status, b.body)
		}
	})
	t.Run("concurrent retries of one submission store it once", func(t *testing.T) {
		const n = 16
		codes := make(chan int, n)
		for range n {
			go func() {
				r := e.post(t, "/forms/contact", jsonType, strings.NewReader(`{"your-email":"race@example.pl","your-message":"x"}`), "Idempotency-Key", "race-1")
				codes <- r.status
			}()
		}
		created := 0
		for range n {
			if <-codes == 201 {
				created++
			}
		}
		if created != 1 {
			t.Errorf("%d answers were 201, want 1", created)
		}
	})
}

func TestHoneypot(t *testing.T) {
	e := newEnv(t)
	real := e.post(t, "/forms/contact", jsonType, strings.NewReader(`{"your-email":"real@example.pl","your-message":"x"}`))
	leads := len(e.leads(t))

	t.Run("a bot gets a 201 shaped like a real one and nothing is stored", func(t *testing.T) {
		r := e.post(t, "/forms/contact", jsonType, strings.NewReader(`{"your-email":"bot@spam.example","your-message":"buy","website":"http://spam"}`))
		if r.status != real.status || !strings.HasPrefix(r.body, `{"receipt":"r_`) || len(r.body) != len(real.body) || len(r.header) != len(real.header) {
			t.Errorf("bot got %d %q %v, a person %d %q %v", r.status, r.body, r.header, real.status, real.body, real.header)
		}
		if len(e.leads(t)) != leads {
			t.Errorf("a lead was stored")
		}
		if _, err := e.db.ContactByIdentity(e.ctx, core.Identity{Kind: core.IdentityEmail, Value: "bot@spam.example"}); !core.IsNotFound(err) {
			t.Errorf("the bot's contact was stored: %v", err)
		}
	})
	t.Run("a browser bot is redirected like a person", func(t *testing.T) {
		r := e.post(t, "/forms/contact", urlencoded, form("your-email", "bot2@spam.example", "your-message", "x", "website", "y"))
		if r.status != 303 || r.header.Get("Location") != contactForm.Redirect {
			t.Errorf("got %d %v", r.status, r.header)
		}
	})
	t.Run("a bot that leaves out a required field is refused like a person", func(t *testing.T) {
		r := e.post(t, "/forms/contact", jsonType, strings.NewReader(`{"your-email":"bot3@spam.example","website":"y"}`))
		if r.status != 422 {
			t.Errorf("got %d %q", r.status, r.body)
		}
	})
	t.Run("honeypot hits are counted", func(t *testing.T) {
		st, _ := e.db.ConnectorStatuses(e.ctx)
		for _, s := range st {
			if s.Connector == "webform:contact" && s.Counts["skipped:honeypot"] == 2 && s.Counts["captured"] == 1 {
				return
			}
		}
		t.Errorf("statuses = %+v", st)
	})
}

func TestCORS(t *testing.T) {
	e := newEnv(t, contactForm, webform.Form{ID: "anywhere", AllowedOrigins: []string{"*"}}, webform.Form{ID: "open"})
	tests := []struct {
		name, method, path, origin string
		status                     int
		allowOrigin                string
	}{
		{"a preflight from an allowed origin is answered", "OPTIONS", "/forms/contact", "https://example.com", 204, "https://example.com"},
		{"a preflight from another origin is refused", "OPTIONS", "/forms/contact", "https://evil.example", 403, ""},
		{"a preflight to a form taking any origin echoes *", "OPTIONS", "/forms/anywhere", "https://x.example", 204, "*"},
		{"a preflight to a form without origins is refused", "OPTIONS", "/forms/open", "https://x.example", 403, ""},
		{"a preflight to an unknown form is 404", "OPTIONS", "/forms/nope", "https://example.com", 404, ""},
		{"a post from an allowed origin may read the answer", "POST", "/forms/contact", "https://example.com", 201, "https://example.com"},
		{"a post to a form without origins is taken but not readable", "POST", "/forms/open", "https://x.example", 201, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.NewReader(fmt.Sprintf(`{"your-email":"cors%d@example.pl","email":"cors%d@example.pl","your-message":"x"}`, i, i))
			r := e.do(t, tt.method, tt.path, jsonType, body, "Origin", tt.origin,
				"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,idempotency-key")
			if r.status != tt.status || r.header.Get("Access-Control-Allow-Origin") != tt.allowOrigin {
				t.Errorf("got %d, Allow-Origin %q (%q)", r.status, r.header.Get("Access-Control-Allow-Origin"), r.body)
			}
			if tt.status == 204 && !strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Idempotency-Key") {
				t.Errorf("Allow-Headers = %q", r.header.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

func TestHostileInput(t *testing.T) {
	e := newEnv(t, contactForm, webform.Form{ID: "open"})

	t.Run("CR and LF in one-line fields cannot inject headers", func(t *testing.T) {
		r := e.post(t, "/forms/contact", jsonType, strings.NewReader(
			`{"your-name":"Anna\r\nBcc: victim@example.com","topic":"Hi\r\nX-Injected: 1","your-email":"inj@example.pl","your-message":"x","org":"A\nB"}`))
		if r.status != 201 {
			t.Fatalf("got %d %q", r.status, r.body)
		}
		l := e.lead(t, "inj@example.pl")
		c := e.contact(t, l)
		if c.Name != "Anna Bcc: victim@example.com" || l.Subject != "Hi X-Injected: 1" || c.Company != "A B" {
			t.Errorf("name %q subject %q company %q", c.Name, l.Subject, c.Company)
		}
	})
	t.Run("CR and LF in the email are refused", func(t *testing.T) {
		r := e.post(t, "/forms/contact", jsonType, strings.NewReader(`{"your-email":"a@example.pl\r\nBcc: b@example.com","your-message":"x"}`))
		if r.status != 422 || !strings.Contains(r.body, `"your-email"`) {
			t.Errorf("got %d %q", r.status, r.body)
		}
	})
	t.Run("invalid UTF-8 is never stored", func(t *testing.T) {
		r := e.post(t, "/forms/open", urlencoded, form("email", "utf@example.pl", "name", "Zo\xff\xfeia", "message", "a\xc3(b\x00c",
			"bad\xffkey", "v\xe2\x82", "subject", "\xed\xa0\x80"), "Accept", "application/json")
		if r.status != 201 {
			t.Fatalf("got %d %q", r.status, r.body)
		}
		l := e.lead(t, "utf@example.pl")
		c := e.contact(t, l)
		for _, s := range []string{c.Name, l.Message, l.Subject, fmt.Sprint(l.Metadata)} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Errorf("stored %q", s)
			}
		}
		if l.Message != "a\uFFFD(bc" {
			t.Errorf("message = %q", l.Message)
		}
	})
	t.Run("a 20 MB body is refused without being read", func(t *testing.T) {
		body := &countingReader{n: 20 << 20}
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/forms/open", body)
		req.Header.Set("Content-Type", urlencoded)
		req.ContentLength = -1 // chunked: no length to refuse up front
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != 413 {
				t.Errorf("status %d", resp.StatusCode)
			}
		}
		// With a declared length it is refused before a byte is read.
		r := e.post(t, "/forms/open", urlencoded, io.LimitReader(zeros{}, 20<<20))
		if r.status != 413 {
			t.Errorf("with Content-Length: %d %q", r.status, r.body)
		}
		if got := body.read.Load(); got > 8<<20 {
			t.Errorf("the client sent %d bytes before the refusal", got)
		}
	})
	t.Run("a huge number of fields is refused", func(t *testing.T) {
		r := e.post(t, "/forms/open", urlencoded, strings.NewReader(strings.Repeat("a=1&", 15000)), "Accept", "application/json")
		if r.status != 413 || !strings.Contains(r.body, "more than 100 fields") {
			t.Errorf("got %d %q", r.status, r.body)
		}
		var b strings.Builder
		b.WriteString(`{"email":"many@example.pl"`)
		for i := range 500 {
			fmt.Fprintf(&b, `,"f%d":1`, i)
		}
		b.WriteString("}")
		r = e.post(t, "/forms/open", jsonType, strings.NewReader(b.String()))
		if r.status != 413 {
			t.Errorf("JSON: got %d %q", r.status, r.body)
		}
	})
	t.Run("nothing is half written by a refused post", func(t *testing.T) {
		before := len(e.leads(t))
		e.post(t, "/forms/open", jsonType, strings.NewReader(`{"email":"half@example.pl","phone":"not a phone"}`))
		if len(e.leads(t)) != before {
			t.Error("a lead was stored")
		}
		if _, err := e.db.ContactByIdentity(e.ctx, core.Identity{Kind: core.IdentityEmail, Value: "half@example.pl"}); !core.IsNotFound(err) {
			t.Errorf("a contact was stored: %v", err)
		}
	})
}

// countingReader yields n bytes of 'a' and counts what was read.
type countingReader struct {
	n    int64
	read atomic.Int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	left := r.n - r.read.Load()
	if left <= 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), left))
	for i := range n {
		p[i] = 'a'
	}
	r.read.Add(int64(n))
	return n, nil
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestClientIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	tests := []struct {
		name, remote, xff string
		trusted           []netip.Prefix
		want              string
	}{
		{"the peer is the client without trusted proxies", "203.0.113.7:5000", "198.51.100.1", nil, "203.0.113.7"},
		{"a trusted proxy's X-Forwarded-For is believed", "10.0.0.2:5000", "198.51.100.1", proxies, "198.51.100.1"},
		{"the nearest untrusted hop wins over what the client wrote", "10.0.0.2:5000", "6.6.6.6, 198.51.100.1, 10.0.0.3", proxies, "198.51.100.1"},
		{"an untrusted peer's X-Forwarded-For is ignored", "203.0.113.7:5000", "198.51.100.1", proxies, "203.0.113.7"},
		{"a garbled hop stops the walk", "10.0.0.2:5000", "198.51.100.1, junk", proxies, "10.0.0.2"},
		{"an IPv4-mapped peer is IPv4", "[::ffff:203.0.113.9]:1", "", nil, "203.0.113.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest("POST", "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := webform.ClientIP(r, tt.trusted); got.String() != tt.want {
				t.Errorf("got %v, want %s", got, tt.want)
			}
		})
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]string{"10/m": "10/m", "5/s": "5/s", " 100/h ": "100/h", "off": "off", "": "off", "0/m": "off"} {
		r, err := webform.ParseRate(in)
		if err != nil || r.String() != want {
			t.Errorf("ParseRate(%q) = %v, %v; want %s", in, r, err, want)
		}
	}
	for _, bad := range []string{"10", "10/d", "-1/m", "x/s", "10/"} {
		if _, err := webform.ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) took it", bad)
		}
	}
}

func TestEchoedInputNeverReadsAsSomethingElse(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		name, path, contentType, body string
		headers                       []string
		status                        int
		want, never                   string
	}{
		{"a form name with a NUL is not the form of that name", "/forms/contact%00", jsonType, `{}`, nil,
			404, `"contact\x00"`, `"contact"`},
		{"a form name with a newline shows it escaped", "/forms/contact%0Aevil", jsonType, `{}`, nil,
			404, `"contact\nevil"`, `"contactevil"`},
		{"an origin with a tab shows it escaped", "/forms/contact", jsonType, `{"your-email":"a@example.com"}`,
			[]string{"Origin", "https://exa\tmple.com"}, 403, `"https://exa\tmple.com"`, "exa\tmple"},
		{"a field name with a NUL shows it escaped", "/forms/contact", urlencoded, "your-email=a@example.com&x%00y=" + strings.Repeat("v", 40<<10), nil,
			413, `"x\x00y"`, `"xy"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.post(t, tt.path, tt.contentType, strings.NewReader(tt.body), append([]string{"Accept", jsonType}, tt.headers...)...)
			msg, _ := r.json(t)["error"].(string)
			if r.status != tt.status || !strings.Contains(msg, tt.want) || strings.Contains(msg, tt.never) {
				t.Errorf("got %d %q; want %d with %s, never %s", r.status, msg, tt.status, tt.want, tt.never)
			}
		})
	}
}

func TestTheAnswerTellsAStrangerNothingOfWhatIsStored(t *testing.T) {
	e := newEnv(t, contactForm, webform.Form{ID: "bangkok", Team: "Bangkok"})
	// Anna is known to the Bangkok team, with a lead and an open deal.
	e.post(t, "/forms/bangkok", jsonType, strings.NewReader(`{"email":"anna@firma.pl","message":"first"}`))
	admin, err := e.db.UserByEmail(e.ctx, "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Qualify(e.ctx, admin, e.lead(t, "anna@firma.pl").ID, core.QualifyInput{Title: "Anna's deal"}); err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile(`\b[LD][0-9]+\b|"(lead|deal)"`)
	shape := func(r response) string {
		m := r.json(t)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return fmt.Sprint(r.status, keys, len(r.body))
	}
	// A stranger posts Anna's address, then one nobody knows, on the
	// Warsaw form.
	known := e.post(t, "/forms/contact", jsonType, strings.NewReader(`{"your-email":"anna@firma.pl","your-message":"who is this?"}`))
	unknown := e.post(t, "/forms/contact", jsonType, strings.NewReader(`{"your-email":"nobody@firma.pl","your-message":"who is this?"}`))
	t.Run("no lead or deal ref is in the answer", func(t *testing.T) {
		for _, r := range []response{known, unknown} {
			if refs.MatchString(r.body) {
				t.Errorf("answer %q shows a ref", r.body)
			}
		}
	})
	t.Run("a known address is answered as an unknown one is", func(t *testing.T) {
		if a, b := shape(known), shape(unknown); a != b {
			t.Errorf("known %s %q, unknown %s %q", a, known.body, b, unknown.body)
		}
	})
	t.Run("the team's lead keeps the receipt the sender got", func(t *testing.T) {
		if got := e.lead(t, "nobody@firma.pl").Metadata[core.ReceiptMetadata]; got == "" || got != unknown.json(t)["receipt"] {
			t.Errorf("lead receipt %q, answer %q", got, unknown.body)
		}
	})
}

func TestAPostIsAuditedAsTheFormsThroughTheWeb(t *testing.T) {
	e := newEnv(t)
	r := e.post(t, "/forms/contact", urlencoded, form("your-name", "Ewa", "your-email", "ewa@firma.pl", "your-message", "Hello"), "Accept", "application/json")
	if r.status != 201 {
		t.Fatalf("got %d %q", r.status, r.body)
	}
	l := e.lead(t, "ewa@firma.pl")
	log, err := e.svc.Audit(t.Context(), &core.User{Role: core.RoleAdmin}, core.AuditFilter{Lead: l.ID})
	if err != nil || len(log) != 1 || log[0].Action != "lead.capture" || log[0].Actor != "connector:webform:contact" || log[0].Via != core.ViaWeb {
		t.Fatalf("audit %+v, %v", log, err)
	}
}

package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"leadwire/internal/testenv"
	"leadwire/storage"
)

// answer is what an HTTP request got.
type answer struct {
	status int
	body   string
	header http.Header
}

// do sends a request and reads its answer.
func do(t *testing.T, method, u, contentType, body string, headers ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(b), resp.Header}
}

// readyConfig adds a form and trusts a proxy on loopback.
const readyConfig = `
forms:
  - id: contact
    fields: {your-email: email}
http:
  trusted_proxies: [127.0.0.1]
`

func TestADeletedDatabaseFileFailsFormsAndReadinessLoudly(t *testing.T) {
	e := newIOEnv(t)
	e.appendConfig(readyConfig)
	s, code := startServe(t, e)
	if s.addr == "" {
		t.Fatalf("serve exited %d:\n%s", code, s.log)
	}
	base := "http://" + s.addr
	form := func(email string) answer {
		return do(t, "POST", base+"/forms/contact", "application/json", `{"your-email":"`+email+`"}`, "Accept", "application/json")
	}
	if a := form("before@example.pl"); a.status != http.StatusCreated {
		t.Fatalf("before: %d %s", a.status, a.body)
	}
	for _, f := range []string{e.dbPath, e.dbPath + "-wal", e.dbPath + "-shm"} {
		os.Remove(f)
	}

	t.Run("a form is answered 503 with Retry-After, not acknowledged and lost", func(t *testing.T) {
		a := form("after@example.pl")
		if a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") == "" {
			t.Errorf("got %d %v %s; want 503 with Retry-After", a.status, a.header, a.body)
		}
	})
	t.Run("readiness fails and says why to a local caller", func(t *testing.T) {
		a := do(t, "GET", base+"/readyz", "", "")
		if a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") == "" || !strings.Contains(a.body, e.dbPath) {
			t.Errorf("got %d %v %q; want 503 with Retry-After naming %s", a.status, a.header, a.body, e.dbPath)
		}
	})
	t.Run("readiness says nothing of the database to a caller from outside", func(t *testing.T) {
		a := do(t, "GET", base+"/readyz", "", "", "X-Forwarded-For", "203.0.113.7")
		if a.status != http.StatusServiceUnavailable || strings.Contains(a.body, e.dir) || strings.Contains(a.body, "leadwire.db") {
			t.Errorf("got %d %q; want 503 without the file", a.status, a.body)
		}
	})
	t.Run("an error is logged naming the file", func(t *testing.T) {
		var found bool
		for line := range strings.SplitSeq(s.log.String(), "\n") {
			found = found || strings.Contains(line, "level=ERROR") && strings.Contains(line, e.dbPath) && strings.Contains(line, "deleted")
		}
		if !found {
			t.Errorf("no error logged naming %s:\n%s", e.dbPath, s.log)
		}
	})
}

func TestReadinessReflectsWhetherTheDatabaseTakesWrites(t *testing.T) {
	e := newIOEnv(t)
	e.ok("migrate")
	ctx := context.Background()
	// A database that answers reads (a ping) but refuses writes, as a full
	// disk or a read-only file does.
	db, err := storage.Open(ctx, "sqlite:file:"+e.dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := &App{ctx: ctx, db: db, errOut: io.Discard, cli: &CLI{}}
	web := httptest.NewServer(newServer(a).mux)
	defer web.Close()

	for _, tt := range []struct {
		name    string
		headers []string
		details bool
	}{
		{"a local caller is told why", nil, true},
		{"a caller forwarded by a proxy that is not trusted is not", []string{"X-Forwarded-For", "203.0.113.7"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := do(t, "GET", web.URL+"/readyz", "", "", tt.headers...)
			if got.status != http.StatusServiceUnavailable || got.header.Get("Retry-After") == "" {
				t.Fatalf("got %d %v %q; want 503 with Retry-After", got.status, got.header, got.body)
			}
			if shown := strings.Contains(got.body, e.dbPath); shown != tt.details {
				t.Errorf("body %q: details shown %v, want %v", got.body, shown, tt.details)
			}
		})
	}
}

func TestAReadOnlyDatabaseFailsServeBeforeServing(t *testing.T) {
	e := newIOEnv(t)
	e.ok("migrate")
	// mode=ro stands in for a file without write permission, which root
	// (who may run the tests) writes anyway.
	e.withDatabase("sqlite:file:" + e.dbPath + "?mode=ro")
	s, code := startServe(t, e)
	if s.addr != "" {
		t.Fatalf("serve started on a read-only database:\n%s", s.log)
	}
	if code == 0 || !strings.Contains(s.log.String(), e.dbPath) || !strings.Contains(s.log.String(), "write access") {
		t.Errorf("serve exited %d; want an error naming %s and what to do:\n%s", code, e.dbPath, s.log)
	}
}

func TestAPostgreSQLOutageIsAnswered503AndHidesTheDatabase(t *testing.T) {
	t.Parallel()
	dsn := testenv.Postgres(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	p := testenv.NewProxy(t, u.Host)
	u.Host = p.Addr
	e := newIOEnv(t)
	e.withDatabase(u.String())
	e.appendConfig(readyConfig)
	token := strings.TrimSpace(e.ok("tokens", "create", "zap").out)
	s, code := startServe(t, e)
	if s.addr == "" {
		t.Fatalf("serve exited %d:\n%s", code, s.log)
	}
	base := "http://" + s.addr
	if a := do(t, "GET", base+"/readyz", "", ""); a.status != http.StatusOK {
		t.Fatalf("before the outage: %d %s", a.status, a.body)
	}
	p.Cut()

	for _, tt := range []struct {
		name, path, body string
		headers          []string
	}{
		{"a form", "/forms/contact", `{"your-email":"anna@example.pl"}`, []string{"Accept", "application/json"}},
		{"a webhook delivery", "/api/v1/inbound", `{"contact":{"email":"bob@example.com"}}`, []string{"Authorization", "Bearer " + token}},
	} {
		t.Run(tt.name+" is answered 503 with Retry-After", func(t *testing.T) {
			a := do(t, "POST", base+tt.path, "application/json", tt.body, tt.headers...)
			if a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") == "" {
				t.Errorf("got %d %v %s; want 503 with Retry-After", a.status, a.header, a.body)
			}
			if strings.Contains(a.body, "user=") || strings.Contains(a.body, p.Addr) {
				t.Errorf("the answer shows the database: %s", a.body)
			}
		})
	}
	t.Run("readiness fails without showing the database to a caller from outside", func(t *testing.T) {
		a := do(t, "GET", base+"/readyz", "", "", "X-Forwarded-For", "203.0.113.7")
		_, port, _ := net.SplitHostPort(p.Addr)
		if a.status != http.StatusServiceUnavailable || strings.Contains(a.body, "user=") || strings.Contains(a.body, port) ||
			strings.Contains(a.body, "leadwire") {
			t.Errorf("got %d %q; want 503 saying nothing of the database", a.status, a.body)
		}
	})
}

func TestServeWarnsWhenOthersCanReadTheDatabaseFile(t *testing.T) {
	e := newIOEnv(t)
	e.ok("migrate")
	if err := os.Chmod(e.dbPath, 0o644); err != nil {
		t.Fatal(err)
	}
	s, code := startServe(t, e)
	if s.addr == "" {
		t.Fatalf("serve exited %d:\n%s", code, s.log)
	}
	if log := s.log.String(); !strings.Contains(log, "level=WARN") || !strings.Contains(log, "chmod 600 "+e.dbPath) {
		t.Errorf("no warning about a database file others can read:\n%s", log)
	}
}

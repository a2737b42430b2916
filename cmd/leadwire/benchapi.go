package main

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"leadwire/connectors/api"
	"leadwire/core"
)

// measureAPI times the REST API through real HTTP on loopback: a rep's
// and the admin's list of deals, and the get of one deal with its contact,
// history and timeline (the record GET /api/v1/deals/{id} writes).
func (b *bench) measureAPI(samples int) error {
	mux := http.NewServeMux()
	for pattern, h := range api.New(b.svc, api.Options{Rate: 1e6, Burst: 1e6}).Routes() {
		mux.HandleFunc(pattern, h)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	stamp := time.Now().UnixNano()
	token := func(who *core.User) (string, error) {
		_, secret, err := b.svc.Directory.CreateTokenFor(b.ctx, nil, core.TokenSpec{Name: fmt.Sprintf("bench-%d-%d", who.ID, stamp),
			Scopes: []core.Scope{core.ScopeRead}, As: who.Email})
		return secret, err
	}
	adminToken, err := token(b.admin)
	if err != nil {
		return err
	}
	repTokens := make([]string, len(b.reps))
	for i := range b.reps {
		if repTokens[i], err = token(&b.reps[i]); err != nil {
			return err
		}
	}
	newest, err := b.svc.Deals(b.ctx, b.admin, core.DealFilter{Limit: 1})
	if err != nil || len(newest) == 0 {
		return fmt.Errorf("no deals to measure: %v", err)
	}
	maxID := newest[0].ID
	page2 := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "id:%d", maxID-50))
	get := func(path, secret string) error {
		req, _ := http.NewRequestWithContext(b.ctx, "GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := srv.Client().Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		return nil
	}
	for _, m := range []struct {
		name string
		fn   func() error
	}{
		{"API GET /deals?status=open, a rep", func() error {
			return get("/api/v1/deals?status=open&limit=50", repTokens[b.rng.IntN(len(repTokens))])
		}},
		{"API GET /deals, the admin, page 2", func() error {
			return get("/api/v1/deals?limit=50&cursor="+page2, adminToken)
		}},
		{"API GET /leads?status=new, a rep", func() error {
			return get("/api/v1/leads?status=new&limit=50", repTokens[b.rng.IntN(len(repTokens))])
		}},
		{"API GET /deals/{id}, the admin", func() error {
			return get(fmt.Sprintf("/api/v1/deals/D%d", 1+b.rng.Int64N(maxID)), adminToken)
		}},
	} {
		lat, err := b.latencies(samples, m.fn)
		if err != nil {
			return err
		}
		fmt.Fprintf(b.a.out, "%-40s p50 %s  p99 %s\n", m.name+":", lat[0], lat[1])
	}
	return nil
}

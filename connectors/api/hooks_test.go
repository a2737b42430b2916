package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"leadwire/connectors/api"
	"leadwire/connectors/hooks"
	"leadwire/core"
	"leadwire/internal/secretbox"
	"leadwire/internal/view"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestRESTHooks subscribes a receiver the way Zapier and n8n do, changes
// the pipeline through the API and checks what the receiver gets: signed
// events, in order per record, each carrying the record as GET returns it.
func TestRESTHooks(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		box := secretbox.New(secretbox.NewKey())
		allowPrivate := false // hooks.allow_private
		opts := api.Options{Hooks: api.HookOptions{Box: box, NewSecret: hooks.NewSecret,
			CheckURL: func(ctx context.Context, u string) error { return hooks.CheckURL(ctx, u, allowPrivate) }}}
		e := newEnv(t, db, opts)

		var mu sync.Mutex
		var got []*http.Request
		var bodies [][]byte
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			got, bodies = append(got, r), append(bodies, b)
			mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
		}))
		defer rcv.Close()

		t.Run("a rep's token may not subscribe, and is told why", func(t *testing.T) {
			r := e.do(t, "POST", "/api/v1/hooks", "repA", `{"url":"https://hooks.example.com/x","events":["deal.won"]}`)
			if r.status != 403 || !strings.Contains(r.raw, "only an admin manages webhooks; นิรันดร์") {
				t.Errorf("%d %s", r.status, r.raw)
			}
		})
		t.Run("an admin's read-only token lacks the hooks scope", func(t *testing.T) {
			r := e.do(t, "GET", "/api/v1/hooks", "admin-ro", "")
			if r.status != 403 || !strings.Contains(r.raw, "has the scopes read, not hooks") {
				t.Errorf("%d %s", r.status, r.raw)
			}
		})
		t.Run("a loopback receiver is refused: no SSRF", func(t *testing.T) {
			r := e.do(t, "POST", "/api/v1/hooks", "admin", `{"url":"`+rcv.URL+`/hook","events":["deal.won"]}`)
			if r.status != 422 || !strings.Contains(r.raw, "a loopback address") || !strings.Contains(r.raw, "hooks.allow_private") {
				t.Errorf("%d %s", r.status, r.raw)
			}
		})
		t.Run("an unknown event is refused, naming those there are", func(t *testing.T) {
			r := e.do(t, "POST", "/api/v1/hooks", "admin", `{"url":"https://hooks.example.com/x","events":["deal.wom"]}`)
			if r.status != 422 || !strings.Contains(r.raw, `unknown event \"deal.wom\"; use lead.created`) {
				t.Errorf("%d %s", r.status, r.raw)
			}
		})

		// With hooks.allow_private, the local receiver is taken.
		allowPrivate = true
		r := e.do(t, "POST", "/api/v1/hooks", "admin", `{"url":"`+rcv.URL+`/hook","events":["lead.claimed","deal.created","deal.stage_changed","deal.won"],"description":"n8n"}`)
		if r.status != 201 {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		secret, _ := r.body["secret"].(string)
		hookID := int64(r.body["id"].(float64))
		if !strings.HasPrefix(secret, "whsec_") || r.header.Get("Location") != "/api/v1/hooks/"+strconv.FormatInt(hookID, 10) {
			t.Fatalf("created %s %v", r.raw, r.header)
		}
		list := e.do(t, "GET", "/api/v1/hooks", "admin", "")
		if list.status != 200 || len(list.data()) != 1 || strings.Contains(list.raw, secret) || strings.Contains(list.raw, `"secret"`) {
			t.Fatalf("list %s", list.raw)
		}

		id := e.lead(t, "Bangkok", "khai@vinacorp.vn")
		ref := core.LeadRef(id)
		for _, step := range []struct{ path, body string }{
			{"/api/v1/leads/" + ref + "/claim", ""},
			{"/api/v1/leads/" + ref + "/qualify", `{"value":{"amount":4500000,"currency":"THB"}}`},
		} {
			if r := e.do(t, "POST", step.path, "repA", step.body); r.status >= 300 {
				t.Fatalf("%s: %d %s", step.path, r.status, r.raw)
			}
		}
		lead := e.do(t, "GET", "/api/v1/leads/"+ref, "repA", "")
		deal := lead.body["deal"].(string)
		for _, step := range []struct{ path, body string }{
			{"/api/v1/deals/" + deal + "/move", `{"stage":"proposal"}`},
			{"/api/v1/deals/" + deal + "/win", ""},
		} {
			if r := e.do(t, "POST", step.path, "repA", step.body); r.status >= 300 {
				t.Fatalf("%s: %d %s", step.path, r.status, r.raw)
			}
		}
		d := core.NewHookDispatcher(e.svc, box, hooks.NewSender(true), view.EventBody, 4)
		for range 6 {
			if _, err := d.Round(e.ctx, 100); err != nil {
				t.Fatal(err)
			}
		}
		var types []string
		for i, req := range got {
			ts, _ := strconv.ParseInt(req.Header.Get("webhook-timestamp"), 10, 64)
			if !hooks.Verify(secret, req.Header.Get("webhook-id"), time.Unix(ts, 0), bodies[i], req.Header.Get("webhook-signature")) {
				t.Errorf("event %d is not signed with the subscription's secret", i)
			}
			var ev view.Event
			json.Unmarshal(bodies[i], &ev)
			if ev.ID != req.Header.Get("webhook-id") {
				t.Errorf("body id %s, header %s", ev.ID, req.Header.Get("webhook-id"))
			}
			types = append(types, ev.Type)
		}
		// Events of one record come in order; of two, in any.
		var ofDeal []string
		for _, ty := range types {
			if strings.HasPrefix(ty, "deal.") {
				ofDeal = append(ofDeal, ty)
			}
		}
		want := "deal.created deal.stage_changed deal.stage_changed deal.won"
		if strings.Join(ofDeal, " ") != want || len(types) != 5 || !slices.Contains(types, "lead.claimed") {
			t.Errorf("events %v, want lead.claimed and %s", types, want)
		}
		// The last event carries the deal as GET /deals/D… writes it
		// (less its timeline).
		final := e.do(t, "GET", "/api/v1/deals/"+deal, "repA", "")
		var last map[string]any
		json.Unmarshal(bodies[len(bodies)-1], &last)
		data := last["data"].(map[string]any)
		for _, k := range []string{"id", "status", "stage", "owner", "team", "pipeline", "value", "contact", "closed_at"} {
			a, _ := json.Marshal(data[k])
			b, _ := json.Marshal(final.body[k])
			if string(a) != string(b) {
				t.Errorf("%s: event %s, API %s", k, a, b)
			}
		}
		if last["previous_stage"] != "Proposal" {
			t.Errorf("previous_stage %v", last["previous_stage"])
		}

		if r := e.do(t, "DELETE", "/api/v1/hooks/"+strconv.FormatInt(hookID, 10), "repA", ""); r.status != 403 {
			t.Errorf("a rep removed it: %d", r.status)
		}
		if r := e.do(t, "DELETE", "/api/v1/hooks/"+strconv.FormatInt(hookID, 10), "admin", ""); r.status != 204 {
			t.Errorf("remove: %d %s", r.status, r.raw)
		}
		if r := e.do(t, "DELETE", "/api/v1/hooks/"+strconv.FormatInt(hookID, 10), "admin", ""); r.status != 404 {
			t.Errorf("remove again: %d %s", r.status, r.raw)
		}
	})
}

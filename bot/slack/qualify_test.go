package slack

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestQualifyModal(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, false)
		lead := w.lead("Bangkok", "Somsak", "somsak@siam.example")
		ref := core.LeadRef(lead)
		submit := func(slackID, value, budget, need string) *http.Response {
			t.Helper()
			meta := fmt.Sprintf(`{"ref":%q,"channel":"C0BKK","ts":"1793610000.000500"}`, ref)
			text := func(v string) map[string]any {
				return map[string]any{"type": "plain_text_input", "value": v}
			}
			rec := w.interaction(map[string]any{"type": "view_submission", "user": map[string]any{"id": slackID},
				"view": map[string]any{"id": "V0002", "type": "modal", "callback_id": "qualify", "private_metadata": meta,
					"state": map[string]any{"values": map[string]any{
						"value":     map[string]any{"value": text(value)},
						"budget":    map[string]any{"budget": text(budget)},
						"authority": map[string]any{"authority": text("")},
						"need":      map[string]any{"need": text(need)},
						"timeline":  map[string]any{"timeline": text("Q1")},
					}}}})
			return rec.Result()
		}
		t.Run("the lead card's Qualify opens a modal and changes nothing yet", func(t *testing.T) {
			w.interaction(w.pressIn("U0NIRAN", "C0BKK", "1793610000.000500", "qualify:"+ref))
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Method != "views.open" {
				t.Fatalf("calls %v", methods(calls))
			}
			view := calls[0].Param("view")
			for _, want := range []string{`"callback_id":"qualify"`, `"block_id":"budget"`, `"block_id":"authority"`, `"block_id":"need"`, `"block_id":"timeline"`, `"block_id":"value"`, `Qualify L1`} {
				if !strings.Contains(view, want) {
					t.Errorf("view lacks %s: %s", want, view)
				}
			}
			if l, _ := db.LeadByID(w.ctx, lead); l.Status != core.LeadNew {
				t.Fatalf("opening the modal made the lead %s", l.Status)
			}
		})
		t.Run("a rep of another team gets no modal but the refusal", func(t *testing.T) {
			w.interaction(w.pressIn("U0ZOFIA", "C0BKK", "1793610000.000500", "qualify:"+ref))
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Method != "response" || !strings.Contains(calls[0].Raw, "not yours") {
				t.Fatalf("calls %v: %+v", methods(calls), calls)
			}
		})
		t.Run("a value it cannot read keeps the modal open with why", func(t *testing.T) {
			res := submit("U0NIRAN", "lots of money", "20k", "a CRM")
			var body strings.Builder
			_, _ = io.Copy(&body, res.Body)
			if !strings.Contains(body.String(), `"response_action":"errors"`) || !strings.Contains(body.String(), `"value"`) {
				t.Fatalf("body %s", body.String())
			}
			if l, _ := db.LeadByID(w.ctx, lead); l.Status != core.LeadNew {
				t.Fatalf("the lead is %s", l.Status)
			}
			if calls := w.api.take(); len(calls) != 0 {
				t.Fatalf("calls %v", methods(calls))
			}
		})
		t.Run("submitting it qualifies the lead with its BANT and updates the card", func(t *testing.T) {
			res := submit("U0NIRAN", "20000 EUR", "20k EUR", "CRM migration")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Method != "chat.update" || calls[0].Param("ts") != "1793610000.000500" {
				t.Fatalf("calls %v", methods(calls))
			}
			blocks := calls[0].Param("blocks")
			for _, want := range []string{"20,000.00 EUR", "Budget", "20k EUR", "CRM migration", "Q1"} {
				if !strings.Contains(blocks, want) {
					t.Errorf("the card lacks %q: %s", want, blocks)
				}
			}
			l, _ := db.LeadByID(w.ctx, lead)
			d, err := db.DealByID(w.ctx, l.DealID)
			if err != nil {
				t.Fatal(err)
			}
			if want := (core.Qualification{Budget: "20k EUR", Need: "CRM migration", Timeline: "Q1"}); d.Qualification != want || d.Value.Amount != 2000000 {
				t.Errorf("deal %+v %v", d.Qualification, d.Value)
			}
		})
		t.Run("a stranger's submission changes nothing", func(t *testing.T) {
			other := w.lead("Bangkok", "Anong", "anong@siam.example")
			meta := fmt.Sprintf(`{"ref":%q}`, core.LeadRef(other))
			w.interaction(map[string]any{"type": "view_submission", "user": map[string]any{"id": "U0STRANGER"},
				"view": map[string]any{"callback_id": "qualify", "private_metadata": meta, "state": map[string]any{"values": map[string]any{}}}})
			w.api.take()
			if l, _ := db.LeadByID(w.ctx, other); l.Status != core.LeadNew {
				t.Fatalf("the lead is %s", l.Status)
			}
		})
	})
}

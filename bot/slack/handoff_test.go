package slack

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestHistoryAndHandOff: history pages with More, why explains, a deal
// handed over tells the new owner with its open tasks and latest
// activities, and a manager's task for a rep reaches the rep; through the
// Slack stand-in.
func TestHistoryAndHandOff(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, false)
		deal := w.deal("Bangkok", "niran", "ploy@siam.example")
		dref := core.DealRef(deal)
		for i := range 12 {
			if _, err := w.svc.Note(w.ctx, w.users["niran"], core.Ref{Kind: 'D', ID: deal}, fmt.Sprintf("note %02d <b>&", i)); err != nil {
				t.Fatal(err)
			}
		}
		more := regexp.MustCompile(`"value":"(hist:` + dref + `:\d+)"`)
		var next string

		t.Run("history shows the newest entries, escaped, with More", func(t *testing.T) {
			kind, body := reply(t, w.command("U0NIRAN", "history "+dref))
			if kind != "ephemeral" || !strings.Contains(body, "Timeline of "+dref+", newest first") {
				t.Fatalf("%s: %s", kind, body)
			}
			if !strings.Contains(body, "note 11 &lt;b&gt;&amp;") || strings.Contains(body, "note 01") {
				t.Fatalf("want note 11 escaped and not note 01: %s", body)
			}
			if !strings.Contains(body, "Niran Srisuk") || !strings.Contains(body, "· note") {
				t.Fatalf("want who and through what: %s", body)
			}
			m := more.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no More button: %s", body)
			}
			next = m[1]
		})
		t.Run("More replaces it with the earlier entries, and no More at the end", func(t *testing.T) {
			p := w.pressIn("U0NIRAN", "C0BKK", "1793610000.000900", next)
			p["container"].(map[string]any)["is_ephemeral"] = true
			w.interaction(p)
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Method != "response" || !strings.Contains(calls[0].Raw, `"replace_original":true`) {
				t.Fatalf("calls %v: %+v", methods(calls), calls)
			}
			raw := calls[0].Raw
			if !strings.Contains(raw, "earlier") || !strings.Contains(raw, "note 00") || strings.Contains(raw, "note 11") || more.MatchString(raw) {
				t.Fatalf("page 2: %s", raw)
			}
		})
		t.Run("a rep of another team cannot page through it", func(t *testing.T) {
			w.interaction(w.pressIn("U0ZOFIA", "C0BKK", "1793610000.000901", next))
			calls := w.api.take()
			if len(calls) != 1 || strings.Contains(calls[0].Raw, "note 0") || !strings.Contains(calls[0].Raw, "is not yours") {
				t.Fatalf("calls %+v", calls)
			}
		})
		t.Run("why lists the points and the routing", func(t *testing.T) {
			_, body := reply(t, w.command("U0NIRAN", "why "+dref))
			for _, want := range []string{"Why " + dref + " scores", "buying words", "pricing", "How it was routed", "to team Bangkok", "region TH", "claimed by Niran Srisuk"} {
				if !strings.Contains(body, want) {
					t.Fatalf("want %q in %s", want, body)
				}
			}
		})
		t.Run("a rep cannot hand a deal over, and is told why", func(t *testing.T) {
			_, body := reply(t, w.command("U0NIRAN", "assign "+dref+" pim"))
			if !strings.Contains(body, "only a manager or an admin hands deals over") {
				t.Fatalf("%s", body)
			}
		})
		if _, err := w.svc.FollowUp(w.ctx, w.users["niran"], core.Ref{Kind: 'D', ID: deal}, "send the quote", start.Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		t.Run("a manager hands it over; the new owner gets the card, open tasks and latest activities", func(t *testing.T) {
			kind, body := reply(t, w.command("U0SOMCHAI", "assign "+dref+" @pim"))
			if kind != "in_channel" || !strings.Contains(body, dref+" handed over to Pim Jaidee") {
				t.Fatalf("%s: %s", kind, body)
			}
			n := core.Notice{Kind: core.NoticeAssigned, UserID: w.users["pim"].ID, DealID: deal, By: w.users["somchai"].ID, How: core.RouteAssigned, Key: "assigned:test"}
			if err := w.adapter.Notify(w.ctx, n); err != nil {
				t.Fatal(err)
			}
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Method != "chat.postMessage" || calls[0].Param("channel") != "U0PIM" {
				t.Fatalf("calls %v", methods(calls))
			}
			blocks := calls[0].Param("blocks")
			for _, want := range []string{dref + " is yours now: Somchai gave it to you", "Open tasks", "send the quote", "Latest on the timeline", "handed over to Pim Jaidee by Somchai"} {
				if !strings.Contains(blocks, want) {
					t.Fatalf("want %q in %s", want, blocks)
				}
			}
		})
		t.Run("the old owner is told, without buttons to act", func(t *testing.T) {
			w.adapter.pace = newPacer()
			n := core.Notice{Kind: core.NoticeHandedOver, UserID: w.users["niran"].ID, DealID: deal, By: w.users["somchai"].ID, How: core.RouteAssigned, Key: "handed:test"}
			if err := w.adapter.Notify(w.ctx, n); err != nil {
				t.Fatal(err)
			}
			calls := w.api.take()
			if len(calls) != 1 || !strings.Contains(calls[0].Param("blocks"), dref+" was handed over to Pim Jaidee by Somchai") || strings.Contains(calls[0].Param("blocks"), `"won:`) {
				t.Fatalf("calls %+v", calls)
			}
		})
		t.Run("a manager gives a rep a task; the rep is told", func(t *testing.T) {
			_, body := reply(t, w.command("U0SOMCHAI", "remind @niran "+dref+" tomorrow 10am call back"))
			if !strings.Contains(body, "for Niran Srisuk, due") || !strings.Contains(body, "call back") {
				t.Fatalf("%s", body)
			}
			tasks, err := w.svc.Tasks(w.ctx, w.users["niran"], core.TaskFilter{OpenOnly: true, Limit: 1})
			if err != nil || len(tasks) != 1 || tasks[0].Title != "call back" {
				t.Fatalf("Niran's first task %+v, %v; want call back, due before the quote", tasks, err)
			}
			w.adapter.pace = newPacer()
			n := core.Notice{Kind: core.NoticeTaskGiven, UserID: w.users["niran"].ID, TaskID: tasks[0].ID, By: w.users["somchai"].ID, Key: "given:test"}
			if err := w.adapter.Notify(w.ctx, n); err != nil {
				t.Fatal(err)
			}
			calls := w.api.take()
			if len(calls) != 1 || calls[0].Param("channel") != "U0NIRAN" || !strings.Contains(calls[0].Param("blocks"), "Somchai gave you a task") ||
				!strings.Contains(calls[0].Param("blocks"), fmt.Sprintf(`"done:T%d"`, tasks[0].ID)) {
				t.Fatalf("calls %+v", calls)
			}
		})
		t.Run("a rep cannot give a teammate a task", func(t *testing.T) {
			_, body := reply(t, w.command("U0NIRAN", "remind @pim "+dref+" tomorrow 10am call back"))
			if !strings.Contains(body, "only a manager or an admin gives tasks to others") {
				t.Fatalf("%s", body)
			}
		})
	})
}

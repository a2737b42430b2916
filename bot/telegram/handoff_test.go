package telegram

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"leadwire/core"
)

// TestHistoryMoreAndHandOff: history pages with a More button edited in
// place, escaped for Telegram HTML, and the new owner of a deal handed
// over gets its card, open tasks and latest activities in their chat.
func TestHistoryMoreAndHandOff(t *testing.T) {
	w := newWorld(t)
	w.link("niran", 111)
	w.link("pim", 222)
	w.link("somchai", 333)
	id := w.lead(`<b>&"Ömer"</b>`, "omer@example.com")
	niran := w.users["niran"]
	if _, err := w.svc.Claim(w.ctx, niran, id); err != nil {
		t.Fatal(err)
	}
	d, err := w.svc.Qualify(w.ctx, niran, id, core.QualifyInput{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		if _, err := w.svc.Note(w.ctx, niran, core.Ref{Kind: 'D', ID: d.ID}, fmt.Sprintf("note %02d <i>&", i)); err != nil {
			t.Fatal(err)
		}
	}
	more := ""
	t.Run("history shows the newest page, escaped, with More", func(t *testing.T) {
		m := sent(t, w.handle(text(111, "/history "+d.Ref())))
		if !strings.Contains(m.Params["text"], "note 11 &lt;i&gt;&amp;") || strings.Contains(m.Params["text"], "<i>&") || strings.Contains(m.Params["text"], "note 01") {
			t.Fatalf("text %s", m.Params["text"])
		}
		for _, b := range buttons(t, m) {
			if strings.HasPrefix(b, "hist:"+d.Ref()+":") {
				more = b
			}
		}
		if more == "" {
			t.Fatalf("no More in %v", buttons(t, m))
		}
	})
	t.Run("More edits the message to the earlier page", func(t *testing.T) {
		calls := w.handle(press(111, 111, 90, more))
		if got := strings.Join(names(calls), ","); got != "answerCallbackQuery,editMessageText" {
			t.Fatalf("calls %s", got)
		}
		txt := calls[1].Params["text"]
		if !strings.Contains(txt, "note 00") || strings.Contains(txt, "note 11") || strings.Contains(calls[1].Params["reply_markup"], "hist:") {
			t.Fatalf("page 2 %v", calls[1].Params)
		}
	})
	t.Run("the Thai reader reads it in Thai, in their zone", func(t *testing.T) {
		if _, err := w.svc.Directory.SetLanguage(w.ctx, niran, "th"); err != nil {
			t.Fatal(err)
		}
		m := sent(t, w.handle(text(111, "/history "+d.Ref())))
		if !strings.Contains(m.Params["text"], "ไทม์ไลน์ของ") || !strings.Contains(m.Params["text"], "16:00") {
			t.Fatalf("text %s", m.Params["text"])
		}
	})
	t.Run("the new owner of a deal handed over is told in their chat", func(t *testing.T) {
		if _, err := w.svc.FollowUp(w.ctx, niran, core.Ref{Kind: 'D', ID: d.ID}, "send <the> quote", start.Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		m := sent(t, w.handle(text(333, "/assign "+d.Ref()+" pim")))
		if !strings.Contains(m.Params["text"], "handed over to Pim Jaidee") {
			t.Fatalf("text %s", m.Params["text"])
		}
		w.api.take()
		n := core.Notice{Kind: core.NoticeAssigned, UserID: w.users["pim"].ID, DealID: d.ID, By: w.users["somchai"].ID, How: core.RouteAssigned, Key: "assigned:t"}
		if err := w.adapter.Notify(w.ctx, n); err != nil {
			t.Fatal(err)
		}
		got := sent(t, w.api.take())
		txt := got.Params["text"]
		if got.Params["chat_id"] != "222" || !strings.Contains(txt, "is yours now: Somchai gave it to you") || !strings.Contains(txt, "send &lt;the&gt; quote") ||
			!strings.Contains(txt, "Latest on the timeline") {
			t.Fatalf("sent %v", got.Params)
		}
	})
}

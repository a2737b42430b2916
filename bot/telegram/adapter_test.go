package telegram

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/internal/wait"
)

func TestStartRegistersCommands(t *testing.T) {
	w := newWorld(t)
	if err := w.adapter.Start(w.ctx); err != nil {
		t.Fatal(err)
	}
	calls := w.api.take()
	if got := strings.Join(names(calls), ","); got != "getMe,setMyCommands" {
		t.Fatalf("calls %s", got)
	}
	cmds := calls[1].Params["commands"]
	for _, c := range []string{`"leads"`, `"claim"`, `"start"`} {
		if !strings.Contains(cmds, c) {
			t.Errorf("commands lack %s: %s", c, cmds)
		}
	}
}

func TestLinkWithStartCode(t *testing.T) {
	w := newWorld(t)
	code, err := w.svc.Directory.NewLinkCode(w.ctx, w.users["niran"])
	if err != nil {
		t.Fatal(err)
	}

	t.Run("a wrong code is refused", func(t *testing.T) {
		m := sent(t, w.handle(text(111, "/start ZZZZZZZZ")))
		if !strings.Contains(m.Params["text"], "not valid") {
			t.Fatalf("reply %q", m.Params["text"])
		}
	})
	t.Run("the right code links the account", func(t *testing.T) {
		m := sent(t, w.handle(text(111, "/start "+strings.ToLower(code))))
		if !strings.Contains(m.Params["text"], "Linked") || !strings.Contains(m.Params["text"], "Niran Srisuk") {
			t.Fatalf("reply %q", m.Params["text"])
		}
		u, err := w.db.UserByTelegramID(w.ctx, 111)
		if err != nil || u.ID != w.users["niran"].ID {
			t.Fatalf("user of 111: %+v, %v", u, err)
		}
	})
	t.Run("a used code is refused", func(t *testing.T) {
		m := sent(t, w.handle(text(222, "/start "+code)))
		if !strings.Contains(m.Params["text"], "used already") {
			t.Fatalf("reply %q", m.Params["text"])
		}
	})
	t.Run("an expired code is refused", func(t *testing.T) {
		code, err := w.svc.Directory.NewLinkCode(w.ctx, w.users["pim"])
		if err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(16 * time.Minute)
		m := sent(t, w.handle(text(333, "/start "+code)))
		if !strings.Contains(m.Params["text"], "expired") {
			t.Fatalf("reply %q", m.Params["text"])
		}
	})
	t.Run("repeated failures from one chat are throttled", func(t *testing.T) {
		good, err := w.svc.Directory.NewLinkCode(w.ctx, w.users["pim"])
		if err != nil {
			t.Fatal(err)
		}
		for i := range linkFailures {
			m := sent(t, w.handle(text(444, "/start WRONG"+strconv.Itoa(i))))
			if strings.Contains(m.Params["text"], "Too many") {
				t.Fatalf("throttled after %d failures", i)
			}
		}
		m := sent(t, w.handle(text(444, "/start "+good)))
		if !strings.Contains(m.Params["text"], "Too many") {
			t.Fatalf("sixth try not throttled: %q", m.Params["text"])
		}
		if _, err := w.db.UserByTelegramID(w.ctx, 444); !core.IsNotFound(err) {
			t.Fatalf("a throttled chat got linked: %v", err)
		}
		w.clock.Advance(linkWindow)
		m = sent(t, w.handle(text(444, "/start "+good)))
		if !strings.Contains(m.Params["text"], "Linked") {
			t.Fatalf("after the window: %q", m.Params["text"])
		}
	})
}

func TestListAndClaimByButton(t *testing.T) {
	w := newWorld(t)
	w.link("niran", 111)
	id := w.lead(`<b>&"Ömer"</b>`, "omer@example.com")
	ref := core.LeadRef(id)

	m := sent(t, w.handle(text(111, "/leads@leadwire_bot unclaimed")))
	if !strings.Contains(m.Params["text"], "&lt;b&gt;&amp;&quot;Ömer&quot;&lt;/b&gt;") || strings.Contains(m.Params["text"], `<b>&"`) {
		t.Fatalf("name not escaped: %s", m.Params["text"])
	}
	if m.Params["parse_mode"] != "HTML" {
		t.Errorf("parse_mode %q", m.Params["parse_mode"])
	}
	claim := ""
	for _, b := range buttons(t, m) {
		if strings.HasPrefix(b, "claim:") && strings.Contains(b, ref) {
			claim = b
		}
	}
	if claim == "" {
		t.Fatalf("no claim button for %s in %v", ref, buttons(t, m))
	}

	calls := w.handle(press(111, -100500, 77, claim))
	if got := strings.Join(names(calls), ","); got != "answerCallbackQuery,editMessageText" {
		t.Fatalf("calls %s", got)
	}
	if calls[0].Params["callback_query_id"] != "cb77" {
		t.Errorf("answered %v", calls[0].Params)
	}
	edit := calls[1]
	if edit.Params["message_id"] != "77" || edit.Params["chat_id"] != "-100500" || !strings.Contains(edit.Params["text"], "Niran") {
		t.Fatalf("edit %v", edit.Params)
	}
	l, err := w.db.LeadByID(w.ctx, id)
	if err != nil || l.OwnerID != w.users["niran"].ID {
		t.Fatalf("lead %+v, %v", l, err)
	}
}

func TestStrangerSeesNothing(t *testing.T) {
	w := newWorld(t)
	w.lead("Secret Prospect", "secret@example.com")
	m := sent(t, w.handle(text(999, "/leads")))
	want := HTML(bot.Unknown("telegram", "999"))
	if m.Params["text"] != want || m.Params["reply_markup"] != "" {
		t.Fatalf("stranger got %q %q, want %q", m.Params["text"], m.Params["reply_markup"], want)
	}
	m = sent(t, w.handle(text(999, "L1")))
	if strings.Contains(m.Params["text"], "Secret") {
		t.Fatalf("stranger saw a lead: %s", m.Params["text"])
	}
	calls := w.handle(press(999, 999, 5, "claim:L1"))
	if got := strings.Join(names(calls), ","); got != "answerCallbackQuery" {
		t.Fatalf("a stranger's press made calls %s", got)
	}
	l, _ := w.db.LeadByID(w.ctx, 1)
	if l != nil && l.OwnerID != 0 {
		t.Fatal("a stranger claimed a lead")
	}
}

// poll runs Poll until the stand-in has seen want sendMessage calls in
// total, then stops it.
func (w *world) poll(a *Adapter, want int) []call {
	w.t.Helper()
	ctx, cancel := context.WithCancel(w.ctx)
	done := make(chan error, 1)
	go func() { done <- a.Poll(ctx) }()
	var calls []call
	if !wait.Until(wait.Patience, func() bool {
		calls = append(calls, w.api.take()...)
		return len(only(calls, "sendMessage")) >= want && len(only(calls, "getUpdates")) >= 2
	}) {
		cancel()
		w.t.Fatalf("poll: calls %v", names(calls))
	}
	cancel()
	if err := <-done; err != nil {
		w.t.Fatal(err)
	}
	return append(calls, w.api.take()...)
}

func TestPollingOffsetSurvivesRestart(t *testing.T) {
	w := newWorld(t)
	w.link("niran", 111)
	w.api.queue(10, text(111, "/tasks"))
	w.api.queue(11, text(999, "/leads"))
	w.api.Limit(1) // the first getUpdates is told to wait

	calls := w.poll(w.adapter, 2)
	gets := only(calls, "getUpdates")
	if gets[0].Params["offset"] != "0" {
		t.Errorf("first offset %s", gets[0].Params["offset"])
	}
	if off, _ := w.db.LoadCheckpoint(w.ctx, CheckpointConnector, CheckpointKey); off != "12" {
		t.Fatalf("saved offset %q", off)
	}

	// A restart: a new adapter reads the saved offset and replays nothing.
	w.api.queue(12, text(111, "/help"))
	calls = w.poll(w.newAdapter(), 1)
	gets = only(calls, "getUpdates")
	if gets[0].Params["offset"] != "12" {
		t.Errorf("offset after restart %s", gets[0].Params["offset"])
	}
	if n := len(only(calls, "sendMessage")); n != 1 {
		t.Fatalf("after restart %d messages sent, want 1 (no replay): %v", n, names(calls))
	}
}

func TestWebhookSecret(t *testing.T) {
	w := newWorld(t)
	mux := http.NewServeMux()
	for p, h := range w.adapter.Routes() {
		mux.HandleFunc(p, h)
	}
	body := `{"update_id":5,"message":{"message_id":1,"date":1,"text":"/leads","from":{"id":999,"is_bot":false,"first_name":"X"},"chat":{"id":999,"type":"private"}}}`
	for _, tc := range []struct {
		name   string
		secret string
		want   int
	}{
		{"an update without the secret is refused", "", http.StatusUnauthorized},
		{"an update with a wrong secret is refused", "s3cret-tokeN", http.StatusUnauthorized},
		{"an update with the secret is handled", "s3cret-token", http.StatusOK},
		{"the same update sent again is not handled twice", "s3cret-token", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.api.take()
			r := httptest.NewRequest(http.MethodPost, WebhookPath, strings.NewReader(body))
			if tc.secret != "" {
				r.Header.Set("X-Telegram-Bot-Api-Secret-Token", tc.secret)
			}
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, r)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d", rec.Code, tc.want)
			}
			n := len(only(w.api.take(), "sendMessage"))
			if again := strings.Contains(tc.name, "again"); (tc.want == http.StatusOK && !again) != (n == 1) {
				t.Fatalf("%d messages sent", n)
			}
		})
	}
}

// TestWebhookOnTwoReplicas posts one update to two adapters on one
// database, as Telegram's redelivery reaching another replica behind a
// load balancer: it is handled once.
func TestWebhookOnTwoReplicas(t *testing.T) {
	w := newWorld(t)
	body := `{"update_id":77,"message":{"message_id":1,"date":1,"text":"/leads","from":{"id":999,"is_bot":false,"first_name":"X"},"chat":{"id":999,"type":"private"}}}`
	for i, a := range []*Adapter{w.adapter, w.newAdapter()} {
		mux := http.NewServeMux()
		for p, h := range a.Routes() {
			mux.HandleFunc(p, h)
		}
		r := httptest.NewRequest(http.MethodPost, WebhookPath, strings.NewReader(body))
		r.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret-token")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK {
			t.Fatalf("replica %d: status %d", i, rec.Code)
		}
	}
	if n := len(only(w.api.take(), "sendMessage")); n != 1 {
		t.Fatalf("%d answers sent, want 1", n)
	}
}

func TestReadsAskedInAGroupAreAnsweredPrivately(t *testing.T) {
	w := newWorld(t)
	w.link("niran", 111)
	w.lead("Somsak", "somsak@example.com")
	u := text(111, "/leads@leadwire_bot unclaimed")
	u["message"].(map[string]any)["chat"] = map[string]any{"id": -100500, "type": "supergroup", "title": "Bangkok"}
	m := sent(t, w.handle(u))
	if m.Params["chat_id"] != "111" || !strings.Contains(m.Params["text"], "Somsak") {
		t.Fatalf("answered %v", m.Params)
	}
	chatter := text(111, "hello all")
	chatter["message"].(map[string]any)["chat"] = map[string]any{"id": -100500, "type": "supergroup", "title": "Bangkok"}
	if calls := w.handle(chatter); len(calls) != 0 {
		t.Fatalf("group chatter answered: %v", names(calls))
	}
}

func TestCommandsForAnotherBotAreIgnored(t *testing.T) {
	w := newWorld(t)
	w.link("niran", 111)
	if err := w.adapter.Start(w.ctx); err != nil {
		t.Fatal(err)
	}
	if calls := w.handle(text(111, "/help@otherbot")); len(calls) != 0 {
		t.Fatalf("answered another bot's command: %v", names(calls))
	}
	sent(t, w.handle(text(111, "/help@LeadWire_Bot")))
}

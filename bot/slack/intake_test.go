package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"leadwire/connectors/chat"
	"leadwire/core"
	"leadwire/internal/slacktest"
	"leadwire/storage/storagetest"
)

// Messages in Persian, Thai and Chinese, which must round-trip unchanged.
const (
	persian = "سلام، قیمت ۵۰ کاربر چقدر است؟"
	thai    = "สวัสดีครับ ขอใบเสนอราคาด้วย"
	chinese = "你好，我们想了解价格。"
)

// withIntake replaces the world's adapter by one with C0INTAKE as an
// intake channel captured by connectors/chat, and learns the bot's own id.
func (w *world) withIntake() {
	w.t.Helper()
	intake := chat.NewSlackIntake(w.svc, map[string]string{"C0INTAKE": "Bangkok"})
	w.adapter = New(w.conv, w.svc, Options{BotToken: "xoxb-test", SigningSecret: secret, APIURL: w.api.APIURL(),
		IntakeChannels: []string{"C0INTAKE"},
		Intake:         intake.Capture})
	w.adapter.skipLocales = true
	w.mux = http.NewServeMux()
	for pattern, h := range w.adapter.Routes() {
		w.mux.HandleFunc(pattern, h)
	}
	if err := w.adapter.Check(w.ctx); err != nil {
		w.t.Fatal(err)
	}
	w.api.take()
}

// chatJob is the newest chat reply job, as the queue hands it to its handler.
func (w *world) chatJob() core.ChatReplyJob {
	w.t.Helper()
	var raw []byte
	err := w.db.SQL().QueryRowContext(w.ctx, `SELECT json(args) FROM river_job WHERE kind = ? ORDER BY id DESC LIMIT 1`,
		core.ChatReplyJob{}.Kind()).Scan(&raw)
	if err != nil {
		w.t.Fatal(err)
	}
	var args core.ChatReplyJob
	if err := json.Unmarshal(raw, &args); err != nil {
		w.t.Fatal(err)
	}
	return args
}

func TestIntakeOverSocketMode(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	w.withIntake()
	ws := slacktest.NewSocket(t)
	w.api.SocketURL(ws.URL())
	w.adapter.opts.AppToken = "xapp-1-test"
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- w.adapter.RunSocket(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-stopped
	})
	select {
	case <-ws.Hello:
	case <-time.After(20 * time.Second):
		t.Fatal("no connection within 20 s")
	}
	event := map[string]any{"token": "legacy", "team_id": "T0ACME", "api_app_id": "A0LW", "type": "event_callback",
		"event_id": "Ev900", "event_time": start.Unix(),
		"event": map[string]any{"type": "message", "channel": "C0INTAKE", "channel_type": "channel", "user": "U0PROSPECT",
			"text": thai, "ts": "1793610000.000100", "event_ts": "1793610000.000100"}}
	ws.Send <- map[string]any{"envelope_id": "E9", "type": "events_api", "accepts_response_payload": false, "payload": event}
	ws.Ack("E9")
	// Acknowledged only once stored: the lead is there by now.
	leads, err := w.db.ListLeads(w.ctx, core.LeadFilter{})
	if err != nil || len(leads) != 1 || leads[0].Message != thai {
		t.Fatalf("leads %+v, %v", leads, err)
	}
}

func TestIntakeChannel(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	w.withIntake()
	w.api.User("U0MEHRNAZ", map[string]any{"id": "U0MEHRNAZ", "name": "mehrnaz", "real_name": "Mehrnaz Ahmadi",
		"profile": map[string]any{"real_name": "Mehrnaz Ahmadi", "email": "Mehrnaz@Example.ir"}})
	const first = "1793610000.000100"
	message := func(user, ts, text string, extra map[string]any) map[string]any {
		m := map[string]any{"type": "message", "channel": "C0INTAKE", "channel_type": "channel", "user": user,
			"text": text, "ts": ts, "event_ts": ts, "team": "T0ACME"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	leads := func() []core.Lead {
		t.Helper()
		ls, err := w.db.ListLeads(w.ctx, core.LeadFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return ls
	}
	var lead core.Lead
	activities := func() int {
		t.Helper()
		acts, err := w.db.ListActivities(w.ctx, core.ActivityFilter{LeadID: lead.ID})
		if err != nil {
			t.Fatal(err)
		}
		return len(acts)
	}

	t.Run("a prospect's message becomes a lead, answered in its thread with the card", func(t *testing.T) {
		rec := w.event("Ev100", message("U0MEHRNAZ", first, persian, nil), nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		calls := w.api.take()
		if got := strings.Join(methods(calls), ","); got != "users.info,chat.postMessage" {
			t.Fatalf("calls %s", got)
		}
		post := calls[1]
		if post.Param("channel") != "C0INTAKE" || post.Param("thread_ts") != first || !strings.Contains(post.Param("blocks"), "Mehrnaz Ahmadi") ||
			!strings.Contains(post.Param("blocks"), "/lw reply L1 TEXT") {
			t.Fatalf("answer %+v", post)
		}
		ls := leads()
		if len(ls) != 1 || ls[0].SourceChannel != core.ChannelSlack || ls[0].SourceName != "C0INTAKE" || ls[0].Message != persian {
			t.Fatalf("leads %+v", ls)
		}
		lead = ls[0]
		c, err := w.db.ContactByID(w.ctx, lead.ContactID)
		if err != nil || c.Name != "Mehrnaz Ahmadi" || len(c.Emails) != 1 || c.Emails[0] != "mehrnaz@example.ir" ||
			len(c.Handles) != 1 || c.Handles[0] != "slack:U0MEHRNAZ" {
			t.Fatalf("contact %+v, %v", c, err)
		}
	})
	t.Run("a retried event creates nothing new", func(t *testing.T) {
		w.event("Ev100", message("U0MEHRNAZ", first, persian, nil), http.Header{"X-Slack-Retry-Num": {"1"}})
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("calls %v", methods(calls))
		}
	})
	t.Run("the same message under a new event id (after a restart) creates nothing new", func(t *testing.T) {
		w.event("Ev101", message("U0MEHRNAZ", first, persian, nil), nil)
		if calls := w.api.take(); strings.Contains(strings.Join(methods(calls), ","), "chat.postMessage") {
			t.Fatalf("calls %v", methods(calls))
		}
		if len(leads()) != 1 || activities() != 1 {
			t.Fatalf("leads %d, activities %d", len(leads()), activities())
		}
	})
	t.Run("the author's next message, in the thread, is an activity on the lead", func(t *testing.T) {
		w.event("Ev102", message("U0MEHRNAZ", "1793610000.000300", thai, map[string]any{"thread_ts": first}), nil)
		if calls := w.api.take(); strings.Contains(strings.Join(methods(calls), ","), "chat.postMessage") {
			t.Fatalf("calls %v", methods(calls))
		}
		if len(leads()) != 1 || activities() != 2 {
			t.Fatalf("leads %d, activities %d", len(leads()), activities())
		}
	})
	t.Run("the bot's own posts, edits and the team's messages are not prospects", func(t *testing.T) {
		for i, m := range []map[string]any{
			message("", "1793610000.000400", "New lead L1", map[string]any{"subtype": "bot_message", "bot_id": "B0LW"}),
			message("U0BOT", "1793610000.000401", "New lead L1", map[string]any{"bot_id": "B0LW"}),
			message("U0BOT", "1793610000.000402", "New lead L1", nil),
			message("U0MEHRNAZ", "1793610000.000403", "edited", map[string]any{"subtype": "message_changed"}),
			message("U0NIRAN", "1793610000.000404", "Who is on this?", nil), // the team talking in the channel
		} {
			w.event("Ev2"+string(rune('0'+i)), m, nil)
		}
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("calls %v", methods(calls))
		}
		if len(leads()) != 1 || activities() != 2 {
			t.Fatalf("leads %d, activities %d", len(leads()), activities())
		}
	})
	t.Run("a colleague answering in the prospect's thread is on the timeline as an answer, once", func(t *testing.T) {
		answer := message("U0NIRAN", "1793610000.000405", "ขอบคุณครับ I will call you today", map[string]any{"thread_ts": first})
		w.event("Ev210", answer, nil)
		w.event("Ev211", answer, nil) // the same message again, under a new event id
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("calls %v", methods(calls))
		}
		acts, err := w.db.ListActivities(w.ctx, core.ActivityFilter{LeadID: lead.ID})
		if err != nil || len(acts) != 3 {
			t.Fatalf("activities %+v, %v", acts, err)
		}
		var answers []core.Activity
		for _, a := range acts {
			if a.Kind == core.ActivityChatOut {
				answers = append(answers, a)
			}
		}
		if len(answers) != 1 || answers[0].UserID != w.users["niran"].ID || answers[0].Body != "ขอบคุณครับ I will call you today" {
			t.Fatalf("answers recorded: %+v", answers)
		}
		if l, _ := w.db.LeadByID(w.ctx, lead.ID); l.FirstResponseAt.IsZero() {
			t.Error("the answer did not count as the first response")
		}
	})
	t.Run("a colleague not linked to Slack yet is known by email, and is no prospect", func(t *testing.T) {
		w.api.User("U0ADA", map[string]any{"id": "U0ADA", "real_name": "Ada", "profile": map[string]any{"email": "Ada@Example.com"}})
		w.event("Ev301", message("U0ADA", "1793610000.000600", "Who takes this one?", map[string]any{"thread_ts": first}), nil)
		if calls := w.api.take(); strings.Join(methods(calls), ",") != "users.info" {
			t.Fatalf("calls %v", methods(calls))
		}
		if len(leads()) != 1 || activities() != 4 {
			t.Fatalf("leads %d, activities %d (the colleague's answer is the fourth)", len(leads()), activities())
		}
	})
	t.Run("a message in a channel that is not an intake channel is no lead", func(t *testing.T) {
		m := message("U0MEHRNAZ", "1793610000.000500", "hello", nil)
		m["channel"] = "C0BKK"
		w.event("Ev300", m, nil)
		if len(leads()) != 1 {
			t.Fatalf("leads %+v", leads())
		}
	})
	t.Run("a rep's reply posts in the thread of the intake message", func(t *testing.T) {
		r := w.conv.Handle(w.ctx, w.users["niran"], "reply "+lead.Ref()+" "+chinese+" <b>&</b>")
		if !strings.Contains(r.Text, "in their Slack thread") {
			t.Fatalf("reply %+v", r)
		}
		w.api.take()
		if err := w.svc.ChatReplyHandler(chat.NewReplySender(nil, w.adapter))(w.ctx, w.chatJob(), core.JobInfo{}); err != nil {
			t.Fatal(err)
		}
		calls := w.api.take()
		if len(calls) != 1 || calls[0].Method != "chat.postMessage" || calls[0].Param("channel") != "C0INTAKE" ||
			calls[0].Param("thread_ts") != first || calls[0].Param("text") != chinese+" &lt;b&gt;&amp;&lt;/b&gt;" {
			t.Fatalf("calls %+v", calls)
		}
	})
	t.Run("a tool's post is the lead it carries, answered with the card, once", func(t *testing.T) {
		const ts = "1793610000.000700"
		post := message("", ts, "*New lead from Typeform*\n*Name:* Anna Nowak\n*Email:* <mailto:anna@firma.pl|anna@firma.pl>\n"+
			"*Phone:* <tel:+48601234567|+48 601 234 567>\n*Company:* Firma &amp; Syn Sp. z o.o.\n*Budget:* 20k PLN\n*Message:* Prosimy o ofertę na 50 licencji",
			map[string]any{"subtype": "bot_message", "bot_id": "B0TYPEFORM", "username": "Typeform"})
		w.event("Ev400", post, nil)
		calls := w.api.take()
		if got := strings.Join(methods(calls), ","); got != "chat.postMessage" {
			t.Fatalf("calls %s", got)
		}
		if calls[0].Param("thread_ts") != ts || !strings.Contains(calls[0].Param("blocks"), "Anna Nowak") {
			t.Fatalf("answer %+v", calls[0])
		}
		w.event("Ev401", post, nil) // the same post under a new event id
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("calls %v", methods(calls))
		}
		ls := leads()
		if len(ls) != 2 {
			t.Fatalf("%d leads", len(ls))
		}
		l := ls[0] // the newest
		if l.Message != "Prosimy o ofertę na 50 licencji" || l.Metadata["posted_by"] != "Typeform" || l.Metadata["Budget"] != "20k PLN" {
			t.Fatalf("lead %+v", l)
		}
		c, err := w.db.ContactByID(w.ctx, l.ContactID)
		if err != nil || c.Name != "Anna Nowak" || c.Company != "Firma & Syn Sp. z o.o." || len(c.Emails) != 1 || c.Emails[0] != "anna@firma.pl" ||
			len(c.Phones) != 1 || c.Phones[0] != "+48601234567" || len(c.Handles) != 0 {
			t.Fatalf("contact %+v, %v", c, err)
		}
	})
	t.Run("a workflow's Block Kit post in Chinese is read from its blocks", func(t *testing.T) {
		blocks := []any{map[string]any{"type": "section", "fields": []any{
			map[string]any{"type": "mrkdwn", "text": "*姓名：*王伟"},
			map[string]any{"type": "mrkdwn", "text": "*邮箱：*wang@bj.example"},
			map[string]any{"type": "mrkdwn", "text": "*留言：*" + chinese}}}}
		w.event("Ev410", message("", "1793610000.000710", "", map[string]any{"subtype": "bot_message", "bot_id": "B0FLOW", "blocks": blocks}), nil)
		if got := strings.Join(methods(w.api.take()), ","); got != "bots.info,chat.postMessage" {
			t.Fatalf("calls %s", got)
		}
		var found bool
		for _, l := range leads() {
			c, err := w.db.ContactByID(w.ctx, l.ContactID)
			if err == nil && c.Name == "王伟" && len(c.Emails) == 1 && c.Emails[0] == "wang@bj.example" && l.Message == chinese && l.Metadata["posted_by"] == "Lead form workflow" {
				found = true
			}
		}
		if !found {
			t.Fatalf("no lead for 王伟: %+v", leads())
		}
	})
	t.Run("a tool's post without the prospect's details is answered with why and stores nothing", func(t *testing.T) {
		n := len(leads())
		w.event("Ev420", message("", "1793610000.000720", "New lead from the form tool", map[string]any{"subtype": "bot_message", "bot_id": "B0ZAP"}), nil)
		calls := w.api.take()
		if got := strings.Join(methods(calls), ","); got != "bots.info,chat.postMessage" {
			t.Fatalf("calls %s", got)
		}
		calls = calls[1:]
		if calls[0].Param("thread_ts") != "1793610000.000720" ||
			!strings.Contains(calls[0].Param("text")+calls[0].Param("blocks"), "Not taken as a lead") {
			t.Fatalf("calls %+v", calls)
		}
		if len(leads()) != n {
			t.Fatalf("%d leads, want %d", len(leads()), n)
		}
		// The same tool talking in a thread is not answered.
		w.event("Ev421", message("", "1793610000.000721", "Synced to the CRM", map[string]any{"subtype": "bot_message", "bot_id": "B0ZAP",
			"thread_ts": "1793610000.000720"}), nil)
		if calls := w.api.take(); len(calls) != 0 {
			t.Fatalf("calls %v", methods(calls))
		}
	})
}

func TestIntakeInASharedChannelKeepsTheCardToTheTeam(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	w.withIntake()
	w.api.User("U0EXT", map[string]any{"id": "U0EXT", "name": "wei", "real_name": "Wang Wei",
		"profile": map[string]any{"real_name": "Wang Wei", "email": "wei@partner.cn"}})
	body, _ := json.Marshal(map[string]any{"token": "legacy", "team_id": "T0ACME", "api_app_id": "A0LW", "type": "event_callback",
		"event_id": "Ev800", "event_time": start.Unix(), "is_ext_shared_channel": true,
		"event": map[string]any{"type": "message", "channel": "C0INTAKE", "channel_type": "channel", "user": "U0EXT",
			"text": chinese, "ts": "1793610000.000700", "event_ts": "1793610000.000700", "user_team": "T0PARTNER"}})
	if rec := w.send("/slack/events", "application/json", string(body), nil); rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	calls := w.api.take()
	if got := strings.Join(methods(calls), ","); got != "users.info,chat.postMessage" {
		t.Fatalf("calls %s", got)
	}
	post := calls[1]
	if post.Param("thread_ts") != "1793610000.000700" || post.Param("text") != intakeAck ||
		strings.Contains(post.Param("blocks"), "wei@partner.cn") || strings.Contains(post.Param("text"), "wei@partner.cn") {
		t.Fatalf("answer in the shared channel %+v", post)
	}
	leads, err := w.db.ListLeads(w.ctx, core.LeadFilter{})
	if err != nil || len(leads) != 1 || leads[0].Message != chinese {
		t.Fatalf("leads %+v, %v", leads, err)
	}
}

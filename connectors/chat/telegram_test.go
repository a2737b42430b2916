package chat_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"leadwire/bot"
	"leadwire/bot/console"
	telegrambot "leadwire/bot/telegram"
	"leadwire/connectors/chat"
	"leadwire/core"
	"leadwire/internal/lang"
	"leadwire/internal/tgtest"
	"leadwire/internal/wait"
)

const (
	persian = "سلام، قیمت ۵۰ کاربر چقدر است؟"
	thai    = "สวัสดีครับ ขอใบเสนอราคาด้วย"
	chinese = "你好，我们想了解价格。"
)

// poll runs the intake bot's polling until the offset saved reaches want,
// then stops it.
func (w *world) poll(want string) {
	w.t.Helper()
	ctx, cancel := context.WithCancel(w.ctx)
	done := make(chan error, 1)
	go func() { done <- w.intake.Run(ctx) }()
	var off string
	if !wait.Until(wait.Patience, func() bool {
		var err error
		if off, err = w.db.LoadCheckpoint(w.ctx, "telegram:intake", chat.TelegramCheckpointKey); err != nil {
			w.t.Fatal(err)
		}
		return off == want
	}) {
		cancel()
		w.t.Fatalf("offset %q, want %q; calls %v", off, want, tgtest.Names(w.api.Take()))
	}
	cancel()
	if err := <-done; err != nil {
		w.t.Fatal(err)
	}
}

func TestTelegramIntake(t *testing.T) {
	w := newWorld(t)
	const dariush = 5001
	var lead int64

	t.Run("start is greeted and stores nothing", func(t *testing.T) {
		calls := w.handle(1, prospect(dariush, 1, "/start"))
		if len(calls) != 1 || calls[0].Method != "sendMessage" || calls[0].Token != intakeToken ||
			calls[0].Params["chat_id"] != "5001" || calls[0].Params["text"] != lang.Default().For("fa").T("prospect.greeting") {
			t.Fatalf("calls %+v", calls)
		}
		if leads, _ := w.db.ListLeads(w.ctx, core.LeadFilter{}); len(leads) != 0 {
			t.Fatalf("leads %+v", leads)
		}
	})
	t.Run("a prospect's first message, polled, becomes a lead for the team", func(t *testing.T) {
		w.api.Queue(intakeToken, 7, prospect(dariush, 2, persian))
		w.poll("8")
		leads, err := w.db.ListLeads(w.ctx, core.LeadFilter{})
		if err != nil || len(leads) != 1 {
			t.Fatalf("leads %+v, %v", leads, err)
		}
		l := leads[0]
		lead = l.ID
		if l.SourceChannel != core.ChannelTelegram || l.SourceName != chat.TelegramSource || l.Message != persian ||
			l.Metadata["telegram_username"] != "@dariush_k" || l.Metadata["language"] != "fa" {
			t.Fatalf("lead %+v", l)
		}
		c, err := w.db.ContactByID(w.ctx, l.ContactID)
		if err != nil || c.Name != "Dariush Karimi" || len(c.Handles) != 1 || c.Handles[0] != "telegram:5001" {
			t.Fatalf("contact %+v, %v", c, err)
		}
		if n := w.newLeadNotices(); len(n) != 1 || n[0].Channel != core.ChannelTelegram || n[0].Notice.LeadID != lead {
			t.Fatalf("new-lead notices %+v", n)
		}
		notice, err := bot.NewConversation(w.svc, nil, bot.Options{}).LeadNotice(w.ctx, lead)
		if err != nil || len(notice.Cards) != 1 {
			t.Fatalf("notice %+v, %v", notice, err)
		}
		fields := fmt.Sprint(notice.Cards[0].Fields)
		if !strings.Contains(fields, "{Telegram @dariush_k}") || !strings.Contains(fields, "{Language fa}") ||
			notice.Cards[0].Note != "Answer in their chat: reply "+core.LeadRef(lead)+" TEXT" {
			t.Fatalf("card %+v", notice.Cards[0])
		}
	})
	t.Run("a second message becomes an activity on the lead", func(t *testing.T) {
		w.handle(8, prospect(dariush, 3, thai))
		acts := w.timeline(lead)
		if len(acts) != 2 || acts[1].Kind != core.ActivityChatIn || acts[1].Body != thai {
			t.Fatalf("timeline %+v", acts)
		}
		if leads, _ := w.db.ListLeads(w.ctx, core.LeadFilter{}); len(leads) != 1 {
			t.Fatalf("leads %+v", leads)
		}
	})
	t.Run("a redelivered update creates nothing new", func(t *testing.T) {
		w.handle(8, prospect(dariush, 3, thai))
		w.handle(7, prospect(dariush, 2, persian))
		if acts := w.timeline(lead); len(acts) != 2 {
			t.Fatalf("timeline %+v", acts)
		}
		if n := w.newLeadNotices(); len(n) != 1 || n[0].Channel != core.ChannelTelegram || n[0].Notice.LeadID != lead {
			t.Fatalf("new-lead notices %+v", n)
		}
	})
	worker := w.svc.ChatReplyHandler(chat.NewReplySender(w.intake, nil))
	t.Run("a rep's reply from the console reaches the prospect through the intake bot", func(t *testing.T) {
		conv := bot.NewConversation(w.svc, nil, bot.Options{})
		var out strings.Builder
		in := strings.NewReader("reply " + core.LeadRef(lead) + " " + chinese + "\n")
		if err := console.Run(w.ctx, conv, w.users["niran"], in, &out, console.Options{}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "Replying to Dariush Karimi on Telegram") {
			t.Fatalf("console:\n%s", out.String())
		}
		w.api.Take()
		if err := worker(w.ctx, w.replyJob(), core.JobInfo{}); err != nil {
			t.Fatal(err)
		}
		calls := w.api.Take()
		if len(calls) != 1 || calls[0].Token != intakeToken || calls[0].Method != "sendMessage" ||
			calls[0].Params["chat_id"] != "5001" || calls[0].Params["text"] != chinese {
			t.Fatalf("calls %+v", calls)
		}
		acts := w.timeline(lead)
		last := acts[len(acts)-1]
		if last.Kind != core.ActivityChatOut || last.Body != chinese || last.UserID != w.users["niran"].ID {
			t.Fatalf("timeline %+v", acts)
		}
		if l, _ := w.db.LeadByID(w.ctx, lead); l.FirstResponseAt.IsZero() {
			t.Error("the reply does not count as a response")
		}
	})
	t.Run("a rep's reply from Telegram reaches the prospect through the intake bot", func(t *testing.T) {
		conv := bot.NewConversation(w.svc, nil, bot.Options{Prefix: telegrambot.Prefix})
		reps, err := telegrambot.New(conv, w.svc, telegrambot.Options{Token: repsToken, APIURL: w.api.URL, PollTimeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		w.api.Take()
		msg := tgtest.Text(111, 40, "/reply "+core.LeadRef(lead)+" "+persian+" <b>&</b>")
		reps.HandleUpdate(w.ctx, update(t, 1, msg))
		calls := w.api.Take()
		if len(calls) != 1 || calls[0].Token != repsToken || calls[0].Params["chat_id"] != "111" ||
			!strings.Contains(calls[0].Params["text"], "Replying to Dariush Karimi") {
			t.Fatalf("the reps' bot answered %+v", calls)
		}
		if err := worker(w.ctx, w.replyJob(), core.JobInfo{}); err != nil {
			t.Fatal(err)
		}
		calls = w.api.Take()
		if len(calls) != 1 || calls[0].Token != intakeToken || calls[0].Params["chat_id"] != "5001" ||
			calls[0].Params["text"] != persian+" <b>&</b>" || calls[0].Params["parse_mode"] != "" {
			t.Fatalf("the intake bot sent %+v", calls)
		}
	})
	t.Run("a 429 snoozes the reply for retry_after", func(t *testing.T) {
		if _, err := w.svc.ReplyToContact(w.ctx, w.users["niran"], core.Ref{Kind: 'L', ID: lead}, "one moment"); err != nil {
			t.Fatal(err)
		}
		w.api.Limit(1)
		err := worker(w.ctx, w.replyJob(), core.JobInfo{})
		if after, ok := core.RetryAfterOf(err); !ok || after != time.Second {
			t.Fatalf("got %v, want a snooze of 1s", err)
		}
	})
	t.Run("a prospect who blocked the bot cancels the reply and the timeline says so", func(t *testing.T) {
		w.api.Block(dariush)
		err := worker(w.ctx, w.replyJob(), core.JobInfo{})
		if !core.IsPermanent(err) {
			t.Fatalf("got %v, want a permanent failure", err)
		}
		acts := w.timeline(lead)
		last := acts[len(acts)-1]
		if last.Kind != core.ActivitySystem || last.Key != "timeline.reply_undelivered" || last.Args["Error"].Term != "undelivered.telegram_blocked" {
			t.Fatalf("timeline %+v", acts)
		}
	})
	t.Run("a reply to a contact who came by email is refused, suggesting email", func(t *testing.T) {
		res, err := w.svc.Capture(w.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "f1",
			Name: "Anna Kowalska", Email: "anna@example.pl", Text: "Please call me."})
		if err != nil {
			t.Fatal(err)
		}
		conv := bot.NewConversation(w.svc, nil, bot.Options{})
		r := conv.Handle(w.ctx, w.users["niran"], "reply "+core.LeadRef(res.LeadID)+" hello")
		if r.Tone != bot.ToneWarn || !strings.Contains(r.Text, "never written to us in chat") ||
			!strings.Contains(r.Text, "anna@example.pl by email") {
			t.Fatalf("reply %+v", r)
		}
		if acts := w.timeline(res.LeadID); len(acts) != 1 {
			t.Fatalf("timeline %+v", acts)
		}
	})
}

func TestTelegramInbound(t *testing.T) {
	cases := []struct {
		name string
		msg  map[string]any
		want func(core.Inbound) bool
	}{
		{"a photo with a caption carries the caption", map[string]any{"caption": "this one", "photo": []any{map[string]any{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}}},
			func(in core.Inbound) bool { return in.Text == "this one" }},
		{"a sticker says so", map[string]any{"sticker": map[string]any{"file_id": "x", "emoji": "👍"}},
			func(in core.Inbound) bool { return in.Text == "[sent a sticker 👍]" }},
		{"the prospect's own shared number becomes the phone", map[string]any{"contact": map[string]any{"phone_number": "66812345678", "first_name": "Dariush", "user_id": 5001}},
			func(in core.Inbound) bool { return in.Phone == "+66812345678" }},
		{"someone else's shared number is not the prospect's", map[string]any{"contact": map[string]any{"phone_number": "66812345678", "first_name": "Other", "user_id": 6}},
			func(in core.Inbound) bool { return in.Phone == "" && strings.Contains(in.Text, "66812345678") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := prospect(5001, 9, "")
			m := u["message"].(map[string]any)
			delete(m, "text")
			for k, v := range tc.msg {
				m[k] = v
			}
			in := chat.TelegramInbound(update(t, 1, u).Message)
			if in.ExternalID != "telegram:5001:9" || in.Handle != "telegram:5001" || !tc.want(in) {
				t.Fatalf("inbound %+v", in)
			}
		})
	}
}

// TestTelegramGreetingWithoutConfiguredOnes answers /start from the
// catalog in the prospect's language, English for one leadwire does not
// speak.
func TestTelegramGreetingWithoutConfiguredOnes(t *testing.T) {
	w := newWorld(t)
	intake, err := chat.NewTelegram(w.svc, chat.TelegramOptions{Token: intakeToken, APIURL: w.api.URL, PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct{ lang, want string }{
		{"th", "สวัสดีค่ะ"}, {"vi", "Xin chào!"}, {"zh-hans", "您好！"}, {"de", chat.DefaultGreeting}, {"", chat.DefaultGreeting},
	} {
		u := prospect(int64(7000+i), 1, "/start")
		u["message"].(map[string]any)["from"].(map[string]any)["language_code"] = tc.lang
		w.api.Take()
		if err := intake.HandleUpdate(w.ctx, update(t, int64(200+i), u)); err != nil {
			t.Fatal(err)
		}
		sent := tgtest.Only(w.api.Take(), "sendMessage")
		if len(sent) != 1 || !strings.HasPrefix(sent[0].Params["text"], tc.want) {
			t.Errorf("language %q: sent %+v, want %q…", tc.lang, sent, tc.want)
		}
	}
}

// TestTelegramGreetingsByLanguage answers /start in the prospect's
// language when there is a greeting for it: exactly, then by the
// language alone, then the default one.
func TestTelegramGreetingsByLanguage(t *testing.T) {
	w := newWorld(t)
	intake, err := chat.NewTelegram(w.svc, chat.TelegramOptions{Token: intakeToken, APIURL: w.api.URL, PollTimeout: time.Second,
		Greetings: map[string]string{"": "Hello!", "fa": "سلام! چطور می‌توانیم کمک کنیم؟", "zh": "您好！"}})
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct{ lang, want string }{
		{"fa", "سلام! چطور می‌توانیم کمک کنیم؟"},
		{"zh-hans", "您好！"},
		{"ZH-HANT", "您好！"},
		{"pl", "Hello!"},
		{"", "Hello!"},
	} {
		u := prospect(int64(6000+i), 1, "/start")
		u["message"].(map[string]any)["from"].(map[string]any)["language_code"] = tc.lang
		w.api.Take()
		if err := intake.HandleUpdate(w.ctx, update(t, int64(100+i), u)); err != nil {
			t.Fatal(err)
		}
		sent := tgtest.Only(w.api.Take(), "sendMessage")
		if len(sent) != 1 || sent[0].Params["text"] != tc.want {
			t.Errorf("language %q: sent %+v, want %q", tc.lang, sent, tc.want)
		}
	}
}

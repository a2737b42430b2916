package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/internal/tgtest"
	"leadwire/storage"
)

const token = "123456:TEST-token"

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// call is one request the Bot API stand-in received.
type call = tgtest.Call

// api is the Bot API stand-in, serving this package's bot.
type api struct{ *tgtest.Server }

func newAPI(t testing.TB) *api { return &api{tgtest.New(t)} }

// queue adds an update for getUpdates.
func (a *api) queue(id int64, u map[string]any) { a.Queue(token, id, u) }

// take returns the calls recorded since the last take, and forgets them.
func (a *api) take() []call { return a.Take() }

// only keeps calls of the methods.
func only(calls []call, methods ...string) []call { return tgtest.Only(calls, methods...) }

func names(calls []call) []string { return tgtest.Names(calls) }

// world is the adapter over a real database: team Bangkok with manager
// Somchai and reps Niran and Pim.
type world struct {
	t       *testing.T
	ctx     context.Context
	db      *storage.DB
	clock   *clocktest.Clock
	svc     *core.Service
	conv    *bot.Conversation
	api     *api
	adapter *Adapter
	users   map[string]*core.User
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	db, err := storage.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "lw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	settings := core.DefaultSettings()
	settings.TimeZone = "Asia/Bangkok"
	clk := clocktest.New(start)
	svc := core.NewService(db, clk, settings, nil)
	dir := core.OrgDef{
		Teams: []core.TeamDef{{Name: "Bangkok", Manager: "somchai@example.com", Region: "TH", TelegramChat: "-100500"}},
		Users: []core.UserDef{
			{Email: "somchai@example.com", Name: "Somchai", Role: core.RoleManager, Team: "Bangkok", TimeZone: "Asia/Bangkok"},
			{Email: "niran@example.com", Name: "Niran Srisuk", Team: "Bangkok", TimeZone: "Asia/Bangkok"},
			{Email: "pim@example.com", Name: "Pim Jaidee", Team: "Bangkok", TimeZone: "Asia/Bangkok"},
		},
		Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
			{Name: "Prospecting", Probability: 10, RotDays: 7}, {Name: "Proposal", Probability: 60}}}},
	}
	if err := svc.Directory.Sync(ctx, dir); err != nil {
		t.Fatalf("sync: %v", err)
	}
	w := &world{t: t, ctx: ctx, db: db, clock: clk, svc: svc, api: newAPI(t), users: map[string]*core.User{}}
	w.conv = bot.NewConversation(svc, nil, bot.Options{Prefix: Prefix})
	w.adapter = w.newAdapter()
	for _, name := range []string{"somchai", "niran", "pim"} {
		u, err := db.UserByEmail(ctx, name+"@example.com")
		if err != nil {
			t.Fatal(err)
		}
		w.users[name] = u
	}
	return w
}

func (w *world) newAdapter() *Adapter {
	w.t.Helper()
	a, err := New(w.conv, w.svc, Options{Token: token, APIURL: w.api.URL, WebhookSecret: "s3cret-token",
		PollTimeout: time.Second})
	if err != nil {
		w.t.Fatal(err)
	}
	a.now = w.clock.Now
	return a
}

// link gives the user a Telegram id through a link code.
func (w *world) link(name string, telegramID int64) {
	w.t.Helper()
	code, err := w.svc.Directory.NewLinkCode(w.ctx, w.users[name])
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.svc.Directory.RedeemLinkCode(w.ctx, code, telegramID); err != nil {
		w.t.Fatal(err)
	}
}

// lead captures a web form lead for the team.
func (w *world) lead(name, email string) int64 {
	w.t.Helper()
	res, err := w.svc.Capture(w.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: email,
		Name: name, Email: email, Company: "Siam Widgets", Team: "Bangkok", Subject: "Pricing for 50 seats",
		Text: "Hello, please send a quote.", ReceivedAt: start.Add(-time.Hour)})
	if err != nil || !res.NewLead {
		w.t.Fatalf("capture %s: %+v, %v", email, res, err)
	}
	return res.LeadID
}

// text is a message update from a Telegram user in their private chat.
func text(from int64, s string) map[string]any {
	return map[string]any{"message": map[string]any{"message_id": 1, "date": start.Unix(), "text": s,
		"from": map[string]any{"id": from, "is_bot": false, "first_name": "Someone"},
		"chat": map[string]any{"id": from, "type": "private"}}}
}

// press is a callback query update: from pressed a button with data on
// message msg of chat.
func press(from, chat int64, msg int, data string) map[string]any {
	return map[string]any{"callback_query": map[string]any{"id": fmt.Sprintf("cb%d", msg), "data": data,
		"chat_instance": "ci", "from": map[string]any{"id": from, "is_bot": false, "first_name": "Someone"},
		"message": map[string]any{"message_id": msg, "date": start.Unix(), "text": "card",
			"chat": map[string]any{"id": chat, "type": "group", "title": "Bangkok"}}}}
}

// handle runs one update through the adapter and returns the calls it made.
func (w *world) handle(u map[string]any) []call {
	w.t.Helper()
	u["update_id"] = 1
	b, _ := json.Marshal(u)
	var upd models.Update
	if err := json.Unmarshal(b, &upd); err != nil {
		w.t.Fatal(err)
	}
	w.api.take()
	w.adapter.HandleUpdate(w.ctx, &upd)
	return w.api.take()
}

// sent is the one sendMessage of calls.
func sent(t *testing.T, calls []call) call {
	t.Helper()
	s := only(calls, "sendMessage")
	if len(s) != 1 {
		t.Fatalf("want one sendMessage, got calls %v", names(calls))
	}
	return s[0]
}

// buttons reads the callback data of an inline keyboard.
func buttons(t *testing.T, c call) []string {
	t.Helper()
	if c.Params["reply_markup"] == "" {
		return nil
	}
	var kb models.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(c.Params["reply_markup"]), &kb); err != nil {
		t.Fatalf("reply_markup %s: %v", c.Params["reply_markup"], err)
	}
	var out []string
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			out = append(out, b.CallbackData)
		}
	}
	return out
}

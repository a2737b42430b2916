package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/storage"
)

const token = "123456:TEST-token"

// clock is the services' clock, moved by tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// call is one request the Bot API stand-in received.
type call struct {
	Method string
	Params map[string]string // form fields or JSON members (non-strings as JSON)
}

// api is a Bot API stand-in: it answers getMe, getUpdates,
// sendMessage, editMessageText, answerCallbackQuery and setMyCommands,
// records every call, and answers the next `limited` calls with 429.
type api struct {
	t       testing.TB
	srv     *httptest.Server
	mu      sync.Mutex
	calls   []call
	updates []json.RawMessage // served by getUpdates, by update_id
	ids     []int64
	limited int
	msg     int
	wake    chan struct{}
}

func newAPI(t testing.TB) *api {
	a := &api{t: t, wake: make(chan struct{}, 1)}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

// queue adds an update for getUpdates.
func (a *api) queue(id int64, u map[string]any) {
	u["update_id"] = id
	b, _ := json.Marshal(u)
	a.mu.Lock()
	a.updates = append(a.updates, b)
	a.ids = append(a.ids, id)
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

func (a *api) serve(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/bot"+token+"/")
	if method == r.URL.Path {
		http.Error(w, `{"ok":false,"error_code":404,"description":"Not Found"}`, http.StatusNotFound)
		return
	}
	c := call{Method: method, Params: map[string]string{}}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		body, _ := io.ReadAll(r.Body)
		json.Unmarshal(body, &m)
		for k, v := range m {
			if s, ok := v.(string); ok {
				c.Params[k] = s
			} else {
				b, _ := json.Marshal(v)
				c.Params[k] = string(b)
			}
		}
	} else if err := r.ParseMultipartForm(1 << 20); err == nil {
		for k, v := range r.MultipartForm.Value {
			c.Params[k] = v[0]
		}
		for k, fh := range r.MultipartForm.File { // uploads: "name:content"
			if f, err := fh[0].Open(); err == nil {
				b, _ := io.ReadAll(f)
				f.Close()
				c.Params[k] = fh[0].Filename + ":" + string(b)
			}
		}
	}
	a.mu.Lock()
	a.calls = append(a.calls, c)
	limited := a.limited > 0
	if limited {
		a.limited--
	}
	a.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if limited {
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`)
		return
	}
	var result any = true
	switch method {
	case "getMe":
		result = map[string]any{"id": 123456, "is_bot": true, "first_name": "leadwire", "username": "leadwire_bot"}
	case "getUpdates":
		result = a.pending(r.Context(), c.Params["offset"])
	case "sendMessage", "editMessageText", "sendPhoto":
		a.mu.Lock()
		a.msg++
		id := a.msg
		a.mu.Unlock()
		if method == "editMessageText" {
			fmt.Sscan(c.Params["message_id"], &id)
		}
		var chat int64
		fmt.Sscan(c.Params["chat_id"], &chat)
		result = map[string]any{"message_id": id, "date": start.Unix(), "chat": map[string]any{"id": chat, "type": "private"},
			"text": c.Params["text"]}
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// pending returns the updates from offset on, waiting a little for some
// as a long poll does.
func (a *api) pending(ctx context.Context, offset string) []json.RawMessage {
	var from int64
	fmt.Sscan(offset, &from)
	timer := time.NewTimer(200 * time.Millisecond)
	defer timer.Stop()
	for {
		a.mu.Lock()
		var out []json.RawMessage
		for i, id := range a.ids {
			if id >= from {
				out = append(out, a.updates[i])
			}
		}
		a.mu.Unlock()
		if len(out) > 0 {
			return out
		}
		select {
		case <-a.wake:
		case <-timer.C:
			return []json.RawMessage{}
		case <-ctx.Done():
			return []json.RawMessage{}
		}
	}
}

// take returns the calls recorded since the last take, and forgets them.
func (a *api) take() []call {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := a.calls
	a.calls = nil
	return out
}

// only keeps calls of the methods.
func only(calls []call, methods ...string) []call {
	var out []call
	for _, c := range calls {
		for _, m := range methods {
			if c.Method == m {
				out = append(out, c)
			}
		}
	}
	return out
}

func names(calls []call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Method)
	}
	return out
}

// world is the adapter over a real database: team Bangkok with manager
// Somchai and reps Niran and Pim.
type world struct {
	t       *testing.T
	ctx     context.Context
	db      *storage.DB
	clock   *clock
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
	clk := &clock{t: start}
	svc := core.NewService(db, clk, settings, nil)
	dir := core.Directory{
		Teams: []core.TeamDef{{Name: "Bangkok", Manager: "somchai@example.com", Region: "TH", TelegramChat: "-100500"}},
		Users: []core.UserDef{
			{Email: "somchai@example.com", Name: "Somchai", Role: core.RoleManager, Team: "Bangkok", TimeZone: "Asia/Bangkok"},
			{Email: "niran@example.com", Name: "Niran Srisuk", Team: "Bangkok", TimeZone: "Asia/Bangkok"},
			{Email: "pim@example.com", Name: "Pim Jaidee", Team: "Bangkok", TimeZone: "Asia/Bangkok"},
		},
		Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
			{Name: "Prospecting", Probability: 10, RotDays: 7}, {Name: "Proposal", Probability: 60}}}},
	}
	if err := svc.Sync(ctx, dir); err != nil {
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
	a, err := New(w.conv, w.svc, Options{Token: token, APIURL: w.api.srv.URL, WebhookSecret: "s3cret-token",
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
	code, err := w.svc.NewLinkCode(w.ctx, w.users[name])
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.svc.RedeemLinkCode(w.ctx, code, telegramID); err != nil {
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

package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"leadwire/bot"
	slackbot "leadwire/bot/slack"
	telegrambot "leadwire/bot/telegram"
	"leadwire/core"
	"leadwire/internal/slacktest"
	"leadwire/internal/wait"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

const (
	noticeSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	noticeToken  = "123456:TEST-token"
)

// chatMsg is a message a chat stand-in was asked to post.
type chatMsg struct {
	To      string   // "slack:U0NIRAN", "telegram:7001"
	Text    string   // Slack's fallback text or Telegram's HTML
	Actions []string // the buttons' action codes
	Raw     string   // the blocks or inline keyboard as sent, and Text
	Key     string   // Slack: the notice key in the message's metadata
}

// chatAPI stands in for both Slack's Web API (under /api/, passed on to
// internal/slacktest) and Telegram's Bot API (under /bot<token>/): it
// records every message posted, answers the Telegram chats in blocked
// with 403, and accepts everything else; slack refuses what a test tells
// it to.
type chatAPI struct {
	srv     *httptest.Server
	slack   *slacktest.Server
	mu      sync.Mutex
	msgs    []chatMsg
	blocked map[string]bool
	ts      int
	// light keeps only whom each message went to and its buttons (for
	// the benchmark's 100,000).
	light bool
	// last is when each Slack channel was last posted to; tooSoon counts
	// posts less than 0.9 s after the one before in the same channel (the
	// pacer books a second; the post follows the booking a little later).
	last    map[string]time.Time
	tooSoon int
}

func newChatAPI(t testing.TB) *chatAPI {
	c := &chatAPI{slack: slacktest.New(t), blocked: map[string]bool{}, last: map[string]time.Time{}}
	c.slack.OnPost(c.posted)
	c.srv = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.srv.Close)
	return c
}

// lighten keeps only whom each message went to, its buttons and its key.
func (c *chatAPI) lighten() {
	c.mu.Lock()
	c.light = true
	c.mu.Unlock()
	c.slack.Lean()
}

// posted records a message Slack accepted.
func (c *chatAPI) posted(call slacktest.Call) {
	ch := call.Param("channel")
	m := chatMsg{To: "slack:" + ch, Actions: actions(call.Param("blocks"))}
	var meta struct {
		Payload struct{ Key string } `json:"event_payload"`
	}
	if json.Unmarshal([]byte(call.Param("metadata")), &meta) == nil {
		m.Key = meta.Payload.Key
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.light {
		m.Text, m.Raw = call.Param("text"), call.Param("text")+"\n"+call.Param("blocks")
	}
	c.msgs = append(c.msgs, m)
	now := time.Now()
	if last, ok := c.last[ch]; ok && now.Sub(last) < 900*time.Millisecond {
		c.tooSoon++
	}
	c.last[ch] = now
}

// postedBefore records a Slack message as a replica that died had posted
// it: Slack holds it, with its notice key, in the user's DM.
func (c *chatAPI) postedBefore(user, text, key string) {
	c.mu.Lock()
	c.msgs = append(c.msgs, chatMsg{To: "slack:" + user, Text: text, Key: key})
	c.mu.Unlock()
	c.slack.Remember("D0"+user, map[string]any{"type": "message", "text": text,
		"metadata": map[string]any{"event_type": "leadwire_notice", "event_payload": map[string]any{"key": key}}})
}

var actionCode = regexp.MustCompile(`"(?:value|callback_data)":"([^"]+)"`)

func actions(raw string) []string {
	var out []string
	for _, m := range actionCode.FindAllStringSubmatch(raw, -1) {
		out = append(out, m[1])
	}
	return out
}

func (c *chatAPI) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		c.slack.ServeHTTP(w, r)
		return
	}
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+noticeToken+"/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	params := map[string]string{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		body, _ := io.ReadAll(r.Body)
		json.Unmarshal(body, &m)
		for k, v := range m {
			if s, ok := v.(string); ok {
				params[k] = s
			} else {
				b, _ := json.Marshal(v)
				params[k] = string(b)
			}
		}
	} else if err := r.ParseMultipartForm(1 << 20); err == nil {
		for k, v := range r.MultipartForm.Value {
			params[k] = v[0]
		}
	}
	var result any = true
	if method == "sendMessage" || method == "editMessageText" {
		chat := params["chat_id"]
		c.mu.Lock()
		blocked := c.blocked[chat]
		if method == "sendMessage" && !blocked {
			c.msgs = append(c.msgs, chatMsg{To: "telegram:" + chat, Text: params["text"], Actions: actions(params["reply_markup"]),
				Raw: params["text"] + "\n" + params["reply_markup"]})
		}
		c.ts++
		id := c.ts
		c.mu.Unlock()
		if blocked {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`)
			return
		}
		n, _ := strconv.ParseInt(chat, 10, 64)
		result = map[string]any{"message_id": id, "date": 1, "chat": map[string]any{"id": n, "type": "private"}}
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// count is how many messages have been posted.
func (c *chatAPI) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.msgs)
}

// sent returns the messages posted so far to a recipient ("" for all).
func (c *chatAPI) sent(to string) []chatMsg {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []chatMsg
	for _, m := range c.msgs {
		if to == "" || m.To == to {
			out = append(out, m)
		}
	}
	return out
}

// skewedClock is the real time moved by a fixed offset: River schedules
// on the real clock, while the services' "snooze 1h" lands seconds away.
type skewedClock struct{ by time.Duration }

func (c skewedClock) Now() time.Time { return time.Now().UTC().Add(c.by) }

// noticeEnv is one leadwire replica as serve wires it: the services over
// a database, the Slack and Telegram adapters talking to the stand-in,
// and a River client running the jobs.
type noticeEnv struct {
	ctx     context.Context
	db      *storage.DB
	svc     *core.Service
	slack   *slackbot.Adapter
	tg      *telegrambot.Adapter
	mux     *http.ServeMux
	metrics *noticeMetrics
	jobs    *river.Client[*sql.Tx]
}

var noticeDirectory = core.OrgDef{
	Teams: []core.TeamDef{{Name: "Bangkok", Region: "TH"}},
	Users: []core.UserDef{
		{Email: "niran@example.com", Name: "Niran", Team: "Bangkok", TimeZone: "Asia/Bangkok", SlackID: "U0NIRAN", TelegramID: 7001},
		{Email: "zofia@example.com", Name: "Zofia", Team: "Bangkok", TimeZone: "Europe/Warsaw", SlackID: "U0GONE", TelegramID: 7002},
	},
}

func newNoticeEnv(t testing.TB, db *storage.DB, api *chatAPI, clock core.Clock, dir core.OrgDef) *noticeEnv {
	t.Helper()
	ctx := context.Background()
	settings := core.DefaultSettings()
	settings.Channels = []string{core.ChannelSlack, core.ChannelTelegram}
	svc := core.NewService(db, clock, settings, nil)
	if err := svc.Directory.Sync(ctx, dir); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	slack := slackbot.New(bot.NewConversation(svc, nil, bot.Options{Prefix: slackbot.Prefix("")}), svc,
		slackbot.Options{BotToken: "xoxb-test", SigningSecret: noticeSecret, APIURL: api.srv.URL + "/api/"})
	tg, err := telegrambot.New(bot.NewConversation(svc, nil, bot.Options{Prefix: telegrambot.Prefix}), svc,
		telegrambot.Options{Token: noticeToken, APIURL: api.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	e := &noticeEnv{ctx: ctx, db: db, svc: svc, slack: slack, tg: tg, mux: http.NewServeMux(), metrics: newNoticeMetrics()}
	for pattern, h := range slack.Routes() {
		e.mux.HandleFunc(pattern, h)
	}
	h := core.NewHandlers()
	addNewLead(h, svc)
	addNotices(h, svc, notifiers(slack, tg), e.metrics)
	jobs, err := db.NewJobs(h, log)
	if err != nil {
		t.Fatal(err)
	}
	e.jobs = jobs.River()
	if err := e.jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		e.jobs.Stop(ctx)
	})
	return e
}

func (e *noticeEnv) user(t testing.TB, email string) *core.User {
	t.Helper()
	u, err := e.db.UserByEmail(e.ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// pressInSlack presses a button on a DM as Slack does: a signed
// block_actions payload to /slack/interactions.
func (e *noticeEnv) pressInSlack(t testing.TB, slackID, code string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": slackID, "team_id": "T0ACME"}, "api_app_id": "A0LW",
		"container": map[string]any{"type": "message", "message_ts": "1793610000.000001", "channel_id": "D0" + slackID, "is_ephemeral": false},
		"channel":   map[string]any{"id": "D0" + slackID},
		"actions": []map[string]any{{"type": "button", "action_id": code, "block_id": "b1", "value": code,
			"text": map[string]any{"type": "plain_text", "text": "Press"}, "action_ts": "1793610000.000002"}},
	})
	body := url.Values{"payload": {string(b)}}.Encode()
	r := httptest.NewRequest(http.MethodPost, "/slack/interactions", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(noticeSecret))
	io.WriteString(mac, "v0:"+stamp+":"+body)
	r.Header.Set("X-Slack-Request-Timestamp", stamp)
	r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	rec := httptest.NewRecorder()
	e.mux.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		t.Fatalf("press %s: %d %s", code, rec.Code, rec.Body)
	}
}

// pressInTelegram presses an inline button on a private chat's message.
func (e *noticeEnv) pressInTelegram(telegramID int64, code string) {
	e.tg.HandleUpdate(e.ctx, &models.Update{ID: 1, CallbackQuery: &models.CallbackQuery{ID: "q-" + code,
		From: models.User{ID: telegramID}, Data: code, Message: models.MaybeInaccessibleMessage{
			Message: &models.Message{ID: 1, Chat: models.Chat{ID: telegramID, Type: models.ChatTypePrivate}}}}})
}

// waitFor polls cond until it holds, failing the test after a deadline.
func waitFor(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	if !wait.Until(within, cond) {
		if e, ok := t.(interface{ dump() }); ok {
			e.dump()
		}
		t.Fatalf("waited %s for %s", within, what)
	}
}

// reminders keeps the messages that remind of a task.
func reminders(msgs []chatMsg, taskID int64) []chatMsg {
	var out []chatMsg
	done := fmt.Sprintf("done:T%d", taskID)
	for _, m := range msgs {
		if slices.Contains(m.Actions, done) {
			out = append(out, m)
		}
	}
	return out
}

// jobState is the state of a task's reminder job for a due time.
func (e *noticeEnv) jobState(t testing.TB, taskID int64, due time.Time) string {
	t.Helper()
	res, err := e.jobs.JobList(e.ctx, river.NewJobListParams().Kinds("reminder").First(1000))
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range res.Jobs {
		var j core.ReminderJob
		json.Unmarshal(row.EncodedArgs, &j)
		if j.TaskID == taskID && j.DueAt.Equal(due.Truncate(time.Microsecond)) {
			return string(row.State)
		}
	}
	return "none"
}

// TestRemindersEndToEnd runs reminders as serve does, on SQLite with a
// real River client, against the Slack and Telegram stand-in. The
// services' clock runs an hour less a minute behind, so that the
// reminder's "Snooze 1h" button (the conversation reads it to the
// minute) snoozes to the next minute of real time.
func TestRemindersEndToEnd(t *testing.T) {
	t.Parallel()
	api := newChatAPI(t)
	api.slack.RefuseChannel("U0GONE", "channel_not_found")
	e := newNoticeEnv(t, storagetest.SQLite(t), api, skewedClock{by: -time.Hour + time.Minute}, noticeDirectory)
	niran, zofia := e.user(t, "niran@example.com"), e.user(t, "zofia@example.com")

	task, err := e.svc.AddTask(e.ctx, niran, "Call Somsak back", time.Now().Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a due task reminds its owner once in Slack and in Telegram, with Done and Snooze", func(t *testing.T) {
		waitFor(t, 20*time.Second, "the reminder", func() bool {
			return len(reminders(api.sent("slack:U0NIRAN"), task.ID)) == 1 && len(reminders(api.sent("telegram:7001"), task.ID)) == 1
		})
		for _, m := range []chatMsg{reminders(api.sent("slack:U0NIRAN"), task.ID)[0], reminders(api.sent("telegram:7001"), task.ID)[0]} {
			if !slices.Contains(m.Actions, fmt.Sprintf("snooze:T%d:1h", task.ID)) || !strings.Contains(m.Raw, "Call Somsak back") {
				t.Fatalf("%s got %+v", m.To, m)
			}
		}
	})
	t.Run("pressing Snooze in Slack brings a second reminder at the new time", func(t *testing.T) {
		e.pressInSlack(t, "U0NIRAN", fmt.Sprintf("snooze:T%d:1h", task.ID))
		snoozed, err := e.db.TaskByID(e.ctx, task.ID)
		if err != nil || snoozed.SnoozedUntil.IsZero() {
			t.Fatalf("not snoozed: %+v, %v", snoozed, err)
		}
		defer func() {
			if t.Failed() {
				dumpJobs(t, e)
			}
		}()
		waitFor(t, 90*time.Second, "the second reminder", func() bool {
			return len(reminders(api.sent("slack:U0NIRAN"), task.ID)) == 2 && len(reminders(api.sent("telegram:7001"), task.ID)) == 2
		})
		waitFor(t, 20*time.Second, "the snoozed reminder's job to complete", func() bool {
			return e.jobState(t, task.ID, snoozed.SnoozedUntil) == "completed"
		})
	})

	later, err := e.svc.AddTask(e.ctx, niran, "Send the quote", time.Now().Add(3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("pressing Done in Telegram and the pending reminder never arrives", func(t *testing.T) {
		e.pressInTelegram(7001, fmt.Sprintf("done:T%d", later.ID))
		if got, _ := e.db.TaskByID(e.ctx, later.ID); !got.Done {
			t.Fatal("Done did not complete the task")
		}
		waitFor(t, 20*time.Second, "the reminder job to run", func() bool { return e.jobState(t, later.ID, later.DueAt) == "completed" })
		if got := reminders(api.sent(""), later.ID); len(got) != 0 {
			t.Fatalf("a done task was reminded: %+v", got)
		}
	})
	t.Run("an undeliverable Slack DM tells the user on Telegram and is counted", func(t *testing.T) {
		gone, err := e.svc.AddTask(e.ctx, zofia, "Visit Kraków office", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, 20*time.Second, "the warning on Telegram", func() bool {
			for _, m := range api.sent("telegram:7002") {
				if strings.Contains(m.Text, "could not reach you on Slack") && strings.Contains(m.Text, "channel_not_found") {
					return true
				}
			}
			return false
		})
		if got := reminders(api.sent("telegram:7002"), gone.ID); len(got) != 1 {
			t.Fatalf("telegram reminders %+v", got)
		}
		// The stand-in has the message before the worker counts it.
		waitForCount(t, e.metrics.failed.WithLabelValues("slack", "reminder"), "leadwire_notice_failures_total{slack,reminder}", 1)
		waitForCount(t, e.metrics.delivered.WithLabelValues("telegram", "channel_failing"), "leadwire_notices_total{telegram,channel_failing}", 1)
	})
	t.Run("every reminder went out once per due time", func(t *testing.T) {
		waitForCount(t, e.metrics.delivered.WithLabelValues("slack", "reminder"), "slack reminders delivered", 2)
		waitForCount(t, e.metrics.delivered.WithLabelValues("telegram", "reminder"), "telegram reminders delivered", 3)
	})
}

// waitForCount waits for a counter to reach want, then checks that it
// did not pass it.
func waitForCount(t *testing.T, c prometheus.Counter, name string, want float64) {
	t.Helper()
	waitFor(t, 20*time.Second, name, func() bool { return testutil.ToFloat64(c) >= want })
	if n := testutil.ToFloat64(c); n != want {
		t.Fatalf("%s = %v, want %v", name, n, want)
	}
}

func dumpJobs(t testing.TB, e *noticeEnv) {
	res, _ := e.jobs.JobList(e.ctx, river.NewJobListParams().First(1000).States(rivertype.JobStates()...))
	for _, r := range res.Jobs {
		t.Logf("job %d %s %s sched=%v now=%v args=%s errs=%v", r.ID, r.Kind, r.State, r.ScheduledAt, time.Now().UTC(), r.EncodedArgs, r.Errors)
	}
}

// TestNotifyWorkerRetriesThenGivesUp drives the notify worker by hand: a
// Slack failure that may pass is retried until the last attempt, which is
// final like an undeliverable one.
func TestNotifyWorkerRetriesThenGivesUp(t *testing.T) {
	api := newChatAPI(t)
	api.slack.RefuseChannel("U0NIRAN", "internal_error")
	db := storagetest.SQLite(t)
	settings := core.DefaultSettings()
	settings.Channels = []string{core.ChannelSlack, core.ChannelTelegram}
	svc := core.NewService(db, nil, settings, nil)
	if err := svc.Directory.Sync(context.Background(), noticeDirectory); err != nil {
		t.Fatal(err)
	}
	slack := slackbot.New(bot.NewConversation(svc, nil, bot.Options{}), svc, slackbot.Options{BotToken: "xoxb-test", APIURL: api.srv.URL + "/api/"})
	metrics := newNoticeMetrics()
	w := svc.Notices.NewNoticeSender(map[string]core.Notifier{core.ChannelSlack: slack}, metrics)
	niran, err := db.UserByEmail(context.Background(), "niran@example.com")
	if err != nil {
		t.Fatal(err)
	}
	n := core.Notice{Kind: core.NoticeText, UserID: niran.ID, Text: "Quarter closes Friday", Key: "text:1"}
	job := func(attempt int) (core.NotifyJob, core.JobInfo) {
		return core.NotifyJob{Channel: core.ChannelSlack, Notice: n}, core.JobInfo{Attempt: attempt, MaxAttempts: 25}
	}
	t.Run("an attempt before the last is retried", func(t *testing.T) {
		j, info := job(3)
		err := w.Handle(context.Background(), j, info)
		if err == nil || core.IsPermanent(err) || errors.Is(err, core.ErrUndeliverable) {
			t.Fatalf("got %v, want an error River retries", err)
		}
		if got := testutil.ToFloat64(metrics.failed.WithLabelValues("slack", "text")); got != 0 {
			t.Fatalf("counted %v failures", got)
		}
	})
	t.Run("the last attempt is final: counted, and the user told on Telegram", func(t *testing.T) {
		// Zofia's DM, as Niran's had its turn within the second.
		api.slack.RefuseChannel("U0GONE", "internal_error")
		zofia, err := db.UserByEmail(context.Background(), "zofia@example.com")
		if err != nil {
			t.Fatal(err)
		}
		n.UserID = zofia.ID
		j, info := job(25)
		err = w.Handle(context.Background(), j, info)
		if !core.IsPermanent(err) {
			t.Fatalf("got %v, want the job cancelled", err)
		}
		if got := testutil.ToFloat64(metrics.failed.WithLabelValues("slack", "text")); got != 1 {
			t.Fatalf("counted %v failures", got)
		}
		jobs, err := river.NewClient(db.RiverDriver(), &river.Config{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := jobs.JobList(context.Background(), river.NewJobListParams().Kinds("notify"))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Jobs) != 1 || !strings.Contains(string(res.Jobs[0].EncodedArgs), `"channel":"telegram"`) ||
			!strings.Contains(string(res.Jobs[0].EncodedArgs), "channel_failing") {
			t.Fatalf("jobs %+v", res.Jobs)
		}
	})
}

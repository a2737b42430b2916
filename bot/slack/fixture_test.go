package slack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"leadwire/bot"
	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/internal/slacktest"
	"leadwire/storage"
)

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

// start is the conversation's clock: Monday 2 November 2026, 09:00 UTC.
// Signatures use the real time, as Slack does.
var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// call is one request the Slack stand-in received.
type call = slacktest.Call

// api is the Slack Web API stand-in; it also serves response_urls under
// /response/.
type api struct{ *slacktest.Server }

func newAPI(t testing.TB) *api { return &api{slacktest.New(t)} }

// take returns the calls recorded since the last take, and forgets them.
func (a *api) take() []call { return a.Take() }

// await polls the stand-in until it has recorded n calls, and takes them.
func (a *api) await(n int) []call { return a.Await(n) }

func methods(calls []call) []string { return slacktest.Methods(calls) }

// world is the adapter over a real database, with two teams: Bangkok
// (channel C0BKK: manager Somchai, reps Niran and Pim) and Warsaw (channel
// C0WAW: rep Zofia), and Ada, an admin with no Slack id yet.
type world struct {
	t       *testing.T
	ctx     context.Context
	db      *storage.DB
	svc     *core.Service
	conv    *bot.Conversation
	api     *api
	adapter *Adapter
	mux     *http.ServeMux
	users   map[string]*core.User
	sent    int // requests sent, to make each trigger_id unique as Slack's are
}

func newWorld(t *testing.T, db *storage.DB, autoProvision bool) *world {
	t.Helper()
	ctx := context.Background()
	settings := core.DefaultSettings()
	settings.TimeZone = "Asia/Bangkok"
	svc := core.NewService(db, clocktest.New(start), settings, nil)
	dir := core.OrgDef{
		Teams: []core.TeamDef{{Name: "Bangkok", Manager: "somchai@example.com", Region: "TH", SlackChannel: "C0BKK"},
			{Name: "Warsaw", Region: "PL", SlackChannel: "C0WAW"}},
		Users: []core.UserDef{
			{Email: "ada@example.com", Name: "Ada", Role: core.RoleAdmin, TimeZone: "Europe/Warsaw"},
			{Email: "somchai@example.com", Name: "Somchai", Role: core.RoleManager, Team: "Bangkok", TimeZone: "Asia/Bangkok", SlackID: "U0SOMCHAI"},
			{Email: "niran@example.com", Name: "Niran Srisuk", Team: "Bangkok", TimeZone: "Asia/Bangkok", SlackID: "U0NIRAN"},
			{Email: "pim@example.com", Name: "Pim Jaidee", Team: "Bangkok", TimeZone: "Asia/Bangkok", SlackID: "U0PIM"},
			{Email: "zofia@example.com", Name: "Zofia Nowak", Team: "Warsaw", TimeZone: "Europe/Warsaw", SlackID: "U0ZOFIA"},
		},
		Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
			{Name: "Prospecting", Probability: 10, RotDays: 7}, {Name: "Qualified", Probability: 25},
			{Name: "Proposal", Probability: 60}}}},
	}
	if err := svc.Directory.Sync(ctx, dir); err != nil {
		t.Fatalf("sync: %v", err)
	}
	w := &world{t: t, ctx: ctx, db: db, svc: svc, api: newAPI(t), users: map[string]*core.User{}}
	w.conv = bot.NewConversation(svc, nil, bot.Options{Prefix: Prefix("")})
	w.adapter = New(w.conv, svc, Options{BotToken: "xoxb-test", SigningSecret: secret, AutoProvision: autoProvision,
		APIURL: w.api.APIURL()})
	w.adapter.skipLocales = true // the tests count Slack calls; TestSlackLocale turns it on
	w.mux = http.NewServeMux()
	for pattern, h := range w.adapter.Routes() {
		w.mux.HandleFunc(pattern, h)
	}
	for _, name := range []string{"ada", "somchai", "niran", "pim", "zofia"} {
		u, err := db.UserByEmail(ctx, name+"@example.com")
		if err != nil {
			t.Fatal(err)
		}
		w.users[name] = u
	}
	return w
}

// lead captures a web form lead for a team.
func (w *world) lead(team, name, email string) int64 {
	w.t.Helper()
	res, err := w.svc.Capture(w.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: email,
		Name: name, Email: email, Company: "Siam Widgets", Team: team, Subject: "Pricing for 50 seats",
		Text: "Hello, please send a quote.", ReceivedAt: start.Add(-time.Hour)})
	if err != nil || !res.NewLead {
		w.t.Fatalf("capture %s: %+v, %v", email, res, err)
	}
	return res.LeadID
}

// deal captures a lead for the team and has the rep claim and qualify it.
func (w *world) deal(team, rep, email string) int64 {
	w.t.Helper()
	id := w.lead(team, "Somsak", email)
	u := w.users[rep]
	if _, err := w.svc.Claim(w.ctx, u, id); err != nil {
		w.t.Fatal(err)
	}
	d, err := w.svc.Qualify(w.ctx, u, id, core.QualifyInput{})
	if err != nil {
		w.t.Fatal(err)
	}
	return d.ID
}

// sign sets Slack's signature headers on r for body, at ts, with key.
func sign(r *http.Request, body, key string, ts time.Time) {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(key))
	io.WriteString(mac, "v0:"+stamp+":"+body)
	r.Header.Set("X-Slack-Request-Timestamp", stamp)
	r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

// send posts a signed request to the adapter, as Slack does.
func (w *world) send(path, contentType, body string, header http.Header) *httptest.ResponseRecorder {
	w.t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	sign(r, body, secret, time.Now())
	for k, v := range header {
		r.Header[k] = v
	}
	rec := httptest.NewRecorder()
	w.mux.ServeHTTP(rec, r)
	return rec
}

// command sends a slash command, form-encoded as Slack does.
func (w *world) command(slackID, text string) *httptest.ResponseRecorder {
	w.t.Helper()
	return w.commandVia(slackID, text, "/response/cmd")
}

// commandVia sends a slash command whose response_url has the path.
func (w *world) commandVia(slackID, text, responsePath string) *httptest.ResponseRecorder {
	w.t.Helper()
	w.sent++
	form := url.Values{"token": {"legacy"}, "team_id": {"T0ACME"}, "team_domain": {"acme"}, "channel_id": {"C0BKK"},
		"channel_name": {"bkk-leads"}, "user_id": {slackID}, "user_name": {"someone"}, "command": {"/lw"}, "text": {text},
		"api_app_id": {"A0LW"}, "response_url": {w.api.URL + responsePath}, "trigger_id": {fmt.Sprintf("13345224609.738474920.%d", w.sent)}}
	return w.send("/slack/commands", "application/x-www-form-urlencoded", form.Encode(), nil)
}

// interaction sends an interactivity payload, as payload=JSON.
func (w *world) interaction(payload map[string]any) *httptest.ResponseRecorder {
	w.t.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.send("/slack/interactions", "application/x-www-form-urlencoded", url.Values{"payload": {string(b)}}.Encode(), nil)
}

// pressIn is a block_actions payload for a button pressed on a message in
// a channel.
func (w *world) pressIn(slackID, channel, ts, code string) map[string]any {
	return map[string]any{
		"type": "block_actions", "user": map[string]any{"id": slackID, "username": "someone", "team_id": "T0ACME"},
		"api_app_id": "A0LW", "trigger_id": "13345224609.738474920.8088930838d88f008e0",
		"container":    map[string]any{"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": false},
		"channel":      map[string]any{"id": channel, "name": "bkk-leads"},
		"message":      map[string]any{"type": "message", "ts": ts, "text": "New lead"},
		"response_url": w.api.URL + "/response/press",
		"actions": []map[string]any{{"type": "button", "action_id": code, "block_id": "b3", "value": code,
			"text": map[string]any{"type": "plain_text", "text": "Press"}, "action_ts": "1793610000.000001"}},
	}
}

// event sends an Events API callback with the inner event.
func (w *world) event(id string, inner map[string]any, header http.Header) *httptest.ResponseRecorder {
	w.t.Helper()
	b, _ := json.Marshal(map[string]any{"token": "legacy", "team_id": "T0ACME", "api_app_id": "A0LW", "event": inner,
		"type": "event_callback", "event_id": id, "event_time": start.Unix(), "authorizations": []any{}})
	return w.send("/slack/events", "application/json", string(b), header)
}

// reply decodes a slash command's response.
func reply(t *testing.T, rec *httptest.ResponseRecorder) (responseType, all string) {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var m struct {
		ResponseType string `json:"response_type"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("response %s: %v", rec.Body, err)
	}
	return m.ResponseType, rec.Body.String()
}

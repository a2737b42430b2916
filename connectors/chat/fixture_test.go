package chat_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"leadwire/connectors/chat"
	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/internal/tgtest"
	"leadwire/storage"
)

const (
	intakeToken = "999001:INTAKE-token"
	repsToken   = "999002:REPS-token"
)

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// world is the intake bot over a real database, with team Bangkok
// (manager Somchai, rep Niran, linked to Telegram 111) and a Bot API
// stand-in serving both the intake bot and the reps' bot.
type world struct {
	t      *testing.T
	ctx    context.Context
	db     *storage.DB
	svc    *core.Service
	api    *tgtest.Server
	intake *chat.Telegram
	users  map[string]*core.User
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
	settings.Channels = []string{core.ChannelTelegram} // the team's group hears of new leads
	svc := core.NewService(db, clocktest.New(start), settings, nil)
	dir := core.OrgDef{
		Teams: []core.TeamDef{{Name: "Bangkok", Manager: "somchai@example.com", Region: "TH", TelegramChat: "-100500"}},
		Users: []core.UserDef{
			{Email: "somchai@example.com", Name: "Somchai", Role: core.RoleManager, Team: "Bangkok", TimeZone: "Asia/Bangkok"},
			{Email: "niran@example.com", Name: "Niran Srisuk", Team: "Bangkok", TimeZone: "Asia/Bangkok", TelegramID: 111},
		},
		Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
			{Name: "Prospecting", Probability: 10}, {Name: "Proposal", Probability: 60}}}},
	}
	if err := svc.Directory.Sync(ctx, dir); err != nil {
		t.Fatalf("sync: %v", err)
	}
	w := &world{t: t, ctx: ctx, db: db, svc: svc, api: tgtest.New(t), users: map[string]*core.User{}}
	w.api.Username(intakeToken, "acme_hello_bot")
	w.intake, err = chat.NewTelegram(svc, chat.TelegramOptions{Token: intakeToken, APIURL: w.api.URL, PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"somchai", "niran"} {
		u, err := db.UserByEmail(ctx, name+"@example.com")
		if err != nil {
			t.Fatal(err)
		}
		w.users[name] = u
	}
	return w
}

// prospect is a private message from a prospect to the intake bot.
func prospect(from int64, msgID int, text string) map[string]any {
	return map[string]any{"message": map[string]any{"message_id": msgID, "date": tgtest.Date, "text": text,
		"from": map[string]any{"id": from, "is_bot": false, "first_name": "Dariush", "last_name": "Karimi",
			"username": "dariush_k", "language_code": "fa"},
		"chat": map[string]any{"id": from, "type": "private", "first_name": "Dariush"}}}
}

// update decodes an update as the Bot API sends it.
func update(t *testing.T, id int64, u map[string]any) *models.Update {
	t.Helper()
	u["update_id"] = id
	b, _ := json.Marshal(u)
	var upd models.Update
	if err := json.Unmarshal(b, &upd); err != nil {
		t.Fatal(err)
	}
	return &upd
}

// handle gives the intake bot one update and returns the calls it made.
func (w *world) handle(id int64, u map[string]any) []tgtest.Call {
	w.t.Helper()
	w.api.Take()
	if err := w.intake.HandleUpdate(w.ctx, update(w.t, id, u)); err != nil {
		w.t.Fatal(err)
	}
	return w.api.Take()
}

// job is one job River holds.
type job struct {
	Kind string
	Args json.RawMessage
}

// jobs lists the jobs enqueued so far, oldest first.
func (w *world) jobs() []job {
	w.t.Helper()
	rows, err := w.db.SQL().QueryContext(w.ctx, `SELECT kind, json(args) FROM river_job ORDER BY id`)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	var out []job
	for rows.Next() {
		var j job
		var args []byte
		if err := rows.Scan(&j.Kind, &args); err != nil {
			w.t.Fatal(err)
		}
		j.Args = args
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		w.t.Fatal(err)
	}
	return out
}

// jobsOf lists the enqueued jobs of a kind.
func (w *world) jobsOf(kind string) []job {
	var out []job
	for _, j := range w.jobs() {
		if j.Kind == kind {
			out = append(out, j)
		}
	}
	return out
}

// newLeadNotices are the new-lead notices enqueued, on any channel.
func (w *world) newLeadNotices() []core.NotifyJob {
	w.t.Helper()
	var out []core.NotifyJob
	for _, j := range w.jobsOf(core.NotifyJob{}.Kind()) {
		var n core.NotifyJob
		if err := json.Unmarshal(j.Args, &n); err != nil {
			w.t.Fatal(err)
		}
		if n.Notice.Kind == core.NoticeNewLead {
			out = append(out, n)
		}
	}
	return out
}

// replyJob is the newest chat reply job, as River would hand it to the
// worker.
func (w *world) replyJob() core.ChatReplyJob {
	w.t.Helper()
	js := w.jobsOf(core.ChatReplyJob{}.Kind())
	if len(js) == 0 {
		w.t.Fatal("no chat reply job enqueued")
	}
	var args core.ChatReplyJob
	if err := json.Unmarshal(js[len(js)-1].Args, &args); err != nil {
		w.t.Fatal(err)
	}
	return args
}

// timeline is the activities of a lead, oldest first.
func (w *world) timeline(lead int64) []core.Activity {
	w.t.Helper()
	acts, err := w.db.ListActivities(w.ctx, core.ActivityFilter{LeadID: lead})
	if err != nil {
		w.t.Fatal(err)
	}
	for i, j := 0, len(acts)-1; i < j; i, j = i+1, j-1 {
		acts[i], acts[j] = acts[j], acts[i]
	}
	return acts
}

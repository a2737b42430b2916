package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"leadwire/bot"
	"leadwire/cmd/leadwire/config"
	"leadwire/connectors/chat"
	"leadwire/core"
	"leadwire/internal/tgpoll"
	"leadwire/internal/tgtest"
	"leadwire/internal/wait"
	"leadwire/storage"
)

// TestReplyReachesTheProspectThroughTheQueue runs the intake bot and the
// job queue as serve wires them: a prospect writes to the intake bot, a
// rep answers with reply L1, and River hands the reply to the intake bot.
func TestReplyReachesTheProspectThroughTheQueue(t *testing.T) {
	ctx := context.Background()
	const token = "77:INTAKE"
	api := tgtest.New(t)
	db, err := storage.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "lw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := core.NewService(db, nil, core.DefaultSettings(), nil)
	if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: []core.TeamDef{{Name: "Bangkok", Region: "TH"}},
		Users: []core.UserDef{{Email: "niran@example.com", Name: "Niran", Team: "Bangkok"}}}); err != nil {
		t.Fatal(err)
	}
	intake, err := chat.NewTelegram(svc, chat.TelegramOptions{Token: token, APIURL: api.URL, PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	h := core.NewHandlers()
	addNewLead(h, svc)
	addChatReplies(h, svc, intake, nil, nil, log)
	jobs, err := db.NewJobs(h, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { jobs.Stop(context.Background()) })

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- intake.Run(runCtx) }()
	api.Queue(token, 1, tgtest.Text(4242, 1, "ขอใบเสนอราคา 50 ที่นั่ง"))
	wait.For(t, "the prospect's lead", func() bool {
		leads, err := db.ListLeads(ctx, core.LeadFilter{})
		return err == nil && len(leads) == 1
	})
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	niran, err := db.UserByEmail(ctx, "niran@example.com")
	if err != nil {
		t.Fatal(err)
	}
	conv := bot.NewConversation(svc, nil, bot.Options{})
	if r := conv.Handle(ctx, niran, "reply L1 สวัสดีครับ ส่งให้พรุ่งนี้"); r.Tone != bot.ToneGood {
		t.Fatalf("reply: %+v", r)
	}
	var sent []tgtest.Call
	wait.For(t, "the reply on Telegram", func() bool {
		sent = append(sent, tgtest.Only(api.Take(), "sendMessage")...)
		return len(sent) > 0
	})
	if len(sent) != 1 || sent[0].Token != token || sent[0].Params["chat_id"] != "4242" || sent[0].Params["text"] != "สวัสดีครับ ส่งให้พรุ่งนี้" {
		t.Fatalf("sent %+v", sent)
	}
}

// TestIntakeLeadsGoToTheConfiguredTeams routes the intake bot's leads to
// telegram.intake_team and each Slack intake channel's to its team, with
// a channel given by its id alone going to the first team.
func TestIntakeLeadsGoToTheConfiguredTeams(t *testing.T) {
	ctx := context.Background()
	const token = "77:INTAKE"
	api := tgtest.New(t)
	dir := t.TempDir()
	cfg, err := config.Parse(fmt.Appendf(nil, ioConfig+`telegram:
  intake_token: "%s"
  api_url: %s
  intake_team: warsaw
slack:
  bot_token: xoxb-1
  signing_secret: s
  intake_channels:
    - C0GENERAL
    - {id: C0POLSKA, team: Warsaw}
`, filepath.Join(dir, "lw.db"), token, api.URL), "leadwire.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := storage.OpenAndMigrate(ctx, filepath.Join(dir, "lw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.DiscardHandler)
	svc := core.NewService(db, nil, cfg.Settings(), log)
	if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: cfg.Teams(), Users: cfg.Users(), Pipelines: cfg.Pipelines()}); err != nil {
		t.Fatal(err)
	}
	a := &App{ctx: ctx, cfg: cfg, db: db, svc: svc, log: log}

	intake, err := a.telegramIntake()
	if err != nil {
		t.Fatal(err)
	}
	var upd models.Update
	raw, _ := json.Marshal(map[string]any{"update_id": 1, "message": tgtest.Text(4242, 1, "Dzień dobry, prosimy o ofertę")["message"]})
	if err := json.Unmarshal(raw, &upd); err != nil {
		t.Fatal(err)
	}
	if err := intake.HandleUpdate(ctx, &upd); err != nil {
		t.Fatal(err)
	}
	capture := slackIntake(svc, cfg.Slack.IntakeTeams())
	for _, m := range []core.SlackMessage{
		{Channel: "C0POLSKA", TS: "1793610000.000100", User: "U0ANNA", Name: "Anna Nowak", Text: "Ile kosztuje licencja?"},
		{Channel: "C0GENERAL", TS: "1793610001.000100", User: "U0SOMSAK", Name: "สมศักดิ์", Text: "สนใจครับ"},
	} {
		if _, err := capture(ctx, m); err != nil {
			t.Fatal(err)
		}
	}

	teams := map[int64]string{}
	for _, tm := range cfg.Teams() {
		team, err := db.TeamByName(ctx, tm.Name)
		if err != nil {
			t.Fatal(err)
		}
		teams[team.ID] = team.Name
	}
	got := map[string]string{}
	leads, err := db.ListLeads(ctx, core.LeadFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range leads {
		got[l.SourceChannel+" "+l.SourceName] = teams[l.TeamID]
	}
	want := map[string]string{"telegram " + chat.TelegramSource: "Warsaw", "slack C0POLSKA": "Warsaw", "slack C0GENERAL": "Bangkok"}
	if !maps.Equal(got, want) {
		t.Errorf("teams by source %v, want %v", got, want)
	}
}

// TestServeInWebhookModeTakesBothBotsUpdatesOverHTTP runs serve with
// telegram.mode webhook: both bots register their webhooks under
// http.public_url and neither polls; a prospect's message posted to
// /telegram/intake becomes a lead.
func TestServeInWebhookModeTakesBothBotsUpdatesOverHTTP(t *testing.T) {
	const reps, intake, secret = "11:REPS", "22:INTAKE", "hook-s3cret"
	api := tgtest.New(t)
	e := newIOEnv(t)
	cfg := fmt.Sprintf(ioConfig, e.dbPath) + fmt.Sprintf(`http:
  public_url: https://leads.example.com/
telegram:
  bot_token: "%s"
  intake_token: "%s"
  mode: webhook
  webhook_secret: %s
  api_url: %s
`, reps, intake, secret, api.URL)
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := serveInBackground(t, e)

	hooks := map[string]string{}
	var polled int
	wait.For(t, "both webhooks registered", func() bool {
		for _, c := range api.Take() {
			switch c.Method {
			case "setWebhook":
				hooks[c.Token] = c.Params["url"]
			case "getUpdates":
				polled++
			}
		}
		return len(hooks) == 2
	})
	if hooks[reps] != "https://leads.example.com/telegram/webhook" || hooks[intake] != "https://leads.example.com/telegram/intake" {
		t.Errorf("webhooks %v", hooks)
	}
	if polled > 0 {
		t.Errorf("%d getUpdates calls in webhook mode", polled)
	}

	body, _ := json.Marshal(map[string]any{"update_id": 9, "message": tgtest.Text(4242, 1, "Xin chào, tôi cần báo giá")["message"]})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+chat.IntakeWebhookPath, bytes.NewReader(body))
	req.Header.Set(tgpoll.SecretHeader, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("intake webhook answered %d", resp.StatusCode)
	}
	out := e.ok("leads", "list", "--json").out
	if !strings.Contains(out, `"source": "telegram"`) || !strings.Contains(out, "Xin chào, tôi cần báo giá") {
		t.Fatalf("no Telegram lead from the webhook update:\n%s", out)
	}
}

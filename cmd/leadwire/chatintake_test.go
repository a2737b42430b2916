package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"leadwire/bot"
	"leadwire/connectors/chat"
	"leadwire/core"
	"leadwire/internal/tgtest"
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
	if err := svc.Sync(ctx, core.Directory{Teams: []core.TeamDef{{Name: "Bangkok", Region: "TH"}},
		Users: []core.UserDef{{Email: "niran@example.com", Name: "Niran", Team: "Bangkok"}}}); err != nil {
		t.Fatal(err)
	}
	intake, err := chat.NewTelegram(svc, chat.TelegramOptions{Token: token, APIURL: api.URL, PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	workers := jobWorkers(nil, nil, log)
	addChatWorkers(workers, svc, intake, nil, log)
	jobs, err := newJobClient(db, workers, log)
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
	chatWait(t, "the prospect's lead", func() bool {
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
	chatWait(t, "the reply on Telegram", func() bool {
		sent = append(sent, tgtest.Only(api.Take(), "sendMessage")...)
		return len(sent) > 0
	})
	if len(sent) != 1 || sent[0].Token != token || sent[0].Params["chat_id"] != "4242" || sent[0].Params["text"] != "สวัสดีครับ ส่งให้พรุ่งนี้" {
		t.Fatalf("sent %+v", sent)
	}
}

// chatWait polls cond until it holds, failing after a deadline.
func chatWait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s", what)
		}
		time.Sleep(10 * time.Millisecond) // polling, with a deadline
	}
}

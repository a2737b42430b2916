package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"leadwire/bot"
	telegrambot "leadwire/bot/telegram"
	"leadwire/core"
	"leadwire/internal/wait"
	"leadwire/storage"
)

// TestNewLeadReachesTelegramThroughTheQueue runs the job queue as serve
// does: a captured lead's new-lead notice posts the card to the team's
// group once, and a telegram_new_lead job an earlier version queued for
// the same lead announces the same notice, deduplicated.
func TestNewLeadReachesTelegramThroughTheQueue(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var posts []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/sendMessage") {
			r.ParseMultipartForm(1 << 20)
			mu.Lock()
			posts = append(posts, r.FormValue("chat_id")+" "+r.FormValue("text"))
			mu.Unlock()
		}
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": map[string]any{"message_id": 1, "date": 1,
			"chat": map[string]any{"id": -100500, "type": "group"}}})
	}))
	t.Cleanup(api.Close)

	db, err := storage.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "lw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	settings := core.DefaultSettings()
	settings.Channels = []string{core.ChannelTelegram}
	svc := core.NewService(db, nil, settings, nil)
	if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: []core.TeamDef{{Name: "Bangkok", Region: "TH", TelegramChat: "-100500"}},
		Users: []core.UserDef{{Email: "niran@example.com", Name: "Niran", Team: "Bangkok"}}}); err != nil {
		t.Fatal(err)
	}
	conv := bot.NewConversation(svc, nil, bot.Options{Prefix: telegrambot.Prefix})
	tg, err := telegrambot.New(conv, svc, telegrambot.Options{Token: "1:T", APIURL: api.URL})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	h := core.NewHandlers()
	addNewLead(h, svc)
	addNotices(h, svc, notifiers(nil, tg), nil)
	jobs, err := db.NewJobs(h, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { jobs.Stop(context.Background()) })

	res, err := svc.Capture(ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "x1",
		Name: "Somsak", Email: "somsak@example.com", Team: "Bangkok", Text: "Quote please", ReceivedAt: time.Now()})
	if err != nil || !res.NewLead {
		t.Fatalf("capture: %+v, %v", res, err)
	}
	wait.For(t, "a post to Telegram", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(posts) > 0
	})
	// An earlier version's telegram job for the same lead announces the
	// same notice: a duplicate, skipped.
	if err := svc.Enqueue(ctx, core.TelegramNewLeadJob{LeadID: res.LeadID}); err != nil {
		t.Fatalf("second enqueue: %v", err)
	}
	waitFor(t, 15*time.Second, "the telegram_new_lead job to run", func() bool {
		var done int
		err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'telegram_new_lead' AND state = 'completed'`).Scan(&done)
		return err == nil && done == 1
	})
	var queued int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'notify'`).Scan(&queued); err != nil || queued != 1 {
		t.Fatalf("%d notify jobs (%v), want the second skipped as a duplicate", queued, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(posts) != 1 || !strings.HasPrefix(posts[0], "-100500 ") || !strings.Contains(posts[0], "Somsak") {
		t.Fatalf("posts %q", posts)
	}
}

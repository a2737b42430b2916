package tgpoll_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"leadwire/core"
	"leadwire/internal/tgpoll"
	"leadwire/internal/tgtest"
	"leadwire/internal/wait"
	"leadwire/storage"
)

const token = "5:POLL"

// TestAnUnhandledUpdateComesAgain: an update Handle fails is asked for
// again, and the offset moves past it only once it is handled.
func TestAnUnhandledUpdateComesAgain(t *testing.T) {
	ctx := context.Background()
	db, err := storage.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "lw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := core.NewService(db, nil, core.DefaultSettings(), nil)
	api := tgtest.New(t)
	api.Queue(token, 3, tgtest.Text(1, 1, "first"))
	api.Queue(token, 4, tgtest.Text(1, 2, "second"))

	var mu sync.Mutex
	var seen []int64
	failed := false
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- tgpoll.Run(runCtx, tgpoll.Config{APIURL: api.URL, Token: token, Timeout: time.Second,
			HTTP:       &http.Client{Timeout: 5 * time.Second},
			Checkpoint: core.Checkpoint{Connector: "telegram:test", Key: "offset"},
			Load:       db.LoadCheckpoint, Save: svc.Connectors.Checkpoint,
			Handle: func(ctx context.Context, u *models.Update) error {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, u.ID)
				if u.ID == 4 && !failed {
					failed = true
					return errors.New("database away")
				}
				return nil
			}})
	}()
	var off string
	if !wait.Until(wait.Patience, func() bool {
		var err error
		if off, err = db.LoadCheckpoint(ctx, "telegram:test", "offset"); err != nil {
			t.Fatal(err)
		}
		return off == "5"
	}) {
		t.Fatalf("offset %q", off)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 3 || seen[0] != 3 || seen[1] != 4 || seen[2] != 4 {
		t.Fatalf("handled %v, want [3 4 4]", seen)
	}
	gets := tgtest.Only(api.Take(), "getUpdates")
	if len(gets) < 2 || gets[0].Params["offset"] != "0" || gets[1].Params["offset"] != "4" {
		t.Fatalf("getUpdates %+v", gets)
	}
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"leadwire/connectors/hooks"
	"leadwire/core"
	"leadwire/internal/hooktest"
	"leadwire/internal/secretbox"
	"leadwire/internal/wait"
	"leadwire/storage"
)

// TestSIGKILLMidDeliveryLosesNoWebhookEvent kills `leadwire serve` while
// it delivers 10,000 events to a receiver that refuses the first try of
// each, restarts it, and finds every event id taken at least once, each
// record's events in order, and the repeats flagged by their ids.
func TestSIGKILLMidDeliveryLosesNoWebhookEvent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and delivers 10,000 events")
	}
	t.Parallel()
	dir := t.TempDir()
	bin := buildLeadwire(t)
	dbPath := filepath.Join(dir, "hooks.db")
	cfg := filepath.Join(dir, "leadwire.yaml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, "database: sqlite:%s\nteams:\n  - name: Sales\nhooks:\n  allow_private: true\n", dbPath), 0o644); err != nil {
		t.Fatal(err)
	}
	key := secretbox.NewKey()
	rcv := hooktest.New(t)
	rcv.FailFirst = true

	ctx := context.Background()
	db, err := storage.OpenAndMigrate(ctx, "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	svc := core.NewService(db, nil, core.DefaultSettings(), nil)
	operator := &core.User{Name: "operator", Role: core.RoleAdmin, Active: true}
	box := secretbox.New(key)
	_, secret, err := svc.Hooks.Add(ctx, operator, box, core.HookInput{URL: rcv.URL + "/hook", Events: []core.EventType{core.EventLeadClaimed},
		NewSecret: hooks.NewSecret})
	if err != nil {
		t.Fatal(err)
	}
	rcv.Secret = secret
	subs, _ := svc.Hooks.List(ctx, operator)
	const records, per = 1000, 10
	var ids []string
	now := time.Now().UTC()
	for start := 0; start < records*per; start += 1000 {
		if err := db.Update(ctx, func(tx core.Tx) error {
			for i := start; i < start+1000; i++ {
				rec, seq := int64(i%records+1), i/records
				data, _ := json.Marshal(core.EventData{Lead: &core.Lead{ID: rec, Status: core.LeadClaimed, Subject: hooktest.Seq(seq), CreatedAt: now}})
				e := &core.HookEvent{ID: core.NewEventID(), Type: core.EventLeadClaimed, Record: "L" + strconv.FormatInt(rec, 10), At: now, Data: data}
				if err := tx.AddHookEvent(ctx, e, []int64{subs[0].ID}); err != nil {
					return err
				}
				ids = append(ids, e.ID)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	serve := func() *exec.Cmd {
		cmd := exec.Command(bin, "--config", cfg, "serve", "--listen", "127.0.0.1:0")
		cmd.Env = append(os.Environ(), secretbox.Env+"="+key.String())
		log, err := os.OpenFile(filepath.Join(dir, "serve.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { log.Close() })
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd
	}
	waitFor := func(what string, limit time.Duration, cond func() bool) {
		t.Helper()
		if !wait.Until(limit, cond) {
			log, _ := os.ReadFile(filepath.Join(dir, "serve.log"))
			t.Fatalf("timed out waiting for %s (%+v); serve log:\n%s", what, rcv.Stats(), log)
		}
	}
	start := time.Now()
	first := serve()
	waitFor("a third of the events", 2*time.Minute, func() bool { return rcv.Stats().Events >= len(ids)/3 })
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	killedAt, before := time.Since(start), rcv.Stats()
	restart := time.Now()
	serve()
	// The dead process's lease on the outbox lapses first (leaseTTL).
	waitFor("every event", 4*time.Minute, func() bool { return rcv.Stats().Events >= len(ids) })
	st := rcv.Stats()
	for _, id := range ids {
		if !rcv.Taken(id) {
			t.Fatalf("event %s was lost", id)
		}
	}
	if len(st.OutOfOrder) > 0 || st.BadSig > 0 {
		t.Errorf("out of order: %v; bad signatures: %d", st.OutOfOrder[:min(5, len(st.OutOfOrder))], st.BadSig)
	}
	t.Logf("10,000 events, receiver refusing every first try: killed after %s with %d taken; after the restart all %d taken in %s "+
		"(the dead replica's lease lapses in up to %s); %d requests, %d refused, %d duplicates flagged by id",
		killedAt.Round(time.Millisecond), before.Events, st.Events, time.Since(restart).Round(time.Millisecond), leaseTTL+leaseEvery,
		st.Requests, st.Refused, st.Duplicates)
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/testenv"
)

// serveProcess is a `leadwire serve` process: one replica.
type serveProcess struct {
	cmd  *exec.Cmd
	addr string
	done chan error
}

var servingAt = regexp.MustCompile(`msg="leadwire serving" addr=(\S+)`)

// startReplica runs the binary's serve with the config and waits until
// it listens.
func startReplica(t *testing.T, bin, config string) *serveProcess {
	t.Helper()
	cmd := exec.Command(bin, "--config", config, "serve", "--listen", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &serveProcess{cmd: cmd, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			if m := servingAt.FindStringSubmatch(lines.Text()); m != nil {
				addr <- m[1]
			}
			if strings.Contains(lines.Text(), "level=ERROR") {
				t.Log(lines.Text())
			}
		}
		r.done <- cmd.Wait()
	}()
	t.Cleanup(func() { r.stop(t) })
	select {
	case r.addr = <-addr:
	case err := <-r.done:
		t.Fatalf("leadwire serve exited: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("leadwire serve did not start")
	}
	return r
}

// stop sends SIGINT, as a deploy would, and waits for the drain.
func (r *serveProcess) stop(t *testing.T) {
	if r.done == nil {
		return
	}
	r.cmd.Process.Signal(os.Interrupt)
	select {
	case <-r.done:
	case <-time.After(time.Minute):
		r.cmd.Process.Kill()
		t.Error("leadwire serve did not stop within a minute")
	}
	r.done = nil
}

// delivered reads leadwire_notices_total{channel="slack",kind="reminder"}
// off the replica's /metrics.
func (r *serveProcess) delivered(t *testing.T) int {
	t.Helper()
	resp, err := http.Get("http://" + r.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`leadwire_notices_total\{channel="slack",kind="reminder"\} (\d+)`).FindSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// TestRemindersOnTwoServeProcesses builds leadwire and runs two `leadwire
// serve` processes on one PostgreSQL database, posting to one recording
// Slack stand-in. Of 1,000 due reminders each reaches Slack exactly once,
// though one replica is stopped half-way and started again.
func TestRemindersOnTwoServeProcesses(t *testing.T) {
	t.Parallel()
	dsn := testenv.Postgres(t)
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildLeadwire(t)
	api := newChatAPI(t)
	api.lighten()
	const reps, n = 100, 1000
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "database: %q\nslack:\n  bot_token: xoxb-test\n  signing_secret: s3cret\n  api_url: %q\n", dsn, api.srv.URL+"/api/")
	cfg.WriteString("teams:\n  - name: Bangkok\n    region: TH\nusers:\n")
	for i := range reps {
		fmt.Fprintf(&cfg, "  - email: rep%d@example.com\n    name: Rep %d\n    team: Bangkok\n    slack: U%05d\n", i, i, i)
	}
	config := filepath.Join(dir, "leadwire.yaml")
	if err := os.WriteFile(config, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// The first migrates; the second starts on the migrated database.
	a := startReplica(t, bin, config)
	b := startReplica(t, bin, config)

	// The reminders are made here, as the chat would on either replica.
	db := openPostgres(t, dsn)
	settings := core.DefaultSettings()
	settings.Channels = []string{core.ChannelSlack}
	svc := core.NewService(db, nil, settings, nil)
	users, err := db.ListUsers(context.Background(), core.UserFilter{})
	if err != nil || len(users) != reps {
		t.Fatalf("%d users, %v", len(users), err)
	}
	due := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < n; i += 4 {
				if _, err := svc.AddTask(context.Background(), &users[i%reps], fmt.Sprintf("Follow-up %d", i), due.Add(time.Duration(i)*5*time.Millisecond)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	waitFor(t, 3*time.Minute, "a third of the reminders", func() bool { return api.count() >= n/3 })
	// A deploy: replica A drains and stops, B goes on alone, A comes back.
	before := a.delivered(t)
	a.stop(t)
	a = startReplica(t, bin, config)
	waitFor(t, 5*time.Minute, "1,000 reminders", func() bool { return api.count() >= n })
	waitFor(t, time.Minute, "every job to finish", func() bool {
		var left int
		err := db.SQL().QueryRow(`SELECT count(*) FROM river_job WHERE state <> 'completed'`).Scan(&left)
		return err == nil && left == 0
	})
	msgs := api.sent("")
	if len(msgs) != n {
		t.Errorf("%d messages posted, want %d", len(msgs), n)
	}
	counts := countReminders(msgs)
	if len(counts) != n {
		t.Errorf("%d tasks reminded, want %d", len(counts), n)
	}
	for id, c := range counts {
		if c != 1 {
			t.Errorf("T%s reminded %d times", id, c)
		}
	}
	byA, byB := a.delivered(t), b.delivered(t)
	// A's count before the stop misses what it delivered while draining.
	t.Logf("replica A delivered %d (counted before its stop) and %d after its restart, replica B %d", before, byA, byB)
	if before == 0 || byB == 0 {
		t.Errorf("one replica did all the work: A %d+%d, B %d", before, byA, byB)
	}
}

package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"leadwire/internal/testenv"
	"leadwire/internal/wait"
	"leadwire/storage"
)

// TestSIGKILLMidIngestCapturesEveryMessageOnce kills `leadwire serve`
// while it ingests a 1,000-message mailbox from Dovecot, restarts it, and
// finds every message captured exactly once.
func TestSIGKILLMidIngestCapturesEveryMessageOnce(t *testing.T) {
	t.Parallel()
	addr, user, pass := testenv.IMAP(t)
	if testing.Short() {
		t.Skip("builds the binary and ingests 1,000 messages")
	}
	const n = 1000
	dir := t.TempDir()
	bin := buildLeadwire(t)
	appendGenerated(t, addr, user, pass, n)

	dbPath := filepath.Join(dir, "crash.db")
	host, port, _ := net.SplitHostPort(addr)
	cfg := filepath.Join(dir, "leadwire.yaml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, `database: sqlite:%s
teams:
  - name: Sales
email:
  mailboxes:
    - {name: crash, host: %s, port: %s, tls: none, username: %s, password: "%s", team: Sales}
`, dbPath, host, port, user, pass), 0o644); err != nil {
		t.Fatal(err)
	}
	serve := func() *exec.Cmd {
		cmd := exec.Command(bin, "--config", cfg, "serve", "--listen", "127.0.0.1:0")
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
	count := func(query string) int {
		t.Helper()
		var v int
		db, err := storage.Open(context.Background(), "sqlite:"+dbPath)
		if err != nil {
			return -1
		}
		defer db.Close()
		if err := db.SQL().QueryRow(query).Scan(&v); err != nil {
			return -1 // not migrated yet
		}
		return v
	}
	waitFor := func(what string, limit time.Duration, cond func() bool) {
		t.Helper()
		if !wait.Until(limit, cond) {
			log, _ := os.ReadFile(filepath.Join(dir, "serve.log"))
			t.Fatalf("timed out waiting for %s; serve log:\n%s", what, log)
		}
	}
	const activities = "SELECT COUNT(*) FROM activities WHERE kind = 'email_in'"

	first := serve()
	var atKill int
	waitFor("the first leads", 30*time.Second, func() bool { atKill = count(activities); return atKill >= 50 })
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	atKill = count(activities)
	t.Logf("killed with %d of %d messages stored", atKill, n)
	if atKill >= n {
		t.Logf("the ingest finished before the kill landed; the restart checks the rest")
	}

	second := serve()
	waitFor("every message", 60*time.Second, func() bool { return count(activities) >= n })
	// Let the restarted connector settle: its checkpoint reaches the last UID.
	waitFor("the checkpoint at the end", 10*time.Second, func() bool {
		return count(fmt.Sprintf("SELECT COUNT(*) FROM connector_checkpoints WHERE connector = 'email:crash' AND value LIKE '%%:%d'", n)) == 1
	})
	second.Process.Signal(syscall.SIGTERM)
	if err := second.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v", err)
	}

	for _, c := range []struct {
		what  string
		query string
		want  int
	}{
		{"email activities", activities, n},
		{"leads", "SELECT COUNT(*) FROM leads", n},
		{"idempotency keys", "SELECT COUNT(*) FROM inbound_keys WHERE channel = 'email'", n},
		{"messages stored twice", "SELECT COUNT(*) FROM (SELECT external_ref FROM activities GROUP BY external_ref HAVING COUNT(*) > 1)", 0},
		{"failed inbounds", "SELECT COUNT(*) FROM failed_inbounds", 0},
	} {
		if got := count(c.query); got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
}

// appendGenerated APPENDs n messages, each from a sender of its own,
// pipelined on one connection.
func appendGenerated(t *testing.T, addr, user, pass string, n int) {
	t.Helper()
	cl, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	// Dovecot can take a moment to see an account just added.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if err = cl.Login(user, pass).Wait(); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	cl.Caps()
	cmds := make([]*imapclient.AppendCommand, n)
	for i := range cmds {
		raw := fmt.Appendf(nil, "From: Buyer %[1]d <buyer%[1]d@company%[1]d.example>\r\nTo: sales@ourco.example\r\n"+
			"Subject: Enquiry %[1]d\r\nDate: %[2]s\r\nMessage-ID: <crash.%[1]d@company%[1]d.example>\r\n\r\n"+
			"Hello, please send a quote for %[1]d units.\r\n", i, time.Now().UTC().Format(time.RFC1123Z))
		cmds[i] = cl.Append("INBOX", int64(len(raw)), nil)
		cmds[i].Write(raw)
		if err := cmds[i].Close(); err != nil {
			t.Fatal(err)
		}
	}
	for i, cmd := range cmds {
		if _, err := cmd.Wait(); err != nil {
			t.Fatalf("APPEND %d: %v", i, err)
		}
	}
}

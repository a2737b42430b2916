package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"leadwire/internal/imaptest"
	"leadwire/internal/wait"
	"leadwire/storage"
)

// memMailbox serves an in-memory IMAP account on a loopback port.
func memMailbox(t *testing.T) (addr string, user *imapmemserver.User) {
	t.Helper()
	mem := imapmemserver.New()
	user = imapmemserver.NewUser("sales@example.com", "secret")
	mem.AddUser(user)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return imaptest.NewSession(mem), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		InsecureAuth: true,
	})
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close(); ln.Close() })
	return ln.Addr().String(), user
}

func appendMail(t *testing.T, user *imapmemserver.User, raw string) {
	t.Helper()
	if _, err := user.Append("INBOX", bytes.NewReader([]byte(strings.ReplaceAll(raw, "\n", "\r\n"))), &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestServeReadsMailboxesAndReportsThem(t *testing.T) {
	e := newIOEnv(t)
	imapAddr, user := memMailbox(t)
	host, port, _ := net.SplitHostPort(imapAddr)
	cfg := fmt.Sprintf(ioConfig, e.dbPath) + fmt.Sprintf(`email:
  mailboxes:
    - {name: sales, host: %s, port: %s, tls: none, username: sales@example.com, password: "${IMAP_PW:-}", team: Warsaw, internal_domains: [example.com]}
`, host, port)
	if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	appendMail(t, user, "From: Anna <anna@firma.pl>\nSubject: Oferta\nMessage-ID: <a1@firma.pl>\n\nProszę o ofertę.\n")
	appendMail(t, user, "From: Anna <anna@firma.pl>\nSubject: Re: Oferta\nMessage-ID: <a2@firma.pl>\nIn-Reply-To: <a1@firma.pl>\n\nI jeszcze jedno.\n")
	appendMail(t, user, "From: Kasia <kasia@example.com>\nSubject: lunch\nMessage-ID: <k1@example.com>\n\nhi\n")
	appendMail(t, user, "From: Bot <bot@firma.pl>\nSubject: Out of office\nAuto-Submitted: auto-replied\nMessage-ID: <b1@firma.pl>\n\naway\n")
	appendMail(t, user, "X-Junk: 1\n\nnot mail\n")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	pr, pw := io.Pipe()
	exit := make(chan int, 1)
	getenv := func(k string) string {
		if k == "IMAP_PW" {
			return "secret"
		}
		return ""
	}
	go func() {
		exit <- run(ctx, []string{"--config", e.config, "serve", "--listen", addr}, io.Discard, pw, getenv)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	for lines.Scan() && !strings.Contains(lines.Text(), "leadwire serving") {
	}
	go io.Copy(io.Discard, pr)

	want := []string{
		`leadwire_connector_events_total{connector="email:sales",counter="captured"} 1`,
		`leadwire_connector_events_total{connector="email:sales",counter="activity"} 1`,
		`leadwire_connector_events_total{connector="email:sales",counter="failed"} 1`,
		`leadwire_connector_events_total{connector="email:sales",counter="skipped:internal"} 1`,
		`leadwire_connector_events_total{connector="email:sales",counter="skipped:auto_reply"} 1`,
		`leadwire_connector_up{connector="email:sales"} 1`,
		`leadwire_connector_last_sync_timestamp_seconds{connector="email:sales"}`,
	}
	var metrics string
	if !wait.Until(wait.Patience, func() bool {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			metrics = string(b)
		}
		return containsAll(metrics, want)
	}) {
		t.Fatalf("/metrics never showed %q; last:\n%s", want, grepLines(metrics, "leadwire_connector"))
	}
	stop()
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("serve exited %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s")
	}

	t.Run("status shows the counts and the skip reasons", func(t *testing.T) {
		out := e.ok("connectors", "status").out
		for _, w := range []string{"email:sales", "CAPTURED", "2 (auto_reply 1, internal 1)", " ago"} {
			if !strings.Contains(out, w) {
				t.Errorf("status does not show %q:\n%s", w, out)
			}
		}
	})
	t.Run("status --json carries every counter", func(t *testing.T) {
		var got []struct {
			Connector  string
			Configured bool
			LastSync   *string `json:"last_sync"`
			LastError  string  `json:"last_error"`
			Counts     map[string]int64
		}
		if err := json.Unmarshal([]byte(e.ok("connectors", "status", "--json").out), &got); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Connector != "email:sales" || !got[0].Configured || got[0].LastSync == nil || got[0].LastError != "" ||
			got[0].Counts["captured"] != 1 || got[0].Counts["activity"] != 1 || got[0].Counts["skipped:auto_reply"] != 1 {
			t.Errorf("status JSON = %+v", got)
		}
	})
	t.Run("serve released the mailbox's lease when it stopped, and status shows who holds one", func(t *testing.T) {
		db, err := storage.OpenAndMigrate(context.Background(), "sqlite:"+e.dbPath)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		// Released: another replica may take it at once.
		if ok, err := db.TryLease(context.Background(), "email:sales", "replica-7", time.Hour, time.Now()); err != nil || !ok {
			t.Fatalf("the lease of email:sales is still held after serve stopped: %v, %v", ok, err)
		}
		if out := e.ok("connectors", "status").out; !strings.Contains(grepLines(out, "email:sales"), "replica-7") || !strings.Contains(out, "RUN BY") {
			t.Errorf("status does not show the lease holder:\n%s", out)
		}
		var got []struct {
			RunBy string `json:"run_by"`
		}
		if err := json.Unmarshal([]byte(e.ok("connectors", "status", "--json").out), &got); err != nil || len(got) != 1 || got[0].RunBy != "replica-7" {
			t.Errorf("status JSON = %+v, %v; want run_by replica-7", got, err)
		}
		if err := db.ReleaseLease(context.Background(), "email:sales", "replica-7"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("failed lists the kept message", func(t *testing.T) {
		out := e.ok("connectors", "failed", "--connector", "email:sales").out
		for _, w := range []string{"email:sales", "INBOX;UIDVALIDITY=1/;UID=5", "not a mail message"} {
			if !strings.Contains(out, w) {
				t.Errorf("failed does not show %q:\n%s", w, out)
			}
		}
		if out := e.ok("connectors", "failed", "--connector", "email:other").out; !strings.Contains(out, "no failed inbounds") {
			t.Errorf("another connector's failures: %s", out)
		}
	})
	t.Run("the reply joined the lead", func(t *testing.T) {
		out := e.ok("leads", "list").out
		if strings.Count(out, "\nL") != 1 || !strings.Contains(out, "Warsaw") {
			t.Errorf("leads:\n%s", out)
		}
	})
}

func containsAll(s string, subs []string) bool {
	for _, w := range subs {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"leadwire/bot"
	"leadwire/bot/console"
	"leadwire/core"
	"leadwire/internal/view"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// lockedBuffer is a log both the jobs and the test use.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestMailFailuresAreSurfaced: a mail server that refuses sessions or
// cannot be reached holds a sequence's mail up; that shows on the deal's
// timeline once per streak of failures (not at every retry), in
// connectors status, in the log at WARN, and in the answer to the next
// enrolment, instead of only in River's INFO lines.
func TestMailFailuresAreSurfaced(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		var log lockedBuffer
		e := newSeqEnvLogging(t, db, &log)
		notes := func(dealID int64) []string {
			t.Helper()
			acts, err := db.ListActivities(e.ctx, core.ActivityFilter{DealID: dealID, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range acts {
				if text := view.ActivityText(a, view.Names{}); strings.Contains(text, "not sent yet") {
					out = append(out, text)
				}
			}
			return out
		}
		// failedAttempts waits for the step job to have failed n times
		// and returns it.
		failedAttempts := func(n int) *rivertype.JobRow {
			t.Helper()
			var job *rivertype.JobRow
			waitFor(t, 30*time.Second, "a failed step", func() bool {
				res, err := e.jobs.JobList(e.ctx, river.NewJobListParams().Kinds("sequence_step").States(rivertype.JobStateRetryable))
				if err == nil && len(res.Jobs) == 1 && len(res.Jobs[0].Errors) >= n {
					job = res.Jobs[0]
				}
				return job != nil
			})
			return job
		}
		status := func() string {
			t.Helper()
			var out bytes.Buffer
			e.app.out, e.app.cli = &out, &CLI{}
			if err := (&ConnectorsStatusCmd{}).Run(e.app); err != nil {
				t.Fatal(err)
			}
			return out.String()
		}

		e.smtp.Refuse(421)
		const addr = "held@thai-buyer.example"
		d, en := e.enroll(t, addr)
		job := failedAttempts(1)
		t.Run("the timeline says the mail is held up", func(t *testing.T) {
			if n := notes(d.ID); len(n) != 1 || !strings.Contains(n[0], "sequence welcome: step 1 to "+addr+" not sent yet: smtp 127.0.0.1:") ||
				!strings.Contains(n[0], "service not available") {
				t.Errorf("timeline notes %q", n)
			}
		})
		t.Run("once per streak, not at every retry", func(t *testing.T) {
			if _, err := e.jobs.JobRetry(e.ctx, job.ID); err != nil {
				t.Fatal(err)
			}
			job = failedAttempts(2)
			if n := notes(d.ID); len(n) != 1 {
				t.Errorf("%d notes after two failures: %q", len(n), n)
			}
		})
		t.Run("connectors status shows the mail server failing", func(t *testing.T) {
			if out := status(); !strings.Contains(out, "smtp:127.0.0.1") || !strings.Contains(out, "service not available") {
				t.Errorf("connectors status:\n%s", out)
			}
		})
		t.Run("the log says it at WARN", func(t *testing.T) {
			out := log.String()
			if !strings.Contains(out, `level=WARN msg="sequence mail not sent; retrying, said once on the timeline"`) ||
				!strings.Contains(out, `level=WARN msg="job failed; retrying" kind=sequence_step`) {
				t.Errorf("log:\n%s", out)
			}
			if n := strings.Count(out, "sequence mail not sent"); n != 1 {
				t.Errorf("the streak was logged %d times", n)
			}
		})
		t.Run("chat does not say the first mail goes out now", func(t *testing.T) {
			res, err := e.svc.Capture(e.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "next@thai-buyer.example",
				Email: "next@thai-buyer.example", Name: "Next"})
			if err != nil {
				t.Fatal(err)
			}
			next, err := e.svc.Qualify(e.ctx, e.owner, res.LeadID, core.QualifyInput{})
			if err != nil {
				t.Fatal(err)
			}
			conv := bot.NewConversation(e.svc, nil, bot.Options{})
			text := console.Render(conv.Handle(e.ctx, e.owner, "enroll "+next.Ref()+" welcome"))
			if !strings.Contains(text, "but sending mail has failed since") || !strings.Contains(text, "service not available") || strings.Contains(text, "goes out now") {
				t.Errorf("enrol answered:\n%s", text)
			}
			if _, err := e.svc.Sequences.Unenroll(e.ctx, e.owner, core.Ref{Kind: 'D', ID: next.ID}, ""); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("the mail goes out once the server takes it, and the error clears", func(t *testing.T) {
			e.smtp.Refuse(0)
			if _, err := e.jobs.JobRetry(e.ctx, job.ID); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 30*time.Second, "the step sent", func() bool { return e.enrollment(t, en.ID).Step == 2 })
			if out := status(); strings.Contains(out, "service not available") {
				t.Errorf("connectors status still shows the error:\n%s", out)
			}
			if n := notes(d.ID); len(n) != 1 {
				t.Errorf("notes %q", n)
			}
		})
		t.Run("an unreachable server starts a new streak", func(t *testing.T) {
			e.smtp.Stop()
			d, _ := e.enroll(t, "later@thai-buyer.example")
			failedAttempts(1)
			if n := notes(d.ID); len(n) != 1 || !strings.Contains(n[0], "connection refused") {
				t.Errorf("timeline notes %q", n)
			}
			if out := status(); !strings.Contains(out, "connection refused") {
				t.Errorf("connectors status:\n%s", out)
			}
		})
	})
}

// TestAnUnstartedMailboxSaysWhy: a mailbox serve does not start (no
// password) shows why in connectors status, not "never" with no error;
// serve records it as the mailbox's error, for the alerts and /metrics.
func TestAnUnstartedMailboxSaysWhy(t *testing.T) {
	e := newIOEnv(t)
	e.file("leadwire.yaml", fmt.Sprintf(ioConfig, e.dbPath)+`email:
  mailboxes:
    - {name: sales-pl, host: imap.example.com, username: sales@example.com, password: "${IMAP_PW:-}"}
smtp:
  host: 127.0.0.1
  port: 2525
  tls: none
  from: sales@example.com
`)
	t.Run("connectors status says why it is idle", func(t *testing.T) {
		out := e.ok("connectors", "status").out
		line := lineWith(out, "email:sales-pl")
		if !strings.Contains(line, "never") || !strings.Contains(line, "not started: no password; set email.mailboxes[0].password") {
			t.Errorf("connectors status:\n%s", out)
		}
		if !strings.Contains(lineWith(out, "smtp:127.0.0.1"), "never") {
			t.Errorf("the configured mail server is not listed:\n%s", out)
		}
	})
	t.Run("serve records why it did not start it", func(t *testing.T) {
		var logs bytes.Buffer
		a := &App{ctx: context.Background(), cli: &CLI{Config: e.config}, out: io.Discard, errOut: &logs, getenv: func(string) string { return "" }}
		defer a.Close()
		if _, err := a.DB(); err != nil {
			t.Fatal(err)
		}
		if conns, err := a.emailConnectors(); err != nil || len(conns) != 0 {
			t.Fatalf("%d mailboxes started, %v", len(conns), err)
		}
		if !strings.Contains(logs.String(), "level=ERROR") {
			t.Errorf("log:\n%s", logs.String())
		}
		a.Close()
		var st []connectorJSON
		if err := json.Unmarshal([]byte(e.ok("connectors", "status", "--json").out), &st); err != nil {
			t.Fatal(err)
		}
		for _, s := range st {
			if s.Connector == "email:sales-pl" && !strings.HasPrefix(s.LastError, "not started: no password") {
				t.Errorf("status %+v", s)
			}
		}
	})
}

// lineWith is the first line of out that contains s.
func lineWith(out, s string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

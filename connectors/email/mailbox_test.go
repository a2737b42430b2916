package email

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"leadwire/core"
)

// TestIdleDeliversNewMessages: with polling and the IDLE re-issue an hour
// apart, every message arriving within the wait's patience came through
// IDLE.
func TestIdleDeliversNewMessages(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	c := e.connector(srv.mailbox("sales")) // PollInterval is an hour: only IDLE can bring it
	c.idleFor = time.Hour
	idling := make(chan struct{}, 1)
	c.idling = func() {
		select {
		case idling <- struct{}{}:
		default:
		}
	}
	e.run(c)
	for i := range 5 {
		select {
		case <-idling:
		case <-time.After(10 * time.Second):
			t.Fatal("the connector did not start IDLE")
		}
		srv.append("INBOX", msg(fmt.Sprintf("P%d <p%d@prospect.example>", i, i), "New", "hello"), time.Time{})
		e.waitCount(c.Name(), core.CountCaptured, int64(i+1))
	}
}

func TestWithoutIdleItPolls(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	mb := srv.mailbox("sales")
	mb.PollInterval = 50 * time.Millisecond
	c := e.connector(mb)
	c.noIdle = true
	e.run(c)
	e.waitFor("the first sync", func() bool { return e.checkpoint(c.Name(), "INBOX") != "" })
	srv.append("INBOX", msg("Ann <ann@prospect.example>", "New", "hello"), time.Time{})
	e.waitCount(c.Name(), core.CountCaptured, 1)
}

func TestOtherFoldersArePolledWhileTheFirstIdles(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	if err := srv.user.Create("Leads", nil); err != nil {
		t.Fatal(err)
	}
	mb := srv.mailbox("sales")
	mb.Folders, mb.PollInterval = []string{"INBOX", "Leads"}, 100*time.Millisecond
	c := e.connector(mb)
	e.run(c)
	e.waitFor("the first sync", func() bool { return e.checkpoint(c.Name(), "Leads") != "" })
	srv.append("Leads", msg("Ann <ann@prospect.example>", "Filed by a rule", "hello"), time.Time{})
	e.waitCount(c.Name(), core.CountCaptured, 1)
	srv.append("INBOX", msg("Bob <bob@prospect.example>", "Straight in", "hello"), time.Time{})
	e.waitCount(c.Name(), core.CountCaptured, 2)
}

func TestRepliesBecomeActivitiesOnTheirLead(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	c := e.connector(srv.mailbox("sales"))
	srv.append("INBOX", msg("Ann <ann@prospect.example>", "Quote", "40 units?", "Message-ID: <q1@prospect.example>"), time.Time{})
	// A colleague of hers answers in the thread from another address.
	srv.append("INBOX", msg("Bea <bea@prospect.example>", "Re: Quote", "Adding myself", "In-Reply-To: <q1@prospect.example>", "References: <q1@prospect.example>"), time.Time{})
	// She writes again without a reference: her open lead takes it.
	srv.append("INBOX", msg("Ann <ann@prospect.example>", "One more thing", "and 10 more"), time.Time{})
	e.run(c)
	e.waitCount(c.Name(), core.CountActivity, 2)

	leads := e.leads()
	if len(leads) != 1 {
		t.Fatalf("%d leads, want 1", len(leads))
	}
	acts, err := e.db.ListActivities(e.ctx, core.ActivityFilter{LeadID: leads[0].ID})
	if err != nil || len(acts) != 3 {
		t.Fatalf("lead activities: %d, %v; want 3", len(acts), err)
	}
	replied := 0
	for _, h := range leads[0].ScoreHits {
		if h.Rule == "event: "+core.EventReplied {
			replied++
		}
	}
	if replied != 2 {
		t.Errorf("%d replied score hits, want 2: %+v", replied, leads[0].ScoreHits)
	}
}

func TestTheLoopGuardStopsOneSenderOpeningLeadAfterLead(t *testing.T) {
	srv := newMemIMAP(t)
	e := newEnv(t, func(s *core.Settings) { s.LoopGuard = core.LoopGuard{Max: 2, Window: 2 * time.Hour} })
	c := e.connector(srv.mailbox("sales"))
	e.run(c)
	e.waitFor("the first sync", func() bool { return e.checkpoint(c.Name(), "INBOX") != "" })
	admin := &core.User{Name: "operator", Role: core.RoleAdmin, Active: true}
	reason := core.DefaultDisqualifyReasons()[0].Code
	for i := range 4 {
		srv.append("INBOX", msg("Bot <bot@prospect.example>", fmt.Sprintf("Form %d", i), "spam"), time.Time{})
		e.waitFor(fmt.Sprintf("message %d", i), func() bool {
			n := e.status(c.Name()).Counts
			return n[core.CountCaptured]+n[core.CountActivity] == int64(i+1)
		})
		// Each lead is closed at once, so the next message cannot join it.
		for _, l := range e.leads() {
			if l.Open() {
				if _, err := e.svc.Disqualify(e.ctx, admin, l.ID, reason); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	got := e.status(c.Name()).Counts
	if got[core.CountCaptured] != 2 || got[core.CountGuarded] != 2 {
		t.Errorf("counts %v: want 2 leads, then 2 guarded", got)
	}
}

func TestAServerOutageIsRetriedAndClearedOnRecovery(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	c := e.connector(srv.mailbox("sales"))
	e.run(c)
	e.waitFor("the first sync", func() bool { return e.checkpoint(c.Name(), "INBOX") != "" })

	srv.stop()
	e.waitFor("the error recorded", func() bool { return e.status(c.Name()).LastError != "" })
	srv.start(srv.addr)
	srv.append("INBOX", msg("Ann <ann@prospect.example>", "While you were down", "hello"), time.Time{})
	e.waitCount(c.Name(), core.CountCaptured, 1)
	e.waitFor("the error cleared", func() bool { return e.status(c.Name()).LastError == "" })
}

func TestARefusedLoginIsReportedAndRetried(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	mb := srv.mailbox("sales")
	mb.Password = "wrong"
	c := e.connector(mb)
	e.run(c)
	e.waitFor("the login error", func() bool { return strings.Contains(e.status(c.Name()).LastError, "login refused") })
	if msg := e.status(c.Name()).LastError; !strings.Contains(msg, "check the mailbox's username and password") || strings.Contains(msg, "wrong") {
		t.Errorf("error %q: want advice, and never the password", msg)
	}
	// Retried with backoff: the attempts go on.
	at := e.status(c.Name()).ErrorAt
	e.waitFor("another attempt", func() bool { return e.status(c.Name()).ErrorAt.After(at) })
}

func TestRunStopsPromptlyWhenItsContextEnds(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*memIMAP, *env, *Connector)
	}{
		{"while idling", func(srv *memIMAP, e *env, c *Connector) {
			e.waitFor("the first sync", func() bool { return e.checkpoint(c.Name(), "INBOX") != "" })
		}},
		{"while waiting to retry", func(srv *memIMAP, e *env, c *Connector) {
			srv.stop()
			e.waitFor("the error", func() bool { return e.status(c.Name()).LastError != "" })
		}},
		{"while polling", func(srv *memIMAP, e *env, c *Connector) {
			e.waitFor("the first sync", func() bool { return e.checkpoint(c.Name(), "INBOX") != "" })
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, e := newMemIMAP(t), newEnv(t)
			c := e.connector(srv.mailbox("sales"))
			c.retry = backoff{min: time.Hour, max: time.Hour}
			c.noIdle = tc.name == "while polling"
			stop := e.run(c)
			tc.setup(srv, e, c)
			stop() // fails the test unless Run returns within 20 s, not after the hour's backoff
		})
	}
}

func TestNewRefusesUnsafeOrIncompleteSettings(t *testing.T) {
	svc := newEnv(t).svc
	for _, tc := range []struct {
		name string
		mb   Mailbox
		want string
	}{
		{"plaintext to a remote host", Mailbox{Name: "a", Host: "imap.example.com", Username: "u", TLS: core.TLSNone}, "loopback"},
		{"an unknown tls mode", Mailbox{Name: "a", Host: "imap.example.com", Username: "u", TLS: "ssl"}, "unknown tls"},
		{"no host", Mailbox{Name: "a", Username: "u"}, "required"},
		{"a host with a port", Mailbox{Name: "a", Host: "imap.example.com:993", Username: "u"}, "port under port"},
		{"a port out of range", Mailbox{Name: "a", Host: "imap.example.com", Username: "u", Port: 99999}, "1 to 65535"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.mb, svc, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want an error about %q", err, tc.want)
			}
		})
	}
	c, err := New(Mailbox{Name: "a", Host: "::1", Username: "u", TLS: core.TLSNone}, svc, nil)
	if err != nil {
		t.Fatalf("plaintext to ::1: %v", err)
	}
	if c.mb.Port != 143 || len(c.mb.Folders) != 1 || c.mb.Folders[0] != "INBOX" || c.mb.Since != DefaultSince {
		t.Errorf("defaults not applied: %+v", c.mb)
	}
}

func TestPositionsRoundTripAndGarbageMeansNone(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want position
		ok   bool
	}{
		{"1699999999:4711", position{1699999999, 4711}, true},
		{"7:0", position{7, 0}, true},
		{"", position{}, false},
		{"abc", position{}, false},
		{"1:x", position{}, false},
		{"99999999999:1", position{}, false},
	} {
		got, ok := parsePosition(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parsePosition(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if ok && got.String() != tc.in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tc.in)
		}
	}
}

func TestBackoffGrowsToItsCapWithJitter(t *testing.T) {
	b := backoff{min: time.Second, max: 5 * time.Minute}
	prevCeil := time.Duration(0)
	for i := range 20 {
		ceil := min(time.Second<<i, 5*time.Minute)
		d := b.next()
		if d < ceil/2 || d > ceil {
			t.Fatalf("attempt %d waited %v, want within [%v, %v]", i, d, ceil/2, ceil)
		}
		if ceil < prevCeil {
			t.Fatalf("the ceiling shrank")
		}
		prevCeil = ceil
	}
	b.reset()
	if d := b.next(); d > time.Second {
		t.Errorf("after reset waited %v, want at most the minimum", d)
	}
}

func TestAMissingFolderIsReportedWhileTheOthersAreRead(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	mb := srv.mailbox("sales")
	mb.Folders, mb.PollInterval = []string{"INBOX", "Leads"}, 50*time.Millisecond
	c := e.connector(mb)
	srv.append("INBOX", msg("Ann <ann@prospect.example>", "Hello", "hi"), time.Time{})
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 1)
	e.waitFor("the missing folder reported", func() bool { return strings.Contains(e.status(c.Name()).LastError, "select Leads") })

	if err := srv.user.Create("Leads", nil); err != nil {
		t.Fatal(err)
	}
	srv.append("Leads", msg("Bob <bob@prospect.example>", "Filed", "hi"), time.Time{})
	e.waitCount(c.Name(), core.CountCaptured, 2)
	e.waitFor("the error cleared", func() bool { return e.status(c.Name()).LastError == "" })
}

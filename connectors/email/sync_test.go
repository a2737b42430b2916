package email

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"leadwire/core"
)

func TestFirstSyncReachesBackOnlyAsFarAsSince(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	now := time.Now()
	srv.append("INBOX", msg("Old <old@prospect.example>", "Old enquiry", "Hello from last month"), now.Add(-30*24*time.Hour))
	srv.append("INBOX", msg("Older <older@prospect.example>", "Older enquiry", "Hello"), now.Add(-8*24*time.Hour))
	srv.append("INBOX", msg("Ann <ann@prospect.example>", "Quote please", "Need 40 units"), now.Add(-2*time.Hour))
	last := srv.append("INBOX", msg("Bob <bob@prospect.example>", "Demo", "Can we meet?"), now.Add(-time.Minute))

	c := e.connector(srv.mailbox("sales"))
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 2)
	e.waitFor("the checkpoint at the last UID", func() bool {
		return strings.HasSuffix(e.checkpoint(c.Name(), "INBOX"), fmt.Sprintf(":%d", last))
	})
	var got []string
	for _, l := range e.leads() {
		got = append(got, l.Subject)
	}
	if len(got) != 2 || !strings.Contains(strings.Join(got, ","), "Quote please") || !strings.Contains(strings.Join(got, ","), "Demo") {
		t.Errorf("leads %q, want only the two within the last 7 days", got)
	}
}

func TestResumesFromItsCheckpointAfterARestart(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	for i := range 3 {
		srv.append("INBOX", msg(fmt.Sprintf("P%d <p%d@prospect.example>", i, i), "Hello", "first batch"), time.Time{})
	}
	c := e.connector(srv.mailbox("sales"))
	stop := e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 3)
	stop()

	for i := 3; i < 5; i++ {
		srv.append("INBOX", msg(fmt.Sprintf("P%d <p%d@prospect.example>", i, i), "Hello", "while it was down"), time.Time{})
	}
	c = e.connector(srv.mailbox("sales"))
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 5)
	if got := e.checkpoint(c.Name(), "INBOX"); !strings.HasSuffix(got, ":5") {
		t.Errorf("checkpoint %q, want UID 5", got)
	}
	if d := e.status(c.Name()).Counts[core.CountDuplicate]; d != 0 {
		t.Errorf("%d duplicates: the restart fetched captured mail again", d)
	}
}

func TestResumesFromACheckpointOlderThanSince(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	c := e.connector(srv.mailbox("sales"))
	stop := e.run(c)
	e.waitFor("the first sync", func() bool { return e.checkpoint(c.Name(), "INBOX") != "" })
	stop()
	// Days offline: mail older than Since arrived meanwhile.
	srv.append("INBOX", msg("Ann <ann@prospect.example>", "Sent while we were away", "hi"), time.Now().Add(-20*24*time.Hour))
	c = e.connector(srv.mailbox("sales"))
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 1)
}

func TestFetchingLeavesMessagesUnseen(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	srv.append("INBOX", msg("Ann <ann@prospect.example>", "Quote", "hi"), time.Time{})
	c := e.connector(srv.mailbox("sales"))
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 1)

	cl, err := imapclient.DialInsecure(srv.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.Login(testUser, testPass).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	msgs, err := cl.Fetch(imap.SeqSetNum(1), &imap.FetchOptions{Flags: true}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fetch flags: %v, %d messages", err, len(msgs))
	}
	for _, f := range msgs[0].Flags {
		if f == imap.FlagSeen {
			t.Errorf("the message is \\Seen after the sync")
		}
	}
}

func TestAChangedUIDValidityResyncsWithoutDuplicates(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	raws := []string{
		msg("Ann <ann@prospect.example>", "One", "1"),
		msg("Bob <bob@prospect.example>", "Two", "2"),
		msg("Cid <cid@prospect.example>", "Three", "3"),
	}
	for _, r := range raws {
		srv.append("INBOX", r, time.Time{})
	}
	c := e.connector(srv.mailbox("sales"))
	stop := e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 3)
	stop()
	before := e.checkpoint(c.Name(), "INBOX")

	// The server rebuilt the folder: same mail, new UIDVALIDITY, plus one.
	if err := srv.user.Delete("INBOX"); err != nil {
		t.Fatal(err)
	}
	if err := srv.user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	for _, r := range raws {
		srv.append("INBOX", r, time.Time{})
	}
	srv.append("INBOX", msg("Dee <dee@prospect.example>", "Four", "4"), time.Time{})

	c = e.connector(srv.mailbox("sales"))
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 4)
	e.waitCount(c.Name(), core.CountDuplicate, 3)
	if n := len(e.leads()); n != 4 {
		t.Errorf("%d leads, want 4", n)
	}
	if after := e.checkpoint(c.Name(), "INBOX"); after == before || !strings.HasSuffix(after, ":4") {
		t.Errorf("checkpoint %q after %q, want the new UIDVALIDITY at UID 4", after, before)
	}
}

func TestMailThatIsNotALeadIsSkippedAndCountedByReason(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	cases := []struct {
		name, raw, reason string
	}{
		{"an out-of-office reply", msg("Ann <ann@prospect.example>", "Out of office: back Monday", "away", "Auto-Submitted: auto-replied"), ReasonAutoReply},
		{"an X-Autoreply", msg("Bob <bob@prospect.example>", "Re: offer", "away", "X-Autoreply: yes"), ReasonAutoReply},
		{"a bounce from MAILER-DAEMON", msg("Mail Delivery System <MAILER-DAEMON@mx.example>", "Undelivered Mail Returned to Sender", "could not deliver"), ReasonBounce},
		{"a delivery report", msg("postmaster@mx.example", "Delivery Status Notification", "failed", "Return-Path: <>"), ReasonBounce},
		{"list mail", msg("News <news@vendor.example>", "Weekly digest", "news", "List-Id: <news.vendor.example>"), ReasonList},
		{"a colleague", msg("Kim <kim@ourco.example>", "Lunch?", "at noon"), ReasonInternal},
		{"a subdomain colleague", msg("Lee <lee@eu.ourco.example>", "FYI", "see below"), ReasonInternal},
	}
	for _, tc := range cases {
		srv.append("INBOX", tc.raw, time.Time{})
	}
	srv.append("INBOX", msg("Real Lead <lead@prospect.example>", "Pricing", "How much?"), time.Time{})
	c := e.connector(srv.mailbox("sales"))
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 1)

	want := map[string]int64{}
	for _, tc := range cases {
		want[core.SkipCount(tc.reason)]++
	}
	got := e.status(c.Name()).Counts
	for counter, n := range want {
		if got[counter] != n {
			t.Errorf("%s = %d, want %d (counts %v)", counter, got[counter], n, got)
		}
	}
	if n := len(e.leads()); n != 1 {
		t.Errorf("%d leads, want only the real one", n)
	}
}

func TestAMessageWithoutDateIsDatedByItsArrival(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	arrived := time.Date(2026, 10, 30, 8, 15, 0, 0, time.UTC)
	c := e.connector(srv.mailbox("sales"))
	c.mb.Since = 365 * 24 * time.Hour * 10
	srv.append("INBOX", msg("Ann <ann@prospect.example>", "No date", "hi", "-Date"), arrived)
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 1)
	if got := e.leads()[0].CreatedAt; !got.Equal(arrived) {
		t.Errorf("lead created at %v, want the INTERNALDATE %v", got, arrived)
	}
}

func TestFoldersWithNonASCIINamesAreRead(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	folders := []string{"Входящие", "สอบถาม", "Zapytania/Oferty-Łódź"}
	for _, f := range folders {
		if err := srv.user.Create(f, nil); err != nil {
			t.Fatal(err)
		}
	}
	for i, f := range folders {
		srv.append(f, msg(fmt.Sprintf("P%d <p%d@prospect.example>", i, i), "Enquiry in "+f, "hello"), time.Time{})
	}
	mb := srv.mailbox("sales")
	mb.Folders = folders
	c := e.connector(mb)
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 3)
	for _, f := range folders {
		if cp := e.checkpoint(c.Name(), f); !strings.HasSuffix(cp, ":1") {
			t.Errorf("checkpoint of %s = %q, want UID 1", f, cp)
		}
	}
}

func TestAMessageThatCannotBeParsedIsKeptAndPassed(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	// A header, but not one of mail: the in-memory server can only serve
	// bodies whose header it reads.
	srv.append("INBOX", "X-Scanner-Report: 42\r\n\r\nthis is no mail at all \xff\xfe\r\n", time.Time{})
	srv.append("INBOX", msg("Ann <ann@prospect.example>", "After the bad one", "hi"), time.Time{})
	c := e.connector(srv.mailbox("sales"))
	stop := e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 1)
	e.waitCount(c.Name(), core.CountFailed, 1)
	stop()

	failed, err := e.db.ListFailedInbounds(e.ctx, c.Name(), 10)
	if err != nil || len(failed) != 1 {
		t.Fatalf("failed inbounds: %v, %v", failed, err)
	}
	if f := failed[0]; !strings.Contains(f.Error, "not a mail message") || !strings.Contains(string(f.Raw), "no mail at all") || !strings.Contains(f.ExternalID, "UID=1") {
		t.Errorf("failed inbound %+v: want the parse error, the raw bytes and the UID", f)
	}
	// Restarted, it does not fetch the bad message again.
	srv.append("INBOX", msg("Bob <bob@prospect.example>", "Later", "hi"), time.Time{})
	c = e.connector(srv.mailbox("sales"))
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 2)
	if n := e.status(c.Name()).Counts[core.CountFailed]; n != 1 {
		t.Errorf("failed = %d after a restart, want still 1", n)
	}
}

func TestAMessageOverTheSizeCapIsKeptTruncated(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	big := msg("Ann <ann@prospect.example>", "Huge attachment", strings.Repeat("0123456789abcdef\n", 4000))
	srv.append("INBOX", big, time.Time{})
	srv.append("INBOX", msg("Bob <bob@prospect.example>", "Small", "hi"), time.Time{})
	mb := srv.mailbox("sales")
	mb.MaxSize = 16 << 10
	c := e.connector(mb)
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 1)
	e.waitCount(c.Name(), core.CountFailed, 1)
	failed, err := e.db.ListFailedInbounds(e.ctx, c.Name(), 10)
	if err != nil || len(failed) != 1 {
		t.Fatalf("failed inbounds: %v, %v", failed, err)
	}
	if f := failed[0]; !strings.Contains(f.Error, "over the 16384-byte limit") || len(f.Raw) == 0 || len(f.Raw) >= len(big) {
		t.Errorf("failed inbound: error %q, %d raw bytes of %d: want the limit named and the raw cut", f.Error, len(f.Raw), len(big))
	}
}

func TestALongBacklogIsCapturedInOrderInBatches(t *testing.T) {
	srv := newMemIMAP(t)
	const n = 450
	for i := range n {
		srv.append("INBOX", msg(fmt.Sprintf("P%d <p%d@prospect.example>", i, i), fmt.Sprintf("Enquiry %d", i), "hello"), time.Time{})
	}
	for _, batch := range []int{200, 1} {
		t.Run(fmt.Sprintf("with runs of up to %d", batch), func(t *testing.T) {
			e := newEnv(t)
			e.patience = time.Minute // one commit a message is slow, the more so under -race
			c := e.connector(srv.mailbox("sales"))
			c.maxBatch, c.chunk = batch, 100
			e.run(c)
			e.waitCount(c.Name(), core.CountCaptured, n)
			if cp := e.checkpoint(c.Name(), "INBOX"); !strings.HasSuffix(cp, fmt.Sprintf(":%d", n)) {
				t.Errorf("checkpoint %q, want UID %d", cp, n)
			}
		})
	}
}

func TestALeadCoreRefusesIsKeptAsFailedAndPassed(t *testing.T) {
	srv, e := newMemIMAP(t), newEnv(t)
	mb := srv.mailbox("sales")
	mb.Team = "Nowhere" // config validation prevents this; core refuses it
	c := e.connector(mb)
	for i := range 3 {
		srv.append("INBOX", msg(fmt.Sprintf("P%d <p%d@prospect.example>", i, i), "Hello", "hi"), time.Time{})
	}
	e.run(c)
	e.waitCount(c.Name(), core.CountFailed, 3)
	if cp := e.checkpoint(c.Name(), "INBOX"); !strings.HasSuffix(cp, ":3") {
		t.Errorf("checkpoint %q, want past all three", cp)
	}
	failed, _ := e.db.ListFailedInbounds(e.ctx, c.Name(), 10)
	if len(failed) != 3 || !strings.Contains(failed[0].Error, "Nowhere") || len(failed[0].Raw) == 0 {
		t.Errorf("failed inbounds %+v: want each kept with core's error and its raw message", failed)
	}
}

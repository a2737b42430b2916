package email

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"leadwire/core"
	"leadwire/internal/testenv"
)

// dovecot is an account of its own on the test Dovecot.
type dovecot struct {
	t                *testing.T
	addr, user, pass string
}

func newDovecot(t *testing.T) *dovecot {
	t.Helper()
	addr, user, pass := testenv.IMAP(t)
	return &dovecot{t: t, addr: addr, user: user, pass: pass}
}

func (d *dovecot) mailbox(name string) Mailbox {
	host, port, _ := net.SplitHostPort(d.addr)
	p, _ := strconv.Atoi(port)
	return Mailbox{Name: name, Host: host, Port: p, TLS: core.TLSNone, Username: d.user, Password: d.pass, PollInterval: time.Hour}
}

// client logs in a plain go-imap client.
func (d *dovecot) client() *imapclient.Client {
	d.t.Helper()
	cl, err := imapclient.DialInsecure(d.addr, nil)
	if err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() { cl.Close() })
	// Dovecot can take a moment to see an account just added to its
	// passwd-file.
	for deadline := time.Now().Add(20 * time.Second); ; {
		err := cl.Login(d.user, d.pass).Wait()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("login to Dovecot: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	cl.Caps() // LITERAL+ lets the APPENDs below go without waiting
	return cl
}

// appendAll APPENDs the messages to INBOX, pipelined, and reports which
// the server accepted.
func (d *dovecot) appendAll(raws [][]byte) []bool {
	d.t.Helper()
	cl := d.client()
	cmds := make([]*imapclient.AppendCommand, len(raws))
	for i, raw := range raws {
		cmds[i] = cl.Append("INBOX", int64(len(raw)), nil)
		if _, err := cmds[i].Write(raw); err != nil {
			d.t.Fatalf("append: %v", err)
		}
		if err := cmds[i].Close(); err != nil {
			d.t.Fatalf("append: %v", err)
		}
	}
	ok := make([]bool, len(raws))
	for i, cmd := range cmds {
		_, err := cmd.Wait()
		ok[i] = err == nil
	}
	return ok
}

func TestDovecotCorpusEndToEnd(t *testing.T) {
	d, e := newDovecot(t), newEnv(t)
	files := corpusFiles(t)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range files {
			if !yield(n) {
				return
			}
		}
	})
	raws := make([][]byte, len(names))
	for i, n := range names {
		raws[i] = files[n]
	}
	accepted := d.appendAll(raws)

	// What each message must become, read straight from its file.
	c := e.connector(d.mailbox("corpus"))
	c.mb.InternalDomains = []string{"example.com"}
	want := map[string]int64{}
	var leads, total int64
	for i, raw := range raws {
		if !accepted[i] {
			t.Logf("Dovecot refused %s", names[i])
			continue
		}
		total++
		it := c.prepare("INBOX", position{1, imap.UID(i + 1)}, meta{size: int64(len(raw)), date: time.Now()}, raw)
		switch {
		case it.in != nil:
			leads++
		case it.skip != "":
			want[core.SkipCount(it.skip)]++
		case it.fail != nil:
			want[core.CountFailed]++
		}
	}
	if total < 50 {
		t.Fatalf("only %d corpus messages accepted", total)
	}
	e.run(c)
	e.waitFor("every message's outcome", func() bool {
		var n int64
		for k, v := range e.status(c.Name()).Counts {
			if k != core.CountGuarded {
				n += v
			}
		}
		return n >= total
	})
	got := e.status(c.Name()).Counts
	if n := got[core.CountCaptured] + got[core.CountActivity] + got[core.CountDuplicate]; n != leads {
		t.Errorf("%d captured, activities and duplicates, want %d leads (counts %v)", n, leads, got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
	t.Logf("%d messages: %v", total, got)
}

func TestDovecotIdleDeliversAndResumes(t *testing.T) {
	d, e := newDovecot(t), newEnv(t)
	d.appendAll([][]byte{[]byte(msg("Ann <ann@prospect.example>", "Before", "hi"))})
	// d.mailbox polls only hourly: mail arriving within the wait's
	// patience came through IDLE.
	c := e.connector(d.mailbox("dove"))
	stop := e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 1)
	d.appendAll([][]byte{[]byte(msg("Bob <bob@prospect.example>", "During", "hi"))})
	e.waitCount(c.Name(), core.CountCaptured, 2)
	stop()
	d.appendAll([][]byte{[]byte(msg("Cid <cid@prospect.example>", "After", "hi"))})
	c = e.connector(d.mailbox("dove"))
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 3)
	if n := e.status(c.Name()).Counts[core.CountDuplicate]; n != 0 {
		t.Errorf("%d duplicates after the restart", n)
	}
}

// generated returns n distinct leads' messages of a few KB, each from a
// sender of its own, with a plain and an HTML part.
func generated(n int, tag string) [][]byte {
	out := make([][]byte, n)
	para := strings.Repeat("We are looking for a supplier for our new plant and would like a quote for the items below. ", 8)
	for i := range out {
		out[i] = fmt.Appendf(nil, "From: Buyer %[1]d <buyer%[1]d@company%[1]d.example>\r\n"+
			"To: sales@ourco.example\r\nSubject: Enquiry %[1]d from %[2]s\r\nDate: %[3]s\r\nMessage-ID: <%[2]s.%[1]d@company%[1]d.example>\r\n"+
			"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b%[1]d\"\r\n\r\n"+
			"--b%[1]d\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello,\r\n\r\n%[4]s\r\n\r\nThanks,\r\nBuyer %[1]d\r\n"+
			"--b%[1]d\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello,</p><p>%[4]s</p><p>Thanks,<br>Buyer %[1]d</p>\r\n--b%[1]d--\r\n",
			i, tag, time.Now().UTC().Format(time.RFC1123Z), para)
	}
	return out
}

func TestDovecotReadsNonASCIIFoldersAndLeavesMailUnseen(t *testing.T) {
	d, e := newDovecot(t), newEnv(t)
	folders := []string{"INBOX", "Входящие", "สอบถาม"}
	cl := d.client()
	for i, f := range folders {
		if f != "INBOX" {
			if err := cl.Create(f, nil).Wait(); err != nil {
				t.Fatalf("create %s: %v", f, err)
			}
		}
		raw := []byte(msg(fmt.Sprintf("P%d <p%d@prospect.example>", i, i), "Enquiry in "+f, "hello"))
		cmd := cl.Append(f, int64(len(raw)), nil)
		cmd.Write(raw)
		cmd.Close()
		if _, err := cmd.Wait(); err != nil {
			t.Fatalf("append to %s: %v", f, err)
		}
	}
	mb := d.mailbox("dove")
	mb.Folders = folders
	c := e.connector(mb)
	e.run(c)
	e.waitCount(c.Name(), core.CountCaptured, 3)
	for _, f := range folders {
		if _, err := cl.Select(f, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			t.Fatal(err)
		}
		msgs, err := cl.Fetch(imap.SeqSetNum(1), &imap.FetchOptions{Flags: true}).Collect()
		if err != nil || len(msgs) != 1 {
			t.Fatalf("flags in %s: %v", f, err)
		}
		if slices.Contains(msgs[0].Flags, imap.FlagSeen) {
			t.Errorf("the message in %s is \\Seen after the sync", f)
		}
	}
}

package email

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"leadwire/core"
	"leadwire/internal/testenv"
)

// The benchmarks run against the test Dovecot and print their figures:
//
//	LEADWIRE_BENCH=1 scripts/test.sh -run TestBench -v ./connectors/email/
//
// (scripts/test.sh adds -race, which slows everything; for the figures
// that matter run go test without it against a Dovecot it started:
// LEADWIRE_TEST_KEEP=1 keeps one's folder, see the script.)
// cpuTime is the CPU this process has used, user and system: the
// machine is shared, so wall times are noisy and CPU times steadier.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchOnly(t *testing.T) {
	t.Helper()
	if os.Getenv("LEADWIRE_BENCH") != "1" {
		t.Skip("set LEADWIRE_BENCH=1 to run the benchmarks")
	}
}

// TestBenchBacklog ingests a 10,000-message backlog and sets the time
// beside a plain go-imap UID FETCH of the same mailbox.
func TestBenchBacklog(t *testing.T) {
	benchOnly(t)
	n := 10000
	if v := os.Getenv("LEADWIRE_BENCH_N"); v != "" {
		fmt.Sscan(v, &n)
	}
	d := newDovecot(t)
	raws := generated(n, "backlog")
	var size int
	for _, r := range raws {
		size += len(r)
	}
	start := time.Now()
	how := "written into the maildir"
	if !d.fillMaildir(raws) {
		how = "APPENDed"
		for i, ok := range d.appendAll(raws) {
			if !ok {
				t.Fatalf("APPEND %d refused", i)
			}
		}
	}
	t.Logf("%d messages (%.1f MB) %s: %v", n, float64(size)/1e6, how, time.Since(start).Round(time.Millisecond))

	var rawCPU time.Duration
	fetch := func() time.Duration {
		cl := d.client()
		if _, err := cl.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			t.Fatal(err)
		}
		start, cpu0 := time.Now(), cpuTime()
		defer func() { rawCPU = cpuTime() - cpu0 }()
		cmd := cl.Fetch(imap.UIDSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, RFC822Size: true, InternalDate: true,
			BodySection: []*imap.FetchItemBodySection{{Peek: true}}})
		got := 0
		for m := cmd.Next(); m != nil; m = cmd.Next() {
			buf, err := m.Collect()
			if err != nil {
				t.Fatal(err)
			}
			if len(buf.BodySection) == 1 {
				got++
			}
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if got != n {
			t.Fatalf("raw fetch got %d messages, want %d", got, n)
		}
		cl.Close()
		return time.Since(start)
	}
	raw := min(fetch(), fetch())
	t.Logf("plain go-imap UID FETCH 1:* BODY.PEEK[]: %v (%.0f msg/s), client CPU %v", raw.Round(time.Millisecond), float64(n)/raw.Seconds(), rawCPU.Round(time.Millisecond))

	// The floor the database sets: the same leads, parsed beforehand,
	// through core.CaptureBatch in runs of 200 without any IMAP.
	{
		e := newEnv(t)
		c := e.connector(d.mailbox("floor"))
		ins := make([]core.Inbound, 0, n)
		for i, raw := range raws {
			it := c.prepare("INBOX", position{1, imap.UID(i + 1)}, meta{size: int64(len(raw)), date: time.Now()}, raw)
			if it.in == nil {
				t.Fatalf("message %d is not a lead", i)
			}
			ins = append(ins, *it.in)
		}
		start, cpu0 := time.Now(), cpuTime()
		for i := 0; i < n; i += 200 {
			_, errs := e.svc.CaptureBatch(e.ctx, ins[i:min(i+200, n)])
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		floor, cpu := time.Since(start), cpuTime()-cpu0
		t.Logf("core.CaptureBatch alone, runs of 200, no IMAP: %v (%.0f msg/s), %.2f× the plain fetch, CPU %v", floor.Round(time.Millisecond),
			float64(n)/floor.Seconds(), floor.Seconds()/raw.Seconds(), cpu.Round(time.Millisecond))
	}

	modes := []struct {
		name  string
		batch int
	}{{"CaptureBatch, runs of up to 200", 200}, {"Capture, one commit a message", 1}}
	if os.Getenv("LEADWIRE_BENCH_SINGLE") == "0" {
		modes = modes[:1]
	}
	for _, mode := range modes {
		e := newEnv(t)
		e.patience = 10 * time.Minute
		c := e.connector(d.mailbox("bench"))
		c.maxBatch = mode.batch
		start, cpu0 := time.Now(), cpuTime()
		stop := e.run(c)
		e.waitFor("the backlog", func() bool { return e.status(c.Name()).Counts[core.CountCaptured] >= int64(n) })
		took, cpu := time.Since(start), cpuTime()-cpu0
		stop()
		t.Logf("connector, %s: %v (%.0f msg/s), %.2f× the plain fetch, CPU %v", mode.name, took.Round(time.Millisecond),
			float64(n)/took.Seconds(), took.Seconds()/raw.Seconds(), cpu.Round(time.Millisecond))
	}
}

// TestBenchIdleLatency measures the time from APPEND to the lead stored,
// with the connector idling.
func TestBenchIdleLatency(t *testing.T) {
	benchOnly(t)
	const n = 50
	d, e := newDovecot(t), newEnv(t)
	c := e.connector(d.mailbox("latency"))
	e.run(c)
	e.waitFor("the first sync", func() bool { return e.checkpoint(c.Name(), "INBOX") != "" })
	cl := d.client()
	raws := generated(n, "latency")
	var took []time.Duration
	for i, raw := range raws {
		start := time.Now()
		cmd := cl.Append("INBOX", int64(len(raw)), nil)
		cmd.Write(raw)
		cmd.Close()
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
		key := core.InboundKey{Channel: core.ChannelEmail, Source: "latency", ExternalID: fmt.Sprintf("latency.%d@company%d.example", i, i)}
		for {
			if _, err := e.db.InboundResult(e.ctx, key); err == nil {
				break
			}
			if time.Since(start) > 30*time.Second {
				t.Fatalf("message %d not stored after 30s", i)
			}
			time.Sleep(time.Millisecond)
		}
		took = append(took, time.Since(start))
	}
	// Dovecot itself holds back IDLE notifications of changes made by
	// another process for half a second (NOTIFY_DELAY_MSECS 500 in its
	// mailbox-watch.c), which no IDLE client can beat; the in-memory
	// benchmark below shows the connector's own share.
	logLatency(t, "Dovecot", took)
}

// TestBenchIdleLatencyInMemory is TestBenchIdleLatency against go-imap's
// in-memory server, which notifies an IDLE at once: the connector's own
// share of the latency.
func TestBenchIdleLatencyInMemory(t *testing.T) {
	benchOnly(t)
	const n = 50
	srv, e := newMemIMAP(t), newEnv(t)
	c := e.connector(srv.mailbox("latency"))
	// The in-memory server registers an IDLE a moment after acknowledging
	// it and misses mail appended meanwhile; re-issuing IDLE every second
	// bounds the cost of a miss, the median does not see it.
	c.idleFor = time.Second
	idling := make(chan struct{}, 1)
	c.idling = func() {
		select {
		case idling <- struct{}{}:
		default:
		}
	}
	e.run(c)
	var took []time.Duration
	for i, raw := range generated(n, "latency") {
		<-idling
		start := time.Now()
		srv.append("INBOX", string(raw), time.Time{})
		key := core.InboundKey{Channel: core.ChannelEmail, Source: "latency", ExternalID: fmt.Sprintf("latency.%d@company%d.example", i, i)}
		for {
			if _, err := e.db.InboundResult(e.ctx, key); err == nil {
				break
			}
			if time.Since(start) > 30*time.Second {
				t.Fatalf("message %d not stored after 30s", i)
			}
			time.Sleep(100 * time.Microsecond)
		}
		took = append(took, time.Since(start))
	}
	logLatency(t, "in-memory server", took)
}

func logLatency(t *testing.T, server string, took []time.Duration) {
	t.Helper()
	slices.Sort(took)
	q := func(p float64) time.Duration { return took[int(p*float64(len(took)-1))].Round(100 * time.Microsecond) }
	t.Logf("APPEND → lead stored with IDLE on %s, %d messages: p50 %v, p90 %v, max %v", server, len(took), q(0.5), q(0.9), q(1))
}

// fillMaildir writes the messages straight into the account's maildir
// (scripts/test.sh's layout: maildir:<run>/mail/<user>, the passwd-file at
// <run>/dovecot/passwd), which is a hundred times faster than APPEND;
// Dovecot gives them UIDs in order when the folder is next opened. false
// when the layout is not there.
func (d *dovecot) fillMaildir(raws [][]byte) bool {
	d.t.Helper()
	passwd := os.Getenv(testenv.EnvIMAPPasswd)
	if passwd == "" {
		return false
	}
	root := filepath.Join(filepath.Dir(filepath.Dir(passwd)), "mail")
	st, err := os.Stat(root)
	if err != nil {
		return false
	}
	uid, gid := -1, -1
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		uid, gid = int(s.Uid), int(s.Gid)
	}
	home := filepath.Join(root, d.user)
	for _, sub := range []string{"", "cur", "new", "tmp"} {
		p := filepath.Join(home, sub)
		if err := os.MkdirAll(p, 0o700); err != nil {
			d.t.Fatal(err)
		}
		os.Chown(p, uid, gid)
	}
	base := time.Now().Unix()
	for i, raw := range raws {
		// Names sort in order, so UIDs follow the slice.
		name := fmt.Sprintf("%d.M%06dP1Q%06d.leadwire-bench", base, i, i)
		tmp := filepath.Join(home, "tmp", name)
		if err := os.WriteFile(tmp, raw, 0o600); err != nil {
			d.t.Fatal(err)
		}
		os.Chown(tmp, uid, gid)
		if err := os.Rename(tmp, filepath.Join(home, "new", name)); err != nil {
			d.t.Fatal(err)
		}
	}
	return true
}

// BenchmarkPrepareBacklog is the connector's own work on each message of
// the backlog benchmark, without IMAP or the database: parse, classify,
// map to an inbound.
func BenchmarkPrepareBacklog(b *testing.B) {
	raws := generated(1000, "prepare")
	c := &Connector{name: "bench", mb: Mailbox{Name: "bench", MaxSize: 25 << 20}, log: slog.New(slog.DiscardHandler)}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		raw := raws[n%len(raws)]
		if it := c.prepare("INBOX", position{1, imap.UID(n + 1)}, meta{size: int64(len(raw)), date: time.Now()}, raw); it.in == nil {
			b.Fatalf("message %d is not a lead", n)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
}

package webform_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"leadwire/connectors/webform"
	"leadwire/core"
)

// TestLoad is the web form load generator: clients post forms over real
// HTTP (loopback TCP) to a server on SQLite, as fast as answers come, for a
// while, and it reports submissions a second and latency percentiles.
// Every submission is a new person, so each one is a new contact, lead,
// activity and notification job: the heaviest capture there is.
//
//	LEADWIRE_BENCH=1 go test -run TestLoad -v ./connectors/webform/
//
// LEADWIRE_BENCH_CLIENTS (default 64) and LEADWIRE_BENCH_SECONDS (default
// 10) change the load.
func TestLoad(t *testing.T) {
	if os.Getenv("LEADWIRE_BENCH") != "1" {
		t.Skip("set LEADWIRE_BENCH=1 to run the web form load generator")
	}
	clients := envInt("LEADWIRE_BENCH_CLIENTS", 64)
	duration := time.Duration(envInt("LEADWIRE_BENCH_SECONDS", 10)) * time.Second
	e := newEnv(t, webform.Form{ID: "load", Team: "Warsaw", Region: "PL",
		Fields: map[string]string{"your-email": "email", "your-name": "name", "your-message": "message"}})
	transport := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	target := e.srv.URL + "/forms/load"

	var seq, failed atomic.Int64
	latencies := make([][]time.Duration, clients)
	var firstErr atomic.Value
	post := func() (time.Duration, error) {
		n := seq.Add(1)
		body := url.Values{
			"your-email":   {fmt.Sprintf("load%d@example%d.pl", n, n%97)},
			"your-name":    {fmt.Sprintf("Klient %d", n)},
			"your-message": {"Proszę o wycenę wdrożenia dla 50 osób."},
			"utm_source":   {"bench"},
		}.Encode()
		req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return 0, fmt.Errorf("status %d", resp.StatusCode)
		}
		return time.Since(t0), nil
	}
	// Every client connects and posts once before the clock starts, so
	// that the figures are of the sustained load, not of 64 handshakes.
	var warm sync.WaitGroup
	for range clients {
		warm.Go(func() {
			if _, err := post(); err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, err)
			}
		})
	}
	warm.Wait()
	warmed := seq.Load()

	cpu0 := cpuTime()
	start := time.Now()
	deadline := start.Add(duration)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				d, err := post()
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				latencies[c] = append(latencies[c], d)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0

	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	slices.Sort(all)
	if len(all) == 0 {
		t.Fatalf("no submission succeeded: %v", firstErr.Load())
	}
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	t.Logf("web form load: %d clients, %v, GOMAXPROCS %d, SQLite (synchronous=FULL) in %s",
		clients, elapsed.Round(time.Millisecond), runtime.GOMAXPROCS(0), os.TempDir())
	t.Logf("  %d submissions, %.0f/s, %d failed", len(all), float64(len(all))/elapsed.Seconds(), failed.Load())
	t.Logf("  CPU %v (server and clients) = %v a submission, %.0f%% of the machine",
		cpu.Round(time.Millisecond), (cpu / time.Duration(len(all))).Round(time.Microsecond),
		100*cpu.Seconds()/elapsed.Seconds()/float64(runtime.NumCPU()))
	t.Logf("  latency p50 %v  p90 %v  p99 %v  max %v",
		pct(0.50).Round(10*time.Microsecond), pct(0.90).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), all[len(all)-1].Round(10*time.Microsecond))
	if failed.Load() > 0 {
		t.Errorf("%d submissions failed; first: %v", failed.Load(), firstErr.Load())
	}
	// Every answered submission is stored, once.
	var stored int
	for _, s := range mustStatuses(t, e) {
		if s.Connector == "webform:load" {
			stored = int(s.Counts[core.CountCaptured])
		}
	}
	if stored != len(all)+int(warmed) {
		t.Errorf("%d leads captured, %d answered 201", stored, len(all)+int(warmed))
	}
}

func mustStatuses(t *testing.T, e *env) []core.ConnectorStatus {
	t.Helper()
	st, err := e.db.ConnectorStatuses(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

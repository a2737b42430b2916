package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServeAnswersHealthAndMetricsAndStopsCleanly(t *testing.T) {
	e := newIOEnv(t)
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
	go func() {
		exit <- run(ctx, []string{"--config", e.config, "serve", "--listen", addr}, io.Discard, pw, func(string) string { return "" })
		pw.Close()
	}()
	// The server logs when it listens.
	lines := bufio.NewScanner(pr)
	for lines.Scan() && !strings.Contains(lines.Text(), "leadwire serving") {
	}
	go io.Copy(io.Discard, pr)

	for _, tt := range []struct{ path, want string }{
		{"/healthz", "ok"},
		{"/readyz", "ready"},
		{"/metrics", "leadwire_http_requests_total"},
	} {
		resp, err := http.Get("http://" + addr + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), tt.want) {
			t.Errorf("GET %s = %d %q, want 200 with %q", tt.path, resp.StatusCode, body, tt.want)
		}
	}
	stop() // what SIGINT/SIGTERM do through signal.NotifyContext
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("serve exited %d after shutdown, want 0", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s of shutdown")
	}
}

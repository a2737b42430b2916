package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"leadwire/internal/slacktest"
)

// TestServeInSocketMode runs serve with slack.mode socket against a Slack
// stand-in: it connects through apps.connections.open, does not mount the
// HTTP endpoints, and lets go of the socket on shutdown.
func TestServeInSocketMode(t *testing.T) {
	ws := slacktest.NewSocket(t)
	api := slacktest.New(t)
	api.SocketURL(ws.URL())

	e := newIOEnv(t)
	f, err := os.OpenFile(e.config, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "slack:\n  mode: socket\n  bot_token: xoxb-test\n  app_token: xapp-1-test\n  api_url: %s\n", api.APIURL())
	f.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"--config", e.config, "serve", "--listen", addr}, io.Discard, io.Discard, func(string) string { return "" })
	}()
	select {
	case <-ws.Hello:
	case code := <-exit:
		t.Fatalf("serve exited %d", code)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not connect to Slack within 10 s")
	}
	var tokens []string
	for _, c := range api.Take() {
		tokens = append(tokens, "/api/"+c.Method+" "+c.Auth)
	}
	opened := strings.Join(tokens, "\n")
	if !strings.Contains(opened, "/api/apps.connections.open Bearer xapp-1-test") {
		t.Errorf("calls:\n%s", opened)
	}
	resp, err := http.Post("http://"+addr+"/slack/commands", "application/x-www-form-urlencoded", strings.NewReader("text=help"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST /slack/commands in socket mode = %d, want 404", resp.StatusCode)
	}

	stop()
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("serve exited %d after shutdown, want 0", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20 s of shutdown")
	}
	select {
	case <-ws.Closed:
	case <-time.After(20 * time.Second):
		t.Fatal("the socket was not closed")
	}
}

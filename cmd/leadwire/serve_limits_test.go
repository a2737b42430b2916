package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// logBuffer collects what serve logs, safely for the test to read while
// serve writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// served is a running `leadwire serve`.
type served struct {
	addr string
	log  *logBuffer
}

// appendConfig adds YAML to the env's config file.
func (e *ioEnv) appendConfig(yaml string) {
	e.t.Helper()
	cfg, err := os.ReadFile(e.config)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(e.config, append(cfg, yaml...), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// startServe runs serve on a free loopback port until the test ends and
// returns once it listens; when serve exits first, it returns its exit
// code and what it logged, and addr is empty.
func startServe(t *testing.T, e *ioEnv) (s served, exitCode int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, stop := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	log := &logBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"--config", e.config, "serve", "--listen", addr}, io.Discard, pw, func(string) string { return "" })
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	serving := false
	for lines.Scan() {
		fmt.Fprintln(log, lines.Text())
		if strings.Contains(lines.Text(), "leadwire serving") {
			serving = true
			break
		}
	}
	if !serving {
		stop()
		return served{log: log}, <-exit
	}
	go io.Copy(log, pr)
	t.Cleanup(func() {
		stop()
		select {
		case <-exit:
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop within 20s")
		}
	})
	return served{addr: addr, log: log}, 0
}

// rawRequest writes head to a new connection and reads until the server
// closes it; an error when it is still open after patience.
func rawRequest(t *testing.T, addr, head string, patience time.Duration) (string, error) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, head); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(patience))
	got, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return string(got), fmt.Errorf("the connection is still open after %v", patience)
	}
	return string(got), nil
}

func TestSlowAndSilentClientsAreCutOffBeforeAuthentication(t *testing.T) {
	t.Parallel()
	e := newIOEnv(t)
	e.appendConfig(`
forms:
  - id: contact
    fields: {your-email: email}
webhooks:
  max_bytes: 8KiB
http:
  read_header_timeout: 200ms
  read_timeout: 300ms
  write_timeout: 5s
  idle_timeout: 300ms
  max_body: 4KiB
`)
	s, code := startServe(t, e)
	if s.addr == "" {
		t.Fatalf("serve exited %d:\n%s", code, s.log)
	}
	// Far longer than every configured timeout: the server must have
	// closed the connection by then. It is a bound, not a wait: the
	// read ends as soon as the server closes.
	const patience = 10 * time.Second

	for _, path := range []string{"/forms/contact", "/api/v1/inbound", "/u/1.abc", "/healthz"} {
		t.Run("a request to "+path+" declaring a body it never sends is closed", func(t *testing.T) {
			method := "POST"
			if path == "/healthz" {
				method = "GET"
			}
			head := method + " " + path + " HTTP/1.1\r\nHost: leadwire\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
			if _, err := rawRequest(t, s.addr, head, patience); err != nil {
				t.Error(err)
			}
		})
	}
	t.Run("headers that never end are closed", func(t *testing.T) {
		if _, err := rawRequest(t, s.addr, "POST /forms/contact HTTP/1.1\r\nHost: leadwire\r\n", patience); err != nil {
			t.Error(err)
		}
	})
	t.Run("an idle kept-alive connection is closed", func(t *testing.T) {
		got, err := rawRequest(t, s.addr, "GET /healthz HTTP/1.1\r\nHost: leadwire\r\n\r\n", patience)
		if err != nil {
			t.Error(err)
		}
		if !strings.HasPrefix(got, "HTTP/1.1 200") {
			t.Errorf("got %q, want the answer before the close", got)
		}
	})

	big := strings.Repeat("x", 16<<10)
	for _, tt := range []struct{ name, path, limit string }{
		{"a webhook delivery past webhooks.max_bytes, without a token", "/api/v1/inbound", "8192"},
		{"an unsubscribe post past http.max_body", "/u/1.abc", "4096"},
	} {
		t.Run(tt.name+" is refused with 413 before authentication", func(t *testing.T) {
			resp, err := http.Post("http://"+s.addr+tt.path, "application/json", strings.NewReader(big))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), tt.limit) {
				t.Errorf("got %d %s; want 413 naming the limit %s", resp.StatusCode, body, tt.limit)
			}
		})
	}
	t.Run("a body within the limits is taken", func(t *testing.T) {
		resp, err := http.PostForm("http://"+s.addr+"/forms/contact", url.Values{"your-email": {"anna@example.pl"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
			t.Errorf("got %d", resp.StatusCode)
		}
	})
}

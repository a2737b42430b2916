package slacktest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Socket is a Socket Mode stand-in: a WebSocket server that says hello,
// sends the envelopes it is given, and passes on what it reads back. Give
// its URL to Server.SocketURL for apps.connections.open to answer.
type Socket struct {
	// Send sends an envelope to the connected client.
	Send chan<- map[string]any
	// Hello receives once for each connection greeted.
	Hello <-chan struct{}
	// Closed receives once for each connection the client let go of.
	Closed <-chan struct{}

	t    testing.TB
	srv  *httptest.Server
	acks chan map[string]any
}

// NewSocket starts a Socket Mode stand-in, closed when the test ends.
func NewSocket(t testing.TB) *Socket {
	send, hello, closed := make(chan map[string]any), make(chan struct{}, 4), make(chan struct{}, 4)
	s := &Socket{Send: send, Hello: hello, Closed: closed, t: t, acks: make(chan map[string]any, 16)}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		if err := conn.WriteJSON(map[string]any{"type": "hello", "num_connections": 1,
			"connection_info": map[string]any{"app_id": "A0LW"}, "debug_info": map[string]any{"host": "stand-in"}}); err != nil {
			return
		}
		signal(hello)
		gone := make(chan struct{})
		go func() {
			defer close(gone)
			for {
				var m map[string]any
				if err := conn.ReadJSON(&m); err != nil {
					signal(closed)
					return
				}
				s.acks <- m
			}
		}()
		for {
			select {
			case env := <-send:
				if err := conn.WriteJSON(env); err != nil {
					return
				}
			case <-gone:
				return
			}
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// signal sends on a buffered channel, dropping the signal if no one has
// read the ones before.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// URL is the WebSocket URL to connect to.
func (s *Socket) URL() string { return "ws" + strings.TrimPrefix(s.srv.URL, "http") }

// Ack waits for the client's acknowledgement of an envelope and returns
// it.
func (s *Socket) Ack(envelope string) map[string]any {
	s.t.Helper()
	select {
	case m := <-s.acks:
		if m["envelope_id"] != envelope {
			s.t.Fatalf("ack %v, want envelope %s", m, envelope)
		}
		return m
	case <-time.After(20 * time.Second):
		s.t.Fatalf("no ack of %s within 20 s", envelope)
	}
	return nil
}

// Package tgtest is a stand-in for the Telegram Bot API, for tests: it
// answers getMe, getUpdates, sendMessage, editMessageText,
// answerCallbackQuery and setMyCommands for any number of bots (told apart
// by token), records every call, and can answer 429 with retry_after or
// refuse messages to a chat that blocked the bot.
package tgtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Date is the date of the messages the stand-in returns (2 November 2026).
const Date = 1793610000

// Call is one request the stand-in received.
type Call struct {
	Token  string // the bot's token
	Method string
	Params map[string]string // form fields or JSON members (non-strings as JSON)
}

// Server is the stand-in; URL is its base, for a client's API URL.
type Server struct {
	URL string

	srv       *httptest.Server
	mu        sync.Mutex
	calls     []Call
	updates   map[string][]update // by token
	usernames map[string]string   // getMe: token → username
	blocked   map[string]bool     // chat ids whose sendMessage is refused with 403
	limited   map[string]int      // method ("" for any) → how many more calls get 429
	revoked   map[string]bool     // tokens refused with 401
	msg       int
	wake      chan struct{}
}

type update struct {
	id  int64
	raw json.RawMessage
}

// New starts a stand-in, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{updates: map[string][]update{}, usernames: map[string]string{}, blocked: map[string]bool{}, revoked: map[string]bool{}, limited: map[string]int{},
		wake: make(chan struct{}, 1)}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Username sets what getMe answers for a token (default "leadwire_bot").
func (s *Server) Username(token, name string) {
	s.mu.Lock()
	s.usernames[token] = name
	s.mu.Unlock()
}

// Limit answers the next n calls with 429 and retry_after 1.
func (s *Server) Limit(n int) { s.LimitMethod("", n) }

// LimitMethod answers the next n calls of method with 429 and
// retry_after 1.
func (s *Server) LimitMethod(method string, n int) {
	s.mu.Lock()
	s.limited[method] = n
	s.mu.Unlock()
}

// Block refuses every sendMessage to chat with 403, as Telegram does when
// the person blocked the bot.
func (s *Server) Block(chat int64) {
	s.mu.Lock()
	s.blocked[fmt.Sprint(chat)] = true
	s.mu.Unlock()
}

// Revoke makes every call with token answer 401, as for a revoked token;
// Revoke(token, false) restores it.
func (s *Server) Revoke(token string, revoked bool) {
	s.mu.Lock()
	s.revoked[token] = revoked
	s.mu.Unlock()
}

// Queue adds an update with id for token's getUpdates.
func (s *Server) Queue(token string, id int64, u map[string]any) {
	u["update_id"] = id
	b, _ := json.Marshal(u)
	s.mu.Lock()
	s.updates[token] = append(s.updates[token], update{id: id, raw: b})
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !ok || !strings.HasPrefix(r.URL.Path, "/bot") {
		http.Error(w, `{"ok":false,"error_code":404,"description":"Not Found"}`, http.StatusNotFound)
		return
	}
	c := Call{Token: token, Method: method, Params: map[string]string{}}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		body, _ := io.ReadAll(r.Body)
		json.Unmarshal(body, &m)
		for k, v := range m {
			if s, ok := v.(string); ok {
				c.Params[k] = s
			} else {
				b, _ := json.Marshal(v)
				c.Params[k] = string(b)
			}
		}
	} else if err := r.ParseMultipartForm(1 << 20); err == nil {
		for k, v := range r.MultipartForm.Value {
			c.Params[k] = v[0]
		}
		for k, fh := range r.MultipartForm.File { // uploads: "name:content"
			if f, err := fh[0].Open(); err == nil {
				b, _ := io.ReadAll(f)
				f.Close()
				c.Params[k] = fh[0].Filename + ":" + string(b)
			}
		}
	}
	s.mu.Lock()
	s.calls = append(s.calls, c)
	var limited bool
	for _, m := range []string{"", method} {
		if s.limited[m] > 0 {
			s.limited[m]--
			limited = true
			break
		}
	}
	blocked := method == "sendMessage" && s.blocked[c.Params["chat_id"]]
	username := s.usernames[token]
	revoked := s.revoked[token]
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case revoked:
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
		return
	case limited:
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`)
		return
	case blocked:
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`)
		return
	}
	var result any = true
	switch method {
	case "getMe":
		if username == "" {
			username = "leadwire_bot"
		}
		result = map[string]any{"id": 123456, "is_bot": true, "first_name": "leadwire", "username": username}
	case "getUpdates":
		result = s.pending(r.Context(), token, c.Params["offset"])
	case "sendMessage", "editMessageText", "sendPhoto":
		s.mu.Lock()
		s.msg++
		id := s.msg
		s.mu.Unlock()
		if method == "editMessageText" {
			fmt.Sscan(c.Params["message_id"], &id)
		}
		var chat int64
		fmt.Sscan(c.Params["chat_id"], &chat)
		result = map[string]any{"message_id": id, "date": Date, "chat": map[string]any{"id": chat, "type": "private"},
			"text": c.Params["text"]}
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// pending returns token's updates from offset on, waiting a little for
// some as a long poll does.
func (s *Server) pending(ctx context.Context, token, offset string) []json.RawMessage {
	var from int64
	fmt.Sscan(offset, &from)
	timer := time.NewTimer(200 * time.Millisecond)
	defer timer.Stop()
	for {
		s.mu.Lock()
		var out []json.RawMessage
		for _, u := range s.updates[token] {
			if u.id >= from {
				out = append(out, u.raw)
			}
		}
		s.mu.Unlock()
		if len(out) > 0 {
			return out
		}
		select {
		case <-s.wake:
		case <-timer.C:
			return []json.RawMessage{}
		case <-ctx.Done():
			return []json.RawMessage{}
		}
	}
}

// Take returns the calls recorded since the last Take, and forgets them.
func (s *Server) Take() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.calls
	s.calls = nil
	return out
}

// Only keeps the calls of the methods.
func Only(calls []Call, methods ...string) []Call {
	var out []Call
	for _, c := range calls {
		for _, m := range methods {
			if c.Method == m {
				out = append(out, c)
			}
		}
	}
	return out
}

// Names lists the methods of calls.
func Names(calls []Call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Method)
	}
	return out
}

// Text is a text message update from a Telegram user in their private
// chat with the bot.
func Text(from int64, msgID int, s string) map[string]any {
	return map[string]any{"message": map[string]any{"message_id": msgID, "date": Date, "text": s,
		"from": map[string]any{"id": from, "is_bot": false, "first_name": "Someone"},
		"chat": map[string]any{"id": from, "type": "private"}}}
}

// Package slacktest is a stand-in for Slack's Web API, for tests: it
// records every call and answers like Slack (ok, a ts per message, a D…
// id for a DM to a user, conversations.history from what was posted,
// files uploads, users looked up by id or email), and when told to
// answers 429 with Retry-After or refuses a method or a channel with
// Slack's error code. It also serves response_urls under /response/.
package slacktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"leadwire/internal/wait"
)

// Call is one request the stand-in received.
type Call struct {
	Method string         // "chat.postMessage"; "response" for a response_url; the path for anything else
	Form   url.Values     // form-encoded calls
	JSON   map[string]any // JSON calls
	Raw    string         // the body as sent
	Auth   string         // the Authorization header
	Error  string         // the error the stand-in answered with, if it refused the call
}

// Param reads a parameter of either encoding (non-strings as JSON).
func (c Call) Param(name string) string {
	if c.Form != nil {
		return c.Form.Get(name)
	}
	switch v := c.JSON[name].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// Methods lists the calls' methods, for a failure message.
func Methods(calls []Call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Method)
	}
	return out
}

// Server is the stand-in; URL is its base (the Web API is under
// URL+"/api/", see APIURL).
type Server struct {
	URL string

	t         testing.TB
	srv       *httptest.Server
	mu        sync.Mutex
	calls     []Call
	lean      bool
	onPost    func(Call)
	limited   int           // answer the next n calls with 429
	retry     time.Duration // the Retry-After of those answers
	refuse    map[string]string
	refuseCh  map[string]string
	emails    map[string]string // users.lookupByEmail: email → Slack id
	users     map[string]any    // users.info: Slack id → user object
	socket    string            // apps.connections.open: the WebSocket URL
	ts        int
	history   map[string][]map[string]any // by channel (a DM under "D0" and the user's id), oldest first
	fileNames map[string]string           // file id → the name files.getUploadURLExternal was given
}

// New starts a stand-in, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{t: t, refuse: map[string]string{}, refuseCh: map[string]string{}, emails: map[string]string{},
		users: map[string]any{}, history: map[string][]map[string]any{}, fileNames: map[string]string{}}
	s.srv = httptest.NewServer(s)
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// APIURL is the Web API's base URL, for an adapter's options.
func (s *Server) APIURL() string { return s.URL + "/api/" }

// Limit answers the next n calls with 429 ratelimited and Retry-After.
func (s *Server) Limit(n int, retryAfter time.Duration) {
	s.mu.Lock()
	s.limited, s.retry = n, retryAfter
	s.mu.Unlock()
}

// Refuse answers every call of method ("" for any) with Slack's error
// code ({"ok":false,"error":code}); an empty code accepts it again.
func (s *Server) Refuse(method, code string) {
	s.mu.Lock()
	if code == "" {
		delete(s.refuse, method)
	} else {
		s.refuse[method] = code
	}
	s.mu.Unlock()
}

// RefuseChannel answers chat.postMessage and chat.update to channel (a
// user's id for a DM) with Slack's error code; an empty code accepts them
// again.
func (s *Server) RefuseChannel(channel, code string) {
	s.mu.Lock()
	if code == "" {
		delete(s.refuseCh, channel)
	} else {
		s.refuseCh[channel] = code
	}
	s.mu.Unlock()
}

// User sets what users.info answers for a Slack id.
func (s *Server) User(id string, user map[string]any) {
	s.mu.Lock()
	s.users[id] = user
	s.mu.Unlock()
}

// Email sets the Slack id users.lookupByEmail finds for an address.
func (s *Server) Email(email, id string) {
	s.mu.Lock()
	s.emails[email] = id
	s.mu.Unlock()
}

// SocketURL sets the WebSocket URL apps.connections.open answers.
func (s *Server) SocketURL(url string) {
	s.mu.Lock()
	s.socket = url
	s.mu.Unlock()
}

// Remember adds a message to a channel's history (a DM under "D0" and the
// user's id), as if it had been posted: a post the stand-in never saw.
func (s *Server) Remember(channel string, msg map[string]any) {
	s.mu.Lock()
	s.history[channel] = append(s.history[channel], msg)
	s.mu.Unlock()
}

// OnPost calls f with every chat.postMessage the stand-in accepts, in
// order, one at a time.
func (s *Server) OnPost(f func(Call)) {
	s.mu.Lock()
	s.onPost = f
	s.mu.Unlock()
}

// Lean keeps no calls and no message texts (the history keeps each
// message's metadata): for a benchmark posting 100,000 messages, which
// watches them with OnPost.
func (s *Server) Lean() {
	s.mu.Lock()
	s.lean = true
	s.mu.Unlock()
}

// Take returns the calls recorded since the last Take, and forgets them.
func (s *Server) Take() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.calls
	s.calls = nil
	return out
}

// Await polls until the stand-in has recorded n calls since the last
// Take, and takes them.
func (s *Server) Await(n int) []Call {
	s.t.Helper()
	got := 0
	if !wait.Until(wait.Patience, func() bool {
		s.mu.Lock()
		got = len(s.calls)
		s.mu.Unlock()
		return got >= n
	}) {
		s.t.Fatalf("%d calls after %s, want %d: %v", got, wait.Patience, n, Methods(s.Take()))
	}
	return s.Take()
}

// ServeHTTP answers one call, so another stand-in can pass Slack's calls
// on to this one.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c := Call{Raw: string(body), Auth: r.Header.Get("Authorization")}
	if strings.HasPrefix(r.URL.Path, "/response/") {
		c.Method = "response"
	} else {
		c.Method = strings.TrimPrefix(r.URL.Path, "/api/")
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		json.Unmarshal(body, &c.JSON)
	} else {
		c.Form, _ = url.ParseQuery(string(body))
	}
	status, retryAfter, resp := s.handle(c)
	w.Header().Set("Content-Type", "application/json")
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(resp)
}

// handle records a call and decides the answer: its status, Retry-After
// and body.
func (s *Server) handle(c Call) (status int, retryAfter string, resp any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ts++
	ts := fmt.Sprintf("1793610000.%06d", s.ts)
	if s.limited > 0 {
		s.limited--
		c.Error = "ratelimited"
		s.record(c)
		return http.StatusTooManyRequests, strconv.Itoa(int(s.retry / time.Second)), map[string]any{"ok": false, "error": "ratelimited"}
	}
	code := s.refuse[c.Method]
	if code == "" {
		code = s.refuse[""]
	}
	if code == "" && (c.Method == "chat.postMessage" || c.Method == "chat.update") {
		code = s.refuseCh[c.Param("channel")]
	}
	if code != "" {
		c.Error = code
		s.record(c)
		return http.StatusOK, "", map[string]any{"ok": false, "error": code}
	}
	s.record(c)
	return http.StatusOK, "", s.answer(c, ts)
}

// record keeps a call unless the stand-in is lean; s.mu is held.
func (s *Server) record(c Call) {
	if !s.lean {
		s.calls = append(s.calls, c)
	}
}

// answer is Slack's answer to an accepted call; s.mu is held.
func (s *Server) answer(c Call, ts string) any {
	switch c.Method {
	case "chat.postMessage":
		ch := c.Param("channel")
		if strings.HasPrefix(ch, "U") {
			ch = "D0" + ch // a DM: Slack answers with its D… id
		}
		if s.onPost != nil {
			s.onPost(c)
		}
		m := map[string]any{"type": "message", "ts": ts}
		if !s.lean {
			m["text"] = c.Param("text")
		}
		if meta := c.Param("metadata"); meta != "" {
			var v any
			json.Unmarshal([]byte(meta), &v)
			m["metadata"] = v
		}
		s.history[ch] = append(s.history[ch], m)
		return map[string]any{"ok": true, "channel": ch, "ts": ts}
	case "chat.update":
		return map[string]any{"ok": true, "channel": c.Param("channel"), "ts": ts}
	case "conversations.open":
		return map[string]any{"ok": true, "channel": map[string]any{"id": "D0" + c.Param("users")}}
	case "conversations.history":
		posted := s.history[c.Param("channel")]
		msgs := make([]map[string]any, len(posted))
		for i, m := range posted {
			msgs[len(posted)-1-i] = m // newest first, as Slack answers
		}
		return map[string]any{"ok": true, "messages": msgs, "has_more": false}
	case "files.getUploadURLExternal":
		id := "F0" + ts[len(ts)-3:]
		s.fileNames[id] = c.Param("filename")
		return map[string]any{"ok": true, "upload_url": s.URL + "/upload/" + id, "file_id": id}
	case "files.completeUploadExternal":
		// Shared in a channel, the files come in its history as a message.
		var files []map[string]any
		json.Unmarshal([]byte(c.Param("files")), &files)
		for _, f := range files {
			f["name"] = s.fileNames[fmt.Sprint(f["id"])]
		}
		if ch := c.Param("channel_id"); ch != "" {
			s.history[ch] = append(s.history[ch], map[string]any{"type": "message", "ts": ts, "files": files})
		}
		return map[string]any{"ok": true, "files": files}
	case "chat.postEphemeral":
		return map[string]any{"ok": true, "message_ts": ts}
	case "views.open":
		return map[string]any{"ok": true, "view": map[string]any{"id": "V0001"}}
	case "apps.connections.open":
		return map[string]any{"ok": true, "url": s.socket}
	case "auth.test":
		return map[string]any{"ok": true, "user_id": "U0BOT", "bot_id": "B0LW", "team": "Acme"}
	case "bots.info":
		if c.Param("bot") == "B0FLOW" {
			return map[string]any{"ok": true, "bot": map[string]any{"id": "B0FLOW", "name": "Lead form workflow"}}
		}
		return map[string]any{"ok": false, "error": "bot_not_found"}
	case "users.info":
		if u, ok := s.users[c.Param("user")]; ok {
			return map[string]any{"ok": true, "user": u}
		}
		return map[string]any{"ok": false, "error": "user_not_found"}
	case "users.lookupByEmail":
		if id, ok := s.emails[c.Param("email")]; ok {
			return map[string]any{"ok": true, "user": map[string]any{"id": id, "profile": map[string]any{"email": c.Param("email")}}}
		}
		return map[string]any{"ok": false, "error": "users_not_found"}
	}
	return map[string]any{"ok": true}
}

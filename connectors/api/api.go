// Package api is leadwire's REST API, /api/v1: the pipeline's records to
// read and change, through the same core services and permission checks
// as chat. A caller authenticates with an API token (leadwire tokens create
// NAME --scopes read,write --as EMAIL) and acts as the token's user; each
// route needs a scope. Records are written as the CLI's --json writes them
// (package view); every error is problem+json (package problem).
package api

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"leadwire/core"
	"leadwire/internal/problem"
	"leadwire/internal/view"
)

// Options tune the API.
type Options struct {
	// Rate is how many requests a second one token may make on average
	// (0: 10), and Burst how many at once (0: 50).
	Rate  float64
	Burst int
	Log   *slog.Logger
	// Hooks serve the webhook subscriptions (/api/v1/hooks).
	Hooks HookOptions
}

// Handler serves /api/v1.
type Handler struct {
	svc   *core.Service
	log   *slog.Logger
	rate  rate.Limit
	burst int
	hooks HookOptions

	mu     sync.Mutex
	limits map[int64]*rate.Limiter // by token id
}

// New returns the API over the service.
func New(svc *core.Service, opts Options) *Handler {
	h := &Handler{svc: svc, log: opts.Log, rate: rate.Limit(opts.Rate), burst: opts.Burst, hooks: opts.Hooks, limits: map[int64]*rate.Limiter{}}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.rate <= 0 {
		h.rate = 10
	}
	if h.burst <= 0 {
		h.burst = 50
	}
	return h
}

// call is one authenticated request.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	actor *core.User
	token *core.Token
	names *core.Names
}

type route struct {
	scope core.Scope
	fn    func(c *call) error
}

// Routes returns the API's routes by pattern, for the server's mux.
// Every route but the OpenAPI document needs a token with its scope.
func (h *Handler) Routes() map[string]http.HandlerFunc {
	routes := map[string]route{
		"GET /api/v1/leads":          {core.ScopeRead, h.listLeads},
		"GET /api/v1/leads/{id}":     {core.ScopeRead, h.getLead},
		"GET /api/v1/deals":          {core.ScopeRead, h.listDeals},
		"GET /api/v1/deals/{id}":     {core.ScopeRead, h.getDeal},
		"GET /api/v1/contacts":       {core.ScopeRead, h.listContacts},
		"GET /api/v1/contacts/{id}":  {core.ScopeRead, h.getContact},
		"GET /api/v1/tasks":          {core.ScopeRead, h.listTasks},
		"GET /api/v1/tasks/{id}":     {core.ScopeRead, h.getTask},
		"GET /api/v1/activities":     {core.ScopeRead, h.listActivities},
		"GET /api/v1/pipelines":      {core.ScopeRead, h.listPipelines},
		"GET /api/v1/pipelines/{id}": {core.ScopeRead, h.getPipeline},
		"GET /api/v1/users":          {core.ScopeRead, h.listUsers},
		"GET /api/v1/users/{id}":     {core.ScopeRead, h.getUser},
	}
	for k, v := range h.writeRoutes() {
		routes[k] = v
	}
	for k, v := range h.hookRoutes() {
		routes[k] = v
	}
	out := map[string]http.HandlerFunc{}
	for pattern, rt := range routes {
		out[pattern] = h.serve(rt)
	}
	out["GET /api/v1/openapi.json"] = h.openAPI
	out["/api/v1/"] = func(w http.ResponseWriter, r *http.Request) {
		h.requestID(w, r)
		problem.Status(http.StatusNotFound, "no such API route; see /api/v1/openapi.json").Write(w)
	}
	return out
}

// requestID sets the request id: the caller's X-Request-Id when it is a
// sane one, else a new one. It goes back in the answer and into the log.
func (h *Handler) requestID(w http.ResponseWriter, r *http.Request) string {
	id := r.Header.Get("X-Request-Id")
	if !saneID(id) {
		b := make([]byte, 12)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	w.Header().Set("X-Request-Id", id)
	return id
}

func saneID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

type recorder struct {
	http.ResponseWriter
	code int
}

func (r *recorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

func (h *Handler) serve(rt route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := h.requestID(w, r)
		rec := &recorder{ResponseWriter: w, code: http.StatusOK}
		c := &call{w: rec, r: r.WithContext(core.WithVia(r.Context(), core.ViaAPI))}
		err := h.authenticate(c, rt.scope)
		if err == nil {
			// The audit log names the token as who made the changes.
			c.r = c.r.WithContext(core.WithToken(c.r.Context(), c.token.Name))
			err = rt.fn(c)
		}
		if err != nil {
			h.fail(rec, err)
		}
		attrs := []any{"request_id", id, "method", r.Method, "path", r.URL.Path, "status", rec.code, "ms", time.Since(start).Milliseconds()}
		if c.token != nil {
			attrs = append(attrs, "token", c.token.Name)
		}
		if rec.code >= 500 {
			h.log.Error("api request failed", append(attrs, "err", err)...)
		} else {
			h.log.Info("api request", attrs...)
		}
	}
}

// statusError is an answer of its own status (401, 412, 428, 429).
type statusError struct {
	p     problem.Problem
	extra func(http.Header)
}

func (e *statusError) Error() string { return e.p.Detail }

func (h *Handler) fail(w http.ResponseWriter, err error) {
	if se, ok := err.(*statusError); ok {
		if se.extra != nil {
			se.extra(w.Header())
		}
		se.p.Write(w)
		return
	}
	problem.Of(err).Write(w)
}

func unauthorized(detail string) error {
	return &statusError{p: problem.Status(http.StatusUnauthorized, detail), extra: func(h http.Header) {
		h.Set("WWW-Authenticate", `Bearer realm="leadwire"`)
	}}
}

// authenticate finds the token's user and holds the token to its rate.
func (h *Handler) authenticate(c *call, scope core.Scope) error {
	secret, ok := strings.CutPrefix(c.r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return unauthorized("no token; send Authorization: Bearer <token> (leadwire tokens create NAME --scopes read --as EMAIL)")
	}
	tok, actor, err := h.svc.Directory.TokenActor(c.r.Context(), strings.TrimSpace(secret), scope)
	c.token = tok
	if err != nil {
		// A token that is unknown or revoked is no identity: 401. One
		// that is known but lacks the scope is 403.
		if core.KindOf(err) == core.KindForbidden && (tok == nil || tok.Revoked()) {
			return unauthorized(core.Message(err))
		}
		return err
	}
	c.actor = actor
	if wait := h.wait(tok.ID); wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		return &statusError{p: problem.Status(http.StatusTooManyRequests,
			"too many requests with token "+tok.Name+"; try again in "+strconv.Itoa(secs)+" s"), extra: func(h http.Header) {
			h.Set("Retry-After", strconv.Itoa(secs))
		}}
	}
	return nil
}

// wait takes one request from the token's bucket and returns 0, or, when
// the bucket is empty, how long until it holds one again.
func (h *Handler) wait(tokenID int64) time.Duration {
	h.mu.Lock()
	l := h.limits[tokenID]
	if l == nil {
		l = rate.NewLimiter(h.rate, h.burst)
		h.limits[tokenID] = l
	}
	h.mu.Unlock()
	now := time.Now()
	res := l.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

// view resolves user and team ids for the views, from the directory's
// names, which are loaded again only after a change.
func (c *call) view(svc *core.Service) (view.Names, error) {
	n, err := c.directory(svc)
	if err != nil {
		return view.Names{}, err
	}
	return view.Names{Users: n.Users, Teams: n.Teams, Pipelines: n.Pipelines}, nil
}

// directory is the directory's names, once a request.
func (c *call) directory(svc *core.Service) (*core.Names, error) {
	if c.names == nil {
		n, err := svc.Directory.Names(c.r.Context())
		if err != nil {
			return nil, err
		}
		c.names = n
	}
	return c.names, nil
}

// encode is v as the API writes it: like the CLI's --json, without HTML
// escaping.
func encode(v any) []byte {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v) // the views always encode
	return []byte(b.String())
}

// reply writes v as JSON with the status.
func (c *call) reply(status int, v any) error {
	body := encode(v)
	h := c.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	c.w.WriteHeader(status)
	c.w.Write(body)
	return nil
}

// page is a list answer.
type page struct {
	Data       any     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

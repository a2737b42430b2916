package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"sync"
	"time"

	"leadwire/connectors/webform"
	"leadwire/internal/problem"
	"leadwire/storage"
)

// probeEvery is how often readiness writes to the database at most; in
// between, /readyz answers what the last probe found.
const probeEvery = 5 * time.Second

// watchReadyEvery is how often serve checks readiness on its own, so that
// a database that stops taking writes is logged even when nothing asks.
const watchReadyEvery = 30 * time.Second

// readiness tells whether the database takes writes: the SQLite file is
// still the one opened (a stat, on every call), and a small real write
// commits (at most once every probeEvery, its result kept meanwhile, so
// that /readyz stays cheap however often a balancer asks; sooner when a
// write was refused since). A change either way is logged, once.
type readiness struct {
	db      *storage.DB
	log     *slog.Logger
	trusted []netip.Prefix // proxies whose X-Forwarded-For names the caller
	details bool           // show why to every caller, not only loopback
	now     func() time.Time

	mu       sync.Mutex
	probed   time.Time
	lastErr  error
	failures uint64 // the database's count of refused writes at the last probe
	down     bool   // as last logged
}

func newReadiness(db *storage.DB, log *slog.Logger, trusted []netip.Prefix, details bool) *readiness {
	return &readiness{db: db, log: log, trusted: trusted, details: details, now: time.Now}
}

// check reports why the database does not take writes; nil when it does.
func (r *readiness) check(ctx context.Context) error {
	err := r.db.CheckFile()
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil {
		// A write refused since the last probe makes it stale at once.
		if failures := r.db.Failures(); r.probed.IsZero() || r.now().Sub(r.probed) >= probeEvery || failures != r.failures {
			pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			r.lastErr = r.db.Probe(pctx)
			cancel()
			r.probed, r.failures = r.now(), r.db.Failures()
		}
		err = r.lastErr
	}
	switch {
	case err != nil && !r.down:
		r.down = true
		r.log.Error("the database does not take writes: /readyz answers 503, forms and webhooks 503 with Retry-After", "err", err)
	case err == nil && r.down:
		r.down = false
		r.log.Info("the database takes writes again; ready")
	}
	return err
}

// watch checks readiness every watchReadyEvery until ctx ends.
func (r *readiness) watch(ctx context.Context) error {
	t := time.NewTicker(watchReadyEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			r.check(ctx)
		}
	}
}

// ServeHTTP answers /readyz: 200 "ready", or 503 with Retry-After. Why it
// is not ready (the database's error, which may name its host, user and
// file) is shown to callers on the loopback interface only, unless the
// config says otherwise.
func (r *readiness) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	err := r.check(req.Context())
	if err == nil {
		w.Write([]byte("ready\n"))
		return
	}
	problem.Problem{RetryAfter: problem.RetryAfter}.SetRetryAfter(w.Header())
	text := "not ready: the database does not take writes"
	if r.details || r.local(req) {
		text += ": " + err.Error()
	}
	http.Error(w, text, http.StatusServiceUnavailable)
}

// local reports whether the caller is on this machine: its address, as
// the trusted proxies tell it, is a loopback one, and no untrusted proxy
// forwarded the request (a proxy on this machine that is not listed in
// http.trusted_proxies makes every caller look local).
func (r *readiness) local(req *http.Request) bool {
	if !webform.ClientIP(req, r.trusted).IsLoopback() {
		return false
	}
	forwarded := req.Header.Get("X-Forwarded-For") != "" || req.Header.Get("Forwarded") != "" || req.Header.Get("X-Real-Ip") != ""
	if !forwarded {
		return true
	}
	peer, err := netip.ParseAddrPort(req.RemoteAddr)
	if err != nil {
		return false
	}
	for _, p := range r.trusted {
		if p.Contains(peer.Addr().Unmap()) {
			return true
		}
	}
	return false
}

// warnIfShared warns when the SQLite file may be read by other users of
// the machine: it holds every contact and the unsubscribe signing key.
// leadwire creates it 0600; an older or copied file may be wider open.
func (a *App) warnIfShared(db *storage.DB) {
	file, err := db.SQLiteFile(a.ctx)
	if err != nil || file == "" {
		return
	}
	if st, err := os.Stat(file); err == nil && st.Mode().Perm()&0o077 != 0 {
		a.Logger().Warn("the database file can be read by other users of this machine; it holds every contact and the unsubscribe signing key",
			"file", file, "mode", st.Mode().Perm().String(), "fix", "chmod 600 "+file)
	}
}

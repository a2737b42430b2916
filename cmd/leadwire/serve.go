package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"

	"leadwire/cmd/leadwire/config"
	"leadwire/internal/problem"
)

// ServeCmd runs the server.
type ServeCmd struct {
	Listen     string `help:"Listen address, overriding http.listen." placeholder:"HOST:PORT"`
	CPUProfile string `name:"cpu-profile" hidden:"" help:"Write a pprof CPU profile of the server to FILE, from start-up until shutdown (for leadwire bench forms)." placeholder:"FILE" type:"path"`
}

// Run migrates, then serves until the context ends, then drains.
func (c *ServeCmd) Run(a *App) error {
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	if c.CPUProfile != "" {
		stop, err := startCPUProfile(c.CPUProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	db, err := a.DB()
	if err != nil {
		return err
	}
	listen := cfg.HTTP.Listen
	if c.Listen != "" {
		listen = c.Listen
	}
	mailboxes, err := a.emailConnectors()
	if err != nil {
		return err
	}
	srv := newServer(a)
	if err := srv.mountIntake(); err != nil {
		return err
	}
	if err := srv.mountAPI(); err != nil {
		return err
	}
	slack, err := a.slackAdapter()
	if err != nil {
		return err
	}
	srv.mountSlack(slack)
	telegram, err := a.telegramAdapter()
	if err != nil {
		return err
	}
	if err := srv.mountUnsubscribe(); err != nil {
		return err
	}
	if err := srv.mountOAuthCallback(); err != nil {
		return err
	}
	svc, err := a.Service()
	if err != nil {
		return err
	}
	mailer, err := a.mailNotifier()
	if err != nil {
		return err
	}
	chans := notifiers(slack, telegram)
	if mailer != nil {
		chans[mailer.Channel()] = mailer
	}
	noticeCounts := newNoticeMetrics()
	noticeCounts.register(srv.registry)
	retentionCounts := newRetentionMetrics(srv.registry)
	intake, err := a.telegramIntake()
	if err != nil {
		return err
	}
	srv.mountTelegram(telegram, intake)
	dispatcher, err := a.hookDispatcher()
	if err != nil {
		return err
	}
	sequenceMailer, err := a.smtpMailer()
	if err != nil {
		return err
	}
	replies, err := a.prospectMailer(mailboxes)
	if err != nil {
		return err
	}
	handlers := jobHandlers(svc, jobParts{slack: slack, telegram: telegram, intake: intake, notifiers: chans,
		counts: noticeCounts, mailer: sequenceMailer, replies: replies, retention: retentionCounts}, a.Logger().With("part", "jobs"))
	jobs, err := db.NewJobs(handlers, a.Logger().With("part", "jobs"), periodicJobs()...)
	if err != nil {
		return err
	}
	// A database that does not take writes (a read-only file, a full
	// disk, a read-only standby) fails here, naming what to fix, rather
	// than after "serving".
	if err := db.Probe(a.ctx); err != nil {
		return fmt.Errorf("the database does not take writes: %w", err)
	}
	a.warnIfShared(db)
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w; pick another address with --listen or http.listen", listen, err)
	}
	durability, err := db.Durability(a.ctx)
	if err != nil {
		ln.Close()
		return err
	}
	a.Logger().Info("leadwire serving", "addr", ln.Addr().String(), "database", db.Dialect(), "durability", durability)

	if slack != nil {
		if err := slack.Check(a.ctx); err != nil {
			a.Logger().Warn("slack is not reachable; new-lead posts will be retried", "err", err)
		}
	}
	// Jobs run until everything before them has stopped enqueuing.
	jobCtx, stopJobs := context.WithCancel(context.WithoutCancel(a.ctx))
	defer stopJobs()
	if err := jobs.Start(jobCtx); err != nil {
		ln.Close()
		return fmt.Errorf("start job queue: %w", err)
	}

	httpSrv := newHTTPServer(cfg.HTTP, srv.mux)
	g, ctx := errgroup.WithContext(a.ctx)
	// Connectors outlive the signal until HTTP has drained.
	connCtx, stopConnectors := context.WithCancel(context.WithoutCancel(ctx))
	defer stopConnectors()
	g.Go(func() error {
		if err := httpSrv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error { return srv.ready.watch(ctx) })
	lease := newLeaser(db, db.Clock(), a.Logger().With("part", "leases"))
	g.Go(func() error { return runConnectors(connCtx, lease, mailboxes) })
	g.Go(func() error { return a.runTelegram(connCtx, lease, telegram) })
	g.Go(func() error { return a.runIntake(connCtx, lease, intake) })
	// One replica at a time delivers the webhook outbox, in order per
	// record; another takes over within a lease's life.
	g.Go(func() error {
		return lease.run(connCtx, "hooks", func(ctx context.Context) error { return dispatcher.Run(ctx, hookPause) })
	})
	chat := a.newSlackRun(slack)
	g.Go(func() error { return chat.run(ctx) })
	g.Go(func() error {
		<-ctx.Done()
		a.Logger().Info("shutting down")
		// HTTP drains first (and Slack's socket and slow commands), then
		// the connectors stop, then the jobs.
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		err := httpSrv.Shutdown(shutdownCtx)
		if serr := chat.stop(shutdownCtx); serr != nil && err == nil {
			err = serr
		}
		stopConnectors()
		if jerr := jobs.Stop(shutdownCtx); jerr != nil && err == nil {
			err = fmt.Errorf("stop job queue: %w", jerr)
		}
		stopJobs()
		return err
	})
	return g.Wait()
}

// startCPUProfile writes a CPU profile to path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// hookPause is how often serve looks for webhook deliveries due when the
// last round found none.
const hookPause = 250 * time.Millisecond

// newHTTPServer is the web server with the configured timeouts: a client
// that sends its headers or body slowly, or not at all, or holds an idle
// connection, is cut off before anything is authenticated.
func newHTTPServer(c config.HTTP, h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: time.Duration(c.ReadHeaderTimeout),
		ReadTimeout:       time.Duration(c.ReadTimeout),
		WriteTimeout:      time.Duration(c.WriteTimeout),
		IdleTimeout:       time.Duration(c.IdleTimeout),
	}
}

// server is the HTTP side of serve: health, readiness and metrics, with
// the endpoints of connectors and bots mounted by later parts.
type server struct {
	app      *App
	mux      *http.ServeMux
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	ready    *readiness
	maxBody  int64 // body limit of an endpoint mounted without one of its own
}

func newServer(a *App) *server {
	s := &server{app: a, mux: http.NewServeMux(), registry: prometheus.NewRegistry(), maxBody: config.DefaultMaxBody}
	var trusted []netip.Prefix
	details := false
	if a.cfg != nil {
		s.maxBody, trusted, details = int64(a.cfg.HTTP.MaxBody), a.cfg.TrustedProxies(), a.cfg.HTTP.ReadyzDetails
	}
	s.ready = newReadiness(a.db, a.Logger().With("part", "ready"), trusted, details)
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "leadwire_http_requests_total", Help: "HTTP requests by route and status code.",
	}, []string{"route", "code"})
	s.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), s.requests,
		newConnectorCollector(a.db))
	s.handle("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	s.handle("GET /readyz", s.ready.ServeHTTP)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	return s
}

// handleAll mounts an adapter's routes (pattern → handler).
func (s *server) handleAll(routes map[string]http.HandlerFunc) {
	for pattern, h := range routes {
		s.handle(pattern, h)
	}
}

// handle mounts a handler with the server's body limit and counts its
// requests.
func (s *server) handle(pattern string, h http.HandlerFunc) {
	s.handleLimit(pattern, s.maxBody, h)
}

// handleLimit mounts a handler whose bodies may be up to limit bytes. The
// limit applies before the handler runs, so before any token or signature
// is checked: a declared length past it is refused with 413 unread, and a
// body that turns out longer fails to read past it.
func (s *server) handleLimit(pattern string, limit int64, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		if r.ContentLength > limit {
			// Nothing of the body is read: the connection closes
			// rather than wait for it.
			w.Header().Set("Connection", "close")
			problem.Status(http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", limit)).Write(rec)
		} else {
			// On the server's own writer, which closes the connection
			// when the limit is hit.
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			h(rec, r)
		}
		s.requests.WithLabelValues(pattern, strconv.Itoa(rec.code)).Inc()
	})
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (read
// deadlines) through the recorder.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

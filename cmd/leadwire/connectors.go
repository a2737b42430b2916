package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"leadwire/connectors/email"
	"leadwire/core"
	"leadwire/internal/display"
	"leadwire/internal/mailauth"
	"leadwire/internal/view"
)

// ConnectorsCmd groups the connector subcommands.
type ConnectorsCmd struct {
	Status ConnectorsStatusCmd `cmd:"" help:"Each connector's last sync, last error, the replica running it and counts: captured, activities, duplicates, failed, skipped by reason."`
	Failed ConnectorsFailedCmd `cmd:"" help:"List what connectors received but could not turn into leads, kept with its error."`
}

// ConnectorsStatusCmd shows how the connectors are doing.
type ConnectorsStatusCmd struct {
	JSON bool `help:"Print JSON."`
}

type connectorJSON struct {
	Connector  string           `json:"connector"`
	Configured bool             `json:"configured"`
	LastSync   *string          `json:"last_sync"`
	LastError  string           `json:"last_error,omitempty"`
	ErrorAt    *string          `json:"error_at,omitempty"`
	Counts     map[string]int64 `json:"counts"`
	RunBy      string           `json:"run_by,omitempty"`      // the replica holding its lease
	NotRunning string           `json:"not_running,omitempty"` // why a configured mailbox is not being read
	SignIn     *signInJSON      `json:"sign_in,omitempty"`     // how a mailbox or the relay signs in
}

// Run prints one line per connector: those configured and those that have
// counted anything.
func (c *ConnectorsStatusCmd) Run(a *App) error {
	svc, err := a.Service()
	if err != nil {
		return err
	}
	statuses, err := svc.Connectors.Statuses(a.ctx)
	if err != nil {
		return err
	}
	configured := map[string]bool{}
	noPassword := map[string]string{} // mailbox → its config key
	for i, m := range a.cfg.Email.Mailboxes {
		name := core.ConnectorName(core.ChannelEmail, m.Name)
		configured[name] = true
		if m.Password == "" && m.Auth != string(mailauth.OAuth2) {
			noPassword[name] = fmt.Sprintf("email.mailboxes[%d].password", i)
		}
	}
	if a.cfg.SMTP.Enabled() {
		configured[core.SMTPConnector(a.cfg.SMTP.Host)] = true
	}
	byName := map[string]core.ConnectorStatus{}
	for _, s := range statuses {
		byName[s.Connector] = s
	}
	for name := range configured {
		if _, ok := byName[name]; !ok {
			byName[name] = core.ConnectorStatus{Connector: name, Counts: map[string]int64{}}
		}
	}
	names := slices.Sorted(maps.Keys(byName))
	leases, err := svc.Connectors.Leases(a.ctx)
	if err != nil {
		return err
	}
	signs, err := signIns(a.ctx, a.cfg, svc)
	if err != nil {
		return err
	}
	now := time.Now()
	runBy := map[string]string{}
	for _, l := range leases {
		if l.ExpiresAt.After(now) {
			runBy[l.Name] = l.Holder
		}
	}
	// notRunning says why a configured mailbox that has never synced, has
	// no error and no replica reading it is idle, rather than "never".
	notRunning := func(s core.ConnectorStatus) string {
		if !configured[s.Connector] || !strings.HasPrefix(s.Connector, core.ChannelEmail+":") || !s.LastSync.IsZero() || s.LastError != "" || runBy[s.Connector] != "" {
			return ""
		}
		if key := noPassword[s.Connector]; key != "" {
			return "not started: no password; set " + key + " (or the ${VAR} it names) and restart leadwire serve"
		}
		return "not running: leadwire serve reads it"
	}
	if c.JSON {
		out := make([]connectorJSON, 0, len(names))
		for _, n := range names {
			s := byName[n]
			j := connectorJSON{Connector: n, Configured: configured[n], LastSync: view.Time(s.LastSync), LastError: s.LastError, Counts: s.Counts,
				RunBy: runBy[n], NotRunning: notRunning(s)}
			if si, ok := signs[n]; ok {
				j.SignIn = &si
			}
			if s.LastError != "" {
				j.ErrorAt = view.Time(s.ErrorAt)
			}
			out = append(out, j)
		}
		return a.JSON(out)
	}
	if len(names) == 0 {
		fmt.Fprintln(a.out, "no connectors configured or seen yet; add mailboxes under email: in the config")
		return nil
	}
	w := display.NewTable(a.out)
	fmt.Fprintln(w, "CONNECTOR\tLAST SYNC\tCAPTURED\tACTIVITY\tDUPLICATE\tFAILED\tSKIPPED\tRUN BY\tSIGN-IN\tLAST ERROR")
	for _, n := range names {
		s := byName[n]
		sync := "never"
		if !s.LastSync.IsZero() {
			sync = ago(now, s.LastSync)
		}
		lastErr := "-"
		if s.LastError != "" {
			lastErr = fmt.Sprintf("%s (%s)", s.LastError, ago(now, s.ErrorAt))
		} else if why := notRunning(s); why != "" {
			lastErr = why
		}
		by := runBy[n]
		if by == "" {
			by = "-"
		}
		si, ok := signs[n]
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", n, sync, s.Counts[core.CountCaptured], s.Counts[core.CountActivity],
			s.Counts[core.CountDuplicate], s.Counts[core.CountFailed], skipped(s.Counts), by, signInText(now, si, ok), lastErr)
	}
	return w.Flush()
}

// skipped sums the skip counters with their reasons: "6 (auto_reply 4,
// list 2)".
func skipped(counts map[string]int64) string {
	var total int64
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		if reason, ok := strings.CutPrefix(k, core.SkipCount("")); ok {
			total += counts[k]
			parts = append(parts, fmt.Sprintf("%s %d", reason, counts[k]))
		}
	}
	if total == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
}

// ago formats a past time as "2026-11-25 09:27 UTC, 3 min ago".
func ago(now, t time.Time) string {
	return fmt.Sprintf("%s, %s ago", t.UTC().Format("2006-01-02 15:04 UTC"), display.Duration(max(now.Sub(t), 0)))
}

// ConnectorsFailedCmd lists kept failures.
type ConnectorsFailedCmd struct {
	Connector string `help:"Only this connector, e.g. email:sales-th."`
	Limit     int    `help:"At most this many, newest first." default:"50"`
	JSON      bool   `help:"Print JSON."`
}

type failedJSON struct {
	ID         int64   `json:"id"`
	Connector  string  `json:"connector"`
	ExternalID string  `json:"external_id,omitempty"`
	At         *string `json:"at"`
	Size       int     `json:"size"`
	Error      string  `json:"error"`
}

// Run prints the failures, newest first.
func (c *ConnectorsFailedCmd) Run(a *App) error {
	svc, err := a.Service()
	if err != nil {
		return err
	}
	fs, err := svc.Connectors.FailedInbounds(a.ctx, c.Connector, c.Limit)
	if err != nil {
		return err
	}
	if c.JSON {
		out := make([]failedJSON, len(fs))
		for i, f := range fs {
			out[i] = failedJSON{ID: f.ID, Connector: f.Connector, ExternalID: f.ExternalID, At: view.Time(f.At), Size: len(f.Raw), Error: f.Error}
		}
		return a.JSON(out)
	}
	if len(fs) == 0 {
		fmt.Fprintln(a.out, "no failed inbounds")
		return nil
	}
	w := display.NewTable(a.out)
	fmt.Fprintln(w, "ID\tWHEN\tCONNECTOR\tEXTERNAL ID\tSIZE\tERROR")
	for _, f := range fs {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\n", f.ID, f.At.UTC().Format("2006-01-02 15:04:05 UTC"), f.Connector, f.ExternalID, len(f.Raw), f.Error)
	}
	return w.Flush()
}

// emailConnectors makes a connector of every configured mailbox.
func (a *App) emailConnectors() ([]*email.Connector, error) {
	var out []*email.Connector
	for i, m := range a.cfg.Email.Mailboxes {
		var tokens email.Tokens
		if m.Auth == string(mailauth.OAuth2) {
			src, err := a.mailboxTokens(m)
			if errors.Is(err, core.ErrNoSecretsKey) {
				// No sign-in can be kept or read: like a mailbox without
				// a password, it waits, saying why where people look.
				why := fmt.Errorf("not started: %w", err)
				a.Logger().Error("mailbox not started", "mailbox", m.Name, "err", why)
				if err := a.svc.Connectors.ConnectorError(a.ctx, core.ConnectorName(core.ChannelEmail, m.Name), why); err != nil {
					return nil, err
				}
				continue
			}
			if err != nil {
				return nil, err
			}
			tokens = src
		} else if m.Password == "" {
			// A login bound to fail would only hammer the server. Why it
			// is idle goes where people look: connectors status, alerts.
			why := fmt.Errorf("not started: no password; set email.mailboxes[%d].password (or the ${VAR} it names) and restart leadwire serve", i)
			a.Logger().Error("mailbox not started", "mailbox", m.Name, "host", m.Host, "err", why)
			if err := a.svc.Connectors.ConnectorError(a.ctx, core.ConnectorName(core.ChannelEmail, m.Name), why); err != nil {
				return nil, err
			}
			continue
		}
		c, err := email.New(email.Mailbox{
			Name: m.Name, Host: m.Host, Port: m.Port, TLS: m.TLS, Username: m.Username, Password: m.Password,
			Auth: mailauth.Kind(m.Auth), OAuth: m.OAuth2.Settings(), Tokens: tokens,
			Folders: m.Folders, Team: m.Team, Since: time.Duration(m.Since), InternalDomains: m.InternalDomains,
			PollInterval: time.Duration(m.PollInterval),
		}, a.svc, a.Logger())
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// runConnectors runs each connector on a goroutine of its own until ctx
// ends and all have stopped. A mailbox has a single owner among the
// replicas: each runs only while this process holds its lease.
func runConnectors(ctx context.Context, lease *leaser, conns []*email.Connector) error {
	var g errgroup.Group
	for _, c := range conns {
		g.Go(func() error { return lease.run(ctx, c.Name(), c.Run) })
	}
	return g.Wait()
}

// connectorCollector exposes the connectors' counters on /metrics, read
// from the database at each scrape, so every replica reports the same
// numbers.
type connectorCollector struct {
	store                core.Reader
	events, lastSync, up *prometheus.Desc
	lastErrorAt          *prometheus.Desc
}

func newConnectorCollector(store core.Reader) *connectorCollector {
	return &connectorCollector{
		store: store,
		events: prometheus.NewDesc("leadwire_connector_events_total",
			"What connectors received, by outcome: captured, activity, duplicate, failed, loop_guard, skipped:<reason>.",
			[]string{"connector", "counter"}, nil),
		lastSync: prometheus.NewDesc("leadwire_connector_last_sync_timestamp_seconds",
			"When the connector last captured, skipped or found nothing new.", []string{"connector"}, nil),
		up: prometheus.NewDesc("leadwire_connector_up",
			"1 when the connector's last attempt succeeded, 0 while it has an error.", []string{"connector"}, nil),
		lastErrorAt: prometheus.NewDesc("leadwire_connector_last_error_timestamp_seconds",
			"When the connector's current error happened (absent without one).", []string{"connector"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *connectorCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.events
	ch <- c.lastSync
	ch <- c.up
	ch <- c.lastErrorAt
}

// Collect implements prometheus.Collector.
func (c *connectorCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	statuses, err := c.store.ConnectorStatuses(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.up, err)
		return
	}
	for _, s := range statuses {
		for counter, n := range s.Counts {
			ch <- prometheus.MustNewConstMetric(c.events, prometheus.CounterValue, float64(n), s.Connector, counter)
		}
		if !s.LastSync.IsZero() {
			ch <- prometheus.MustNewConstMetric(c.lastSync, prometheus.GaugeValue, float64(s.LastSync.UnixNano())/1e9, s.Connector)
		}
		up := 1.0
		if s.LastError != "" {
			up = 0
			ch <- prometheus.MustNewConstMetric(c.lastErrorAt, prometheus.GaugeValue, float64(s.ErrorAt.UnixNano())/1e9, s.Connector)
		}
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up, s.Connector)
	}
}

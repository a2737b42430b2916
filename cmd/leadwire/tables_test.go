package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"leadwire/cmd/leadwire/config"
	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/internal/golden"
)

// renewalsPipeline is a second pipeline for ioConfig's pipelines list.
const renewalsPipeline = `  - name: Renewals
    stages:
      - {name: Up for renewal, probability: 60}
      - {name: Quote sent, probability: 80}
`

// newSalesEnv is an ioEnv with two pipelines and three deals worked over
// a month by the services on a clock of the test's, whose last step was
// a day ago: a Thai customer's deal won in Sales after 11 days, a Chinese
// customer's renewal lost on price, a Vietnamese customer's deal open in
// Proposal. Durations are then the same on every run.
func newSalesEnv(t *testing.T) *ioEnv {
	t.Helper()
	e := newIOEnv(t)
	e.file("leadwire.yaml", fmt.Sprintf(ioConfig, e.dbPath)+renewalsPipeline)
	e.ok("pipelines", "list") // applies the configured directory
	cfg, err := config.Load(e.config, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := time.Now().UTC().Truncate(time.Minute).Add(-30 * 24 * time.Hour)
	clock := clocktest.New(start)
	svc := core.NewService(e.store(), clock, cfg.Settings(), nil)
	lan, err := e.store().UserByEmail(ctx, "lan@example.com")
	if err != nil {
		t.Fatal(err)
	}
	at := func(d time.Duration) { clock.Set(start.Add(d)) }
	day := 24 * time.Hour
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	deal := func(name, email, company, pipeline string, value int64, currency string, claimAfter time.Duration) int64 {
		t.Helper()
		res, err := svc.Capture(ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: email,
			Name: name, Email: email, Company: company, Team: "Bangkok", ReceivedAt: clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(claimAfter)
		must(svc.Claim(ctx, lan, res.LeadID))
		d, err := svc.Qualify(ctx, lan, res.LeadID, core.QualifyInput{Pipeline: pipeline, Value: core.Money{Amount: value, Currency: currency}})
		if err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	at(0)
	won := deal("สมศักดิ์ ใจดี", "somsak@siamsteel.co.th", "สยามสตีล", "Sales", 45000000, "THB", 20*time.Minute)
	at(3 * day)
	must(svc.Move(ctx, lan, won, "Proposal"))
	at(11 * day)
	must(svc.Win(ctx, lan, won))
	at(12 * day)
	lost := deal("王小明", "wang@huaxin.cn", "华信科技", "Renewals", 2500000, "USD", 3*time.Hour+20*time.Minute)
	at(14 * day)
	must(svc.Move(ctx, lan, lost, "Quote sent"))
	at(17 * day)
	must(svc.Lose(ctx, lan, lost, "price"))
	at(20 * day)
	open := deal("Nguyễn Minh", "minh@vinacorp.vn", "VinaCorp", "Sales", 12000000, "EUR", 45*time.Minute)
	at(29 * day)
	must(svc.Move(ctx, lan, open, "Proposal"))
	return e
}

// TestTerminalTables: every CLI table lines up by display width (Thai
// combining marks take no cell, Chinese characters two), durations read
// as words, and a table with nothing in it says so and what to do.
func TestTerminalTables(t *testing.T) {
	e := newSalesEnv(t)
	var out strings.Builder
	for _, args := range [][]string{
		{"users", "list"},
		{"teams", "list"},
		{"deals", "list", "--status", "open,won,lost"},
		{"stats"},
		{"forecast", "--month", "2020-01"},
		{"--as", "lan@example.com", "deals", "lose", "D3", "price"},
		{"--as", "lan@example.com", "deals", "reopen", "D3"},
		{"--as", "lan@example.com", "deals", "win", "D3"},
		{"deals", "list", "--owner", "piotr@example.com"},
		{"tasks", "list"},
		{"leads", "list", "--status", "new"},
		{"forecast", "--month", "2020-01", "--team", "Warsaw"},
		{"stats", "--team", "Warsaw"},
	} {
		r := e.ok(args...)
		fmt.Fprintf(&out, "$ leadwire %s\n%s\n", strings.Join(args, " "), r.out)
	}
	golden.Check(t, "tables.golden", []byte(out.String()))
}

// TestStatsHasAFunnelPerPipeline: two pipelines' stages are not run
// together as one funnel (Won and Lost twice); each pipeline has its own,
// with its own bottleneck, and stays of seconds make no bottleneck.
func TestStatsHasAFunnelPerPipeline(t *testing.T) {
	e := newSalesEnv(t)
	out := e.ok("stats").out
	for _, name := range []string{"Sales", "Renewals"} {
		_, funnel, ok := strings.Cut(out, "funnel ("+name+"):\n")
		if !ok {
			t.Fatalf("no funnel of %s in\n%s", name, out)
		}
		funnel, _, _ = strings.Cut(funnel, "\n\n")
		if n := strings.Count(funnel, "\nWon "); n != 1 {
			t.Errorf("the %s funnel has Won %d times:\n%s", name, n, funnel)
		}
		if !strings.Contains(funnel, "\nbottleneck: ") {
			t.Errorf("the %s funnel names no bottleneck:\n%s", name, funnel)
		}
	}
	var m struct {
		Funnels []struct {
			Pipeline   string
			Bottleneck string
			Stages     []struct{ Stage string }
		}
		Bottleneck string
	}
	if err := json.Unmarshal([]byte(e.ok("stats", "--json").out), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Funnels) != 2 || m.Funnels[0].Pipeline != "Sales" || m.Funnels[1].Bottleneck != "Quote sent" || m.Bottleneck != "Sales / Proposal" {
		t.Errorf("stats --json: %+v", m)
	}
	t.Run("deals moved within seconds make no bottleneck", func(t *testing.T) {
		e := newIOEnv(t)
		e.ok("leads", "add", "--name", "Anna Nowak", "--email", "anna@firma.pl", "--team", "Warsaw")
		e.ok("--as", "piotr@example.com", "leads", "qualify", "L1")
		e.ok("--as", "piotr@example.com", "deals", "move", "D1", "prop")
		e.ok("--as", "piotr@example.com", "deals", "win", "D1")
		if out := e.ok("stats").out; strings.Contains(out, "bottleneck") || !strings.Contains(out, "funnel:\n") {
			t.Errorf("stats:\n%s", out)
		}
	})
}

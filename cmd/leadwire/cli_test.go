package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestWorkingALeadFromTheCommandLine(t *testing.T) {
	e := newIOEnv(t)
	steps := []struct {
		name string
		args []string
		want []string // substrings of stdout
	}{
		{"a lead is added by hand", []string{"leads", "add", "--name", "Nguyễn Minh", "--email", "minh@vinacorp.vn", "--phone", "081 234 5678", "--team", "Bangkok", "--company", "VinaCorp", "--subject", "Pricing for 50 seats"}, []string{"added lead L1"}},
		{"it is listed for its team", []string{"leads", "list", "--team", "Bangkok"}, []string{"L1", "new", "manual"}},
		{"the rep claims it", []string{"--as", "lan@example.com", "leads", "claim", "L1"}, []string{"L1 is yours"}},
		{"and qualifies it with a value in baht", []string{"--as", "lan@example.com", "leads", "qualify", "L1", "--value", "450,000", "--currency", "THB", "--close", "2026-12-15", "--budget", "approved"}, []string{"qualified into D1", "450,000.00 THB"}},
		{"moves it by a prefix", []string{"--as", "lan@example.com", "deals", "move", "D1", "prop"}, []string{"Proposal, open"}},
		{"notes on it", []string{"--as", "lan@example.com", "deals", "note", "D1", "โทรแล้ว", "ลูกค้าสนใจ"}, []string{"noted on D1"}},
		{"sets a follow-up", []string{"--as", "lan@example.com", "tasks", "add", "Send", "the", "contract", "--on", "D1", "--due", "2026-12-01 10:00"}, []string{"T1 \"Send the contract\""}},
		{"loses it with a configured reason", []string{"--as", "lan@example.com", "deals", "lose", "D1", "competitor"}, []string{"Lost, 450,000.00 THB — Went with a competitor"}},
		{"reopens it back into Proposal", []string{"--as", "lan@example.com", "deals", "reopen", "D1"}, []string{"Proposal, open"}},
		{"and wins it", []string{"--as", "lan@example.com", "deals", "win", "D1"}, []string{"D1 \"VinaCorp\": Won, 450,000.00 THB"}},
		{"the task is done", []string{"--as", "lan@example.com", "tasks", "done", "T1"}, []string{"T1 done"}},
		{"stats count the win", []string{"stats"}, []string{"1 won", "win rate 100.0%"}},
		{"the forecast has this month's numbers", []string{"forecast", "--month", "2026-12"}, []string{"2026-12: target"}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			r := e.ok(s.args...)
			for _, w := range s.want {
				if !strings.Contains(r.out, w) {
					t.Fatalf("leadwire %s\nprinted:\n%s\nwant it to contain %q", strings.Join(s.args, " "), r.out, w)
				}
			}
		})
	}
	t.Run("show --json carries ids, minor units and RFC 3339 times", func(t *testing.T) {
		var d struct {
			ID    string `json:"id"`
			Stage string `json:"stage"`
			Value struct {
				Amount   int64
				Currency string
			}
			History []struct{ From, To string }
			Created string `json:"created_at"`
			Lead    string `json:"lead"`
		}
		if err := json.Unmarshal([]byte(e.ok("deals", "show", "D1", "--json").out), &d); err != nil {
			t.Fatal(err)
		}
		if d.ID != "D1" || d.Lead != "L1" || d.Stage != "Won" || d.Value.Amount != 45000000 || d.Value.Currency != "THB" || len(d.History) != 5 || !strings.HasSuffix(d.Created, "Z") {
			t.Fatalf("deal JSON = %+v", d)
		}
		var leads []struct{ ID, Status string }
		if err := json.Unmarshal([]byte(e.ok("leads", "list", "--json").out), &leads); err != nil || len(leads) != 1 || leads[0].ID != "L1" || leads[0].Status != "qualified" {
			t.Fatalf("leads JSON = %+v, %v", leads, err)
		}
	})
}

func TestBadInputGetsAClearErrorAndNonZeroExit(t *testing.T) {
	e := newIOEnv(t)
	e.ok("leads", "add", "--email", "anna@firma.pl", "--team", "Warsaw")
	e.ok("--as", "piotr@example.com", "leads", "qualify", "L1")
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"an unknown lead", []string{"leads", "show", "L99"}, "lead L99 not found"},
		{"a malformed id", []string{"deals", "show", "45"}, `"45" is not a deal id like D45`},
		{"a typo in a stage", []string{"--as", "piotr@example.com", "deals", "move", "D1", "negotation"}, "did you mean Negotiation?"},
		{"an unknown user", []string{"--as", "nobody@example.com", "leads", "list"}, "nobody@example.com"},
		{"an unknown currency", []string{"deals", "value", "D1", "100", "EUX"}, `unknown currency "EUX"`},
		{"too many decimals for dong", []string{"deals", "value", "D1", "100.5", "VND"}, "VND has no minor unit"},
		{"another team's deal", []string{"--as", "lan@example.com", "deals", "win", "D1"}, "D1 is not yours"},
		{"an invalid time zone", []string{"users", "add", "new@example.com", "--timezone", "Europe/Warsow"}, `unknown time zone "Europe/Warsow"`},
		{"an unknown role", []string{"users", "add", "new@example.com", "--role", "boss"}, `unknown role "boss"`},
		{"losing without a reason", []string{"--as", "piotr@example.com", "deals", "lose", "D1"}, "a reason is required"},
		{"claiming without a person", []string{"leads", "claim", "L1"}, "claim needs a person: add --as EMAIL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.run(tt.args...)
			if r.code == 0 || !strings.Contains(r.errOut, tt.want) {
				t.Fatalf("leadwire %s: exit %d, stderr %q; want non-zero and %q", strings.Join(tt.args, " "), r.code, r.errOut, tt.want)
			}
		})
	}
	t.Run("nothing was half-written", func(t *testing.T) {
		d := e.ok("deals", "show", "D1", "--json").out
		if !strings.Contains(d, `"stage": "Prospecting"`) || !strings.Contains(d, `"currency": "EUR"`) {
			t.Fatalf("deal changed by failed commands:\n%s", d)
		}
	})
	t.Run("a bad config names the key and line", func(t *testing.T) {
		cfg := e.file("bad.yaml", "database: sqlite:x.db\nteams:\n  - name: A\n    response_limit: soon\n")
		r := e.run("--config", cfg, "check-config")
		if r.code == 0 || !strings.Contains(r.errOut, "teams[0].response_limit") || !strings.Contains(r.errOut, "line 4") {
			t.Fatalf("exit %d, stderr %q", r.code, r.errOut)
		}
	})
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/view"
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
		{"a rep handing a deal over", []string{"--as", "piotr@example.com", "deals", "assign", "D1", "--next"}, "only a manager or an admin hands deals over"},
		{"handing a deal to nobody", []string{"deals", "assign", "D1"}, "hand it to whom?"},
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

func TestHelpAndVersion(t *testing.T) {
	e := newIOEnv(t)
	tests := []struct {
		name string
		args []string
		want []string // in stdout
	}{
		{"help lists the commands", []string{"help"}, []string{"Usage: leadwire <command>", "Commands:", "deals move", "users link-code"}},
		{"help explains one command", []string{"help", "deals", "move"}, []string{"Usage: leadwire deals move <deal> <stage> ...", "Stage name or unique prefix"}},
		{"help of a group lists its commands", []string{"help", "users"}, []string{"users link", "users link-code"}},
		{"--version names the build", []string{"--version"}, []string{"leadwire ", "go1."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.ok(tt.args...)
			for _, w := range tt.want {
				if !strings.Contains(r.out, w) {
					t.Errorf("leadwire %s printed:\n%s\nwant it to contain %q", strings.Join(tt.args, " "), r.out, w)
				}
			}
		})
	}
	t.Run("help of an unknown command fails", func(t *testing.T) {
		if r := e.run("help", "dealz"); r.code == 0 || !strings.Contains(r.errOut, "dealz") {
			t.Errorf("exit %d, stderr %q", r.code, r.errOut)
		}
	})
	t.Run("--version prints the version set at build time", func(t *testing.T) {
		old := version
		version = "v1.4.0"
		defer func() { version = old }()
		if r := e.ok("--version"); !strings.HasPrefix(r.out, "leadwire v1.4.0 (") {
			t.Errorf("printed %q", r.out)
		}
	})
}

// TestDatePhrasesOnTheCommandLine: tasks add --due and leads qualify
// --close read what the chat reads, in the user's time zone.
func TestDatePhrasesOnTheCommandLine(t *testing.T) {
	e := newIOEnv(t)
	e.ok("users", "add", "kasem@example.com", "--team", "Bangkok", "--timezone", "Asia/Bangkok")
	bangkok, err := time.LoadLocation("Asia/Bangkok")
	if err != nil {
		t.Fatal(err)
	}
	e.ok("leads", "add", "--name", "Kasem", "--email", "kasem@siam.example", "--team", "Bangkok")
	as := []string{"--as", "kasem@example.com"}
	e.ok(append(as, "leads", "claim", "L1")...)
	tests := []struct {
		name string
		due  string
		want func(now time.Time) time.Time
	}{
		{"tomorrow 9am", "tomorrow 9am", func(now time.Time) time.Time {
			y, m, d := now.In(bangkok).Date()
			return time.Date(y, m, d+1, 9, 0, 0, 0, bangkok)
		}},
		{"a day and a time", "2026-12-24 14:30", func(time.Time) time.Time { return time.Date(2026, 12, 24, 14, 30, 0, 0, bangkok) }},
		{"a duration from now", "in 2h", func(now time.Time) time.Time { return now.Add(2 * time.Hour).Truncate(time.Minute) }},
		{"an RFC 3339 time, for scripts", "2026-12-24T07:30:00Z", func(time.Time) time.Time { return time.Date(2026, 12, 24, 7, 30, 0, 0, time.UTC) }},
	}
	for i, tt := range tests {
		t.Run(tt.name+" is read in the user's zone", func(t *testing.T) {
			before := time.Now()
			e.ok(append(as, "tasks", "add", "call", "--due", tt.due, "--on", "L1")...)
			after := time.Now()
			tasks, err := e.store().ListTasks(context.Background(), core.TaskFilter{})
			if err != nil || len(tasks) != i+1 {
				t.Fatalf("tasks %+v, %v", tasks, err)
			}
			var got time.Time
			for _, tk := range tasks {
				if tk.ID == int64(i+1) {
					got = tk.DueAt
				}
			}
			// The command read the clock between before and after.
			if !got.Equal(tt.want(before)) && !got.Equal(tt.want(after)) {
				t.Errorf("--due %q: due %s, want %s", tt.due, got.In(bangkok), tt.want(before).In(bangkok))
			}
		})
	}
	t.Run("a phrase it cannot read is refused with examples", func(t *testing.T) {
		r := e.run(append(as, "tasks", "add", "call", "--due", "tomorow 9am")...)
		if r.code == 0 || !strings.Contains(r.errOut, "tomorrow 9am, in 2h") {
			t.Errorf("exit %d, stderr %q", r.code, r.errOut)
		}
	})
	t.Run("qualify reads the close date as chat does", func(t *testing.T) {
		r := e.run(append(as, "leads", "qualify", "L1", "--close", "24/12/2027")...)
		if d := e.deals(); r.code != 0 || len(d) != 1 || d[0].ExpectedClose.Format(time.DateOnly) != "2027-12-24" {
			t.Errorf("exit %d %s; deals %+v", r.code, r.errOut, d)
		}
	})
}

// TestTheConfigWinsForTheUsersItDefines: a CLI change to a field the
// config sets for a user is warned about and undone at the next start;
// fields the config leaves out, and users it does not define, keep what
// the CLI set.
func TestTheConfigWinsForTheUsersItDefines(t *testing.T) {
	e := newIOEnv(t)
	user := func(email string) view.User {
		t.Helper()
		var users []view.User
		if err := json.Unmarshal([]byte(e.ok("users", "list", "--json").out), &users); err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			if u.Email == email {
				return u
			}
		}
		t.Fatalf("no user %s", email)
		return view.User{}
	}
	t.Run("a configured field changed with the CLI is warned about", func(t *testing.T) {
		r := e.ok("users", "set", "lan@example.com", "--team", "Warsaw")
		if !strings.Contains(r.errOut, "warning: lan@example.com is users[1] in "+e.config+", which sets team Bangkok") {
			t.Errorf("stderr %q", r.errOut)
		}
	})
	t.Run("and undone at the next start", func(t *testing.T) {
		if u := user("lan@example.com"); u.Team != "Bangkok" {
			t.Errorf("lan is in %q after a restart with the config unchanged", u.Team)
		}
	})
	t.Run("a field the config leaves out is kept, without a warning", func(t *testing.T) {
		r := e.ok("users", "set", "lan@example.com", "--slack", "U02NGUYENL")
		if r.errOut != "" {
			t.Errorf("stderr %q", r.errOut)
		}
		if u := user("lan@example.com"); u.Slack != "U02NGUYENL" {
			t.Errorf("slack %q", u.Slack)
		}
	})
	t.Run("a user the config does not define is the CLI's", func(t *testing.T) {
		e.ok("users", "add", "anna@example.com", "--team", "Warsaw")
		if r := e.ok("users", "set", "anna@example.com", "--team", "Bangkok"); r.errOut != "" {
			t.Errorf("stderr %q", r.errOut)
		}
		if u := user("anna@example.com"); u.Team != "Bangkok" {
			t.Errorf("team %q", u.Team)
		}
	})
	t.Run("linking a Slack account the config names otherwise is warned about", func(t *testing.T) {
		e.file("leadwire.yaml", strings.Replace(fmt.Sprintf(ioConfig, e.dbPath), "team: Warsaw, locale: pl}", "team: Warsaw, locale: pl, slack: U0PIOTR}", 1))
		r := e.ok("users", "link", "piotr@example.com", "--slack", "U0OTHER")
		if !strings.Contains(r.errOut, "which sets Slack U0PIOTR") {
			t.Errorf("stderr %q", r.errOut)
		}
	})
}

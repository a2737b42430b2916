package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"leadwire/cmd/leadwire/config"
	"leadwire/configs"
	"leadwire/core"
)

// env is a getenv over a fixed map.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// markedLine is the 1-based line of src holding the marker "#<", which
// tests put on the line an error must point at.
func markedLine(t *testing.T, src string) int {
	t.Helper()
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, "#<") {
			return i + 1
		}
	}
	t.Fatalf("no #< marker in\n%s", src)
	return 0
}

func mustParse(t *testing.T, src string, vars map[string]string) *config.Config {
	t.Helper()
	c, err := config.Parse([]byte(src), "leadwire.yaml", env(vars))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c
}

func TestExample(t *testing.T) {
	path := filepath.Join("..", "..", "..", "configs", "leadwire.example.yaml")
	c, err := config.Load(path, env(nil))
	if err != nil {
		t.Fatalf("the example does not load with an empty environment:\n%v", err)
	}
	embedded, err := config.Parse(configs.Example, "example", nil)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the embedded copy is the same file", func(t *testing.T) {
		onDisk, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(onDisk) != string(configs.Example) {
			t.Error("configs.Example differs from the file")
		}
		if !reflect.DeepEqual(c.Teams(), embedded.Teams()) {
			t.Error("loading the file and parsing the embedded copy differ")
		}
	})
	t.Run("it uses the embedded SQLite database", func(t *testing.T) {
		if c.Database != "sqlite:./leadwire.db" {
			t.Errorf("database = %q", c.Database)
		}
	})
	t.Run("secrets default to empty strings", func(t *testing.T) {
		if c.Slack.SigningSecret != "" || c.Slack.Enabled() {
			t.Errorf("slack = %#v", c.Slack)
		}
	})
	t.Run("the secret comes from the environment when set", func(t *testing.T) {
		c, err := config.Load(path, env(map[string]string{"SLACK_SIGNING_SECRET": "s3cret"}))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Slack.SigningSecret; got != "s3cret" {
			t.Errorf("signing_secret = %v", got)
		}
	})
	t.Run("teams get members from the team, the users and the manager", func(t *testing.T) {
		teams := c.Teams()
		if len(teams) != 2 || teams[0].Name != "Bangkok" || teams[0].Region != "TH" || teams[1].Region != "PL" ||
			teams[0].Visibility != core.VisibilityTeam || teams[1].Visibility != core.VisibilityOwn {
			t.Fatalf("teams = %+v", teams)
		}
		// Dariush manages Bangkok and names no team of his own.
		want := []string{"dariush.karimi@example.com", "somchai.prasert@example.com", "nguyen.thi.lan@example.com"}
		if !reflect.DeepEqual(teams[0].Members, want) {
			t.Errorf("Bangkok members = %v, want %v", teams[0].Members, want)
		}
		if teams[0].ResponseLimit != 15*time.Minute || teams[1].ResponseLimit != 30*time.Minute {
			t.Errorf("response limits = %v, %v", teams[0].ResponseLimit, teams[1].ResponseLimit)
		}
	})
	t.Run("users keep their zones and the organisation zone fills gaps", func(t *testing.T) {
		zones := map[string]string{}
		for _, u := range c.Users() {
			zones[u.Email] = u.TimeZone
		}
		if zones["dariush.karimi@example.com"] != "Asia/Tehran" || zones["piotr.wisniewski@example.com"] != "Europe/Warsaw" {
			t.Errorf("zones = %v", zones)
		}
	})
	t.Run("targets are in minor units of their currency", func(t *testing.T) {
		got := map[string]core.Money{}
		for _, tg := range c.Targets() {
			got[tg.User+tg.Team] = tg.Amount
		}
		want := map[string]core.Money{
			"somchai.prasert@example.com":  {Amount: 150_000_000, Currency: "THB"},
			"nguyen.thi.lan@example.com":   {Amount: 1_200_000_000, Currency: "VND"},
			"piotr.wisniewski@example.com": {Amount: 20_000_000, Currency: "PLN"},
			"Bangkok":                      {Amount: 11_000_000, Currency: "EUR"},
			"Warsaw":                       {Amount: 5_000_000, Currency: "EUR"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("targets = %v, want %v", got, want)
		}
	})
	t.Run("rates convert into the reporting currency", func(t *testing.T) {
		s := c.Settings()
		m, err := s.Rates.Convert(core.Money{Amount: 100_000, Currency: "THB"})
		if err != nil || m != (core.Money{Amount: 2600, Currency: "EUR"}) {
			t.Errorf("1000 THB = %v, %v", m, err)
		}
	})
	t.Run("reasons accept labels and code-label pairs", func(t *testing.T) {
		lost := c.Settings().LostReasons
		if lost[0] != (core.Reason{Code: "no_budget", Label: "No budget"}) || lost[1].Code != "competitor" {
			t.Errorf("lost reasons = %v", lost)
		}
	})
}

// TestExampleShowsEveryKey keeps the example complete: a key added to the
// Config tree must be shown in configs/leadwire.example.yaml.
func TestExampleShowsEveryKey(t *testing.T) {
	example := string(configs.Example)
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, path string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || typ.PkgPath() != reflect.TypeFor[config.Config]().PkgPath() {
			return
		}
		for i := range typ.NumField() {
			f := typ.Field(i)
			key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || key == "" || key == "-" {
				continue
			}
			if !strings.Contains(example, key+":") {
				t.Errorf("the example does not show %s%s", path, key)
			}
			walk(f.Type, path+key+".")
		}
	}
	walk(reflect.TypeFor[config.Config](), "")
}

func TestDefaults(t *testing.T) {
	loaded, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	empty := mustParse(t, "# nothing but a comment\n", nil)
	for name, c := range map[string]*config.Config{"Load without a file": loaded, "Default": config.Default(nil), "an empty file": empty} {
		t.Run(name+" gives the built-in defaults", func(t *testing.T) {
			if c.Database != "sqlite:./leadwire.db" || c.HTTP.Listen != "127.0.0.1:8080" {
				t.Errorf("database %q, listen %q", c.Database, c.HTTP.Listen)
			}
			s := c.Settings()
			want := core.DefaultSettings()
			if s.Currency != "EUR" || s.TimeZone != "UTC" || !reflect.DeepEqual(s.Scoring, want.Scoring) ||
				!reflect.DeepEqual(s.LostReasons, want.LostReasons) || !reflect.DeepEqual(s.DisqualifyReasons, want.DisqualifyReasons) {
				t.Errorf("settings = %+v", s)
			}
			ps := c.Pipelines()
			if len(ps) != 1 || !ps[0].Default || len(ps[0].Stages) != 5 {
				t.Fatalf("pipelines = %+v", ps)
			}
			if st := ps[0].Stages[3]; st != (core.StageDef{Name: "Proposal", Probability: 60, RotDays: 14}) {
				t.Errorf("fourth stage = %+v", st)
			}
		})
	}
	t.Run("the first pipeline is the default when none says so", func(t *testing.T) {
		c := mustParse(t, "pipelines:\n  - {name: A, stages: [{name: x, probability: 10}]}\n  - {name: B, stages: [{name: y, probability: 20}]}\n", nil)
		if ps := c.Pipelines(); !ps[0].Default || ps[1].Default {
			t.Errorf("pipelines = %+v", ps)
		}
	})
	t.Run("scoring events merge over the built-in points", func(t *testing.T) {
		c := mustParse(t, "scoring:\n  events: {replied: 5}\n  decay_per_week: 0\n  free_mail_domains: ['@Vnn.vn']\n", nil)
		s := c.Settings().Scoring
		if s.Events[core.EventReplied] != 5 || s.Events[core.EventMeetingConfirmed] != 30 || s.DecayPerWeek != 0 || !s.FreeMailDomains["vnn.vn"] || !s.FreeMailDomains["gmail.com"] {
			t.Errorf("scoring = %+v", s)
		}
	})
	t.Run("a user without a role is a rep", func(t *testing.T) {
		c := mustParse(t, "users:\n  - email: A@Example.com\n", nil)
		if u := c.Users()[0]; u.Role != core.RoleRep || u.Email != "a@example.com" || u.TimeZone != "UTC" {
			t.Errorf("user = %+v", u)
		}
	})
	t.Run("anchors and merge keys work", func(t *testing.T) {
		c := mustParse(t, `pipelines:
  - name: P
    stages:
      - &s1 {name: One, probability: 10, rot_days: 3}
      - {<<: *s1, name: Two}
`, nil)
		if st := c.Pipelines()[0].Stages[1]; st != (core.StageDef{Name: "Two", Probability: 10, RotDays: 3}) {
			t.Errorf("merged stage = %+v", st)
		}
	})
}

func TestInterpolation(t *testing.T) {
	tests := []struct {
		name string
		src  string
		vars map[string]string
		want string // the resulting http.public_url
	}{
		{"a set variable is substituted", "http: {public_url: \"${URL}\"}", map[string]string{"URL": "https://a.example"}, "https://a.example"},
		{"a default is used when the variable is unset", "http:\n  public_url: ${URL:-https://b.example}", nil, "https://b.example"},
		{"a set variable wins over its default", "http:\n  public_url: ${URL:-https://b.example}", map[string]string{"URL": "https://c.example"}, "https://c.example"},
		{"text around a variable is kept", "http:\n  public_url: https://${HOST}/crm", map[string]string{"HOST": "d.example"}, "https://d.example/crm"},
		{"comments are not interpolated", "# ${NOT_SET}\nhttp:\n  public_url: https://e.example # ${NOT_SET}", nil, "https://e.example"},
		{"$${ is a literal ${", "http:\n  public_url: https://f.example/$${x}", nil, "https://f.example/${x}"},
		{"a value with a # stays whole", "http:\n  public_url: ${URL}", map[string]string{"URL": "https://g.example/#a b"}, "https://g.example/#a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, tt.src, tt.vars)
			if c.HTTP.PublicURL != tt.want {
				t.Errorf("public_url = %q, want %q", c.HTTP.PublicURL, tt.want)
			}
		})
	}
	t.Run("numbers can come from the environment", func(t *testing.T) {
		c := mustParse(t, "pipelines:\n  - name: P\n    stages:\n      - name: S\n        probability: ${PROB:-35}\n        rot_days: ${ROT}\n", map[string]string{"ROT": "9"})
		if st := c.Pipelines()[0].Stages[0]; st.Probability != 35 || st.RotDays != 9 {
			t.Errorf("stage = %+v", st)
		}
	})

	errTests := []struct {
		name string
		src  string
		want []string
	}{
		{"an unset variable without a default is an error naming it and the line", "database: sqlite:x.db\nhttp:\n  public_url: ${PUBLIC_URL} #<", []string{"http.public_url at line 3", "PUBLIC_URL is not set", "${PUBLIC_URL:-default}"}},
		{"an unterminated reference is an error", "slack:\n  bot_token: \"${TOKEN\" #<", []string{"slack.bot_token at line 2", "without a closing }"}},
		{"a malformed name is an error", "slack:\n  bot_token: ${1TOKEN} #<", []string{"slack.bot_token at line 2", "not a variable reference"}},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(tt.src), "leadwire.yaml", nil)
			checkErr(t, err, tt.want...)
		})
	}
}

func checkErr(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one containing %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error\n%v\ndoes not contain %q", err, w)
		}
	}
}

// valid is a small valid configuration that cases extend.
const valid = `users:
  - {email: boss@example.com, role: manager}
  - {email: rep@example.com, team: Sales}
teams:
  - {name: Sales, manager: boss@example.com}
`

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string   // "#<" marks the line the error must name
		want []string // substrings of the error, besides "at line N"
	}{
		{"an unknown key names its path and suggests the right one", `teams:
  - name: Sales
    mangaer: boss@example.com #<
`, []string{"teams[0].mangaer", "unknown key; did you mean manager?"}},
		{"an unknown top-level key suggests the right one", "databse: sqlite:x.db #<\n", []string{"databse", "did you mean database?"}},
		{"an unknown key far from any other lists the valid keys", "http:\n  port: 8080 #<\n", []string{"http.port", "valid keys here are listen, public_url"}},
		{"a bad role says which roles exist", "users:\n  - email: a@example.com\n    role: boss #<\n", []string{"users[0].role", `unknown role "boss"`, "rep, manager, admin"}},
		{"an unknown time zone names the user by position", "users:\n  - email: b@example.com\n  - email: a@example.com\n    timezone: Asia/Bangok #<\n", []string{"users[1].timezone", "unknown time zone", "use an IANA name such as Europe/Warsaw"}},
		{"an unknown user time zone names the user", "users:\n  - email: a@example.com\n    timezone: Europe/Warsow #<\n", []string{"users[0].timezone", `unknown time zone "Europe/Warsow"`, "Europe/Warsaw"}},
		{"an unknown organisation time zone is an error", "timezone: Mars/Olympus #<\n", []string{"timezone at line", "IANA"}},
		{"a bad currency says what is valid", "currency: EUROS #<\n", []string{"currency at line", `unknown currency "EUROS"`, "ISO 4217"}},
		{"a probability out of range says the range", `pipelines:
  - name: P
    stages:
      - name: S
        probability: 120 #<
`, []string{"pipelines[0].stages[0].probability", "0 to 100"}},
		{"a missing probability is an error", `pipelines:
  - name: P
    stages:
      - name: S #<
`, []string{"pipelines[0].stages[0].probability", "needs a probability"}},
		{"a probability that is not a number is an error", `pipelines:
  - name: P
    stages:
      - name: S
        probability: high #<
`, []string{"pipelines[0].stages[0].probability", `want a whole number, not "high"`}},
		{"a stage named Won is refused", `pipelines:
  - name: P
    stages:
      - {name: Won, probability: 100} #<
`, []string{"pipelines[0].stages[0].name", "do not list it"}},
		{"a duplicate team name is an error", `teams:
  - name: Sales
  - name: sales #<
`, []string{"teams[1].name", "duplicate team name", "teams[0] at line 2"}},
		{"a duplicate user is an error", `users:
  - email: a@example.com
  - email: A@example.com #<
`, []string{"users[1].email", "duplicate user a@example.com"}},
		{"a duplicate pipeline name is an error", `pipelines:
  - {name: P, stages: [{name: S, probability: 1}]}
  - {name: P, stages: [{name: S, probability: 1}]} #<
`, []string{"pipelines[1].name", "duplicate pipeline name"}},
		{"a user's unknown team is an error with a suggestion", `teams:
  - name: Bangkok
users:
  - email: a@example.com
    team: Bangkk #<
`, []string{"users[0].team", `unknown team "Bangkk"; did you mean Bangkok?`}},
		{"a team manager who is not a user is an error", `users:
  - email: a@example.com
teams:
  - name: Sales
    manager: ghost@example.com #<
`, []string{"teams[0].manager", "ghost@example.com is not among users"}},
		{"a team manager with role rep is an error", `users:
  - email: a@example.com
teams:
  - name: Sales
    manager: a@example.com #<
`, []string{"teams[0].manager", "role rep", "manager or admin"}},
		{"a manager of two teams who is in none is asked which one", `users:
  - email: a@example.com #<
    role: manager
teams:
  - {name: Hanoi, manager: a@example.com}
  - {name: Saigon, manager: a@example.com}
`, []string{"users[0].team", "manages teams Hanoi and Saigon and is in none", "role admin"}},
		{"a team member who is not a user is an error", `teams:
  - name: Sales
    members:
      - ghost@example.com #<
`, []string{"teams[0].members[0]", "not among users"}},
		{"a user in two teams is an error", `users:
  - {email: a@example.com, team: A}
teams:
  - {name: A}
  - name: B
    members: [a@example.com] #<
`, []string{"teams[1].members[0]", "a user belongs to one team"}},
		{"a bad duration shows the right form", `teams:
  - name: Sales
    response_limit: 15 minutes #<
`, []string{"teams[0].response_limit", `invalid duration "15 minutes"`, "15m"}},
		{"a second default pipeline is an error", `pipelines:
  - {name: A, default: true, stages: [{name: S, probability: 1}]}
  - {name: B, default: true, stages: [{name: S, probability: 1}]} #<
`, []string{"pipelines[1].default", "only one pipeline can be the default"}},
		{"an unknown database scheme hides the rest of the URL", "database: mysql://root:hunter2@db/crm #<\n", []string{"database at line", `unknown database scheme "mysql"`, "sqlite:PATH"}},
		{"a database without a scheme is an error", "database: ./leadwire.db #<\n", []string{"database at line", "has no scheme"}},
		{"a negative rate is an error", "rates:\n  THB: -1 #<\n", []string{"rates.THB", "invalid rate"}},
		{"a rate for an unknown currency is an error", "rates:\n  BAHT: 0.026 #<\n", []string{"rates.BAHT", `unknown currency "BAHT"`}},
		{"a rate that is not a number is an error", "rates:\n  THB: cheap #<\n", []string{"rates.THB", "want a number"}},
		{"a target in a currency without a rate is an error", valid + `targets:
  - {team: Sales, month: "2026-11", amount: "50000", currency: THB} #<
`, []string{"targets[0].currency", "no exchange rate from THB to EUR"}},
		{"a target amount with too many decimals is an error", valid + `targets:
  - {team: Sales, month: "2026-11", amount: "50000.5", currency: VND} #<
rates: {VND: 0.000036}
`, []string{"targets[0].amount", "VND has no minor unit"}},
		{"a target month must be a month", valid + `targets:
  - {user: rep@example.com, month: "11/2026", amount: "1"} #<
`, []string{"targets[0].month", "2026-11"}},
		{"a bad listen address is an error", "http:\n  listen: 8080 #<\n", []string{"http.listen", "host:port"}},
		{"a negative read timeout is an error", "http:\n  read_timeout: -5s #<\n", []string{"http.read_timeout", "between 1ms and 1h"}},
		{"a write timeout past an hour is an error", "http:\n  write_timeout: 2h #<\n", []string{"http.write_timeout", "between 1ms and 1h"}},
		{"a body limit past 32MiB is an error", "http:\n  max_body: 64MiB #<\n", []string{"http.max_body", "32MiB"}},
		{"a key=value database with a password is shown masked", "database: host=db user=lw password=hunter2 #<\n", []string{"database", "password=xxxxx", "has no scheme"}},
		{"a bad region is an error", "region: Thailand #<\n", []string{"region at line", "ISO 3166"}},
		{"a bad locale is an error", "users:\n  - email: a@example.com\n    locale: thai_lang_x #<\n", []string{"users[0].locale", "BCP 47"}},
		{"a bad visibility is an error", "teams:\n  - name: A\n    visibility: everyone #<\n", []string{"teams[0].visibility", "use own", "or team"}},
		{"a bad score rule kind is an error", "scoring:\n  rules:\n    - {name: x, kind: keywords, points: 1} #<\n", []string{"scoring.rules[0].kind", "did you mean keyword?"}},
		{"an unknown score event is an error", "scoring:\n  events:\n    replyed: 5 #<\n", []string{"scoring.events.replyed", "did you mean replied?"}},
		{"a list where a mapping belongs is an error", "http:\n  - listen #<\n", []string{"http at line", "want a mapping"}},
		{"a YAML syntax error gives line and column", "teams:\n  - name: [Sales #<\n", []string{"leadwire.yaml: line 2, column"}},
		{"an unquoted ${...} inside a flow mapping gets a hint", "http: {public_url: ${URL}} #<\n", []string{"line 1, column", `in quotes: "${NAME}"`}},
		{"an alias into its own value is refused", "rules: &f [a, *f] #<\n", []string{"rules", "refers to the value that contains it"}},
		{"a merge of a mapping into itself is refused", "http: &h {<<: *h, listen: ':1'} #<\n", []string{"http", "refers to the value that contains it"}},
		{"two documents are refused", "database: sqlite:a.db\n---\ndatabase: sqlite:b.db #<\n", []string{"2 YAML documents"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(tt.src), "leadwire.yaml", nil)
			line := markedLine(t, tt.src)
			if !strings.Contains(tt.name, "syntax") && !strings.Contains(tt.name, "documents") && !strings.Contains(tt.name, "hint") {
				tt.want = append(tt.want, fmt.Sprintf("at line %d:", line))
			} else {
				tt.want = append(tt.want, fmt.Sprintf("line %d", line))
			}
			checkErr(t, err, tt.want...)
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error leaks the database password: %v", err)
			}
			var ce *config.Error
			if !errors.As(err, &ce) || ce.File != "leadwire.yaml" || ce.Line != line {
				t.Errorf("errors.As *config.Error = %+v", ce)
			}
		})
	}
}

func TestAllErrorsAreReported(t *testing.T) {
	src := `database: mysql://x
teams:
  - name: Sales
    mangaer: a@example.com
users:
  - email: a@example.com
    role: boss
    timezone: Europe/Warsow
`
	_, err := config.Parse([]byte(src), "leadwire.yaml", nil)
	want := []string{
		`leadwire.yaml: database at line 1: unknown database scheme "mysql"`,
		"leadwire.yaml: teams[0].mangaer at line 4: unknown key; did you mean manager?",
		`leadwire.yaml: users[0].role at line 7: unknown role "boss"`,
		`leadwire.yaml: users[0].timezone at line 8: unknown time zone "Europe/Warsow"`,
	}
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%v", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want it to start with %q", i+1, lines[i], w)
		}
	}
}

func TestResolve(t *testing.T) {
	exists := func(p string) bool { return p == "leadwire.yaml" }
	none := func(string) bool { return false }
	tests := []struct {
		name   string
		flag   string
		vars   map[string]string
		exists func(string) bool
		want   string
	}{
		{"the flag wins over everything", "/etc/lw.yaml", map[string]string{"LEADWIRE_CONFIG": "env.yaml"}, exists, "/etc/lw.yaml"},
		{"LEADWIRE_CONFIG wins over the working directory", "", map[string]string{"LEADWIRE_CONFIG": "env.yaml"}, exists, "env.yaml"},
		{"./leadwire.yaml is used when present", "", nil, exists, "leadwire.yaml"},
		{"nothing means the built-in defaults", "", nil, none, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := config.Resolve(tt.flag, env(tt.vars), tt.exists); got != tt.want {
				t.Errorf("Resolve = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDatabaseFromEnvironment(t *testing.T) {
	const pg = "postgres://lw:pw@db.example:5432/leadwire?sslmode=disable"
	t.Run("LEADWIRE_DB overrides the file", func(t *testing.T) {
		c := mustParse(t, "database: sqlite:./other.db\n", map[string]string{"LEADWIRE_DB": pg})
		if c.Database != pg {
			t.Errorf("database = %q", c.Database)
		}
	})
	t.Run("LEADWIRE_DB overrides the defaults", func(t *testing.T) {
		c, err := config.Load("", env(map[string]string{"LEADWIRE_DB": "sqlite:/var/lib/leadwire.db"}))
		if err != nil || c.Database != "sqlite:/var/lib/leadwire.db" {
			t.Errorf("database = %v, %v", c, err)
		}
		if d := config.Default(env(map[string]string{"LEADWIRE_DB": pg})); d.Database != pg {
			t.Errorf("Default database = %q", d.Database)
		}
	})
	t.Run("a bad LEADWIRE_DB is reported under its name", func(t *testing.T) {
		_, err := config.Parse([]byte("database: sqlite:x.db\n"), "leadwire.yaml", env(map[string]string{"LEADWIRE_DB": "mongodb://u:secret@h/db"}))
		checkErr(t, err, "LEADWIRE_DB: unknown database scheme \"mongodb\"")
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("the error leaks the password: %v", err)
		}
	})
}

func TestLoadMissingFile(t *testing.T) {
	_, err := config.Load(filepath.Join(t.TempDir(), "nope.yaml"), nil)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want a not-exist error", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(configs.Example)
	f.Add(configs.DefaultPipelines)
	f.Add([]byte(valid))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("x: ${A:-${B}}\n"))
	f.Add([]byte("teams:\n  - <<: {name: x}\n    mangaer: y\n"))
	f.Add([]byte("rates: {THB: .nan, USD: 1e400}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := config.Parse(data, "fuzz.yaml", func(k string) string {
			if k == "SET" {
				return "value"
			}
			return ""
		})
		if err == nil {
			_ = c.Settings()
			_ = c.Teams()
			_ = c.Users()
			_ = c.Pipelines()
			_ = c.Targets()
			_ = c.WebForms()
			_ = c.WebhookSources()
			_ = c.TrustedProxies()
			if len(c.Pipelines()) == 0 {
				t.Error("a valid configuration has no pipelines")
			}
		}
	})
}

func TestSMTPErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"smtp:\n  host: smtp.example.com\n  tls: none\n  from: a@example.com\n", "smtp.tls"},
		{"smtp:\n  host: smtp.example.com\n  tls: ssl\n  from: a@example.com\n", "unknown tls"},
		{"smtp:\n  host: smtp.example.com\n", "smtp.from"},
		{"smtp:\n  host: smtp.example.com\n  from: not an address\n", "invalid sender"},
		{"smtp:\n  host: smtp.example.com:587\n  from: a@example.com\n", "smtp.host"},
		{"smtp:\n  host: smtp.example.com\n  port: 70000\n  from: a@example.com\n", "smtp.port"},
	} {
		_, err := config.Parse([]byte(tc.yaml), "test.yaml", func(string) string { return "" })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want one containing %q", tc.yaml, err, tc.want)
		}
	}
	c, err := config.Parse([]byte("smtp:\n  host: 127.0.0.1\n  tls: none\n  from: \"Sales <sales@example.com>\"\n"), "test.yaml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP.Port != 587 || c.SMTP.FromAddress().Address != "sales@example.com" || c.SMTP.FromAddress().Name != "Sales" {
		t.Errorf("smtp = %+v from %+v", c.SMTP, c.SMTP.FromAddress())
	}
}

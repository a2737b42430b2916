// Package config loads leadwire.yaml: it reads the file, replaces ${VAR}
// and ${VAR:-default} from the environment, decodes it strictly into a
// plain struct tree, fills in defaults, validates everything at once and
// maps the result onto the core definitions the services need.
//
// configs/leadwire.example.yaml documents every key.
package config

import (
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"time"

	"leadwire/configs"
	"leadwire/core"
)

// Defaults of keys the file leaves out.
const (
	DefaultDatabase = "sqlite:./leadwire.db"
	DefaultListen   = "127.0.0.1:8080"
	DefaultFile     = "leadwire.yaml" // looked for in the working directory
)

// Environment variables the loader reads besides those the file refers to.
const (
	EnvConfig   = "LEADWIRE_CONFIG" // the config file, when --config is not given
	EnvDatabase = "LEADWIRE_DB"     // overrides the database key
)

// Config is the whole configuration file. Sections marked reserved are
// accepted and kept as plain values (maps, lists, strings) until the issue
// that implements them gives them a struct.
type Config struct {
	Database string             `yaml:"database"` // "sqlite:PATH" or "postgres://…"
	HTTP     HTTP               `yaml:"http"`
	TimeZone string             `yaml:"timezone"` // IANA name; default UTC
	Currency string             `yaml:"currency"` // reporting currency; default EUR
	Region   string             `yaml:"region"`   // default phone region, ISO 3166 alpha-2
	Locale   string             `yaml:"locale"`   // the organisation's language, BCP 47; default en
	Calendar string             `yaml:"calendar"` // gregorian (default), persian or buddhist
	Rates    map[string]float64 `yaml:"rates"`    // code → value of one major unit in Currency
	// The lists below are read through Teams, Users, Pipelines and
	// Targets, which return them mapped onto core definitions.
	TeamList     []Team     `yaml:"teams"`
	UserList     []User     `yaml:"users"`
	PipelineList []Pipeline `yaml:"pipelines"` // none: configs/pipelines.yaml
	Reasons      Reasons    `yaml:"reasons"`
	Scoring      Scoring    `yaml:"scoring"`
	TargetList   []Target   `yaml:"targets"`
	Email        Email      `yaml:"email"`
	Forms        []Form     `yaml:"forms"`    // web forms posting to /forms/{id}
	Webhooks     Webhooks   `yaml:"webhooks"` // JSON pushed to /api/v1/inbound
	Hooks        Hooks      `yaml:"hooks"`    // outgoing webhooks

	Slack    Slack    `yaml:"slack"`    // the Slack app
	Telegram Telegram `yaml:"telegram"` // the Telegram bot
	Alerts   Alerts   `yaml:"alerts"`   // connector health alerts to the admins
	Secrets  Secrets  `yaml:"secrets"`  // the key OAuth sign-ins are stored encrypted with
	SMTP     SMTP     `yaml:"smtp"`     // outgoing mail: digests, sequences
	Digest   Digest   `yaml:"digest"`   // the managers' digest
	Rules    []Rule   `yaml:"rules"`    // automations: see rules.go

	// Retention is how long personal data is kept where nobody needs it.
	Retention Retention `yaml:"retention"`

	// Sequences are email cadences a deal's contact is enrolled in.
	Sequences []SequenceDef `yaml:"sequences"`

	// Filled by validation, so the mapping methods cannot fail.
	settings  core.Settings
	teams     []core.TeamDef
	users     []core.UserDef
	pipelines []core.PipelineDef
	targets   []core.TargetDef
}

// HTTP is the web server: webhooks, forms, Slack and Telegram callbacks.
type HTTP struct {
	Listen    string `yaml:"listen"`     // host:port; default 127.0.0.1:8080
	PublicURL string `yaml:"public_url"` // how the outside world reaches Listen
	// TrustedProxies are the reverse proxies (addresses or CIDR ranges)
	// whose X-Forwarded-For names the client; without them the peer is.
	TrustedProxies []string `yaml:"trusted_proxies"`

	// The timeouts and the body limit apply to every connection before
	// anything is authenticated, so that slow or silent clients cannot
	// hold the server's connections.
	ReadHeaderTimeout Duration `yaml:"read_header_timeout"` // the request line and headers; default 10s
	ReadTimeout       Duration `yaml:"read_timeout"`        // the whole request, body included; default 30s
	WriteTimeout      Duration `yaml:"write_timeout"`       // from the headers read to the answer written; default 60s
	IdleTimeout       Duration `yaml:"idle_timeout"`        // a kept-alive connection between requests; default 2m
	// MaxBody bounds the body of every endpoint; forms and webhooks have
	// their own max_bytes. Default 1MiB.
	MaxBody Size `yaml:"max_body"`
	// ReadyzDetails shows why /readyz is not ready (the database's error,
	// which may name its host, user and file) to every caller, not only to
	// callers on the loopback interface.
	ReadyzDetails bool `yaml:"readyz_details"`
}

// Defaults of the HTTP server's limits.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	// DefaultWriteTimeout leaves room for the slowest handler: a
	// Telegram webhook update is handled within 30s before its answer.
	DefaultWriteTimeout = 60 * time.Second
	DefaultIdleTimeout  = 2 * time.Minute
	DefaultMaxBody      = 1 << 20
)

// Team is a configured team.
type Team struct {
	Name          string   `yaml:"name"`
	Manager       string   `yaml:"manager"` // a user's email
	Members       []string `yaml:"members"` // users' emails; users may name their team instead
	SlackChannel  string   `yaml:"slack_channel"`
	TelegramChat  string   `yaml:"telegram_chat"`  // chat id (-100…) or @name
	Email         string   `yaml:"email"`          // a shared mailbox or list for team notices (smtp must be set)
	ResponseLimit Duration `yaml:"response_limit"` // default 15m
	Region        string   `yaml:"region"`         // phone region, ISO 3166 alpha-2
	Locale        string   `yaml:"locale"`         // the language of its channels; default: the top-level locale
	Visibility    string   `yaml:"visibility"`     // own (default): reps read their own leads and deals; team: the team's
}

// User is a configured user.
type User struct {
	Email    string `yaml:"email"`
	Name     string `yaml:"name"`
	Role     string `yaml:"role"` // rep (default), manager, admin
	Team     string `yaml:"team"`
	TimeZone string `yaml:"timezone"` // default: the top-level timezone
	Locale   string `yaml:"locale"`   // BCP 47: th, fa, vi, pl, zh-Hans, en-GB
	Calendar string `yaml:"calendar"` // gregorian, persian, buddhist; default: the top-level calendar
	Slack    string `yaml:"slack"`    // Slack member id, U…
	Telegram int64  `yaml:"telegram"` // numeric Telegram user id
}

// Pipeline is a configured pipeline.
type Pipeline struct {
	Name    string  `yaml:"name"`
	Default bool    `yaml:"default"`
	Stages  []Stage `yaml:"stages"` // open stages in order; Won and Lost are implicit
}

// Stage is a configured open stage.
type Stage struct {
	Name        string `yaml:"name"`
	Probability *int   `yaml:"probability"` // percent, 0-100; required
	RotDays     int    `yaml:"rot_days"`    // 0: never rots
}

// Reasons are the choices offered when a deal is lost or a lead
// disqualified. An empty list means the built-in defaults.
type Reasons struct {
	Lost       []Reason `yaml:"lost"`
	Disqualify []Reason `yaml:"disqualify"`
}

// Reason is written either as its label ("No budget", the code is derived)
// or as {code, label}.
type Reason struct {
	Code  string `yaml:"code"`
	Label string `yaml:"label"`
}

func (r *Reason) setScalar(s string) { r.Label = s }

// Scoring configures lead scoring. Rules, when present, replace the
// built-in rules; events are merged over the built-in points.
type Scoring struct {
	Rules           []ScoreRule    `yaml:"rules"`
	Events          map[string]int `yaml:"events"`
	DecayPerWeek    *int           `yaml:"decay_per_week"`
	FreeMailDomains []string       `yaml:"free_mail_domains"` // added to the built-in list
}

// ScoreRule is a configured scoring rule; see core.ScoreRule.
type ScoreRule struct {
	Name     string   `yaml:"name"`
	Kind     string   `yaml:"kind"` // field, source, corporate, free_mail, keyword
	Field    string   `yaml:"field"`
	Value    string   `yaml:"value"`
	Keywords []string `yaml:"keywords"`
	Points   int      `yaml:"points"`
}

// Target is a monthly revenue target for a user or a team.
type Target struct {
	User     string `yaml:"user"` // email
	Team     string `yaml:"team"`
	Month    string `yaml:"month"`    // "2026-11"
	Amount   string `yaml:"amount"`   // major units: "50000", "12000.50"
	Currency string `yaml:"currency"` // default: the reporting currency
}

// Duration is a Go duration written as text: 15m, 90s, 2h30m.
type Duration time.Duration

// UnmarshalText parses a duration such as 15m.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("invalid duration %q; write it like 15m, 90s or 2h", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText formats the duration.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Resolve picks the configuration file: the --config flag, else
// $LEADWIRE_CONFIG, else ./leadwire.yaml when it exists. "" means none:
// run on the built-in defaults.
func Resolve(flagPath string, getenv func(string) string, fileExists func(string) bool) string {
	if flagPath != "" {
		return flagPath
	}
	if getenv != nil {
		if p := getenv(EnvConfig); p != "" {
			return p
		}
	}
	if fileExists != nil && fileExists(DefaultFile) {
		return DefaultFile
	}
	return ""
}

// Load reads, interpolates, decodes, defaults and validates the file at
// path; "" loads the built-in defaults. $LEADWIRE_DB, when set, overrides
// the database key (and is validated like it). Every problem is reported,
// each an *Error on its own line.
func Load(path string, getenv func(string) string) (*Config, error) {
	if path == "" {
		return Parse(nil, "built-in defaults", getenv)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(data, path, getenv)
}

// Parse is Load on a file's contents; name is used in messages. A nil
// getenv is an empty environment.
func Parse(data []byte, name string, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	c := &Config{}
	p := &problems{file: name, lines: map[string]int{}}
	d := newDecoder(p, getenv)
	body, ok := d.parseYAML(data)
	if !ok {
		return nil, p.err()
	}
	if body != nil {
		d.interpolate(body, "")
		d.decode(body, reflect.ValueOf(c).Elem(), "")
	}
	if db := getenv(EnvDatabase); db != "" {
		c.Database = db
		c.validateWith(p, EnvDatabase)
	} else {
		c.validateWith(p, "database")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// Default returns the built-in configuration, with $LEADWIRE_DB applied.
// It cannot fail; a malformed $LEADWIRE_DB is kept as is and fails when
// the database is opened. Prefer Load("", getenv), which reports it.
func Default(getenv func(string) string) *Config {
	c := &Config{}
	if getenv != nil {
		c.Database = getenv(EnvDatabase)
	}
	c.validateWith(&problems{file: "built-in defaults", lines: map[string]int{}}, EnvDatabase)
	return c
}

// Settings returns what the core services need to know. Each call returns
// a fresh copy, so a caller cannot change another's.
func (c *Config) Settings() core.Settings {
	s := c.settings
	s.Rates.Rates = maps.Clone(s.Rates.Rates)
	s.Scoring.Rules = slices.Clone(s.Scoring.Rules)
	s.Scoring.Events = maps.Clone(s.Scoring.Events)
	s.Scoring.FreeMailDomains = maps.Clone(s.Scoring.FreeMailDomains)
	s.LostReasons = slices.Clone(s.LostReasons)
	s.DisqualifyReasons = slices.Clone(s.DisqualifyReasons)
	s.Alerts.Watched = slices.Clone(s.Alerts.Watched)
	s.Rules = slices.Clone(s.Rules)
	s.Channels = slices.Clone(s.Channels)
	s.Digest.Weekdays = slices.Clone(s.Digest.Weekdays)
	s.Digest.Channels = slices.Clone(s.Digest.Channels)
	s.Sequences = slices.Clone(s.Sequences)
	return s
}

// Teams returns the configured teams, members resolved from both the teams'
// members lists and the users' team keys.
func (c *Config) Teams() []core.TeamDef {
	out := slices.Clone(c.teams)
	for i := range out {
		out[i].Members = slices.Clone(out[i].Members)
	}
	return out
}

// Users returns the configured users with defaults applied: role rep, the
// organisation's time zone, the team that lists them as a member.
func (c *Config) Users() []core.UserDef { return slices.Clone(c.users) }

// Pipelines returns the configured pipelines, or the default ones from
// configs/pipelines.yaml; exactly one is the default.
func (c *Config) Pipelines() []core.PipelineDef {
	out := slices.Clone(c.pipelines)
	for i := range out {
		out[i].Stages = slices.Clone(out[i].Stages)
	}
	return out
}

// Targets returns the revenue targets with amounts in minor units.
func (c *Config) Targets() []core.TargetDef { return slices.Clone(c.targets) }

// defaultPipelines decodes configs/pipelines.yaml. It is embedded and
// covered by tests, so a problem in it is a build defect; it is still
// reported rather than panicked on.
func defaultPipelines(into *problems) []Pipeline {
	var v struct {
		Pipelines []Pipeline `yaml:"pipelines"`
	}
	p := &problems{file: "configs/pipelines.yaml", lines: map[string]int{}}
	d := newDecoder(p, func(string) string { return "" })
	if body, ok := d.parseYAML(configs.DefaultPipelines); ok && body != nil {
		d.decode(body, reflect.ValueOf(&v).Elem(), "")
	}
	into.errs = append(into.errs, p.errs...)
	return v.Pipelines
}

package core

import "time"

// Reason is a configured lost or disqualify reason.
type Reason struct {
	Code  string // short key: "no_budget"
	Label string // shown to people: "No budget"
}

// DefaultLostReasons are used when the config lists none.
func DefaultLostReasons() []Reason {
	return []Reason{
		{"no_budget", "No budget"},
		{"competitor", "Went with a competitor"},
		{"no_decision", "No decision"},
		{"timing", "Bad timing"},
		{"price", "Price too high"},
		{"unresponsive", "Stopped responding"},
	}
}

// DefaultDisqualifyReasons are used when the config lists none.
func DefaultDisqualifyReasons() []Reason {
	return []Reason{
		{"no_budget", "No budget"},
		{"no_need", "No need now"},
		{"wrong_contact", "Wrong contact"},
		{"competitor", "Already with a competitor"},
		{"spam", "Spam"},
		{"duplicate", "Duplicate"},
	}
}

// Settings is the part of the configuration the services need.
type Settings struct {
	Currency          string // the reporting currency
	TimeZone          string // the organisation's default time zone
	Rates             Rates
	Scoring           Scoring
	LostReasons       []Reason
	DisqualifyReasons []Reason
	DefaultRegion     string // phone region when the team has none, e.g. "TH"
	LoopGuard         LoopGuard
	// Channels are the notice channels configured (ChannelSlack,
	// ChannelTelegram, ChannelEmail); Announce uses only these.
	Channels []string
	// Alerts tune the connector health alerts to the admins.
	Alerts Alerts
	// Rules are the configured automations, in order.
	Rules []Rule
	// Digest is when and where managers get their digest.
	Digest DigestSettings
	// Sequences are the configured email cadences.
	Sequences []Sequence
	// PublicURL is how the outside world reaches leadwire's HTTP server
	// (unsubscribe links), without a trailing slash.
	PublicURL string
	// Retention is how long personal data is kept where nobody needs it.
	Retention Retention
	// Locale is the organisation's language (BCP 47), for people who set
	// none and chats that report none; "" is English.
	Locale string
	// Calendar is the organisation's calendar: gregorian (""), persian or
	// buddhist.
	Calendar Calendar
}

// DigestSettings schedule the managers' digest.
type DigestSettings struct {
	At       time.Duration  // local time of day it is due; 0: 08:00
	Weekdays []time.Weekday // the days it is sent; none: Monday to Friday
	Weekly   bool           // Monday's digest covers the seven days before
	// Channels it goes out on, among Settings.Channels; none: all of
	// them that reach the manager.
	Channels []string
}

// LoopGuard limits how many new leads one sender may open in a window.
type LoopGuard struct {
	Max    int // 0: no limit
	Window time.Duration
}

// DefaultSettings are the settings of an empty configuration.
func DefaultSettings() Settings {
	return Settings{
		Currency:          "EUR",
		TimeZone:          "UTC",
		Rates:             Rates{Base: "EUR", Rates: map[string]float64{}},
		Scoring:           DefaultScoring(),
		LostReasons:       DefaultLostReasons(),
		DisqualifyReasons: DefaultDisqualifyReasons(),
		LoopGuard:         LoopGuard{Max: 20, Window: 2 * time.Hour},
	}
}

// TeamDef is a team as configured.
type TeamDef struct {
	Name          string
	Manager       string // email
	Members       []string
	SlackChannel  string
	TelegramChat  string
	Email         string
	ResponseLimit time.Duration
	Region        string
	Locale        string
	Visibility    Visibility // "": own
}

// UserDef is a user as configured.
type UserDef struct {
	Email      string
	Name       string
	Role       Role
	Team       string
	TimeZone   string
	Locale     string
	Calendar   string
	SlackID    string
	TelegramID int64
}

// TargetDef is a configured revenue target: for a user (email) or a team.
type TargetDef struct {
	User   string
	Team   string
	Month  string // "2026-11"
	Amount Money
}

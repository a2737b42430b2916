package core

import "time"

// Reason is a configured lost or disqualify reason.
type Reason struct {
	Code  string // short key: "no_budget"
	Label string // shown to people: "No budget"; what is stored
	// Labels are the reason in other languages ("th": "ไม่มีงบ").
	Labels Labels
}

// LabelIn is the reason in lang.
func (r Reason) LabelIn(lang string) string { return r.Labels.In(lang, r.Label) }

// ReasonLabel is how a stored reason (a configured one's Label, or
// someone's own words) reads in lang.
func ReasonLabel(reasons []Reason, stored, lang string) string {
	for _, r := range reasons {
		if r.Label == stored {
			return r.LabelIn(lang)
		}
	}
	return stored
}

// DefaultLostReasons are used when the config lists none.
func DefaultLostReasons() []Reason {
	return []Reason{
		{Code: "no_budget", Label: "No budget"},
		{Code: "competitor", Label: "Went with a competitor"},
		{Code: "no_decision", Label: "No decision"},
		{Code: "timing", Label: "Bad timing"},
		{Code: "price", Label: "Price too high"},
		{Code: "unresponsive", Label: "Stopped responding"},
	}
}

// DefaultDisqualifyReasons are used when the config lists none.
func DefaultDisqualifyReasons() []Reason {
	return []Reason{
		{Code: "no_budget", Label: "No budget"},
		{Code: "no_need", Label: "No need now"},
		{Code: "wrong_contact", Label: "Wrong contact"},
		{Code: "competitor", Label: "Already with a competitor"},
		{Code: "spam", Label: "Spam"},
		{Code: "duplicate", Label: "Duplicate"},
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
	// Monthly adds, on the first working day of a month, a report of
	// the month before at the same time.
	Monthly bool
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
	Digits     string // native or latin; "": leave as stored
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

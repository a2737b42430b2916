package core

import (
	"strings"
	"time"
)

// Role is what a user may do: a rep works own records, a manager the team's,
// an admin everything.
type Role string

// The roles.
const (
	RoleRep     Role = "rep"
	RoleManager Role = "manager"
	RoleAdmin   Role = "admin"
)

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleRep, RoleManager, RoleAdmin:
		return r, nil
	}
	return "", Errorf(KindInvalid, "unknown role %q; valid roles are rep, manager, admin", s)
}

// User is a person working leads: a rep, a manager or an admin.
type User struct {
	ID         int64
	Email      string
	Name       string
	Role       Role
	TeamID     int64 // 0: no team
	TimeZone   string
	Locale     string   // BCP 47, set in the config, the CLI or chat ("language th")
	ChatLocale string   // what the linked chat account reports (Slack, Telegram)
	Calendar   Calendar // "": the organisation's
	Digits     Digits   // "": Latin digits
	SlackID    string
	TelegramID int64
	Active     bool
	CreatedAt  time.Time
	// Acting names an actor without an id, never stored: the rule or the
	// API token acting, for the timeline to name it in each reader's
	// words.
	Acting Arg
}

// Location returns the user's time zone, UTC when unset or unknown.
func (u *User) Location() *time.Location {
	if loc, err := time.LoadLocation(u.TimeZone); err == nil && u.TimeZone != "" {
		return loc
	}
	return time.UTC
}

// DefaultResponseLimit is how long a new lead may wait for a first response
// before the team is pinged.
const DefaultResponseLimit = 15 * time.Minute

// Team is a group of reps with a manager and notification channels.
type Team struct {
	ID            int64
	Name          string
	ManagerID     int64
	SlackChannel  string
	TelegramChat  string
	Email         string // a shared mailbox or list: team notices by email
	ResponseLimit time.Duration
	Region        string // default phone region, ISO 3166 alpha-2
	LastAssigned  int64  // user id of the last round-robin assignment
	Locale        string // the language of the team's channels; "": the organisation's
	// Visibility is what the team's reps read: their own records (own,
	// the default) or every lead and deal of the team (team).
	Visibility Visibility
}

// UserFilter narrows a user listing.
type UserFilter struct {
	TeamID int64
	Role   Role
}

// ValidateTimeZone checks an IANA zone name.
func ValidateTimeZone(tz string) error {
	if tz == "" {
		return nil
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return Errorf(KindInvalid, "unknown time zone %q; use an IANA name such as Europe/Warsaw or Asia/Bangkok", tz)
	}
	return nil
}

package core

import (
	"time"
)

// Arg is one argument of a timeline message (Activity.Key): a value in no
// language, named for each reader when shown. Exactly one field is set;
// the zero Arg is empty.
type Arg struct {
	// User is a user by id: their name, as the reader's directory has it.
	User int64 `json:"user,omitempty"`
	// Stage is a stage by id: its label in the reader's language.
	Stage int64 `json:"stage,omitempty"`
	// Pipeline is a pipeline by id: its name.
	Pipeline int64 `json:"pipeline,omitempty"`
	// Date is a day (2006-01-02), written in the reader's calendar.
	Date string `json:"date,omitempty"`
	// Time is an instant (RFC 3339), in the reader's zone and calendar.
	Time string `json:"time,omitempty"`
	// Money is an amount, written as the reader's locale writes it.
	Money *Money `json:"money,omitempty"`
	// Number is a whole number (a percentage, a step).
	Number *int64 `json:"number,omitempty"`
	// LostReason is a deal's lost reason as stored: a configured reason
	// by its label in the reader's language, else the words typed.
	LostReason string `json:"lost_reason,omitempty"`
	// DisqualifyReason is a lead's disqualify reason as stored, likewise.
	DisqualifyReason string `json:"disqualify_reason,omitempty"`
	// Term is a word of the catalog, under "term." + Term.
	Term string `json:"term,omitempty"`
	// Rule is a rule by name, acting on its own ("rule vip").
	Rule string `json:"rule,omitempty"`
	// Token is an API token by name, acting as nobody in particular.
	Token string `json:"token,omitempty"`
	// Text is words shown as they are: a sequence's name, a ref, what a
	// mail server answered, an actor without an id ("rule vip").
	Text string `json:"text,omitempty"`
}

// Args are a timeline message's arguments by placeholder name.
type Args map[string]Arg

// UserArg names a user.
func UserArg(id int64) Arg { return Arg{User: id} }

// StageArg names a stage.
func StageArg(id int64) Arg { return Arg{Stage: id} }

// PipelineArg names a pipeline.
func PipelineArg(id int64) Arg { return Arg{Pipeline: id} }

// DateArg is a day; the zero time is empty.
func DateArg(t time.Time) Arg {
	if t.IsZero() {
		return Arg{}
	}
	return Arg{Date: t.UTC().Format(time.DateOnly)}
}

// TimeArg is an instant.
func TimeArg(t time.Time) Arg { return Arg{Time: t.UTC().Format(time.RFC3339)} }

// MoneyArg is an amount.
func MoneyArg(m Money) Arg { return Arg{Money: &m} }

// NumberArg is a whole number.
func NumberArg(n int64) Arg { return Arg{Number: &n} }

// TextArg is words shown as they are.
func TextArg(s string) Arg { return Arg{Text: s} }

// actorArg names who did something: a user by id, a rule or an API token
// by its name, else by the name it acts under.
func actorArg(u *User) Arg {
	if u == nil {
		return Arg{}
	}
	switch {
	case u.ID != 0:
		return UserArg(u.ID)
	case u.Acting != Arg{}:
		return u.Acting
	}
	return TextArg(u.display())
}

// withArg returns args with name set to a, args itself left as it was.
func withArg(args Args, name string, a Arg) Args {
	out := make(Args, len(args)+1)
	for k, v := range args {
		out[k] = v
	}
	out[name] = a
	return out
}

// byActor is args with who did it when the timeline cannot name them by
// the activity's user: an actor without an id (a rule, an API token).
// Readers name the activity's user as "By" otherwise.
func byActor(actor *User, args Args) Args {
	if actor == nil || actor.ID != 0 {
		return args
	}
	return withArg(args, "By", actorArg(actor))
}

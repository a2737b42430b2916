package core

import "time"

// ActivityKind is what happened on a timeline.
type ActivityKind string

// The activity kinds.
const (
	ActivityNote          ActivityKind = "note"
	ActivityEmailIn       ActivityKind = "email_in"
	ActivityEmailOut      ActivityKind = "email_out"
	ActivityCall          ActivityKind = "call"
	ActivityMeeting       ActivityKind = "meeting"
	ActivityChatIn        ActivityKind = "chat_in"
	ActivityChatOut       ActivityKind = "chat_out"
	ActivityFormSubmitted ActivityKind = "form"
	ActivitySystem        ActivityKind = "system"
)

// Activity is one entry of a contact's timeline, optionally on a lead or deal.
type Activity struct {
	ID          int64
	Kind        ActivityKind
	ContactID   int64
	LeadID      int64
	DealID      int64
	UserID      int64 // 0: not done by a user (inbound, system)
	Subject     string
	Body        string
	ExternalRef string // e.g. an email Message-ID, for threading replies
	At          time.Time
	// Key, when set, is what leadwire says of the entry, in no language:
	// a catalog message ("timeline.moved") with its Args, rendered in each
	// reader's language when shown. Subject and Body keep only what people
	// typed or sent (a meeting's notes beside "timeline.meeting_held");
	// entries from before keys were kept have their English in Body.
	Key  string
	Args Args
}

// ActivityFilter narrows a timeline. At least one of the ids should be set.
type ActivityFilter struct {
	ContactID int64
	LeadID    int64
	DealID    int64
	Limit     int
	// Before, when set, keeps the entries older than it on the timeline's
	// order (time, then id, newest first): the page after it.
	Before *Activity
}

// Position is a place in a list ordered by a time and then an id: where
// the next page starts. A zero At is a record without a time (a task
// without a due time, listed last).
type Position struct {
	At time.Time
	ID int64
}

// Task is a follow-up someone must do.
type Task struct {
	ID           int64
	Title        string
	DueAt        time.Time
	OwnerID      int64
	LeadID       int64
	DealID       int64
	Done         bool
	DoneAt       time.Time
	SnoozedUntil time.Time
	CreatedAt    time.Time
	// RemindedAt is the due time its owner was last reminded of (zero:
	// never); set only through Tx.MarkReminded, so a reminder goes out
	// once per due time.
	RemindedAt time.Time
	// Kind is what the task is: "" a follow-up, TaskMeeting a meeting.
	Kind TaskKind
	// HeldAt is when a meeting was marked held (zero: not yet).
	HeldAt time.Time
}

// TaskKind tells a meeting from a follow-up.
type TaskKind string

// The task kinds.
const (
	TaskFollowUp TaskKind = ""
	TaskMeeting  TaskKind = "meeting"
)

// Due is when the task is due now: its snooze, when later than DueAt. It is
// the one rule for every list, reminder and overdue mark; storage orders
// and filters by it too.
func (t Task) Due() time.Time {
	if t.SnoozedUntil.After(t.DueAt) {
		return t.SnoozedUntil
	}
	return t.DueAt
}

// TaskFilter narrows a task listing.
type TaskFilter struct {
	OwnerID   int64
	TeamID    int64
	DealID    int64
	LeadID    int64
	OpenOnly  bool
	DueBefore time.Time // by Task.Due; zero: any
	Limit     int
	// After, when set, lists only the tasks after it in due order.
	After *Position
}

// Target is a revenue target for a rep or a team in a month.
type Target struct {
	UserID int64  // set for a rep's target
	TeamID int64  // set for a team's target
	Month  string // "2026-11"
	Amount Money
}

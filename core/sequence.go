package core

import (
	"context"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"text/template"
	"time"
)

// Sequence is a named email cadence: steps sent one after another to a
// contact until the cadence ends or something stops it (a reply, the deal
// closing, an unsubscribe).
type Sequence struct {
	Name  string
	Steps []SequenceStep
	Hours WorkingHours
}

// SequenceStep is one mail of a sequence.
type SequenceStep struct {
	// Delay is counted from the enrolment for the first step, from the
	// previous step's send for the others.
	Delay   time.Duration
	Subject *template.Template
	Body    *template.Template
}

// WorkingHours are when a sequence may send, in the recipient's zone.
type WorkingHours struct {
	Start, End time.Duration  // since local midnight: 9h, 17h
	Days       []time.Weekday // the working days
}

// DefaultWorkingHours are 09:00 to 17:00, Monday to Friday.
func DefaultWorkingHours() WorkingHours {
	return WorkingHours{Start: 9 * time.Hour, End: 17 * time.Hour,
		Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}}
}

func (h WorkingHours) works(d time.Weekday) bool {
	for _, w := range h.Days {
		if w == d {
			return true
		}
	}
	return false
}

// Next returns t when it falls inside the working hours in loc, else the
// start of the next working period; in UTC. Local wall times are used,
// so a day with a daylight-saving switch still starts at its 09:00.
func (h WorkingHours) Next(t time.Time, loc *time.Location) time.Time {
	if len(h.Days) == 0 || h.End <= h.Start {
		return t.UTC()
	}
	lt := t.In(loc)
	sh, sm := int(h.Start/time.Hour), int(h.Start%time.Hour/time.Minute)
	eh, em := int(h.End/time.Hour), int(h.End%time.Hour/time.Minute)
	for i := 0; i <= 7; i++ {
		start := time.Date(lt.Year(), lt.Month(), lt.Day()+i, sh, sm, 0, 0, loc)
		if !h.works(start.Weekday()) {
			continue
		}
		end := time.Date(lt.Year(), lt.Month(), lt.Day()+i, eh, em, 0, 0, loc)
		if t.Before(start) {
			return start.UTC()
		}
		if t.Before(end) {
			return t.UTC()
		}
	}
	return t.UTC() // unreachable with at least one working day
}

// SequenceData is what step templates see: {{.Contact.FirstName}},
// {{.Deal.Value}}, {{.Owner.Name}}.
type SequenceData struct {
	Contact SequenceContact
	Deal    SequenceDeal
	Owner   SequenceOwner
}

// SequenceContact are the contact fields of a template.
type SequenceContact struct{ Name, FirstName, Company, Email string }

// SequenceDeal are the deal fields of a template; Value is formatted with
// its currency ("450,000.00 THB").
type SequenceDeal struct{ Title, Value, Stage string }

// SequenceOwner are the owner's fields of a template.
type SequenceOwner struct{ Name, Email string }

// SequenceFields lists the fields step templates may use.
const SequenceFields = ".Contact.Name, .Contact.FirstName, .Contact.Company, .Contact.Email, .Deal.Title, .Deal.Value, .Deal.Stage, .Owner.Name, .Owner.Email"

// ParseSequenceTemplate parses a step's subject or body and runs it once
// on sample data, so a misspelt or unknown field is found when the
// configuration loads rather than when the mail is due.
func ParseSequenceTemplate(name, text string) (*template.Template, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, Errorf(KindInvalid, "%v", err)
	}
	sample := SequenceData{
		Contact: SequenceContact{Name: "Somchai Jaidee", FirstName: "Somchai", Company: "Siam Co", Email: "somchai@siam.example"},
		Deal:    SequenceDeal{Title: "Rollout", Value: "450,000.00 THB", Stage: "Proposal"},
		Owner:   SequenceOwner{Name: "Niran", Email: "niran@example.com"},
	}
	if err := t.Execute(io.Discard, sample); err != nil {
		msg := err.Error()
		if i := strings.Index(msg, "can't evaluate field"); i >= 0 {
			msg = msg[i:]
		}
		return nil, Errorf(KindInvalid, "%s; the fields are %s", msg, SequenceFields)
	}
	return t, nil
}

// EnrollmentStatus is where an enrolment is.
type EnrollmentStatus string

// The enrolment statuses.
const (
	EnrollmentActive   EnrollmentStatus = "active"
	EnrollmentStopped  EnrollmentStatus = "stopped"
	EnrollmentFinished EnrollmentStatus = "finished"
)

// Enrollment is a contact going through a sequence on behalf of a deal
// (or a lead not qualified yet).
type Enrollment struct {
	ID         int64
	Sequence   string
	DealID     int64
	LeadID     int64
	ContactID  int64
	OwnerID    int64
	Step       int // the next step to send; len(steps) once finished
	Status     EnrollmentStatus
	StopReason string
	NextRunAt  time.Time
	// Sending is the Message-ID of step Step while it is being sent: set
	// before the mail leaves, cleared once it is recorded as sent or known
	// not to have left. A retry that finds it set does not send again.
	Sending    string
	MessageIDs []string // of the steps sent, oldest first
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// EnrollmentFilter narrows a listing of enrolments. Zero fields do not
// filter.
type EnrollmentFilter struct {
	ContactID int64
	DealID    int64
	Sequence  string
	Status    EnrollmentStatus
}

// SequenceStepJob sends step Step of an enrolment at At. A step put off
// (outside working hours) is a new job with a later At; a job whose At is
// not the enrolment's next run is stale and does nothing.
type SequenceStepJob struct {
	EnrollmentID int64     `json:"enrollment_id"`
	Step         int       `json:"step"`
	At           time.Time `json:"at"`
}

// Kind implements Job.
func (SequenceStepJob) Kind() string { return "sequence_step" }

// JobOptions implements JobScheduler.
func (j SequenceStepJob) JobOptions() JobOptions {
	return JobOptions{RunAt: j.At, UniqueKey: NoticeKey("sequence", j.EnrollmentID, j.Step, j.At.Unix())}
}

// OutgoingMail is a mail core asks a Mailer to send.
type OutgoingMail struct {
	From       mail.Address // zero: the mailer's default sender
	ReplyTo    mail.Address // zero: none
	To         mail.Address
	Subject    string
	Text       string
	MessageID  string // without angle brackets
	InReplyTo  string
	References []string
	Header     map[string]string
	Date       time.Time
}

// Mailer sends mail over SMTP; bot/mail implements it. A refusal that
// retrying cannot change (an SMTP 5xx) wraps ErrUndeliverable.
type Mailer interface {
	Send(ctx context.Context, m OutgoingMail) (messageID string, err error)
	// DefaultFrom is the configured sender, used when the owner has no
	// address.
	DefaultFrom() mail.Address
}

// sequenceKeySetting names the app setting holding the secret that signs
// unsubscribe links and Message-IDs.
const sequenceKeySetting = "sequence_key"

// sequence returns the configured sequence of the name (case-insensitive).
func (s *Sequences) sequence(name string) (*Sequence, error) {
	if len(s.settings.Sequences) == 0 {
		return nil, Fail(KindInvalid, "error.no_sequences", "no sequences are configured; add them under sequences in the config")
	}
	var names []string
	for i := range s.settings.Sequences {
		q := &s.settings.Sequences[i]
		if strings.EqualFold(q.Name, strings.TrimSpace(name)) {
			return q, nil
		}
		names = append(names, q.Name)
	}
	return nil, Fail(KindNotFound, "error.unknown_sequence", `unknown sequence "{Name}"; configured: {Names}`, "Name", name, "Names", strings.Join(names, ", "))
}

func firstName(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func renderStep(step SequenceStep, d SequenceData) (subject, body string, err error) {
	var b strings.Builder
	if err := step.Subject.Execute(&b, d); err != nil {
		return "", "", fmt.Errorf("render subject: %w", err)
	}
	subject = strings.TrimSpace(strings.ReplaceAll(b.String(), "\n", " "))
	b.Reset()
	if err := step.Body.Execute(&b, d); err != nil {
		return "", "", fmt.Errorf("render body: %w", err)
	}
	return subject, b.String(), nil
}

package core

import "time"

// Channels through which leads arrive.
const (
	ChannelEmail    = "email"
	ChannelWebform  = "webform"
	ChannelWebhook  = "webhook"
	ChannelTelegram = "telegram"
	ChannelSlack    = "slack"
	ChannelImport   = "import"
	ChannelManual   = "manual"
)

// Inbound is anything a connector captured: an email, a form post, a chat
// message. Connectors fill it and hand it to Service.Capture.
type Inbound struct {
	Channel    string // one of the Channel constants
	Source     string // the mailbox, form or webhook source name
	ExternalID string // unique within (Channel, Source): Message-ID, update id, Idempotency-Key

	Name    string
	Email   string
	Phone   string
	Company string
	Handle  string // "telegram:12345"
	// TimeZone is the contact's IANA zone when the source knows it (an
	// import column); it fills a contact's empty zone.
	TimeZone string
	// Locale is the language the person writes in when the source says
	// (Telegram's language_code, a form's Accept-Language or language
	// field, a mail's Content-Language): what they are answered in.
	Locale string

	Subject    string
	Text       string
	Raw        []byte
	ReceivedAt time.Time
	Metadata   map[string]string // UTM fields, referrer, extra form fields

	Team       string   // routing hint: a team name; empty: the default team
	References []string // external refs (Message-IDs) this message replies to
	Events     []string // engagement events it signals, e.g. EventReplied

	// Checkpoint, when set, is saved in the same transaction as the
	// inbound: the connector's position just past it.
	Checkpoint *Checkpoint

	// origin is who sent it in and through what, for the audit log:
	// taken from the caller's context, since a shared commit runs under
	// another caller's.
	origin captureOrigin
}

// CaptureResult says what an inbound became.
type CaptureResult struct {
	ContactID  int64
	LeadID     int64 // the new lead, or the open lead the activity went on
	DealID     int64 // the open deal the activity went on
	ActivityID int64
	NewLead    bool
	Duplicate  bool // the idempotency key was seen before: nothing changed
	// Notes say what was kept otherwise than the inbound had it: a phone
	// that is no valid number, text cut to its bound. They speak of the
	// inbound only, so its sender may read them. Not kept for duplicates.
	Notes []string
	// Doubts say what the inbound's contact was kept apart from or marked
	// beside: another contact with the same phone. They speak of what is
	// stored, so only those who may see the contacts read them.
	Doubts []string
}

// InboundKey is the idempotency key of an inbound.
type InboundKey struct {
	Channel    string
	Source     string
	ExternalID string
}

package bot

// Reply is what the conversation answers, in a shape every chat can
// render: Slack as Block Kit, Telegram as HTML with inline keyboards, the
// console as plain text. Texts are plain (no markup): adapters escape them.
// The parts are shown in this order: Text, Cards, Lists, Buttons, Menu.
type Reply struct {
	Text    string
	Tone    Tone // how Text reads: a success, a warning, a refusal
	Cards   []Card
	Lists   []List
	Buttons []Button
	Menu    *Menu
	// Ask, when set, asks the presser for a text (the Reply button).
	Ask *Ask

	// Ephemeral replies are for the asker's eyes only (Slack's ephemeral
	// messages); the others may be shown to the whole channel. Reads,
	// help and errors are ephemeral; changes are not, so a team channel
	// sees who claimed or moved what.
	Ephemeral bool
	// Update means: replace the message whose button was pressed with
	// this reply (Slack chat.update, Telegram editMessageText), so a card
	// always shows the current state and who acted.
	Update bool
	// Charts are pictures sent along (PNG): email inlines them, Slack and
	// Telegram upload them after the message. Optional.
	Charts []Chart
	// Lang is the reader's language (one of lang.Languages; "" is
	// English), for the few words an adapter adds itself ("Open").
	Lang string
}

// Chart is a picture a reply carries: a file name, a caption and the PNG.
type Chart struct {
	Name  string // "forecast.png"
	Title string // "Forecast 2026-11 against target"
	PNG   []byte
}

// Tone colours a text or a card: adapters pick an emoji or a colour.
type Tone string

// The tones.
const (
	ToneNone Tone = ""
	ToneGood Tone = "good" // done, won
	ToneWarn Tone = "warn" // invalid input, not found, a conflict, rotting
	ToneBad  Tone = "bad"  // refused, lost, failed
)

// Card shows one lead, deal or task: a title, a status, fields and the
// buttons that act on it.
type Card struct {
	Ref      string // "L123", "D45", "T7": what the card is about
	Title    string
	Subtitle string // e.g. the contact's company and email
	Status   string // e.g. "Proposal · open", "new · unclaimed"
	Tone     Tone
	Fields   []Field
	Text     string // a longer body, e.g. the lead's message
	Note     string // a context line: who acted last, and when
	Buttons  []Button
	Menu     *Menu
}

// Field is a label and its value on a card.
type Field struct {
	Label string
	Value string
}

// List is a titled list of items, e.g. "Your open deals".
type List struct {
	Title string
	Items []Item
	Empty string // shown instead of items when there are none
	More  string // shown after the items when the list was cut
}

// Item is one line of a list; Ref names what it shows, Action (optional)
// opens it, and Buttons act on it.
type Item struct {
	Ref     string
	Text    string
	Detail  string // a second, quieter line
	Tone    Tone
	Action  string
	Buttons []Button
}

// Button is pressed to run its Action: a short code of at most MaxAction
// bytes ("claim:L123", "stage:D45:4", "snooze:T7:1h") that comes back
// through Conversation.Press.
type Button struct {
	Label  string
	Action string
	Style  Style
}

// MaxAction is the longest action code: Telegram's callback data limit.
const MaxAction = 64

// Style marks a button as the main choice or a dangerous one.
type Style string

// The button styles.
const (
	StyleDefault Style = ""
	StylePrimary Style = "primary"
	StyleDanger  Style = "danger"
)

// Menu is a choice among options, e.g. the reasons a deal was lost.
// Custom, when set, is the command for writing an answer of one's own
// (Slack may show it as a modal's text input).
type Menu struct {
	Title   string
	Options []Option
	Custom  string
}

// Option is one choice of a menu.
type Option struct {
	Label  string
	Action string
}

// AllButtons gathers every button of the reply in display order, menu options
// included (as buttons), which is how text-only chats number them.
func (r Reply) AllButtons() []Button {
	var out []Button
	menu := func(m *Menu) {
		if m == nil {
			return
		}
		for _, o := range m.Options {
			out = append(out, Button{Label: o.Label, Action: o.Action})
		}
	}
	for _, c := range r.Cards {
		out = append(out, c.Buttons...)
		menu(c.Menu)
	}
	for _, l := range r.Lists {
		for _, it := range l.Items {
			out = append(out, it.Buttons...)
		}
	}
	out = append(out, r.Buttons...)
	menu(r.Menu)
	return out
}

package telegram

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"leadwire/bot"
)

// maxText is Telegram's limit on a message's text, in characters after
// entity parsing; rendering stays below it.
const maxText = 4096

// escaper escapes the three characters Telegram HTML gives meaning to, and
// the quote for attribute values.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// Escape makes plain text safe inside Telegram HTML (text and attribute
// values alike). Every other character, Persian, Thai or Chinese text
// included, is passed through as UTF-8.
func Escape(s string) string { return escaper.Replace(s) }

// HTML renders a reply's text, cards and lists as Telegram HTML
// (parse_mode HTML): the text, each card as a bold title with its fields on
// lines of their own, lists as bullet lines.
func HTML(r bot.Reply) string {
	var parts []string
	if r.Text != "" {
		parts = append(parts, tone(r.Tone)+Escape(r.Text))
	}
	for _, c := range r.Cards {
		parts = append(parts, card(c))
	}
	for _, l := range r.Lists {
		parts = append(parts, list(l))
	}
	if r.Menu != nil && r.Menu.Title != "" {
		parts = append(parts, "<i>"+Escape(r.Menu.Title)+"</i>")
	}
	out := strings.Join(parts, "\n\n")
	if out == "" {
		out = "leadwire"
	}
	return clipHTML(out)
}

func card(c bot.Card) string {
	var b strings.Builder
	title := c.Title
	if c.Ref != "" && !strings.Contains(title, c.Ref) {
		title = c.Ref + " · " + title
	}
	b.WriteString(tone(c.Tone) + "<b>" + Escape(title) + "</b>")
	if c.Subtitle != "" {
		b.WriteString("\n" + Escape(c.Subtitle))
	}
	if c.Status != "" {
		b.WriteString("\n<i>" + Escape(c.Status) + "</i>")
	}
	for _, f := range c.Fields {
		fmt.Fprintf(&b, "\n<b>%s:</b> %s", Escape(f.Label), Escape(f.Value))
	}
	if c.Text != "" {
		b.WriteString("\n\n" + Escape(c.Text))
	}
	if c.Menu != nil && c.Menu.Title != "" {
		b.WriteString("\n\n<i>" + Escape(c.Menu.Title) + "</i>")
	}
	if c.Note != "" {
		b.WriteString("\n<i>" + Escape(c.Note) + "</i>")
	}
	return b.String()
}

func list(l bot.List) string {
	var b strings.Builder
	if l.Title != "" {
		b.WriteString("<b>" + Escape(l.Title) + "</b>")
	}
	if len(l.Items) == 0 && l.Empty != "" {
		b.WriteString("\n" + Escape(l.Empty))
	}
	for _, it := range l.Items {
		b.WriteString("\n• " + tone(it.Tone))
		if it.Ref != "" && !strings.HasPrefix(it.Text, it.Ref) {
			b.WriteString("<b>" + Escape(it.Ref) + "</b> ")
		}
		b.WriteString(Escape(it.Text))
		if it.Detail != "" {
			b.WriteString("\n  <i>" + Escape(it.Detail) + "</i>")
		}
	}
	if l.More != "" {
		b.WriteString("\n<i>" + Escape(l.More) + "</i>")
	}
	return strings.TrimPrefix(b.String(), "\n")
}

func tone(t bot.Tone) string {
	switch t {
	case bot.ToneGood:
		return "✅ "
	case bot.ToneWarn:
		return "⚠️ "
	case bot.ToneBad:
		return "⛔ "
	}
	return ""
}

// clipHTML keeps a message under Telegram's limit. Cutting HTML could
// break a tag or an entity, so a message too long loses whole lines from
// the end, which keeps every tag (opened and closed on one line) whole.
func clipHTML(s string) string {
	if utf8.RuneCountInString(s) <= maxText {
		return s
	}
	const more = "\n…"
	lines := strings.Split(s, "\n")
	n := 0
	for i, l := range lines {
		n += utf8.RuneCountInString(l) + 1
		if n+utf8.RuneCountInString(more) > maxText {
			return strings.Join(lines[:i], "\n") + more
		}
	}
	return s
}

// Markup is an inline keyboard as the Bot API takes it. The library's
// models.InlineKeyboardButton would send an empty copy_text with every
// button, which Telegram may refuse (BUTTON_COPY_TEXT_INVALID), so buttons
// here carry a text and callback_data only.
type Markup struct {
	InlineKeyboard [][]KeyButton `json:"inline_keyboard"`
}

// KeyButton is one inline keyboard button: pressing it sends CallbackData
// back as a callback query.
type KeyButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

// Keyboard renders a reply's buttons (menu options included) as an inline
// keyboard, three a row in display order, callback_data being the action
// code. An action longer than Telegram's 64 bytes is an
// error of the conversation: it is left out rather than sent to fail.
func Keyboard(r bot.Reply) (*Markup, error) {
	var rows [][]KeyButton
	var row []KeyButton
	var bad []string
	for _, b := range r.AllButtons() {
		if len(b.Action) > bot.MaxAction || len(b.Action) == 0 {
			bad = append(bad, b.Action)
			continue
		}
		row = append(row, KeyButton{Text: b.Label, CallbackData: b.Action})
		if len(row) == 3 {
			rows = append(rows, row)
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	var err error
	if len(bad) > 0 {
		err = fmt.Errorf("telegram keyboard: %d action codes not within 1..%d bytes: %q", len(bad), bot.MaxAction, bad)
	}
	if len(rows) == 0 {
		return nil, err
	}
	return &Markup{InlineKeyboard: rows}, err
}

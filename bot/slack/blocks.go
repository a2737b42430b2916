package slack

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"leadwire/bot"
	"leadwire/internal/lang"
)

// Block Kit limits that replies can reach.
const (
	maxBlocks         = 50
	maxSectionText    = 3000
	maxFields         = 10
	maxFieldText      = 2000
	maxButtonText     = 75
	maxActionElements = 25
	maxOptions        = 100
)

// Blocks renders a reply as Block Kit: the text as a section, each card as
// a section with its fields, its body, a context line and an actions block
// (buttons, and the menu as a static select), lists as sections, then the
// reply's own buttons and menu. Action ids and values are the action codes
// that come back to Conversation.Press. A reply longer than Slack allows
// is cut, with a note saying so.
func Blocks(r bot.Reply) []slack.Block {
	b := &builder{p: lang.Default().For(r.Lang)}
	if r.Text != "" {
		b.add(slack.NewSectionBlock(mrkdwn(clip(emoji(r.Tone)+escape(r.Text), maxSectionText)), nil, nil, b.id()))
	}
	for _, c := range r.Cards {
		b.card(c)
	}
	for _, l := range r.Lists {
		b.list(l)
	}
	b.actions(r.Buttons, r.Menu)
	if len(b.blocks) > maxBlocks {
		cut := b.blocks[:maxBlocks-1]
		note := slack.NewContextBlock("more", mrkdwn("_This answer was too long for Slack; narrow it down to see the rest._"))
		return append(cut, note)
	}
	return b.blocks
}

// Fallback is a reply's text for notifications and screen readers: its
// text, else its first card's title, else its first list's. Slack reads
// markup in it as in mrkdwn (<!channel> pings a channel, <url|text> is a
// link), so it is escaped like every other text: what people typed shows as
// typed and does nothing.
func Fallback(r bot.Reply) string {
	switch {
	case r.Text != "":
		return escape(clip(r.Text, maxSectionText))
	case len(r.Cards) > 0:
		return escape(clip(strings.TrimSpace(r.Cards[0].Ref+" "+r.Cards[0].Title), maxSectionText))
	case len(r.Lists) > 0:
		return escape(clip(r.Lists[0].Title, maxSectionText))
	}
	return "leadwire"
}

type builder struct {
	blocks []slack.Block
	n      int
	p      *lang.Printer // the reader's language, for the words added here
}

func (b *builder) add(bl slack.Block) { b.blocks = append(b.blocks, bl) }

// id names the next block; ids must be unique within a message.
func (b *builder) id() slack.SectionBlockOption {
	b.n++
	return slack.SectionBlockOptionBlockID(fmt.Sprintf("b%d", b.n))
}

func (b *builder) nextID() string {
	b.n++
	return fmt.Sprintf("b%d", b.n)
}

func (b *builder) card(c bot.Card) {
	head := "*" + escape(c.Title) + "*"
	if c.Ref != "" && !strings.Contains(c.Title, c.Ref) {
		head = "*" + escape(c.Ref) + "* · " + head
	}
	if c.Subtitle != "" {
		head += "\n" + escape(c.Subtitle)
	}
	if c.Status != "" {
		head += "\n" + emoji(c.Tone) + "_" + escape(c.Status) + "_"
	}
	var fields []*slack.TextBlockObject
	for _, f := range c.Fields {
		fields = append(fields, mrkdwn(clip("*"+escape(f.Label)+"*\n"+escape(f.Value), maxFieldText)))
	}
	first := fields
	if len(first) > maxFields {
		first = fields[:maxFields]
	}
	b.add(slack.NewSectionBlock(mrkdwn(clip(head, maxSectionText)), first, nil, b.id()))
	for rest := fields[len(first):]; len(rest) > 0; {
		n := min(len(rest), maxFields)
		b.add(slack.NewSectionBlock(nil, rest[:n], nil, b.id()))
		rest = rest[n:]
	}
	if c.Text != "" {
		b.add(slack.NewSectionBlock(mrkdwn(clip(quote(escape(c.Text)), maxSectionText)), nil, nil, b.id()))
	}
	if c.Note != "" {
		b.add(slack.NewContextBlock(b.nextID(), mrkdwn(clip(escape(c.Note), maxSectionText))))
	}
	b.actions(c.Buttons, c.Menu)
}

func (b *builder) list(l bot.List) {
	if l.Title != "" {
		b.add(slack.NewSectionBlock(mrkdwn(clip("*"+escape(l.Title)+"*", maxSectionText)), nil, nil, b.id()))
	}
	if len(l.Items) == 0 && l.Empty != "" {
		b.add(slack.NewSectionBlock(mrkdwn(clip("_"+escape(l.Empty)+"_", maxSectionText)), nil, nil, b.id()))
	}
	for _, it := range l.Items {
		text := escape(it.Text)
		if it.Ref != "" && !strings.HasPrefix(it.Text, it.Ref) {
			text = "`" + escape(it.Ref) + "` " + text
		}
		text = emoji(it.Tone) + text
		if it.Detail != "" {
			text += "\n_" + escape(it.Detail) + "_"
		}
		var acc *slack.Accessory
		if it.Action != "" && len(it.Buttons) == 0 {
			acc = slack.NewAccessory(button(bot.Button{Label: b.p.T("chat.open"), Action: it.Action}))
		}
		b.add(slack.NewSectionBlock(mrkdwn(clip(text, maxSectionText)), nil, acc, b.id()))
		b.actions(it.Buttons, nil)
	}
	if l.More != "" {
		b.add(slack.NewContextBlock(b.nextID(), mrkdwn(clip(escape(l.More), maxSectionText))))
	}
}

// actions adds an actions block with the buttons and the menu, if any.
func (b *builder) actions(buttons []bot.Button, menu *bot.Menu) {
	var els []slack.BlockElement
	for _, bt := range buttons {
		if len(els) == maxActionElements-1 {
			break // room for the menu
		}
		els = append(els, button(bt))
	}
	if menu != nil && len(menu.Options) > 0 {
		els = append(els, selectMenu(b.p, menu))
	}
	if len(els) > 0 {
		b.add(slack.NewActionBlock(b.nextID(), els...))
	}
}

// button is a Block Kit button whose action id and value are the action
// code.
func button(bt bot.Button) *slack.ButtonBlockElement {
	e := slack.NewButtonBlockElement(bt.Action, bt.Action, plain(clip(bt.Label, maxButtonText)))
	switch bt.Style {
	case bot.StylePrimary:
		e.Style = slack.StylePrimary
	case bot.StyleDanger:
		e.Style = slack.StyleDanger
	}
	return e
}

// selectMenu is a static select whose options' values are action codes;
// its own action id is "menu", as the value is what counts.
func selectMenu(p *lang.Printer, m *bot.Menu) *slack.SelectBlockElement {
	var opts []*slack.OptionBlockObject
	for _, o := range m.Options {
		if len(opts) == maxOptions {
			break
		}
		opts = append(opts, slack.NewOptionBlockObject(o.Action, plain(clip(o.Label, maxButtonText)), nil))
	}
	title := m.Title
	if title == "" {
		title = p.T("chat.choose")
	}
	return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(clip(title, 150)), "menu", opts...)
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, true, false)
}

// escape makes plain text safe in mrkdwn: Slack reads &, < and > as markup.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func quote(s string) string { return "> " + strings.ReplaceAll(s, "\n", "\n> ") }

// emoji marks a tone.
func emoji(t bot.Tone) string {
	switch t {
	case bot.ToneGood:
		return ":white_check_mark: "
	case bot.ToneWarn:
		return ":warning: "
	case bot.ToneBad:
		return ":no_entry: "
	}
	return ""
}

// clip cuts s to at most n bytes and whole runes, with an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

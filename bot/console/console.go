// Package console runs the conversation in a terminal or a pipe: typed
// lines in, replies as plain text out, buttons as numbered choices that
// typing the number presses.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"leadwire/bot"
	"leadwire/core"
	cells "leadwire/internal/display"
)

// Options tune a console session.
type Options struct {
	// Echo writes each line read after the prompt, so the output of a
	// piped session reads like a transcript (a terminal echoes by itself).
	Echo bool
}

// Run answers the lines of in as user until in ends, "quit" or "exit" is
// typed, or ctx is done. A line that is the number of a button of the
// last reply presses it.
func Run(ctx context.Context, conv *bot.Conversation, user *core.User, in io.Reader, out io.Writer, opts Options) error {
	w := bufio.NewWriter(out)
	defer w.Flush()
	fmt.Fprintf(w, "leadwire chat as %s <%s>, %s. Type help for the commands, a number to press a button, quit to leave.\n", display(user), user.Email, user.Role)
	prompt := user.Email + "> "
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var buttons []bot.Button
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		fmt.Fprint(w, prompt)
		if err := w.Flush(); err != nil {
			return err
		}
		if !sc.Scan() {
			fmt.Fprintln(w)
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		if opts.Echo {
			fmt.Fprintln(w, line)
		}
		switch strings.ToLower(line) {
		case "":
			continue
		case "quit", "exit", "q!":
			return nil
		}
		var reply bot.Reply
		if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(buttons) {
			reply = conv.Press(ctx, user, buttons[n-1].Action)
		} else {
			reply = conv.Handle(ctx, user, line)
		}
		fmt.Fprint(w, Render(reply))
		fmt.Fprintln(w)
		buttons = reply.AllButtons()
	}
}

func display(u *core.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// Render writes a reply as plain text: cards as aligned fields, lists as
// indented lines, and every button and menu option numbered from 1 in the
// order of Reply.AllButtons.
func Render(r bot.Reply) string {
	var b strings.Builder
	n := 0
	buttons := func(indent string, bs []bot.Button) {
		if len(bs) == 0 {
			return
		}
		b.WriteString(indent)
		for i, bt := range bs {
			n++
			if i > 0 {
				b.WriteString("  ")
			}
			fmt.Fprintf(&b, "[%d] %s", n, bt.Label)
		}
		b.WriteByte('\n')
	}
	menu := func(indent string, m *bot.Menu) {
		if m == nil {
			return
		}
		if m.Title != "" {
			b.WriteString(indent + m.Title + "\n")
		}
		for _, o := range m.Options {
			n++
			fmt.Fprintf(&b, "%s[%d] %s\n", indent, n, o.Label)
		}
		if m.Custom != "" {
			b.WriteString(indent + "or type: " + m.Custom + "\n")
		}
	}
	if r.Text != "" {
		b.WriteString(mark(r.Tone) + r.Text + "\n")
	}
	for _, c := range r.Cards {
		renderCard(&b, c)
		buttons("    ", c.Buttons)
		menu("    ", c.Menu)
	}
	for _, l := range r.Lists {
		if l.Title != "" {
			b.WriteString(l.Title + "\n")
		}
		if len(l.Items) == 0 && l.Empty != "" {
			b.WriteString("  " + l.Empty + "\n")
		}
		width := 0
		for _, it := range l.Items {
			width = max(width, cells.Width(it.Ref))
		}
		for _, it := range l.Items {
			tone := mark(it.Tone)
			if tone == "" {
				tone = "  "
			}
			head := "  " + tone
			if width > 0 {
				head += cells.PadRight(it.Ref, width) + "  "
			}
			b.WriteString(head + it.Text + "\n")
			pad := strings.Repeat(" ", cells.Width(head)+2*boolInt(width == 0))
			if it.Detail != "" {
				b.WriteString(pad + it.Detail + "\n")
			}
			buttons(pad, it.Buttons)
		}
		if l.More != "" {
			b.WriteString("  (" + l.More + ")\n")
		}
	}
	buttons("", r.Buttons)
	menu("", r.Menu)
	return b.String()
}

func renderCard(b *strings.Builder, c bot.Card) {
	title := strings.TrimSpace(c.Ref + "  " + c.Title)
	b.WriteString("┌ " + title + "\n")
	line := func(s string) {
		if s != "" {
			b.WriteString("│ " + s + "\n")
		}
	}
	line(c.Subtitle)
	if c.Status != "" {
		line(mark(c.Tone) + c.Status)
	}
	width := 0
	for _, f := range c.Fields {
		width = max(width, cells.Width(f.Label))
	}
	for _, f := range c.Fields {
		line(cells.PadRight(f.Label, width) + "  " + f.Value)
	}
	if c.Text != "" {
		for _, l := range strings.Split(c.Text, "\n") {
			line("> " + l)
		}
	}
	line(c.Note)
	b.WriteString("└\n")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// mark is the text marker of a tone.
func mark(t bot.Tone) string {
	switch t {
	case bot.ToneGood:
		return "✓ "
	case bot.ToneWarn:
		return "! "
	case bot.ToneBad:
		return "✗ "
	}
	return ""
}

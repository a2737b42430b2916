package telegram

import (
	"strings"
	"testing"
	"unicode/utf8"

	"leadwire/bot"
	"leadwire/core"
)

// FuzzEscape: escaped text never holds markup, and every & starts one of
// the four entities it writes.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{`<b>&"Ömer"</b>`, "سلام", "สวัสดี", "王小明", "&amp;", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		if strings.ContainsAny(e, `<>"`) {
			t.Fatalf("Escape(%q) = %q holds markup", s, e)
		}
		for i := strings.IndexByte(e, '&'); i >= 0; {
			rest := e[i:]
			if !strings.HasPrefix(rest, "&amp;") && !strings.HasPrefix(rest, "&lt;") && !strings.HasPrefix(rest, "&gt;") && !strings.HasPrefix(rest, "&quot;") {
				t.Fatalf("Escape(%q) = %q has a bare &", s, e)
			}
			j := strings.IndexByte(e[i+1:], '&')
			if j < 0 {
				break
			}
			i += 1 + j
		}
		if utf8.ValidString(s) {
			h := HTML(bot.Reply{Text: s, Cards: []bot.Card{{Title: s, Fields: []bot.Field{{Label: s, Value: s}}}}})
			if utf8.RuneCountInString(h) > maxText {
				t.Fatalf("HTML too long: %d", utf8.RuneCountInString(h))
			}
		}
	})
}

// FuzzCommand: reading a message and a link code never panics, and a
// normalized code is stable.
func FuzzCommand(f *testing.F) {
	for _, s := range []string{"/start ABCD2345", "/leads@leadwire_bot new", "L12", "/", " / x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		word, rest := command(s)
		_ = rest
		if strings.ContainsAny(word, " \t\n@") {
			t.Fatalf("command(%q) word %q", s, word)
		}
		n := core.NormalizeLinkCode(s)
		if core.NormalizeLinkCode(n) != n {
			t.Fatalf("NormalizeLinkCode not stable on %q", s)
		}
	})
}

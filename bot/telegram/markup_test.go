package telegram

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"leadwire/core"
)

// A prospect's name reaches Telegram as text inside leadwire's own HTML:
// it opens and closes no tag and makes no link.
func TestHostileNamesReachTelegramEscaped(t *testing.T) {
	w := newWorld(t)
	w.link("niran", 501)
	tag := regexp.MustCompile(`</?(b|i)>`)
	entity := regexp.MustCompile(`&(amp|lt|gt|quot);`)
	for i, name := range []string{"<!channel>", "<@U123>", "<https://evil.example|click>", "Tom &amp; Jerry", `</b><a href="https://evil.example">x</a>`} {
		t.Run(name, func(t *testing.T) {
			id := w.lead(name, fmt.Sprintf("p%d@example.com", i))
			for _, line := range []string{"/lead " + core.LeadRef(id), "/find " + name, "/leads unclaimed"} {
				t.Run(line, func(t *testing.T) {
					c := sent(t, w.handle(text(501, line)))
					if c.Params["parse_mode"] != "HTML" {
						t.Fatalf("parse_mode %q", c.Params["parse_mode"])
					}
					html := c.Params["text"]
					if rest := entity.ReplaceAllString(tag.ReplaceAllString(html, ""), ""); strings.ContainsAny(rest, "<>&") {
						t.Errorf("the message carries markup that is not leadwire's: %q", html)
					}
					if esc := Escape(name); !strings.Contains(html, esc) {
						t.Errorf("the message does not show the name as %q: %q", esc, html)
					}
				})
			}
		})
	}
}

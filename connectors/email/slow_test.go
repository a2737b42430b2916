package email

import (
	"strings"
	"testing"
	"time"
)

// TestPathologicalInputsStayLinear feeds inputs built to make naive
// parsing quadratic. Parsed in linear time each takes well under a second;
// quadratically, half a million characters take many minutes. The bound
// tells those apart, with room for the race detector on a busy machine
// (4.5 s seen); it is not a measure of speed.
func TestPathologicalInputsStayLinear(t *testing.T) {
	const n = 1 << 19
	html := "From: a@x.org\nContent-Type: text/html\n\n"
	tests := []struct{ name, raw string }{
		{"a subject of unfinished encoded words", "From: a@x.org\nSubject: " + strings.Repeat("=?", n) + "\n\nx"},
		{"a subject of encoded-word prefixes", "From: a@x.org\nSubject: " + strings.Repeat("=?utf-8?", n/4) + "\n\nx"},
		{"a From of commas", "From: " + strings.Repeat(",", n) + "a@x.org\n\nx"},
		{"a From of words without addresses", "From: " + strings.Repeat("a,", n) + "a@x.org\n\nx"},
		{"a From of angle brackets", "From: " + strings.Repeat("<", n) + "\n\nx"},
		{"a From of comments", "From: " + strings.Repeat("(", n) + "\n\nx"},
		{"References of open brackets", "From: a@x.org\nReferences: " + strings.Repeat("<", n) + "\n\nx"},
		{"a Date of junk", "From: a@x.org\nDate: " + strings.Repeat("1 ", n) + "\n\nx"},
		{"a Content-Type of parameters", "From: a@x.org\nContent-Type: text/plain" + strings.Repeat("; a*1*=%41", n/8) + "\n\nx"},
		{"a header of malformed lines", "From: a@x.org\n" + strings.Repeat("x\n", n) + "\nx"},
		{"nested unclosed links", html + strings.Repeat("<a href='http://x.org/'>", n/16) + "text" + strings.Repeat("</a>", n/16)},
		{"nested blockquotes", html + strings.Repeat("<blockquote>", n/8) + "text"},
		{"nested lists", html + strings.Repeat("<ul>", n/8) + strings.Repeat("<li>x", 100)},
		{"underscore lines between blank lines", "From: a@x.org\n\n" + strings.Repeat(strings.Repeat("_", 20)+"\n\n\n", n/16)},
		{"reply headers over and over", "From: a@x.org\n\nhi\n" + strings.Repeat("On Tue, Jan <j@x.org>:\n\n", n/16)},
		{"quoted lines only", "From: a@x.org\n\n" + strings.Repeat("> quoted\n", n/8)},
		{"a multipart of empty parts", "From: a@x.org\nContent-Type: multipart/mixed; boundary=b\n\n" + strings.Repeat("--b\n", n/2)},
		{"encoded words that never end", "From: a@x.org\nSubject: " + strings.Repeat("=?a?q?x", n/7) + "\n\nx"},
		{"a From of encoded words that never end", "From: " + strings.Repeat("=?a?q?x", n/7) + " <a@x.org>\n\nx"},
		{"long links closed at the end", html + strings.Repeat("<a href='http://x.org/'>", n/32) + strings.Repeat("word ", 40000) + strings.Repeat("</a>", n/32)},
		{"a long single line", "From: a@x.org\n\n" + strings.Repeat("On wrote: From: Sent: ", n/16)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			m, err := parse([]byte(tt.raw), ParseOptions{})
			if d := time.Since(start); d > 30*time.Second {
				t.Errorf("took %v", d)
			}
			if err == nil {
				checkMessage(t, m, ParseOptions{}.withDefaults())
				Classify(m, ClassifyOptions{})
			}
		})
	}
}

package email

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlToText renders HTML as readable plain text of at most limit bytes:
// paragraphs and line breaks kept, list items as "- " or "1. ", links as
// "text (URL)", blockquotes as "> " lines (so quoted replies trim like
// plain ones), script and style dropped, entities decoded.
func htmlToText(src string, limit int) string {
	z := html.NewTokenizer(strings.NewReader(src))
	w := textWriter{limit: limit}
	skip, pre := 0, 0
	var lists []int // per open list: the next number, or -1 for bullets
	var links []link
	for !w.full() {
		tt := z.Next()
		if tt == html.ErrorToken {
			break // io.EOF or a tokenizer error: keep what was read
		}
		if tt == html.TextToken {
			if skip == 0 {
				w.text(string(z.Text()), pre > 0)
			}
			continue
		}
		if tt != html.StartTagToken && tt != html.EndTagToken && tt != html.SelfClosingTagToken {
			continue // comments (Outlook's conditional ones too) and doctypes
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		start := tt != html.EndTagToken
		switch a {
		case atom.Script, atom.Style, atom.Title, atom.Template:
			if tt == html.StartTagToken {
				skip++
			} else if tt == html.EndTagToken && skip > 0 {
				skip--
			}
		case atom.Br:
			w.lineBreak()
		case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Table,
			atom.Hr, atom.Dl, atom.Address, atom.Figure, atom.Form, atom.Fieldset:
			w.block(2)
		case atom.Pre:
			w.block(2)
			pre = max(0, pre+boolInt(start, 1, -1))
		case atom.Blockquote:
			w.block(2)
			w.quote = max(0, w.quote+boolInt(start, 1, -1))
		case atom.Ul, atom.Ol:
			w.block(boolInt(len(lists) == 0, 2, 1))
			if tt == html.StartTagToken {
				lists = append(lists, boolInt(a == atom.Ol, 1, -1))
			} else if tt == html.EndTagToken && len(lists) > 0 {
				lists = lists[:len(lists)-1]
			}
		case atom.Li:
			w.block(1)
			if tt == html.StartTagToken {
				w.write(strings.Repeat("  ", max(0, len(lists)-1)) + bullet(lists))
				w.space = true
			}
		case atom.Div, atom.Tr, atom.Dt, atom.Dd, atom.Section, atom.Article, atom.Header,
			atom.Footer, atom.Nav, atom.Aside, atom.Main, atom.Center, atom.Caption:
			w.block(1)
		case atom.Td, atom.Th:
			w.space = true
		case atom.A:
			if tt == html.StartTagToken {
				links = append(links, link{href: attr(z, hasAttr, "href"), at: w.b.Len()})
			} else if tt == html.EndTagToken && len(links) > 0 {
				l := links[len(links)-1]
				links = links[:len(links)-1]
				w.linkTarget(l)
			}
		}
	}
	return tidy(w.b.String())
}

// bullet is the marker of the next item of the innermost list.
func bullet(lists []int) string {
	if len(lists) == 0 || lists[len(lists)-1] < 0 {
		return "-"
	}
	n := lists[len(lists)-1]
	lists[len(lists)-1]++
	return strconv.Itoa(n) + "."
}

func boolInt(b bool, yes, no int) int {
	if b {
		return yes
	}
	return no
}

// attr returns the value of the named attribute of the current tag.
func attr(z *html.Tokenizer, more bool, name string) string {
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		if string(k) == name {
			return strings.TrimSpace(string(v))
		}
	}
	return ""
}

// link is an open <a>: its target and where its text starts in the output.
type link struct {
	href string
	at   int
}

// textWriter accumulates rendered text, collapsing white space and owing
// line breaks until the next text arrives.
type textWriter struct {
	b       strings.Builder
	limit   int
	pending int  // line breaks owed before the next text, at most 2
	space   bool // a space is owed before the next text
	quote   int  // blockquote depth: "> " prefixes
	midLine bool // text was written on the current line
}

func (w *textWriter) full() bool { return w.b.Len() >= w.limit }

// block ends the current line and, with n = 2, leaves a blank line.
func (w *textWriter) block(n int) {
	if w.b.Len() > 0 && w.pending < n {
		w.pending = n
	}
	w.space = false
}

// lineBreak is a <br>: each one counts, up to one blank line.
func (w *textWriter) lineBreak() {
	if w.b.Len() > 0 && w.pending < 2 {
		w.pending++
	}
	w.space = false
}

// text writes a text node; outside <pre>, runs of white space collapse.
func (w *textWriter) text(s string, pre bool) {
	s = stripInvisible(s)
	if pre {
		for i, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
			if i > 0 {
				w.lineBreak()
			}
			if line != "" {
				w.write(line)
			}
		}
		return
	}
	words := strings.Fields(s)
	if len(words) == 0 {
		w.space = w.space || s != ""
		return
	}
	if s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' || strings.HasPrefix(s, "\u00a0") {
		w.space = true
	}
	for i, word := range words {
		if i > 0 {
			w.space = true
		}
		w.write(word)
	}
	w.space = strings.TrimRightFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' }) != s
}

func (w *textWriter) write(s string) {
	if w.full() {
		return
	}
	if w.pending > 0 {
		w.b.WriteString("\n\n"[:w.pending])
		w.pending, w.midLine = 0, false
	} else if w.space && w.midLine {
		w.b.WriteByte(' ')
	}
	if !w.midLine && w.quote > 0 {
		w.b.WriteString(strings.Repeat("> ", w.quote))
	}
	w.b.WriteString(s)
	w.space, w.midLine = false, true
}

// linkTarget appends " (URL)" after a link's text unless the text already
// says it; links without text (images, trackers) add nothing.
func (w *textWriter) linkTarget(l link) {
	if l.at > w.b.Len() || w.b.Len()-l.at > 4096 {
		return // not a link label: a page of text inside an unclosed <a>
	}
	text := strings.TrimSpace(w.b.String()[l.at:])
	href := l.href
	lower := strings.ToLower(href)
	switch {
	case text == "", len(href) > 2048:
		return
	case strings.HasPrefix(lower, "mailto:"):
		href, _, _ = strings.Cut(href[len("mailto:"):], "?")
	case !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://"):
		return
	}
	if href == "" || strings.Contains(text, href) || strings.Contains(href, text) && strings.Contains(text, ".") {
		return
	}
	saved := w.space
	w.space = true
	w.write("(" + href + ")")
	w.space = saved
}

// stripInvisible removes zero-width characters that marketing mail pads
// preview text with.
func stripInvisible(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u034f', '\u00ad':
			return -1
		}
		return r
	}, s)
}

// tidy trims trailing spaces on every line and keeps at most one blank
// line in a row.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\u00a0")
		if strings.TrimSpace(l) == "" {
			blank++
			if blank > 1 {
				continue
			}
			l = ""
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

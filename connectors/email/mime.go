package email

import (
	"bytes"
	"strings"

	mtextproto "github.com/emersion/go-message/textproto"
	htmlcharset "golang.org/x/net/html/charset"
)

// walker visits the MIME tree of one message. Parts are sub-slices of the
// raw message: nothing is copied but the text it keeps.
type walker struct {
	opts  ParseOptions
	m     *Message
	parts int
}

// content is the readable text of a subtree and whether it came from HTML.
// An HTML leaf keeps its markup and is turned into text only when read:
// most mail carries a plain-text alternative, and then the conversion
// would be wasted.
type content struct {
	text     string
	fromHTML bool
	html     string // an HTML leaf's markup, not yet converted
	limit    int
}

// String is the content's readable text.
func (c content) String() string {
	if c.html != "" {
		return htmlToText(c.html, c.limit)
	}
	return c.text
}

// walk returns the readable text of an entity and records its attachments.
func (w *walker) walk(h mtextproto.Header, body []byte, depth int, parent string) content {
	w.parts++
	ct := contentType(h.Get("Content-Type"))
	disp := parseParams(h.Get("Content-Disposition"))
	cte, known := transferEncoding(h.Get("Content-Transfer-Encoding"))
	switch {
	case strings.HasPrefix(ct.value, "multipart/"):
		return w.multipart(ct, body, depth)
	case isBodyText(ct, disp):
		if !known {
			w.m.warn("unknown transfer encoding %q read as 8bit", h.Get("Content-Transfer-Encoding"))
		}
		return w.text(ct, cte, body)
	}
	name := fileName(ct, disp, w.charset(ct))
	if name == "" && ct.value == "message/rfc822" {
		inner, _, _ := splitEntity(body, true)
		if s := decodeHeader(inner.Get("Subject"), ""); s != "" {
			name = strings.Join(strings.Fields(s), " ") + ".eml"
		}
	}
	// A nameless image inside multipart/related belongs to the HTML (logos,
	// signatures), not to what the sender attached.
	if name == "" && parent == "multipart/related" && disp.value != "attachment" {
		return content{}
	}
	w.m.Attachments = append(w.m.Attachments, Attachment{Name: name, ContentType: clean(ct.value), Size: decodedSize(body, cte)})
	return content{}
}

// multipart walks the parts of a multipart entity: the text of the best
// alternative, or of every part joined.
func (w *walker) multipart(ct params, body []byte, depth int) content {
	if depth >= w.opts.MaxDepth {
		w.m.warn("multipart nested deeper than %d levels skipped", w.opts.MaxDepth)
		return content{}
	}
	parts, closed := splitMultipart(body, ct.params["boundary"], w.opts.MaxParts-w.parts+1)
	if parts == nil {
		// No delimiter: a mailer that declared multipart and sent text.
		w.m.warn("%s without parts read as text", ct.value)
		return w.text(params{value: "text/plain"}, "", body)
	}
	if !closed {
		w.m.warn("%s not terminated", ct.value)
	}
	var kids []content
	for _, p := range parts {
		if w.parts >= w.opts.MaxParts {
			w.m.warn("more than %d MIME parts; the rest skipped", w.opts.MaxParts)
			break
		}
		ph, pb, bad := splitEntity(p, false)
		if bad > 0 {
			w.m.warn("%d malformed part header lines skipped", bad)
		}
		kids = append(kids, w.walk(ph, pb, depth+1, ct.value))
	}
	if ct.value == "multipart/alternative" {
		return pickAlternative(kids)
	}
	var texts []string
	html := false
	for _, k := range kids {
		if t := strings.TrimSpace(k.String()); t != "" {
			texts = append(texts, t)
			html = html || k.fromHTML
		}
	}
	return content{text: strings.Join(texts, "\n\n"), fromHTML: html}
}

// pickAlternative prefers the first plain-text alternative with text, then
// the last HTML one (the richest, per RFC 2046).
func pickAlternative(kids []content) content {
	for _, k := range kids {
		if !k.fromHTML && strings.TrimSpace(k.text) != "" {
			return k
		}
	}
	for i := len(kids) - 1; i >= 0; i-- {
		if k := kids[i]; k.fromHTML && strings.TrimSpace(k.String()) != "" {
			return k
		}
	}
	return content{}
}

// text decodes a text/plain or text/html leaf, at most MaxText bytes of it.
func (w *walker) text(ct params, cte string, body []byte) content {
	limit := w.opts.MaxText
	isHTML := ct.value == "text/html"
	if isHTML {
		limit *= 4
	}
	b := decodeTransfer(capSlice(body, 2*limit), cte)
	b = capSlice(b, limit)
	label := w.charset(ct)
	if label == "" && isHTML {
		// A BOM or a <meta> names the charset; without them the sniffer
		// says windows-1252, and decodeBytes guesses better.
		if _, name, certain := htmlcharset.DetermineEncoding(b, "text/html"); certain || name != "windows-1252" {
			label = name
		}
	}
	s := decodeBytes(b, label)
	if isHTML {
		return content{html: s, limit: limit, fromHTML: true}
	}
	return content{text: strings.ReplaceAll(s, "\r\n", "\n")}
}

// charset returns the part's declared charset, noting unknown ones.
func (w *walker) charset(ct params) string {
	label := ct.params["charset"]
	if !knownCharset(label) {
		w.m.warn("unknown charset %q: the charset was guessed from the text", label)
	}
	return label
}

// isBodyText reports whether a leaf is part of the message text rather
// than an attached file.
func isBodyText(ct params, disp params) bool {
	if ct.value != "text/plain" && ct.value != "text/html" {
		return false
	}
	if disp.value == "attachment" {
		return false
	}
	return disp.value == "inline" || (disp.params["filename"] == "" && ct.params["name"] == "")
}

// fileName is an attachment's decoded file name.
func fileName(ct, disp params, fallback string) string {
	name := disp.params["filename"]
	if name == "" {
		name = ct.params["name"]
	}
	// Many mailers put RFC 2047 words in parameters, against RFC 2231.
	name = decodeHeader(name, fallback)
	name = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, name)
	return strings.TrimSpace(name)
}

// transferEncoding normalizes a Content-Transfer-Encoding value to
// "base64", "quoted-printable" or "" (identity), tolerating the variants
// in the wild ("Base64;", "quoted printable", "7-bit"); known is false for
// a value that is none of these.
func transferEncoding(v string) (cte string, known bool) {
	v = strings.ToLower(v)
	switch {
	case strings.Contains(v, "base64"):
		return "base64", true
	case strings.Contains(v, "quoted"):
		return "quoted-printable", true
	}
	v = strings.Trim(v, " \t;\"'")
	switch strings.ReplaceAll(v, "-", "") {
	case "", "7bit", "8bit", "8bits", "binary", "plain", "none", "text/plain":
		return "", true
	}
	return "", false
}

// decodeTransfer undoes a transfer encoding; it never fails.
func decodeTransfer(b []byte, cte string) []byte {
	switch cte {
	case "base64":
		return decodeBase64Lenient(b)
	case "quoted-printable":
		return decodeQP(b)
	}
	return b
}

// decodeQP decodes quoted-printable leniently: a "=" that starts no valid
// escape or soft line break stays as it is.
func decodeQP(b []byte) []byte {
	out, _ := qp(b, make([]byte, 0, len(b)))
	return out
}

// qp decodes b, appending to out unless out is nil, and returns the
// decoded length either way.
func qp(b, out []byte) ([]byte, int) {
	n := 0
	put := func(c byte) {
		n++
		if out != nil {
			out = append(out, c)
		}
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' {
			put(c)
			continue
		}
		j := i + 1
		for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
			j++
		}
		switch {
		case j == len(b): // "=" at the very end
			i = j
		case b[j] == '\n':
			i = j
		case b[j] == '\r' && j+1 < len(b) && b[j+1] == '\n':
			i = j + 1
		case i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]):
			put(unhex(b[i+1])<<4 | unhex(b[i+2]))
			i += 2
		default:
			put('=')
		}
	}
	return out, n
}

// decodedSize returns the size of body once decoded, without decoding a
// base64 body, so a large attachment costs no memory.
func decodedSize(body []byte, cte string) int64 {
	switch cte {
	case "base64":
		var n, group int64
		for _, c := range body {
			if isBase64(c) {
				group++
			} else if c == '=' && group > 0 {
				n += base64Len(group)
				group = 0
			}
		}
		return n + base64Len(group)
	case "quoted-printable":
		_, n := qp(body, nil)
		return int64(n)
	}
	return int64(len(body))
}

func base64Len(chars int64) int64 {
	if chars%4 == 1 {
		chars--
	}
	return chars * 6 / 8
}

// splitMultipart returns the parts of a multipart body between its
// boundary delimiter lines, at most limit of them, and whether the close
// delimiter (or the limit) was reached. The
// line break before a delimiter belongs to the delimiter (RFC 2046). With
// no usable boundary parameter, a first line like "--xyz" is taken as the
// delimiter, as broken mailers forget the parameter.
func splitMultipart(body []byte, boundary string, limit int) (parts [][]byte, closed bool) {
	boundary = strings.TrimSpace(boundary)
	if boundary == "" || !bytes.Contains(body, []byte("--"+boundary)) {
		boundary = guessBoundary(body)
		if boundary == "" {
			return nil, false
		}
	}
	delim := []byte("--" + boundary)
	start := -1 // start of the current part's content
	for i := 0; i < len(body); {
		end := bytes.IndexByte(body[i:], '\n')
		next := len(body)
		if end >= 0 {
			end += i
			next = end + 1
		} else {
			end = len(body)
		}
		line := body[i:end]
		if bytes.HasPrefix(line, delim) {
			rest := bytes.TrimRight(line[len(delim):], " \t\r")
			isClose := bytes.HasPrefix(rest, []byte("--"))
			if len(rest) == 0 || isClose {
				if start >= 0 {
					parts = append(parts, trimLineBreak(body[start:i]))
				}
				if isClose || len(parts) >= limit {
					return parts, true
				}
				start = next
			}
		}
		i = next
	}
	if start >= 0 && start < len(body) {
		parts = append(parts, body[start:])
	}
	return parts, false
}

// guessBoundary returns the boundary of a body whose first non-blank line
// looks like a delimiter.
func guessBoundary(body []byte) string {
	body = bytes.TrimLeft(body, "\r\n\t ")
	line, _, _ := bytes.Cut(body, []byte("\n"))
	line = bytes.TrimRight(line, " \t\r")
	if len(line) < 3 || len(line) > 200 || !bytes.HasPrefix(line, []byte("--")) || bytes.IndexByte(line, ' ') >= 0 {
		return ""
	}
	return string(line[2:])
}

// trimLineBreak drops the one line break that ends b.
func trimLineBreak(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// capSlice returns at most the first n bytes of b.
func capSlice(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

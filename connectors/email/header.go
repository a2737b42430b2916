package email

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Address is a mailbox: a display name and an address.
type Address struct {
	Name    string
	Address string
}

// String formats a as "Name <address>", or the bare address without a name.
func (a Address) String() string {
	if a.Name == "" {
		return a.Address
	}
	return a.Name + " <" + a.Address + ">"
}

// maxIDLen bounds a Message-ID kept as is; a longer one is hashed, so an
// external id stays a reasonable database key.
const maxIDLen = 512

// parseAddressList reads an address header leniently: net/mail first, and
// when it refuses (real mail is often not RFC 5322), a split on commas
// outside quotes and angle brackets that keeps whatever looks like an
// address. Names are RFC 2047 decoded in any charset.
func parseAddressList(raw, fallback string) []Address {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	if !utf8.ValidString(raw) {
		raw = decodeBytes([]byte(raw), fallback)
	}
	p := mail.AddressParser{WordDecoder: &mime.WordDecoder{CharsetReader: reencode}}
	if list, err := p.ParseList(ownCharsets.ReplaceAllString(raw, "=?"+ownPrefix+"${1}${2}")); err == nil {
		out := make([]Address, 0, len(list))
		for _, a := range list {
			out = append(out, Address{Name: cleanName(a.Name, fallback), Address: clean(a.Address)})
		}
		return out
	}
	var out []Address
	pending := "" // elements without an "@" belong to the next one: "Doe, John <j@x>"
	for _, part := range splitAddresses(raw) {
		if !strings.Contains(part, "@") {
			pending += part + ","
			continue
		}
		if a, ok := looseAddress(pending+part, fallback); ok {
			out = append(out, a)
		}
		pending = ""
	}
	return out
}

// net/mail decodes encoded words in UTF-8, ISO-8859-1 and US-ASCII itself,
// trusting the label; renamed, they reach reencode like any other.
var ownCharsets = regexp.MustCompile(`(?i)=\?(utf-8|iso-8859-1|us-ascii)([?*])`)

const ownPrefix = "x-leadwire-"

// reencode hands the bytes of an encoded word back to net/mail as an
// encoded word, so that cleanName decodes it, joined with its neighbours,
// with decodeBytes (which tells UTF-8 sent as ISO-8859-1, for one).
func reencode(charset string, in io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	charset = strings.TrimPrefix(charset, ownPrefix)
	return strings.NewReader("=?" + charset + "?B?" + base64.StdEncoding.EncodeToString(b) + "?="), nil
}

// cleanName decodes what net/mail left encoded (it knows only UTF-8 and
// Latin-1 and skips quoted strings) and trims quotes mailers doubled.
func cleanName(name, fallback string) string {
	name = decodeHeader(name, fallback)
	name = strings.TrimSpace(strings.Trim(strings.TrimSpace(name), `"'`))
	return strings.Join(strings.Fields(name), " ")
}

// splitAddresses splits an address list on commas that are outside quoted
// strings, comments and angle brackets.
func splitAddresses(s string) []string {
	var parts []string
	var quoted bool
	depth, angle, start := 0, 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case c == '<':
			angle++
		case c == '>' && angle > 0:
			angle--
		case (c == ',' || c == ';') && depth == 0 && angle == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// looseAddress extracts a mailbox from one malformed list element:
// "Name <addr>", "addr (Name)", or a bare token holding an "@".
func looseAddress(s, fallback string) (Address, bool) {
	s = strings.TrimSpace(stripComments(s))
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			addr := strings.TrimSpace(s[i+1 : i+j])
			if strings.Contains(addr, "@") {
				return Address{Name: cleanName(s[:i], fallback), Address: clean(addr)}, true
			}
		}
	}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(" \t<>()\"',;", r) }) {
		if at := strings.IndexByte(f, '@'); at > 0 && at < len(f)-1 {
			name := strings.TrimSpace(strings.Replace(s, f, "", 1))
			name = strings.Trim(name, "<>() \t")
			return Address{Name: cleanName(name, fallback), Address: clean(f)}, true
		}
	}
	return Address{}, false
}

// stripComments removes (comments) outside quoted strings, and the white
// space around an "@" or "." that obsolete syntax allows.
func stripComments(s string) string {
	var b strings.Builder
	quoted, depth := false, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			if depth == 0 {
				b.WriteByte(c)
				b.WriteByte(s[i+1])
			}
			i++
			continue
		case c == '"' && depth == 0:
			quoted = !quoted
		case c == '(' && !quoted:
			depth++
			continue
		case c == ')' && !quoted && depth > 0:
			depth--
			continue
		}
		if depth == 0 {
			b.WriteByte(c)
		}
	}
	out := b.String()
	if i := strings.LastIndexByte(out, '<'); i >= 0 && strings.IndexByte(out[i:], '>') > 0 {
		j := i + strings.IndexByte(out[i:], '>')
		out = out[:i+1] + strings.Join(strings.Fields(out[i+1:j]), "") + out[j:]
	}
	return out
}

// parseIDs returns the message ids in an In-Reply-To or References value,
// without angle brackets; ids mailers wrote without brackets count too.
func parseIDs(raw string) []string {
	var ids []string
	s := raw
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		if id := normalizeID(s[i+1 : i+j]); id != "" {
			ids = append(ids, id)
		}
		s = s[i+j+1:]
	}
	if ids != nil || strings.ContainsAny(raw, "<>") {
		return ids
	}
	for _, f := range strings.FieldsFunc(raw, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' }) {
		if strings.Contains(f, "@") {
			if id := normalizeID(f); id != "" {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// normalizeID trims an id, removes folding white space inside it and hashes
// an overlong one.
func normalizeID(id string) string {
	id = clean(strings.Join(strings.Fields(id), ""))
	if len(id) > maxIDLen {
		return syntheticID([]byte(id))
	}
	return id
}

// messageID returns the first id in a Message-ID value, or the value itself
// when it has no brackets.
func messageID(raw string) string {
	if ids := parseIDs(raw); len(ids) > 0 {
		return ids[0]
	}
	if f := strings.Fields(raw); len(f) == 1 && !strings.ContainsAny(f[0], "<>") {
		return normalizeID(f[0])
	}
	return ""
}

// syntheticID is the id of a message without one: the hash of its bytes,
// so a redelivered copy gets the same id.
func syntheticID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// dateLayouts are the broken Date forms seen in the wild that net/mail
// refuses; it handles the standard ones.
var dateLayouts = []string{
	"Mon, _2 Jan 2006 15:04:05 -0700",
	"Mon, _2 Jan 2006 15:04:05 MST",
	"Mon, _2 Jan 2006 15:04 -0700",
	"_2 Jan 2006 15:04:05 -0700",
	"Mon, _2 Jan 06 15:04:05 -0700",
	"Mon, _2 Jan 2006 15:04:05",
	"Mon, _2 Jan 2006 15.04.05 -0700",
	"Mon _2 Jan 2006 15:04:05 -0700",
	"Mon, Jan _2 2006 15:04:05 -0700",
	"Mon Jan _2 15:04:05 2006",
	"Mon Jan _2 15:04:05 MST 2006",
	"Mon Jan _2 15:04:05 -0700 2006",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	time.RFC3339,
}

var spacedColon = regexp.MustCompile(`\s*:\s*`)

// parseDate reads a Date header in UTC; the zero time when it cannot.
func parseDate(raw string) time.Time {
	s := strings.Join(strings.Fields(raw), " ")
	if s == "" {
		return time.Time{}
	}
	// Most mail writes RFC 5322's own form; time.Parse reads it at a
	// fraction of mail.ParseDate's cost.
	if t, err := time.Parse(time.RFC1123Z, s); err == nil {
		return sane(t)
	}
	if t, err := mail.ParseDate(s); err == nil {
		return sane(t)
	}
	// Drop comments such as "(PST)" and obsolete white space around the
	// colons, then try the layouts.
	s = strings.Join(strings.Fields(stripComments(s)), " ")
	s = spacedColon.ReplaceAllString(s, ":")
	s = strings.TrimSuffix(strings.TrimSuffix(s, " GMT"), " UT")
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return sane(t)
		}
	}
	if i := strings.IndexByte(s, ','); i > 0 && i < 12 {
		if t, err := mail.ParseDate(strings.TrimSpace(s[i+1:])); err == nil {
			return sane(t)
		}
	}
	return time.Time{}
}

// sane returns t in UTC, or the zero time for a year no real message was
// sent in (spam and broken clocks say 1601 or 3609).
func sane(t time.Time) time.Time {
	if y := t.Year(); y < 1970 || y >= 2200 {
		return time.Time{}
	}
	return t.UTC()
}

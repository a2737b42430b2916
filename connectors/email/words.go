package email

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// decodeHeader turns a raw header value into valid UTF-8: raw UTF-8 is
// kept (RFC 6532), other 8-bit bytes are read in fallback (the message's
// charset, if any), and RFC 2047 encoded
// words ("=?charset?B|Q?text?=") are decoded in any charset. Adjacent
// encoded words in one charset are joined before decoding, because mailers
// split multi-byte characters across them.
func decodeHeader(raw, fallback string) string {
	s := raw
	if !isASCII(s) {
		if !utf8.ValidString(s) {
			s = decodeBytes([]byte(s), fallback) // 8-bit header in the body's charset
		} else if e := lookupCharset(fallback); e != nil {
			s = decodeLabelled([]byte(s), e) // UTF-8, unless a relay made it of Latin-1
		}
	}
	if !strings.Contains(s, "=?") {
		return clean(s)
	}
	var out strings.Builder
	var pend []byte // decoded bytes of the pending run of encoded words
	var pendCharset string
	flush := func() {
		if pend != nil {
			out.WriteString(decodeBytes(pend, pendCharset))
			pend, pendCharset = nil, ""
		}
	}
	for len(s) > 0 {
		i := strings.Index(s, "=?")
		if i < 0 {
			flush()
			out.WriteString(s)
			break
		}
		charset, data, n, ok := encodedWord(s[i:])
		if !ok {
			flush()
			out.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		gap := s[:i]
		// White space between two encoded words is not part of the text
		// (RFC 2047 section 6.2).
		if pend == nil || strings.TrimSpace(gap) != "" {
			flush()
			out.WriteString(gap)
		}
		if pend != nil && !strings.EqualFold(charset, pendCharset) {
			flush()
		}
		if pend == nil {
			pend, pendCharset = []byte{}, charset
		}
		pend = append(pend, data...)
		s = s[i+n:]
	}
	flush()
	return clean(out.String())
}

// Bounds of an encoded word: RFC 2047 allows 75 characters in all, mailers
// write longer ones, nobody writes kilobytes.
const (
	maxCharsetLen = 64
	maxWordLen    = 4096
)

// encodedWord parses one encoded word at the start of s and returns its
// charset, its decoded bytes and its length in s.
func encodedWord(s string) (charset string, data []byte, n int, ok bool) {
	// =?charset?E?text?=
	// Searches are bounded so that a header full of "=?" stays linear.
	rest := s[2:]
	q1 := strings.IndexByte(rest[:min(len(rest), maxCharsetLen+1)], '?')
	if q1 <= 0 || len(rest) < q1+3 || rest[q1+2] != '?' {
		return "", nil, 0, false
	}
	charset, enc := rest[:q1], rest[q1+1]
	if strings.ContainsAny(charset, " \t\r\n") {
		return "", nil, 0, false
	}
	text := rest[q1+3:]
	end := strings.Index(text[:min(len(text), maxWordLen)], "?=")
	if end < 0 {
		return "", nil, 0, false
	}
	text = text[:end]
	n = 2 + q1 + 3 + end + 2
	switch enc {
	case 'B', 'b':
		data = decodeBase64Lenient([]byte(text))
	case 'Q', 'q':
		data = decodeQ(text)
	default:
		return "", nil, 0, false
	}
	return charset, data, n, true
}

// decodeQ decodes RFC 2047 "Q" text: "_" is a space, "=XX" a byte, and a
// stray "=" stays as it is.
func decodeQ(s string) []byte {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_':
			b = append(b, ' ')
		case c == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return b
}

// decodeBase64Lenient decodes base64 while skipping anything outside the
// alphabet (line breaks, spaces, junk) and dropping a dangling final
// character instead of failing. Padding ends a group, so blobs encoded line
// by line, each with its own "=", decode too.
func decodeBase64Lenient(src []byte) []byte {
	out := make([]byte, 0, len(src)*3/4+3)
	group := make([]byte, 0, len(src))
	for _, c := range src {
		if isBase64(c) {
			group = append(group, c)
		} else if c == '=' && len(group) > 0 {
			out = appendBase64(out, group)
			group = group[:0]
		}
	}
	return appendBase64(out, group)
}

// appendBase64 appends the decoding of an unpadded group of alphabet
// characters to dst.
func appendBase64(dst, g []byte) []byte {
	if len(g)%4 == 1 {
		g = g[:len(g)-1]
	}
	if len(g) == 0 {
		return dst
	}
	n := base64.RawStdEncoding.DecodedLen(len(g))
	dst = append(dst, make([]byte, n)...)
	m, _ := base64.RawStdEncoding.Decode(dst[len(dst)-n:], g)
	return dst[:len(dst)-n+m]
}

func isBase64(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

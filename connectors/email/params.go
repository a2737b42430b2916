package email

import (
	"sort"
	"strconv"
	"strings"
)

// params is a parsed structured header such as Content-Type or
// Content-Disposition.
type params struct {
	value  string            // lower-case: "text/plain", "attachment"
	params map[string]string // lower-case names; values decoded to UTF-8
}

// contentType parses a Content-Type value; missing or unreadable types are
// text/plain, as RFC 2045 section 5.2 says.
func contentType(v string) params {
	p := parseParams(v)
	switch {
	case p.value == "text":
		p.value = "text/plain"
	case !strings.Contains(p.value, "/"):
		p.value = "text/plain"
	}
	return p
}

// segment is one piece of an RFC 2231 parameter value.
type segment struct {
	index    int
	extended bool // charset'lang'%XX encoded
	value    string
}

// parseParams parses "value; name=val; name*=utf-8'en'%C3%A9; name*0*=..."
// leniently: stdlib mime.ParseMediaType rejects the whole header for one
// duplicate or unquoted special and decodes RFC 2231 values only in UTF-8
// and ASCII, while mail names files in every charset.
func parseParams(v string) params {
	fields := splitParams(v)
	p := params{value: strings.ToLower(strings.TrimSpace(fields[0])), params: map[string]string{}}
	pieces := map[string][]segment{}
	for _, f := range fields[1:] {
		k, val, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		val = unquote(strings.TrimSpace(val))
		name, seg := k, segment{index: -1, value: val}
		if i := strings.IndexByte(k, '*'); i > 0 {
			name, seg.extended = k[:i], strings.HasSuffix(k, "*")
			num := strings.TrimSuffix(k[i+1:], "*")
			if num != "" {
				n, err := strconv.Atoi(num)
				if err != nil || n < 0 || n > 999 {
					continue
				}
				seg.index = n
			}
			pieces[name] = append(pieces[name], seg)
			continue
		}
		if _, dup := p.params[name]; !dup {
			p.params[name] = val
		}
	}
	for name, segs := range pieces {
		if s := joinSegments(segs); s != "" {
			p.params[name] = s // RFC 2231 values win over plain ones
		}
	}
	return p
}

// joinSegments decodes RFC 2231 continuations: segments in index order,
// the charset named by the first extended one.
func joinSegments(segs []segment) string {
	sort.SliceStable(segs, func(i, j int) bool { return segs[i].index < segs[j].index })
	var buf []byte
	charset := ""
	for i, s := range segs {
		if !s.extended {
			buf = append(buf, s.value...)
			continue
		}
		val := s.value
		if i == 0 {
			if cs, rest, ok := strings.Cut(val, "'"); ok {
				if _, rest2, ok := strings.Cut(rest, "'"); ok {
					charset, val = cs, rest2
				}
			}
		}
		buf = append(buf, percentDecode(val)...)
	}
	return decodeBytes(buf, charset)
}

// percentDecode decodes %XX escapes and keeps anything else as it is.
func percentDecode(s string) []byte {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return b
}

// splitParams splits a structured header on semicolons outside quoted
// strings; the first element is the value itself.
func splitParams(v string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			if quoted {
				i++
			}
		case '"':
			quoted = !quoted
		case ';':
			if !quoted {
				out = append(out, v[start:i])
				start = i + 1
			}
		}
	}
	return append(out, v[start:])
}

// unquote removes the quotes of a quoted string and its backslash escapes;
// an unterminated quote loses only its opening mark.
func unquote(s string) string {
	if !strings.HasPrefix(s, `"`) {
		return s
	}
	s = strings.TrimSuffix(s[1:], `"`)
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

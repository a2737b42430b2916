package email

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/unicode"
)

// Labels seen in mail that neither the WHATWG nor the IANA index knows.
// The lookup is a function of its input alone: no registry is mutated, so
// importing this package changes nothing elsewhere in the binary.
var (
	windowsLabel = regexp.MustCompile(`^(?:windows|win|cp|x-cp|ms)[-_]?(125[0-8]|874)$`)
	isoLabel     = regexp.MustCompile(`^(?:iso)?[-_ ]?8859[-_ ]?([0-9]{1,2})(?:[-:_].*)?$`)
)

// lookupCharset returns the decoder for a MIME charset label, or nil when
// the label is empty, UTF-8, US-ASCII or unknown: those are decoded by
// decodeBytes' lenient path.
func lookupCharset(label string) encoding.Encoding {
	l := strings.ToLower(strings.Trim(strings.TrimSpace(label), `"' `))
	if i := strings.IndexByte(l, '*'); i >= 0 { // RFC 2231 language suffix
		l = l[:i]
	}
	switch l {
	case "", "utf-8", "utf8", "us-ascii", "ascii", "x-utf_8j", "unicode-1-1-utf-8", "unknown-8bit", "x-unknown", "default":
		return nil
	case "utf-16":
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM) // RFC 2781
	case "tis620", "tis-620-2533", "iso-ir-166", "x-windows-874":
		return charmap.Windows874
	case "cp932", "ms932", "x-ms-cp932", "sjis-open", "shift-jis":
		return japanese.ShiftJIS
	case "iso-2022-jp-1", "iso-2022-jp-2", "iso-2022-jp-3", "iso-2022-jp-ms", "csiso2022jp2":
		return japanese.ISO2022JP
	case "ks_c_5601", "ksc5601", "ks_c_5601-1989", "cp949", "ms949", "uhc":
		return korean.EUCKR
	case "x-mac-roman", "mac-roman", "macroman":
		return charmap.Macintosh
	}
	if m := windowsLabel.FindStringSubmatch(l); m != nil {
		l = "windows-" + m[1]
	} else if m := isoLabel.FindStringSubmatch(l); m != nil {
		l = "iso-8859-" + m[1]
	}
	// WHATWG labels first: they are what browsers do with mislabeled legacy
	// text (iso-8859-1 read as windows-1252, gb2312 as GBK, tis-620 as
	// windows-874), which is exactly the mail that arrives.
	if e, err := htmlindex.Get(l); err == nil && usable(e) {
		return e
	}
	for _, idx := range []*ianaindex.Index{ianaindex.MIME, ianaindex.IANA} {
		if e, err := idx.Encoding(l); err == nil && usable(e) {
			return e
		}
	}
	return nil
}

// usable rejects the WHATWG "replacement" encoding, which turns a whole
// body into one U+FFFD: the lenient fallback keeps more of the text.
func usable(e encoding.Encoding) bool {
	return e != nil && e != encoding.Replacement && e != unicode.UTF8
}

// knownCharset reports whether label names a charset that decodes exactly.
func knownCharset(label string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(label), `"' `)) {
	case "utf-8", "utf8", "us-ascii", "ascii", "":
		return true
	}
	return lookupCharset(label) != nil
}

// decodeBytes converts b in charset label to valid UTF-8. It never fails:
// an unknown charset is read as UTF-8 when b is valid UTF-8 and as
// windows-1252 (a superset of Latin-1) otherwise; invalid sequences become
// U+FFFD.
func decodeBytes(b []byte, label string) string {
	if e := lookupCharset(label); e != nil {
		if s, err := e.NewDecoder().Bytes(b); err == nil {
			return clean(string(s))
		}
	}
	if utf8.Valid(b) {
		return clean(string(b))
	}
	if declaredUTF8(label) {
		return clean(strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil { // cannot happen for a single-byte charmap; stay safe anyway
		return clean(strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	return clean(string(s))
}

func declaredUTF8(label string) bool {
	l := strings.ToLower(strings.TrimSpace(label))
	return l == "utf-8" || l == "utf8"
}

// clean returns s as valid UTF-8 without NUL bytes, which PostgreSQL text
// columns refuse.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return s
}

package email

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// Labels seen in mail that neither the WHATWG nor the IANA index knows.
// The lookup is a function of its input alone: no registry is mutated, so
// importing this package changes nothing elsewhere in the binary.
var (
	codePage  = regexp.MustCompile(`^(?:windows|win|cp|ms|ibm|dos)(\d{3,5})$`)
	isoLabel  = regexp.MustCompile(`^(?:iso)?[-_ ]?8859[-_ ]?([0-9]{1,2})(?:[-:_].*)?$`)
	labelJunk = regexp.MustCompile(`[^a-z0-9._:+-].*$`)
	compactor = strings.NewReplacer("-", "", "_", "", " ", "", ".", "", ":", "")
)

// normalizeLabel lower-cases a MIME charset label and strips what mailers
// wrap around it: quotes and spaces (`" utf-8 "`), an RFC 2231 language
// ("utf-8*pl"), and anything after a character no label has, with the
// punctuation left at either end ("_iso-2022-jp$esc").
func normalizeLabel(label string) string {
	l := strings.ToLower(strings.Trim(label, "\"' \t\r\n"))
	if i := strings.IndexByte(l, '*'); i >= 0 {
		l = l[:i]
	}
	l = labelJunk.ReplaceAllString(l, "")
	return strings.Trim(l, "-_.: ")
}

// utf8Label reports whether a label names UTF-8 or ASCII, which are
// decoded by decodeBytes' own path.
func utf8Label(label string) bool {
	switch compactor.Replace(normalizeLabel(label)) {
	case "", "utf8", "xutf8", "xutf8j", "unicode11utf8", "usascii", "ascii", "cp65001", "windows65001":
		return true
	}
	return false
}

// lookupCharset returns the decoder for a MIME charset label, or nil when
// the label is empty, UTF-8, US-ASCII or names nothing known: those are
// decoded by decodeBytes, which guesses what no label says. A label is
// tried as written, without an "x-", with "_" as "-" and without any
// punctuation ("cp-850", "x-windows-1256", "latin_2", "GB18030-2000").
func lookupCharset(label string) encoding.Encoding {
	l := normalizeLabel(label)
	if utf8Label(l) {
		return nil
	}
	for _, try := range []string{l, strings.TrimPrefix(l, "x-"), strings.ReplaceAll(l, "_", "-"), compactor.Replace(l)} {
		if e := lookupLabel(try); e != nil {
			return e
		}
	}
	return nil
}

// lookupLabel looks one spelling of a label up.
func lookupLabel(l string) encoding.Encoding {
	switch l {
	case "unknown-8bit", "unknown", "x-unknown", "default", "none", "x-user-defined", "userdefined", "binary", "8bit":
		return nil // no charset named: guess
	case "utf-16":
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM) // RFC 2781
	case "utf-7", "utf7", "unicode-1-1-utf-7", "unicode11utf7", "csunicode11utf7", "x-unicode20utf7":
		return utf7{}
	case "tis620", "tis-620-2533", "iso-ir-166", "x-windows-874", "x-mac-thai", "macthai":
		return charmap.Windows874
	case "cp932", "ms932", "x-ms-cp932", "sjis-open", "shift-jis", "sjis", "shiftjis":
		return japanese.ShiftJIS
	case "iso-2022-jp-1", "iso-2022-jp-2", "iso-2022-jp-3", "iso-2022-jp-ms", "csiso2022jp2", "iso2022jp":
		return japanese.ISO2022JP
	case "ks_c_5601", "ksc5601", "ks_c_5601-1989", "cp949", "ms949", "uhc", "ksc56011987", "euckr":
		return korean.EUCKR
	case "euc-cn", "euccn", "x-euc-cn", "gb18030-2000", "gb18030-2005", "gb180302000", "gb180302005", "gb2312-80", "gbk", "gb2312":
		return simplifiedchinese.GB18030
	case "x-mac-roman", "mac-roman", "macroman":
		return charmap.Macintosh
	}
	if m := codePage.FindStringSubmatch(compactor.Replace(l)); m != nil {
		switch n := m[1]; n {
		case "874", "1250", "1251", "1252", "1253", "1254", "1255", "1256", "1257", "1258":
			l = "windows-" + n
		case "932", "943":
			return japanese.ShiftJIS
		case "936", "54936":
			return simplifiedchinese.GB18030
		case "949":
			return korean.EUCKR
		case "950":
			return traditionalchinese.Big5
		case "20866":
			return charmap.KOI8R
		case "21866":
			return charmap.KOI8U
		case "51932", "20932":
			return japanese.EUCJP
		case "50220", "50221", "50222":
			return japanese.ISO2022JP
		case "1200":
			return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
		case "1201":
			return unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
		case "10000":
			return charmap.Macintosh
		default:
			if len(n) == 5 && strings.HasPrefix(n, "2859") {
				l = "iso-8859-" + n[4:] // cp28592
			} else {
				l = "ibm" + n // cp850, ibm-866
			}
		}
	} else if m := isoLabel.FindStringSubmatch(l); m != nil {
		l = "iso-8859-" + m[1]
	}
	// WHATWG labels first: they are what browsers do with mislabeled legacy
	// text (iso-8859-1 read as windows-1252, gb2312 as GBK, tis-620 as
	// windows-874), which is exactly the mail that arrives.
	if e, err := htmlindex.Get(l); err == nil && usable(e) {
		return widest(e)
	}
	for _, idx := range []*ianaindex.Index{ianaindex.MIME, ianaindex.IANA} {
		if e, err := idx.Encoding(l); err == nil && usable(e) {
			return widest(e)
		}
	}
	return nil
}

// widest returns the superset mailers actually write for an encoding:
// GB18030 for GBK and GB2312, whose four-byte sequences (rare characters,
// most of them in names) the GBK decoder turns into U+FFFD.
func widest(e encoding.Encoding) encoding.Encoding {
	if e == simplifiedchinese.GBK {
		return simplifiedchinese.GB18030
	}
	return e
}

// usable rejects the WHATWG "replacement" encoding, which turns a whole
// body into one U+FFFD, and x-user-defined, which turns every 8-bit byte
// into a private-use character: a guess keeps more of the text.
func usable(e encoding.Encoding) bool {
	return e != nil && e != encoding.Replacement && e != unicode.UTF8 && e != charmap.XUserDefined
}

// knownCharset reports whether label names a charset that decodes exactly.
func knownCharset(label string) bool {
	return utf8Label(label) || lookupCharset(label) != nil
}

// decodeBytes converts b in charset label to valid UTF-8. It never fails
// and never keeps mojibake it can tell: a known label decodes b unless b
// reads better as UTF-8 (a UTF-8 message sent with its mailer's default
// label) or as that charset once undone from Latin-1 (a relay that
// re-encoded it); an unknown label, or UTF-8 that is no UTF-8, has its
// charset guessed; windows-1252 (a superset of Latin-1) is the last
// resort. Invalid sequences become U+FFFD.
func decodeBytes(b []byte, label string) string {
	if e := lookupCharset(label); e != nil {
		return clean(decodeLabelled(b, e))
	}
	if utf8.Valid(b) {
		return clean(string(b))
	}
	if mostlyUTF8(b) {
		return clean(strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	if e, ok := guessCharset(b); ok {
		if s, err := e.NewDecoder().Bytes(b); err == nil {
			return clean(string(s))
		}
	}
	if l := normalizeLabel(label); l != "" && utf8Label(l) && !strings.Contains(l, "ascii") {
		return clean(strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil { // cannot happen for a single-byte charmap; stay safe anyway
		return clean(strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	return clean(string(s))
}

// decodeLabelled decodes b in e, the charset its label names, unless b
// is UTF-8 after all, as it is or undone from Latin-1.
func decodeLabelled(b []byte, e encoding.Encoding) string {
	decode := func(b []byte) string {
		s, err := e.NewDecoder().Bytes(b)
		if err != nil {
			return strings.ToValidUTF8(string(b), "\uFFFD")
		}
		return string(s)
	}
	// UTF-16 of ASCII is valid UTF-8 with NULs; UTF-8 text has none.
	if isASCII(string(b)) || !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return decode(b)
	}
	// The readings are compared on a sample cut at a character boundary.
	sample := b[:len(prefixUTF8(capSlice(b, sampleSize)))]
	// Valid UTF-8 with multi-byte sequences is rarely anything else, so
	// the label's reading must do better than it.
	best, score := func() string { return string(b) }, plausibility(string(sample), candidate{unicode.UTF8, 0})
	if sc := plausibility(decode(sample), candidateFor(e)); sc > score {
		best, score = func() string { return decode(b) }, sc
	}
	if raw, ok := undoLatin1(string(sample)); ok {
		if sc := plausibility(decode(raw), candidateFor(e)); sc > score {
			if all, ok := undoLatin1(string(b)); ok {
				best = func() string { return decode(all) }
			}
		}
	}
	return best()
}

// prefixUTF8 drops a character cut in two at the end of b.
func prefixUTF8(b []byte) []byte {
	for i := len(b); i > 0 && i > len(b)-utf8.UTFMax; i-- {
		if utf8.Valid(b[:i]) {
			return b[:i]
		}
	}
	return b
}

// undoLatin1 returns the bytes whose windows-1252 (or Latin-1) reading s
// is, when s is nothing else: the trace of a relay that decoded a legacy
// charset as Latin-1 and sent the result on as UTF-8.
func undoLatin1(s string) ([]byte, bool) {
	for _, e := range []encoding.Encoding{charmap.Windows1252, charmap.ISO8859_1} {
		if b, err := e.NewEncoder().Bytes([]byte(s)); err == nil {
			return b, true
		}
	}
	return nil, false
}

func candidateFor(e encoding.Encoding) candidate {
	if _, ok := e.(*charmap.Charmap); ok {
		return candidate{e, 1}
	}
	return candidate{e, 2}
}

// mostlyUTF8 reports whether b has at least as many valid multi-byte UTF-8
// sequences as invalid bytes: UTF-8 with damage, not another charset.
func mostlyUTF8(b []byte) bool {
	good, bad := 0, 0
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n == 1:
			bad++
		case n > 1:
			good++
		}
		b = b[n:]
	}
	return good >= bad && good > 0
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

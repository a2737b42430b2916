package email

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	encunicode "golang.org/x/text/encoding/unicode"
)

// The charset of mail whose label is unknown or wrong is guessed here.
//
// The Go detectors on offer were measured first, on short sales mails in
// our users' languages: github.com/saintfish/chardet (ICU's detector)
// reads Thai TIS-620 as EUC-JP, Persian windows-1256 as Shift_JIS and
// Polish ISO-8859-2 as ISO-8859-1; github.com/wlynxg/chardet (Python
// chardet's port) reads the same Polish as ISO-8859-1 and the Persian as
// Hebrew; neither knows windows-1258 (Vietnamese). golang.org/x/net/html/
// charset only sniffs a BOM and a <meta>, then says windows-1252. So the
// guess is ours, in the manner of Firefox's chardetng: decode the bytes in
// each candidate charset and keep the reading that looks most like text a
// person wrote: letters of one script in a word, no lower-case letter
// followed by an upper-case one inside a word, no symbol between two
// letters, no control or undefined characters, combining marks after the
// letters they belong to, and for Chinese, Japanese and Korean characters
// that are frequent in the charset read (the first level of GB2312, JIS X
// 0208 and Big5), which tells GBK from Big5 from EUC-KR.

// candidate is a charset the guess may choose, with the number of bytes
// its non-ASCII characters take (what a letter is worth, so that a
// two-byte reading and a one-byte reading of the same bytes compare).
type candidate struct {
	enc   encoding.Encoding
	width int
}

// candidates in order of preference when two readings score the same
// (identical text, mostly): Western and Central European first, as most
// mail is, then the charsets of our users' languages.
var candidates = []candidate{
	{charmap.Windows1252, 1},
	{charmap.Windows1250, 1},
	{charmap.ISO8859_2, 1},
	{charmap.Windows1251, 1},
	{charmap.KOI8R, 1},
	{charmap.Windows1256, 1},
	{charmap.Windows874, 1},
	{charmap.Windows1258, 1},
	{charmap.Windows1253, 1},
	{charmap.Windows1254, 1},
	{charmap.Windows1255, 1},
	{korean.EUCKR, 2},
	{simplifiedchinese.GB18030, 2},
	{traditionalchinese.Big5, 2},
	{japanese.ShiftJIS, 2},
	{japanese.EUCJP, 2},
}

// sampleSize bounds the bytes a guess reads: a few pages of text decide.
const sampleSize = 16 << 10

// guessCharset returns the charset that reads b most plausibly, and
// whether any reading was plausible at all. b should not be valid UTF-8:
// the caller tries that first.
func guessCharset(b []byte) (encoding.Encoding, bool) {
	if e := sniffBOM(b); e != nil {
		return e, true
	}
	if isASCII(string(b)) {
		if bytes.Contains(b, []byte("\x1b$B")) || bytes.Contains(b, []byte("\x1b$@")) {
			return japanese.ISO2022JP, true
		}
		return nil, false
	}
	b = capSlice(b, sampleSize)
	var best encoding.Encoding
	bestScore := 0
	for _, c := range candidates {
		s, err := c.enc.NewDecoder().Bytes(b)
		if err != nil {
			continue
		}
		if sc := plausibility(string(s), c); best == nil || sc > bestScore {
			best, bestScore = c.enc, sc
		}
	}
	// Lenient UTF-8 competes too: a message with one broken sequence is
	// still UTF-8.
	if sc := plausibility(strings.ToValidUTF8(string(b), "\uFFFD"), candidate{encunicode.UTF8, 0}); sc > bestScore {
		best, bestScore = encunicode.UTF8, sc
	}
	return best, bestScore > 0
}

// sniffBOM returns the Unicode encoding a byte order mark names.
func sniffBOM(b []byte) encoding.Encoding {
	switch {
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		return encunicode.UTF16(encunicode.BigEndian, encunicode.ExpectBOM)
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return encunicode.UTF16(encunicode.LittleEndian, encunicode.ExpectBOM)
	}
	return nil
}

// Weights of what makes a reading implausible, in letters.
const (
	badRune      = 10 // U+FFFD, a C1 or other control, private use
	mixedScripts = 4  // one word in two scripts, per word
	caseFlip     = 4  // "câÌn": upper case after lower case in a word
	innerSymbol  = 4  // "Za¿ó³æ": a symbol between two letters, a lone ASCII letter between CJK
	strayMark    = 4  // a combining mark or Thai vowel with no letter for it
	mixedLatin   = 4  // "Přílią": Polish and Czech letters in one word
)

// plausibility scores s, the reading of some bytes in c: the bytes that
// became letters of a plausible word, less penalties.
func plausibility(s string, c candidate) int {
	score := 0
	var prev rune // the previous rune, 0 at a word boundary
	var word wordState
	endWord := func() {
		score += word.close()
		word = wordState{}
	}
	runes := []rune(s)
	for i, r := range runes {
		switch {
		case r == utf8.RuneError || r >= 0x80 && r < 0xA0 || r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' ||
			unicode.Is(unicode.Co, r) || r == 0x7F:
			score -= badRune
			endWord()
			prev = 0
			continue
		case unicode.IsLetter(r):
			word.letter(r, prev, c)
			if r < 0x80 && i > 0 && i+1 < len(runes) && isCJK(runes[i-1]) && isCJK(runes[i+1]) {
				score -= innerSymbol // "糧n矇": a trail byte read as a letter
			}
		case unicode.IsMark(r):
			if prev == 0 || !(unicode.IsLetter(prev) || unicode.IsMark(prev)) {
				score -= strayMark
			} else {
				word.mark(r, prev, c)
			}
		default:
			if oddSymbol(r) {
				before := i > 0 && unicode.IsLetter(runes[i-1])
				after := i+1 < len(runes) && unicode.IsLetter(runes[i+1])
				switch {
				case before && after:
					score -= innerSymbol
				case before || after:
					score -= innerSymbol / 2
				}
			}
			endWord()
			prev = 0
			continue
		}
		prev = r
	}
	endWord()
	return score
}

// wordState gathers what plausibility needs to know about one word.
type wordState struct {
	reward, penalty int
	scripts         uint16 // of its non-ASCII letters
	ascii, latin    int    // letters: ASCII, and other Latin ones
	letters         int
	lower           bool // a lower-case letter was seen
	polish, czech   bool
	viet            bool // ă đ ơ ư
	marks           int  // combining marks after a vowel
}

// Scripts a word may be written in.
const (
	scriptLatin = 1 << iota
	scriptGreek
	scriptCyrillic
	scriptArabic
	scriptHebrew
	scriptThai
	scriptHan
	scriptKana
	scriptHangul
	scriptOther
)

// scriptsWithASCII are the scripts ASCII letters mix with inside a word
// ("MP3播放器", "Eメール").
const scriptsWithASCII = scriptLatin | scriptHan | scriptKana | scriptHangul

func scriptOf(r rune) uint16 {
	switch {
	case unicode.Is(unicode.Latin, r):
		return scriptLatin
	case unicode.Is(unicode.Greek, r):
		return scriptGreek
	case unicode.Is(unicode.Cyrillic, r):
		return scriptCyrillic
	case unicode.Is(unicode.Arabic, r):
		return scriptArabic
	case unicode.Is(unicode.Hebrew, r):
		return scriptHebrew
	case unicode.Is(unicode.Thai, r):
		return scriptThai
	case unicode.Is(unicode.Han, r):
		return scriptHan
	case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || r == 'ー':
		return scriptKana
	case unicode.Is(unicode.Hangul, r):
		return scriptHangul
	}
	return scriptOther
}

// weight is what a plausible character is worth in c: the bytes it took.
func (c candidate) weight(r rune) int {
	if c.width == 0 {
		return utf8.RuneLen(r)
	}
	return c.width
}

func (w *wordState) letter(r, prev rune, c candidate) {
	if isThaiLeadingVowel(prev) && !isThaiConsonant(r) {
		w.penalty += strayMark // เ แ โ ใ ไ come before a consonant
	}
	if unicode.IsUpper(r) && w.lower && unicode.IsLower(prev) && (r >= 0x80 || prev >= 0x80) {
		w.penalty += caseFlip
	}
	if unicode.IsLower(r) {
		w.lower = true
	}
	w.letters++
	if r < 0x80 {
		w.ascii++
		w.reward++
		return
	}
	script := scriptOf(r)
	w.scripts |= script
	if frequent(r, script, c.enc) {
		w.reward += c.weight(r)
	}
	if script == scriptLatin {
		w.latin++
	}
	switch {
	case isPolish(r):
		w.polish = true
	case isCzech(r):
		w.czech = true
	case isVietnamese(r):
		w.viet = true
	}
}

func (w *wordState) mark(r, prev rune, c candidate) {
	switch {
	case unicode.Is(unicode.Thai, r):
		// Thai vowel and tone marks sit on a consonant or on another mark.
		if !isThaiConsonant(prev) && !unicode.IsMark(prev) {
			w.penalty += strayMark
			return
		}
	case isVowel(prev) || unicode.IsMark(prev):
		w.marks++
	}
	w.reward += c.weight(r)
}

// close returns the word's score.
func (w *wordState) close() int {
	scripts := w.scripts
	if scripts&scriptHan != 0 {
		scripts &^= scriptKana // Japanese: kanji with kana
	}
	if bitCount(scripts) > 1 || w.ascii > 0 && scripts&^scriptsWithASCII != 0 {
		return -mixedScripts - w.penalty
	}
	if w.latin > 2*w.ascii+4 {
		return -mixedScripts - w.penalty // "Çäðàâñòâóéòå": Cyrillic read as Latin
	}
	s := w.reward - w.penalty
	if w.letters == 1 && w.scripts&^(scriptHan|scriptKana|scriptHangul) != 0 && w.marks == 0 {
		s -= w.reward // "Ђ" for "€": one letter alone tells nothing
	}
	if w.polish && w.czech {
		s -= mixedLatin
	}
	if w.viet {
		s += w.marks // tone marks on vowels beside ă đ ơ ư: Vietnamese
	}
	return s
}

// frequent reports whether a non-ASCII letter in script counts as
// plausible in a reading in enc. Chinese, Japanese and Korean characters
// count when they are among the frequent ones of the charset that
// produced them (a random pair of bytes mostly lands among the rare ones),
// and kana and Hangul only in Japanese and Korean charsets.
func frequent(r rune, script uint16, enc encoding.Encoding) bool {
	switch script {
	case scriptOther:
		return false
	case scriptKana:
		if r >= 0xFF61 && r <= 0xFF9F {
			return false // half-width katakana: one byte in Shift_JIS, rare in mail
		}
		return enc == japanese.ShiftJIS || enc == japanese.EUCJP || enc == encunicode.UTF8
	case scriptHangul:
		if enc == encunicode.UTF8 {
			return true
		}
		b := encodeRune(korean.EUCKR, r)
		return enc == korean.EUCKR && len(b) == 2 && b[0] >= 0xB0 && b[0] <= 0xC8 && b[1] >= 0xA1 // KS X 1001's 2,350
	case scriptHan:
		return frequentHan(r, enc)
	}
	return true
}

func encodeRune(e encoding.Encoding, r rune) []byte {
	b, err := e.NewEncoder().Bytes([]byte(string(r)))
	if err != nil {
		return nil
	}
	return b
}

func frequentHan(r rune, enc encoding.Encoding) bool {
	var b []byte
	encode := func(e encoding.Encoding) []byte { return encodeRune(e, r) }
	switch enc {
	case simplifiedchinese.GB18030, simplifiedchinese.GBK:
		b = encode(simplifiedchinese.GBK)
		return len(b) == 2 && b[0] >= 0xB0 && b[0] <= 0xD7 && b[1] >= 0xA1 // GB2312 level 1
	case traditionalchinese.Big5:
		b = encode(traditionalchinese.Big5)
		return len(b) == 2 && (b[0] >= 0xA4 && b[0] < 0xC6 || b[0] == 0xC6 && b[1] <= 0x7E) // frequent hanzi
	case japanese.ShiftJIS, japanese.EUCJP, japanese.ISO2022JP:
		b = encode(japanese.EUCJP)
		return len(b) == 2 && b[0] >= 0xB0 && b[0] <= 0xCF // JIS X 0208 level 1
	case encunicode.UTF8:
		return true
	}
	return false // Hanja in Korean mail are rare
}

func isCJK(r rune) bool {
	return r >= 0x2E80 && (scriptOf(r)&(scriptHan|scriptKana|scriptHangul) != 0 || r == utf8.RuneError)
}

// oddSymbol reports whether r is a symbol that a wrong single-byte
// reading makes of a letter ("£ukasz ¯ó³æ" for "Łukasz Żółć") and that
// text rarely puts against a letter.
func oddSymbol(r rune) bool {
	switch r {
	case '«', '»', '¿', '¡', '°', '·', '\u00a0':
		return false
	}
	return r >= 0xA0 && r <= 0xBF || r == '×' || r == '÷' || r >= 0x2C0 && r <= 0x2FF || r >= 0x2100 && r <= 0x2BFF
}

func isThaiConsonant(r rune) bool { return r >= 0x0E01 && r <= 0x0E2E }

func isThaiLeadingVowel(r rune) bool { return r >= 0x0E40 && r <= 0x0E44 }

func isVowel(r rune) bool {
	switch unicode.ToLower(r) {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'â', 'ê', 'ô', 'ă', 'ơ', 'ư':
		return true
	}
	return false
}

func isPolish(r rune) bool {
	switch unicode.ToLower(r) {
	case 'ą', 'ę', 'ł', 'ś', 'ź', 'ż', 'ń', 'ć':
		return true
	}
	return false
}

func isCzech(r rune) bool {
	switch unicode.ToLower(r) {
	case 'ř', 'ě', 'ů', 'č', 'š', 'ž', 'ť', 'ď', 'ň', 'ľ', 'ĺ', 'ŕ':
		return true
	}
	return false
}

func isVietnamese(r rune) bool {
	switch unicode.ToLower(r) {
	case 'ă', 'đ', 'ơ', 'ư':
		return true
	}
	return false
}

func bitCount(x uint16) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

package lang

import (
	"strings"
	"unicode/utf8"
)

// zero is the digit zero of the languages that have digits of their own.
var zero = map[string]rune{"th": '๐', "fa": '۰'}

// HasNativeDigits reports whether the language writes numbers in digits
// of its own (Thai ๐-๙, Persian ۰-۹), which a reader may choose.
func (p *Printer) HasNativeDigits() bool { return zero[p.lang] != 0 }

// NativeDigits writes the numbers of s, amounts and dates among them, in
// the language's own digits; s is returned as it is in a language
// without. Digits that belong to a word are left alone, so what a person
// types back still reads: ids (D45, L123, C12), email addresses, times
// typed in a command (9am), links.
func (p *Printer) NativeDigits(s string) string {
	z := zero[p.lang]
	if z == 0 || !strings.ContainsAny(s, "0123456789") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[j:])
		if i > 0 && inWord(before) || j < len(s) && inWord(after) {
			b.WriteString(s[i:j])
		} else {
			for _, c := range []byte(s[i:j]) {
				b.WriteRune(z + rune(c-'0'))
			}
		}
		i = j
	}
	if p.lang == "fa" {
		return persianMarks(b.String())
	}
	return b.String()
}

// persianMarks writes the marks between and after Persian digits as
// Persian does: ٬ groups thousands, ٫ marks decimals, ٪ is percent.
func persianMarks(s string) string {
	r := []rune(s)
	digit := func(i int) bool { return i >= 0 && i < len(r) && '۰' <= r[i] && r[i] <= '۹' }
	for i := range r {
		switch {
		case r[i] == ',' && digit(i-1) && digit(i+1):
			r[i] = '٬'
		case r[i] == '.' && digit(i-1) && digit(i+1):
			r[i] = '٫'
		case r[i] == '%' && digit(i-1):
			r[i] = '٪'
		}
	}
	return string(r)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// inWord reports whether r next to a number makes it part of a word, an
// address or a link rather than a number.
func inWord(r rune) bool {
	return r < utf8.RuneSelf && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || strings.ContainsRune("_@/#=&?+", r))
}

package core

import (
	"math/big"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// ParseMoney reads a major-unit amount in the given currency and returns it
// in minor units, without knowing how its writer writes numbers: it takes
// only what reads one way in every locale ("12000", "12,000.50",
// "1.234,56", "1 500,75", "1.500.000", "12.5") and refuses a lone '.' or
// ',' before three digits ("12.345": twelve thousand in Warsaw and Hanoi,
// twelve in Bangkok). ParseMoneyIn reads those by a locale.
func ParseMoney(amount, code string) (Money, error) {
	return ParseMoneyIn(amount, code, "")
}

// ParseMoneyIn reads a major-unit amount as people of locale (a BCP 47
// tag such as pl, vi, th, zh-Hans, en-GB; "" unknown) write it, per CLDR:
// Polish and Vietnamese mark decimals with a comma and group thousands
// with a dot or a space, Thai, Chinese and English the other way round.
// Spaces, apostrophes and underscores always group; where both '.' and
// ',' appear the last one marks the decimals; a mark that occurs more
// than once groups; one that is not followed by exactly three digits
// marks the decimals. Only a single mark before three digits needs the
// locale, and without one it is refused with the forms that are read
// one way. Persian, Arabic, Thai, Devanagari and full-width digits and
// marks are read as their ASCII counterparts.
func ParseMoneyIn(amount, code, locale string) (Money, error) {
	cur, err := NormalizeCurrency(code)
	if err != nil {
		return Money{}, err
	}
	digits, _ := CurrencyDigits(cur)
	s, ok := asciiAmount(amount)
	if !ok {
		return Money{}, invalidAmount(amount)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac := s, ""
	dec := strings.LastIndexAny(s, ".,")
	if dec >= 0 {
		mark := s[dec]
		other := byte('.')
		if mark == '.' {
			other = ','
		}
		switch {
		case strings.IndexByte(s, other) >= 0:
			// Both marks: the last one marks the decimals, once.
			if strings.IndexByte(s, mark) != dec || strings.IndexByte(s[dec:], other) >= 0 {
				return Money{}, invalidAmount(amount)
			}
		case strings.Count(s, string(mark)) > 1:
			dec = -1 // "1.500.000": grouping
		case len(s)-dec-1 != 3 || dec == 0 || s[:dec] == "0" || dec > 3:
			// Not three digits after it, or nothing, a zero or more than
			// three digits before it: no thousands group reads that way.
		default:
			// "12.345": the locale decides.
			switch localeMarks(locale) {
			case mark: // the locale's decimal mark
			case other:
				dec = -1
			default:
				return Money{}, ambiguousAmount(amount, s, mark, digits)
			}
		}
	}
	if dec >= 0 {
		intPart, frac = s[:dec], s[dec+1:]
	}
	if !groupedWell(intPart) {
		return Money{}, invalidAmount(amount)
	}
	intPart = strings.NewReplacer(",", "", ".", "").Replace(intPart)
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return Money{}, invalidAmount(amount)
	}
	if len(frac) > digits {
		if digits == 0 {
			return Money{}, Fail(KindInvalid, "error.amount_no_minor", `{Currency} has no minor unit; write "{Amount}" without decimals`, "Currency", cur, "Amount", amount)
		}
		return Money{}, Fail(KindInvalid, "error.amount_decimals", `{Currency} has {N} decimals; "{Amount}" has more`, "Currency", cur, "N", digits, "Amount", amount)
	}
	frac += strings.Repeat("0", digits-len(frac))
	if intPart == "" {
		intPart = "0"
	}
	v, ok := new(big.Int).SetString(intPart+frac, 10)
	if !ok || !v.IsInt64() {
		return Money{}, Fail(KindInvalid, "error.amount_huge", `amount "{Amount}" is too large`, "Amount", amount)
	}
	n := v.Int64()
	if neg {
		n = -n
	}
	return Money{Amount: n, Currency: cur}, nil
}

func invalidAmount(amount string) error {
	return Fail(KindInvalid, "error.amount_invalid", `invalid amount "{Amount}"; write it like 12000 or 12000.50`, "Amount", amount)
}

// ambiguousAmount explains a lone mark before three digits, with the
// forms that read one way.
func ambiguousAmount(amount, s string, mark byte, digits int) error {
	whole := strings.Replace(s, string(mark), "", 1)
	forms := whole
	if digits > 0 {
		zeros := strings.Repeat("0", digits)
		forms += ", " + strings.Replace(s, string(mark), ",", 1) + "." + zeros +
			" or " + strings.Replace(s, string(mark), ".", 1) + "," + zeros
	}
	return Errorf(KindInvalid, "amount %q is ambiguous: %q before three digits groups thousands in some languages and marks decimals in others; "+
		"for %s write %s, or ask an admin to set your locale (pl or vi read 1.234,56; en, th or zh read 1,234.56)",
		amount, string(mark), whole, forms)
}

// groupedWell reports whether the marks in an integer part group digits:
// none at either end, none next to each other, three digits after the
// last, two or three between the others (Indian lakhs: 12,34,567).
func groupedWell(s string) bool {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ',' })
	if len(parts) <= 1 {
		return !strings.ContainsAny(s, ".,")
	}
	if strings.Count(s, ".")+strings.Count(s, ",") != len(parts)-1 ||
		s[0] == '.' || s[0] == ',' || s[len(s)-1] == '.' || s[len(s)-1] == ',' {
		return false
	}
	for i, p := range parts[1:] {
		if len(p) != 3 && (i == len(parts)-2 || len(p) != 2) {
			return false
		}
	}
	return true
}

// zeros are the zero digits of the scripts whose digits amounts may be
// written in: ASCII, Arabic-Indic, Persian, Devanagari, Thai, full-width.
var zeros = []rune{'0', '\u0660', '\u06f0', '\u0966', '\u0e50', '\uff10'}

// asciiAmount drops grouping spaces, apostrophes and underscores, and
// turns other scripts' digits and marks into ASCII; false when s is not
// valid UTF-8.
func asciiAmount(s string) (string, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009', '\'', '\u2019', '_', '\u066c': // spaces, apostrophes, Arabic thousands mark
			continue
		case '\u066b': // Arabic decimal mark: written once, it can only mark decimals
			b.WriteByte('.')
			continue
		case '\uff0e':
			r = '.'
		case '\uff0c':
			r = ','
		case '\u2212', '\uff0d': // minus sign, full-width hyphen-minus
			r = '-'
		}
		for _, z := range zeros {
			if r >= z && r <= z+9 {
				r = '0' + (r - z)
				break
			}
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// localeMarks returns the decimal mark of locale, '.' or ',', per CLDR; 0
// when the locale is unknown or marks decimals otherwise (Persian and
// Arabic use U+066B, read as a decimal mark anywhere).
func localeMarks(locale string) byte {
	if strings.TrimSpace(locale) == "" {
		return 0
	}
	tag, err := language.Parse(locale)
	if err != nil {
		return 0
	}
	// "1234.5" as the locale writes it, without grouping: the mark
	// before the last digit is its decimal mark.
	s := []rune(message.NewPrinter(tag).Sprint(number.Decimal(1234.5, number.NoSeparator())))
	if len(s) < 2 {
		return 0
	}
	switch s[len(s)-2] {
	case '.':
		return '.'
	case ',':
		return ','
	}
	return 0
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

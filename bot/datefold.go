package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// folded is a text as the rules read it (lower case, ASCII digits, one
// spelling of each letter) with where each of its bytes came from.
type folded struct {
	text string
	from []int // from[i]: the byte of the original text that text[i] came from; from[len(text)] is its end
}

// fold makes the text the rules read: lower case; Thai, Persian,
// Arabic-Indic and full-width digits as ASCII; Arabic yeh and kaf as
// Persian writes them; the zero-width non-joiner as a space; full-width
// punctuation as ASCII; and for Vietnamese and Polish, letters without
// their marks, as people often type them.
func fold(s string, bare bool) folded {
	var b strings.Builder
	from := make([]int, 0, len(s)+1)
	emit := func(r rune, at int) {
		n := b.Len()
		b.WriteRune(r)
		for range b.Len() - n {
			from = append(from, at)
		}
	}
	for at, r := range s {
		switch {
		case r >= '๐' && r <= '๙':
			r = '0' + r - '๐'
		case r >= '۰' && r <= '۹':
			r = '0' + r - '۰'
		case r >= '٠' && r <= '٩':
			r = '0' + r - '٠'
		case r >= '０' && r <= '９':
			r = '0' + r - '０'
		}
		switch r {
		case 'ي', 'ى':
			r = 'ی'
		case 'ك':
			r = 'ک'
		case '\u200c', '\u00a0', '\u3000':
			r = ' '
		case 'ـ', '\u200d', '\u200e', '\u200f':
			continue
		case '：':
			r = ':'
		case '，', '、', '،':
			r = ','
		case '٫':
			r = '.'
		case '點':
			r = '点'
		case '週':
			r = '周'
		case '後':
			r = '后'
		case '個':
			r = '个'
		case '鐘':
			r = '钟'
		case '禮':
			r = '礼'
		case '號':
			r = '号'
		case '兩':
			r = '两'
		}
		r = unicode.ToLower(r)
		if bare && r >= 0x80 {
			switch r {
			case 'đ':
				emit('d', at)
				continue
			case 'ł':
				emit('l', at)
				continue
			}
			if d := norm.NFD.String(string(r)); utf8.RuneCountInString(d) > 1 {
				base, _ := utf8.DecodeRuneInString(d)
				emit(base, at)
				continue
			}
			if unicode.Is(unicode.Mn, r) {
				continue
			}
		}
		emit(r, at)
	}
	from = append(from, len(s))
	return folded{text: b.String(), from: from}
}

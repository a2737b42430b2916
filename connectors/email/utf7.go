package email

import (
	"encoding/base64"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// utf7 is UTF-7 (RFC 2152), which some mailers still send as
// "unicode-1-1-utf-7": ASCII, with other text as "+" base64 of UTF-16
// "-". golang.org/x/text has no UTF-7 (IMAP's modified UTF-7 in go-imap is
// another encoding). Only decoding is offered.
type utf7 struct{}

func (utf7) NewDecoder() *encoding.Decoder {
	return &encoding.Decoder{Transformer: &utf7Decoder{}}
}

func (utf7) NewEncoder() *encoding.Encoder {
	return encoding.Nop.NewEncoder()
}

func (utf7) String() string { return "UTF-7" }

// utf7Decoder decodes the whole input at once: mail bodies and encoded
// words are decoded with Bytes, never streamed.
type utf7Decoder struct{ transform.NopResetter }

func (d *utf7Decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	if !atEOF {
		return 0, 0, transform.ErrShortSrc
	}
	out := decodeUTF7(src)
	if len(out) > len(dst) {
		return 0, 0, transform.ErrShortDst
	}
	return copy(dst, out), len(src), nil
}

// decodeUTF7 decodes src leniently: a broken shift sequence keeps what
// decodes and a lone surrogate becomes U+FFFD.
func decodeUTF7(src []byte) []byte {
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c != '+' {
			out = append(out, c)
			continue
		}
		j := i + 1
		for j < len(src) && isBase64(src[j]) {
			j++
		}
		if j == i+1 { // "+-" is "+"; a "+" before anything else stays
			out = append(out, '+')
			if j < len(src) && src[j] == '-' {
				i = j
			}
			continue
		}
		n := j - i - 1
		if n%4 == 1 {
			n-- // a dangling sextet holds no whole byte
		}
		b, _ := base64.RawStdEncoding.DecodeString(string(src[i+1 : i+1+n]))
		units := make([]uint16, 0, len(b)/2)
		for k := 0; k+1 < len(b); k += 2 {
			units = append(units, uint16(b[k])<<8|uint16(b[k+1]))
		}
		for _, r := range utf16.Decode(units) {
			out = utf8.AppendRune(out, r)
		}
		i = j - 1
		if j < len(src) && src[j] == '-' {
			i = j // the "-" ends the shift and is absorbed
		}
	}
	return out
}

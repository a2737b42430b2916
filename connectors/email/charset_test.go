package email

import (
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// encodeIn returns s in the charset, failing the test when it cannot be.
func encodeIn(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

// qWord encodes b as an RFC 2047 "Q" encoded word.
func qWord(charset string, b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		switch {
		case c == ' ':
			sb.WriteByte('_')
		case c > ' ' && c < 0x7f && c != '=' && c != '?' && c != '_':
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, "=%02X", c)
		}
	}
	return "=?" + charset + "?Q?" + sb.String() + "?="
}

func bWord(charset string, b []byte) string {
	return "=?" + charset + "?B?" + base64.StdEncoding.EncodeToString(b) + "?="
}

func TestEveryCommonCharsetDecodes(t *testing.T) {
	tests := []struct {
		name    string
		label   string
		enc     encoding.Encoding
		word    byte // 'B' or 'Q' for the subject and the sender's name
		cte     string
		subject string
		sender  string
		body    string
	}{
		{"Vietnamese in UTF-8 with Q words", "utf-8", unicode.UTF8, 'Q', "quoted-printable",
			"Yêu cầu báo giá máy lọc nước", "Nguyễn Thị Hương", "Xin chào, tôi muốn đặt hàng 20 chiếc."},
		{"German in ISO-8859-1", "ISO-8859-1", charmap.ISO8859_1, 'Q', "quoted-printable",
			"Anfrage für Größe XL", "Jürgen Müller", "Grüße aus München, ça va?"},
		{"Polish in ISO-8859-2 with Q words", "ISO-8859-2", charmap.ISO8859_2, 'Q', "8bit",
			"Zapytanie ofertowe - źródło", "Łukasz Żółć", "Zażółć gęślą jaźń. Proszę o wycenę."},
		{"Czech in windows-1250", "windows-1250", charmap.Windows1250, 'B', "base64",
			"Poptávka – dodávka", "Jiří Dvořák", "Příliš žluťoučký kůň úpěl ďábelské ódy."},
		{"Russian in windows-1251", "windows-1251", charmap.Windows1251, 'B', "8bit",
			"Запрос цены", "Иван Петров", "Здравствуйте, хотим заказать 100 штук."},
		{"French in windows-1252 with smart quotes and euro", "windows-1252", charmap.Windows1252, 'Q', "quoted-printable",
			"Devis “urgent” – 1 000 €", "Frédérique Hervé", "Bonjour, le prix est-il toujours 99 € ?"},
		// windows-1256 has only the Arabic yeh (U+064A), which Persian mail
		// in it uses for the Persian one (U+06CC).
		{"Persian in windows-1256 with Q words", "windows-1256", charmap.Windows1256, 'Q', "8bit",
			"درخواست قيمت", "مريم احمدي", "سلام، لطفاً پيش فاکتور بفرستيد."},
		{"Vietnamese in windows-1258 (decomposed)", "windows-1258", charmap.Windows1258, 'B', "base64",
			// windows-1258 has the base letters and combining tone marks.
			"B\u00e1o gi\u00e1", "Tr\u00e2\u0300n V\u0103n Ha\u0309i", "T\u00f4i c\u00e2\u0300n b\u00e1o gi\u00e1."},
		{"Thai in TIS-620 with B words", "TIS-620", charmap.Windows874, 'B', "base64",
			"สอบถามราคาสินค้า", "สมชาย ใจดี", "สวัสดีครับ สนใจสินค้า 50 ชิ้น"},
		{"Simplified Chinese in GB2312 with B words", "GB2312", simplifiedchinese.GBK, 'B', "base64",
			"询价：不锈钢管", "王小明", "您好，我们想采购一批不锈钢管。"},
		{"Simplified Chinese in GBK", "GBK", simplifiedchinese.GBK, 'B', "8bit",
			"报价请求", "李华", "请发送报价单。"},
		{"Chinese in GB18030 with a rare character", "GB18030", simplifiedchinese.GB18030, 'B', "base64",
			"订单 𠀀", "张伟", "请确认订单 𠀀。"},
		{"Traditional Chinese in Big5", "Big5", traditionalchinese.Big5, 'B', "base64",
			"詢價：電子零件", "陳大文", "您好，請提供報價。"},
		{"Japanese in Shift_JIS", "Shift_JIS", japanese.ShiftJIS, 'B', "base64",
			"お見積もりのお願い", "山田太郎", "お問い合わせありがとうございます。"},
		{"Japanese in EUC-JP", "EUC-JP", japanese.EUCJP, 'B', "8bit",
			"お見積もりのお願い", "鈴木花子", "よろしくお願いいたします。"},
		{"Japanese in ISO-2022-JP", "ISO-2022-JP", japanese.ISO2022JP, 'B', "7bit",
			"お見積もりのお願い", "佐藤一郎", "至急ご連絡ください。"},
		{"Korean in EUC-KR", "EUC-KR", korean.EUCKR, 'B', "base64",
			"견적 문의", "김민수", "안녕하세요, 견적 부탁드립니다."},
		{"Russian in KOI8-R", "KOI8-R", charmap.KOI8R, 'B', "8bit",
			"Коммерческое предложение", "Ольга Смирнова", "Добрый день! Интересует поставка."},
		{"Ukrainian in KOI8-U", "KOI8-U", charmap.KOI8U, 'Q', "quoted-printable",
			"Запит ціни на ґудзики", "Їжак Євген", "Добрий день, потрібні ґудзики."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			word := bWord
			if tt.word == 'Q' {
				word = qWord
			}
			body := encodeIn(t, tt.enc, tt.body)
			switch tt.cte {
			case "base64":
				body = []byte(base64.StdEncoding.EncodeToString(body))
			case "quoted-printable":
				var sb strings.Builder
				w := quotedprintable.NewWriter(&sb)
				w.Write(body)
				w.Close()
				body = []byte(sb.String())
			}
			raw := "From: " + word(tt.label, encodeIn(t, tt.enc, tt.sender)) + " <lead@example.org>\r\n" +
				"Subject: " + word(tt.label, encodeIn(t, tt.enc, tt.subject)) + "\r\n" +
				"Content-Type: text/plain; charset=\"" + tt.label + "\"\r\n" +
				"Content-Transfer-Encoding: " + tt.cte + "\r\n\r\n" + string(body) + "\r\n"
			m := mustParse(t, raw)
			nfc := norm.NFC.String
			if got := nfc(m.Subject); got != nfc(tt.subject) {
				t.Errorf("subject %q, want %q", got, tt.subject)
			}
			if got := nfc(m.From.Name); got != nfc(tt.sender) || m.From.Address != "lead@example.org" {
				t.Errorf("from %q <%s>, want %q", got, m.From.Address, tt.sender)
			}
			if got := nfc(m.Text); got != nfc(tt.body) {
				t.Errorf("text %q, want %q", got, tt.body)
			}
			if len(m.Warnings) > 0 {
				t.Errorf("warnings: %q", m.Warnings)
			}
		})
	}
}

func TestHeadersDecode(t *testing.T) {
	utf8Bytes := []byte("Zażółć gęślą")
	split := 3 // inside "ż"
	tests := []struct {
		name, header, want string
	}{
		{"a UTF-8 character split across two encoded words is joined",
			bWord("UTF-8", utf8Bytes[:split]) + " " + bWord("UTF-8", utf8Bytes[split:]), "Zażółć gęślą"},
		{"white space between encoded words is dropped",
			"=?utf-8?q?Hello?= =?utf-8?q?_world?=", "Hello world"},
		{"text between words is kept", "Re: =?utf-8?q?caf=C3=A9?= and more", "Re: café and more"},
		{"an unknown charset falls back to Latin-1", "=?x-unknown?q?caf=E9?=", "café"},
		{"an unknown charset with UTF-8 bytes stays UTF-8", "=?NONE?B?VEVTVA=?=", "TEST"},
		{"a malformed word stays as it is", "=?utf-8?X?abc?= =?broken", "=?utf-8?X?abc?= =?broken"},
		{"raw 8-bit UTF-8 is kept", "Säying Hello", "Säying Hello"},
		{"an RFC 2231 language tag is ignored", "=?utf-8*pl?q?Pi=C4=99kny?=", "Piękny"},
		{"lower-case b and q work", "=?iso-8859-2?q?=A3=F3d=BC?= =?utf-8?b?w7M=?=", "Łódźó"},
		{"ISO-2022-JP words split by escape sequences", "=?ISO-2022-JP?B?GyRCJEYkOSRIGyhC?=", "てすと"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decodeHeader(tt.header, ""); got != tt.want {
				t.Errorf("decodeHeader(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestCharsetLabels(t *testing.T) {
	for _, label := range []string{"tis-620", "TIS620", "iso-8859-11", "windows-874", "gb2312", "x-gbk", "cp936",
		"big5-hkscs", "sjis", "x-sjis", "cp932", "windows-31j", "euc-jp", "csISO2022JP", "iso-2022-jp-2",
		"ks_c_5601-1987", "ks_c_5601", "koi8-r", "koi8-u", "win-1251", "cp1252", "windows1250", "iso8859-2",
		"8859_1", "latin2", "macintosh", "ibm850", "utf-16"} {
		if lookupCharset(label) == nil {
			t.Errorf("charset %q is unknown", label)
		}
	}
	for _, label := range []string{"", "utf-8", "UTF8", "us-ascii", "x-unknown", "iso-2022-kr", "utf-7"} {
		if e := lookupCharset(label); e != nil {
			t.Errorf("charset %q resolved to %v; want the lenient path", label, e)
		}
	}
}

func TestBodiesNeverFailOnCharset(t *testing.T) {
	tests := []struct {
		name, charset, body, want string
	}{
		{"an unknown charset with Latin-1 bytes reads as windows-1252", "x-mystery", "caf\xe9 \x80", "café €"},
		{"an unknown charset with UTF-8 bytes reads as UTF-8", "x-mystery", "café", "café"},
		{"declared UTF-8 with invalid bytes gets replacement characters", "utf-8", "ok \xff\xfe end", "ok \uFFFD end"},
		{"no charset and Latin-1 bytes read as windows-1252", "", "na\xefve", "naïve"},
		{"NUL bytes are dropped", "utf-8", "a\x00b", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := "text/plain"
			if tt.charset != "" {
				ct += "; charset=" + tt.charset
			}
			m := mustParse(t, "From: a@example.org\nContent-Type: "+ct+"\n\n"+tt.body)
			if m.Text != tt.want {
				t.Errorf("text %q, want %q", m.Text, tt.want)
			}
		})
	}
}

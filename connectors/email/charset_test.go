package email

import (
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

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
		"8859_1", "latin2", "macintosh", "ibm850", "utf-16", "utf-7"} {
		if lookupCharset(label) == nil {
			t.Errorf("charset %q is unknown", label)
		}
	}
	for _, label := range []string{"", "utf-8", "UTF8", "us-ascii", "x-unknown", "iso-2022-kr", "x-user-defined"} {
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
		{"declared UTF-8 with a broken byte keeps its UTF-8 and marks the byte", "utf-8", "café \xff end", "café \uFFFD end"},
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

// utf7Encode writes s in UTF-7 (RFC 2152), for tests: x/text has no
// UTF-7 encoder.
func utf7Encode(s string) []byte {
	var out []byte
	var run []rune
	flush := func() {
		if run == nil {
			return
		}
		var b []byte
		for _, u := range utf16.Encode(run) {
			b = append(b, byte(u>>8), byte(u))
		}
		out = append(append(append(out, '+'), base64.RawStdEncoding.EncodeToString(b)...), '-')
		run = nil
	}
	for _, r := range s {
		if r < 0x80 && r != '+' && r != '~' && r != '\\' {
			flush()
			out = append(out, byte(r))
			continue
		}
		run = append(run, r)
	}
	flush()
	return out
}

// misnamed writes a message whose sender, subject and plain-text body
// are in bytes of one charset under labels of its own.
func misnamed(from, subject, body []byte, wordLabel, bodyLabel, cte string) string {
	b := string(body)
	if cte == "base64" {
		b = base64.StdEncoding.EncodeToString(body)
	}
	return "From: " + bWord(wordLabel, from) + " <lead@example.org>\r\n" +
		"Subject: " + qWord(wordLabel, subject) + "\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=" + bodyLabel + "\r\n" +
		"Content-Transfer-Encoding: " + cte + "\r\n\r\n" + b + "\r\n--b1--\r\n"
}

func TestMisnamedCharsetsDecode(t *testing.T) {
	const (
		thaiFrom = "สมชาย ใจดี"
		thaiSubj = "สอบถามราคาเครื่องกรองน้ำ"
		thaiBody = "เรียน ฝ่ายขาย บริษัทของเราสนใจสั่งซื้อเครื่องกรองน้ำจำนวน 20 เครื่อง กรุณาส่งใบเสนอราคามาที่อีเมลนี้ ขอบคุณครับ"
		// windows-1256 has only the Arabic yeh and kaf, which Persian mail
		// in it uses for the Persian ones.
		faFrom = "مريم احمدي"
		faSubj = "درخواست پيش فاکتور"
		faBody = "سلام، لطفاً براي 20 دستگاه تصفيه آب پيش فاکتور بفرستيد. با تشکر"
		// windows-1258 holds Vietnamese tones as combining marks.
		viFrom = "Nguy\u00ea\u0303n Thi\u0323 H\u01b0\u01a1ng"
		viSubj = "Y\u00eau c\u00e2\u0300u b\u00e1o gi\u00e1 ma\u0301y lo\u0323c n\u01b0\u01a1\u0301c"
		viBody = "Xin ch\u00e0o, t\u00f4i c\u00e2\u0300n b\u00e1o gi\u00e1 cho 20 chi\u00ea\u0301c ma\u0301y lo\u0323c n\u01b0\u01a1\u0301c. Xin ca\u0309m \u01a1n."
		plFrom = "Łukasz Żółkiewski"
		plSubj = "Zapytanie ofertowe: źródło wody"
		plBody = "Dzień dobry, proszę o wycenę 20 filtrów do wody. Pozdrawiam serdecznie, Łukasz"
		zhFrom = "刘䶮" // 䶮 is in GB18030 only, four bytes
		zhSubj = "询价：不锈钢管"
		zhBody = "您好，我们想采购一批不锈钢管，请发送报价单。谢谢！"
		twFrom = "陳大文"
		twSubj = "詢價：電子零件"
		twBody = "您好，請提供報價。我們需要一批電子零件，謝謝。"
		jaFrom = "山田太郎"
		jaSubj = "お見積もりのお願い"
		jaBody = "お問い合わせありがとうございます。至急ご連絡ください。"
		koFrom = "김민수"
		koSubj = "견적 문의"
		koBody = "안녕하세요, 견적 부탁드립니다."
		deFrom = "Jürgen Müller"
		deSubj = "Anfrage für Größe XL"
		deBody = "Grüße aus München, wir möchten 20 Stück bestellen."
		heFrom = "דוד לוי"
		heSubj = "בקשה להצעת מחיר"
		heBody = "שלום, נשמח לקבל הצעת מחיר."
	)
	gbk := simplifiedchinese.GBK
	tests := []struct {
		name                string
		enc                 encoding.Encoding // nil: the case gives its bytes itself
		wordLabel, label    string
		from, subject, body string
	}{
		{"Thai under the TIS-620 spelling tis620", charmap.Windows874, "tis620", "tis620", thaiFrom, thaiSubj, thaiBody},
		{"Thai under windows-874", charmap.Windows874, "windows-874", "windows-874", thaiFrom, thaiSubj, thaiBody},
		{"Thai under x-unknown is detected", charmap.Windows874, "x-unknown", "x-unknown", thaiFrom, thaiSubj, thaiBody},
		{"Thai under x-user-defined is detected", charmap.Windows874, "x-user-defined", "x-user-defined", thaiFrom, thaiSubj, thaiBody},
		{"Persian under x-windows-1256", charmap.Windows1256, "x-windows-1256", "x-windows-1256", faFrom, faSubj, faBody},
		{"Persian under cp-1256", charmap.Windows1256, "cp-1256", "cp-1256", faFrom, faSubj, faBody},
		{"Persian under x-unknown is detected", charmap.Windows1256, "x-unknown", "x-unknown", faFrom, faSubj, faBody},
		{"Persian labelled UTF-8 is detected", charmap.Windows1256, "utf-8", "utf-8", faFrom, faSubj, faBody},
		{"Vietnamese under cp-1258", charmap.Windows1258, "cp-1258", "cp-1258", viFrom, viSubj, viBody},
		{"Vietnamese under x-unknown is detected", charmap.Windows1258, "x-unknown", "x-unknown", viFrom, viSubj, viBody},
		{"Vietnamese UTF-8 labelled iso-8859-1 stays UTF-8", unicode.UTF8, "iso-8859-1", "iso-8859-1", viFrom, viSubj, viBody},
		{"Polish under latin-2", charmap.ISO8859_2, "latin-2", "latin-2", plFrom, plSubj, plBody},
		{"Polish under iso_8859_2", charmap.ISO8859_2, "iso_8859_2", "iso_8859_2", plFrom, plSubj, plBody},
		{"Polish under x-unknown is detected", charmap.ISO8859_2, "x-unknown", "x-unknown", plFrom, plSubj, plBody},
		{"Polish in windows-1250 with no label is detected", charmap.Windows1250, "unknown-8bit", "", plFrom, plSubj, plBody},
		{"Chinese GB18030 labelled gb2312", simplifiedchinese.GB18030, "gb2312", "gb2312", zhFrom, zhSubj, zhBody},
		{"Chinese under x-gbk", gbk, "x-gbk", "x-gbk", "王小明", zhSubj, zhBody},
		{"Chinese under cp-936", gbk, "cp-936", "cp-936", "王小明", zhSubj, zhBody},
		{"Chinese under x-gb18030", simplifiedchinese.GB18030, "x-gb18030", "x-gb18030", zhFrom, zhSubj, zhBody},
		{"Chinese GBK under x-unknown is detected", gbk, "x-unknown", "x-unknown", "王小明", zhSubj, zhBody},
		{"Chinese Big5 under x-unknown is detected", traditionalchinese.Big5, "x-unknown", "x-unknown", twFrom, twSubj, twBody},
		{"Chinese Big5 under cp-950", traditionalchinese.Big5, "cp-950", "cp-950", twFrom, twSubj, twBody},
		{"Japanese under _iso-2022-jp$esc", japanese.ISO2022JP, "_iso-2022-jp$esc", "\"_iso-2022-jp$esc\"", jaFrom, jaSubj, jaBody},
		{"Japanese under ms932", japanese.ShiftJIS, "ms932", "ms932", jaFrom, jaSubj, jaBody},
		{"Korean under ks_c_5601-1987", korean.EUCKR, "ks_c_5601-1987", "ks_c_5601-1987", koFrom, koSubj, koBody},
		{"German under cp-850", charmap.CodePage850, "cp-850", "cp-850", deFrom, deSubj, deBody},
		{"Hebrew under iso-8859-8-i", charmap.ISO8859_8, "iso-8859-8-i", "iso-8859-8-i", heFrom, heSubj, heBody},
		{"Thai under unicode-1-1-utf-7", nil, "unicode-1-1-utf-7", "unicode-1-1-utf-7", thaiFrom, thaiSubj, thaiBody},
		{"Vietnamese under utf8", unicode.UTF8, "utf8", "utf8", viFrom, viSubj, viBody},
		{"Polish under a quoted utf-8 with spaces", unicode.UTF8, "UTF-8", `" utf-8 "`, plFrom, plSubj, plBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc := func(s string) []byte {
				if tt.enc == nil {
					return utf7Encode(s)
				}
				return encodeIn(t, tt.enc, s)
			}
			cte := "base64"
			if tt.enc == japanese.ISO2022JP || tt.enc == nil {
				cte = "7bit"
			}
			m := mustParse(t, misnamed(enc(tt.from), enc(tt.subject), enc(tt.body), tt.wordLabel, tt.label, cte))
			nfc := norm.NFC.String
			if got := nfc(m.From.Name); got != nfc(tt.from) {
				t.Errorf("from %q, want %q", got, tt.from)
			}
			if got := nfc(m.Subject); got != nfc(tt.subject) {
				t.Errorf("subject %q, want %q", got, tt.subject)
			}
			if got := nfc(m.Text); got != nfc(tt.body) {
				t.Errorf("text %q, want %q", got, tt.body)
			}
		})
	}
}

func TestRelayedLatin1IsUndone(t *testing.T) {
	// A relay read these Big5 and windows-874 bytes as Latin-1 and sent
	// the result on as UTF-8, keeping the original label (the corpus has
	// such a Big5 spam, error_emails/content_transfer_encoding_empty.eml).
	tests := []struct {
		name, label string
		enc         encoding.Encoding
		text        string
	}{
		{"Big5 sent on as UTF-8", "big5", traditionalchinese.Big5, "大家說英語 每日聽MP3 繁體中文光碟版"},
		{"TIS-620 sent on as UTF-8", "tis-620", charmap.Windows874, "สวัสดีครับ สนใจสินค้า 50 ชิ้น"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			latin1, err := charmap.ISO8859_1.NewDecoder().Bytes(encodeIn(t, tt.enc, tt.text))
			if err != nil {
				t.Fatal(err)
			}
			raw := "From: a@example.org\r\nSubject: " + string(latin1) + "\r\nContent-Type: text/plain; charset=" + tt.label + "\r\n\r\n" + string(latin1) + "\r\n"
			m := mustParse(t, raw)
			if m.Subject != tt.text || m.Text != tt.text {
				t.Errorf("subject %q, text %q; want %q", m.Subject, m.Text, tt.text)
			}
		})
	}
}

func TestGuessCharset(t *testing.T) {
	tests := []struct {
		name string
		enc  encoding.Encoding
		text string
	}{
		{"a Thai inquiry in TIS-620", charmap.Windows874, "สวัสดีครับ สนใจสินค้า 50 ชิ้น กรุณาส่งใบเสนอราคาให้ด้วยครับ"},
		{"a Persian name in windows-1256", charmap.Windows1256, "مريم احمدي"},
		{"a Vietnamese name in windows-1258", charmap.Windows1258, "Nguy\u00ea\u0303n Thi\u0323 H\u01b0\u01a1ng"},
		{"a Polish name in ISO-8859-2", charmap.ISO8859_2, "Łukasz Żółć"},
		{"Polish in windows-1250", charmap.Windows1250, "Proszę o wycenę, źródło: Łódź"},
		{"Czech in ISO-8859-2", charmap.ISO8859_2, "Příliš žluťoučký kůň úpěl ďábelské ódy."},
		{"a short GBK subject", simplifiedchinese.GBK, "询价：不锈钢管"},
		{"a short Big5 subject", traditionalchinese.Big5, "詢價：電子零件"},
		{"Japanese in Shift_JIS", japanese.ShiftJIS, "お問い合わせありがとうございます。"},
		{"Japanese in EUC-JP", japanese.EUCJP, "お問い合わせありがとうございます。"},
		{"Korean in EUC-KR", korean.EUCKR, "안녕하세요, 견적 부탁드립니다."},
		{"Russian in windows-1251", charmap.Windows1251, "Здравствуйте, хотим заказать 100 штук."},
		{"Russian in KOI8-R", charmap.KOI8R, "Здравствуйте, хотим заказать 100 штук."},
		{"French in windows-1252", charmap.Windows1252, "Très bien, voilà la réponse. À bientôt!"},
		{"a price in euros", charmap.Windows1252, "Price: 100 €"},
		{"Spanish in windows-1252", charmap.Windows1252, "¿Cuánto cuesta? Señor Muñoz"},
		{"UTF-8 with one broken byte", nil, "Xin chào \xff tôi cần báo giá"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := []byte(tt.text)
			want := tt.text
			if tt.enc != nil {
				b = encodeIn(t, tt.enc, tt.text)
			} else {
				want = strings.ToValidUTF8(tt.text, "\uFFFD")
			}
			e, ok := guessCharset(b)
			if !ok {
				t.Fatalf("no guess")
			}
			got, err := e.NewDecoder().Bytes(b)
			if err != nil || string(got) != want {
				t.Errorf("read as %v: %q (%v), want %q", e, got, err, want)
			}
		})
	}
}

func FuzzDecodeBytes(f *testing.F) {
	f.Add([]byte("caf\xe9"), "x-unknown")
	f.Add([]byte("+AOk-t+AOk-"), "unicode-1-1-utf-7")
	f.Add([]byte("\xa4j\xaea"), "_big5$x")
	f.Add([]byte("\xc2\xa4j"), "big5")
	f.Fuzz(func(t *testing.T, b []byte, label string) {
		s := decodeBytes(b, label)
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			t.Fatalf("decodeBytes(%q, %q) = %q: invalid UTF-8 or NUL", b, label, s)
		}
	})
}

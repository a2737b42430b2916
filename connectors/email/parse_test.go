package email

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// mustParse parses raw with default options and checks the invariants of
// every message.
func mustParse(t testing.TB, raw string) *Message {
	t.Helper()
	m, err := parse([]byte(raw), ParseOptions{})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	checkMessage(t, m, ParseOptions{}.withDefaults())
	return m
}

func TestParseHeaders(t *testing.T) {
	raw := "Return-Path: <jan@example.pl>\r\n" +
		"Message-ID:  <CAF=abc.123@mail.gmail.com>\r\n" +
		"From: \"Kowalski, Jan\" <Jan.Kowalski@Example.PL>\r\n" +
		"Reply-To: sales@example.pl, =?utf-8?q?Anna_Nowak?= <anna@example.pl>\r\n" +
		"To: leads@leadwire.test, \"Bob\" <bob@leadwire.test>\r\n" +
		"Subject: Re: Offer\r\n\tfor 2025\r\n" +
		"Date: Tue, 12 Mar 2024 10:15:00 +0700\r\n" +
		"In-Reply-To: <first@leadwire.test>\r\n" +
		"References: <root@leadwire.test>\r\n <first@leadwire.test>\r\n" +
		"Auto-Submitted: no\r\n" +
		"\r\nHello\r\n"
	m := mustParse(t, raw)
	want := Message{
		MessageID: "CAF=abc.123@mail.gmail.com",
		From:      Address{Name: "Kowalski, Jan", Address: "Jan.Kowalski@Example.PL"},
		ReplyTo:   []Address{{Address: "sales@example.pl"}, {Name: "Anna Nowak", Address: "anna@example.pl"}},
		To:        []Address{{Address: "leads@leadwire.test"}, {Name: "Bob", Address: "bob@leadwire.test"}},
		Subject:   "Re: Offer for 2025",
		Date:      time.Date(2024, 3, 12, 3, 15, 0, 0, time.UTC),
	}
	if m.MessageID != want.MessageID || m.From != want.From || m.Subject != want.Subject || !m.Date.Equal(want.Date) {
		t.Errorf("got %q %v %q %v", m.MessageID, m.From, m.Subject, m.Date)
	}
	if fmt.Sprint(m.ReplyTo) != fmt.Sprint(want.ReplyTo) || fmt.Sprint(m.To) != fmt.Sprint(want.To) {
		t.Errorf("reply-to %v, to %v", m.ReplyTo, m.To)
	}
	if fmt.Sprint(m.InReplyTo) != "[first@leadwire.test]" || fmt.Sprint(m.References) != "[root@leadwire.test first@leadwire.test]" {
		t.Errorf("in-reply-to %v, references %v", m.InReplyTo, m.References)
	}
	if m.Headers.Get("Return-Path") != "<jan@example.pl>" || m.Headers.Get("Auto-Submitted") != "no" {
		t.Errorf("headers %v", m.Headers)
	}
	if m.Text != "Hello" || string(m.Raw) != raw || m.Truncated || m.Size != len(raw) {
		t.Errorf("text %q, raw %d bytes, truncated %v, size %d", m.Text, len(m.Raw), m.Truncated, m.Size)
	}
}

func TestMessageIDFallback(t *testing.T) {
	a := "From: a@example.org\nSubject: no id\n\nhello\n"
	b := "From: a@example.org\nSubject: no id\n\nhello!\n"
	ma, ma2, mb := mustParse(t, a), mustParse(t, a), mustParse(t, b)
	t.Run("a message without Message-ID gets a sha256 id", func(t *testing.T) {
		if !strings.HasPrefix(ma.MessageID, "sha256:") || len(ma.MessageID) != len("sha256:")+64 {
			t.Errorf("id %q", ma.MessageID)
		}
	})
	t.Run("a redelivered copy gets the same id", func(t *testing.T) {
		if ma.MessageID != ma2.MessageID {
			t.Errorf("%q != %q", ma.MessageID, ma2.MessageID)
		}
	})
	t.Run("another message gets another id", func(t *testing.T) {
		if ma.MessageID == mb.MessageID {
			t.Errorf("both %q", ma.MessageID)
		}
	})
	t.Run("an empty Message-ID counts as missing", func(t *testing.T) {
		if m := mustParse(t, "Message-ID: <>\nFrom: a@example.org\n\nx"); !strings.HasPrefix(m.MessageID, "sha256:") {
			t.Errorf("id %q", m.MessageID)
		}
	})
	t.Run("an id without brackets is kept", func(t *testing.T) {
		if m := mustParse(t, "Message-ID: abc@host\nFrom: a@example.org\n\nx"); m.MessageID != "abc@host" {
			t.Errorf("id %q", m.MessageID)
		}
	})
}

func TestDates(t *testing.T) {
	tests := []struct{ name, date, want string }{
		{"an RFC 5322 date is read in UTC", "Tue, 12 Mar 2024 10:15:00 +0700", "2024-03-12T03:15:00Z"},
		{"a date with a zone comment", "Tue, 12 Mar 2024 10:15:00 -0800 (PST)", "2024-03-12T18:15:00Z"},
		{"a date without a weekday and seconds", "12 Mar 2024 10:15 +0000", "2024-03-12T10:15:00Z"},
		{"an asctime date", "Tue Mar 12 10:15:00 2024", "2024-03-12T10:15:00Z"},
		{"an unreadable date is zero", "next Tuesday", "0001-01-01T00:00:00Z"},
		{"a date in the year 3609 is zero", "Mon, 30 Jun 3609 15:33:50 +0600", "0001-01-01T00:00:00Z"},
		{"a missing date is zero", "", "0001-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseDate(tt.date).Format(time.RFC3339); got != tt.want {
				t.Errorf("parseDate(%q) = %s, want %s", tt.date, got, tt.want)
			}
		})
	}
}

func TestAddresses(t *testing.T) {
	tests := []struct{ name, header, want string }{
		{"a plain list", "a@x.org, B <b@x.org>", "[a@x.org B <b@x.org>]"},
		{"a name with an unquoted comma and no quotes", "Doe, John <john@x.org>", "[Doe, John <john@x.org>]"},
		{"a name without angle brackets", "John Doe john@x.org", "[John Doe <john@x.org>]"},
		{"comments in the address", "Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>", "[Pete <pete@silly.test>]"},
		{"an encoded word inside quotes", `"=?utf-8?B?w6lsb2TDrWU=?=" <e@x.org>`, "[élodíe <e@x.org>]"},
		{"a GB2312 name", bWord("GB2312", []byte{0xcd, 0xf5, 0xd0, 0xa1, 0xc3, 0xf7}) + " <w@x.cn>", "[王小明 <w@x.cn>]"},
		{"a group", "Team: a@x.org, b@x.org;", "[a@x.org b@x.org]"},
		{"garbage", "not an address", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmt.Sprint(parseAddressList(tt.header, "")); got != tt.want {
				t.Errorf("parseAddressList(%q) = %s, want %s", tt.header, got, tt.want)
			}
		})
	}
}

func TestBodies(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"multipart/alternative prefers the plain text",
			"From: a@x.org\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\nplain\n--b\nContent-Type: text/html\n\n<p>html</p>\n--b--\n",
			"plain"},
		{"an empty plain alternative falls back to HTML",
			"From: a@x.org\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\n \n--b\nContent-Type: text/html\n\n<p>from <b>html</b></p>\n--b--\n",
			"from html"},
		{"an HTML-only message becomes readable text",
			"From: a@x.org\nContent-Type: text/html; charset=utf-8\n\n<html><head><style>p{color:red}</style><title>T</title></head><body><p>Hello&nbsp;there &amp; welcome</p><ul><li>one</li><li>two</li></ul><p><a href=\"https://x.org/p\">our price list</a></p><script>alert(1)</script></body></html>",
			"Hello there & welcome\n\n- one\n- two\n\nour price list (https://x.org/p)"},
		{"HTML without a charset parameter uses its meta charset",
			"From: a@x.org\nContent-Type: text/html\n\n<meta charset=\"windows-1251\"><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>",
			"Привет"},
		{"text parts of a mixed message are joined",
			"From: a@x.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b\nContent-Type: image/png\nContent-Disposition: attachment; filename=a.png\n\nxx\n--b\nContent-Type: text/plain\n\nsecond\n--b--\n",
			"first\n\nsecond"},
		{"a missing boundary parameter is guessed from the first line",
			"From: a@x.org\nContent-Type: multipart/mixed\n\n--xyz\nContent-Type: text/plain\n\nguessed\n--xyz--\n",
			"guessed"},
		{"an unterminated multipart keeps its parts",
			"From: a@x.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\ncut short",
			"cut short"},
		{"a multipart without any delimiter is read as text",
			"From: a@x.org\nContent-Type: multipart/mixed; boundary=b\n\njust text\n",
			"just text"},
		{"broken base64 keeps what decodes",
			"From: a@x.org\nContent-Transfer-Encoding: base64\n\nSGVsbG8g!!d29y\n\x00bGQ=\n",
			"Hello world"},
		{"broken quoted-printable keeps stray equals signs",
			"From: a@x.org\nContent-Transfer-Encoding: quoted-printable\n\n100% =ZZ sure=\n, caf=C3=A9 =",
			"100% =ZZ sure, café"},
		{"per-line padded base64 decodes line by line",
			"From: a@x.org\nContent-Transfer-Encoding: base64\n\nYQ==\nYg==\n",
			"ab"},
		{"a part without a header is text/plain",
			"From: a@x.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\nno header here\n--b--\n",
			"no header here"},
		{"a mix of CRLF and LF line endings",
			"From: a@x.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\nContent-Type: text/plain\r\n\r\nmixed\r\n--b--\n",
			"mixed"},
		{"an mbox From line is skipped",
			"From jan@x.org Tue Mar 12 10:15:00 2024\nFrom: jan@x.org\n\nbody",
			"body"},
		{"a malformed header line is skipped",
			"From: a@x.org\nthis is no header\nSubject: s\n\nbody",
			"body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, tt.raw)
			if m.Text != tt.want {
				t.Errorf("text %q, want %q (warnings %q)", m.Text, tt.want, m.Warnings)
			}
		})
	}
}

func TestAttachments(t *testing.T) {
	pdf := bytes.Repeat([]byte("%PDF-1.4 "), 13654) // 122,886 bytes
	raw := "From: a@x.org\nContent-Type: multipart/mixed; boundary=\"=_b\"\n\n" +
		"--=_b\nContent-Type: text/plain\n\nSee attached.\n" +
		"--=_b\nContent-Type: application/pdf; name=\"offer.pdf\"\nContent-Disposition: attachment; filename=\"offer.pdf\"\nContent-Transfer-Encoding: base64\n\n" +
		wrap(base64.StdEncoding.EncodeToString(pdf)) + "\n" +
		"--=_b\nContent-Type: application/octet-stream\nContent-Disposition: attachment;\n filename*=utf-8''Wycena%20Z%C5%BC%C3%B3%C5%82%C4%87.xlsx\n\nxlsx\n" +
		"--=_b\nContent-Type: application/octet-stream;\n name=\"=?ISO-2022-JP?B?GyRCJEYkOSRIGyhC?=.txt\"\n\nabc\n" +
		"--=_b\nContent-Type: text/plain; name=\"notes.txt\"\nContent-Disposition: attachment\nContent-Transfer-Encoding: quoted-printable\n\na=3Db\n" +
		"--=_b\nContent-Type: application/msword\nContent-Disposition: attachment; filename*0*=iso-8859-2''Umowa%20; filename*1*=%B3%F3d%BC.doc\n\nd\n" +
		"--=_b\nContent-Type: message/rfc822\n\nFrom: b@x.org\nSubject: Original offer\n\nold\n" +
		"--=_b--\n"
	m := mustParse(t, raw)
	want := []Attachment{
		{"offer.pdf", "application/pdf", int64(len(pdf))},
		{"Wycena Zżółć.xlsx", "application/octet-stream", 4},
		{"てすと.txt", "application/octet-stream", 3},
		{"notes.txt", "text/plain", 3},
		{"Umowa łódź.doc", "application/msword", 1},
		{"Original offer.eml", "message/rfc822", 42},
	}
	if fmt.Sprint(m.Attachments) != fmt.Sprint(want) {
		t.Errorf("attachments\n got %v\nwant %v", m.Attachments, want)
	}
	if m.Text != "See attached." {
		t.Errorf("text %q", m.Text)
	}
	in := ToInbound(m, Classify(m, ClassifyOptions{}), "sales", "")
	if s := in.Metadata["attachments"]; !strings.HasPrefix(s, "offer.pdf (application/pdf, 120 KB), Wycena Zżółć.xlsx (application/octet-stream, 4 B)") {
		t.Errorf("summary %q", s)
	}
}

// wrap breaks s into 76-character lines.
func wrap(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

func TestNotMail(t *testing.T) {
	tests := []struct{ name, raw string }{
		{"empty input", ""},
		{"white space", " \r\n\t\n"},
		{"binary garbage", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\xff\xfe"},
		{"plain text without a header", "Hello,\nthis is just text.\n\nBye"},
		{"a header that no mail has", "Note: remember the milk\n\nand eggs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.raw), ParseOptions{})
			if !errors.Is(err, ErrNotMail) || m != nil {
				t.Errorf("Parse = %v, %v; want ErrNotMail", m, err)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	t.Run("deep nesting stops at MaxDepth", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("From: a@x.org\n")
		for i := range 1000 {
			fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n", i, i)
		}
		b.WriteString("Content-Type: text/plain\n\ndeep\n")
		m := mustParse(t, b.String())
		if m.Text != "" || !hasWarning(m, "nested deeper") {
			t.Errorf("text %q, warnings %q", m.Text, m.Warnings)
		}
	})
	t.Run("part count stops at MaxParts", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("From: a@x.org\nContent-Type: multipart/mixed; boundary=b\n\n")
		for i := range 2000 {
			fmt.Fprintf(&b, "--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=%d.bin\n\nx\n", i)
		}
		m := mustParse(t, b.String())
		if len(m.Attachments) != 499 || !hasWarning(m, "more than 500") {
			t.Errorf("%d attachments, warnings %q", len(m.Attachments), m.Warnings)
		}
	})
	t.Run("a 20 MB message is parsed without copying its attachment", func(t *testing.T) {
		blob := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0xAB}, 15<<20))
		raw := []byte("From: a@x.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nsee the scan\n" +
			"--b\nContent-Type: image/tiff\nContent-Disposition: attachment; filename=scan.tif\nContent-Transfer-Encoding: base64\n\n" +
			wrap(blob) + "\n--b--\n")
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m, err := parse(raw, ParseOptions{})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if m.Size != len(raw) || len(m.Raw) != 1<<20 || !m.Truncated {
			t.Errorf("size %d, raw %d, truncated %v", m.Size, len(m.Raw), m.Truncated)
		}
		if len(m.Attachments) != 1 || m.Attachments[0].Size != 15<<20 || m.Text != "see the scan" {
			t.Errorf("attachments %v, text %q", m.Attachments, m.Text)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
			t.Errorf("parsing a %d MB message allocated %d MB", len(raw)>>20, alloc>>20)
		}
	})
	t.Run("a huge text part is cut at MaxText", func(t *testing.T) {
		m := mustParse(t, "From: a@x.org\n\n"+strings.Repeat("ż", 300<<10))
		if len(m.Text) > 256<<10 || len(m.Text) < 255<<10 {
			t.Errorf("text has %d bytes", len(m.Text))
		}
	})
	t.Run("a negative MaxRaw keeps no raw bytes", func(t *testing.T) {
		m, err := Parse([]byte("From: a@x.org\n\nx"), ParseOptions{MaxRaw: -1})
		if err != nil || m.Raw != nil || !m.Truncated {
			t.Errorf("raw %q, truncated %v, err %v", m.Raw, m.Truncated, err)
		}
	})
}

func hasWarning(m *Message, part string) bool {
	for _, w := range m.Warnings {
		if strings.Contains(w, part) {
			return true
		}
	}
	return false
}

func TestContentLanguageIsTheSendersLanguage(t *testing.T) {
	m := mustParse(t, "From: Jan <jan@example.pl>\r\nSubject: Oferta\r\nContent-Language: pl-PL\r\n\r\nDzień dobry\r\n")
	if m.Language != "pl-PL" {
		t.Fatalf("language %q", m.Language)
	}
	if in := ToInbound(m, Verdict{Contact: m.From}, "sales", ""); in.Locale != "pl-PL" {
		t.Errorf("inbound locale %q", in.Locale)
	}
	if m := mustParse(t, "From: jan@example.pl\r\n\r\nHi\r\n"); m.Language != "" {
		t.Errorf("no header, language %q", m.Language)
	}
}

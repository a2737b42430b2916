package chat

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"

	"leadwire/core"
)

// A tool's post is a lead someone else captured: a form service, a CRM or a
// Slack workflow posting "New lead" into an intake channel, one field a
// line ("*Email:* anna@firma.pl"). Its author is the tool, not the
// prospect, so the prospect is read from the text.

// postedField is the inbound field a label names.
type postedField int

const (
	postedName postedField = iota + 1
	postedFirstName
	postedLastName
	postedEmail
	postedPhone
	postedCompany
	postedSubject
	postedMessage
)

// postedLabels maps labels, folded (lower case, letters and digits only,
// see labelKey), to the field they name: English as form services and
// CRMs write them, and the languages of our users' own forms.
var postedLabels = func() map[string]postedField {
	m := map[string]postedField{}
	add := func(f postedField, labels ...string) {
		for _, l := range labels {
			m[labelKey(l)] = f
		}
	}
	add(postedName, "name", "full name", "your name", "contact", "contact name", "lead", "lead name", "customer", "customer name",
		"imię i nazwisko", "nazwisko i imię", "姓名", "名字", "联系人", "ชื่อ", "ชื่อ-นามสกุล", "ชื่อผู้ติดต่อ", "họ tên", "họ và tên", "tên", "نام", "نام و نام خانوادگی")
	add(postedFirstName, "first name", "given name", "imię", "名", "ชื่อจริง", "نام کوچک")
	add(postedLastName, "last name", "surname", "family name", "nazwisko", "姓", "นามสกุล", "họ", "نام خانوادگی")
	add(postedEmail, "email", "e-mail", "email address", "e-mail address", "mail", "work email", "business email",
		"adres e-mail", "adres email", "邮箱", "电子邮件", "电子邮箱", "อีเมล", "อีเมล์", "địa chỉ email", "ایمیل", "پست الکترونیک")
	add(postedPhone, "phone", "phone number", "telephone", "tel", "mobile", "mobile phone", "cell", "whatsapp",
		"telefon", "numer telefonu", "电话", "手机", "联系电话", "โทรศัพท์", "เบอร์โทร", "เบอร์โทรศัพท์", "số điện thoại", "điện thoại", "sđt",
		"تلفن", "شماره تلفن", "موبایل", "شماره همراه")
	add(postedCompany, "company", "company name", "organisation", "organization", "business", "account",
		"firma", "nazwa firmy", "公司", "公司名称", "บริษัท", "công ty", "شرکت", "نام شرکت")
	add(postedSubject, "subject", "topic", "temat", "主题", "หัวข้อ", "chủ đề", "موضوع")
	add(postedMessage, "message", "comments", "comment", "details", "enquiry", "inquiry", "question", "notes", "note", "description",
		"wiadomość", "treść", "留言", "内容", "ข้อความ", "รายละเอียด", "tin nhắn", "nội dung", "پیام", "توضیحات")
	return m
}()

var folder = cases.Fold()

// labelKey folds a label for lookup: case folded, with only its letters,
// marks and digits kept ("E-mail address:" and "email address" meet).
func labelKey(s string) string {
	s = folder.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// slackLink is Slack's markup of a link: <url> or <url|label>, with mailto:
// and tel: for addresses and numbers.
var slackLink = regexp.MustCompile(`<([^<>|]+)(?:\|([^<>]*))?>`)

// plainSlack turns Slack's markup back into the text a person sees: links
// become their labels (or addresses), emphasis marks go, entities are
// unescaped.
func plainSlack(s string) string {
	s = slackLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := slackLink.FindStringSubmatch(m)
		if sub[2] != "" {
			return sub[2]
		}
		target := sub[1]
		for _, p := range []string{"mailto:", "tel:"} {
			target = strings.TrimPrefix(target, p)
		}
		if strings.HasPrefix(target, "@") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "!") {
			return "" // a mention of a user, a channel or @here
		}
		return target
	})
	return html.UnescapeString(s)
}

// emailToken finds an address in free text.
var emailToken = regexp.MustCompile(`[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}`)

// postedInbound reads the prospect a tool posted into in: the labelled
// fields, else the first email address in the text. The message is the
// labelled one, else the whole post; every other "Label: value" line is
// kept as metadata.
func postedInbound(text string, in *core.Inbound) {
	text = plainSlack(text)
	in.Metadata = map[string]string{}
	var first, last, message string
	for _, line := range strings.Split(text, "\n") {
		label, value, ok := cutLabel(line)
		if !ok {
			continue
		}
		switch postedLabels[labelKey(label)] {
		case postedName:
			in.Name = value
		case postedFirstName:
			first = value
		case postedLastName:
			last = value
		case postedEmail:
			in.Email = value
		case postedPhone:
			in.Phone = value
		case postedCompany:
			in.Company = value
		case postedSubject:
			in.Subject = value
		case postedMessage:
			message = value
		default:
			if len(in.Metadata) < maxPostedMetadata {
				in.Metadata[core.Clean(label, 64)] = core.Clean(value, maxPostedValue)
			}
		}
	}
	if in.Name == "" {
		in.Name = strings.TrimSpace(first + " " + last)
	}
	if in.Email == "" {
		in.Email = emailToken.FindString(text)
	}
	in.Text = strings.TrimSpace(text)
	if message != "" {
		in.Text = message
	}
}

// A post's extra fields kept: so many, each value at most so long.
const (
	maxPostedMetadata = 20
	maxPostedValue    = 500
)

// cutLabel splits "*Email:* anna@firma.pl" (or "• 电话：138…", with a
// full-width colon) into its label and value; ok is false for a line that
// is not one field.
func cutLabel(line string) (label, value string, ok bool) {
	line = strings.TrimLeft(strings.TrimSpace(line), "•*-·>_ ")
	i := strings.IndexAny(line, ":：")
	if i < 0 {
		return "", "", false
	}
	_, width := utf8.DecodeRuneInString(line[i:])
	label = strings.Trim(line[:i], "*_ ")
	value = strings.TrimSpace(strings.Trim(strings.TrimSpace(line[i+width:]), "*_"))
	if label == "" || value == "" || strings.HasPrefix(value, "//") || utf8.RuneCountInString(label) > 40 {
		return "", "", false // not a field, or a link's scheme
	}
	return label, value, true
}

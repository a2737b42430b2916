package core

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// NormalizeEmail returns the lower-cased bare address of s ("Anna
// <Anna@Example.PL>" → "anna@example.pl").
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if n := utf8.RuneCountInString(s); n > 4*MaxEmail {
		// Too long to be an address with a display name either: not
		// parsed, nor quoted back in full.
		return "", Errorf(KindInvalid, "an email address of %d characters is too long; an address has at most %d bytes, %d before the @", n, MaxEmail, MaxEmailLocal)
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", Fail(KindInvalid, "error.invalid_email", `invalid email address "{Value}"`, "Value", s)
	}
	addr := strings.ToLower(a.Address)
	local, _, _ := strings.Cut(addr, "@")
	if len(addr) > MaxEmail || len(local) > MaxEmailLocal {
		// RFC 5321 counts octets, for addresses in any script (RFC 6531).
		return "", Errorf(KindInvalid, "email address %q is too long; an address has at most %d bytes, %d before the @", Clean(addr, 80)+"…", MaxEmail, MaxEmailLocal)
	}
	return addr, nil
}

// NormalizePhone returns s in E.164 ("+66812345678"). A number without a
// country code is read in region (ISO 3166 alpha-2, e.g. "TH"). A number
// that libphonenumber does not know as a valid one is invalid: a US
// number written without its +1 on a Warsaw row is not a Polish number.
func NormalizePhone(s, region string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if n := utf8.RuneCountInString(s); n > MaxPhoneText {
		return "", Errorf(KindInvalid, "a phone number of %d characters is too long; it has at most %d", n, MaxPhoneText)
	}
	region = strings.ToUpper(region)
	if region == "" {
		region = "ZZ"
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		if where := phoneWhere(s, region); where != "" {
			return "", Fail(KindInvalid, "error.invalid_phone_in", `invalid phone number "{Value}" (not a valid number in {Region}); write it with its country code, e.g. +48 601 234 567`, "Value", s, "Region", strings.ToUpper(region))
		}
		return "", Fail(KindInvalid, "error.invalid_phone", `invalid phone number "{Value}" (not a valid number); write it with its country code, e.g. +48 601 234 567`, "Value", s)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// phoneWhere is " in PL" when s, no valid number, was read as a number of
// region (it has no country code of its own), else "".
func phoneWhere(s, region string) string {
	region = strings.ToUpper(region)
	if region == "" || region == "ZZ" {
		return ""
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil || phonenumbers.GetRegionCodeForCountryCode(int(n.GetCountryCode())) != region {
		return ""
	}
	return " in " + region
}

// NormalizeHandle lower-cases the channel part of "telegram:12345" and trims
// the rest; a handle without a channel is invalid.
func NormalizeHandle(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if n := utf8.RuneCountInString(s); n > MaxHandle {
		return "", Errorf(KindInvalid, "a chat handle of %d characters is too long; it has at most %d", n, MaxHandle)
	}
	ch, id, ok := strings.Cut(s, ":")
	if !ok || ch == "" || strings.TrimSpace(id) == "" {
		return "", Errorf(KindInvalid, "invalid chat handle %q; write it as channel:id, e.g. telegram:12345", s)
	}
	return strings.ToLower(ch) + ":" + strings.TrimSpace(id), nil
}

// cleanText drops control characters (but keeps newlines and tabs) and
// invalid UTF-8 from user-supplied text.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// Clean makes user-supplied text fit to keep as metadata or in a message:
// valid UTF-8, no control characters but newlines and tabs (nor the
// Unicode line and paragraph separators), trimmed, at most n characters.
func Clean(s string, n int) string {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, cleanText(s)))
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n])
	}
	return s
}

// cleanLine is cleanText without line breaks, for names and subjects.
func cleanLine(s string) string {
	return strings.Join(strings.Fields(cleanText(s)), " ")
}

// ValidName reports whether s can name a web form, a webhook source or a
// sequence, in the config and in URLs: ASCII letters, digits, '-', '_' and
// '.', up to 64.
func ValidName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

package core

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Bounds of what an inbound says, from the RFCs where there is one. An
// identity past its bound is refused with an error for the sender: cut
// short, it would be someone else's address or number. Free text is cut
// and the outcome says so: a lead with an overlong name is still a lead,
// and refusing it would lose the rest of it.
const (
	MaxEmail         = 254 // RFC 5321 4.5.3.1.3 path, less its angle brackets (RFC 3696 erratum 1690)
	MaxEmailLocal    = 64  // RFC 5321 4.5.3.1.1
	MaxPhoneText     = 64  // E.164 has at most 15 digits: room for spaces, punctuation, an extension
	MaxHandle        = 128 // "telegram:" and a 64-bit id, "slack:" and a member id, with room to spare
	MaxName          = 200
	MaxCompany       = 200
	MaxSubject       = 998 // RFC 5322 2.1.1 line length
	MaxTitle         = 200
	MaxMetadataKey   = 64
	MaxMetadataValue = 2000
)

// Reading is what an inbound says once read: its free text cleaned and cut
// to bounds, its contact's keys normalized.
type Reading struct {
	In       Inbound // name, company, subject and metadata cleaned and cut
	Email    string  // normalized; "" none
	Phone    string  // E.164; "" none or not a valid number
	Handle   string  // "channel:id"; "" none
	TimeZone string
	Locale   string // BCP 47, canonical; "" unknown or not a language tag
	// InvalidPhone is the phone as written when it is not a valid
	// number: kept on the contact to read, never matched on.
	InvalidPhone string
	// Notes say what was kept otherwise than written.
	Notes []string
	// Problems are why the inbound cannot be stored, each a KindInvalid
	// error fit for its sender.
	Problems []error
}

// Err is the first problem, nil when there is none.
func (r *Reading) Err() error {
	if len(r.Problems) == 0 {
		return nil
	}
	return r.Problems[0]
}

// ReadInbound reads an inbound the one way every capture and import path
// shares; region (ISO 3166, e.g. "PL") is where a phone number without a
// country code is from.
func ReadInbound(in Inbound, region string) Reading {
	r := Reading{In: in}
	problem := func(err error) { r.Problems = append(r.Problems, err) }
	var err error
	if r.Email, err = NormalizeEmail(in.Email); err != nil {
		problem(err)
	}
	if r.Handle, err = NormalizeHandle(in.Handle); err != nil {
		problem(err)
	}
	raw := strings.TrimSpace(in.Phone)
	switch r.Phone, err = NormalizePhone(raw, region); {
	case err == nil:
	case utf8.RuneCountInString(raw) > MaxPhoneText:
		problem(err)
	default:
		r.InvalidPhone = cleanLine(raw)
		r.Notes = append(r.Notes, fmt.Sprintf("phone number %q is not a valid number%s: kept on the contact as written, not used to find them", r.InvalidPhone, phoneWhere(raw, region)))
	}
	if r.Email == "" && r.Phone == "" && r.Handle == "" && len(r.Problems) == 0 {
		if r.InvalidPhone != "" {
			problem(Errorf(KindInvalid, "%s; and there is no email or chat handle to reach the contact by", Message(err)))
		} else {
			problem(Errorf(KindInvalid, "inbound has no email, phone or chat handle to reach the contact by"))
		}
	}
	r.Locale = readLocale(in.Locale)
	r.TimeZone = strings.TrimSpace(in.TimeZone)
	if err := ValidateTimeZone(r.TimeZone); err != nil {
		problem(err)
	}
	cut := func(what, s string, n int) string {
		c, long := cutText(s, n)
		if long {
			r.Notes = append(r.Notes, fmt.Sprintf("the %s was %d characters: cut to %d", what, utf8.RuneCountInString(s), n))
		}
		return c
	}
	r.In.Name = cut("name", cleanLine(in.Name), MaxName)
	r.In.Company = cut("company", cleanLine(in.Company), MaxCompany)
	r.In.Subject = cut("subject", cleanLine(in.Subject), MaxSubject)
	if len(in.Metadata) > 0 {
		r.In.Metadata = make(map[string]string, len(in.Metadata))
		for _, k := range slices.Sorted(maps.Keys(in.Metadata)) {
			key := cut("metadata key", k, MaxMetadataKey)
			r.In.Metadata[key] = cut(fmt.Sprintf("value of %q", key), in.Metadata[k], MaxMetadataValue)
		}
	}
	return r
}

// cutText cuts s to at most n characters, the last an ellipsis when it
// cut; long reports that it did.
func cutText(s string, n int) (cut string, long bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	return string([]rune(s)[:n-1]) + "…", true
}

// readLocale reads a prospect's language as a source gives it: a tag
// ("th", "zh_CN") or an Accept-Language or Content-Language list
// ("pl-PL,pl;q=0.9,en;q=0.8", "fa, en"), of which the first counts. What
// is no language is dropped: a lead is not refused over it.
func readLocale(s string) string {
	s, _, _ = strings.Cut(s, ",")
	s, _, _ = strings.Cut(s, ";")
	if tag, err := ParseLocale(s); err == nil && tag != "und" {
		return tag
	}
	return ""
}

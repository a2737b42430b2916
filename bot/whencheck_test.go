package bot

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A date phrase is read whole, in both day-month orders, with numeric and
// ISO dates, times with and without minutes, weekdays and relative words,
// and the task title after it stays as typed.
func TestDatePhrasesAreReadAsTyped(t *testing.T) {
	p := newDates()
	// Monday 2 November 2026, 09:00 UTC: 16:00 in Bangkok, 12:30 in Tehran, 10:00 in Warsaw.
	monday := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	// Warsaw goes to summer time on Sunday 29 March 2026 at 02:00 and back
	// on Sunday 25 October 2026 at 03:00.
	march := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	october := time.Date(2026, 10, 20, 8, 0, 0, 0, time.UTC)
	tests := []found{
		{"day then month", "Asia/Bangkok", monday, "12 dec 16:30 call", "2026-12-12T16:30:00+07:00", "call"},
		{"month then day", "Asia/Bangkok", monday, "dec 12 4:30pm call", "2026-12-12T16:30:00+07:00", "call"},
		{"day then the month spelled out", "Asia/Bangkok", monday, "12 December 16:30 call Somchai", "2026-12-12T16:30:00+07:00", "call Somchai"},
		{"the month spelled out then an ordinal", "Asia/Bangkok", monday, "December 12th 16:30 call", "2026-12-12T16:30:00+07:00", "call"},
		{"an ordinal of the month", "Asia/Bangkok", monday, "12th of december send the quote", "2026-12-12T09:00:00+07:00", "send the quote"},
		{"a day, month and year", "Asia/Bangkok", monday, "12 dec 2026 call", "2026-12-12T09:00:00+07:00", "call"},
		{"a month, day and year", "Asia/Bangkok", monday, "dec 12, 2027 call", "2027-12-12T09:00:00+07:00", "call"},
		{"on and at around a date", "Asia/Bangkok", monday, "on 12 dec at 16:30 call", "2026-12-12T16:30:00+07:00", "call"},
		{"a date with a dot after the month", "Asia/Bangkok", monday, "12.12. 16:30 call", "2026-12-12T16:30:00+07:00", "call"},
		{"a dotted date with a year", "Asia/Bangkok", monday, "12.12.2026 16:30 call", "2026-12-12T16:30:00+07:00", "call"},
		{"a slash date that reads the same both ways", "Asia/Bangkok", monday, "12/12 16:30 call", "2026-12-12T16:30:00+07:00", "call"},
		{"a slash date that is day first only", "Asia/Bangkok", monday, "24/12 call", "2026-12-24T09:00:00+07:00", "call"},
		{"a slash date that is month first only", "Asia/Bangkok", monday, "12/24 call", "2026-12-24T09:00:00+07:00", "call"},
		{"an ISO date and time", "Asia/Bangkok", monday, "2026-12-12 16:30 call", "2026-12-12T16:30:00+07:00", "call"},
		{"a time with minutes", "Asia/Bangkok", monday, "16:30 call", "2026-11-02T16:30:00+07:00", "call"},
		{"a time with minutes and pm", "Asia/Bangkok", monday, "4:30pm call", "2026-11-02T16:30:00+07:00", "call"},
		{"an hour with pm", "Asia/Bangkok", monday, "4pm call", "2026-11-02T16:00:00+07:00", "call"},
		{"an hour with h", "Asia/Bangkok", monday, "16h call", "2026-11-02T16:00:00+07:00", "call"},
		{"an hour and minutes with h", "Asia/Bangkok", monday, "16h30 call", "2026-11-02T16:30:00+07:00", "call"},
		{"a day and an hour with h", "Asia/Bangkok", monday, "tomorrow 9h call", "2026-11-03T09:00:00+07:00", "call"},
		{"an hour and a spaced am", "Asia/Bangkok", monday, "tomorrow 9 am call", "2026-11-03T09:00:00+07:00", "call"},
		{"a weekday", "Asia/Bangkok", monday, "wed 10:00 demo", "2026-11-04T10:00:00+07:00", "demo"},
		{"a weekday that is the date's", "Asia/Bangkok", monday, "sat 12 dec call", "2026-12-12T09:00:00+07:00", "call"},
		{"tomorrow at an hour", "Asia/Bangkok", monday, "tomorrow 9am call", "2026-11-03T09:00:00+07:00", "call"},
		{"in hours", "Asia/Bangkok", monday, "in 2 hours call", "2026-11-02T18:00:00+07:00", "call"},
		{"in an hour and a half as h", "Asia/Bangkok", monday, "in 16h call", "2026-11-03T08:00:00+07:00", "call"},
		{"next friday", "Asia/Bangkok", monday, "next friday call", "2026-11-06T09:00:00+07:00", "call"},
		{"a title that starts with a number after a time", "Asia/Bangkok", monday, "tomorrow 9am 20 units to quote", "2026-11-03T09:00:00+07:00", "20 units to quote"},
		{"the phrase at the end", "Asia/Bangkok", monday, "call Anna 12 dec 16:30", "2026-12-12T16:30:00+07:00", "call Anna"},
		{"Tehran, a day and month", "Asia/Tehran", monday, "12 dec 16:30 call", "2026-12-12T16:30:00+03:30", "call"},
		{"Tehran, an hour with h", "Asia/Tehran", monday, "16h call", "2026-11-02T16:00:00+03:30", "call"},
		{"Tehran, in hours from 12:30", "Asia/Tehran", monday, "in 2 hours call", "2026-11-02T14:30:00+03:30", "call"},
		{"Warsaw, the day of the spring change after it", "Europe/Warsaw", march, "29 mar 9:00 call", "2026-03-29T09:00:00+02:00", "call"},
		{"Warsaw, the hour before the spring change", "Europe/Warsaw", march, "29.03. 1:30 call", "2026-03-29T01:30:00+01:00", "call"},
		{"Warsaw, the repeated hour in autumn is its first", "Europe/Warsaw", october, "25 oct 2:30 call", "2026-10-25T02:30:00+02:00", "call"},
		{"Warsaw, after the autumn change", "Europe/Warsaw", october, "oct 25 16h call", "2026-10-25T16:00:00+01:00", "call"},
		{"Warsaw, a winter date", "Europe/Warsaw", monday, "12.12.2026 16:30 call", "2026-12-12T16:30:00+01:00", "call"},
	}
	checkFound(t, p, tests)
}

// A phrase that cannot be read whole is refused with a reason, never read
// as another day or time.
func TestDatePhrasesThatAreRefused(t *testing.T) {
	p := newDates()
	monday := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	march := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name, zone, phrase, why string
	}{
		{"a number after a date that could be an hour", "Asia/Bangkok", "12 dec 16 call", `"16" after "12 dec"`},
		{"a slash date with no locale to order it", "Asia/Bangkok", "3/4 call", "could be 3 apr or mar 4"},
		{"a day the month does not have", "Asia/Bangkok", "31 feb call", "February has 28 days"},
		{"29 February outside a leap year", "Asia/Bangkok", "29.02.2027 call", "only in leap years"},
		{"a thirteenth month", "Asia/Bangkok", "12.13. call", "12 months"},
		{"a weekday that is not the date's", "Asia/Bangkok", "fri 12 dec call", "12 Dec 2026 is a Saturday, not a Friday"},
		{"a day and a time sharing a number", "Asia/Bangkok", "dec 12:30 call", "two ways"},
		{"a word inside the phrase", "Asia/Bangkok", "tomorrow xx 9am call", `"xx"`},
		{"a bare number after a day", "Asia/Bangkok", "tomorrow 3 samples", `"3" after "tomorrow"`},
		{"a lone a after an hour", "Asia/Bangkok", "tomorrow 9 a customer call", `"9"`},
		{"a dash between numbers", "Asia/Bangkok", "12-12 call", `"12"`},
		{"a time the clocks skip in Warsaw", "Europe/Warsaw", "29 mar 2:30 call", "02:30 does not exist"},
		{"a month beside the phrase", "Asia/Bangkok", "16:30 dec call", "two ways"},
		{"a month after a time", "Asia/Bangkok", "tomorrow 9am dec call", `"dec" after "tomorrow 9am"`},
		{"a time spelled with a dot", "Asia/Bangkok", "tomorrow 16.30 call", `"16.30"`},
		{"pm after an hour past 12", "Asia/Bangkok", "13pm call", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := zone(t, tt.zone)
			now := monday
			if tt.zone == "Europe/Warsaw" {
				now = march
			}
			if at, rest, ok := p.find(tt.phrase, now, loc); ok {
				t.Fatalf("find(%q) = %s, rest %q; want a refusal", tt.phrase, at.In(loc).Format(time.RFC3339), rest)
			}
			_, _, err := p.read(tt.phrase, now, loc, orderUnknown)
			var de *dateError
			if tt.why != "" && (!errors.As(err, &de) || !strings.Contains(de.msg, tt.why)) {
				t.Errorf("read(%q) = %v; want a refusal saying %q", tt.phrase, err, tt.why)
			}
		})
	}
}

func TestSlashDatesFollowTheLocale(t *testing.T) {
	p := newDates()
	monday := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		locale string
		want   string // 3/4 read as
	}{
		{"pl", "2027-04-03"},
		{"th", "2027-04-03"},
		{"vi", "2027-04-03"},
		{"en-GB", "2027-04-03"},
		{"en-US", "2027-03-04"},
		{"en", "2027-03-04"},
		{"zh-Hans", "2027-03-04"},
		{"fa", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run("3/4 for "+cmpOr(tt.locale, "no locale"), func(t *testing.T) {
			at, _, err := p.read("3/4 call", monday, time.UTC, orderFor(tt.locale))
			switch {
			case tt.want == "" && err == nil:
				t.Fatalf("read as %s; want a refusal", at.Format(time.DateOnly))
			case tt.want != "" && (err != nil || at.Format(time.DateOnly) != tt.want):
				t.Fatalf("read as %s, %v; want %s", at.Format(time.DateOnly), err, tt.want)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// typedDay finds a day and month written outright in text, independently
// of the parser: "12 dec", "dec 12", "12.12.", "24/12".
var typedDay = regexp.MustCompile(`(?i)(?:^|\s)(?:(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})\.(\d{1,2})\.)(?:[\s,;!]|\d|$)`)

func FuzzDatePhrasesRoundTrip(f *testing.F) {
	for _, s := range []string{"12 dec 16:30 call", "dec 12 4:30pm call", "December 12th 16:30", "12.12. 16:30 call",
		"12.12.2026 call", "12/12 call", "3/4 call", "16h call", "9 am call", "tomorrow 9am call", "in 2 hours", "next friday",
		"fri 12 dec", "12 dec 16 call", "31 feb", "29 mar 2:30", "dec 12:30", "12th of december 2026"} {
		f.Add(s, uint8(0))
	}
	p := newDates()
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	locs := []*time.Location{}
	for _, name := range []string{"Asia/Bangkok", "Asia/Tehran", "Europe/Warsaw"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			f.Fatal(err)
		}
		locs = append(locs, loc)
	}
	f.Fuzz(func(t *testing.T, text string, which uint8) {
		loc := locs[int(which)%len(locs)]
		at, rest, err := p.read(text, now, loc, orderDayFirst)
		if err != nil {
			return
		}
		if at.IsZero() || len(rest) > len(text) {
			t.Fatalf("read(%q) = %v, %q", text, at, rest)
		}
		phrase := strings.TrimSpace(strings.Replace(text, rest, "", 1))
		m := typedDay.FindStringSubmatch(" " + phrase + " ")
		if m == nil || rest != "" && strings.Contains(rest, strings.TrimSpace(m[0])) {
			return
		}
		day, month := m[1], m[2]
		switch {
		case m[3] != "":
			day, month = m[4], m[3]
		case m[5] != "":
			day, month = m[5], m[6]
		}
		d, _ := strconv.Atoi(day)
		mo, err := strconv.Atoi(month)
		if err != nil {
			mo = months[strings.ToLower(month)[:3]]
		}
		if got := at.In(loc); got.Day() != d || int(got.Month()) != mo {
			t.Fatalf("read(%q) = %s; the phrase says day %d, month %d", text, got.Format(time.RFC3339), d, mo)
		}
	})
}

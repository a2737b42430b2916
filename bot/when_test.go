package bot

import (
	"strings"
	"testing"
	"time"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestDatePhrases(t *testing.T) {
	p := newDates()
	// Monday 2 November 2026, 09:00 UTC: 16:00 in Bangkok, 12:30 in Tehran.
	monday := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	// Warsaw leaves winter time on Sunday 29 March 2026 (02:00 → 03:00)
	// and returns on Sunday 25 October 2026 (03:00 → 02:00).
	springEve := time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC)    // Sat 10:00 CET
	springNight := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC) // Sun 01:30 CET
	autumnEve := time.Date(2026, 10, 24, 8, 0, 0, 0, time.UTC)   // Sat 10:00 CEST
	lastOfJan := time.Date(2027, 1, 31, 8, 0, 0, 0, time.UTC)
	december := time.Date(2026, 12, 10, 8, 0, 0, 0, time.UTC)

	tests := []found{
		{"tomorrow at a given hour", "Asia/Bangkok", monday, "tomorrow 9am call back", "2026-11-03T09:00:00+07:00", "call back"},
		{"the phrase may end the text", "Asia/Bangkok", monday, "call back tomorrow at 3pm", "2026-11-03T15:00:00+07:00", "call back"},
		{"a day without a time is 09:00", "Asia/Bangkok", monday, "tomorrow", "2026-11-03T09:00:00+07:00", ""},
		{"in days keeps the time of day", "Asia/Bangkok", monday, "in 3 days send the quote", "2026-11-05T16:00:00+07:00", "send the quote"},
		{"a weekday and a time", "Asia/Bangkok", monday, "fri 14:00", "2026-11-06T14:00:00+07:00", ""},
		{"a weekday spelled out", "Asia/Bangkok", monday, "on Friday 9:30 demo", "2026-11-06T09:30:00+07:00", "demo"},
		{"today's weekday later today", "Asia/Bangkok", monday, "mon 17:00", "2026-11-02T17:00:00+07:00", ""},
		{"today's weekday once its time has passed", "Asia/Bangkok", monday, "mon", "2026-11-09T09:00:00+07:00", ""},
		{"next and today's weekday", "Asia/Bangkok", monday, "next monday 10:00", "2026-11-09T10:00:00+07:00", ""},
		{"next week is its Monday", "Asia/Bangkok", monday, "next week", "2026-11-09T09:00:00+07:00", ""},
		{"next month is its first", "Asia/Bangkok", monday, "next month", "2026-12-01T09:00:00+07:00", ""},
		{"an ISO date and time", "Asia/Bangkok", monday, "2026-12-01 14:00 demo", "2026-12-01T14:00:00+07:00", "demo"},
		{"an ISO date at the end", "Asia/Bangkok", monday, "demo 2026-12-01", "2026-12-01T09:00:00+07:00", "demo"},
		{"a month and day", "Asia/Bangkok", monday, "dec 24 noon", "2026-12-24T12:00:00+07:00", ""},
		{"a day and month with a slash", "Asia/Bangkok", monday, "24/12 10:00", "2026-12-24T10:00:00+07:00", ""},
		{"hours", "Asia/Bangkok", monday, "2h", "2026-11-02T18:00:00+07:00", ""},
		{"hours and minutes", "Asia/Bangkok", monday, "1h30m", "2026-11-02T17:30:00+07:00", ""},
		{"in words", "Asia/Bangkok", monday, "in an hour", "2026-11-02T17:00:00+07:00", ""},
		{"weeks", "Asia/Bangkok", monday, "in 2 weeks", "2026-11-16T16:00:00+07:00", ""},
		{"months", "Asia/Bangkok", monday, "in 2 months", "2027-01-02T16:00:00+07:00", ""},
		{"midnight", "Asia/Bangkok", monday, "tomorrow 12am", "2026-11-03T00:00:00+07:00", ""},
		{"Tehran's half-hour offset", "Asia/Tehran", monday, "tomorrow 9am", "2026-11-03T09:00:00+03:30", ""},
		{"Tehran, a weekday", "Asia/Tehran", monday, "fri 14:00", "2026-11-06T14:00:00+03:30", ""},
		{"Tehran, hours from 12:30", "Asia/Tehran", monday, "in 2 hours", "2026-11-02T14:30:00+03:30", ""},
		{"into summer time, tomorrow 9am", "Europe/Warsaw", springEve, "tomorrow 9am", "2026-03-29T09:00:00+02:00", ""},
		{"into summer time, a day keeps 10:00", "Europe/Warsaw", springEve, "in 1 day", "2026-03-29T10:00:00+02:00", ""},
		{"into summer time, 24h are elapsed", "Europe/Warsaw", springEve, "24h", "2026-03-29T11:00:00+02:00", ""},
		{"across the missing hour, 2h are elapsed", "Europe/Warsaw", springNight, "2h", "2026-03-29T04:30:00+02:00", ""},
		{"out of summer time, tomorrow 9am", "Europe/Warsaw", autumnEve, "tomorrow 9am", "2026-10-25T09:00:00+01:00", ""},
		{"out of summer time, in 3 days", "Europe/Warsaw", autumnEve, "in 3 days", "2026-10-27T10:00:00+01:00", ""},
		{"feb 15 said on 31 January", "Europe/Warsaw", lastOfJan, "feb 15", "2027-02-15T09:00:00+01:00", ""},
		{"a January date said in December", "Europe/Warsaw", december, "jan 5 10:00", "2027-01-05T10:00:00+01:00", ""},
	}
	checkFound(t, p, tests)
}

func TestTextsThatAreNotDates(t *testing.T) {
	p := newDates()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for _, text := range []string{"", "call back", "soon", "call tomorrow back please", "2026-02-30", "satisfaction survey"} {
		if at, rest, ok := p.find(text, now, time.UTC); ok {
			t.Errorf("find(%q) = %s, rest %q; want no date", text, at, rest)
		}
	}
	if _, ok := p.whole("2h and a coffee", now, time.UTC); ok {
		t.Errorf("whole accepted a phrase followed by other words")
	}
}

func TestTimesAreShownInTheZone(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	at := time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)
	if got := formatZoned(at, zone(t, "Asia/Bangkok"), now); got != "Fri 27 Nov 14:00 (Asia/Bangkok)" {
		t.Errorf("got %q", got)
	}
	if got := formatZoned(at.AddDate(1, 0, 0), zone(t, "Asia/Tehran"), now); got != "Sat 27 Nov 2027 10:30 (Asia/Tehran)" {
		t.Errorf("got %q", got)
	}
}

func FuzzDates(f *testing.F) {
	for _, s := range []string{"tomorrow 9am call", "in 3 days", "fri 14:00", "next week", "2026-12-01 14:00", "1h30m", "24/12", "jan 5", "in a few weeks"} {
		f.Add(s)
	}
	p := newDates()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	loc := time.FixedZone("+0330", 3*3600+1800)
	f.Fuzz(func(t *testing.T, text string) {
		at, rest, ok := p.find(text, now, loc)
		if !ok {
			return
		}
		if at.IsZero() || len(rest) > len(text) {
			t.Fatalf("find(%q) = %v, %q", text, at, rest)
		}
		for _, w := range strings.Fields(rest) {
			if !strings.Contains(text, w) {
				t.Fatalf("find(%q) rest %q has %q, not in the text", text, rest, w)
			}
		}
	})
}

// found is a phrase find must read as typed: the time it names in zone,
// said at now, and the text around it.
type found struct {
	name, zone string
	now        time.Time
	phrase     string
	want       string // RFC 3339 in the zone
	rest       string
}

// checkFound runs find on each phrase of a table of found.
func checkFound(t *testing.T, p *dates, tests []found) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := zone(t, tt.zone)
			at, rest, ok := p.find(tt.phrase, tt.now, loc)
			if !ok {
				t.Fatalf("find(%q) found no date", tt.phrase)
			}
			if got := at.In(loc).Format(time.RFC3339); got != tt.want || rest != tt.rest {
				t.Fatalf("find(%q) = %s, rest %q; want %s, rest %q", tt.phrase, got, rest, tt.want, tt.rest)
			}
		})
	}
}

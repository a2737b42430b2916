package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	dps "github.com/markusmobius/go-dateparser"
)

// monthReader reads a day and a month's name in a language ("15 ธ.ค.",
// "15 ธันวาคม", "۱۵ دسامبر") with go-dateparser, which has every language's
// month names and abbreviations from CLDR; the Solar Hijri months ("۱۵
// آذر") it converts itself. One reader serves every conversation:
// go-dateparser's Parser is safe for concurrent use (it reads one date at
// a time), and it is built once, with the reader of dates.
type monthReader struct {
	p *dps.Parser
}

func newMonthReader() *monthReader {
	return &monthReader{p: &dps.Parser{ParserTypes: []dps.ParserType{dps.AbsoluteTime}}}
}

// persianMonths are the Solar Hijri months as Iran writes them; a date
// naming one is read in that calendar whatever the person's setting.
var persianMonths = []string{"فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"}

// date reads day and the month's name word (and year, 0 when not said) in
// lang and returns the ISO date it names; a date without a year is the
// next one from now. ok is false when word is not a month's name.
func (r *monthReader) date(lang string, day int, word string, year int, now time.Time) (string, bool) {
	word = strings.TrimSpace(word)
	if day < 1 || day > 31 || word == "" {
		return "", false
	}
	if lang == "fa" {
		for i, m := range persianMonths {
			if word == m {
				return persianDay(day, i+1, year, now), true
			}
		}
	}
	y := year
	if y == 0 {
		y = now.Year()
	}
	cfg := &dps.Configuration{Languages: []string{lang}, DateOrder: dps.DMY, CurrentTime: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)}
	d, err := r.p.Parse(cfg, strconv.Itoa(day)+" "+word+" "+strconv.Itoa(y))
	if err != nil || d.IsZero() || d.Time.Day() != day || d.Time.Year() != y {
		return "", false
	}
	at := time.Date(y, d.Time.Month(), day, 0, 0, 0, 0, time.UTC)
	if year == 0 && at.Before(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)) {
		at = at.AddDate(1, 0, 0) // "15 stycznia" in December: next year's
	}
	return at.Format(time.DateOnly), true
}

// persianDay is the ISO date of day and month in the Solar Hijri year
// (the next such day when the year is not said).
func persianDay(day, month, year int, now time.Time) string {
	if year == 0 {
		jy, jm, jd := persianDate(now.Year(), int(now.Month()), now.Day())
		year = jy
		if month < jm || month == jm && day < jd {
			year++
		}
	}
	if day > 31 || month <= 6 && day > 31 || month > 6 && day > 30 {
		return "0000-00-00" // refused by the reader as no such day
	}
	y, m, d := gregorianOfPersian(year, month, day)
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

package bot

import (
	"cmp"
	"fmt"
	"time"
)

// The days a phrase names, written as the grammar's ISO dates from the
// person's today and calendar.

// gregorianYear turns a year the person wrote in their calendar into the
// Gregorian one: 2569 is 2026 in the Buddhist era, as Thai writes years.
func (e *env) gregorianYear(y int) int {
	if y >= 2400 && y < 2700 {
		return y - 543
	}
	return y
}

// isoDate writes a date the person wrote as the grammar's ISO date; a
// year between 1300 and 1700 is Solar Hijri ("1405/09/15"), one past 2400
// Buddhist.
func (e *env) isoDate(y, m, d int) string {
	y = e.gregorianYear(y)
	if y >= 1300 && y < 1700 {
		if m < 1 || m > 12 || d < 1 || d > 31 {
			return "0000-00-00"
		}
		y, m, d = gregorianOfPersian(y, m, d)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// gregorianOfPersian converts a Solar Hijri date to the Gregorian one,
// the inverse of persianDate.
func gregorianOfPersian(jy, jm, jd int) (int, int, int) {
	days := (jm-1)*31 + jd - 1
	if jm > 6 {
		days = 186 + (jm-7)*30 + jd - 1
	}
	g := time.Date(jy+621, 3, 21, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
	for range 3 { // 1 Farvardin falls on 20, 21 or 22 March
		y, m, d := persianDate(g.Year(), int(g.Month()), g.Day())
		diff := cmp.Or(cmp.Compare(y, jy), cmp.Compare(m, jm), cmp.Compare(d, jd))
		switch {
		case diff > 0:
			g = g.AddDate(0, 0, -1)
		case diff < 0:
			g = g.AddDate(0, 0, 1)
		default:
			return g.Year(), int(g.Month()), g.Day()
		}
	}
	return g.Year(), int(g.Month()), g.Day()
}

// dayMonth is the ISO date of day and month (in year, else the next one
// from today); a day the month lacks is written as said, for the reader
// to refuse.
func (e *env) dayMonth(day, month, year int) string {
	if year == 0 {
		year = e.now.Year()
		if month < int(e.now.Month()) || month == int(e.now.Month()) && day < e.now.Day() {
			year++
		}
	}
	return fmt.Sprintf("%04d-%02d-%02d", e.gregorianYear(year), month, day)
}

// dayOfMonth is the ISO date of the day of this month ("15号"), or of
// next month once it has passed.
func (e *env) dayOfMonth(day int) string {
	y, m := e.now.Year(), int(e.now.Month())
	if day < e.now.Day() {
		m++
		if m > 12 {
			y, m = y+1, 1
		}
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
}

// daysAhead is the ISO date n days after today in the person's zone.
func (e *env) daysAhead(n int) string {
	return time.Date(e.now.Year(), e.now.Month(), e.now.Day()+n, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

package bot

import (
	"cmp"
	"fmt"
	"time"

	"leadwire/core"
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

// fullYear is a year typed after a day and a month: four figures as
// gregorianYear reads them, two in the person's calendar (69 is 2569 in
// the Buddhist era, 2026; 05 is 1405 in the Solar Hijri one). Two
// figures in the Gregorian calendar say no century: not a year.
func (e *env) fullYear(typed string) (int, bool) {
	y := atoi(typed)
	if len(typed) == 4 {
		return e.gregorianYear(y), true
	}
	switch e.cal {
	case core.CalendarBuddhist:
		return e.gregorianYear(2500 + y), true
	case core.CalendarPersian:
		if y < 50 {
			return 1400 + y, true
		}
		return 1300 + y, true
	}
	return 0, false
}

// dayAndMonth tells the day from the month of two figures typed without
// a year, by the person's order; in no known order, the one past 12 is
// the day, and two that could each be either are not told apart.
func (e *env) dayAndMonth(a, b int) (day, month int, ok bool) {
	switch {
	case e.order == orderDayFirst:
		return a, b, true
	case e.order == orderMonthFirst:
		return b, a, true
	case a > 12 && b <= 12:
		return a, b, true
	case b > 12 && a <= 12:
		return b, a, true
	}
	return 0, 0, false
}

package bot

import (
	"strconv"
	"strings"
	"time"

	"leadwire/core"
	"leadwire/internal/lang"
)

// dateFmt writes dates and times as a reader reads them: in their
// language's words and order, and in their calendar. English in the
// Gregorian calendar is written as it always was ("Fri 27 Nov 14:00").
type dateFmt struct {
	p   *lang.Printer
	cal core.Calendar
}

// english is the format of the CLI and of readers nobody knows.
func english() dateFmt { return dateFmt{p: lang.Default().For("en"), cal: core.CalendarGregorian} }

func (f dateFmt) plain() bool {
	return f.p.Lang() == "en" && (f.cal == "" || f.cal == core.CalendarGregorian)
}

// day is a date in the reader's calendar: its year, month (1-12) and day,
// and the |-separated month names to use.
func (f dateFmt) day(t time.Time) (y, m, d int, months, short, inDate string) {
	y, mo, d := t.Date()
	m = int(mo)
	months, short, inDate = f.p.T("date.months"), f.p.T("date.months_short"), f.p.T("date.months_in_date")
	switch f.cal {
	case core.CalendarPersian:
		y, m, d = persianDate(y, m, d)
		months = f.p.T("date.months_persian")
		short, inDate = months, months
	case core.CalendarBuddhist:
		y += 543 // Thai solar calendar: Gregorian months, the Buddhist era
	}
	return y, m, d, months, short, inDate
}

func (f dateFmt) fields(t time.Time, long bool) []any {
	y, m, d, _, short, inDate := f.day(t)
	month, weekdays := nth(short, m-1), f.p.T("date.weekdays_short")
	if long {
		month, weekdays = nth(inDate, m-1), f.p.T("date.weekdays")
	}
	return []any{"Weekday", nth(weekdays, int(t.Weekday())), "Day", d, "Month", month, "MonthNum", m, "Year", y}
}

// short shows a day as "Mon 2 Jan", with the year "Mon 2 Jan 2006".
func (f dateFmt) short(t time.Time, year bool) string {
	switch {
	case f.plain() && year:
		return t.Format("Mon 2 Jan 2006")
	case f.plain():
		return t.Format("Mon 2 Jan")
	case year:
		return f.p.T("date.day_short_year", f.fields(t, false)...)
	}
	return f.p.T("date.day_short", f.fields(t, false)...)
}

// long shows a day as "Monday 2 January 2006".
func (f dateFmt) long(t time.Time) string {
	if f.plain() {
		return t.Format("Monday 2 January 2006")
	}
	return f.p.T("date.day_long", f.fields(t, true)...)
}

// dmy shows a day as "2 Jan 2006".
func (f dateFmt) dmy(t time.Time) string {
	if f.plain() {
		return t.Format("2 Jan 2006")
	}
	return f.p.T("date.day_month_year", f.fields(t, false)...)
}

// month names a month and its year: "January 2006", "2026年11月".
func (f dateFmt) month(t time.Time) string {
	if f.plain() {
		return t.Format("January 2006")
	}
	y, m, _, months, _, _ := f.day(t)
	return f.p.T("date.month_year", "Month", nth(months, m-1), "MonthNum", m, "Year", y)
}

// at shows a time in loc: "Fri 27 Nov 14:00", with the year when it is
// not this one.
func (f dateFmt) at(t time.Time, loc *time.Location, now time.Time) string {
	lt := t.In(loc)
	year := lt.Year() != now.In(loc).Year()
	if f.plain() {
		return formatTime(t, loc, now)
	}
	return f.p.T("date.at", "Date", f.short(lt, year), "Time", lt.Format("15:04"))
}

// zoned is at with the zone, for a person to check a time they just gave:
// "Fri 27 Nov 14:00 (Asia/Bangkok)".
func (f dateFmt) zoned(t time.Time, loc *time.Location, now time.Time) string {
	return f.at(t, loc, now) + " (" + loc.String() + ")"
}

// persianDate converts a Gregorian date to the Solar Hijri (Jalali)
// calendar, as Iran writes dates: 2026-03-21 is 1 Farvardin 1405.
func persianDate(gy, gm, gd int) (jy, jm, jd int) {
	before := [12]int{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}
	gy2 := gy
	if gm > 2 {
		gy2 = gy + 1
	}
	days := 355666 + 365*gy + (gy2+3)/4 - (gy2+99)/100 + (gy2+399)/400 + gd + before[gm-1]
	jy = -1595 + 33*(days/12053)
	days %= 12053
	jy += 4 * (days / 1461)
	days %= 1461
	if days > 365 {
		jy += (days - 1) / 365
		days = (days - 1) % 365
	}
	if days < 186 {
		return jy, 1 + days/31, 1 + days%31
	}
	return jy, 7 + (days-186)/30, 1 + (days-186)%30
}

// nth is the i-th of the |-separated names of a catalog message.
func nth(names string, i int) string {
	parts := strings.Split(names, "|")
	if i < 0 || i >= len(parts) {
		return strconv.Itoa(i + 1)
	}
	return strings.TrimSpace(parts[i])
}

// duration says how long d is in the asker's words: "25 min", "3 h 20
// min", "2 days".
func (r *request) duration(d time.Duration) string {
	d = d.Round(time.Minute)
	switch h, m := int(d/time.Hour), int(d%time.Hour/time.Minute); {
	case d < time.Hour:
		return r.p.N("duration.minutes", m)
	case d < 48*time.Hour && m == 0:
		return r.p.N("duration.hours", h)
	case d < 48*time.Hour:
		return r.t("duration.hours_minutes", "Hours", h, "Minutes", m)
	}
	return r.p.N("duration.days", int(d.Round(24*time.Hour)/(24*time.Hour)))
}

// money shows an amount as the asker's language writes it: its grouping
// and decimal marks (the catalog's number.group and number.decimal), then
// the currency code: "12,000.50 EUR", "12 000,50 PLN". The figures are
// the exact minor units, never a float.
func (r *request) money(m core.Money) string {
	if r.p.Lang() == "en" {
		return m.String()
	}
	return formatMoney(r.p, m)
}

func formatMoney(p *lang.Printer, m core.Money) string {
	major := m.Major()
	neg := strings.HasPrefix(major, "-")
	intPart, frac, _ := strings.Cut(strings.TrimPrefix(major, "-"), ".")
	group, dec := p.T("number.group"), p.T("number.decimal")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(dec + frac)
	}
	if m.Currency != "" {
		b.WriteString("\u00a0" + m.Currency)
	}
	return b.String()
}

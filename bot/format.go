package bot

import (
	"strings"
	"time"

	"leadwire/internal/lang"
)

// monthNameOf is a month's name in p's language ("January", "มกราคม").
func monthNameOf(p *lang.Printer, m time.Month) string {
	return nth(p.T("date.months"), int(m)-1)
}

// nth is the i-th of the |-separated names of a catalog message.
func nth(names string, i int) string {
	parts := strings.Split(names, "|")
	if i < 0 || i >= len(parts) {
		return ""
	}
	return strings.TrimSpace(parts[i])
}

// month names a month and its year: "January 2006", "มกราคม 2569".
func (r *request) month(t time.Time) string {
	if r.p.Lang() == "en" {
		return t.Format("January 2006")
	}
	return r.t("date.month_year", "Month", monthNameOf(r.p, t.Month()), "MonthNum", int(t.Month()), "Year", t.Year())
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

// dayShort shows a day as "Mon 2 Jan" (with the year: "Mon 2 Jan 2006")
// in p's language.
func dayShort(p *lang.Printer, t time.Time, year bool) string {
	if p.Lang() == "en" {
		if year {
			return t.Format("Mon 2 Jan 2006")
		}
		return t.Format("Mon 2 Jan")
	}
	id := "date.day_short"
	if year {
		id = "date.day_short_year"
	}
	return p.T(id, "Weekday", nth(p.T("date.weekdays_short"), int(t.Weekday())), "Day", t.Day(),
		"Month", nth(p.T("date.months_short"), int(t.Month())-1), "MonthNum", int(t.Month()), "Year", t.Year())
}

// dayLong shows a day as "Monday 2 January 2006" in p's language.
func dayLong(p *lang.Printer, t time.Time) string {
	if p.Lang() == "en" {
		return t.Format("Monday 2 January 2006")
	}
	return p.T("date.day_long", "Weekday", nth(p.T("date.weekdays"), int(t.Weekday())), "Day", t.Day(),
		"Month", nth(p.T("date.months_in_date"), int(t.Month())-1), "MonthNum", int(t.Month()), "Year", t.Year())
}

// dayMonthYear shows a day as "2 Jan 2006" in p's language.
func dayMonthYear(p *lang.Printer, t time.Time) string {
	if p.Lang() == "en" {
		return t.Format("2 Jan 2006")
	}
	return p.T("date.day_month_year", "Day", t.Day(), "Month", nth(p.T("date.months_short"), int(t.Month())-1),
		"MonthNum", int(t.Month()), "Year", t.Year())
}

package bot

import (
	"time"
)

var persianNumbers = map[string]int{"یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7,
	"هشت": 8, "نه": 9, "ده": 10, "یازده": 11, "دوازده": 12, "پانزده": 15, "بیست": 20, "سی": 30}

// The weekdays as they are typed, with and without the space the
// non-joiner in "سه‌شنبه" folds to.
var persianWeekdays = map[string]int{"شنبه": 6, "یکشنبه": 0, "یک شنبه": 0, "دوشنبه": 1, "دو شنبه": 1,
	"سه شنبه": 2, "سشنبه": 2, "چهارشنبه": 3, "چهار شنبه": 3, "پنجشنبه": 4, "پنج شنبه": 4, "جمعه": 5}

// persianMonthNames matches the Solar Hijri and the Gregorian months.
var persianMonthNames = alternation(persianMonths) + "|" + alternation(persianGregorianMonths)

// persian reads Persian date phrases, in Persian or Latin digits:
// فردا ساعت ۹, پس‌فردا ۱۰ صبح, دوشنبه هفته بعد, ۳ روز دیگه, ساعت ۴
// بعدازظهر, ۱۵ آذر (Solar Hijri), ۱۵ دسامبر, ۱۴۰۵/۰۹/۱۵.
func persian() *local {
	n := `(\d{1,2}|` + alternation(persianNumbers) + `)`
	num := func(s string) int { return number(s, persianNumbers) }
	later := `(?:دیگر|دیگه|بعد)`
	part := `(صبح|ظهر|بعد از ظهر|بعدازظهر|بعد ازظهر|عصر|غروب|شب|نیمه شب)`
	partWords := map[string]partOfDay{"صبح": dayMorning, "ظهر": dayNoon, "بعد از ظهر": dayAfternoon, "بعدازظهر": dayAfternoon,
		"بعد ازظهر": dayAfternoon, "عصر": dayAfternoon, "غروب": dayEvening, "شب": dayNight, "نیمه شب": dayMidnig}
	minutes := func(p *parts, frac, m string) bool {
		switch {
		case frac == "نیم":
			return p.setMinute(30)
		case frac == "ربع":
			return p.setMinute(15)
		case m != "":
			return p.setMinute(num(m))
		}
		return p.setMinute(0)
	}
	clock := n + `(?:\s*:\s*(\d{2}))?(?:\s*و\s*(?:(نیم|ربع)|` + n + `\s*دقیقه))?`
	r := []wordRule{
		rule(`فردا`, func(g []string, p *parts, e *env) bool { return p.setDay("tomorrow") }),
		rule(`امروز`, func(g []string, p *parts, e *env) bool { return p.setDay("today") }),
		rule(`پس\s*فردا`, func(g []string, p *parts, e *env) bool { return p.setDay(e.daysAhead(2)) }),
		rule(`امشب`, func(g []string, p *parts, e *env) bool { return p.setDay("today") && p.setPart(dayNight) }),
		rule(`امروز عصر|عصر امروز`, func(g []string, p *parts, e *env) bool { return p.setDay("today") && p.setPart(dayAfternoon) }),
		rule(part, func(g []string, p *parts, e *env) bool { return p.setPart(partWords[g[1]]) }),
		rule(`هفته\s*(?:ی\s*)?(?:بعد|آینده|دیگه|دیگر)`, func(g []string, p *parts, e *env) bool { return p.setDay("next week") }),
		rule(`ماه\s*(?:ی\s*)?(?:بعد|آینده|دیگه|دیگر)`, func(g []string, p *parts, e *env) bool { return p.setDay("next month") }),
		rule(`(?:(این)\s*)?(?:روز\s*)?(`+alternation(persianWeekdays)+`)(?:\s*(هفته\s*(?:ی\s*)?(?:بعد|آینده|دیگه|دیگر)|بعد|آینده))?`, func(g []string, p *parts, e *env) bool {
			return p.setWeekday(time.Weekday(persianWeekdays[g[2]]), g[3] != "")
		}),
		rule(n+`\s*(روز|ساعت|دقیقه|هفته|ماه)\s*`+later, func(g []string, p *parts, e *env) bool {
			unit := map[string]string{"روز": "days", "ساعت": "hours", "دقیقه": "minutes", "هفته": "weeks", "ماه": "months"}[g[2]]
			return p.wait(num(g[1]), unit)
		}),
		rule(`(?:یک\s*)?نیم\s*ساعت\s*`+later, func(g []string, p *parts, e *env) bool { return p.wait(30, "minutes") }),
		rule(`ساعت\s*`+clock+`(?:\s*`+part+`)?`, func(g []string, p *parts, e *env) bool {
			h := num(g[1])
			ok := p.setHour(h)
			if g[2] != "" {
				ok = ok && p.setMinute(atoi(g[2]))
			} else {
				ok = ok && minutes(p, g[3], g[4])
			}
			if g[5] != "" {
				ok = ok && p.setPart(partWords[g[5]])
			}
			return ok && h >= 0 && h <= 24
		}),
		rule(clock+`\s*`+part, func(g []string, p *parts, e *env) bool {
			ok := p.setHour(num(g[1]))
			if g[2] != "" {
				ok = ok && p.setMinute(atoi(g[2]))
			} else {
				ok = ok && minutes(p, g[3], g[4])
			}
			return ok && p.setPart(partWords[g[5]])
		}),
		rule(`(\d{1,2})\s*(?:ام\s*)?(`+persianMonthNames+`)(?:\s*(?:ماه|سال)?\s*(\d{4}))?`, func(g []string, p *parts, e *env) bool {
			if m, ok := persianMonths[g[2]]; ok {
				return p.setDay(e.persianDay(atoi(g[1]), m, atoi(g[3])))
			}
			return p.setDay(e.dayMonth(atoi(g[1]), persianGregorianMonths[g[2]], atoi(g[3])))
		}),
		solarMonthsLatin(),
		joiner(`در|روز|ساعت|حدود|تاریخ`),
	}
	return &local{lang: "fa", spaced: true, rules: append(common(), r...)}
}

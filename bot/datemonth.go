package bot

import "fmt"

// The months' names a Thai or Persian rep types beside a day, as CLDR
// writes them (TestMonthNamesAgreeWithGoDateparser checks them against
// go-dateparser's CLDR data). go-dateparser itself is not linked: its
// package data is built when the program starts, for every one of its
// 200 languages (about 0.2 s of CPU and 47 MB more memory in every
// leadwire process, `leadwire --help` included), and of it we would use
// these 24 words.
var (
	thaiMonthNames = map[string]int{"มกราคม": 1, "ม.ค.": 1, "กุมภาพันธ์": 2, "ก.พ.": 2, "มีนาคม": 3, "มี.ค.": 3,
		"เมษายน": 4, "เม.ย.": 4, "พฤษภาคม": 5, "พ.ค.": 5, "มิถุนายน": 6, "มิ.ย.": 6, "กรกฎาคม": 7, "ก.ค.": 7,
		"สิงหาคม": 8, "ส.ค.": 8, "กันยายน": 9, "ก.ย.": 9, "ตุลาคม": 10, "ต.ค.": 10, "พฤศจิกายน": 11, "พ.ย.": 11,
		"ธันวาคม": 12, "ธ.ค.": 12}
	// persianGregorianMonths are the Gregorian months as Persian writes them.
	persianGregorianMonths = map[string]int{"ژانویه": 1, "فوریه": 2, "مارس": 3, "آوریل": 4, "مه": 5, "ژوئن": 6,
		"ژوئیه": 7, "اوت": 8, "سپتامبر": 9, "اکتبر": 10, "نوامبر": 11, "دسامبر": 12}
	// persianMonths are the Solar Hijri months; a date naming one is read
	// in that calendar whatever the person's setting.
	persianMonths = map[string]int{"فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "شهریور": 6,
		"مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12}
)

// persianMonthsLatin are the Solar Hijri months as they are written in
// Latin letters, folded to lower case ("15 Esfand", "1 Farvardin 1406").
var persianMonthsLatin = map[string]int{"farvardin": 1, "ordibehesht": 2, "khordad": 3, "tir": 4, "mordad": 5,
	"amordad": 5, "shahrivar": 6, "mehr": 7, "aban": 8, "azar": 9, "dey": 10, "bahman": 11, "esfand": 12}

// solarMonthsLatin reads a day and a Solar Hijri month in Latin letters,
// with or without its year: for a Persian rep typing in Latin letters and
// for anyone in the Persian calendar.
func solarMonthsLatin() wordRule {
	return rule(`(\d{1,2})\s*(`+alternation(persianMonthsLatin)+`)(?:\s*(\d{4}))?`, func(g []string, p *parts, e *env) bool {
		return p.setDay(e.persianDay(atoi(g[1]), persianMonthsLatin[g[2]], atoi(g[3])))
	})
}

// persianDay is the ISO date of day and month in the Solar Hijri year
// (the next such day when the year is not said).
func (e *env) persianDay(day, month, year int) string {
	if year == 0 {
		jy, jm, jd := persianDate(e.now.Year(), int(e.now.Month()), e.now.Day())
		year = jy
		if month < jm || month == jm && day < jd {
			year++
		}
	}
	if day < 1 || month <= 6 && day > 31 || month > 6 && day > 30 {
		return "0000-00-00" // refused by the reader as no such day
	}
	y, m, d := gregorianOfPersian(year, month, day)
	if jy, jm, jd := persianDate(y, m, d); jy != year || jm != month || jd != day {
		return "0000-00-00" // 30 Esfand in a common year
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

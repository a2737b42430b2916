package bot

import (
	"regexp"
	"strings"
	"time"
)

var thaiNumbers = map[string]int{"หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6, "เจ็ด": 7,
	"แปด": 8, "เก้า": 9, "สิบ": 10, "สิบเอ็ด": 11, "สิบสอง": 12}

var thaiWeekdays = map[string]int{"จันทร์": 1, "อังคาร": 2, "พุธ": 3, "พฤหัสบดี": 4, "พฤหัส": 4, "ศุกร์": 5, "เสาร์": 6, "อาทิตย์": 0}

// thaiMonths matches the months' names and their abbreviations, whose
// last dot people often leave out ("ธ.ค").
var thaiMonths = func() string {
	var keys []string
	for k := range thaiMonthNames {
		keys = append(keys, strings.TrimSuffix(regexp.QuoteMeta(k), `\.`)+strings.Repeat(`\.?`, strings.Count(k, ".")/2))
	}
	sortLongestFirst(keys)
	return strings.Join(keys, "|")
}()

// thai reads Thai date phrases: พรุ่งนี้ 9 โมง, บ่ายสองวันศุกร์, 2 ทุ่ม,
// ตีสอง, วันจันทร์หน้า, อีก 3 วัน, 15 ธ.ค. 2569 (Buddhist era). Its clock
// is the Thai six-hour one: โมงเช้า in the morning, บ่าย after noon, N
// โมงเย็น late afternoon, N ทุ่ม the evening (1 ทุ่ม is 19:00), ตี N the
// small hours. A bare "N โมง" is the morning from 7 to 12 and the
// afternoon from 1 to 6, as it is said.
func thai() *local {
	n := `(\d{1,2}|` + alternation(thaiNumbers) + `)`
	num := func(s string) int { return number(s, thaiNumbers) }
	half := `(\s*ครึ่ง)?`
	halfMin := func(p *parts, g string) bool {
		if g != "" {
			return p.setMinute(30)
		}
		return true
	}
	r := []wordRule{
		rule(`พรุ่งนี้|วันพรุ่งนี้`, func(g []string, p *parts, e *env) bool { return p.setDay("tomorrow") }),
		rule(`วันนี้`, func(g []string, p *parts, e *env) bool { return p.setDay("today") }),
		rule(`มะรืน(?:นี้)?`, func(g []string, p *parts, e *env) bool { return p.setDay(e.daysAhead(2)) }),
		rule(`คืนนี้`, func(g []string, p *parts, e *env) bool { return p.setDay("today") && p.setPart(dayNight) }),
		rule(`เย็นนี้`, func(g []string, p *parts, e *env) bool { return p.setDay("today") && p.setPart(dayEvening) }),
		rule(`เช้านี้`, func(g []string, p *parts, e *env) bool { return p.setDay("today") && p.setPart(dayMorning) }),
		rule(`ตอนเช้า|เช้า`, func(g []string, p *parts, e *env) bool { return p.setPart(dayMorning) }),
		rule(`ตอนบ่าย`, func(g []string, p *parts, e *env) bool { return p.setPart(dayAfternoon) }),
		rule(`ตอนเย็น|เย็น`, func(g []string, p *parts, e *env) bool { return p.setPart(dayEvening) }),
		rule(`(?:สัปดาห์|อาทิตย์)(?:หน้า|ถัดไป)`, func(g []string, p *parts, e *env) bool { return p.setDay("next week") }),
		rule(`เดือน(?:หน้า|ถัดไป)`, func(g []string, p *parts, e *env) bool { return p.setDay("next month") }),
		rule(`(?:วัน)?(`+alternation(thaiWeekdays)+`)(?:\s*(หน้า|นี้|ถัดไป))?`, func(g []string, p *parts, e *env) bool {
			return p.setWeekday(time.Weekday(thaiWeekdays[g[1]]), g[2] == "หน้า" || g[2] == "ถัดไป")
		}),
		rule(`อีก\s*`+n+`\s*(วัน|ชั่วโมง|ชม\.?|นาที|สัปดาห์|อาทิตย์|เดือน)(?:\s*ข้างหน้า)?`, func(g []string, p *parts, e *env) bool {
			unit := map[string]string{"วัน": "days", "ชั่วโมง": "hours", "นาที": "minutes", "สัปดาห์": "weeks", "อาทิตย์": "weeks", "เดือน": "months"}[g[2]]
			if strings.HasPrefix(g[2], "ชม") {
				unit = "hours"
			}
			return p.wait(num(g[1]), unit)
		}),
		rule(`อีกครึ่งชั่วโมง|อีกครึ่งชม\.?`, func(g []string, p *parts, e *env) bool { return p.wait(30, "minutes") }),
		rule(`เที่ยงคืน`, func(g []string, p *parts, e *env) bool { return p.setHour(0) && p.setMinute(0) && p.setPart(dayMidnig) }),
		rule(`เที่ยง(?:วัน)?`+half, func(g []string, p *parts, e *env) bool { return p.setHour(12) && halfMin(p, g[1]) }),
		rule(`บ่ายโมง`+half, func(g []string, p *parts, e *env) bool { return p.setHour(13) && halfMin(p, g[1]) }),
		rule(`บ่าย\s*`+n+`(?:\s*โมง)?`+half, func(g []string, p *parts, e *env) bool {
			h := num(g[1])
			if h < 1 || h > 6 {
				return false
			}
			return p.setHour(h+12) && halfMin(p, g[2])
		}),
		rule(`โมงเช้า`+half, func(g []string, p *parts, e *env) bool { return p.setHour(7) && halfMin(p, g[1]) }),
		rule(n+`\s*โมง(?:\s*(เช้า|เย็น|ตรง))?`+half, func(g []string, p *parts, e *env) bool {
			h := num(g[1])
			switch {
			case h < 1 || h > 12:
				return false
			case g[2] == "เย็น" && h <= 7:
				h += 12
			case g[2] == "เช้า" || h >= 7:
			default:
				h += 12 // สี่โมง is 16:00, as said
			}
			return p.setHour(h) && halfMin(p, g[3])
		}),
		rule(n+`\s*ทุ่ม`+half, func(g []string, p *parts, e *env) bool {
			h := num(g[1])
			if h < 1 || h > 6 {
				return false
			}
			return p.setHour((h+18)%24) && halfMin(p, g[2])
		}),
		rule(`ตี\s*`+n+half, func(g []string, p *parts, e *env) bool {
			h := num(g[1])
			if h < 1 || h > 5 {
				return false
			}
			return p.setHour(h) && halfMin(p, g[2])
		}),
		rule(`(\d{1,2})[.:](\d{2})\s*(?:น\.|นาฬิกา)?`, func(g []string, p *parts, e *env) bool {
			return p.setHour(atoi(g[1])) && p.setMinute(atoi(g[2]))
		}),
		rule(`(\d{1,2})\s*(?:นาฬิกา|น\.)`, func(g []string, p *parts, e *env) bool { return p.setHour(atoi(g[1])) && p.setMinute(0) }),
		rule(`(\d{1,2})\s*นาที`, func(g []string, p *parts, e *env) bool { return p.hasHour && !p.hasMin && p.setMinute(atoi(g[1])) }),
		rule(`(?:วันที่\s*)?(\d{1,2})\s*(`+thaiMonths+`)(?:\s*(?:พ\.ศ\.\s*(\d{2})|(?:พ\.ศ\.|ค\.ศ\.)?\s*(\d{4})))?`, func(g []string, p *parts, e *env) bool {
			word := g[2]
			if strings.Contains(word, ".") && !strings.HasSuffix(word, ".") {
				word += "."
			}
			year := atoi(g[4])
			if g[3] != "" {
				year = 2500 + atoi(g[3]) // "พ.ศ. 69": the Buddhist era's year in two figures
			}
			return p.setDay(e.dayMonth(atoi(g[1]), thaiMonthNames[word], year))
		}),
		joiner(`เวลา|ตอน|ประมาณ|วันที่|ช่วง`),
	}
	return &local{lang: "th", rules: append(common(), r...)}
}

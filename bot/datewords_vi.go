package bot

import (
	"time"
)

// The Vietnamese words are written without their marks: the text is
// folded so, because many people type them that way ("ngay mai 9h").
var vietNumbers = map[string]int{"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7,
	"tam": 8, "chin": 9, "muoi": 10, "muoi mot": 11, "muoi hai": 12}

var vietWeekdays = map[string]int{"2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6,
	"hai": 1, "ba": 2, "tu": 3, "nam": 4, "sau": 5, "bay": 6}

// vietnamese reads Vietnamese date phrases: ngày mai 9 giờ sáng, thứ hai
// tuần sau, 3 giờ chiều thứ 6, 2 tiếng nữa, mai 9h30, 15/12, ngày 15
// tháng 12.
func vietnamese() *local {
	n := `(\d{1,2}|` + alternation(vietNumbers) + `)`
	num := func(s string) int { return number(s, vietNumbers) }
	partWords := map[string]partOfDay{"sang": dayMorning, "trua": dayNoon, "chieu": dayAfternoon, "toi": dayEvening, "dem": dayNight, "khuya": dayNight}
	part := `(sang|trua|chieu|toi|dem|khuya)`
	units := map[string]string{"ngay": "days", "tieng": "hours", "gio": "hours", "phut": "minutes", "tuan": "weeks", "thang": "months"}
	unit := `(ngay|tieng|gio|phut|tuan|thang)`
	r := []wordRule{
		rule(`ngay\s*mai|mai`, func(g []string, p *parts, e *env) bool { return p.setDay("tomorrow") }),
		rule(`hom\s*nay|bua\s*nay`, func(g []string, p *parts, e *env) bool { return p.setDay("today") }),
		rule(`ngay\s*kia|ngay\s*mot|mot`, func(g []string, p *parts, e *env) bool { return p.setDay(e.daysAhead(2)) }),
		rule(part+`\s*(nay|mai)`, func(g []string, p *parts, e *env) bool {
			day := "today"
			if g[2] == "mai" {
				day = "tomorrow"
			}
			return p.setDay(day) && p.setPart(partWords[g[1]])
		}),
		rule(part, func(g []string, p *parts, e *env) bool { return p.setPart(partWords[g[1]]) }),
		rule(`tuan\s*(?:sau|toi)`, func(g []string, p *parts, e *env) bool { return p.setDay("next week") }),
		rule(`thang\s*(?:sau|toi)`, func(g []string, p *parts, e *env) bool { return p.setDay("next month") }),
		rule(`(?:thu\s*(2|3|4|5|6|7|hai|ba|tu|nam|sau|bay)|t([2-7])|(chu\s*nhat|cn))(?:\s*(tuan\s*(?:sau|toi)|nay|nay|toi))?`, func(g []string, p *parts, e *env) bool {
			d := time.Sunday
			switch {
			case g[1] != "":
				d = time.Weekday(vietWeekdays[g[1]])
			case g[2] != "":
				d = time.Weekday(vietWeekdays[g[2]])
			}
			return p.setWeekday(d, len(g[4]) > 4)
		}),
		rule(`(?:sau|trong)\s*`+n+`\s*`+unit+`(?:\s*nua)?`, func(g []string, p *parts, e *env) bool { return p.wait(num(g[1]), units[g[2]]) }),
		rule(n+`\s*`+unit+`\s*nua`, func(g []string, p *parts, e *env) bool { return p.wait(num(g[1]), units[g[2]]) }),
		rule(`nua\s*(?:tieng|gio)\s*nua|sau\s*nua\s*(?:tieng|gio)`, func(g []string, p *parts, e *env) bool { return p.wait(30, "minutes") }),
		rule(`(\d{1,2})h(\d{2})?`, func(g []string, p *parts, e *env) bool {
			return p.setHour(atoi(g[1])) && p.setMinute(atoi(g[2]))
		}),
		rule(n+`\s*(?:gio|g)(?:\s*(ruoi)|\s*(\d{1,2})\s*(?:phut|p)?|\s*(dung))?`, func(g []string, p *parts, e *env) bool {
			m := 0
			switch {
			case g[2] != "":
				m = 30
			case g[3] != "":
				m = atoi(g[3])
			}
			return p.setHour(num(g[1])) && p.setMinute(m)
		}),
		rule(`(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})(?:\s*nam\s*(\d{4}))?`, func(g []string, p *parts, e *env) bool {
			return p.setDay(e.dayMonth(atoi(g[1]), atoi(g[2]), atoi(g[3])))
		}),
		joiner(`luc|vao|vao\s*luc|ngay|khoang`),
	}
	return &local{lang: "vi", spaced: true, rules: append(common(), r...)}
}

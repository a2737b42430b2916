package bot

import (
	"strings"
	"time"
)

// chineseNumbers are the numbers 0 to 59 in Chinese numerals, as hours,
// minutes, days and counts are written: 三, 十二, 二十三, 两.
var chineseNumbers = func() map[string]int {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	m := map[string]int{"两": 2, "〇": 0}
	for n := 0; n < 60; n++ {
		var s string
		switch {
		case n < 10:
			s = digits[n]
		case n == 10:
			s = "十"
		case n < 20:
			s = "十" + digits[n%10]
		case n%10 == 0:
			s = digits[n/10] + "十"
		default:
			s = digits[n/10] + "十" + digits[n%10]
		}
		m[s] = n
	}
	return m
}()

var chineseWeekdays = map[string]int{"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 0, "天": 0,
	"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 0}

// chinese reads Simplified Chinese date phrases: 明天上午9点, 下周一下午三点,
// 后天, 3天后, 两个小时后, 周五14:00, 晚上八点半, 12月24日, 2026年12月24号.
func chinese() *local {
	n := `(\d{1,2}|` + alternation(chineseNumbers) + `)`
	num := func(s string) int { return number(s, chineseNumbers) }
	partWords := map[string]partOfDay{"上午": dayMorning, "早上": dayMorning, "早晨": dayMorning, "清晨": dayMorning, "凌晨": dayMorning,
		"中午": dayNoon, "下午": dayAfternoon, "傍晚": dayEvening, "晚上": dayEvening, "晚": dayEvening, "夜里": dayNight, "夜间": dayNight}
	part := `(上午|早上|早晨|清晨|凌晨|中午|下午|傍晚|晚上|夜里|夜间)`
	r := []wordRule{
		rule(`今天|今日`, func(g []string, p *parts, e *env) bool { return p.setDay("today") }),
		rule(`明天|明日|明儿`, func(g []string, p *parts, e *env) bool { return p.setDay("tomorrow") }),
		rule(`大后天`, func(g []string, p *parts, e *env) bool { return p.setDay(e.daysAhead(3)) }),
		rule(`后天`, func(g []string, p *parts, e *env) bool { return p.setDay(e.daysAhead(2)) }),
		rule(`今晚`, func(g []string, p *parts, e *env) bool { return p.setDay("today") && p.setPart(dayEvening) }),
		rule(`明早`, func(g []string, p *parts, e *env) bool { return p.setDay("tomorrow") && p.setPart(dayMorning) }),
		rule(`明晚`, func(g []string, p *parts, e *env) bool { return p.setDay("tomorrow") && p.setPart(dayEvening) }),
		rule(part, func(g []string, p *parts, e *env) bool { return p.setPart(partWords[g[1]]) }),
		rule(`下(?:个)?(?:周|星期|礼拜)(?:一|二|三|四|五|六|日|天|[1-7])?`, func(g []string, p *parts, e *env) bool {
			w := strings.TrimLeft(g[0], "下个周星期礼拜")
			if w == "" {
				return p.setDay("next week")
			}
			return p.setWeekday(time.Weekday(chineseWeekdays[w]), true)
		}),
		rule(`(?:这|本|这个)?(?:周|星期|礼拜)(一|二|三|四|五|六|日|天|[1-7])`, func(g []string, p *parts, e *env) bool {
			return p.setWeekday(time.Weekday(chineseWeekdays[g[1]]), false)
		}),
		rule(`下(?:个)?月`, func(g []string, p *parts, e *env) bool { return p.setDay("next month") }),
		rule(n+`\s*(?:个)?\s*(天|小时|钟头|分钟|周|星期|礼拜|月)\s*(?:以|之)?后`, func(g []string, p *parts, e *env) bool {
			unit := map[string]string{"天": "days", "小时": "hours", "钟头": "hours", "分钟": "minutes", "周": "weeks", "星期": "weeks", "礼拜": "weeks", "月": "months"}[g[2]]
			return p.wait(num(g[1]), unit)
		}),
		rule(`半(?:个)?(?:小时|钟头)\s*(?:以|之)?后`, func(g []string, p *parts, e *env) bool { return p.wait(30, "minutes") }),
		rule(n+`\s*(?:点|时)(?:钟)?\s*(?:(半)|(一刻)|(三刻)|(整)|`+n+`\s*分?)?`, func(g []string, p *parts, e *env) bool {
			m := 0
			switch {
			case g[2] != "":
				m = 30
			case g[3] != "":
				m = 15
			case g[4] != "":
				m = 45
			case g[6] != "":
				m = num(g[6])
			}
			return p.setHour(num(g[1])) && p.setMinute(m)
		}),
		rule(`(?:(\d{4})\s*年\s*)?`+n+`\s*月\s*`+n+`\s*(?:日|号)`, func(g []string, p *parts, e *env) bool {
			return p.setDay(e.dayMonth(num(g[3]), num(g[2]), atoi(g[1])))
		}),
		rule(n+`\s*(?:日|号)`, func(g []string, p *parts, e *env) bool {
			return p.setDay(e.dayOfMonth(num(g[1])))
		}),
		joiner(`在|于|的|大概|大约`),
	}
	return &local{lang: "zh-Hans", rules: append(common(), r...)}
}

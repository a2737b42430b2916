package bot

import (
	"strings"
	"time"
)

// The Polish words are written without their marks: the text is folded
// so, because many people type them that way ("w poniedzialek", "za
// tydzien").
var polishNumbers = map[string]int{"jeden": 1, "jedna": 1, "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4, "piec": 5,
	"szesc": 6, "siedem": 7, "osiem": 8, "dziewiec": 9, "dziesiec": 10, "kilka": 3}

// polishHours are the hours as they are said, "o dziewiątej" (at nine).
var polishHours = map[string]int{"pierwszej": 1, "drugiej": 2, "trzeciej": 3, "czwartej": 4, "piatej": 5, "szostej": 6,
	"siodmej": 7, "osmej": 8, "dziewiatej": 9, "dziesiatej": 10, "jedenastej": 11, "dwunastej": 12, "trzynastej": 13,
	"czternastej": 14, "pietnastej": 15, "szesnastej": 16, "siedemnastej": 17, "osiemnastej": 18, "dziewietnastej": 19,
	"dwudziestej": 20, "dwudziestej pierwszej": 21, "dwudziestej drugiej": 22, "dwudziestej trzeciej": 23}

var polishWeekdays = map[string]int{"poniedzialek": 1, "pon": 1, "wtorek": 2, "wt": 2, "sroda": 3, "srode": 3, "sr": 3,
	"czwartek": 4, "czw": 4, "piatek": 5, "pt": 5, "sobota": 6, "sobote": 6, "sob": 6, "niedziela": 0, "niedziele": 0, "niedz": 0, "nd": 0}

// polishMonths are the months' stems, which every case of the name
// starts with ("grudzień", "grudnia"; "październik", "października").
var polishMonths = []string{"sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paz", "lis", "gru"}

// polish reads Polish date phrases: jutro o 9, w poniedziałek 14:00, za
// tydzień, za 2 godziny, pojutrze rano, w przyszły piątek o 15:30, o
// dziewiątej, 15 grudnia.
func polish() *local {
	n := `(\d{1,2}|` + alternation(polishNumbers) + `)`
	num := func(s string) int { return number(s, polishNumbers) }
	unit := `(dni|dzien|godzin[ey]?|godz\.?|h|minut[ey]?|minut|min\.?|tygodni(?:e)?|miesiac(?:e|y)?|miesiecy)`
	unitOf := func(u string) string {
		switch {
		case strings.HasPrefix(u, "d"):
			return "days"
		case strings.HasPrefix(u, "g"), u == "h":
			return "hours"
		case strings.HasPrefix(u, "mi") && strings.Contains(u, "esi"):
			return "months"
		case strings.HasPrefix(u, "m"):
			return "minutes"
		case strings.HasPrefix(u, "t"):
			return "weeks"
		}
		return ""
	}
	next := `(przyszl[yaeo]|nastepn[yaeo])`
	r := []wordRule{
		rule(`jutro`, func(g []string, p *parts, e *env) bool { return p.setDay("tomorrow") }),
		rule(`dzis|dzisiaj`, func(g []string, p *parts, e *env) bool { return p.setDay("today") }),
		rule(`pojutrze`, func(g []string, p *parts, e *env) bool { return p.setDay(e.daysAhead(2)) }),
		rule(`rano|z rana|przed poludniem`, func(g []string, p *parts, e *env) bool { return p.setPart(dayMorning) }),
		rule(`po poludniu|popoludniu`, func(g []string, p *parts, e *env) bool { return p.setPart(dayAfternoon) }),
		rule(`wieczorem|wieczor`, func(g []string, p *parts, e *env) bool { return p.setPart(dayEvening) }),
		rule(`w nocy|noca`, func(g []string, p *parts, e *env) bool { return p.setPart(dayNight) }),
		rule(`(?:w\s+)?poludnie`, func(g []string, p *parts, e *env) bool { return p.setHour(12) && p.setMinute(0) }),
		rule(`(?:o\s+)?polnocy`, func(g []string, p *parts, e *env) bool {
			return p.setHour(0) && p.setMinute(0) && p.setPart(dayMidnig)
		}),
		rule(`(?:w\s+)?`+next+`\s+tydzien|w\s+`+next+`m\s+tygodniu`, func(g []string, p *parts, e *env) bool { return p.setDay("next week") }),
		rule(`(?:w\s+)?`+next+`\s+miesiac|w\s+`+next+`m\s+miesiacu`, func(g []string, p *parts, e *env) bool { return p.setDay("next month") }),
		rule(`(?:we?\s+)?(?:(ten|te|ta|`+next[1:len(next)-1]+`)\s+)?(`+alternation(polishWeekdays)+`)\.?`, func(g []string, p *parts, e *env) bool {
			return p.setWeekday(time.Weekday(polishWeekdays[g[2]]), strings.HasPrefix(g[1], "przyszl") || strings.HasPrefix(g[1], "nastepn"))
		}),
		rule(`za\s+`+n+`\s*`+unit, func(g []string, p *parts, e *env) bool { return p.wait(num(g[1]), unitOf(g[2])) }),
		rule(`za\s+(tydzien|godzine|minute|miesiac|dzien)`, func(g []string, p *parts, e *env) bool {
			return p.wait(1, unitOf(strings.Replace(g[1], "tydzien", "tygodni", 1)))
		}),
		rule(`za\s+pol\s+godziny`, func(g []string, p *parts, e *env) bool { return p.wait(30, "minutes") }),
		rule(`(?:o\s+)?(?:godz(?:inie|\.)?\s*)?(`+alternation(polishHours)+`)(?:\s+(trzydziesci|pietnascie|czterdziesci piec))?`, func(g []string, p *parts, e *env) bool {
			m := map[string]int{"": 0, "trzydziesci": 30, "pietnascie": 15, "czterdziesci piec": 45}[g[2]]
			return p.setHour(polishHours[g[1]]) && p.setMinute(m)
		}),
		rule(`(?:o|od|na)\s+(?:godz(?:inie|\.)?\s*)?(\d{1,2})(?:[:.](\d{2}))?|godz(?:inie|\.)?\s*(\d{1,2})(?:[:.](\d{2}))?`, func(g []string, p *parts, e *env) bool {
			h, m := g[1], g[2]
			if h == "" {
				h, m = g[3], g[4]
			}
			return p.setHour(atoi(h)) && p.setMinute(atoi(m))
		}),
		rule(`(\d{1,2})\s+(`+strings.Join(polishMonths, "|")+`)[a-z]*\.?(?:\s+(\d{4}))?`, func(g []string, p *parts, e *env) bool {
			for i, m := range polishMonths {
				if m == g[2] {
					return p.setDay(e.dayMonth(atoi(g[1]), i+1, atoi(g[3])))
				}
			}
			return false
		}),
		joiner(`o|w|we|na|dnia`),
	}
	return &local{lang: "pl", spaced: true, rules: append(common(), r...)}
}

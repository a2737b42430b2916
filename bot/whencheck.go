package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// dayOrder is how a person writes a date as two numbers: "3/4" is 3 April
// day first and March 4 month first.
type dayOrder int

const (
	orderUnknown dayOrder = iota // "3/4" is refused
	orderDayFirst
	orderMonthFirst
)

// orderFor returns how a locale writes a short date (CLDR's short date
// pattern): month first in US English, Chinese, Japanese and Korean; day
// first in the rest of the languages our users write in; unknown without a
// locale, and for Persian, whose users may mean the Persian calendar.
func orderFor(locale string) dayOrder {
	tag, err := language.Parse(locale)
	if locale == "" || err != nil {
		return orderUnknown
	}
	base, _ := tag.Base()
	region, conf := tag.Region()
	switch base.String() {
	case "en":
		if conf == language.Exact && region.String() != "US" && region.String() != "PH" {
			return orderDayFirst
		}
		return orderMonthFirst
	case "zh", "ja", "ko":
		return orderMonthFirst
	case "fa":
		return orderUnknown
	}
	return orderDayFirst
}

// stated is what a date phrase says outright, read again token by token
// without when's rules: the day, month and year it names, the time of day
// in digits, the weekday. The result of the rules must agree with it.
type stated struct {
	hasDate, hasYear, hasTime, hasWeekday bool
	day, month, year, hour, minute        int
	weekday                               time.Weekday
	dateText, timeText, weekdayText       string
}

var (
	tokenRE = regexp.MustCompile(`(?i)` +
		`(\d{4})-(\d{1,2})-(\d{1,2})` + // 1-3 ISO date
		`|(\d{1,2}):(\d{2})(?:\s*([ap])\.?m\b\.?)?` + // 4-6 14:00, 4:30pm
		`|(\d{1,2})\s*([ap])\.?m\b\.?` + // 7-8 4pm, 9 am
		`|(\d{1,2})h(\d{2})?\b` + // 9-10 16h, 16h30, or hours
		`|(\d{1,2})([./])(\d{1,2})(?:[./](\d{4}))?\.?` + // 11-14 12.12., 24/12/2026
		`|(\d+)(st|nd|rd|th)?` + // 15-16 a number
		`|([a-z]+)`) // 17 a word
	unitWord = regexp.MustCompile(`(?i)^(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mo)$`)
)

// token is one piece of a phrase as statePhrase reads it.
type token struct {
	g    []string // tokenRE's groups
	text string
}

// statePhrase reads phrase token by token. A number is a day beside a
// month's name, a year after a day, or a duration's count; any other
// number is refused, and so is a slash date that could be either order.
func statePhrase(phrase string, order dayOrder) (stated, error) {
	var s stated
	var toks []token
	for _, g := range tokenRE.FindAllStringSubmatch(phrase, -1) {
		toks = append(toks, token{g, g[0]})
	}
	dated := false // the phrase names a day, so "9h" is a time
	for _, t := range toks {
		if t.g[1] != "" || t.g[11] != "" || t.g[17] != "" && (monthOf(t.g[17]) > 0 || weekdayOf(t.g[17]) >= 0 ||
			strings.EqualFold(t.g[17], "tomorrow") || strings.EqualFold(t.g[17], "today") || strings.EqualFold(t.g[17], "tonight")) {
			dated = true
		}
	}
	used := make([]bool, len(toks))
	setDate := func(day, month, year int, text string) error {
		if s.hasDate {
			return keyed(refuse("%q names two dates", phrase), "phrase.twice", "")
		}
		s.hasDate, s.day, s.month, s.dateText = true, day, month, text
		if year > 0 {
			s.hasYear, s.year = true, year
		}
		return nil
	}
	setTime := func(h, m int, ampm, text string) error {
		if s.hasTime {
			return keyed(refuse("%q names two times", phrase), "phrase.twice", "")
		}
		switch strings.ToLower(ampm) {
		case "a", "p":
			if h < 1 || h > 12 {
				return refuse("%q is no time: with am or pm the hour goes from 1 to 12", text)
			}
			h %= 12
			if strings.EqualFold(ampm, "p") {
				h += 12
			}
		}
		s.hasTime, s.hour, s.minute, s.timeText = true, h, m, text
		return nil
	}
	num := func(x string) int { n, _ := strconv.Atoi(x); return n }
	for i, t := range toks {
		if used[i] {
			continue
		}
		g := t.g
		var err error
		switch {
		case g[1] != "":
			err = setDate(num(g[3]), num(g[2]), num(g[1]), t.text)
		case g[4] != "":
			err = setTime(num(g[4]), num(g[5]), g[6], t.text)
		case g[7] != "":
			err = setTime(num(g[7]), 0, g[8], t.text)
		case g[9] != "":
			waiting := i > 0 && (strings.EqualFold(toks[i-1].text, "in") || strings.EqualFold(toks[i-1].text, "within"))
			if h := num(g[9]); !waiting && h <= 23 && (h >= 13 || g[10] != "" || dated) {
				err = setTime(h, num(g[10]), "", t.text)
			} // else hours to wait
		case g[11] != "":
			a, b := num(g[11]), num(g[13])
			day, month := a, b
			if g[12] == "/" {
				switch {
				case b > 12 && a <= 12:
					day, month = b, a
				case a > 12 || a == b:
				case order == orderMonthFirst:
					day, month = b, a
				case order == orderUnknown:
					return s, keyed(refuse("%q could be %d %s or %s %d; write the month's name, e.g. %d %s or %s %d",
						t.text, a, monthShort(b), monthShort(a), b, a, monthShort(b), monthShort(a), b), "phrase.ambiguous", t.text)
				}
			}
			err = setDate(day, month, num(g[14]), t.text)
		case g[15] != "":
			// A count before a unit ("2 hours", "3 days") is a duration.
			if i+1 < len(toks) && unitWord.MatchString(toks[i+1].text) {
				used[i+1] = true
				continue
			}
			err = s.numberBesideMonth(toks, used, i, setDate)
		case g[17] != "":
			if m := monthOf(g[17]); m > 0 {
				if i+1 < len(toks) && !used[i+1] && toks[i+1].g[15] != "" {
					err = s.numberBesideMonth(toks, used, i+1, setDate) // "dec 12"
				} else {
					err = refuse("%q needs its day, e.g. 12 %s", g[17], monthShort(m))
				}
			} else if d := weekdayOf(g[17]); d >= 0 {
				if s.hasWeekday && s.weekday != d {
					err = refuse("%q names two weekdays", phrase)
				}
				s.hasWeekday, s.weekday, s.weekdayText = true, d, g[17]
			}
		}
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

// numberBesideMonth reads the number at toks[i] as the day of the month
// named next to it ("12 dec", "12th of december", "dec 12"), with a year
// after it ("12 dec 2026", "dec 12, 2026"). Any other number is refused.
func (s *stated) numberBesideMonth(toks []token, used []bool, i int, setDate func(day, month, year int, text string) error) error {
	day, _ := strconv.Atoi(toks[i].g[15])
	month, at := 0, -1
	for _, j := range []int{i + 1, i + 2, i - 1} { // "12 dec", "12th of dec", "dec 12"
		if j < 0 || j >= len(toks) || used[j] || toks[j].g[17] == "" {
			continue
		}
		if j == i+2 && !strings.EqualFold(toks[i+1].text, "of") {
			continue
		}
		if m := monthOf(toks[j].g[17]); m > 0 {
			month, at = m, j
			break
		}
	}
	if month == 0 {
		return refuse("I can't tell what %q is; write a time like 16:00 or 4pm, a date like 12 dec", toks[i].text)
	}
	used[i], used[at] = true, true
	year, last := 0, max(i, at)
	if n := last + 1; n < len(toks) && !used[n] && len(toks[n].g[15]) == 4 && toks[n].g[16] == "" {
		year, _ = strconv.Atoi(toks[n].g[15])
		used[n] = true
	}
	return setDate(day, month, year, toks[min(i, at)].text+" "+toks[max(i, at)].text)
}

// check refuses a result that disagrees with what the phrase states: a
// day that does not exist (31 Feb) or was moved, a time that the clocks
// skip in loc, a weekday that is not the date's.
func (s stated) check(phrase string, at time.Time, loc *time.Location) error {
	if s.hasDate {
		if s.month < 1 || s.month > 12 || s.day < 1 || s.day > daysIn(s.month, at.Year()) {
			return keyed(refuse("%q is no date: %s", s.dateText, noSuchDay(s.day, s.month)), "phrase.no_day", s.dateText)
		}
		if at.Day() != s.day || int(at.Month()) != s.month || s.hasYear && at.Year() != s.year {
			return refuse("I read %q as %s, which is not the day you wrote", phrase, at.Format("Mon 2 Jan 2006"))
		}
	}
	if s.hasTime {
		if s.hour > 23 || s.minute > 59 {
			return refuse("%q is no time of day", s.timeText)
		}
		if at.Hour() != s.hour || at.Minute() != s.minute {
			if wall := time.Date(at.Year(), at.Month(), at.Day(), s.hour, s.minute, 0, 0, loc); wall.Hour() != s.hour || wall.Minute() != s.minute {
				return keyed(refuse("%02d:%02d does not exist on %s in %s: the clocks go forward then; give a time after the change",
					s.hour, s.minute, at.Format("Mon 2 Jan"), loc), "phrase.gap", fmt.Sprintf("%02d:%02d", s.hour, s.minute))
			}
			return refuse("I read %q as %s, which is not the time you wrote", phrase, at.Format("15:04"))
		}
	}
	if s.hasWeekday && at.Weekday() != s.weekday {
		return keyed(refuse("%s is a %s, not a %s", at.Format("2 Jan 2006"), at.Weekday(), s.weekday), "phrase.weekday", s.weekdayText)
	}
	return nil
}

func daysIn(month, year int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func noSuchDay(day, month int) string {
	if month < 1 || month > 12 {
		return "a year has 12 months"
	}
	if month == 2 && day == 29 {
		return "29 Feb is only in leap years"
	}
	return time.Month(month).String() + " has " + strconv.Itoa(daysIn(month, 2023)) + " days"
}

func monthOf(w string) int {
	w = strings.ToLower(strings.TrimSuffix(w, "."))
	if len(w) < 3 {
		return 0
	}
	m := months[w[:3]]
	if m == 0 || !strings.HasPrefix(strings.ToLower(time.Month(m).String()), w) && w != "sept" {
		return 0
	}
	return m
}

func weekdayOf(w string) time.Weekday {
	w = strings.ToLower(w)
	if len(w) < 3 {
		return -1
	}
	d, ok := weekdays[w[:3]]
	if !ok {
		return -1
	}
	full := strings.ToLower(d.String())
	if strings.HasPrefix(full, w) || w == "tues" || w == "thur" || w == "thurs" || w == "weds" {
		return d
	}
	return -1
}

func monthShort(m int) string {
	if m < 1 || m > 12 {
		return "?"
	}
	return strings.ToLower(time.Month(m).String()[:3])
}

// dateLike reports whether a word beside a date phrase looks like a part
// of it that no rule read: a month or weekday, am or pm, an ordinal, a
// time in another spelling ("16.30"), a year, or (after a date without a
// time) a number that could be an hour or a day.
func dateLike(w string, timed bool) bool {
	lw := strings.ToLower(strings.Trim(w, "."))
	if monthOf(lw) > 0 && lw != "may" || weekdayOf(lw) >= 0 {
		return true
	}
	switch lw {
	case "am", "pm", "a.m", "p.m":
		return true
	}
	if regexp.MustCompile(`^\d{1,2}(st|nd|rd|th)$|^\d{1,2}[:.h]\d{2}$|^(19|20)\d\d$`).MatchString(lw) {
		return true
	}
	if n, err := strconv.Atoi(lw); err == nil && !timed && n >= 0 && n <= 31 {
		return true
	}
	return false
}

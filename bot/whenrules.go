package bot

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/olebedev/when/rules"
)

// span is a rule of our own: group 1 is the whole phrase.
type span struct {
	re    *regexp.Regexp
	apply func(groups []string, c *rules.Context, ref time.Time) bool
}

func (s *span) Find(text string) *rules.Match {
	idx := s.re.FindStringSubmatchIndex(text)
	if idx == nil {
		return nil
	}
	groups := make([]string, len(idx)/2)
	for i := range groups {
		if idx[2*i] >= 0 {
			groups[i] = strings.ToLower(text[idx[2*i]:idx[2*i+1]])
		}
	}
	return &rules.Match{Left: idx[2], Right: idx[3], Text: text[idx[2]:idx[3]], Captures: groups[1:],
		Applier: func(m *rules.Match, c *rules.Context, _ *rules.Options, ref time.Time) (bool, error) {
			return s.apply(groups, c, ref), nil
		}}
}

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// weekdayRule reads "fri", "on friday", "next tue": the coming one (today
// included, unless "next" or its time has passed).
func weekdayRule() rules.Rule {
	return &span{
		re: regexp.MustCompile(`(?i)(?:^|\W)((?:on\s+)?(?:(this|next|coming)\s+)?(mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|r|rs|s|urday)?)(?:\W|$)`),
		apply: func(g []string, c *rules.Context, ref time.Time) bool {
			days := (int(weekdays[g[3]]) - int(ref.Weekday()) + 7) % 7
			if days == 0 && g[2] == "next" {
				days = 7
			}
			c.Duration = time.Duration(days) * 24 * time.Hour
			return true
		},
	}
}

// nextRule reads "next week" (its Monday) and "next month" (its first).
func nextRule() rules.Rule {
	return &span{
		re: regexp.MustCompile(`(?i)(?:^|\W)(next\s+(week|month))(?:\W|$)`),
		apply: func(g []string, c *rules.Context, ref time.Time) bool {
			if g[2] == "week" {
				days := (8 - int(ref.Weekday())) % 7
				if days == 0 {
					days = 7
				}
				c.Duration = time.Duration(days) * 24 * time.Hour
				return true
			}
			month, day := int(ref.Month())+1, 1
			c.Month, c.Day = &month, &day
			return true
		},
	}
}

var months = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

// monthName matches a month's name or its abbreviation.
const monthName = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`

// monthDateRule reads a named month with its day in either order, and an
// optional year: "12 dec", "12th of December 2026", "dec 12",
// "December 12th, 2026". It replaces when's ExactMonthDate, which read
// "12 dec 16:30" as 16 December.
func monthDateRule() rules.Rule {
	day := `(\d{1,2})(?:st|nd|rd|th)?`
	year := `(?:,?\s+(\d{4}))?`
	return &span{
		re: regexp.MustCompile(`(?i)(?:^|\W)(` + day + `(?:\s+of)?\s+` + monthName + year +
			`|` + monthName + `\s+` + day + year + `)(?:\W|$)`),
		apply: func(g []string, c *rules.Context, ref time.Time) bool {
			d, m, y := g[2], g[3], g[4]
			if d == "" {
				m, d, y = g[5], g[6], g[7]
			}
			day, _ := strconv.Atoi(d)
			month := months[m[:3]]
			c.Day, c.Month = &day, &month
			if y != "" {
				year, _ := strconv.Atoi(y)
				c.Year = &year
			}
			return true
		},
	}
}

// numericDateRule reads "12.12.", "12.12.2026", "24/12", "24/12/2026"
// day first; find turns a slash date around for a person whose locale
// writes the month first, and refuses one that could be either. A slash
// date whose first number cannot be a month is taken day first and one
// whose second cannot, month first.
func numericDateRule() rules.Rule {
	return &span{
		re: regexp.MustCompile(`(?:^|\s)((\d{1,2})([./])(\d{1,2})(?:[./](\d{4}))?\.?)(?:[\s,;!]|$)`),
		apply: func(g []string, c *rules.Context, ref time.Time) bool {
			a, _ := strconv.Atoi(g[2])
			b, _ := strconv.Atoi(g[4])
			day, month := a, b
			if g[3] == "/" && b > 12 && a <= 12 {
				day, month = b, a // 12/24: only month first makes sense
			}
			c.Day, c.Month = &day, &month
			if g[5] != "" {
				year, _ := strconv.Atoi(g[5])
				c.Year = &year
			}
			return true
		},
	}
}

// isoRule reads "2026-12-01" and "2026-12-01 14:00" (when's rules would
// read "12-01" as a time).
func isoRule() rules.Rule {
	return &span{
		re: regexp.MustCompile(`(?:^|\s)((\d{4})-(\d{1,2})-(\d{1,2})(?:(?:\s+|T)(\d{1,2}):(\d{2}))?)(?:[\s,;!.]|$)`),
		apply: func(g []string, c *rules.Context, ref time.Time) bool {
			num := func(s string) *int { n, _ := strconv.Atoi(s); return &n }
			c.Year, c.Month, c.Day = num(g[2]), num(g[3]), num(g[4])
			if g[5] != "" {
				c.Hour, c.Minute = num(g[5]), num(g[6])
			}
			return true
		},
	}
}

// clockRule reads the hour written with an h, as in much of Europe and in
// Vietnam: "16h", "16h30", "9h15". A bare "2h" is a duration unless the
// phrase names a day ("tomorrow 9h"); find decides.
func clockRule() rules.Rule {
	return &span{
		re: regexp.MustCompile(`(?i)(?:^|\W)((\d{1,2})h(\d{2})?)(?:\W|$)`),
		apply: func(g []string, c *rules.Context, ref time.Time) bool {
			h, _ := strconv.Atoi(g[2])
			m := 0
			if g[3] != "" {
				m, _ = strconv.Atoi(g[3])
			}
			if h > 23 || m > 59 {
				return false
			}
			c.Hour, c.Minute = &h, &m
			return true
		},
	}
}

var (
	durationPart = regexp.MustCompile(`(?i)(?:(\d+)\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mo)|(an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|half\s+an?)\s+(minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?))\b`)
	numberWords  = map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
		"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
)

// durationRule reads "2h", "1h30m", "in 3 days", "in an hour", "in two
// weeks", "in 2 months". A number in words takes a unit in words ("a m"
// is not a minute: "9 am" is a time).
func durationRule() rules.Rule {
	part := `(?:\d+\s*(?:minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mo)|(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|half\s+an?)\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?))\b`
	return &span{
		re: regexp.MustCompile(`(?i)(?:^|\W)((?:in|within)\s+` + part + `(?:\s*(?:and\s+)?` + part + `)*|` + part + `(?:\s*(?:and\s+)?` + part + `)*)`),
		apply: func(g []string, c *rules.Context, ref time.Time) bool {
			for _, p := range durationPart.FindAllStringSubmatch(g[1], -1) {
				count, unit := p[1], p[2]
				if count == "" {
					count, unit = p[3], p[4]
				}
				n := numberWords[strings.Join(strings.Fields(count), " ")]
				switch {
				case strings.HasPrefix(count, "half"):
					n, unit = 30, "m"
				case strings.HasSuffix(count, "few"):
					n = 3
				case n == 0:
					n, _ = strconv.Atoi(count)
				}
				switch {
				case strings.HasPrefix(unit, "mo"):
					month := int(ref.Month()) + n
					if c.Month != nil {
						month = *c.Month + n
					}
					c.Month = &month
				case unit[0] == 'm':
					c.Duration += time.Duration(n) * time.Minute
				case unit[0] == 'h':
					c.Duration += time.Duration(n) * time.Hour
				case unit[0] == 'd':
					c.Duration += time.Duration(n) * 24 * time.Hour
				case unit[0] == 'w':
					c.Duration += time.Duration(n) * 7 * 24 * time.Hour
				}
			}
			return true
		},
	}
}

// wallClock reports whether a duration has days, weeks or months, which
// count on the calendar ("in 3 days" keeps the time of day); hours and
// minutes are elapsed time.
func wallClock(text string) bool {
	for _, p := range durationPart.FindAllStringSubmatch(text, -1) {
		u := strings.ToLower(p[2] + p[4])
		if u[0] == 'd' || u[0] == 'w' || strings.HasPrefix(u, "mo") {
			return true
		}
	}
	return false
}

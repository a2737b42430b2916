package bot

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/olebedev/when/rules"
	"github.com/olebedev/when/rules/en"
)

// dates reads date phrases ("tomorrow 9am", "in 3 days", "fri 14:00",
// "next week", "2026-12-01 14:00", "2h") in a person's time zone.
//
// The phrase grammar is olebedev/when's English rules (today, tomorrow,
// tonight, morning, 9am, 14:00, dec 24) and rules of our own, in when's
// rule interface, for weekdays, "next week|month", day/month dates and
// durations; ISO dates are read first. The rules are applied here rather
// than by when.Parser, for two reasons: the
// arithmetic is done on the wall clock (a naive UTC copy of the local
// time), so "tomorrow" and "in 3 days" keep the time of day across a DST
// change, and the fields are set together, so "feb 15" said on 31 January
// is not pushed into March. A phrase that names a day but no time means
// 09:00; a duration under a day ("2h", "in 90 min") is elapsed time.
type dates struct {
	rules []rules.Rule
	opts  *rules.Options
}

// Rule positions in dates.rules that the resolver asks about.
const (
	ruleWeekday = iota
	ruleNext
	ruleDuration
)

func newDates() *dates {
	return &dates{
		rules: []rules.Rule{
			weekdayRule(), nextRule(), durationRule(),
			en.CasualDate(rules.Override), en.CasualTime(rules.Override), en.Hour(rules.Override),
			en.HourMinute(rules.Override), en.ExactMonthDate(rules.Override), slashRule(),
		},
		opts: &rules.Options{Distance: 5, MatchByOrder: true},
	}
}

var (
	isoStart = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:\s+|T)(\d{1,2}):(\d{2}))?(?:\s+|$)`)
	isoEnd   = regexp.MustCompile(`(?:^|\s)(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:\s+|T)(\d{1,2}):(\d{2}))?$`)
	midnight = regexp.MustCompile(`(?i)\b12\s*a\.?m\.?\b`)
	compact  = regexp.MustCompile(`(?i)(\d[hmdw])(\d)`) // "1h30m" → "1h 30m"
)

// find looks for a date phrase at the start or the end of text and returns
// its time in loc and the text around it.
func (p *dates) find(text string, now time.Time, loc *time.Location) (at time.Time, rest string, ok bool) {
	text = strings.TrimSpace(midnight.ReplaceAllString(text, "0:00"))
	text = compact.ReplaceAllString(text, "$1 $2")
	if at, rest, matched := isoDate(text, loc); matched {
		return at, rest, !at.IsZero()
	}
	local := now.In(loc)
	base := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), 0, 0, time.UTC)
	var found []*rules.Match
	for i, r := range p.rules {
		if m := r.Find(text); m != nil {
			m.Order = float64(i)
			found = append(found, m)
		}
	}
	if len(found) == 0 {
		return time.Time{}, text, false
	}
	slices.SortFunc(found, func(a, b *rules.Match) int { return a.Left - b.Left })
	left, right := found[0].Left, found[0].Right
	cluster := found[:1]
	for _, m := range found[1:] {
		if m.Left > right+p.opts.Distance {
			break
		}
		right = max(right, m.Right)
		cluster = append(cluster, m)
	}
	before, after := strings.TrimSpace(text[:left]), strings.TrimSpace(text[right:])
	if before != "" && strings.Trim(after, ".,;!") != "" {
		return time.Time{}, text, false // in the middle of the text: not a date phrase
	}
	slices.SortFunc(cluster, func(a, b *rules.Match) int { return int(a.Order - b.Order) })
	c := &rules.Context{Text: text[left:right]}
	applied := false
	for _, m := range cluster {
		ok, err := m.Apply(c, p.opts, base)
		if err != nil {
			return time.Time{}, text, false
		}
		applied = applied || ok
	}
	if !applied {
		return time.Time{}, text, false
	}
	at = p.resolve(c, cluster, base, now, loc)
	return at, strings.TrimSpace(before + " " + after), true
}

// whole reads text that must be a date phrase and nothing else.
func (p *dates) whole(text string, now time.Time, loc *time.Location) (time.Time, bool) {
	at, rest, ok := p.find(text, now, loc)
	return at, ok && strings.Trim(rest, ".,;!") == ""
}

// resolve turns the applied rules into a time in loc.
func (p *dates) resolve(c *rules.Context, applied []*rules.Match, base, now time.Time, loc *time.Location) time.Time {
	has := func(rule int) *rules.Match {
		for _, m := range applied {
			if int(m.Order) == rule {
				return m
			}
		}
		return nil
	}
	dur := has(ruleDuration)
	if dur != nil && len(applied) == 1 && !wallClock(dur.Text) {
		return now.Add(c.Duration).Truncate(time.Minute) // elapsed time, DST or not
	}
	t := base.Add(c.Duration)
	y, mo, d := t.Date()
	h, mi := t.Hour(), t.Minute()
	set := func(dst *int, src *int) {
		if src != nil {
			*dst = *src
		}
	}
	month := int(mo)
	set(&y, c.Year)
	set(&month, c.Month)
	set(&d, c.Day)
	set(&h, c.Hour)
	set(&mi, c.Minute)
	if c.Hour == nil && c.Minute == nil && dur == nil {
		h, mi = 9, 0 // a day without a time: the start of the working day
	}
	at := time.Date(y, time.Month(month), d, h, mi, 0, 0, loc)
	if m := has(ruleWeekday); m != nil && m.Captures[1] == "" && !at.After(now) {
		at = time.Date(y, time.Month(month), d+7, h, mi, 0, 0, loc) // "fri" on a Friday evening: the next one
	}
	if c.Month != nil && c.Year == nil && dur == nil && at.Before(now.Add(-24*time.Hour)) {
		at = time.Date(y+1, time.Month(month), d, h, mi, 0, 0, loc) // "jan 5" in December: next year's
	}
	return at
}

// isoDate reads "2026-12-01" or "2026-12-01 14:00" at the start or the end
// of text (when's rules would read "12-01" as a time). A match that is no
// date ("2026-02-30") returns a zero time.
func isoDate(text string, loc *time.Location) (time.Time, string, bool) {
	m := isoStart.FindStringSubmatchIndex(text)
	if m == nil {
		m = isoEnd.FindStringSubmatchIndex(text)
	}
	if m == nil {
		return time.Time{}, text, false
	}
	num := func(i int) int {
		if m[2*i] < 0 {
			return -1
		}
		n, _ := strconv.Atoi(text[m[2*i]:m[2*i+1]])
		return n
	}
	y, mo, d, h, mi := num(1), num(2), num(3), num(4), num(5)
	if h < 0 {
		h, mi = 9, 0
	}
	at := time.Date(y, time.Month(mo), d, h, mi, 0, 0, loc)
	if at.Month() != time.Month(mo) || at.Day() != d || h > 23 || mi > 59 {
		return time.Time{}, text, true // 2026-02-30, 25:00
	}
	return at, strings.TrimSpace(text[:m[0]] + " " + text[m[1]:]), true
}

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

var (
	durationPart = regexp.MustCompile(`(?i)(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|half\s+an?)\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mo)\b`)
	numberWords  = map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
		"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
)

// slashRule reads "24/12" and "24/12/2026", day first (when's own rule
// sets nothing for a month later this year).
func slashRule() rules.Rule {
	return &span{
		re: regexp.MustCompile(`(?:^|\W)((\d{1,2})/(\d{1,2})(?:/(\d{4}))?)(?:\W|$)`),
		apply: func(g []string, c *rules.Context, ref time.Time) bool {
			day, _ := strconv.Atoi(g[2])
			month, _ := strconv.Atoi(g[3])
			if month < 1 || month > 12 || day < 1 || day > time.Date(2024, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
				return false
			}
			c.Day, c.Month = &day, &month
			if g[4] != "" {
				year, _ := strconv.Atoi(g[4])
				c.Year = &year
			}
			return true
		},
	}
}

// durationRule reads "2h", "1h30m", "in 3 days", "in an hour", "in two
// weeks", "in 2 months".
func durationRule() rules.Rule {
	part := `(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|half\s+an?)\s*(?:minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mo)\b`
	return &span{
		re: regexp.MustCompile(`(?i)(?:^|\W)((?:(?:in|within)\s+)?` + part + `(?:\s*(?:and\s+)?` + part + `)*)`),
		apply: func(g []string, c *rules.Context, ref time.Time) bool {
			for _, p := range durationPart.FindAllStringSubmatch(g[1], -1) {
				n, unit := numberWords[strings.Join(strings.Fields(p[1]), " ")], p[2]
				switch {
				case strings.HasPrefix(p[1], "half"):
					n, unit = 30, "m"
				case strings.HasSuffix(p[1], "few"):
					n = 3
				case n == 0:
					n, _ = strconv.Atoi(p[1])
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
		if u := strings.ToLower(p[2]); u[0] == 'd' || u[0] == 'w' || strings.HasPrefix(u, "mo") {
			return true
		}
	}
	return false
}

// formatTime shows a time in the person's zone: "Fri 27 Nov 14:00", with
// the year when it is not this one.
func formatTime(t time.Time, loc *time.Location, now time.Time) string {
	lt := t.In(loc)
	if lt.Year() != now.In(loc).Year() {
		return lt.Format("Mon 2 Jan 2006 15:04")
	}
	return lt.Format("Mon 2 Jan 15:04")
}

// formatZoned is formatTime with the zone, for a person to check a time
// they just gave: "Fri 27 Nov 14:00 (Asia/Bangkok)".
func formatZoned(t time.Time, loc *time.Location, now time.Time) string {
	return formatTime(t, loc, now) + " (" + loc.String() + ")"
}

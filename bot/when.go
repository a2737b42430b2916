package bot

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/olebedev/when/rules"
	"github.com/olebedev/when/rules/en"

	"leadwire/core"
)

// dates reads date phrases ("tomorrow 9am", "in 3 days", "fri 14:00",
// "next week", "12 dec 16:30", "2026-12-01 14:00", "2h") in a person's
// time zone.
//
// The phrase grammar is olebedev/when's English rules (today, tomorrow,
// tonight, morning, 9am, 14:00) and rules of our own, in when's rule
// interface, for weekdays, "next week|month", named and numeric dates, ISO
// dates, "16h" and durations. The rules are applied here rather than by
// when.Parser, for two reasons: the arithmetic is done on the wall clock
// (a naive UTC copy of the local time), so "tomorrow" and "in 3 days" keep
// the time of day across a DST change, and the fields are set together,
// so "feb 15" said on 31 January is not pushed into March. A phrase that
// names a day but no time means 09:00; a duration under a day ("2h", "in
// 90 min") is elapsed time.
//
// A phrase is understood whole or refused with a reason: rules whose
// readings overlap, words inside the phrase that no rule read, a number or
// a month beside it that no rule took, and a result that disagrees with
// what the phrase states outright (read again token by token, see
// stated) are refusals, never a guess.
type dates struct {
	rules  []rules.Rule
	opts   *rules.Options
	locals map[string]*local // the readers of the other languages, by language
	// calendars read, before English, the dates of an English speaker in
	// another calendar.
	calendars map[core.Calendar]*local
}

// Rule positions in dates.rules, in the order their fields are applied.
const (
	ruleWeekday = iota
	ruleNext
	ruleDuration
	ruleCasualDate
	ruleCasualTime
	ruleHour
	ruleHourMinute
	ruleMonthDate
	ruleNumericDate
	ruleISO
	ruleClock
)

func newDates() *dates {
	return &dates{
		rules: []rules.Rule{
			weekdayRule(), nextRule(), durationRule(),
			en.CasualDate(rules.Override), en.CasualTime(rules.Override), en.Hour(rules.Override),
			en.HourMinute(rules.Override), monthDateRule(), numericDateRule(), isoRule(), clockRule(),
		},
		opts:   &rules.Options{Distance: 5, MatchByOrder: true},
		locals: map[string]*local{"th": thai(), "fa": persian(), "vi": vietnamese(), "pl": polish(), "zh-Hans": chinese()},
		calendars: map[core.Calendar]*local{
			core.CalendarPersian:  {lang: "en", spaced: true, rules: append(common(), solarMonthsLatin())},
			core.CalendarBuddhist: {lang: "en", spaced: true, rules: common()},
		},
	}
}

var (
	midnight = regexp.MustCompile(`(?i)\b12\s*a\.?m\.?\b`)
	compact  = regexp.MustCompile(`(?i)(\d[hmdw])(\d+[a-z])`) // "1h30m" → "1h 30m"; "16h30" stays
)

// errNoDate says a text holds no date phrase at its start or its end.
var errNoDate = errors.New("no date phrase")

// dateError refuses a date phrase; its message says why, for a person
// reading English. A refusal of a phrase in another language has a key
// of the catalog saying why in the reader's language (with word, the
// word it is about), or none when the examples say enough.
type dateError struct {
	msg  string
	key  string
	word string
}

func (e *dateError) Error() string { return e.msg }

func refuse(format string, args ...any) error { return &dateError{msg: fmt.Sprintf(format, args...)} }

// keyed gives a refusal the catalog key that says why in other languages.
func keyed(err error, key, word string) error {
	de := err.(*dateError)
	de.key, de.word = key, word
	return de
}

// find looks for a date phrase at the start or the end of text and returns
// its time in loc and the text around it; ok is false when there is none
// or it is refused (read says why).
func (p *dates) find(text string, now time.Time, loc *time.Location) (at time.Time, rest string, ok bool) {
	at, rest, err := p.read(text, now, loc, orderUnknown)
	if err != nil {
		return time.Time{}, text, false
	}
	return at, rest, true
}

// whole reads text that must be a date phrase and nothing else.
func (p *dates) whole(text string, now time.Time, loc *time.Location) (time.Time, bool) {
	at, err := p.readWhole(text, now, loc, orderUnknown)
	return at, err == nil
}

// readWhole is whole with the reason for a refusal.
func (p *dates) readWhole(text string, now time.Time, loc *time.Location, order dayOrder) (time.Time, error) {
	at, rest, err := p.read(text, now, loc, order)
	if err != nil {
		return time.Time{}, err
	}
	if strings.Trim(rest, ".,;!") != "" {
		return time.Time{}, refuse("I can read the time in %q but not %q", text, rest)
	}
	return at, nil
}

// read is find with the reason for a refusal: errNoDate, or a *dateError
// whose message says what was wrong. order says how the person writes a
// slash date ("3/4").
func (p *dates) read(text string, now time.Time, loc *time.Location, order dayOrder) (at time.Time, rest string, err error) {
	text = strings.TrimSpace(midnight.ReplaceAllString(text, "0:00"))
	text = compact.ReplaceAllString(text, "$1 $2")
	found, err := p.matches(text)
	if err != nil || len(found) == 0 {
		return time.Time{}, text, cmp.Or(err, errNoDate)
	}
	left, right := found[0].Left, found[0].Right
	cluster := found[:1]
	for _, m := range found[1:] {
		if m.Left > right+p.opts.Distance {
			break
		}
		if gap := text[right:m.Left]; !connectors(gap) {
			return time.Time{}, text, refuse("I can't tell what %q means in %q", strings.TrimSpace(gap), text[left:m.Right])
		}
		right = max(right, m.Right)
		cluster = append(cluster, m)
	}
	if w := lastWord(text[:left]); strings.EqualFold(w, "on") || strings.EqualFold(w, "at") {
		left = strings.LastIndex(strings.ToLower(text[:left]), strings.ToLower(w)) // "on 12 dec": on is the phrase's
	}
	before, after := strings.TrimSpace(text[:left]), strings.TrimSpace(text[right:])
	if before != "" && strings.Trim(after, ".,;!") != "" {
		return time.Time{}, text, errNoDate // in the middle of the text: not a date phrase
	}
	phrase := text[left:right]
	timed := hasRule(cluster, ruleHour, ruleHourMinute, ruleClock, ruleCasualTime) || hasRule(cluster, ruleISO) && strings.Contains(phrase, ":")
	if w := lastWord(before); w != "" && dateLike(w, timed) {
		return time.Time{}, text, refuse("I can't tell what %q before %q is", w, phrase)
	}
	if w := firstWord(after); w != "" && dateLike(w, timed) {
		return time.Time{}, text, refuse("I can't tell what %q after %q is", w, phrase)
	}
	told, err := statePhrase(phrase, order)
	if err != nil {
		return time.Time{}, text, err
	}
	slices.SortFunc(cluster, func(a, b *rules.Match) int { return int(a.Order - b.Order) })
	local := now.In(loc)
	base := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), 0, 0, time.UTC)
	c := &rules.Context{Text: phrase}
	applied := false
	for _, m := range cluster {
		ok, err := m.Apply(c, p.opts, base)
		if err != nil {
			return time.Time{}, text, errNoDate
		}
		applied = applied || ok
	}
	if !applied {
		return time.Time{}, text, errNoDate
	}
	if told.hasDate {
		c.Day, c.Month = &told.day, &told.month // the slash order the person writes in
	}
	at = p.resolve(c, cluster, base, now, loc)
	if err := told.check(phrase, at.In(loc), loc); err != nil {
		return time.Time{}, text, err
	}
	return at, strings.TrimSpace(before + " " + after), nil
}

// matches returns what the rules find in text, by position, each once: a
// match inside another is the same words read twice and is dropped, and
// two matches that overlap otherwise are refused. A bare "2h" is a
// duration unless its hour can only be a time of day (13h to 23h, "9h30")
// or the text names a day ("tomorrow 9h").
func (p *dates) matches(text string) ([]*rules.Match, error) {
	var found []*rules.Match
	for i, r := range p.rules {
		if m := r.Find(text); m != nil {
			for m.Right > m.Left && text[m.Right-1] == ' ' {
				m.Right--
			}
			m.Order = float64(i)
			found = append(found, m)
		}
	}
	clock, dur := byRule(found, ruleClock), byRule(found, ruleDuration)
	if clock != nil && dur != nil && clock.Left == dur.Left && clock.Right == dur.Right {
		h, _ := strconv.Atoi(clock.Captures[1])
		if h <= 23 && (h >= 13 || clock.Captures[2] != "") || hasRule(found, ruleWeekday, ruleCasualDate, ruleMonthDate, ruleNumericDate, ruleISO, ruleNext) {
			found = slices.DeleteFunc(found, func(m *rules.Match) bool { return m == dur })
		} else {
			found = slices.DeleteFunc(found, func(m *rules.Match) bool { return m == clock })
		}
	}
	inside := func(m, n *rules.Match) bool { return n.Left <= m.Left && m.Right <= n.Right }
	var kept []*rules.Match
	for _, m := range found {
		dropped := false
		for _, n := range found {
			if n != m && inside(m, n) && (!inside(n, m) || n.Order < m.Order) {
				dropped = true
				break
			}
		}
		if !dropped {
			kept = append(kept, m)
		}
	}
	slices.SortFunc(kept, func(a, b *rules.Match) int { return a.Left - b.Left })
	for i := 1; i < len(kept); i++ {
		if a, b := kept[i-1], kept[i]; b.Left < a.Right {
			return nil, refuse("%q and %q overlap in %q: I can read it two ways", a.Text, b.Text, text[a.Left:max(a.Right, b.Right)])
		}
	}
	return kept, nil
}

func byRule(found []*rules.Match, rule int) *rules.Match {
	for _, m := range found {
		if int(m.Order) == rule {
			return m
		}
	}
	return nil
}

func hasRule(found []*rules.Match, rules ...int) bool {
	return slices.ContainsFunc(rules, func(r int) bool { return byRule(found, r) != nil })
}

// connectors reports whether the text between two parts of a phrase is
// only what joins them: "tomorrow at 9", "fri, 14:00", "12th of dec".
func connectors(gap string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(gap), func(r rune) bool { return r == ' ' || r == ',' || r == '\t' }) {
		switch w {
		case "at", "on", "of", "the", "and", "@", "-":
		default:
			return false
		}
	}
	return true
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return strings.Trim(f[0], ",;!")
	}
	return ""
}

func lastWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return strings.Trim(f[len(f)-1], ",;!")
	}
	return ""
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
	at := wallTime(y, time.Month(month), d, h, mi, loc)
	if m := has(ruleWeekday); m != nil && m.Captures[1] == "" && !at.After(now) {
		at = wallTime(y, time.Month(month), d+7, h, mi, loc) // "fri" on a Friday evening: the next one
	}
	if c.Month != nil && c.Year == nil && dur == nil && at.Before(now.Add(-24*time.Hour)) {
		at = wallTime(y+1, time.Month(month), d, h, mi, loc) // "jan 5" in December: next year's
	}
	return at
}

// wallTime is time.Date in loc, made sure of for a wall-clock time that
// happens twice (when the clocks go back): the first one, as a person
// reading the clock would meet it.
func wallTime(y int, mo time.Month, d, h, mi int, loc *time.Location) time.Time {
	at := time.Date(y, mo, d, h, mi, 0, 0, loc)
	for _, back := range []time.Duration{time.Hour, 30 * time.Minute} {
		if e := at.Add(-back); e.Hour() == at.Hour() && e.Minute() == at.Minute() && e.Day() == at.Day() {
			return e
		}
	}
	return at
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

package bot

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"leadwire/core"
)

// A local reads date phrases in one language other than English: "พรุ่งนี้
// 9 โมง", "فردا ساعت ۹", "ngày mai 9 giờ sáng", "jutro o 9", "明天上午9点".
//
// Its rules read the phrase word by word into parts (a day, a weekday, an
// hour with its part of the day, a wait), which are then written in the
// phrase grammar of dates and read by the English reader. So every
// language shares one arithmetic: wall-clock days across a DST change, a
// day without a time at 09:00, the coming weekday, and the same refusals
// (a day the month lacks, a time the clocks skip, a weekday that is not
// the date's). Dates with a month's name ("15 grudnia", "15 ธ.ค. 2569",
// "۱۵ آذر") are read by go-dateparser, which knows every language's month
// names and their inflections, and the Solar Hijri calendar.
type local struct {
	lang   string
	spaced bool // words are separated by spaces, so a rule matches whole words
	rules  []wordRule
}

// wordRule reads one word or idiom at the start of the folded text (its
// pattern starts with ^); apply records what it says, false when it does
// not fit after all.
type wordRule struct {
	re    *regexp.Regexp
	apply func(g []string, p *parts, e *env) bool
	joins bool // a word that only joins ("o", "lúc", "ساعت"): it ends no phrase
}

// env is what the rules need besides the words: the person's now, zone
// and calendar, and the month-name reader.
type env struct {
	now   time.Time // in the person's zone
	loc   *time.Location
	cal   core.Calendar
	month *monthReader
	lang  string
}

// partOfDay is what a word such as "chiều", "บ่าย", "下午" or "wieczorem"
// says about the hour beside it.
type partOfDay int

const (
	dayAny partOfDay = iota
	dayMorning
	dayNoon // midday: 12 is noon, 1 to 5 are after it
	dayAfternoon
	dayEvening
	dayNight  // late: 6 to 11 are evening hours, 1 to 5 the small hours
	dayMidnig // midnight itself
)

// parts is what a phrase says, gathered word by word.
type parts struct {
	day        string // in the grammar of dates: "tomorrow", "2026-11-04", "next week", "15 dec"
	weekday    time.Weekday
	hasWeekday bool
	nextWeek   bool // the weekday of next week, not the coming one
	hour, min  int
	hasHour    bool
	hasMin     bool
	part       partOfDay
	waits      []string // "2 hours", "30 minutes"
	twice      bool     // a part was said twice: two days, two times
}

func (p *parts) setDay(d string) bool {
	if p.day != "" && p.day != d {
		p.twice = true
	}
	p.day = d
	return true
}

func (p *parts) setWeekday(d time.Weekday, next bool) bool {
	if p.hasWeekday && p.weekday != d {
		p.twice = true
	}
	p.weekday, p.hasWeekday, p.nextWeek = d, true, p.nextWeek || next
	return true
}

func (p *parts) setHour(h int) bool {
	if p.hasHour {
		p.twice = true
	}
	p.hour, p.hasHour = h, true
	return true
}

func (p *parts) setMinute(m int) bool {
	if p.hasMin || m > 59 {
		p.twice = p.twice || p.hasMin
		return m <= 59
	}
	p.min, p.hasMin = m, true
	return true
}

func (p *parts) setPart(d partOfDay) bool {
	if p.part != dayAny && p.part != d {
		p.twice = true
	}
	p.part = d
	return true
}

func (p *parts) wait(n int, unit string) bool {
	if n <= 0 {
		return false
	}
	p.waits = append(p.waits, strconv.Itoa(n)+" "+unit)
	return true
}

// errTwice refuses a phrase that names two days or two times.
var errTwice = errors.New("two days or two times")

// grammar writes the parts in the grammar of dates: "tomorrow 14:00",
// "2026-11-13 9:00", "fri", "in 2 hours".
func (p *parts) grammar(e *env) (string, error) {
	if p.twice {
		return "", errTwice
	}
	var words []string
	if p.hasWeekday {
		if p.nextWeek {
			// Its day in the week after this one (weeks start on Monday).
			today := time.Date(e.now.Year(), e.now.Month(), e.now.Day(), 0, 0, 0, 0, time.UTC)
			monday := today.AddDate(0, 0, 7-(int(today.Weekday())+6)%7)
			d := monday.AddDate(0, 0, (int(p.weekday)+6)%7)
			if p.day != "" {
				return "", errTwice
			}
			words = append(words, d.Format(time.DateOnly))
		} else {
			words = append(words, strings.ToLower(p.weekday.String()[:3]))
		}
	}
	if p.day != "" {
		words = append(words, p.day)
	}
	h, m := p.hour, p.min
	switch {
	case p.hasHour:
		if h > 23 {
			return "", errNoDate
		}
		switch p.part {
		case dayMorning, dayMidnig:
			if h == 12 {
				h = 0
			}
		case dayNoon:
			if h >= 1 && h <= 5 {
				h += 12
			}
		case dayAfternoon, dayEvening:
			if h >= 1 && h <= 11 {
				h += 12
			}
		case dayNight:
			if h >= 6 && h <= 11 {
				h += 12
			} else if h == 12 {
				h = 0
			}
		}
		words = append(words, fmt.Sprintf("%d:%02d", h, m))
	case p.hasMin:
		return "", errNoDate // minutes without their hour
	case p.part != dayAny:
		h = map[partOfDay]int{dayMorning: 9, dayNoon: 12, dayAfternoon: 14, dayEvening: 19, dayNight: 21, dayMidnig: 0}[p.part]
		words = append(words, fmt.Sprintf("%d:00", h))
	}
	if len(p.waits) > 0 {
		words = append(words, "in "+strings.Join(p.waits, " "))
	}
	return strings.Join(words, " "), nil
}

// folded is a text as the rules read it (lower case, ASCII digits, one
// spelling of each letter) with where each of its bytes came from.
type folded struct {
	text string
	from []int // from[i]: the byte of the original text that text[i] came from; from[len(text)] is its end
}

// fold makes the text the rules read: lower case; Thai, Persian,
// Arabic-Indic and full-width digits as ASCII; Arabic yeh and kaf as
// Persian writes them; the zero-width non-joiner as a space; full-width
// punctuation as ASCII; and for Vietnamese and Polish, letters without
// their marks, as people often type them.
func fold(s string, bare bool) folded {
	var b strings.Builder
	from := make([]int, 0, len(s)+1)
	emit := func(r rune, at int) {
		n := b.Len()
		b.WriteRune(r)
		for range b.Len() - n {
			from = append(from, at)
		}
	}
	for at, r := range s {
		switch {
		case r >= '๐' && r <= '๙':
			r = '0' + r - '๐'
		case r >= '۰' && r <= '۹':
			r = '0' + r - '۰'
		case r >= '٠' && r <= '٩':
			r = '0' + r - '٠'
		case r >= '０' && r <= '９':
			r = '0' + r - '０'
		}
		switch r {
		case 'ي', 'ى':
			r = 'ی'
		case 'ك':
			r = 'ک'
		case '\u200c', '\u00a0', '\u3000':
			r = ' '
		case 'ـ', '\u200d', '\u200e', '\u200f':
			continue
		case '：':
			r = ':'
		case '，', '、', '،':
			r = ','
		case '٫':
			r = '.'
		case '點':
			r = '点'
		case '週':
			r = '周'
		case '後':
			r = '后'
		case '個':
			r = '个'
		case '鐘':
			r = '钟'
		case '禮':
			r = '礼'
		case '號':
			r = '号'
		case '兩':
			r = '两'
		}
		r = unicode.ToLower(r)
		if bare && r >= 0x80 {
			switch r {
			case 'đ':
				emit('d', at)
				continue
			case 'ł':
				emit('l', at)
				continue
			}
			if d := norm.NFD.String(string(r)); utf8.RuneCountInString(d) > 1 {
				base, _ := utf8.DecodeRuneInString(d)
				emit(base, at)
				continue
			}
			if unicode.Is(unicode.Mn, r) {
				continue
			}
		}
		emit(r, at)
	}
	from = append(from, len(s))
	return folded{text: b.String(), from: from}
}

// maxPhraseText bounds the text searched for a phrase, so a pasted page
// costs no more than a line.
const maxPhraseText = 600

// run is one run of words the rules read, in the folded text.
type run struct{ left, right int }

// read finds the phrase at the start or the end of text and returns its
// time and the text around it, as typed; errNoDate when there is none.
func (l *local) read(d *dates, text string, e *env, order dayOrder) (time.Time, string, error) {
	text = strings.TrimSpace(text)
	f := fold(text, l.lang == "vi" || l.lang == "pl")
	if len(f.text) > maxPhraseText {
		return time.Time{}, text, errNoDate
	}
	p, run, ok := l.scan(f.text, 0, e)
	if !ok || run.left != 0 {
		p, run, ok = l.tail(f.text, e)
	}
	if !ok {
		return time.Time{}, text, errNoDate
	}
	before := strings.TrimSpace(text[:f.from[run.left]])
	after := strings.TrimSpace(text[f.from[run.right]:])
	if before != "" && after != "" {
		return time.Time{}, text, errNoDate
	}
	if after != "" && startsWithDigit(after) || before != "" && endsWithDigit(before) {
		// "jutro 3 próbki": 3 could be an hour; say it instead of guessing.
		return time.Time{}, text, &dateError{msg: "a number beside the phrase", key: "phrase.number_beside", word: firstWord(after + " " + before)}
	}
	phrase, err := p.grammar(e)
	if err != nil {
		return time.Time{}, text, &dateError{msg: err.Error(), key: "phrase.twice"}
	}
	at, err := d.readWhole(phrase, e.now, e.loc, order)
	if err != nil {
		return time.Time{}, text, err
	}
	return at, strings.TrimSpace(before + " " + after), nil
}

func startsWithDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsDigit(r)
}

func endsWithDigit(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsDigit(r)
}

// scan reads words from at for as long as rules read them.
func (l *local) scan(s string, at int, e *env) (*parts, run, bool) {
	p := &parts{}
	run := run{left: -1}
	said := false
	i := at
	for i < len(s) {
		j := skipGaps(s, i)
		if j >= len(s) {
			break
		}
		n, joins := l.match(s, j, p, e)
		if n == 0 {
			break
		}
		if run.left < 0 {
			run.left = j
		}
		i = j + n
		if !joins {
			run.right, said = i, true
		}
	}
	return p, run, said
}

// tail finds the run of words the rules read that ends the text.
func (l *local) tail(s string, e *env) (*parts, run, bool) {
	end := len(strings.TrimRight(s, " .,;!"))
	for i := 0; i < end; {
		r, size := utf8.DecodeRuneInString(s[i:])
		if l.spaced && i > 0 && !gap(prevRune(s, i)) || gap(r) {
			i += size
			continue
		}
		if p, run, ok := l.scan(s, i, e); ok && run.left == i && run.right >= end {
			return p, run, true
		}
		i += size
	}
	return nil, run{}, false
}

func prevRune(s string, i int) rune {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// gap reports whether r only separates words.
func gap(r rune) bool {
	return r == ' ' || r == ',' || r == '\t' || r == '\n' || r == ';'
}

func skipGaps(s string, i int) int {
	for i < len(s) && gap(rune(s[i])) {
		i++
	}
	return i
}

// match applies the rule reading the longest words at s[i:] and returns
// how many bytes it read, 0 when none does, and whether it only joins.
func (l *local) match(s string, i int, p *parts, e *env) (int, bool) {
	best, bestN := -1, 0
	var bestG []string
	for k, r := range l.rules {
		g := r.re.FindStringSubmatch(s[i:])
		if g == nil || len(g[0]) <= bestN {
			continue
		}
		if end := i + len(g[0]); l.spaced && end < len(s) && wordRune(s[end:]) {
			continue // inside a longer word
		}
		best, bestN, bestG = k, len(g[0]), g
	}
	if best < 0 || !l.rules[best].apply(bestG, p, e) {
		return 0, false
	}
	return bestN, l.rules[best].joins
}

func wordRune(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// rule is a wordRule from a pattern (anchored here) and what it says.
// The longest of its alternatives is taken ("dzisiaj", not "dzis").
func rule(pattern string, apply func(g []string, p *parts, e *env) bool) wordRule {
	re := regexp.MustCompile(`^(?:` + pattern + `)`)
	re.Longest()
	return wordRule{re: re, apply: apply}
}

// joiner is a rule for words that only join the parts of a phrase.
func joiner(pattern string) wordRule {
	r := rule(pattern, func(g []string, p *parts, e *env) bool { return true })
	r.joins = true
	return r
}

// number reads a number in digits or in the words of words.
func number(s string, words map[string]int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if n, ok := words[s]; ok {
		return n
	}
	return -1
}

// alternation is a regexp alternation of the keys of words, longest first.
func alternation(words map[string]int) string {
	keys := make([]string, 0, len(words))
	for k := range words {
		keys = append(keys, regexp.QuoteMeta(k))
	}
	sortLongestFirst(keys)
	return strings.Join(keys, "|")
}

func sortLongestFirst(keys []string) {
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && (len(keys[j]) > len(keys[j-1]) || len(keys[j]) == len(keys[j-1]) && keys[j] < keys[j-1]); j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
}

// common are the rules every language shares: times in digits (14:00,
// 9.30 with a time word, 4pm), ISO and numeric dates, and the English
// words a person may mix in.
func common() []wordRule {
	return []wordRule{
		rule(`(\d{1,2}):(\d{2})`, func(g []string, p *parts, e *env) bool {
			return p.setHour(atoi(g[1])) && p.setMinute(atoi(g[2]))
		}),
		rule(`(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?`, func(g []string, p *parts, e *env) bool {
			h := atoi(g[1])
			if h < 1 || h > 12 {
				return false
			}
			p.setHour(h)
			if g[2] != "" {
				p.setMinute(atoi(g[2]))
			}
			if g[3] == "p" {
				return p.setPart(dayAfternoon)
			}
			return p.setPart(dayMorning)
		}),
		rule(`(\d{4})-(\d{1,2})-(\d{1,2})`, func(g []string, p *parts, e *env) bool {
			return p.setDay(e.isoDate(atoi(g[1]), atoi(g[2]), atoi(g[3])))
		}),
		rule(`(\d{4})/(\d{1,2})/(\d{1,2})`, func(g []string, p *parts, e *env) bool {
			return p.setDay(e.isoDate(atoi(g[1]), atoi(g[2]), atoi(g[3])))
		}),
		rule(`(\d{1,2})([./])(\d{1,2})(?:[./](\d{4}))?\.?`, func(g []string, p *parts, e *env) bool {
			if g[4] == "" {
				return p.setDay(g[1] + g[2] + g[3] + dotAfter(g[2]))
			}
			y := e.gregorianYear(atoi(g[4]))
			if e.cal == core.CalendarPersian && y < 1700 {
				// A Solar Hijri date written day first.
				return p.setDay(e.isoDate(y, atoi(g[3]), atoi(g[1])))
			}
			return p.setDay(g[1] + g[2] + g[3] + g[2] + strconv.Itoa(y))
		}),
	}
}

func dotAfter(sep string) string {
	if sep == "." {
		return "."
	}
	return ""
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// gregorianYear turns a year the person wrote in their calendar into the
// Gregorian one: 2569 is 2026 in the Buddhist era, as Thai writes years.
func (e *env) gregorianYear(y int) int {
	if y >= 2400 && y < 2700 {
		return y - 543
	}
	return y
}

// isoDate writes a date the person wrote as the grammar's ISO date; a
// year between 1300 and 1700 is Solar Hijri ("1405/09/15"), one past 2400
// Buddhist.
func (e *env) isoDate(y, m, d int) string {
	y = e.gregorianYear(y)
	if y >= 1300 && y < 1700 {
		if m < 1 || m > 12 || d < 1 || d > 31 {
			return "0000-00-00"
		}
		y, m, d = gregorianOfPersian(y, m, d)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// gregorianOfPersian converts a Solar Hijri date to the Gregorian one,
// the inverse of persianDate.
func gregorianOfPersian(jy, jm, jd int) (int, int, int) {
	days := (jm-1)*31 + jd - 1
	if jm > 6 {
		days = 186 + (jm-7)*30 + jd - 1
	}
	g := time.Date(jy+621, 3, 21, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
	for range 3 { // 1 Farvardin falls on 20, 21 or 22 March
		y, m, d := persianDate(g.Year(), int(g.Month()), g.Day())
		diff := (y-jy)*366 + (m-jm)*31 + (d - jd)
		switch {
		case diff > 0:
			g = g.AddDate(0, 0, -1)
		case diff < 0:
			g = g.AddDate(0, 0, 1)
		default:
			return g.Year(), int(g.Month()), g.Day()
		}
	}
	return g.Year(), int(g.Month()), g.Day()
}

// dayMonth is the ISO date of day and month (in year, else the next one
// from today); a day the month lacks is written as said, for the reader
// to refuse.
func (e *env) dayMonth(day, month, year int) string {
	if year == 0 {
		year = e.now.Year()
		if month < int(e.now.Month()) || month == int(e.now.Month()) && day < e.now.Day() {
			year++
		}
	}
	return fmt.Sprintf("%04d-%02d-%02d", e.gregorianYear(year), month, day)
}

// dayOfMonth is the ISO date of the day of this month ("15号"), or of
// next month once it has passed.
func (e *env) dayOfMonth(day int) string {
	y, m := e.now.Year(), int(e.now.Month())
	if day < e.now.Day() {
		m++
		if m > 12 {
			y, m = y+1, 1
		}
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
}

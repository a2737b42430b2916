package bot

import (
	"errors"
	"strings"
	"sync"
	"time"

	"leadwire/core"
	"leadwire/internal/lang"
)

// speaker is how a person writes date phrases: in their language (one of
// lang.Languages), with slash dates in their locale's order and in their
// calendar. A Solar Hijri month's name or year (آذر, Esfand, 1405) and a
// Buddhist-era year (2569) say which calendar a date is in whatever the
// setting; the setting says it of what names no calendar: a day and a
// month in figures ("15/12" is 15 Esfand in the Persian calendar) and a
// year in two ("15/12/69" is 2569 in the Buddhist era, 2026).
type speaker struct {
	lang  string
	order dayOrder
	cal   core.Calendar
}

// speakerOf is how u writes dates, whose language is language and
// calendar cal.
func speakerOf(u *core.User, language string, cal core.Calendar) speaker {
	locale := u.Locale
	if locale == "" && language != "en" {
		locale = language // the chat's or the organisation's language orders their slash dates
	}
	return speaker{lang: language, order: orderFor(locale), cal: cal}
}

// defaultDates is the reader ReadTime and ReadDate share: it is built
// once (its rules are compiled regexps) and safe for concurrent use.
var defaultDates = sync.OnceValue(newDates)

// ReadTime reads a time a person typed, in their zone loc, as the chat
// reads it ("tomorrow 9am", "in 2h", "fri 14:00", "dec 24", "2026-12-01
// 14:00", and in their language: "jutro o 9", "明天上午9点"): the one reader
// of date phrases, for the chat and the command line alike. locale is the
// person's language and says how they write a slash date ("3/4"). A
// phrase it cannot read whole is refused with why, and examples.
func ReadTime(text string, now time.Time, loc *time.Location, locale string) (time.Time, error) {
	return defaultDates().readTime(text, now, loc, localeSpeaker(locale))
}

// ReadDate reads a calendar date a person typed ("15 jan", "next fri",
// "2027-01-15", "15 grudnia") as ReadTime does; the date is returned at
// midnight UTC, as expected close dates are kept.
func ReadDate(text string, now time.Time, loc *time.Location, locale string) (time.Time, error) {
	return defaultDates().readDate(text, now, loc, localeSpeaker(locale))
}

func localeSpeaker(locale string) speaker {
	return speaker{lang: lang.Pick(locale), order: orderFor(locale)}
}

// readIn finds a phrase at the start or the end of text as s writes it:
// in their language first, then in English, which anyone may mix in.
func (p *dates) readIn(s speaker, text string, now time.Time, loc *time.Location) (time.Time, string, error) {
	l := p.locals[s.lang]
	if l == nil {
		l = p.calendars[s.cal] // English in another calendar: its months and years first
	}
	if l != nil {
		e := &env{now: now.In(loc), loc: loc, cal: s.cal, order: s.order}
		at, rest, err := l.read(p, text, e, s.order)
		if err == nil && rest == "" {
			return at, rest, nil // nothing left for English to read
		}
		// An English phrase that reads more of the text wins: "tomorrow
		// 9am" typed by a Thai rep is not 9am today and "tomorrow".
		// One the language's rules refused wins only when it is English whole.
		if enAt, enRest, enErr := p.readEra(s, text, now, loc); enErr == nil &&
			(errors.Is(err, errNoDate) || err == nil && len(enRest) < len(rest) || err != nil && enRest == "") {
			return enAt, enRest, nil
		}
		if err != nil && !errors.Is(err, errNoDate) {
			return time.Time{}, text, err
		}
		return at, rest, err
	}
	return p.readEra(s, text, now, loc)
}

// readEra reads an English phrase; a Buddhist-era year in it ("15 dec
// 2569") is the Gregorian year 543 before for a speaker in that calendar.
func (p *dates) readEra(s speaker, text string, now time.Time, loc *time.Location) (time.Time, string, error) {
	at, rest, err := p.read(text, now, loc, s.order)
	if err == nil && s.cal == core.CalendarBuddhist && at.Year() >= 2400 {
		at = at.AddDate(-543, 0, 0)
	}
	return at, rest, err
}

// readWholeIn reads text that must be a date phrase and nothing else.
func (p *dates) readWholeIn(s speaker, text string, now time.Time, loc *time.Location) (time.Time, error) {
	if p.locals[s.lang] == nil && p.calendars[s.cal] == nil {
		return p.readWhole(text, now, loc, s.order)
	}
	at, rest, err := p.readIn(s, text, now, loc)
	if err != nil {
		return time.Time{}, err
	}
	if rest := strings.Trim(rest, ".,;!。"); rest != "" {
		return time.Time{}, &dateError{msg: "I can read the time in " + text + " but not " + rest, key: "phrase.extra", word: rest}
	}
	return at, nil
}

func (p *dates) readTime(text string, now time.Time, loc *time.Location, s speaker) (time.Time, error) {
	at, err := p.readWholeIn(s, text, now, loc)
	if err != nil {
		return time.Time{}, unreadable(text, err, "a time", "tomorrow 9am, in 2h, fri 14:00 or 2026-12-01 14:00", s)
	}
	return at, nil
}

func (p *dates) readDate(text string, now time.Time, loc *time.Location, s speaker) (time.Time, error) {
	at, err := p.readWholeIn(s, text, now, loc)
	if err != nil {
		return time.Time{}, unreadable(text, err, "a date", "2027-01-15, 15 jan or next fri", s)
	}
	y, m, d := at.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

// unreadable is the invalid-input error for a refused phrase: the reader's
// reason when it has one, and how to write it instead; in the speaker's
// language when it is not English.
func unreadable(text string, err error, what, examples string, s speaker) error {
	if s.lang != "en" && lang.Match(s.lang) != "" {
		pr := lang.Default().For(s.lang)
		key := "phrase.examples_time"
		if what == "a date" {
			key = "phrase.examples_date"
		}
		return core.Errorf(core.KindInvalid, "%s", pr.T("phrase.refused_with", "Error", refusal(pr, text, err), "Examples", pr.T(key)))
	}
	if de := (*dateError)(nil); errors.As(err, &de) {
		return core.Errorf(core.KindInvalid, "%s; write it like %s", de, examples)
	}
	return core.Errorf(core.KindInvalid, "%q is not %s I can read; write it like %s", text, what, examples)
}

// refusal says in pr's language why text was refused: the reason the
// reader gave when the catalog has it, else that it could not be read.
func refusal(pr *lang.Printer, text string, err error) string {
	q := "“" + strings.TrimSpace(text) + "”"
	if de := (*dateError)(nil); errors.As(err, &de) && de.key != "" {
		return pr.T(de.key, "Text", q, "Word", "“"+de.word+"”")
	}
	return pr.T("phrase.unreadable", "Text", q)
}

// refusal is why a phrase the asker typed was refused, in their language:
// the reader's own words in English, the catalog's in the others.
func (r *request) refusal(text string, err *dateError) string {
	if r.p.Lang() == "en" {
		return err.Error()
	}
	return refusal(r.p, text, err)
}

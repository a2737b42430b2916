package bot

import (
	"errors"
	"time"

	"leadwire/core"
)

// ReadTime reads a time a person typed, in their zone loc, as the chat
// reads it ("tomorrow 9am", "in 2h", "fri 14:00", "dec 24", "2026-12-01
// 14:00"): the one reader of date phrases, for the chat and the command
// line alike. locale says how the person writes a slash date ("3/4"). A
// phrase it cannot read whole is refused with why, and examples.
func ReadTime(text string, now time.Time, loc *time.Location, locale string) (time.Time, error) {
	return newDates().readTime(text, now, loc, locale)
}

// ReadDate reads a calendar date a person typed ("15 jan", "next fri",
// "2027-01-15") as ReadTime does; the date is returned at midnight UTC, as
// expected close dates are kept.
func ReadDate(text string, now time.Time, loc *time.Location, locale string) (time.Time, error) {
	return newDates().readDate(text, now, loc, locale)
}

func (p *dates) readTime(text string, now time.Time, loc *time.Location, locale string) (time.Time, error) {
	at, err := p.readWhole(text, now, loc, orderFor(locale))
	if err != nil {
		return time.Time{}, unreadable(text, err, "a time", "tomorrow 9am, in 2h, fri 14:00 or 2026-12-01 14:00")
	}
	return at, nil
}

func (p *dates) readDate(text string, now time.Time, loc *time.Location, locale string) (time.Time, error) {
	at, err := p.readWhole(text, now, loc, orderFor(locale))
	if err != nil {
		return time.Time{}, unreadable(text, err, "a date", "2027-01-15, 15 jan or next fri")
	}
	y, m, d := at.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

// unreadable is the invalid-input error for a refused phrase: the reader's
// reason when it has one, and how to write it instead.
func unreadable(text string, err error, what, examples string) error {
	if de := (*dateError)(nil); errors.As(err, &de) {
		return core.Errorf(core.KindInvalid, "%s; write it like %s", de, examples)
	}
	return core.Errorf(core.KindInvalid, "%q is not %s I can read; write it like %s", text, what, examples)
}

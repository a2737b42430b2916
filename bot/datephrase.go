package bot

import (
	"time"

	"leadwire/core"
)

// ReadTime reads a time a person typed, in their zone loc, as the chat
// reads it ("tomorrow 9am", "in 2h", "fri 14:00", "dec 24", "2026-12-01
// 14:00"): the one reader of date phrases, for the chat and the command
// line alike. A phrase it cannot read whole is refused with examples.
func ReadTime(text string, now time.Time, loc *time.Location) (time.Time, error) {
	at, ok := newDates().whole(text, now, loc)
	if !ok {
		return time.Time{}, core.Errorf(core.KindInvalid, "%q is not a time I can read; write it like tomorrow 9am, in 2h, fri 14:00 or 2026-12-01 14:00", text)
	}
	return at, nil
}

// ReadDate reads a calendar date a person typed ("15 jan", "next fri",
// "2027-01-15") in their zone loc; the date is returned at midnight UTC,
// as expected close dates are kept.
func ReadDate(text string, now time.Time, loc *time.Location) (time.Time, error) {
	at, ok := newDates().whole(text, now, loc)
	if !ok {
		return time.Time{}, core.Errorf(core.KindInvalid, "%q is not a date I can read; write it like 2027-01-15, 15 jan or next fri", text)
	}
	y, m, d := at.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

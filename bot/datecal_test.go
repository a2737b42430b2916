package bot

import (
	"testing"
	"time"

	"leadwire/core"
)

func TestTheCalendarSettingReadsWhatNamesNoCalendar(t *testing.T) {
	persian, buddhist, gregorian := core.CalendarPersian, core.CalendarBuddhist, core.CalendarGregorian
	tests := []struct {
		name   string
		says   speaker
		phrase string
		want   string // the day, "" refused
	}{
		{"a Persian month's name is Solar Hijri in any calendar", speaker{"fa", orderUnknown, gregorian}, "۱۵ اسفند", "2027-03-06"},
		{"so is one typed in Latin letters", speaker{"fa", orderUnknown, gregorian}, "15 Esfand", "2027-03-06"},
		{"figures are the Persian calendar's for a Persian rep in it", speaker{"fa", orderUnknown, persian}, "۱۵/۱۲", "2027-03-06"},
		{"in either order when one cannot be a month", speaker{"fa", orderUnknown, persian}, "12/15", "2027-03-06"},
		{"and Gregorian for one in the Gregorian calendar", speaker{"fa", orderUnknown, gregorian}, "۱۵/۱۲", "2026-12-15"},
		{"two figures that could each be the month are refused", speaker{"fa", orderUnknown, persian}, "3/4", ""},
		{"a year in two figures is the Solar Hijri year", speaker{"fa", orderUnknown, persian}, "15/12/05", "2027-03-06"},
		{"an English speaker in the Persian calendar names its months", speaker{"en", orderDayFirst, persian}, "15 Esfand 3pm", "2027-03-06"},
		{"and their figures are its days", speaker{"en", orderDayFirst, persian}, "15/12", "2027-03-06"},
		{"and English phrases still read as English", speaker{"en", orderDayFirst, persian}, "tomorrow 9am", "2026-11-03"},
		{"a Solar month's name means nothing in English otherwise", speaker{"en", orderDayFirst, gregorian}, "15 Esfand", ""},
		{"a Buddhist-era year in two figures for a Thai rep in that era", speaker{"th", orderDayFirst, buddhist}, "15/12/69", "2026-12-15"},
		{"but no year for one in the Gregorian calendar", speaker{"th", orderDayFirst, gregorian}, "15/12/69", ""},
		{"two figures after พ.ศ. are the era's year", speaker{"th", orderDayFirst, buddhist}, "15 ธ.ค. พ.ศ. 69", "2026-12-15"},
		{"a Thai month without a year is the next one", speaker{"th", orderDayFirst, buddhist}, "15 ธ.ค. 10 โมง", "2026-12-15"},
		{"an English speaker in the Buddhist era writes its years", speaker{"en", orderDayFirst, buddhist}, "15 dec 2569", "2026-12-15"},
		{"in figures too", speaker{"en", orderDayFirst, buddhist}, "15/12/69 14:00", "2026-12-15"},
	}
	d := newDates()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, err := d.readWholeIn(tt.says, tt.phrase, phraseMonday, time.UTC)
			switch {
			case tt.want == "" && err == nil:
				t.Errorf("%q read as %s, want a refusal", tt.phrase, at)
			case tt.want != "" && err != nil:
				t.Errorf("%q: %v, want %s", tt.phrase, err, tt.want)
			case tt.want != "" && at.Format(time.DateOnly) != tt.want:
				t.Errorf("%q read as %s, want %s", tt.phrase, at.Format(time.DateOnly), tt.want)
			}
		})
	}
}

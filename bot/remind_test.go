package bot_test

import (
	"testing"
	"time"

	"leadwire/storage/storagetest"
)

func TestRemindReadsTheDayTyped(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Warsaw", "Anna Nowak", "anna@polimex.pl", "Polimex")
	c.say(t, "zofia", "claim L1")
	polish := *c.users["zofia"]
	polish.Locale = "pl"
	c.users["polish"] = &polish
	c.clock.Set(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	c.run(t, []step{
		{"day then month", "zofia", "remind L1 12 dec 16:30 call", []string{"due Sat 12 Dec 16:30 (Europe/Warsaw): call (on L1)"}, nil},
		{"month then day", "zofia", "remind L1 dec 12 4:30pm call", []string{"due Sat 12 Dec 16:30 (Europe/Warsaw): call (on L1)"}, nil},
		{"an ISO date", "zofia", "remind L1 2026-12-12 16:30 call", []string{"due Sat 12 Dec 16:30 (Europe/Warsaw): call (on L1)"}, nil},
		{"a number that could be an hour", "zofia", "remind L1 12 dec 16 call", []string{`I can't tell what "16" after "12 dec" is`, "remind L1 12 dec 16:30 call back"}, []string{"due"}},
		{"a weekday that is not the date's", "zofia", "remind L1 fri 12 dec call", []string{"12 Dec 2026 is a Saturday, not a Friday"}, []string{"due"}},
		{"a snooze into a missing day", "zofia", "snooze T1 31 nov", []string{"November has 30 days"}, []string{"snoozed"}},
		{"a deal", "zofia", "qualify L1", []string{"qualified into D1"}, nil},
		{"a slash date with no locale to order it", "zofia", "close D1 3/4", []string{`"3/4" could be 3 apr or mar 4`}, []string{"expected to close"}},
		{"a slash date a Polish locale orders day first", "polish", "close D1 3/4", []string{"D1: planowane zamknięcie sob. 3 kwi 2027."}, nil},
	})
}

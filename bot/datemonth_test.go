package bot

import (
	"strconv"
	"strings"
	"testing"
	"time"

	dps "github.com/markusmobius/go-dateparser"
)

// The months' names the rules know are those go-dateparser reads from
// CLDR, in Thai, Persian (Gregorian and Solar Hijri) and Polish (every
// case of the name starts with the stem the rules match).
func TestMonthNamesAgreeWithGoDateparser(t *testing.T) {
	parser := &dps.Parser{ParserTypes: []dps.ParserType{dps.AbsoluteTime}}
	read := func(t *testing.T, lang, text string, jalali bool) time.Time {
		t.Helper()
		cfg := &dps.Configuration{Languages: []string{lang}, DateOrder: dps.DMY, CurrentTime: phraseMonday}
		var d dpsDate
		var err error
		if jalali {
			d, err = dps.ParseJalali(cfg, text)
		} else {
			d, err = parser.Parse(cfg, text)
		}
		if err != nil || d.IsZero() {
			t.Fatalf("go-dateparser does not read %q in %s: %v", text, lang, err)
		}
		return d.Time
	}
	// Where go-dateparser is wrong, and why the rules differ.
	misread := map[string]string{"ม.ค.": "go-dateparser v1.4.7 reads ม.ค. (มกราคม, January) as March (มี.ค.)"}
	for word, m := range thaiMonthNames {
		t.Run("th "+word, func(t *testing.T) {
			if why := misread[word]; why != "" {
				t.Skip(why)
			}
			if got := read(t, "th", "15 "+word+" 2026", false); int(got.Month()) != m {
				t.Errorf("go-dateparser reads %q as month %d; the rules say %d", word, got.Month(), m)
			}
		})
	}
	for word, m := range persianGregorianMonths {
		t.Run("fa "+word, func(t *testing.T) {
			if got := read(t, "fa", "15 "+word+" 2026", false); int(got.Month()) != m {
				t.Errorf("go-dateparser reads %q as month %d; the rules say %d", word, got.Month(), m)
			}
		})
	}
	e := &env{now: phraseMonday, loc: time.UTC}
	for word, m := range persianMonths {
		t.Run("fa Solar Hijri "+word, func(t *testing.T) {
			got := read(t, "fa", "15 "+word+" 1405", true).Format(time.DateOnly)
			if want := e.persianDay(15, m, 1405); got != want {
				t.Errorf("go-dateparser reads 15 %s 1405 as %s; the rules say %s", word, got, want)
			}
		})
	}
	polish := []string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"}
	for i, word := range polish {
		t.Run("pl "+word, func(t *testing.T) {
			if got := read(t, "pl", "15 "+word+" 2026", false); int(got.Month()) != i+1 {
				t.Errorf("go-dateparser reads %q as month %d, not %d", word, got.Month(), i+1)
			}
			if folded := fold(word, true).text; !strings.HasPrefix(folded, polishMonths[i]) {
				t.Errorf("%q, typed without marks (%q), does not start with the stem %q", word, folded, polishMonths[i])
			}
			at, _, err := newDates().readIn(speaker{lang: "pl", order: orderDayFirst}, "15 "+word+" 2027", phraseMonday, time.UTC)
			if err != nil || at.Format(time.DateOnly) != "2027-"+pad(i+1)+"-15" {
				t.Errorf("the rules read 15 %s 2027 as %s, %v", word, at.Format(time.DateOnly), err)
			}
		})
	}
}

func pad(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

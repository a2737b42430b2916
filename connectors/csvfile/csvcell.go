package csvfile

import (
	"encoding/csv"
	"io"
	"strings"
	"unicode"
)

// A spreadsheet takes a cell that begins with = + - or @ (or a tab or a
// carriage return, or any of them after leading spaces) for a formula,
// and a formula can run commands (DDE: +cmd|' /C calc'!A0) or send data
// away (=HYPERLINK(...)). Every CSV leadwire writes goes through
// cellWriter, which puts a single quote before such a cell, as OWASP
// advises: a spreadsheet shows the cell as text, without the quote.
// Headers are cells too (form field names become export columns).
//
// A plain negative number ("-5", "-12.50") is left as it is: a
// spreadsheet reads it as that number and nothing else, and a score
// column stays numeric. Anything else that begins with '-' is quoted,
// and so is a leading '+': an E.164 phone number "+48601234567" would
// otherwise be read as a number and lose its plus.
//
// Import reads a quoted cell back without its quote, so what leadwire
// exports imports back as it was. A cell that begins with a quote before
// what would be quoted gets a second one, so that stays true for a value
// that really begins with a quote.

// FormulaStart reports whether a spreadsheet could read cell as a formula.
func FormulaStart(cell string) bool {
	trimmed := strings.TrimLeftFunc(cell, func(r rune) bool { return r != '\t' && r != '\r' && unicode.IsSpace(r) })
	if trimmed == "" {
		return false
	}
	switch trimmed[0] {
	case '=', '+', '@', '\t', '\r':
		return true
	case '-':
		return !negativeNumber(trimmed)
	}
	// Full-width forms, which some spreadsheets take for the ASCII ones.
	return strings.HasPrefix(trimmed, "＝") || strings.HasPrefix(trimmed, "＋") ||
		strings.HasPrefix(trimmed, "－") || strings.HasPrefix(trimmed, "＠")
}

// negativeNumber reports whether s is "-" and a plain decimal number.
func negativeNumber(s string) bool {
	digits, frac, _ := strings.Cut(s[1:], ".")
	return digits != "" && allASCIIDigits(digits) && (!strings.Contains(s, ".") || frac != "" && allASCIIDigits(frac))
}

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// needsQuote reports whether cell is written with a quote before it: it
// could be a formula, or it begins with a quote that import would
// otherwise take away.
func needsQuote(cell string) bool {
	return FormulaStart(cell) || strings.HasPrefix(cell, "'") && needsQuote(cell[1:])
}

// safeCell is the cell as leadwire writes it into a CSV file.
func safeCell(cell string) string {
	if needsQuote(cell) {
		return "'" + cell
	}
	return cell
}

// readCell is a cell as read from a CSV file: without the quote safeCell
// (or another program following the same advice) put before it.
func readCell(cell string) string {
	if strings.HasPrefix(cell, "'") && needsQuote(cell[1:]) {
		return cell[1:]
	}
	return cell
}

// readCells applies readCell to every cell of a record, in place.
func readCells(rec []string) []string {
	for i := range rec {
		rec[i] = readCell(rec[i])
	}
	return rec
}

// cellWriter writes CSV records whose every cell, headers included, a
// spreadsheet shows as text rather than running as a formula.
type cellWriter struct {
	w *csv.Writer
}

// newCellWriter writes to w with the separator comma.
func newCellWriter(w io.Writer, comma rune) *cellWriter {
	cw := csv.NewWriter(w)
	cw.Comma = comma
	return &cellWriter{w: cw}
}

// Write writes one record.
func (c *cellWriter) Write(rec []string) error {
	safe := make([]string, len(rec))
	for i, cell := range rec {
		safe[i] = safeCell(cell)
	}
	return c.w.Write(safe)
}

// Flush writes what is buffered; Error says whether a write failed.
func (c *cellWriter) Flush() { c.w.Flush() }

// Error reports an error of an earlier Write or Flush.
func (c *cellWriter) Error() error { return c.w.Error() }

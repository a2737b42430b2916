// Package display lays out text for a person at a terminal: the width a
// string takes in terminal cells (a Thai combining mark takes none, a
// Chinese character two), tables aligned by that width, and durations in
// words ("11 days", "3 h 20 min") rather than Go's "264h51m0s".
package display

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rivo/uniseg"
)

// Width is how many terminal cells s takes, by grapheme cluster: combining
// marks (Thai vowels and tone marks, Vietnamese accents written apart)
// take none, East Asian wide characters (Chinese, Japanese, Korean) two.
func Width(s string) int { return uniseg.StringWidth(s) }

// PadRight pads s with spaces to width cells.
func PadRight(s string, width int) string {
	if n := width - Width(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// PadLeft pads s with spaces in front to width cells.
func PadLeft(s string, width int) string {
	if n := width - Width(s); n > 0 {
		return strings.Repeat(" ", n) + s
	}
	return s
}

// Table writes rows of cells in columns aligned by display width, two
// spaces apart. Write it like a text/tabwriter: cells end with a tab, rows
// with a newline (a tab before the newline is allowed); Flush lays out the
// rows written since the last Flush. The first row is the header.
type Table struct {
	out io.Writer
	// Numbers right-aligns every column but the first, for tables of
	// figures.
	Numbers bool
	// Empty is what Flush writes instead of a header with no rows under
	// it: a sentence saying there is nothing, and what to do about it.
	Empty string

	pending []byte
	rows    [][]string
}

// NewTable returns a table writing to out.
func NewTable(out io.Writer) *Table { return &Table{out: out} }

// Write implements io.Writer: it buffers cells and rows until Flush.
func (t *Table) Write(p []byte) (int, error) {
	t.pending = append(t.pending, p...)
	for {
		i := bytes.IndexByte(t.pending, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := strings.TrimSuffix(string(t.pending[:i]), "\t")
		t.pending = t.pending[i+1:]
		t.rows = append(t.rows, strings.Split(line, "\t"))
	}
}

// Flush writes the rows written so far, aligned, and forgets them.
func (t *Table) Flush() error {
	if len(t.pending) > 0 {
		t.Write([]byte("\n"))
	}
	rows := t.rows
	t.rows = nil
	if len(rows) == 0 {
		return nil
	}
	if len(rows) == 1 && t.Empty != "" {
		_, err := fmt.Fprintln(t.out, t.Empty)
		return err
	}
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], Width(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			if i > 0 {
				line.WriteString("  ")
			}
			if t.Numbers && i > 0 {
				line.WriteString(PadLeft(cell, widths[i]))
			} else {
				line.WriteString(PadRight(cell, widths[i]))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(t.out, b.String())
	return err
}

// Duration says how long d is in words a person reads at a glance, to
// the precision that matters at its size: "40 s", "25 min", "3 h 20 min",
// "1 day 6 h", "11 days".
func Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	case d < 24*time.Hour:
		d = d.Round(time.Minute)
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if h == 24 {
			return "1 day"
		}
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	case d < 48*time.Hour:
		h := int(d.Round(time.Hour)/time.Hour) - 24
		if h == 0 {
			return "1 day"
		}
		if h == 24 {
			return "2 days"
		}
		return fmt.Sprintf("1 day %d h", h)
	}
	return fmt.Sprintf("%d days", int(d.Round(24*time.Hour)/(24*time.Hour)))
}

package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressMeter shows how far a long command has got on stderr: a bar when
// stderr is a terminal, else a line every few seconds ("imported
// 5000/20000 rows"), fit for logs.
type progressMeter struct {
	bar   *progressbar.ProgressBar
	out   io.Writer
	verb  string
	unit  string
	total int
	last  time.Time
}

// progressLineEvery is how often a progress line is written when stderr is
// not a terminal.
const progressLineEvery = 2 * time.Second

func newProgressMeter(out io.Writer, total int, verb, unit string) *progressMeter {
	m := &progressMeter{out: out, verb: verb, unit: unit, total: total, last: time.Now()}
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		m.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(out),
			progressbar.OptionSetDescription(verb),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(unit),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return m
}

// set reports that n of total are done.
func (m *progressMeter) set(n int) {
	if m.bar != nil {
		m.bar.Set(n)
		return
	}
	if time.Since(m.last) >= progressLineEvery {
		fmt.Fprintf(m.out, "%s %d/%d %s\n", m.verb, n, m.total, m.unit)
		m.last = time.Now()
	}
}

// clear takes the bar off the line, so a message can be printed; the next
// set draws it again.
func (m *progressMeter) clear() {
	if m != nil && m.bar != nil {
		m.bar.Clear()
	}
}

// done clears the bar, so the summary that follows stands alone.
func (m *progressMeter) done() {
	if m.bar != nil {
		m.bar.Finish()
	}
}

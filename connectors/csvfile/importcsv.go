package csvfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"

	"leadwire/core"
)

// csvFile reads an import file: UTF-8 with or without a byte order mark,
// fields separated by ',' or ';' (or a tab), told apart on the header line.
type csvFile struct {
	f      *os.File
	r      *csv.Reader
	delim  rune
	bom    bool
	header []string
	row    int // spreadsheet row number of the last record read; the header is row 1
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// openCSV opens path and reads its header.
func openCSV(path string) (*csvFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 64<<10)
	c := &csvFile{f: f}
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		c.bom = true
		br.Discard(len(utf8BOM))
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		f.Close()
		return nil, core.Errorf(core.KindInvalid, "%s is UTF-16 text; save it as \"CSV UTF-8\" and import that", path)
	}
	first, _ := br.Peek(32 << 10) // what there is, when the file is shorter
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	c.delim = sniffDelimiter(first)
	c.r = csv.NewReader(br)
	c.r.Comma = c.delim
	c.r.FieldsPerRecord = -1 // counted per row, to report the row and go on
	c.header, err = c.r.Read()
	c.row = 1
	if errors.Is(err, io.EOF) {
		f.Close()
		return nil, core.Errorf(core.KindInvalid, "%s is empty; the first line must name the columns", path)
	}
	if err != nil {
		f.Close()
		return nil, core.Errorf(core.KindInvalid, "%s: cannot read the header line: %v", path, err)
	}
	for i, h := range c.header {
		c.header[i] = strings.TrimSpace(readCell(h))
	}
	return c, nil
}

// sniffDelimiter picks the most frequent of ',', ';' and tab outside
// quotes on the header line; ',' when none occurs.
func sniffDelimiter(line []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, b := range line {
		switch {
		case b == '"':
			quoted = !quoted
		case !quoted && (b == ',' || b == ';' || b == '\t'):
			counts[b]++
		}
	}
	best := byte(',')
	for _, d := range []byte{';', '\t'} {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return rune(best)
}

// next reads the next record. A malformed record comes back as a
// *csv.ParseError (the file can be read on); io.EOF ends the file.
func (c *csvFile) next() ([]string, error) {
	rec, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	c.row++
	return readCells(rec), err
}

func (c *csvFile) Close() error { return c.f.Close() }

// countRows counts the data rows of path, malformed ones included.
func countRows(path string) (int, error) {
	c, err := openCSV(path)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	n := 0
	for {
		_, err := c.next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			return n, err
		}
		n++
	}
}

// rawLines returns the text of the given 1-based line numbers of path, for
// rows too malformed to split into fields.
func rawLines(path string, want map[int]bool) (map[int]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[int]string{}
	br := bufio.NewReader(f)
	for n := 1; len(out) < len(want); n++ {
		line, err := br.ReadString('\n')
		if want[n] {
			out[n] = strings.TrimRight(strings.TrimPrefix(line, string(utf8BOM)), "\r\n")
		}
		if err != nil {
			break
		}
	}
	return out, nil
}

// lenientSplit splits a line that strict CSV refused, as best it can, so
// the errors file shows it in its columns; failing that, whole.
func lenientSplit(line string, delim rune) []string {
	r := csv.NewReader(strings.NewReader(line))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = delim, true, -1
	if rec, err := r.Read(); err == nil {
		return rec
	}
	return []string{line}
}

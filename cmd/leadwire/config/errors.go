package config

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"leadwire/core"
)

// Error is one problem found in a configuration: where it is and what would
// be right. Load and Parse return every problem they find, each an *Error,
// joined with errors.Join so they print one per line.
type Error struct {
	File    string // the file name as given, "leadwire.yaml"
	Line    int    // 1-based; 0 when the problem has no place in the file
	Column  int    // 1-based, set for syntax errors only
	Path    string // the key path, "teams[0].manager"; "" for syntax errors
	Message string
}

// Error formats the problem as "leadwire.yaml: teams[0].manager at line 12:
// message".
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	switch {
	case e.Path != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s at line %d: ", e.Path, e.Line)
	case e.Path != "":
		fmt.Fprintf(&b, "%s: ", e.Path)
	case e.Line > 0 && e.Column > 0:
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	b.WriteString(e.Message)
	return b.String()
}

// problems collects errors with their place in one file.
type problems struct {
	file  string
	lines map[string]int // key path → line, filled while decoding
	errs  []*Error
}

// at records a problem at an explicit line.
func (p *problems) at(line int, path, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Path: path, Message: fmt.Sprintf(format, args...)})
}

// errf records a problem at path, on the line the path was read from, or
// the nearest enclosing key's line when the path itself is absent (a
// missing required key is reported where its parent is).
func (p *problems) errf(path, format string, args ...any) {
	p.at(p.line(path), path, format, args...)
}

func (p *problems) line(path string) int {
	for path != "" {
		if l, ok := p.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// settings records the problems an adapter's settings check found: each
// *core.SettingError at its key below path, anything else at path.
func (p *problems) settings(path string, err error) {
	if err == nil {
		return
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		if se, ok := errors.AsType[*core.SettingError](e); ok {
			p.errf(path+"."+se.Key, "%s", se.Message)
		} else {
			p.errf(path, "%v", e)
		}
	}
}

// err joins the problems in file order; problems without a line come last.
func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(p.errs, func(a, b *Error) int {
		if (a.Line == 0) != (b.Line == 0) {
			if a.Line == 0 {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Line, b.Line)
	})
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// suggest returns the candidate closest to word when it is close enough to
// be a likely typo, else "".
func suggest(word string, candidates []string) string {
	w := strings.ToLower(word)
	best, bestDist := "", 0
	for _, c := range candidates {
		d := distance(w, strings.ToLower(c))
		limit := 2
		if n := min(len([]rune(w)), len([]rune(c))); n <= 4 {
			limit = 1
		}
		if d <= limit && (best == "" || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean is "; did you mean X?" for a close candidate, else
// "; valid values are a, b, c" (or nothing when there are too many to list).
func didYouMean(word string, candidates []string, what string) string {
	if s := suggest(word, candidates); s != "" {
		return fmt.Sprintf("; did you mean %s?", s)
	}
	if len(candidates) == 0 || len(candidates) > 24 {
		return ""
	}
	return fmt.Sprintf("; valid %s are %s", what, strings.Join(candidates, ", "))
}

// distance is the optimal string alignment distance: edits, counting a
// swap of two neighbours as one ("mangaer" is one edit from "manager").
func distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	rows := make([][]int, len(s)+1)
	for i := range rows {
		rows[i] = make([]int, len(t)+1)
		rows[i][0] = i
	}
	for j := range t {
		rows[0][j+1] = j + 1
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(s)][len(t)]
}

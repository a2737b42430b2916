package lang

import (
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// dateFields are what a date format message (ids under "date.") may use,
// in any order and any subset: languages write dates differently.
var dateFields = []string{"Weekday", "Day", "Month", "MonthNum", "Year", "Hour", "Minute", "Time", "Date"}

var placeholder = regexp.MustCompile(`\{\{-?\s*\.(\w+)`)

// Check reads the catalog files of fsys and says what is wrong with them,
// one line a problem: a file that does not parse, a message id missing
// from a language or unknown to English, placeholders that differ from
// English's, plural forms missing for a count, a template that fails.
func Check(fsys fs.FS) []string {
	var problems []string
	raw := map[string]map[string]any{}
	for _, l := range Languages {
		buf, err := fs.ReadFile(fsys, l+".yaml")
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s.yaml: %v", l, err))
			continue
		}
		var m map[string]any
		if err := yaml.Unmarshal(buf, &m); err != nil {
			problems = append(problems, fmt.Sprintf("%s.yaml does not parse: %v", l, err))
			continue
		}
		raw[l] = m
	}
	if len(problems) > 0 {
		return problems
	}
	en := raw["en"]
	for _, l := range Languages[1:] {
		m := raw[l]
		for _, id := range slices.Sorted(maps.Keys(en)) {
			msg, ok := m[id]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s.yaml: %s is missing", l, id))
				continue
			}
			want, have := fields(en[id]), fields(msg)
			if strings.HasPrefix(id, "date.") {
				if extra := minus(have, dateFields); len(extra) > 0 {
					problems = append(problems, fmt.Sprintf("%s.yaml: %s uses %v; a date may use %v", l, id, extra, dateFields))
				}
			} else if !slices.Equal(want, have) {
				problems = append(problems, fmt.Sprintf("%s.yaml: %s has placeholders %v, English has %v", l, id, have, want))
			}
			if _, plural := en[id].(map[string]any); plural != isMap(msg) {
				problems = append(problems, fmt.Sprintf("%s.yaml: %s has plural forms in one language and not the other", l, id))
			}
		}
		for id := range m {
			if _, ok := en[id]; !ok {
				problems = append(problems, fmt.Sprintf("%s.yaml: %s is not in en.yaml", l, id))
			}
		}
	}
	if len(problems) > 0 {
		return problems
	}
	c, err := Load(fsys)
	if err != nil {
		return []string{err.Error()}
	}
	// Every message, in every language, for counts that need each CLDR
	// form (Polish 1, 2, 5, 12, 22, 25; Persian 0 and 1).
	for _, l := range Languages {
		p := c.printers[l]
		for _, id := range slices.Sorted(maps.Keys(en)) {
			data := map[string]any{}
			for _, f := range append(fields(en[id]), dateFields...) {
				data[f] = 1
			}
			counts := []any{nil}
			if isMap(en[id]) {
				counts = []any{0, 1, 2, 3, 5, 11, 12, 21, 22, 25, 100, 101, 102, 105}
			}
			for _, n := range counts {
				if n != nil {
					data["Count"] = n
				}
				if _, err := p.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: n}); err != nil {
					problems = append(problems, fmt.Sprintf("%s.yaml: %s (count %v): %v", l, id, n, err))
					break
				}
			}
		}
	}
	return problems
}

func isMap(v any) bool { _, ok := v.(map[string]any); return ok }

// fields are the placeholders a message uses, in all its forms, sorted.
func fields(v any) []string {
	seen := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			for _, m := range placeholder.FindAllStringSubmatch(v, -1) {
				seen[m[1]] = true
			}
		case map[string]any:
			for _, f := range v {
				walk(f)
			}
		}
	}
	walk(v)
	return slices.Sorted(maps.Keys(seen))
}

func minus(have, allowed []string) []string {
	var out []string
	for _, h := range have {
		if !slices.Contains(allowed, h) {
			out = append(out, h)
		}
	}
	return out
}

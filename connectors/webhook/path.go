package webhook

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Path picks a value out of a JSON document: keys separated by dots, each
// optionally followed by selectors in brackets, an array index or a match.
//
//	data.fields.email                      the key email of the object fields of data
//	form_response.answers[2].email         the third answer's email
//	data.fields[label=Email].value         the first field whose label is Email
//	form_response.answers[field.ref=phone].phone_number
//	[0].email                              the first item of a top-level array
//
// A match compares the text of a value inside each array item (itself a
// dotted path) with the text after '='. Keys holding '.', '[' or ']' cannot
// be named.
type Path struct {
	text  string
	steps []step
}

type step struct {
	key   string // an object key; "" for a selector
	index int    // an array index, when match is nil and key is ""
	match *match // an array item whose value at path has this text
}

type match struct {
	path  []step
	value string
}

// String returns the path as written.
func (p Path) String() string { return p.text }

// maxPathLen bounds a path's text, so a mapping cannot be made to do much.
const maxPathLen = 512

// ParsePath reads a path; the error says what is wrong and how to write it.
func ParsePath(s string) (Path, error) {
	if s == "" || len(s) > maxPathLen {
		return Path{}, fmt.Errorf("invalid JSON path %q; write it like data.fields.email or answers[0].email", s)
	}
	steps, err := parseSteps(s, 0)
	if err != nil {
		return Path{}, fmt.Errorf("invalid JSON path %q: %v; write it like data.fields.email, answers[0].email or fields[label=Email].value", s, err)
	}
	return Path{text: s, steps: steps}, nil
}

// parseSteps parses s; depth bounds matches nested in matches.
func parseSteps(s string, depth int) ([]step, error) {
	if depth > 2 {
		return nil, fmt.Errorf("matches nest too deep")
	}
	var steps []step
	i := 0
	for first := true; i < len(s) || first; first = false {
		if !first {
			if s[i] != '.' {
				return nil, fmt.Errorf("want '.' at %d", i)
			}
			i++
		}
		j := i
		for j < len(s) && s[j] != '.' && s[j] != '[' && s[j] != ']' {
			j++
		}
		key := s[i:j]
		if key == "" && (!first || j >= len(s) || s[j] != '[') {
			return nil, fmt.Errorf("empty key at %d", i)
		}
		if key != "" {
			steps = append(steps, step{key: key})
		}
		i = j
		for i < len(s) && s[i] == '[' {
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("'[' at %d is not closed", i)
			}
			sel := s[i+1 : i+end]
			st, err := parseSelector(sel, depth)
			if err != nil {
				return nil, err
			}
			steps = append(steps, st)
			i += end + 1
		}
		if i < len(s) && s[i] == ']' {
			return nil, fmt.Errorf("']' at %d has no '['", i)
		}
		if i >= len(s) {
			break
		}
	}
	return steps, nil
}

func parseSelector(sel string, depth int) (step, error) {
	if sub, value, ok := strings.Cut(sel, "="); ok {
		if strings.ContainsAny(sel, "[") {
			return step{}, fmt.Errorf("a match [%s] cannot hold brackets", sel)
		}
		path, err := parseSteps(strings.TrimSpace(sub), depth+1)
		if err != nil {
			return step{}, fmt.Errorf("in [%s]: %v", sel, err)
		}
		return step{match: &match{path: path, value: strings.TrimSpace(value)}}, nil
	}
	n, err := strconv.Atoi(sel)
	if err != nil || n < 0 {
		return step{}, fmt.Errorf("[%s] is neither an index such as [0] nor a match such as [label=Email]", sel)
	}
	return step{index: n}, nil
}

// Lookup returns the value at the path in a document decoded with
// json.Decoder.UseNumber; false when the path leads nowhere.
func (p Path) Lookup(doc any) (any, bool) { return lookup(p.steps, doc) }

func lookup(steps []step, v any) (any, bool) {
	for _, st := range steps {
		switch {
		case st.key != "":
			obj, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = obj[st.key]; !ok {
				return nil, false
			}
		case st.match != nil:
			arr, ok := v.([]any)
			if !ok {
				return nil, false
			}
			found := false
			for _, item := range arr {
				if got, ok := lookup(st.match.path, item); ok {
					if text, ok := scalarText(got); ok && text == st.match.value {
						v, found = item, true
						break
					}
				}
			}
			if !found {
				return nil, false
			}
		default:
			arr, ok := v.([]any)
			if !ok || st.index >= len(arr) {
				return nil, false
			}
			v = arr[st.index]
		}
	}
	return v, true
}

// scalarText is the text of a string, number or boolean; false for null,
// objects and arrays.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

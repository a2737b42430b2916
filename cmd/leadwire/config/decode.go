package config

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// The decoder walks the YAML syntax tree alongside the Config type instead
// of handing the file to a generic unmarshaller, so that it can report every
// problem rather than the first, name each by key path and line, refuse
// unknown keys with a suggestion, and remember where each key was for the
// validation that follows.

// maxNodes bounds the work an input can cause, so aliases that expand into
// each other ("billion laughs") are refused instead of exhausting memory.
const maxNodes = 100_000

func newDecoder(p *problems, getenv func(string) string) *decoder {
	return &decoder{problems: p, getenv: getenv, anchors: map[string]ast.Node{}, active: map[ast.Node]bool{}, budget: maxNodes}
}

type decoder struct {
	*problems
	getenv  func(string) string
	anchors map[string]ast.Node
	active  map[ast.Node]bool // mappings and lists being decoded, to catch aliases into themselves
	budget  int
	spent   bool // the budget ran out; reported once
}

// parseYAML parses data into the body of its single document; nil for an
// empty document. A syntax error is the only problem recorded then.
func (d *decoder) parseYAML(data []byte) (body ast.Node, ok bool) {
	file, err := parse(data)
	if err != nil {
		e := &Error{File: d.file, Message: err.Error()}
		if se, isSyntax := err.(interface{ GetToken() *token.Token }); isSyntax && se.GetToken() != nil && se.GetToken().Position != nil {
			e.Line, e.Column = se.GetToken().Position.Line, se.GetToken().Position.Column
		}
		if m, isMsg := err.(interface{ GetMessage() string }); isMsg {
			e.Message = m.GetMessage()
		}
		if lines := strings.Split(string(data), "\n"); e.Line > 0 && e.Line <= len(lines) && strings.Contains(lines[e.Line-1], "${") {
			e.Message += `; inside [ ] or { } put a value using ${...} in quotes: "${NAME}"`
		}
		d.errs = append(d.errs, e)
		return nil, false
	}
	var docs []ast.Node
	for _, doc := range file.Docs {
		if doc != nil && doc.Body != nil {
			docs = append(docs, doc.Body)
		}
	}
	switch len(docs) {
	case 0:
		return nil, true
	case 1:
		return docs[0], true
	}
	d.at(line(docs[1]), "", "the file holds %d YAML documents; put the whole configuration in one", len(docs))
	return nil, false
}

// parse runs the YAML parser, turning a panic inside it into an error so
// that no input can crash the program.
func parse(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("cannot parse the file as YAML: %v", r)
		}
	}()
	return parser.ParseBytes(data, 0)
}

// spend takes one unit of work; false once the budget is gone.
func (d *decoder) spend(n ast.Node) bool {
	d.budget--
	if d.budget >= 0 {
		return true
	}
	if !d.spent {
		d.spent = true
		d.at(line(n), "", "the file expands to more than %d values (aliases referring to aliases?); simplify it", maxNodes)
	}
	return false
}

// enter marks a mapping or list as being decoded; false when it already
// is, which only an alias inside the value it names can cause.
func (d *decoder) enter(n ast.Node, path string) bool {
	if d.active[n] {
		d.at(line(n), path, "an alias refers to the value that contains it")
		return false
	}
	d.active[n] = true
	return true
}

// line is the 1-based line a node starts on, 0 when unknown.
func line(n ast.Node) int {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// resolve looks through anchors, aliases and tags to the node holding the
// value. It returns nil for a missing value or an undefined alias.
func (d *decoder) resolve(n ast.Node, path string) ast.Node {
	for range 64 {
		switch v := n.(type) {
		case nil:
			return nil
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.MappingKeyNode:
			n = v.Value
		case *ast.AliasNode:
			name := ""
			if v.Value != nil {
				name = v.Value.GetToken().Value
			}
			target, ok := d.anchors[name]
			if !ok {
				d.at(line(v), path, "alias *%s refers to no anchor &%s defined before it", name, name)
				return nil
			}
			n = target
		default:
			if reflect.ValueOf(n).IsNil() {
				return nil
			}
			return n
		}
	}
	d.at(line(n), path, "aliases refer to each other in a loop")
	return nil
}

// scalar returns the text of a scalar node as written (after
// interpolation); ok is false for a mapping or a list.
func scalar(n ast.Node) (text string, ok bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		if v.Value == nil {
			return "", true
		}
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, true
	case *ast.NullNode:
		return "", true
	}
	return "", false
}

// keyText returns a mapping key as text.
func (d *decoder) keyText(k ast.Node) string {
	k = d.resolve(k, "")
	if s, ok := scalar(k); ok {
		return s
	}
	if k == nil {
		return ""
	}
	return k.String()
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// scalarSetter is implemented by config types that accept either a plain
// scalar or their full mapping form (a reason is "No budget" or
// {code: no_budget, label: No budget}).
type scalarSetter interface {
	setScalar(string)
}

var (
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	scalarSetterType    = reflect.TypeFor[scalarSetter]()
)

// decode stores node n into v (addressable), recording problems under path.
func (d *decoder) decode(n ast.Node, v reflect.Value, path string) {
	if !d.spend(n) {
		return
	}
	n = d.resolve(n, path)
	if n == nil || n.Type() == ast.NullType {
		return
	}
	t := v.Type()
	if reflect.PointerTo(t).Implements(scalarSetterType) {
		if s, ok := scalar(n); ok {
			v.Addr().Interface().(scalarSetter).setScalar(s)
			return
		}
	}
	if reflect.PointerTo(t).Implements(textUnmarshalerType) {
		s, ok := scalar(n)
		if !ok {
			d.at(line(n), path, "want a single value, not %s", describe(n))
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			d.at(line(n), path, "%v", err)
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		d.decode(n, p.Elem(), path)
		v.Set(p)
	case reflect.Struct, reflect.Slice, reflect.Map:
		if !d.enter(n, path) {
			return
		}
		defer delete(d.active, n)
		d.decodeContainer(n, v, path)
	case reflect.Interface:
		if g := d.generic(n, path); g != nil {
			v.Set(reflect.ValueOf(g))
		}
	default:
		d.decodeScalar(n, v, path)
	}
}

// decodeContainer decodes a struct, a slice or a map.
func (d *decoder) decodeContainer(n ast.Node, v reflect.Value, path string) {
	t := v.Type()
	switch t.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			d.at(line(n), path, "want a list (items starting with \"- \"), not %s", describe(n))
			return
		}
		s := reflect.MakeSlice(t, len(seq.Values), len(seq.Values))
		for i, item := range seq.Values {
			p := fmt.Sprintf("%s[%d]", path, i)
			d.lines[p] = line(item)
			d.decode(item, s.Index(i), p)
		}
		v.Set(s)
	case reflect.Map:
		m, ok := n.(*ast.MappingNode)
		if !ok || t.Key().Kind() != reflect.String {
			d.at(line(n), path, "want a mapping of keys to values, not %s", describe(n))
			return
		}
		out := reflect.MakeMapWithSize(t, len(m.Values))
		d.eachPair(m, path, func(key string, kn, vn ast.Node) {
			p := join(path, key)
			d.lines[p] = line(kn)
			e := reflect.New(t.Elem()).Elem()
			d.decode(vn, e, p)
			out.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), e)
		})
		v.Set(out)
	}
}

// eachPair calls fn for every key of a mapping, following merge keys
// ("<<: *defaults"); keys written in the mapping win over merged ones.
func (d *decoder) eachPair(m *ast.MappingNode, path string, fn func(key string, kn, vn ast.Node)) {
	var merged []*ast.MappingValueNode
	own := map[string]bool{}
	for _, mv := range m.Values {
		if mv.Key != nil && mv.Key.IsMergeKey() {
			merged = append(merged, mv)
			continue
		}
		own[d.keyText(mv.Key)] = true
	}
	for _, mv := range merged {
		srcs := []ast.Node{d.resolve(mv.Value, path)}
		if seq, ok := srcs[0].(*ast.SequenceNode); ok {
			srcs = seq.Values
		}
		for _, src := range srcs {
			sm, ok := d.resolve(src, path).(*ast.MappingNode)
			if !ok {
				d.at(line(mv), path, "<< merges a mapping (an alias such as *defaults), not %s", describe(src))
				continue
			}
			if !d.spend(sm) || !d.enter(sm, path) {
				return
			}
			d.eachPair(sm, path, func(key string, kn, vn ast.Node) {
				if !own[key] {
					own[key] = true
					fn(key, kn, vn)
				}
			})
			delete(d.active, sm)
		}
	}
	for _, mv := range m.Values {
		if mv.Key != nil && mv.Key.IsMergeKey() {
			continue
		}
		fn(d.keyText(mv.Key), mv.Key, mv.Value)
	}
}

func (d *decoder) decodeStruct(n ast.Node, v reflect.Value, path string) {
	t := v.Type()
	keys, index := fields(t)
	m, ok := n.(*ast.MappingNode)
	if !ok {
		if path == "" {
			d.at(line(n), "", "want a mapping of keys such as %s at the top of the file, not %s", strings.Join(keys[:min(4, len(keys))], ", "), describe(n))
			return
		}
		d.at(line(n), path, "want a mapping with keys such as %s, not %s", strings.Join(keys[:min(4, len(keys))], ", "), describe(n))
		return
	}
	d.eachPair(m, path, func(key string, kn, vn ast.Node) {
		p := join(path, key)
		i, ok := index[key]
		if !ok {
			d.at(line(kn), p, "unknown key%s", didYouMean(key, keys, "keys here"))
			return
		}
		d.lines[p] = line(kn)
		d.decode(vn, v.Field(i), p)
	})
}

// fields lists a struct's yaml keys in declaration order and maps each to
// its field index.
func fields(t reflect.Type) ([]string, map[string]int) {
	var keys []string
	index := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		keys = append(keys, name)
		index[name] = i
	}
	return keys, index
}

func (d *decoder) decodeScalar(n ast.Node, v reflect.Value, path string) {
	s, ok := scalar(n)
	if !ok {
		d.at(line(n), path, "want a single value, not %s", describe(n))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		switch strings.ToLower(s) {
		case "true", "yes", "on":
			v.SetBool(true)
		case "false", "no", "off":
			v.SetBool(false)
		default:
			d.at(line(n), path, "want true or false, not %q", s)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, v.Type().Bits())
		if err != nil {
			d.at(line(n), path, "want a whole number, not %q", s)
			return
		}
		v.SetInt(i)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), v.Type().Bits())
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			d.at(line(n), path, "want a number such as 0.25, not %q", s)
			return
		}
		v.SetFloat(f)
	default:
		d.at(line(n), path, "cannot hold a %s value", v.Kind())
	}
}

// generic turns a subtree into plain Go values (map[string]any, []any,
// string, int64, float64, bool), for sections whose structure is not yet
// defined.
func (d *decoder) generic(n ast.Node, path string) any {
	n = d.resolve(n, path)
	if n == nil {
		return nil
	}
	if _, isScalar := scalar(n); !isScalar {
		if !d.enter(n, path) {
			return nil
		}
		defer delete(d.active, n)
	}
	switch v := n.(type) {
	case *ast.MappingNode:
		out := map[string]any{}
		d.eachPair(v, path, func(key string, _, vn ast.Node) {
			if d.spend(vn) {
				out[key] = d.generic(vn, join(path, key))
			}
		})
		return out
	case *ast.SequenceNode:
		out := make([]any, 0, len(v.Values))
		for i, item := range v.Values {
			if d.spend(item) {
				out = append(out, d.generic(item, fmt.Sprintf("%s[%d]", path, i)))
			}
		}
		return out
	case *ast.StringNode:
		return v.Value
	case *ast.LiteralNode:
		s, _ := scalar(v)
		return s
	case *ast.NullNode:
		return nil
	}
	if s, ok := n.(ast.ScalarNode); ok {
		if u, isUint := s.GetValue().(uint64); isUint && u <= math.MaxInt64 {
			return int64(u)
		}
		return s.GetValue()
	}
	return n.String()
}

func describe(n ast.Node) string {
	switch n := n.(type) {
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case nil:
		return "nothing"
	default:
		if s, ok := scalar(n); ok {
			return strconv.Quote(s)
		}
		return n.Type().String()
	}
}

// keyList is the sorted keys of a set, for messages.
func keyList[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

package config

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// Interpolation works on the parsed tree rather than the raw text, so that
// comments are never interpolated and a substituted value can never change
// the structure of the file (a password holding "#" or ": " stays one
// value).

// interpolate replaces ${VAR} and ${VAR:-default} in every scalar value of
// the tree (never in keys, and comments are not part of the tree) and
// registers anchors for the decoding walk.
func (d *decoder) interpolate(n ast.Node, path string) {
	if !d.spend(n) {
		return
	}
	switch v := n.(type) {
	case *ast.StringNode:
		d.substitute(&v.Value, line(v), path)
	case *ast.LiteralNode:
		if v.Value != nil {
			d.substitute(&v.Value.Value, line(v.Value), path)
		}
	case *ast.AnchorNode:
		if v.Name != nil {
			d.anchors[v.Name.GetToken().Value] = v.Value
		}
		if v.Value != nil {
			d.interpolate(v.Value, path)
		}
	case *ast.TagNode:
		if v.Value != nil {
			d.interpolate(v.Value, path)
		}
	case *ast.MappingNode:
		for _, mv := range v.Values {
			d.interpolate(mv, path)
		}
	case *ast.MappingValueNode:
		// An anchor may sit on a key; register it without interpolating.
		if a, ok := v.Key.(*ast.AnchorNode); ok && a.Name != nil {
			d.anchors[a.Name.GetToken().Value] = a.Value
		}
		if v.Value != nil {
			d.interpolate(v.Value, join(path, d.keyText(v.Key)))
		}
	case *ast.SequenceNode:
		for i, item := range v.Values {
			if item != nil {
				d.interpolate(item, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
}

func (d *decoder) substitute(s *string, line int, path string) {
	if !strings.Contains(*s, "${") {
		return
	}
	out, err := expand(*s, d.getenv)
	if err != nil {
		d.at(line, path, "%v", err)
		return
	}
	*s = out
}

// expand replaces ${VAR} and ${VAR:-default}; "$${" stands for a literal
// "${". A variable that is unset or empty without a default is an error,
// so a missing secret stops the start instead of becoming "".
func expand(s string, getenv func(string) string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		if i > 0 && s[i-1] == '$' {
			b.WriteString(s[:i-1])
			b.WriteString("${")
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", fmt.Errorf("%q has ${ without a closing }; write ${NAME} or ${NAME:-default}, or $${ for a literal ${", s)
		}
		expr := s[i+2 : i+end]
		s = s[i+end+1:]
		name, def, hasDefault := strings.Cut(expr, ":-")
		if !validVarName(name) {
			return "", fmt.Errorf("${%s} is not a variable reference; write ${NAME} or ${NAME:-default} with NAME made of letters, digits and _", expr)
		}
		if hasDefault && strings.Contains(def, "${") {
			return "", fmt.Errorf("${%s}: a default cannot refer to another variable", expr)
		}
		val := getenv(name)
		switch {
		case val != "":
			b.WriteString(val)
		case hasDefault:
			b.WriteString(def)
		default:
			return "", fmt.Errorf("environment variable %s is not set; set it, or write ${%s:-default} to give a default", name, name)
		}
	}
}

func validVarName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r != '_' && !(r >= 'A' && r <= 'Z') && !(r >= 'a' && r <= 'z') && !(i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

package lang

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// coreMessage is a core.Fail (or refuseLink) call: its key, its English
// and the names of its pairs.
type coreMessage struct {
	at, key, english string
	names            []string
}

// coreMessages finds every message core (and storage, through core.Fail)
// gives with a catalog key.
func coreMessages(t *testing.T) []coreMessage {
	t.Helper()
	files, err := filepath.Glob("../../core/*.go")
	stored, err2 := filepath.Glob("../../storage/*.go")
	if err != nil || err2 != nil || len(files) == 0 || len(stored) == 0 {
		t.Fatalf("core and storage sources: %v, %v", err, err2)
	}
	files = append(files, stored...)
	fset := token.NewFileSet()
	var out []coreMessage
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var id *ast.Ident
			switch f := call.Fun.(type) {
			case *ast.Ident:
				id = f
			case *ast.SelectorExpr: // core.Fail in storage
				if pkg, ok := f.X.(*ast.Ident); ok && pkg.Name == "core" {
					id = f.Sel
				}
			}
			if id == nil || (id.Name != "Fail" && id.Name != "refuseLink") || len(call.Args) < 3 {
				return true
			}
			if _, passed := call.Args[1].(*ast.Ident); passed {
				return true // a helper handing on its caller's key (refuseLink)
			}
			key, ok1 := literal(call.Args[1])
			english, ok2 := literal(call.Args[2])
			if !ok1 || !ok2 {
				if id.Name == "Fail" {
					t.Errorf("%s: Fail's key and English must be literals", fset.Position(call.Pos()))
				}
				return true
			}
			m := coreMessage{at: fset.Position(call.Pos()).String(), key: key, english: english}
			for i := 3; i < len(call.Args); i += 2 {
				name, ok := literal(call.Args[i])
				if !ok {
					t.Errorf("%s: the names of Fail's pairs must be literals", m.at)
				}
				m.names = append(m.names, name)
			}
			out = append(out, m)
			return true
		})
	}
	return out
}

func literal(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

var braces = regexp.MustCompile(`\{(\w+)\}`)

// TestCoreMessagesAreInTheCatalog keeps core's English and en.yaml one
// text: every message core gives by key is in the catalog as core writes
// it, with the placeholders its pairs fill; and every other language says
// it in its own words.
func TestCoreMessagesAreInTheCatalog(t *testing.T) {
	msgs := coreMessages(t)
	if len(msgs) < 90 {
		t.Fatalf("found %d keyed messages in core; the scan is broken", len(msgs))
	}
	catalog := map[string]map[string]any{}
	for _, l := range Languages {
		buf, err := files.ReadFile("catalog/" + l + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(buf, &m); err != nil {
			t.Fatal(err)
		}
		catalog[l] = m
	}
	for _, m := range msgs {
		want := braces.ReplaceAllString(m.english, "{{.$1}}")
		have, ok := catalog["en"][m.key].(string)
		switch {
		case !ok:
			t.Errorf("%s: %s is not in en.yaml; add %s: %q", m.at, m.key, m.key, want)
			continue
		case have != want:
			t.Errorf("%s: %s reads %q in en.yaml and %q in core", m.at, m.key, have, want)
		}
		var used []string
		for _, sub := range braces.FindAllStringSubmatch(m.english, -1) {
			used = append(used, sub[1])
		}
		slices.Sort(used)
		names := slices.Sorted(slices.Values(m.names))
		if !slices.Equal(slices.Compact(used), slices.Compact(names)) {
			t.Errorf("%s: %s uses %v and is given %v", m.at, m.key, used, names)
		}
		for _, l := range Languages[1:] {
			if catalog[l][m.key] == have {
				t.Errorf("%s.yaml: %s is the English text", l, m.key)
			}
		}
	}
	// And what core no longer says is not kept in the catalogs.
	said := map[string]bool{}
	for _, m := range msgs {
		said[m.key] = true
	}
	for _, key := range slices.Sorted(maps.Keys(catalog["en"])) {
		if strings.HasPrefix(key, "error.") && !said[key] && key != "error.with_usage" { // the bot's own
			t.Errorf("en.yaml: %s is said by nobody in core", key)
		}
	}
}

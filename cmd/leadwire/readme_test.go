package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

// TestREADMENamesEveryCommand: the README's command table has every
// command of the CLI, and its links stay inside the repository.
func TestREADMENamesEveryCommand(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var cli CLI
	parser, err := kong.New(&cli, kong.Name("leadwire"))
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "| `") {
			table.WriteString(line + "\n")
		}
	}
	var walk func(n *kong.Node, group string)
	walk = func(n *kong.Node, group string) {
		for _, c := range n.Children {
			if c.Type != kong.CommandNode || c.Hidden {
				continue
			}
			if len(c.Children) > 0 {
				walk(c, c.Name)
				continue
			}
			re := "`" + regexp.QuoteMeta(c.Name) + "[` ]"
			if group != "" {
				re = "`" + regexp.QuoteMeta(group) + " [^`]*\\b" + regexp.QuoteMeta(c.Name) + "\\b"
			}
			if !regexp.MustCompile(re).MatchString(table.String()) {
				t.Errorf("the README's command table has no %s", strings.TrimSpace(group+" "+c.Name))
			}
		}
	}
	walk(parser.Model.Node, "")
	for _, m := range regexp.MustCompile(`\]\(([^)#]+)[^)]*\)`).FindAllStringSubmatch(string(readme), -1) {
		link := m[1]
		if strings.Contains(link, "://") {
			continue
		}
		path := filepath.Join("../..", link)
		if rel, err := filepath.Rel("../..", path); err != nil || strings.HasPrefix(rel, "..") {
			t.Errorf("the README links %s, outside the repository", link)
		} else if _, err := os.Stat(path); err != nil {
			t.Errorf("the README links %s: %v", link, err)
		}
	}
}

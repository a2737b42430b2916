package main

import (
	"strings"
	"testing"
)

func TestChatInTheTerminal(t *testing.T) {
	e := newIOEnv(t)
	e.ok("leads", "add", "--name", "Nguyễn Minh", "--email", "minh@vinacorp.vn", "--team", "Bangkok", "--company", "VinaCorp")
	script := e.file("session.txt", "leads unclaimed\n1\nqualify L1 450,000 THB\nmvoe D1 prop\nmove D1 prop\n")
	r := e.ok("chat", "--as", "lan@example.com", "--script", script)
	for _, want := range []string{
		"leadwire chat as Nguyễn Thị Lan <lan@example.com>, rep.",
		"lan@example.com> 1\n✓ L1 is yours now.",
		"✓ L1 qualified into D1, in Prospecting.",
		`unknown command "mvoe"; did you mean move? usage: move D45 STAGE`,
		"✓ D1 moved to Proposal.",
	} {
		if !strings.Contains(r.out, want) {
			t.Fatalf("leadwire chat printed:\n%s\nwant it to contain %q", r.out, want)
		}
	}
	t.Run("it needs a person", func(t *testing.T) {
		if r := e.run("chat", "--script", script); r.code == 0 || !strings.Contains(r.errOut, "chat needs a person: add --as EMAIL") {
			t.Fatalf("exit %d, stderr %q", r.code, r.errOut)
		}
	})
	t.Run("an unknown email is refused", func(t *testing.T) {
		if r := e.run("chat", "--as", "nobody@example.com", "--script", script); r.code == 0 || !strings.Contains(r.errOut, "nobody@example.com") {
			t.Fatalf("exit %d, stderr %q", r.code, r.errOut)
		}
	})
}

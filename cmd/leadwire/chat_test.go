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
		// Lan reads Thai (locale th): the chat speaks it, English verbs still work.
		"lan@example.com> 1\n✓ L1 เป็นของคุณแล้ว",
		"✓ แปลง L1 เป็น D1 แล้ว อยู่ในขั้น Prospecting",
		`ไม่รู้จักคำสั่ง "mvoe" หมายถึง ย้าย หรือเปล่า? วิธีใช้: ย้าย D45 ขั้น`,
		"✓ ย้าย D1 ไปขั้น Proposal แล้ว",
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

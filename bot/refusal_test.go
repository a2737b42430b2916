package bot_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"leadwire/internal/lang"
	"leadwire/storage/storagetest"
)

// TestEveryRefusalKeyIsInTheCatalogs: each catalog key core gives a
// refusal (core.Refusal) is in every language, so a chat never shows a
// bare key.
func TestEveryRefusalKeyIsInTheCatalogs(t *testing.T) {
	files, err := filepath.Glob("../core/*.go")
	if err != nil {
		t.Fatal(err)
	}
	use := regexp.MustCompile(`Refusal\(Kind\w+, "([^"]+)"`)
	keys := map[string]bool{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range use.FindAllStringSubmatch(string(src), -1) {
			keys[m[1]] = true
		}
	}
	if len(keys) < 5 {
		t.Fatalf("found only %d refusal keys in core: %v", len(keys), keys)
	}
	cat := lang.Default()
	for key := range keys {
		for _, l := range lang.Languages {
			if got := cat.For(l).T(key, "Ref", "D45", "Who", "Pim"); got == key || got == "" {
				t.Errorf("refusal %s has no words in %s", key, l)
			}
		}
	}
}

// A refusal reaches the asker in their language, saying why.
func TestRefusalsInTheAskersLanguage(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
	c.say(t, "niran", "claim L1")
	c.say(t, "niran", "qualify L1")
	c.run(t, []step{
		{"a Thai rep may not hand a deal over", c.as("niran", "th"), "assign D1 pim", []string{"เฉพาะผู้จัดการหรือแอดมินเท่านั้นที่ส่งต่อดีลได้"}, nil},
		{"a Polish rep may not give a teammate a task", c.as("niran", "pl"), "remind @pim D1 tomorrow 10am call", []string{"zadania innym zleca tylko kierownik"}, nil},
		{"a Thai rep may not move a teammate's deal", c.as("pim", "th"), "move D1 proposal", []string{"D1 ไม่ใช่ของคุณ"}, nil},
		{"a Chinese rep may not claim another team's lead", c.as("zofia", "zh-Hans"), "claim L1", []string{"L1 不是你的"}, nil},
		{"a manager may not hand it to another team", c.as("somchai", "vi"), "assign D1 zofia@example.com", []string{"không thuộc nhóm của bạn"}, nil},
		{"a Thai rep's empty reply to a prospect", c.as("niran", "th"), "reply D1", []string{"วิธีใช้: ตอบ L123|D45 ข้อความ"}, nil},
		{"a Polish rep's reply too long for mail", c.as("niran", "pl"), "reply D1 " + strings.Repeat("x", 20001), []string{"odpowiedź ma 20001 znaków; odpowiedź mailem mieści najwyżej 20000"}, nil},
	})
}

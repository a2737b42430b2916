package telegram

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"leadwire/bot"
	"leadwire/core"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden compares the Telegram HTML and keyboards of typical replies
// with testdata/*.golden; go test -update rewrites them.
func TestGolden(t *testing.T) {
	w := newWorld(t)
	lead := w.lead(`Ömer <Siam & "Co">`, "omer@siam.example")
	persian := w.lead("علی رضایی", "ali@example.ir")
	niran := w.users["niran"]
	notice, err := w.conv.LeadNotice(w.ctx, lead)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		reply bot.Reply
	}{
		{"lead_card", w.conv.Handle(w.ctx, niran, "lead "+core.LeadRef(lead))},
		{"lead_card_persian", w.conv.Handle(w.ctx, niran, "lead "+core.LeadRef(persian))},
		{"lead_list", w.conv.Handle(w.ctx, niran, "leads unclaimed")},
		{"new_lead", notice},
		{"stranger", bot.Unknown("telegram", "999")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kb, err := Keyboard(c.reply)
			if err != nil {
				t.Fatal(err)
			}
			keys, _ := json.MarshalIndent(kb, "", "  ")
			got := []byte(HTML(c.reply) + "\n\n--- keyboard\n" + string(keys) + "\n")
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				os.MkdirAll("testdata", 0o755)
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v; run go test -update", err)
			}
			if string(got) != string(want) {
				t.Fatalf("%s differs; got\n%s", path, got)
			}
		})
	}
}

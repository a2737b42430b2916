package telegram

import (
	"encoding/json"
	"fmt"
	"leadwire/internal/golden"
	"testing"

	"leadwire/bot"
	"leadwire/core"
)

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
		{"stranger.th", bot.UnknownIn("th", "telegram", "999")},
		// A Persian reader: right-to-left text around ids, amounts and names.
		{"lead_card.fa", w.conv.Handle(w.ctx, in(niran, "fa"), "lead "+core.LeadRef(lead))},
		{"lead_list.fa", w.conv.Handle(w.ctx, in(niran, "fa"), "leads unclaimed")},
		{"lead_card.zh-Hans", w.conv.Handle(w.ctx, in(niran, "zh-Hans"), "lead "+core.LeadRef(persian))},
	}
	// The timeline, a page with More, in English and Thai.
	if _, err := w.svc.Claim(w.ctx, niran, lead); err != nil {
		t.Fatal(err)
	}
	d, err := w.svc.Qualify(w.ctx, niran, lead, core.QualifyInput{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 11 {
		if _, err := w.svc.Note(w.ctx, niran, core.Ref{Kind: 'D', ID: d.ID}, fmt.Sprintf("note %d: <b>&</b>", i)); err != nil {
			t.Fatal(err)
		}
	}
	cases = append(cases, []struct {
		name  string
		reply bot.Reply
	}{
		{"history", w.conv.Handle(w.ctx, niran, "history "+d.Ref())},
		{"history.th", w.conv.Handle(w.ctx, in(niran, "th"), "history "+d.Ref())},
		{"why.th", w.conv.Handle(w.ctx, in(niran, "th"), "why "+d.Ref())},
	}...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kb, err := Keyboard(c.reply)
			if err != nil {
				t.Fatal(err)
			}
			keys, _ := json.MarshalIndent(kb, "", "  ")
			got := []byte(HTML(c.reply) + "\n\n--- keyboard\n" + string(keys) + "\n")
			golden.Check(t, c.name+".golden", got)
		})
	}
}

// in is a copy of u who reads leadwire in locale.
func in(u *core.User, locale string) *core.User {
	c := *u
	c.Locale = locale
	return &c
}

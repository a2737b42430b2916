package console_test

import (
	"testing"

	"leadwire/bot"
	"leadwire/bot/console"
)

func TestRenderNumbersEveryButtonInOrder(t *testing.T) {
	r := bot.Reply{
		Text: "D4 moved to Proposal.", Tone: bot.ToneGood,
		Cards: []bot.Card{{Ref: "D4", Title: "Acme", Status: "Proposal · open", Tone: bot.ToneWarn,
			Fields:  []bot.Field{{Label: "Value", Value: "1,000.00 EUR"}, {Label: "Expected close", Value: "not set"}},
			Text:    "line one\nline two",
			Note:    "moved by Ada · just now",
			Buttons: []bot.Button{{Label: "Won", Action: "won:D4"}, {Label: "Lost", Action: "lost:D4", Style: bot.StyleDanger}},
			Menu:    &bot.Menu{Title: "Why?", Options: []bot.Option{{Label: "Price", Action: "lost:D4:price"}}, Custom: "lost D4 REASON"}}},
		Lists: []bot.List{{Title: "Tasks", Items: []bot.Item{
			{Ref: "T7", Text: "Fri 27 Nov 14:00 · call", Detail: "on D4", Tone: bot.ToneWarn, Buttons: []bot.Button{{Label: "Done", Action: "done:T7"}}},
			{Ref: "T12", Text: "Sat 28 Nov 09:00 · mail"}}, More: "showing the first 2"},
			{Title: "Empty", Empty: "Nothing here."}},
		Buttons: []bot.Button{{Label: "Review", Action: "show:D4"}},
	}
	want := `✓ D4 moved to Proposal.
┌ D4  Acme
│ ! Proposal · open
│ Value           1,000.00 EUR
│ Expected close  not set
│ > line one
│ > line two
│ moved by Ada · just now
└
    [1] Won  [2] Lost
    Why?
    [3] Price
    or type: lost D4 REASON
Tasks
  ! T7   Fri 27 Nov 14:00 · call
         on D4
         [4] Done
    T12  Sat 28 Nov 09:00 · mail
  (showing the first 2)
Empty
  Nothing here.
[5] Review
`
	if got := console.Render(r); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	var actions []string
	for _, b := range r.AllButtons() {
		actions = append(actions, b.Action)
	}
	if len(actions) != 5 || actions[2] != "lost:D4:price" || actions[3] != "done:T7" || actions[4] != "show:D4" {
		t.Fatalf("AllButtons = %v", actions)
	}
}

// TestRenderAlignsByDisplayWidth: a card's values line up in a terminal
// whatever script their labels are in (Thai combining marks take no
// cell, Chinese characters two).
func TestRenderAlignsByDisplayWidth(t *testing.T) {
	r := bot.Reply{Cards: []bot.Card{{Title: "Reps", Fields: []bot.Field{
		{Label: "สมชาย ประเสริฐ", Value: "2 won"}, {Label: "李伟", Value: "1 won"}, {Label: "Lan", Value: "0 won"}}}},
		Lists: []bot.List{{Title: "Found", Items: []bot.Item{{Ref: "王小明", Text: "wang@corp.cn"}, {Ref: "L12", Text: "somsak@siam.th"}}}}}
	want := `┌ Reps
│ สมชาย ประเสริฐ  2 won
│ 李伟           1 won
│ Lan            0 won
└
Found
    王小明  wang@corp.cn
    L12     somsak@siam.th
`
	if got := console.Render(r); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

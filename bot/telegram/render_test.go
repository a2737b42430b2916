package telegram

import (
	"strings"
	"testing"

	"leadwire/bot"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"markup in a name is shown, not obeyed", `<b>&"Ömer"</b>`, "&lt;b&gt;&amp;&quot;Ömer&quot;&lt;/b&gt;"},
		{"an entity is escaped once", "&amp;", "&amp;amp;"},
		{"Persian passes through", "سلام، علی رضایی", "سلام، علی رضایی"},
		{"Thai passes through", "สวัสดีครับ คุณสมชาย", "สวัสดีครับ คุณสมชาย"},
		{"Chinese passes through", "王小明 <报价>", "王小明 &lt;报价&gt;"},
		{"plain text is unchanged", "Pricing for 50 seats", "Pricing for 50 seats"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Escape(tc.in); got != tc.want {
				t.Fatalf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestHTMLCard(t *testing.T) {
	r := bot.Reply{Text: "Claimed <L1>", Tone: bot.ToneGood, Cards: []bot.Card{{Ref: "L1", Title: `Ömer & "Co"`,
		Status: "new · unclaimed", Fields: []bot.Field{{Label: "Email", Value: "a<b@example.com"}},
		Buttons: []bot.Button{{Label: "Claim", Action: "claim:L1"}}}}}
	got := HTML(r)
	want := "✅ Claimed &lt;L1&gt;\n\n<b>L1 · Ömer &amp; &quot;Co&quot;</b>\n<i>new · unclaimed</i>\n<b>Email:</b> a&lt;b@example.com"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestKeyboardKeepsActionsWithin64Bytes(t *testing.T) {
	long := strings.Repeat("x", bot.MaxAction+1)
	kb, err := Keyboard(bot.Reply{Buttons: []bot.Button{{Label: "ok", Action: "claim:L1"}, {Label: "too long", Action: long}}})
	if err == nil {
		t.Fatal("an action over 64 bytes passed")
	}
	if len(kb.InlineKeyboard) != 1 || len(kb.InlineKeyboard[0]) != 1 || kb.InlineKeyboard[0][0].CallbackData != "claim:L1" {
		t.Fatalf("keyboard %+v", kb)
	}
}

func TestHTMLStaysWithinTelegramsLimit(t *testing.T) {
	var items []bot.Item
	for range 500 {
		items = append(items, bot.Item{Ref: "L1", Text: strings.Repeat("<&>", 10)})
	}
	got := HTML(bot.Reply{Lists: []bot.List{{Title: "Many", Items: items}}})
	if n := len([]rune(got)); n > maxText {
		t.Fatalf("%d characters", n)
	}
	if strings.Count(got, "<b>") != strings.Count(got, "</b>") {
		t.Fatal("a tag was cut")
	}
}

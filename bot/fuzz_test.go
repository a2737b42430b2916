package bot_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"leadwire/bot"
	"leadwire/storage/storagetest"
)

// FuzzConversation feeds typed lines and button codes, which come from
// chat users, to the conversation: it must answer every one without
// panicking, with buttons short enough for every chat.
func FuzzConversation(f *testing.F) {
	for _, s := range []string{"help", "leads top", "claim L1", "qualify L1 Sales 1.500,50 eur", "move D1 prop", "lost D1",
		"remind D1 tomorrow 9am call", "snooze T1 1h30m", "assign L1 <@U0PIM|pim>", "find +66 81", "/deal@bot D1", "<@U0BOT> review",
		"claim:L1", "stage:D1:3", "lost:D1:#2", "snooze:T1:tomorrow", "disq:L2:spam", "value D1 -5 EUR", "close D1 31/2",
		"qualify L2 budget 20k authority: CFO need need timeline", "qualify D1 budget: timeline Q1", "call D1 hi", "meeting D1 tomorrow 3pm demo",
		"held D1", "held:T1", "stats lost team 2026-10", "qualify L2 người quyết định ngân sách"} {
		f.Add(s)
	}
	c := newChat(f, storagetest.SQLite(f))
	c.lead("Bangkok", "Nguyễn Minh", "minh@vinacorp.vn", "VinaCorp")
	c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
	c.conv.Handle(c.ctx, c.users["niran"], "claim L1")
	c.conv.Handle(c.ctx, c.users["niran"], "qualify L1")
	c.conv.Handle(c.ctx, c.users["niran"], "remind D1 tomorrow call")
	f.Fuzz(func(t *testing.T, input string) {
		for _, r := range []bot.Reply{c.conv.Handle(c.ctx, c.users["niran"], input), c.conv.Press(c.ctx, c.users["pim"], input)} {
			if r.Text == "" && len(r.Cards) == 0 && len(r.Lists) == 0 {
				t.Fatalf("%q got an empty reply", input)
			}
			for _, b := range r.AllButtons() {
				if len(b.Action) > bot.MaxAction || !utf8.ValidString(b.Action) || strings.TrimSpace(b.Label) == "" {
					t.Fatalf("%q got button %+v", input, b)
				}
			}
		}
	})
}

package telegram

import (
	"strings"
	"testing"

	"leadwire/core"
)

// TestAnUndeliveredReplySaysWhyInTheRepsLanguage: why a reply did not
// reach the prospect, when leadwire words it (they blocked the bot), comes
// in the rep's language; what a mail server answered comes as it came.
func TestAnUndeliveredReplySaysWhyInTheRepsLanguage(t *testing.T) {
	w := newWorld(t)
	res, err := w.svc.Capture(w.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "why",
		Name: "Ömer", Email: "omer@siam.example", Team: "Bangkok", Text: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	niran, err := w.svc.Directory.SetLanguage(w.ctx, w.users["niran"], "th")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		n         core.Notice
		want, not string
	}{
		{"a reason of leadwire's", core.Notice{Kind: core.NoticeReplyFailed, UserID: niran.ID, ActivityID: res.ActivityID, Key: "k1",
			Text: "they blocked the Telegram bot or never started it", Msgs: []core.NoticeMsg{{Key: "term.undelivered.telegram_blocked"}}},
			"บล็อกบอท Telegram", "blocked"},
		{"a mail server's answer", core.Notice{Kind: core.NoticeReplyFailed, UserID: niran.ID, ActivityID: res.ActivityID, Key: "k2",
			Text: "the mail server refused it: 550 5.1.1 no such user"}, "550 5.1.1 no such user", "\x00"},
	} {
		r, err := w.conv.NoticeReply(w.ctx, c.n)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Text, c.want) || strings.Contains(r.Text, c.not) {
			t.Errorf("%s: %q, want %q in it and not %q", c.name, r.Text, c.want, c.not)
		}
	}
}

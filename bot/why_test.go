package bot_test

import (
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage/storagetest"
)

// why names engagement points in the reader's words, and a rule's by the
// rule.
func TestWhyNamesEventsInTheReadersWords(t *testing.T) {
	c := newChat(t, storagetest.SQLite(t))
	for i, id := range []string{"<m1@siam.example>", "<m2@siam.example>"} {
		if _, err := c.svc.Capture(c.ctx, core.Inbound{Channel: core.ChannelEmail, Source: "sales@", ExternalID: id, Email: "anong@siam.co.th",
			Name: "Anong", Team: "Bangkok", Subject: "Quote", Text: "again", ReceivedAt: start.Add(time.Duration(i-2) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	c.run(t, []step{
		{"in English", "niran", "why L1", []string{"+20 · the prospect replied"}, []string{"event:"}},
		{"in Thai", c.as("niran", "th"), "why L1", []string{"+20 · ลูกค้าตอบกลับ"}, []string{"event:"}},
	})
}

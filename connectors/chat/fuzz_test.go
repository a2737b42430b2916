package chat_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"leadwire/connectors/chat"
)

// FuzzTelegramInbound feeds the mapping whatever a message may hold: it
// must not panic, and the inbound always carries the sender's handle and
// a key naming the chat and message.
func FuzzTelegramInbound(f *testing.F) {
	f.Add(`{"message_id":1,"date":1793610000,"text":"سلام","from":{"id":5,"first_name":"D","username":"d","language_code":"fa"},"chat":{"id":5,"type":"private"}}`)
	f.Add(`{"message_id":2,"from":{"id":5},"chat":{"id":5},"sticker":{"emoji":"👍"}}`)
	f.Add(`{"message_id":3,"from":{"id":5},"chat":{"id":5},"contact":{"phone_number":"66812345678","user_id":5}}`)
	f.Add(`{"message_id":4,"from":{"id":5},"chat":{"id":5},"document":{"file_name":"\u0000<b>.pdf"}}`)
	f.Fuzz(func(t *testing.T, raw string) {
		var m models.Message
		if json.Unmarshal([]byte(raw), &m) != nil || m.From == nil {
			return
		}
		in := chat.TelegramInbound(&m)
		if !strings.HasPrefix(in.Handle, "telegram:") || !strings.HasPrefix(in.ExternalID, "telegram:") || in.Text == "" {
			t.Fatalf("inbound %+v", in)
		}
		if utf8.ValidString(raw) && !utf8.ValidString(in.Text) {
			t.Fatalf("text %q", in.Text)
		}
	})
}

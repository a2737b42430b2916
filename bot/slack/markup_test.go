package slack

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage/storagetest"
)

// hostileNames are prospect names that are Slack markup (a channel ping, a
// mention, a disguised link), an entity, and HTML.
var hostileNames = []string{"<!channel>", "<@U123>", "<https://evil.example|click>", "Tom &amp; Jerry", `</b><a href="https://evil.example">x</a>`}

// entity is what may stand in Slack text for &, < and >.
var entity = regexp.MustCompile(`&(amp|lt|gt);`)

// quoted is the block quote mrkdwn leadwire writes itself.
var quoted = regexp.MustCompile(`(?m)^> `)

// wantEscaped fails unless s holds no Slack markup but leadwire's own
// block quotes: no < or >, and & only in the three entities.
func wantEscaped(t *testing.T, what, s string) {
	t.Helper()
	if rest := entity.ReplaceAllString(quoted.ReplaceAllString(s, ""), ""); strings.ContainsAny(rest, "<>&") {
		t.Errorf("%s carries raw markup: %q", what, s)
	}
}

// wantName fails unless s shows name as its plain text, escaped.
func wantName(t *testing.T, what, s, name string) {
	t.Helper()
	if esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(name); !strings.Contains(s, esc) {
		t.Errorf("%s does not show the name %q as %q: %q", what, name, esc, s)
	}
}

// mrkdwnTexts returns every mrkdwn text of a JSON Block Kit array.
func mrkdwnTexts(t *testing.T, blocks string) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(blocks), &v); err != nil {
		t.Fatalf("blocks %s: %v", blocks, err)
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["type"] == "mrkdwn" {
				if s, ok := x["text"].(string); ok {
					out = append(out, s)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// A prospect's name reaches Slack escaped in every text field: the
// plain-text fallback that notifications show (a command's answer, a
// response_url follow-up, a channel post) as well as the blocks.
func TestHostileNamesReachSlackEscaped(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	now := start
	w.adapter.now = func() time.Time { return now }
	niran := w.users["niran"]
	for i, name := range hostileNames {
		t.Run(name, func(t *testing.T) {
			res, err := w.svc.Capture(w.ctx, core.Inbound{Channel: core.ChannelTelegram, Source: "intake",
				ExternalID: core.TelegramMessageRef(int64(9000+i), 1), Handle: fmt.Sprintf("telegram:%d", 9000+i),
				Name: name, Text: "hello", Team: "Bangkok", ReceivedAt: start})
			if err != nil {
				t.Fatal(err)
			}
			ref := core.LeadRef(res.LeadID)
			if _, err := w.svc.Claim(w.ctx, niran, res.LeadID); err != nil {
				t.Fatal(err)
			}
			for _, text := range []string{"reply " + ref + " hello there", "lead " + ref, "find " + name} {
				t.Run("the answer to "+text, func(t *testing.T) {
					rec := w.command("U0NIRAN", text)
					var m struct {
						Text   string          `json:"text"`
						Blocks json.RawMessage `json:"blocks"`
					}
					if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
						t.Fatalf("%s: %v", rec.Body, err)
					}
					wantEscaped(t, "text", m.Text)
					if !strings.HasPrefix(text, "find ") { // which quotes the query Go's way
						wantName(t, "text", m.Text, name)
					}
					for _, s := range mrkdwnTexts(t, string(m.Blocks)) {
						wantEscaped(t, "a block", s)
					}
				})
			}
			t.Run("a notice posted to a channel", func(t *testing.T) {
				d, err := w.svc.Qualify(w.ctx, niran, res.LeadID, core.QualifyInput{Title: name})
				if err != nil {
					t.Fatal(err)
				}
				now = now.Add(2 * time.Second) // past the channel's pace
				w.api.take()
				if err := w.adapter.Notify(w.ctx, core.Notice{Kind: core.NoticeRotting, TeamID: niran.TeamID, DealID: d.ID,
					Key: "rot:" + d.Ref()}); err != nil {
					t.Fatal(err)
				}
				calls := w.api.take()
				if len(calls) != 1 || calls[0].Method != "chat.postMessage" {
					t.Fatalf("calls %v", methods(calls))
				}
				if !strings.Contains(calls[0].Param("text"), d.Ref()) {
					t.Fatalf("the notice's text %q is not about %s", calls[0].Param("text"), d.Ref())
				}
				wantEscaped(t, "text", calls[0].Param("text"))
				wantName(t, "text", calls[0].Param("text"), name)
				for _, s := range mrkdwnTexts(t, calls[0].Param("blocks")) {
					wantEscaped(t, "a block", s)
				}
			})
		})
	}
}

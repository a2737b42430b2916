package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/go-telegram/bot/models"

	"leadwire/bot"
	lwmail "leadwire/bot/mail"
	"leadwire/connectors/email"
	"leadwire/core"
	"leadwire/internal/smtptest"
	"leadwire/internal/testenv"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// prospectDirectory: Niran sells in Bangkok (Slack and Telegram linked);
// Zofia is a rep in Warsaw, in Polish, who may not see Bangkok's leads.
var prospectDirectory = core.OrgDef{
	Teams: []core.TeamDef{{Name: "Bangkok", Region: "TH", SlackChannel: "C0BKK"}, {Name: "Warsaw", Region: "PL"}},
	Users: []core.UserDef{
		{Email: "niran@siam-sales.example", Name: "Niran", Team: "Bangkok", TimeZone: "Asia/Bangkok", SlackID: "U0NIRAN", TelegramID: 7001},
		{Email: "zofia@example.com", Name: "Zofia", Team: "Warsaw", TimeZone: "Europe/Warsaw", Locale: "pl", SlackID: "U0ZOFIA", TelegramID: 7002},
	},
}

// replyEnv is a replica with the Slack and Telegram stand-ins, replies by
// mail through an in-process SMTP server, and, when the test Dovecot is
// there, the "sales" mailbox on it (its Sent folder gets the copies).
type replyEnv struct {
	*noticeEnv
	api  *chatAPI
	smtp *smtptest.Server
	box  *email.Connector // the "sales" mailbox read into the service; nil without Dovecot
	imap struct{ addr, user, pass string }
}

func newReplyEnv(t *testing.T, db *storage.DB) *replyEnv {
	t.Helper()
	r := &replyEnv{api: newChatAPI(t), smtp: smtptest.Start(t)}
	sender, err := lwmail.NewSender(lwmail.Config{Host: r.smtp.Host, Port: r.smtp.Port, TLS: core.TLSNone,
		Username: r.smtp.Username, Password: r.smtp.Password, From: netmail.Address{Name: "Sales", Address: "sales@siam-sales.example"}})
	if err != nil {
		t.Fatal(err)
	}
	mailer := lwmail.ProspectMailer{S: sender, Log: slog.New(slog.DiscardHandler)}
	if os.Getenv(testenv.EnvIMAP) != "" {
		r.imap.addr, r.imap.user, r.imap.pass = testenv.IMAP(t)
		host, port, _ := net.SplitHostPort(r.imap.addr)
		p, _ := strconv.Atoi(port)
		// The Sent copies need no service: this connector only appends.
		sent, err := email.New(email.Mailbox{Name: "sales", Host: host, Port: p, TLS: core.TLSNone, Username: r.imap.user,
			Password: r.imap.pass, PollInterval: time.Second}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		mailer.Sent = email.SentFolders{"sales": sent}
	}
	r.noticeEnv = newNoticeEnvWith(t, db, r.api, nil, prospectDirectory,
		func(s *core.Settings) { s.Channels = append(s.Channels, core.ChannelEmail) },
		func(h *core.Handlers, e *noticeEnv) {
			addChatReplies(h, e.svc, nil, e.slack, mailer, slog.New(slog.DiscardHandler))
		})
	if r.imap.addr != "" {
		// The mailbox read into the service.
		host, port, _ := net.SplitHostPort(r.imap.addr)
		p, _ := strconv.Atoi(port)
		box, err := email.New(email.Mailbox{Name: "sales", Host: host, Port: p, TLS: core.TLSNone, Username: r.imap.user,
			Password: r.imap.pass, PollInterval: time.Second}, r.svc, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.box = box
	}
	return r
}

// capture stores an inbound, failing the test on an error.
func (r *replyEnv) capture(t *testing.T, in core.Inbound) core.CaptureResult {
	t.Helper()
	res, err := r.svc.Capture(r.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// interact posts a signed interaction payload to /slack/interactions and
// returns the response body.
func (r *replyEnv) interact(t *testing.T, payload map[string]any) string {
	t.Helper()
	b, _ := json.Marshal(payload)
	body := url.Values{"payload": {string(b)}}.Encode()
	req := httptest.NewRequest(http.MethodPost, "/slack/interactions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(noticeSecret))
	io.WriteString(mac, "v0:"+stamp+":"+body)
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	rec := httptest.NewRecorder()
	r.mux.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("interaction: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// pressReply presses a Reply button in Slack, with a trigger_id, and
// returns the private_metadata of the modal it opened ("" for none).
func (r *replyEnv) pressReply(t *testing.T, slackID, code string) string {
	t.Helper()
	r.api.slack.Take()
	r.interact(t, map[string]any{
		"type": "block_actions", "user": map[string]any{"id": slackID}, "trigger_id": "1334.7384.reply",
		"container": map[string]any{"type": "message", "message_ts": "1793610000.000001", "channel_id": "D0" + slackID},
		"actions": []map[string]any{{"type": "button", "action_id": code, "block_id": "b1", "value": code,
			"text": map[string]any{"type": "plain_text", "text": "Reply"}}},
	})
	for _, c := range r.api.slack.Take() {
		if c.Method == "views.open" {
			var view struct {
				CallbackID string `json:"callback_id"`
				Meta       string `json:"private_metadata"`
			}
			json.Unmarshal([]byte(c.Param("view")), &view)
			if view.CallbackID == "reply" {
				return view.Meta
			}
		}
	}
	return ""
}

// submitReply submits the reply modal with text.
func (r *replyEnv) submitReply(t *testing.T, slackID, meta, text string) string {
	t.Helper()
	return r.interact(t, map[string]any{
		"type": "view_submission", "user": map[string]any{"id": slackID},
		"view": map[string]any{"callback_id": "reply", "private_metadata": meta, "type": "modal",
			"state": map[string]any{"values": map[string]any{"answer": map[string]any{"answer": map[string]any{"type": "plain_text_input", "value": text}}}}},
	})
}

// noticesOf keeps the messages whose buttons answer ref.
func noticesOf(msgs []chatMsg, ref string) []chatMsg {
	var out []chatMsg
	for _, m := range msgs {
		if slices.Contains(m.Actions, "reply:"+ref) {
			out = append(out, m)
		}
	}
	return out
}

// slackUpdates counts the chat.update calls to channel among calls taken.
func slackUpdates(r *replyEnv, channel string) (n int, last string) {
	for _, c := range r.api.slack.Take() {
		if c.Method == "chat.update" && c.Param("channel") == channel {
			n++
			last = c.Param("text") + "\n" + c.Param("blocks")
		}
	}
	return n, last
}

// TestProspectWritesBackEndToEnd runs the loop of a conversation with a
// prospect from chat, on both databases: the prospect writes again and
// the owner is told at once in Slack and Telegram (a burst as one message
// updated in place); the rep answers from the notice's Reply button; the
// answer goes by mail threaded on the prospect's, with a copy in the
// mailbox's Sent folder (Dovecot); the prospect's next mail threads back;
// a reply that cannot be delivered comes back to the rep; and a rep of
// another team is refused in Polish.
func TestProspectWritesBackEndToEnd(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		r := newReplyEnv(t, db)
		niran := r.user(t, "niran@siam-sales.example")
		zofia := r.user(t, "zofia@example.com")
		now := time.Now().UTC().Truncate(time.Second)

		first := r.capture(t, core.Inbound{Channel: core.ChannelEmail, Source: "sales", ExternalID: "m1@prospect.example",
			Name: "Anna Nowak", Email: "anna@prospect.example", Subject: "Pricing for 50 seats", Text: "Hello, what does it cost?",
			ReceivedAt: now.Add(-time.Hour), Team: "Bangkok"})
		lead := core.LeadRef(first.LeadID)
		if _, err := r.svc.Claim(r.ctx, niran, first.LeadID); err != nil {
			t.Fatal(err)
		}

		t.Run("an email reply from a known prospect tells the owner in Slack and Telegram, escaped, with Reply, Open and Snooze", func(t *testing.T) {
			res := r.capture(t, core.Inbound{Channel: core.ChannelEmail, Source: "sales", ExternalID: "m2@prospect.example",
				Name: "Anna Nowak", Email: "anna@prospect.example", Subject: "Re: Pricing for 50 seats",
				Text: "Can you do <b>20%</b> off & ship by Friday?\nSecond line", ReceivedAt: now, References: []string{"m1@prospect.example"}})
			if res.NewLead || res.LeadID != first.LeadID {
				t.Fatalf("the reply became %+v, not an activity on %s", res, lead)
			}
			waitFor(t, 20*time.Second, "the notice in Slack and Telegram", func() bool {
				return len(noticesOf(r.api.sent("slack:U0NIRAN"), lead)) == 1 && len(noticesOf(r.api.sent("telegram:7001"), lead)) == 1
			})
			sl, tg := noticesOf(r.api.sent("slack:U0NIRAN"), lead)[0], noticesOf(r.api.sent("telegram:7001"), lead)[0]
			for _, m := range []chatMsg{sl, tg} {
				for _, want := range []string{"reply:" + lead, "show:" + lead, "remind:" + lead + ":1h"} {
					if !slices.Contains(m.Actions, want) {
						t.Errorf("%s: no %s button in %v", m.To, want, m.Actions)
					}
				}
				if !strings.Contains(m.Raw, "Anna Nowak") || !strings.Contains(m.Raw, "email") {
					t.Errorf("%s does not say who and how: %s", m.To, m.Raw)
				}
			}
			if !strings.Contains(tg.Text, "&lt;b&gt;20%&lt;/b&gt; off &amp; ship") || strings.Contains(tg.Text, "<b>20%") {
				t.Errorf("telegram text not escaped as HTML: %s", tg.Text)
			}
			if !strings.Contains(sl.Raw, `\u0026lt;b\u0026gt;20%\u0026lt;/b\u0026gt; off \u0026amp; ship`) && !strings.Contains(sl.Raw, "&lt;b&gt;20%&lt;/b&gt; off &amp; ship") {
				t.Errorf("slack blocks not escaped as mrkdwn: %s", sl.Raw)
			}
		})

		var tgLeadID int64
		t.Run("a burst of 20 Telegram messages from one prospect is one notice updated in place", func(t *testing.T) {
			tgFirst := r.capture(t, core.Inbound{Channel: core.ChannelTelegram, Source: "intake", ExternalID: core.TelegramMessageRef(555, 1),
				Name: "Somchai", Handle: "telegram:555", Text: "Hi, I need a quote", ReceivedAt: now, Team: "Bangkok"})
			if _, err := r.svc.Claim(r.ctx, niran, tgFirst.LeadID); err != nil {
				t.Fatal(err)
			}
			tgLeadID = tgFirst.LeadID
			ref := core.LeadRef(tgFirst.LeadID)
			r.api.slack.Take()
			for i := 2; i <= 21; i++ {
				r.capture(t, core.Inbound{Channel: core.ChannelTelegram, Source: "intake", ExternalID: core.TelegramMessageRef(555, i),
					Name: "Somchai", Handle: "telegram:555", Text: fmt.Sprintf("line %d", i), ReceivedAt: now.Add(time.Duration(i) * time.Second)})
				if i == 5 {
					// Let the first notice out, so the rest edit it.
					waitFor(t, 20*time.Second, "the burst's first notice", func() bool {
						return len(noticesOf(r.api.sent("telegram:7001"), ref)) == 1 && len(noticesOf(r.api.sent("slack:U0NIRAN"), ref)) == 1
					})
				}
			}
			var slackEdits int
			var slackLast string
			waitFor(t, 60*time.Second, "the notices to show all 20 messages", func() bool {
				n, last := slackUpdates(r, "D0U0NIRAN")
				if n > 0 {
					slackEdits, slackLast = slackEdits+n, last
				}
				edits := noticesOf(r.api.edited(), ref)
				return len(edits) > 0 && strings.Contains(edits[len(edits)-1].Text, "line 21") && strings.Contains(slackLast, "line 21")
			})
			posts := len(noticesOf(r.api.sent("telegram:7001"), ref)) + len(noticesOf(r.api.sent("slack:U0NIRAN"), ref))
			tgEdits := len(noticesOf(r.api.edited(), ref))
			t.Logf("a burst of 20 messages: %d posts, %d Telegram edits, %d Slack updates", posts, tgEdits, slackEdits)
			if posts != 2 {
				t.Fatalf("%d posts for the burst in Slack and Telegram, want one each", posts)
			}
			if tgEdits == 0 || tgEdits > 20 || slackEdits == 0 || slackEdits > 20 {
				t.Fatalf("edits: telegram %d, slack %d; want between 1 and 20", tgEdits, slackEdits)
			}
			if last := noticesOf(r.api.edited(), ref)[tgEdits-1].Text; !strings.Contains(last, "21") {
				t.Errorf("the last edit does not count the 21 messages: %s", last)
			}
		})

		var sentID string
		t.Run("Reply in Slack opens a modal whose text goes by mail from the owner, threaded on the prospect's mail", func(t *testing.T) {
			meta := r.pressReply(t, "U0NIRAN", "reply:"+lead)
			if meta == "" {
				t.Fatal("the Reply button opened no modal")
			}
			if body := r.submitReply(t, "U0NIRAN", meta, "Yes: 15% off, shipped Friday.\nNiran"); strings.Contains(body, "errors") {
				t.Fatalf("the modal refused the text: %s", body)
			}
			waitFor(t, 20*time.Second, "the mail", func() bool { return len(r.smtp.Messages()) == 1 })
			got := r.smtp.Messages()[0]
			msg := got.Parsed(t)
			h := msg.Header
			if !strings.Contains(h.Get("From"), "niran@siam-sales.example") || !slices.Contains(got.To, "anna@prospect.example") {
				t.Errorf("from %q to %v", h.Get("From"), got.To)
			}
			if h.Get("Subject") != "Re: Pricing for 50 seats" || h.Get("In-Reply-To") != "<m2@prospect.example>" ||
				h.Get("References") != "<m1@prospect.example> <m2@prospect.example>" {
				t.Errorf("not threaded: subject %q, in-reply-to %q, references %q", h.Get("Subject"), h.Get("In-Reply-To"), h.Get("References"))
			}
			sentID = strings.Trim(h.Get("Message-Id"), "<>")
			acts, err := db.ListActivities(r.ctx, core.ActivityFilter{LeadID: first.LeadID, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if acts[0].Kind != core.ActivityEmailOut || acts[0].ExternalRef != sentID || acts[0].UserID != niran.ID {
				t.Errorf("the timeline's newest entry is %+v, want the email_out %s by Niran", acts[0], sentID)
			}
			waitFor(t, 10*time.Second, "the confirmation to Niran", func() bool {
				for _, m := range r.api.sent("slack:U0NIRAN") {
					if strings.Contains(m.Text, "by email") {
						return true
					}
				}
				return false
			})
		})

		t.Run("the prospect's answer to that mail threads back onto the same lead, even from another address", func(t *testing.T) {
			res := r.capture(t, core.Inbound{Channel: core.ChannelEmail, Source: "sales", ExternalID: "m3@prospect.example",
				Name: "Piotr Nowak", Email: "piotr@prospect.example", Subject: "Re: Pricing for 50 seats", Text: "Deal. Send the contract.",
				ReceivedAt: time.Now().UTC(), References: []string{sentID, "m1@prospect.example"}})
			if res.LeadID != first.LeadID || res.NewLead {
				t.Fatalf("the answer became %+v, want an activity on %s", res, lead)
			}
		})

		t.Run("with Dovecot, the mail is in the mailbox's Sent folder, seen, and the next answer comes back through IMAP", func(t *testing.T) {
			if r.box == nil {
				t.Skip("no test Dovecot (" + testenv.EnvIMAP + "); run scripts/test.sh")
			}
			cl := imapLogin(t, r.imap.addr, r.imap.user, r.imap.pass)
			var found bool
			waitFor(t, 20*time.Second, "the copy in Sent", func() bool {
				if _, err := cl.Select(email.SentFolder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
					return false
				}
				msgs, err := cl.Fetch(imap.SeqSetNum(1), &imap.FetchOptions{Flags: true, Envelope: true}).Collect()
				if err != nil || len(msgs) == 0 {
					return false
				}
				found = msgs[0].Envelope.MessageID == sentID && slices.Contains(msgs[0].Flags, imap.FlagSeen)
				return found
			})
			answer := fmt.Sprintf("From: Anna Nowak <anna@prospect.example>\r\nTo: niran@siam-sales.example\r\nSubject: Re: Pricing for 50 seats\r\n"+
				"Message-ID: <m4@prospect.example>\r\nIn-Reply-To: <%s>\r\nReferences: <m1@prospect.example> <%s>\r\nDate: %s\r\n"+
				"Content-Type: text/plain; charset=utf-8\r\n\r\nSigned contract attached.\r\n", sentID, sentID, time.Now().Format(time.RFC1123Z))
			cmd := cl.Append("INBOX", int64(len(answer)), nil)
			cmd.Write([]byte(answer))
			cmd.Close()
			if _, err := cmd.Wait(); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(r.ctx)
			done := make(chan struct{})
			go func() { r.box.Run(ctx); close(done) }()
			defer func() { cancel(); <-done }()
			waitFor(t, 30*time.Second, "the answer on the lead", func() bool {
				a, err := db.ActivityByExternalRef(r.ctx, "m4@prospect.example")
				return err == nil && a.LeadID == first.LeadID
			})
		})

		t.Run("a prospect who wrote in a Slack intake thread is answered in that thread from the notice's Reply", func(t *testing.T) {
			first := r.capture(t, core.Inbound{Channel: core.ChannelSlack, Source: "C0INTAKE", ExternalID: core.SlackMessageRef("C0INTAKE", "1793610000.000100"),
				Name: "Mehrnaz", Handle: "slack:U0MEHRNAZ", Text: "Do you ship to Tehran?", Team: "Bangkok"})
			if _, err := r.svc.Claim(r.ctx, niran, first.LeadID); err != nil {
				t.Fatal(err)
			}
			ref := core.LeadRef(first.LeadID)
			r.capture(t, core.Inbound{Channel: core.ChannelSlack, Source: "C0INTAKE", ExternalID: core.SlackMessageRef("C0INTAKE", "1793610000.000200"),
				Handle: "slack:U0MEHRNAZ", Text: "And to Shiraz?", References: []string{core.SlackMessageRef("C0INTAKE", "1793610000.000100")}})
			waitFor(t, 20*time.Second, "the notice", func() bool { return len(noticesOf(r.api.sent("slack:U0NIRAN"), ref)) == 1 })
			if m := noticesOf(r.api.sent("slack:U0NIRAN"), ref)[0]; !strings.Contains(m.Text, "Slack") {
				t.Errorf("the notice does not say the prospect wrote in Slack: %s", m.Text)
			}
			meta := r.pressReply(t, "U0NIRAN", "reply:"+ref)
			r.submitReply(t, "U0NIRAN", meta, "Yes, both.")
			waitFor(t, 20*time.Second, "the answer in the prospect's thread", func() bool {
				for _, c := range r.api.sent("slack:C0INTAKE") {
					if strings.Contains(c.Text, "Yes, both.") {
						return true
					}
				}
				return false
			})
		})

		t.Run("a reply that cannot be delivered comes back to the rep in chat and onto the timeline", func(t *testing.T) {
			// The Telegram intake bot is off here: the prospect of the
			// Telegram lead cannot be reached.
			if tgLeadID == 0 {
				t.Skip("the burst's lead was not made")
			}
			ref := core.LeadRef(tgLeadID)
			// Reply from the Telegram notice: a force-reply prompt, then
			// the answer to it.
			r.tg.HandleUpdate(r.ctx, &models.Update{ID: 2, CallbackQuery: &models.CallbackQuery{ID: "q-reply", From: models.User{ID: 7001},
				Data: "reply:" + ref, Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: 1, Chat: models.Chat{ID: 7001, Type: models.ChatTypePrivate}}}}})
			var prompt chatMsg
			for _, m := range r.api.sent("telegram:7001") {
				if strings.Contains(m.Raw, "force_reply") {
					prompt = m
				}
			}
			if !strings.Contains(prompt.Text, ref) {
				t.Fatalf("no force-reply prompt for %s: %+v", ref, prompt)
			}
			r.tg.HandleUpdate(r.ctx, &models.Update{ID: 3, Message: &models.Message{ID: 9, From: &models.User{ID: 7001},
				Chat: models.Chat{ID: 7001, Type: models.ChatTypePrivate}, Text: "We can ship on Monday.",
				ReplyToMessage: &models.Message{ID: 8, From: &models.User{ID: 1, IsBot: true}, Text: prompt.Text}}})
			waitFor(t, 20*time.Second, "the failure in Telegram", func() bool {
				for _, m := range r.api.sent("telegram:7001") {
					if strings.Contains(m.Text, "was not delivered") && strings.Contains(m.Text, "intake bot is off") {
						return true
					}
				}
				return false
			})
			acts, err := db.ListActivities(r.ctx, core.ActivityFilter{LeadID: tgLeadID, Limit: 50})
			if err != nil || !slices.ContainsFunc(acts, func(a core.Activity) bool {
				return a.Key == "timeline.reply_undelivered" && strings.Contains(a.Args["Error"].Text, "intake bot is off")
			}) {
				t.Fatalf("no note of the failure on the timeline: %+v, %v", acts, err)
			}
		})

		t.Run("a rep of another team may not reply, and is told so in Polish", func(t *testing.T) {
			conv := bot.NewConversation(r.svc, nil, bot.Options{})
			for _, text := range []string{"reply " + lead + " hello"} {
				got := conv.Handle(r.ctx, zofia, text)
				if !strings.Contains(got.Text, "Nie możesz odpowiedzieć") {
					t.Errorf("%q answered %q", text, got.Text)
				}
			}
			if got := conv.Press(r.ctx, zofia, "reply:"+lead); got.Ask != nil || !strings.Contains(got.Text, "Nie możesz odpowiedzieć") {
				t.Errorf("the Reply button answered %+v", got)
			}
			if meta := r.pressReply(t, "U0ZOFIA", "reply:"+lead); meta != "" {
				t.Errorf("a modal opened for a lead Zofia may not see")
			}
			if n := len(r.smtp.Messages()); n != 1 {
				t.Errorf("%d mails sent, want only Niran's", n)
			}
		})
	})
}

// imapLogin logs a plain go-imap client in to the test Dovecot, waiting
// for an account just added.
func imapLogin(t *testing.T, addr, user, pass string) *imapclient.Client {
	t.Helper()
	cl, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := cl.Login(user, pass).Wait()
		if err == nil {
			return cl
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // Dovecot re-reads its passwd file
	}
}

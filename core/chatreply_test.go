package core_test

import (
	"strconv"
	"strings"
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestReplyToContact(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		telegram := func(user int64, msg int, text string) core.Inbound {
			return core.Inbound{Channel: core.ChannelTelegram, Source: "intake", ExternalID: core.TelegramMessageRef(user, msg),
				Handle: "telegram:" + strconv.FormatInt(user, 10), Name: "Dariush", Text: text, Team: "Bangkok"}
		}
		slack := func(user, ts, text string) core.Inbound {
			return core.Inbound{Channel: core.ChannelSlack, Source: "C0INTAKE", ExternalID: core.SlackMessageRef("C0INTAKE", ts),
				Handle: "slack:" + user, Name: "Mehrnaz", Text: text, Team: "Bangkok"}
		}

		t.Run("a reply to a Telegram prospect goes to their chat and on the timeline", func(t *testing.T) {
			lead := f.capture(t, telegram(5001, 1, "سلام")).LeadID
			f.capture(t, telegram(5001, 2, "قیمت؟"))
			res, err := f.svc.ReplyToContact(f.ctx, f.repA, core.Ref{Kind: 'L', ID: lead}, "  สวัสดีครับ  ")
			if err != nil {
				t.Fatal(err)
			}
			if res.Job.Channel != core.ChannelTelegram || res.Job.To != "5001" || res.Job.ActivityID != res.Activity.ID {
				t.Fatalf("job %+v", res.Job)
			}
			acts, err := f.svc.Timeline(f.ctx, f.repA, core.Ref{Kind: 'L', ID: lead}, 10)
			if err != nil || len(acts) != 3 || acts[0].Kind != core.ActivityChatOut || acts[0].Body != "สวัสดีครับ" || acts[0].UserID != f.repA.ID {
				t.Fatalf("timeline %+v, %v", acts, err)
			}
			t.Run("and on its deal once qualified", func(t *testing.T) {
				if _, err := f.svc.Claim(f.ctx, f.repA, lead); err != nil {
					t.Fatal(err)
				}
				d, err := f.svc.Qualify(f.ctx, f.repA, lead, core.QualifyInput{})
				if err != nil {
					t.Fatal(err)
				}
				res, err := f.svc.ReplyToContact(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d.ID}, "你好")
				if err != nil || res.Job.To != "5001" || res.Activity.DealID != d.ID {
					t.Fatalf("reply %+v, %v", res, err)
				}
			})
		})
		t.Run("a reply to a Slack prospect goes to the thread of their first message in the channel", func(t *testing.T) {
			lead := f.capture(t, slack("U0MEHRNAZ", "1793610000.000100", "hello")).LeadID
			f.capture(t, slack("U0MEHRNAZ", "1793610000.000900", "anyone?"))
			res, err := f.svc.ReplyToContact(f.ctx, f.repB, core.Ref{Kind: 'L', ID: lead}, "yes, here")
			if err != nil {
				t.Fatal(err)
			}
			if res.Job.Channel != core.ChannelSlack || res.Job.To != "C0INTAKE" || res.Job.Thread != "1793610000.000100" {
				t.Fatalf("job %+v", res.Job)
			}
		})
		t.Run("a contact known only by a Telegram handle is reached in that chat", func(t *testing.T) {
			lead := f.capture(t, core.Inbound{Channel: core.ChannelWebhook, Source: "crm", ExternalID: "h1", Handle: "telegram:777", Team: "Bangkok"}).LeadID
			res, err := f.svc.ReplyToContact(f.ctx, f.repA, core.Ref{Kind: 'L', ID: lead}, "hi")
			if err != nil || res.Job.Channel != core.ChannelTelegram || res.Job.To != "777" {
				t.Fatalf("reply %+v, %v", res, err)
			}
		})
		t.Run("refusals", func(t *testing.T) {
			byEmail := f.newLead(t, "Bangkok", "anna@example.pl")
			byPhone := f.capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "p1", Phone: "+66 81 234 5678", Team: "Bangkok"}).LeadID
			chatLead := f.capture(t, telegram(6001, 1, "hi")).LeadID
			warsaw := f.capture(t, core.Inbound{Channel: core.ChannelTelegram, Source: "intake", ExternalID: core.TelegramMessageRef(7001, 1),
				Handle: "telegram:7001", Text: "cześć", Team: "Warsaw"}).LeadID
			for _, tc := range []struct {
				name string
				ref  core.Ref
				text string
				kind core.ErrorKind
				want string
			}{
				{"a contact who came by email is told to be emailed", core.Ref{Kind: 'L', ID: byEmail}, "hi", core.KindInvalid, "write to anna@example.pl by email"},
				{"a contact with a phone only is told to be called", core.Ref{Kind: 'L', ID: byPhone}, "hi", core.KindInvalid, "call +66812345678"},
				{"an empty reply is refused", core.Ref{Kind: 'L', ID: chatLead}, " \n ", core.KindInvalid, "the reply is empty"},
				{"a reply too long for a chat message is refused", core.Ref{Kind: 'L', ID: chatLead}, strings.Repeat("ก", core.MaxChatReply+1), core.KindInvalid, "at most 4096"},
				{"a lead of another team is not the rep's", core.Ref{Kind: 'L', ID: warsaw}, "hi", core.KindForbidden, "not yours"},
				{"a task is no one to reply to", core.Ref{Kind: 'T', ID: 1}, "hi", core.KindInvalid, "not a lead or a deal"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := f.svc.ReplyToContact(f.ctx, f.repA, tc.ref, tc.text)
					wantKind(t, err, tc.kind, tc.want)
				})
			}
		})
	})
}

func TestRecordChatAnswer(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		lead := f.capture(t, core.Inbound{Channel: core.ChannelSlack, Source: "C0INTAKE", ExternalID: core.SlackMessageRef("C0INTAKE", "1.000100"),
			Handle: "slack:U0P", Name: "Mehrnaz", Text: "سلام", Team: "Bangkok"}).LeadID
		thread, answer := core.SlackMessageRef("C0INTAKE", "1.000100"), core.SlackMessageRef("C0INTAKE", "1.000200")
		for range 2 { // the second time it is known already
			if _, err := f.svc.RecordChatAnswer(f.ctx, f.repA, thread, answer, " ขอบคุณครับ "); err != nil {
				t.Fatal(err)
			}
		}
		acts, err := db.ListActivities(f.ctx, core.ActivityFilter{LeadID: lead})
		if err != nil || len(acts) != 2 {
			t.Fatalf("activities %+v, %v", acts, err)
		}
		var out *core.Activity
		for i := range acts {
			if acts[i].Kind == core.ActivityChatOut {
				out = &acts[i]
			}
		}
		if out == nil || out.Body != "ขอบคุณครับ" || out.UserID != f.repA.ID || out.ExternalRef != answer {
			t.Fatalf("answer %+v", out)
		}
		if l, _ := db.LeadByID(f.ctx, lead); l.FirstResponseAt.IsZero() {
			t.Error("the answer is no first response")
		}
		if ok, err := f.svc.RecordChatAnswer(f.ctx, f.repA, core.SlackMessageRef("C0INTAKE", "9.9"), core.SlackMessageRef("C0INTAKE", "9.91"), "hi"); ok || err != nil {
			t.Errorf("a thread no lead started: %v, %v", ok, err)
		}
	})
}

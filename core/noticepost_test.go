package core_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestProspectWroteIsANotice: a known prospect writing again — by email,
// in the Telegram intake, in a Slack intake thread, with a form or a
// webhook sent again — tells the owner (the team when nobody owns the
// lead) in chat, threaded by record and recipient; a new lead, a
// redelivered inbound and a rep's own entry tell nobody.
func TestProspectWroteIsANotice(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		settings := core.DefaultSettings()
		settings.Channels = []string{core.ChannelSlack, core.ChannelTelegram, core.ChannelEmail}
		svc := core.NewService(db, nil, settings, nil)
		if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: []core.TeamDef{
			{Name: "Bangkok", Region: "TH", SlackChannel: "C0BKK", TelegramChat: "-100500", Email: "bkk@example.com"},
		}, Users: []core.UserDef{{Email: "niran@example.com", Name: "Niran", Team: "Bangkok", SlackID: "U0NIRAN", TelegramID: 7001},
			{Email: "kasem@example.com", Name: "Kasem", Team: "Bangkok"}}}); err != nil {
			t.Fatal(err)
		}
		niran, err := db.UserByEmail(ctx, "niran@example.com")
		if err != nil {
			t.Fatal(err)
		}
		jobs, err := river.NewClient(db.RiverDriver(), &river.Config{})
		if err != nil {
			t.Fatal(err)
		}
		wrote := func(t *testing.T) []core.NotifyJob {
			t.Helper()
			res, err := jobs.JobList(ctx, river.NewJobListParams().Kinds(core.NotifyJob{}.Kind()).First(1000))
			if err != nil {
				t.Fatal(err)
			}
			var out []core.NotifyJob
			for _, row := range res.Jobs {
				var j core.NotifyJob
				if err := json.Unmarshal(row.EncodedArgs, &j); err != nil {
					t.Fatal(err)
				}
				if j.Notice.Kind == core.NoticeProspectWrote {
					out = append(out, j)
				}
			}
			return out
		}
		capture := func(t *testing.T, in core.Inbound) core.CaptureResult {
			t.Helper()
			in.ReceivedAt = time.Now()
			res, err := svc.Capture(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}

		tg := core.Inbound{Channel: core.ChannelTelegram, Source: "intake", Name: "Somchai", Handle: "telegram:555", Text: "Hi", Team: "Bangkok"}
		tg.ExternalID = core.TelegramMessageRef(555, 1)
		first := capture(t, tg)
		t.Run("a new lead is no prospect_wrote notice", func(t *testing.T) {
			if got := wrote(t); len(got) != 0 {
				t.Fatalf("got %+v", got)
			}
		})
		t.Run("an unclaimed lead's prospect writing again tells the team's chats, not its address", func(t *testing.T) {
			tg.ExternalID, tg.Text = core.TelegramMessageRef(555, 2), "Are you there?"
			res := capture(t, tg)
			got := wrote(t)
			var chans []string
			for _, j := range got {
				chans = append(chans, j.Channel)
				n := j.Notice
				if n.TeamID == 0 || n.UserID != 0 || n.LeadID != first.LeadID || n.ActivityID != res.ActivityID ||
					n.Thread != fmt.Sprintf("wrote:L%d:T%d", first.LeadID, n.TeamID) {
					t.Errorf("notice %+v", n)
				}
			}
			slices.Sort(chans)
			if !slices.Equal(chans, []string{core.ChannelSlack, core.ChannelTelegram}) {
				t.Fatalf("channels %v", chans)
			}
		})
		t.Run("a redelivered inbound tells nobody again", func(t *testing.T) {
			before := len(wrote(t))
			capture(t, tg)
			if after := len(wrote(t)); after != before {
				t.Fatalf("%d notices, then %d", before, after)
			}
		})
		if _, err := svc.Claim(ctx, niran, first.LeadID); err != nil {
			t.Fatal(err)
		}
		mail := core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "form-1", Name: "Anna", Email: "anna@example.pl", Text: "Quote please"}
		mailLead := capture(t, mail)
		if _, err := svc.Claim(ctx, niran, mailLead.LeadID); err != nil {
			t.Fatal(err)
		}
		slackLead := capture(t, core.Inbound{Channel: core.ChannelSlack, Source: "C0INTAKE", ExternalID: core.SlackMessageRef("C0INTAKE", "1793.000100"),
			Name: "Piotr", Handle: "slack:U0PIOTR", Text: "Can we talk?"})
		if _, err := svc.Claim(ctx, niran, slackLead.LeadID); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name string
			in   core.Inbound
			lead int64
		}{
			{"a Telegram intake message tells the owner", core.Inbound{Channel: core.ChannelTelegram, Source: "intake", ExternalID: core.TelegramMessageRef(555, 3), Handle: "telegram:555", Text: "Price?"}, first.LeadID},
			{"a reply in the prospect's Slack intake thread tells the owner", core.Inbound{Channel: core.ChannelSlack, Source: "C0INTAKE",
				ExternalID: core.SlackMessageRef("C0INTAKE", "1793.000200"), Handle: "slack:U0PIOTR", Text: "Tomorrow works",
				References: []string{core.SlackMessageRef("C0INTAKE", "1793.000100")}}, slackLead.LeadID},
			{"an email reply tells the owner", core.Inbound{Channel: core.ChannelEmail, Source: "sales", ExternalID: "m9@example.pl", Email: "anna@example.pl", Subject: "Re: quote", Text: "And delivery?"}, mailLead.LeadID},
			{"the form sent again tells the owner", core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "form-2", Email: "anna@example.pl", Text: "Still waiting"}, mailLead.LeadID},
			{"a webhook about the prospect tells the owner", core.Inbound{Channel: core.ChannelWebhook, Source: "crm", ExternalID: "hook-1", Email: "anna@example.pl", Text: "Visited pricing"}, mailLead.LeadID},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before := len(wrote(t))
				res := capture(t, tt.in)
				got := wrote(t)[before:]
				if res.LeadID != tt.lead || len(got) != 2 {
					t.Fatalf("lead %d, notices %+v", res.LeadID, got)
				}
				for _, j := range got {
					if j.Notice.UserID != niran.ID || j.Notice.Thread != fmt.Sprintf("wrote:L%d:U%d", tt.lead, niran.ID) || j.Notice.ActivityID != res.ActivityID {
						t.Errorf("notice %+v", j.Notice)
					}
				}
			})
		}
		t.Run("an owner with no chat linked: the team is told", func(t *testing.T) {
			kasem, err := db.UserByEmail(ctx, "kasem@example.com")
			if err != nil {
				t.Fatal(err)
			}
			l := capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "form-k1", Email: "lek@example.th", Text: "Quote"})
			if _, err := svc.Claim(ctx, kasem, l.LeadID); err != nil {
				t.Fatal(err)
			}
			before := len(wrote(t))
			capture(t, core.Inbound{Channel: core.ChannelEmail, Source: "sales", ExternalID: "k2@example.th", Email: "lek@example.th", Text: "Hello?"})
			got := wrote(t)[before:]
			if len(got) != 2 || got[0].Notice.UserID != 0 || got[0].Notice.TeamID == 0 {
				t.Fatalf("notices %+v", got)
			}
		})
		t.Run("a rep's own entry on the timeline tells nobody", func(t *testing.T) {
			before := len(wrote(t))
			capture(t, core.Inbound{Channel: core.ChannelManual, Source: "cli", ExternalID: "manual-1", Email: "anna@example.pl", Text: "Called her"})
			if after := len(wrote(t)); after != before {
				t.Fatalf("%d notices, then %d", before, after)
			}
		})
	})
}

// TestNoticePlacement: the notices of a thread delivered within
// NoticeBurst of each other are one message, edited in place; an older
// activity does not overwrite a newer one; a post in flight holds the
// thread; a failure gives it back; past the burst a new message is
// posted.
func TestNoticePlacement(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		clock := clocktest.New(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
		svc := core.NewService(db, clock, core.DefaultSettings(), nil)
		n := func(activity int64) core.Notice {
			return core.Notice{Kind: core.NoticeProspectWrote, Thread: "wrote:L1:U1", ActivityID: activity, Key: fmt.Sprint("wrote:L1:", activity)}
		}
		place := func(t *testing.T, activity int64) core.Placement {
			t.Helper()
			pl, err := svc.Notices.PlaceNotice(ctx, core.ChannelSlack, n(activity))
			if err != nil {
				t.Fatal(err)
			}
			return pl
		}
		t.Run("the first notice of a thread is posted", func(t *testing.T) {
			if pl := place(t, 10); !pl.Post {
				t.Fatalf("%+v", pl)
			}
		})
		t.Run("while it is being posted, the next waits", func(t *testing.T) {
			_, err := svc.Notices.PlaceNotice(ctx, core.ChannelSlack, n(11))
			if _, retry := core.RetryAfterOf(err); !retry {
				t.Fatalf("err %v, want a retry after", err)
			}
		})
		t.Run("a delivery older than one already waiting gives way, so a burst is a few edits", func(t *testing.T) {
			_, err := svc.Notices.PlaceNotice(ctx, core.ChannelSlack, n(12))
			if _, retry := core.RetryAfterOf(err); !retry {
				t.Fatalf("err %v, want a retry after", err)
			}
			pl, err := svc.Notices.PlaceNotice(ctx, core.ChannelSlack, n(11))
			if err != nil || pl.Post || pl.Edit != "" {
				t.Fatalf("the older delivery: %+v, %v; want it to give way", pl, err)
			}
		})
		if err := svc.Notices.NoticePlaced(ctx, core.ChannelSlack, n(10), "D0NIRAN", "1793.0001"); err != nil {
			t.Fatal(err)
		}
		t.Run("once posted, the next edits it", func(t *testing.T) {
			clock.Advance(time.Minute)
			if pl := place(t, 12); pl.Post || pl.Edit != "1793.0001" || pl.Target != "D0NIRAN" {
				t.Fatalf("%+v", pl)
			}
		})
		t.Run("an older message's notice does not edit over a newer one", func(t *testing.T) {
			if pl := place(t, 11); pl.Post || pl.Edit != "" {
				t.Fatalf("%+v", pl)
			}
		})
		t.Run("a failed edit is given back, so its retry edits again", func(t *testing.T) {
			pl := place(t, 13)
			if err := svc.Notices.NoticeUnplaced(ctx, core.ChannelSlack, n(13), pl); err != nil {
				t.Fatal(err)
			}
			if again := place(t, 13); again.Edit != "1793.0001" {
				t.Fatalf("%+v", again)
			}
		})
		t.Run("past the burst a new message is posted", func(t *testing.T) {
			clock.Advance(core.NoticeBurst + time.Second)
			if pl := place(t, 20); !pl.Post {
				t.Fatalf("%+v", pl)
			}
		})
		t.Run("a notice without a thread is always posted", func(t *testing.T) {
			pl, err := svc.Notices.PlaceNotice(ctx, core.ChannelSlack, core.Notice{Kind: core.NoticeReminder, Key: "r"})
			if err != nil || !pl.Post {
				t.Fatalf("%+v %v", pl, err)
			}
		})
	})
}

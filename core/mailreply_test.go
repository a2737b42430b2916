package core_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestReplyByMail: a reply to a prospect who last wrote by email goes by
// mail from the owner, threaded on their mail, as an email_out activity
// whose Message-ID their answer threads back on; a prospect who wrote in
// chat after their mail is answered in chat; without smtp the rep is told
// to answer from their mailbox.
func TestReplyByMail(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		settings := f.svc.Settings()
		settings.Channels = []string{core.ChannelSlack, core.ChannelEmail}
		svc := core.NewService(db, f.clock, settings, nil)
		mail := func(id, subject string, refs ...string) core.Inbound {
			return core.Inbound{Channel: core.ChannelEmail, Source: "sales", ExternalID: id, Name: "Anna Nowak", Email: "anna@example.pl",
				Subject: subject, Text: "Dzień dobry", Team: "Bangkok", References: refs, ReceivedAt: f.clock.Now()}
		}
		first, err := svc.Capture(f.ctx, mail("m1@example.pl", "Oferta na 50 stanowisk"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Claim(f.ctx, f.repA, first.LeadID); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Minute)
		if _, err := svc.Capture(f.ctx, mail("m2@example.pl", "Re: Oferta na 50 stanowisk", "m1@example.pl")); err != nil {
			t.Fatal(err)
		}
		lead := core.Ref{Kind: 'L', ID: first.LeadID}

		var sent string
		t.Run("by mail from the owner, threaded, on the timeline with its Message-ID", func(t *testing.T) {
			f.clock.Advance(time.Minute)
			// The manager answers on Niran's lead: the mail still goes
			// from Niran, the owner.
			res, err := svc.ReplyToContact(f.ctx, f.mgr, lead, "Tak, 15% rabatu.")
			if err != nil {
				t.Fatal(err)
			}
			j, a := res.Job, res.Activity
			if j.Channel != core.ChannelEmail || j.To != "anna@example.pl" || j.From != "niran@example.com" || j.Mailbox != "sales" ||
				j.InReplyTo != "m2@example.pl" || !slices.Equal(j.References, []string{"m1@example.pl", "m2@example.pl"}) {
				t.Errorf("job %+v", j)
			}
			if a.Kind != core.ActivityEmailOut || a.Subject != "Re: Oferta na 50 stanowisk" || !strings.HasSuffix(a.ExternalRef, "@example.com") || a.UserID != f.mgr.ID {
				t.Errorf("activity %+v", a)
			}
			sent = a.ExternalRef
		})
		t.Run("the answer to it threads back, from any address", func(t *testing.T) {
			f.clock.Advance(time.Minute)
			in := mail("m3@other.example", "Re: Oferta", sent)
			in.Email, in.Name = "piotr@other.example", "Piotr"
			res, err := svc.Capture(f.ctx, in)
			if err != nil || res.LeadID != first.LeadID || res.NewLead {
				t.Fatalf("%+v, %v", res, err)
			}
		})
		t.Run("a prospect who wrote in chat since is answered in chat", func(t *testing.T) {
			f.clock.Advance(time.Minute)
			if _, err := svc.Capture(f.ctx, core.Inbound{Channel: core.ChannelTelegram, Source: "intake", ExternalID: core.TelegramMessageRef(4242, 1),
				Handle: "telegram:4242", Email: "anna@example.pl", Text: "Szybciej tutaj", ReceivedAt: f.clock.Now()}); err != nil {
				t.Fatal(err)
			}
			res, err := svc.ReplyToContact(f.ctx, f.repA, lead, "OK")
			if err != nil || res.Job.Channel != core.ChannelTelegram || res.Activity.Kind != core.ActivityChatOut {
				t.Fatalf("%+v, %v", res, err)
			}
		})
		t.Run("without smtp, the rep is told to answer from their mailbox", func(t *testing.T) {
			other, err := f.svc.Capture(f.ctx, core.Inbound{Channel: core.ChannelEmail, Source: "sales", ExternalID: "x1@example.th",
				Email: "lek@example.th", Subject: "Hi", Text: "Hello", Team: "Bangkok"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.ReplyToContact(f.ctx, f.repA, core.Ref{Kind: 'L', ID: other.LeadID}, "hi")
			wantKind(t, err, core.KindInvalid, "no smtp server is configured")
		})
		t.Run("a rep of another team may not", func(t *testing.T) {
			_, err := svc.ReplyToContact(f.ctx, f.repW, lead, "hi")
			wantKind(t, err, core.KindForbidden, "not yours")
		})
	})
}

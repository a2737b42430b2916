package core_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	gomail "github.com/emersion/go-message/mail"

	lwmail "leadwire/bot/mail"
	"leadwire/core"
	"leadwire/internal/smtptest"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// testSequence is a three-step cadence: now, two days later, five days
// after that.
func testSequence(t testing.TB) core.Sequence {
	t.Helper()
	tmpl := func(name, text string) *template.Template {
		tt, err := core.ParseSequenceTemplate(name, text)
		if err != nil {
			t.Fatalf("template %s: %v", name, err)
		}
		return tt
	}
	return core.Sequence{Name: "welcome", Hours: core.DefaultWorkingHours(), Steps: []core.SequenceStep{
		{Delay: 0, Subject: tmpl("s0", "{{.Contact.FirstName}}, about {{.Deal.Title}}"),
			Body: tmpl("b0", "Hello {{.Contact.Name}} of {{.Contact.Company}},\nour offer is {{.Deal.Value}} ({{.Deal.Stage}}).\n{{.Owner.Name}} <{{.Owner.Email}}>\n")},
		{Delay: 48 * time.Hour, Subject: tmpl("s1", "Re: {{.Contact.FirstName}}, about {{.Deal.Title}}"), Body: tmpl("b1", "Any thoughts, {{.Contact.FirstName}}?")},
		{Delay: 5 * 24 * time.Hour, Subject: tmpl("s2", "Last note"), Body: tmpl("b2", "Closing the loop.")},
	}}
}

// seqFixture is the core fixture with sequences configured, and a mailer
// sending to a recording SMTP server.
type seqFixture struct {
	*fixture
	smtp   *smtptest.Server
	mailer core.Mailer
}

func newSeqFixture(t *testing.T, db *storage.DB) *seqFixture {
	t.Helper()
	f := newFixture(t, db)
	settings := f.svc.Settings()
	settings.Sequences = []core.Sequence{testSequence(t)}
	settings.PublicURL = "https://leads.example.com"
	f.svc = core.NewService(db, f.clock, settings, nil)
	srv := smtptest.Start(t)
	sender, err := lwmail.NewSender(lwmail.Config{Host: srv.Host, Port: srv.Port, TLS: core.TLSNone,
		Username: srv.Username, Password: srv.Password, From: mail.Address{Name: "Sales", Address: "sales@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	return &seqFixture{fixture: f, smtp: srv, mailer: lwmail.Mailer{S: sender}}
}

// deal makes an open deal of repA with a Persian-named contact.
func (f *seqFixture) deal(t *testing.T, email string) *core.Deal {
	t.Helper()
	res := f.capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: email, Email: email,
		Name: "مریم احمدی", Company: "پارس", Team: "Bangkok", Subject: "Pricing"})
	if _, err := f.svc.Claim(f.ctx, f.repA, res.LeadID); err != nil {
		t.Fatal(err)
	}
	value, _ := core.ParseMoney("450000", "THB")
	d, err := f.svc.Qualify(f.ctx, f.repA, res.LeadID, core.QualifyInput{Title: "Pars rollout", Value: value})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (f *seqFixture) enrollment(t *testing.T, id int64) *core.Enrollment {
	t.Helper()
	e, err := f.db.EnrollmentByID(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// step runs the job of the enrolment's next step, as River would.
func (f *seqFixture) step(t *testing.T, m core.Mailer, id int64) error {
	t.Helper()
	e := f.enrollment(t, id)
	return f.svc.Sequences.SequenceStep(f.ctx, m, core.SequenceStepJob{EnrollmentID: id, Step: e.Step, At: e.NextRunAt})
}

// delivered is one delivered mail, decoded.
type delivered struct {
	header  *gomail.Header
	from    *mail.Address
	subject string
	text    string
}

func decode(t *testing.T, m smtptest.Message) delivered {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(m.Raw))
	if err != nil {
		t.Fatalf("read mail: %v", err)
	}
	d := delivered{header: &r.Header}
	from, err := r.Header.AddressList("From")
	if err != nil || len(from) != 1 {
		t.Fatalf("From = %v, %v", from, err)
	}
	d.from = from[0]
	if d.subject, err = r.Header.Subject(); err != nil {
		t.Fatal(err)
	}
	p, err := r.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(p.Body)
	d.text = strings.ReplaceAll(string(b), "\r\n", "\n")
	return d
}

var linkRe = regexp.MustCompile(`https://leads\.example\.com/u/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

func TestSequenceSendsThreadedStepsUntilTheContactReplies(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSeqFixture(t, db)
		d := f.deal(t, "maryam@pars.example")
		// Monday 09:00 UTC is 16:00 in Bangkok, the owner's zone: inside
		// working hours, so the first step is due at once.
		e, err := f.svc.Sequences.Enroll(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d.ID}, "Welcome")
		if err != nil {
			t.Fatal(err)
		}
		if !e.NextRunAt.Equal(f.clock.Now()) || e.Status != core.EnrollmentActive {
			t.Fatalf("enrolment = %+v", e)
		}
		var first delivered
		t.Run("the first step comes from the owner with the fields filled and an unsubscribe link", func(t *testing.T) {
			if err := f.step(t, f.mailer, e.ID); err != nil {
				t.Fatal(err)
			}
			msgs := f.smtp.Messages()
			if len(msgs) != 1 || msgs[0].From != "niran@example.com" || len(msgs[0].To) != 1 || msgs[0].To[0] != "maryam@pars.example" {
				t.Fatalf("delivered %+v", msgs)
			}
			first = decode(t, msgs[0])
			if first.from.Name != "นิรันดร์" || first.from.Address != "niran@example.com" {
				t.Errorf("From = %v", first.from)
			}
			if first.subject != "مریم, about Pars rollout" {
				t.Errorf("Subject = %q", first.subject)
			}
			for _, want := range []string{"Hello مریم احمدی of پارس,", "our offer is 450,000.00 THB (Prospecting).", "นิรันดร์ <niran@example.com>", "No more of these emails: https://leads.example.com/u/"} {
				if !strings.Contains(first.text, want) {
					t.Errorf("body lacks %q:\n%s", want, first.text)
				}
			}
			id, _ := first.header.MessageID()
			if !strings.HasSuffix(id, "@example.com") {
				t.Errorf("Message-ID %q is not on the sender's domain", id)
			}
			link := linkRe.FindString(first.text)
			if lu := first.header.Get("List-Unsubscribe"); link == "" || lu != "<"+link+">" {
				t.Errorf("List-Unsubscribe = %q, link in body %q", lu, link)
			}
			if p := first.header.Get("List-Unsubscribe-Post"); p != "List-Unsubscribe=One-Click" {
				t.Errorf("List-Unsubscribe-Post = %q", p)
			}
			got := f.enrollment(t, e.ID)
			if got.Step != 1 || len(got.MessageIDs) != 1 || got.MessageIDs[0] != id || got.Sending != "" ||
				!got.NextRunAt.Equal(f.clock.Now().Add(48*time.Hour)) {
				t.Errorf("after step 0: %+v", got)
			}
			a, err := db.ActivityByExternalRef(f.ctx, id)
			if err != nil || a.Kind != core.ActivityEmailOut || a.DealID != d.ID || a.Subject != first.subject {
				t.Errorf("timeline entry = %+v, %v", a, err)
			}
		})
		t.Run("a job run again does not send again", func(t *testing.T) {
			err := f.svc.Sequences.SequenceStep(f.ctx, f.mailer, core.SequenceStepJob{EnrollmentID: e.ID, Step: 0, At: e.NextRunAt})
			if err != nil || len(f.smtp.Messages()) != 1 {
				t.Fatalf("err %v, %d messages", err, len(f.smtp.Messages()))
			}
		})
		t.Run("the second step replies to the first", func(t *testing.T) {
			f.clock.Advance(48 * time.Hour)
			if err := f.step(t, f.mailer, e.ID); err != nil {
				t.Fatal(err)
			}
			msgs := f.smtp.Messages()
			if len(msgs) != 2 {
				t.Fatalf("%d messages", len(msgs))
			}
			second := decode(t, msgs[1])
			firstID, _ := first.header.MessageID()
			irt, _ := second.header.MsgIDList("In-Reply-To")
			refs, _ := second.header.MsgIDList("References")
			if len(irt) != 1 || irt[0] != firstID || len(refs) != 1 || refs[0] != firstID {
				t.Errorf("In-Reply-To %v, References %v, want %s", irt, refs, firstID)
			}
		})
		t.Run("a reply threaded to a sequence mail stops it", func(t *testing.T) {
			e2 := f.enrollment(t, e.ID)
			f.clock.Advance(time.Hour)
			res := f.capture(t, core.Inbound{Channel: core.ChannelEmail, Source: "niran@", ExternalID: "<reply1@pars.example>",
				Email: "maryam@pars.example", Subject: "Re: about Pars rollout", Text: "Let's talk.", References: []string{e2.MessageIDs[1]}})
			if res.DealID != d.ID {
				t.Fatalf("reply went to %+v", res)
			}
			got := f.enrollment(t, e.ID)
			if got.Status != core.EnrollmentStopped || got.StopReason != "the contact replied" {
				t.Fatalf("after the reply: %+v", got)
			}
			f.clock.Advance(5 * 24 * time.Hour)
			err := f.svc.Sequences.SequenceStep(f.ctx, f.mailer, core.SequenceStepJob{EnrollmentID: e.ID, Step: 2, At: e2.NextRunAt})
			if err != nil || len(f.smtp.Messages()) != 2 {
				t.Fatalf("step after the reply: err %v, %d messages", err, len(f.smtp.Messages()))
			}
		})
		t.Run("the contact can be enrolled again once stopped", func(t *testing.T) {
			if _, err := f.svc.Sequences.Enroll(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d.ID}, "welcome"); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestEnrollRefuses(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSeqFixture(t, db)
		d := f.deal(t, "maryam@pars.example")
		ref := core.Ref{Kind: 'D', ID: d.ID}
		t.Run("an unknown sequence, naming the configured ones", func(t *testing.T) {
			_, err := f.svc.Sequences.Enroll(f.ctx, f.repA, ref, "welcom")
			wantKind(t, err, core.KindNotFound, `unknown sequence "welcom"; configured: welcome`)
		})
		t.Run("another team's rep", func(t *testing.T) {
			_, err := f.svc.Sequences.Enroll(f.ctx, f.repW, ref, "welcome")
			wantKind(t, err, core.KindForbidden, "is not yours")
		})
		t.Run("a second active enrolment of the contact", func(t *testing.T) {
			if _, err := f.svc.Sequences.Enroll(f.ctx, f.repA, ref, "welcome"); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.Sequences.Enroll(f.ctx, f.mgr, ref, "welcome")
			wantKind(t, err, core.KindConflict, "is in welcome already")
		})
		t.Run("a contact without an email address", func(t *testing.T) {
			res := f.capture(t, core.Inbound{Channel: core.ChannelTelegram, Source: "bot", ExternalID: "u1", Handle: "telegram:42", Name: "Somchai", Team: "Bangkok"})
			_, err := f.svc.Sequences.Enroll(f.ctx, f.mgr, core.Ref{Kind: 'L', ID: res.LeadID}, "welcome")
			wantKind(t, err, core.KindInvalid, "Somchai has no email address")
		})
		t.Run("a closed deal", func(t *testing.T) {
			d2 := f.deal(t, "other@pars.example")
			if _, err := f.svc.Win(f.ctx, f.repA, d2.ID); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.Sequences.Enroll(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d2.ID}, "welcome")
			wantKind(t, err, core.KindConflict, "is won")
		})
	})
}

func TestSequenceStops(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSeqFixture(t, db)
		enroll := func(t *testing.T, email string) (*core.Deal, *core.Enrollment) {
			d := f.deal(t, email)
			e, err := f.svc.Sequences.Enroll(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d.ID}, "welcome")
			if err != nil {
				t.Fatal(err)
			}
			return d, e
		}
		t.Run("winning the deal", func(t *testing.T) {
			d, e := enroll(t, "won@pars.example")
			if _, err := f.svc.Win(f.ctx, f.repA, d.ID); err != nil {
				t.Fatal(err)
			}
			if got := f.enrollment(t, e.ID); got.Status != core.EnrollmentStopped || got.StopReason != "the deal was won" {
				t.Fatalf("after winning: %+v", got)
			}
			if err := f.step(t, f.mailer, e.ID); err != nil || len(f.smtp.Messages()) != 0 {
				t.Fatalf("step after winning: %v, %d sent", err, len(f.smtp.Messages()))
			}
		})
		t.Run("the unsubscribe link, for every sequence of the contact", func(t *testing.T) {
			d, e := enroll(t, "unsub@pars.example")
			if err := f.step(t, f.mailer, e.ID); err != nil {
				t.Fatal(err)
			}
			msgs := f.smtp.Messages()
			link := linkRe.FindString(decode(t, msgs[len(msgs)-1]).text)
			token := strings.TrimPrefix(link, "https://leads.example.com/u/")
			if _, err := f.svc.Sequences.Unsubscribe(f.ctx, token+"x"); core.KindOf(err) != core.KindInvalid {
				t.Fatalf("a forged token: %v", err)
			}
			// The link names the enrolment sealed, not by its number.
			sealed, _, _ := strings.Cut(token, ".")
			if len(sealed) != 22 || sealed == strconv.FormatInt(e.ID, 10) {
				t.Errorf("the link %s shows the enrolment id %d", link, e.ID)
			}
			for _, m := range f.smtp.Messages() {
				if id := decode(t, m).header.Get("Message-Id"); strings.HasPrefix(id, "<seq."+strconv.FormatInt(e.ID, 10)+".") {
					t.Errorf("the Message-ID %s shows the enrolment id %d", id, e.ID)
				}
			}
			c, err := f.svc.Sequences.Unsubscribe(f.ctx, token)
			if err != nil || c.UnsubscribedAt.IsZero() {
				t.Fatalf("unsubscribe = %+v, %v", c, err)
			}
			if got := f.enrollment(t, e.ID); got.Status != core.EnrollmentStopped || got.StopReason != "unsubscribed" {
				t.Fatalf("after unsubscribing: %+v", got)
			}
			if _, err := f.svc.Sequences.Unsubscribe(f.ctx, token); err != nil {
				t.Fatalf("a second click: %v", err)
			}
			// Recorded once, as the person's own change through the web.
			log, err := f.svc.Audit(f.ctx, f.admin, core.AuditFilter{Contact: c.ID, Action: "contact.unsubscribe"})
			if err != nil || len(log) != 1 || log[0].Actor != "contact:"+core.ContactRef(c.ID) || log[0].Via != core.ViaWeb {
				t.Fatalf("unsubscribe audit %+v, %v", log, err)
			}
			_, err = f.svc.Sequences.Enroll(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d.ID}, "welcome")
			wantKind(t, err, core.KindConflict, "unsubscribed")
		})
		t.Run("a link sent before ids were sealed still unsubscribes", func(t *testing.T) {
			_, e := enroll(t, "old-link@pars.example")
			if err := f.step(t, f.mailer, e.ID); err != nil {
				t.Fatal(err)
			}
			v, err := db.Setting(f.ctx, "sequence_key")
			if err != nil {
				t.Fatal(err)
			}
			key, _ := hex.DecodeString(v)
			id := strconv.FormatInt(e.ID, 10)
			mac := hmac.New(sha256.New, key)
			mac.Write([]byte("unsubscribe\x00" + id))
			old := id + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
			if c, err := f.svc.Sequences.Unsubscribe(f.ctx, old); err != nil || c.UnsubscribedAt.IsZero() {
				t.Fatalf("unsubscribe with an old link = %+v, %v", c, err)
			}
		})
		t.Run("a permanent refusal stops it and says why on the timeline", func(t *testing.T) {
			d, e := enroll(t, "gone@pars.example")
			f.smtp.Reject("gone@pars.example", 550)
			if err := f.step(t, f.mailer, e.ID); err != nil {
				t.Fatalf("a 5xx is final, not retried: %v", err)
			}
			got := f.enrollment(t, e.ID)
			if got.Status != core.EnrollmentStopped || !strings.Contains(got.StopReason, "refused gone@pars.example") {
				t.Fatalf("after a 550: %+v", got)
			}
			acts, _ := db.ListActivities(f.ctx, core.ActivityFilter{DealID: d.ID, Limit: 1})
			if len(acts) != 1 || acts[0].Key != "timeline.sequence_stopped.refused" || acts[0].Args["Sequence"].Text != "welcome" ||
				acts[0].Args["To"].Text != "gone@pars.example" || !strings.Contains(acts[0].Args["Error"].Text, "550") {
				t.Fatalf("timeline = %+v", acts)
			}
		})
		t.Run("a temporary refusal is retried", func(t *testing.T) {
			_, e := enroll(t, "busy@pars.example")
			f.smtp.Reject("busy@pars.example", 450)
			if err := f.step(t, f.mailer, e.ID); err == nil {
				t.Fatal("a 4xx did not fail the job")
			}
			if got := f.enrollment(t, e.ID); got.Status != core.EnrollmentActive || got.Sending != "" || got.Step != 0 {
				t.Fatalf("after a 450: %+v", got)
			}
			f.smtp.Reject("busy@pars.example", 0)
			// The last attempt failing stops it (not this time: the job
			// goes on).
			if err := f.svc.Sequences.GiveUpSequenceStep(f.ctx, core.SequenceStepJob{EnrollmentID: e.ID, Step: 5}, errors.New("x")); err != nil ||
				f.enrollment(t, e.ID).Status != core.EnrollmentActive {
				t.Fatalf("giving up on another step: %v", err)
			}
			n := len(f.smtp.Messages())
			if err := f.step(t, f.mailer, e.ID); err != nil {
				t.Fatal(err)
			}
			if len(f.smtp.Messages()) != n+1 || f.enrollment(t, e.ID).Step != 1 {
				t.Fatal("the retry did not send")
			}
		})
	})
}

// crashingMailer sends, then dies before the send is recorded.
type crashingMailer struct{ core.Mailer }

func (m crashingMailer) Send(ctx context.Context, out core.OutgoingMail) (string, error) {
	if _, err := m.Mailer.Send(ctx, out); err != nil {
		return "", err
	}
	panic("crash after sending")
}

func TestACrashBetweenSendingAndRecordingDoesNotSendTwice(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSeqFixture(t, db)
		d := f.deal(t, "maryam@pars.example")
		e, err := f.svc.Sequences.Enroll(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d.ID}, "welcome")
		if err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the mailer did not crash")
				}
			}()
			_ = f.step(t, crashingMailer{f.mailer}, e.ID)
		}()
		if n := len(f.smtp.Messages()); n != 1 {
			t.Fatalf("%d messages after the crash", n)
		}
		marked := f.enrollment(t, e.ID)
		if marked.Sending == "" || marked.Step != 0 {
			t.Fatalf("no send mark after the crash: %+v", marked)
		}
		// The job is retried.
		if err := f.step(t, f.mailer, e.ID); err != nil {
			t.Fatal(err)
		}
		if n := len(f.smtp.Messages()); n != 1 {
			t.Fatalf("the retry sent again: %d messages", n)
		}
		got := f.enrollment(t, e.ID)
		if got.Step != 1 || got.Sending != "" || len(got.MessageIDs) != 1 || got.MessageIDs[0] != marked.Sending {
			t.Fatalf("after the retry: %+v", got)
		}
		id, _ := decode(t, f.smtp.Messages()[0]).header.MessageID()
		if a, err := db.ActivityByExternalRef(f.ctx, id); err != nil || a.Kind != core.ActivityEmailOut {
			t.Fatalf("the sent mail is not on the timeline by its Message-ID: %+v, %v", a, err)
		}
	})
}

func TestWorkingHours(t *testing.T) {
	load := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	bangkok, tehran, warsaw := load("Asia/Bangkok"), load("Asia/Tehran"), load("Europe/Warsaw")
	week := core.DefaultWorkingHours()
	everyDay := core.WorkingHours{Start: 9 * time.Hour, End: 17 * time.Hour, Days: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}
	iran := core.WorkingHours{Start: 8*time.Hour + 30*time.Minute, End: 16 * time.Hour,
		Days: []time.Weekday{time.Saturday, time.Sunday, time.Monday, time.Tuesday, time.Wednesday}}
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	for _, c := range []struct {
		name  string
		hours core.WorkingHours
		loc   *time.Location
		at    string
		want  string
	}{
		{"inside the hours in Bangkok it sends at once", week, bangkok, "2026-11-02T10:00:00+07:00", "2026-11-02T10:00:00+07:00"},
		{"a Friday evening in Bangkok waits for Monday 09:00", week, bangkok, "2026-11-06T18:00:00+07:00", "2026-11-09T09:00:00+07:00"},
		{"early morning in Tehran (+03:30) waits for 09:00", week, tehran, "2026-11-04T08:00:00+03:30", "2026-11-04T09:00:00+03:30"},
		{"a Thursday in Tehran with a Saturday-to-Wednesday week waits for Saturday 08:30", iran, tehran, "2026-11-05T10:00:00+03:30", "2026-11-07T08:30:00+03:30"},
		{"a Warsaw weekend across the spring switch ends on Monday 09:00 CEST", week, warsaw, "2026-03-28T12:00:00+01:00", "2026-03-30T09:00:00+02:00"},
		{"a Warsaw Friday evening across the autumn switch ends on Monday 09:00 CET", week, warsaw, "2026-10-23T17:30:00+02:00", "2026-10-26T09:00:00+01:00"},
		{"on the spring switch day itself the day starts at 09:00 wall time", everyDay, warsaw, "2026-03-29T01:00:00+01:00", "2026-03-29T09:00:00+02:00"},
		{"on the autumn switch day itself the day starts at 09:00 wall time", everyDay, warsaw, "2026-10-25T01:00:00+02:00", "2026-10-25T09:00:00+01:00"},
		{"the end of the hours is outside them", week, warsaw, "2026-11-02T17:00:00+01:00", "2026-11-03T09:00:00+01:00"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.hours.Next(utc(c.at), c.loc); !got.Equal(utc(c.want)) {
				t.Errorf("Next(%s) = %s, want %s", c.at, got.In(c.loc).Format(time.RFC3339), c.want)
			}
		})
	}
}

func TestGivingUpAStepStopsTheEnrolment(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSeqFixture(t, db)
		d := f.deal(t, "slow@pars.example")
		e, err := f.svc.Sequences.Enroll(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d.ID}, "welcome")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Sequences.GiveUpSequenceStep(f.ctx, core.SequenceStepJob{EnrollmentID: e.ID, Step: 0}, errors.New("451 try later")); err != nil {
			t.Fatal(err)
		}
		if got := f.enrollment(t, e.ID); got.Status != core.EnrollmentStopped || got.StopReason != "sending failed too often: 451 try later" {
			t.Fatalf("after giving up: %+v", got)
		}
	})
}

func TestStepsAreTimedInTheContactsZoneElseTheOwners(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSeqFixture(t, db)
		// Monday 2026-11-02 09:00 UTC: 16:00 in Bangkok (the owner), 12:30
		// in Tehran, 10:00 in Warsaw, 04:00 in New York.
		d := f.deal(t, "owner-zone@pars.example")
		e, err := f.svc.Sequences.Enroll(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d.ID}, "welcome")
		if err != nil {
			t.Fatal(err)
		}
		if !e.NextRunAt.Equal(f.clock.Now()) {
			t.Errorf("in the owner's hours: due %s", e.NextRunAt)
		}
		d2 := f.deal(t, "contact-zone@pars.example")
		if err := db.Update(f.ctx, func(tx core.Tx) error {
			c, err := tx.ContactByID(f.ctx, d2.ContactID)
			if err != nil {
				return err
			}
			c.TimeZone = "America/New_York"
			return tx.UpdateContact(f.ctx, c)
		}); err != nil {
			t.Fatal(err)
		}
		e2, err := f.svc.Sequences.Enroll(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d2.ID}, "welcome")
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC); !e2.NextRunAt.Equal(want) {
			t.Errorf("in the contact's New York hours: due %s, want %s", e2.NextRunAt, want)
		}
		t.Run("a job that runs outside the hours puts the step off", func(t *testing.T) {
			// River may run a job late (the server was down): at 23:00
			// Bangkok the step moves to 09:00 the next day.
			f.clock.Advance(7 * time.Hour)
			if err := f.step(t, f.mailer, e.ID); err != nil {
				t.Fatal(err)
			}
			got := f.enrollment(t, e.ID)
			if want := time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC); len(f.smtp.Messages()) != 0 || !got.NextRunAt.Equal(want) || got.Step != 0 {
				t.Fatalf("late job: %d sent, enrolment %+v, want due %s", len(f.smtp.Messages()), got, want)
			}
		})
	})
}

func TestImportSetsTheContactsTimeZone(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		res, errs := f.svc.ImportContacts(f.ctx, f.admin, []core.Inbound{
			{Channel: core.ChannelImport, Source: "crm.csv", Email: "reza@tehran.example", Name: "رضا", TimeZone: "Asia/Tehran"},
			{Channel: core.ChannelImport, Source: "crm.csv", Email: "bad@zone.example", TimeZone: "Asia/Tehrn"},
		})
		if errs[0] != nil {
			t.Fatal(errs[0])
		}
		c, err := db.ContactByID(f.ctx, res[0].ContactID)
		if err != nil || c.TimeZone != "Asia/Tehran" {
			t.Errorf("contact = %+v, %v", c, err)
		}
		wantKind(t, errs[1], core.KindInvalid, `unknown time zone "Asia/Tehrn"`)
	})
}

func TestSequenceMailOfAnOwnerOnAnotherDomain(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSeqFixture(t, db)
		// The relay sends for example.com; this owner's address is elsewhere.
		f.repA.Email = "niran@partner.example"
		if err := db.Update(f.ctx, func(tx core.Tx) error { return tx.UpdateUser(f.ctx, f.repA) }); err != nil {
			t.Fatal(err)
		}
		d := f.deal(t, "maryam@pars.example")
		e, err := f.svc.Sequences.Enroll(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d.ID}, "Welcome")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.step(t, f.mailer, e.ID); err != nil {
			t.Fatal(err)
		}
		msgs := f.smtp.Messages()
		if len(msgs) != 1 || msgs[0].From != "sales@example.com" {
			t.Fatalf("delivered %+v, want the relay's own address as the envelope sender", msgs)
		}
		m := decode(t, msgs[0])
		if m.from.Address != "sales@example.com" || m.from.Name != "นิรันดร์ via Sales" {
			t.Errorf("From = %v", m.from)
		}
		replyTo, err := m.header.AddressList("Reply-To")
		if err != nil || len(replyTo) != 1 || replyTo[0].Address != "niran@partner.example" {
			t.Errorf("Reply-To = %v, %v; want the owner", replyTo, err)
		}
	})
}

package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"leadwire/cmd/leadwire/config"
	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/internal/smtptest"
	"leadwire/internal/view"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// crashOnce sends, then panics the first time it mails one address: the
// process dying between the SMTP server's acceptance and the record.
type crashOnce struct {
	core.Mailer
	addr string
	once sync.Once
}

func (m *crashOnce) Send(ctx context.Context, out core.OutgoingMail) (string, error) {
	id, err := m.Mailer.Send(ctx, out)
	if err == nil && out.To.Address == m.addr {
		m.once.Do(func() { panic("crash after sending") })
	}
	return id, err
}

// seqEnv is leadwire's wiring for sequences over a real database, a real
// River client and a recording SMTP server.
type seqEnv struct {
	ctx   context.Context
	db    *storage.DB
	svc   *core.Service
	smtp  *smtptest.Server
	jobs  *river.Client[*sql.Tx]
	owner *core.User
	http  *httptest.Server
	app   *App
}

func newSeqEnv(t *testing.T, db *storage.DB) *seqEnv {
	t.Helper()
	return newSeqEnvLogging(t, db, io.Discard)
}

// newSeqEnvLogging is newSeqEnv with its log (text) written to logTo.
func newSeqEnvLogging(t *testing.T, db *storage.DB, logTo io.Writer) *seqEnv {
	t.Helper()
	ctx := context.Background()
	srv := smtptest.Start(t)
	cfg, err := config.Parse([]byte(fmt.Sprintf(`
http:
  public_url: https://leads.example.com
teams:
  - name: Bangkok
users:
  - email: niran@siam-sales.example
    name: นิรันดร์ สุขใจ
    team: Bangkok
    timezone: Asia/Bangkok
smtp:
  host: 127.0.0.1
  port: %d
  tls: none
  username: %s
  password: %s
  from: "Sales <sales@siam-sales.example>"
sequences:
  - name: welcome
    steps:
      - delay: 0
        subject: "{{.Contact.FirstName}}, about {{.Deal.Title}}"
        body: "สวัสดีค่ะ {{.Contact.Name}} ({{.Contact.Company}}): {{.Deal.Value}}, {{.Deal.Stage}}. {{.Owner.Name}}"
      - delay: 2d
        subject: "Re: {{.Deal.Title}}"
        body: "Any news, {{.Contact.FirstName}}?"
      - delay: 30d
        subject: "Last note"
        body: "Closing the loop."
`, srv.Port, srv.Username, srv.Password)), "leadwire.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	// A Monday 10:00 in Bangkok three to four weeks ago: inside working
	// hours, with the first two steps due in River's past (they run at
	// once) and the third in its future (it waits).
	loc, _ := time.LoadLocation("Asia/Bangkok")
	day := time.Now().In(loc).AddDate(0, 0, -21)
	for day.Weekday() != time.Monday {
		day = day.AddDate(0, 0, -1)
	}
	clock := clocktest.New(time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, loc).UTC())
	log := slog.New(slog.NewTextHandler(logTo, nil))
	svc := core.NewService(db, clock, cfg.Settings(), log)
	if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: cfg.Teams(), Users: cfg.Users(), Pipelines: cfg.Pipelines()}); err != nil {
		t.Fatal(err)
	}
	a := &App{ctx: ctx, cfg: cfg, db: db, svc: svc, log: log}
	mailer, err := sequenceMailer(cfg, svc.Connectors, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := core.NewHandlers()
	core.Handle(h, svc.Sequences.SequenceStepHandler(&crashOnce{Mailer: mailer, addr: "crash@thai-buyer.example"}))
	jobs, err := db.NewJobs(h, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = jobs.Stop(stopCtx)
	})
	server := newServer(a)
	if err := server.mountUnsubscribe(); err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(server.mux)
	t.Cleanup(web.Close)
	owner, err := db.UserByEmail(ctx, "niran@siam-sales.example")
	if err != nil {
		t.Fatal(err)
	}
	return &seqEnv{ctx: ctx, db: db, svc: svc, smtp: srv, jobs: jobs.River(), owner: owner, http: web, app: a}
}

// enroll makes a deal of the owner's with a contact of the address and
// enrolls it in welcome.
// A locale given is the language the contact wrote in.
func (e *seqEnv) enroll(t *testing.T, email string, locale ...string) (*core.Deal, *core.Enrollment) {
	t.Helper()
	res, err := e.svc.Capture(e.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: email,
		Email: email, Name: "สมหญิง ใจดี", Company: "บริษัท ไทย จำกัด", Subject: "Quote", Locale: strings.Join(locale, ",")})
	if err != nil {
		t.Fatal(err)
	}
	value, _ := core.ParseMoney("125000", "THB")
	d, err := e.svc.Qualify(e.ctx, e.owner, res.LeadID, core.QualifyInput{Title: "Thai rollout", Value: value})
	if err != nil {
		t.Fatal(err)
	}
	en, err := e.svc.Sequences.Enroll(e.ctx, e.owner, core.Ref{Kind: 'D', ID: d.ID}, "welcome")
	if err != nil {
		t.Fatal(err)
	}
	return d, en
}

// mailsTo are the delivered mails to one address, in order.
func (e *seqEnv) mailsTo(addr string) []smtptest.Message {
	var out []smtptest.Message
	for _, m := range e.smtp.Messages() {
		if len(m.To) == 1 && m.To[0] == addr {
			out = append(out, m)
		}
	}
	return out
}

func (e *seqEnv) enrollment(t *testing.T, id int64) *core.Enrollment {
	t.Helper()
	en, err := e.db.EnrollmentByID(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return en
}

// parsed decodes a delivered mail: header and text body.
func parsed(t *testing.T, m smtptest.Message) (*gomail.Header, string) {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(m.Raw))
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(p.Body)
	return &r.Header, string(b)
}

var unsubscribeLink = regexp.MustCompile(`https://leads\.example\.com(/u/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)`)

func TestSequencesEndToEnd(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newSeqEnv(t, db)

		t.Run("two steps go out threaded, and a reply stops the third", func(t *testing.T) {
			const addr = "somying@thai-buyer.example"
			d, en := e.enroll(t, addr)
			waitFor(t, 30*time.Second, "two steps recorded", func() bool { return e.enrollment(t, en.ID).Step == 2 })
			mails := e.mailsTo(addr)
			if len(mails) != 2 || mails[0].From != "niran@siam-sales.example" {
				t.Fatalf("delivered %+v", mails)
			}
			h1, body1 := parsed(t, mails[0])
			from, _ := h1.AddressList("From")
			subject, _ := h1.Subject()
			id1, _ := h1.MessageID()
			if len(from) != 1 || from[0].Name != "นิรันดร์ สุขใจ" || from[0].Address != "niran@siam-sales.example" {
				t.Errorf("From = %v", from)
			}
			if subject != "สมหญิง, about Thai rollout" {
				t.Errorf("Subject = %q", subject)
			}
			if !strings.HasSuffix(id1, "@siam-sales.example") {
				t.Errorf("Message-ID %q is not on the sender's domain", id1)
			}
			if want := "สวัสดีค่ะ สมหญิง ใจดี (บริษัท ไทย จำกัด): 125,000.00 THB, Prospecting. นิรันดร์ สุขใจ"; !strings.Contains(body1, want) {
				t.Errorf("body lacks %q:\n%s", want, body1)
			}
			link := unsubscribeLink.FindString(body1)
			if link == "" || h1.Get("List-Unsubscribe") != "<"+link+">" || h1.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
				t.Errorf("unsubscribe: link %q, headers %q %q", link, h1.Get("List-Unsubscribe"), h1.Get("List-Unsubscribe-Post"))
			}
			h2, _ := parsed(t, mails[1])
			irt, _ := h2.MsgIDList("In-Reply-To")
			refs, _ := h2.MsgIDList("References")
			if len(irt) != 1 || irt[0] != id1 || len(refs) != 1 || refs[0] != id1 {
				t.Errorf("second step: In-Reply-To %v, References %v, want %s", irt, refs, id1)
			}
			id2, _ := h2.MessageID()
			res, err := e.svc.Capture(e.ctx, core.Inbound{Channel: core.ChannelEmail, Source: "niran", ExternalID: "<answer@thai-buyer.example>",
				Email: addr, Subject: "Re: Thai rollout", Text: "Yes, call me.", References: []string{id2}})
			if err != nil || res.DealID != d.ID {
				t.Fatalf("reply captured as %+v, %v", res, err)
			}
			if got := e.enrollment(t, en.ID); got.Status != core.EnrollmentStopped || got.StopReason != "the contact replied" {
				t.Fatalf("after the reply: %+v", got)
			}
		})
		t.Run("winning the deal stops it", func(t *testing.T) {
			d, en := e.enroll(t, "won@thai-buyer.example")
			waitFor(t, 30*time.Second, "two steps recorded", func() bool { return e.enrollment(t, en.ID).Step == 2 })
			if _, err := e.svc.Win(e.ctx, e.owner, d.ID); err != nil {
				t.Fatal(err)
			}
			if got := e.enrollment(t, en.ID); got.Status != core.EnrollmentStopped || got.StopReason != "the deal was won" {
				t.Fatalf("after winning: %+v", got)
			}
		})
		t.Run("the unsubscribe page speaks the language the contact wrote in", func(t *testing.T) {
			const addr = "thai-page@thai-buyer.example"
			e.enroll(t, addr, "th-TH")
			waitFor(t, 30*time.Second, "the first mail", func() bool { return len(e.mailsTo(addr)) > 0 })
			_, body := parsed(t, e.mailsTo(addr)[0])
			path := unsubscribeLink.FindStringSubmatch(body)[1]
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				req, _ := http.NewRequest(method, e.http.URL+path, nil)
				req.Header.Set("Accept-Language", "en-US") // the contact's own language comes first
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				page, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				want := map[string]string{http.MethodGet: "ยกเลิกการรับอีเมล?", http.MethodPost: "ยกเลิกการรับเรียบร้อยแล้ว"}[method]
				if resp.StatusCode != 200 || !strings.Contains(string(page), want) || !strings.Contains(string(page), `lang="th"`) {
					t.Errorf("%s %s = %d %s", method, path, resp.StatusCode, page)
				}
			}
			// A damaged link names no contact: the browser's language.
			req, _ := http.NewRequest(http.MethodGet, e.http.URL+path+"x", nil)
			req.Header.Set("Accept-Language", "pl-PL,pl;q=0.9")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 404 || !strings.Contains(string(page), "Nie rozpoznano linku") {
				t.Errorf("damaged link = %d %s", resp.StatusCode, page)
			}
		})
		t.Run("the unsubscribe link asks to confirm, and the button or a one-click POST stops it", func(t *testing.T) {
			const addr = "unsub@thai-buyer.example"
			_, en := e.enroll(t, addr)
			waitFor(t, 30*time.Second, "the first mail", func() bool { return len(e.mailsTo(addr)) > 0 })
			_, body := parsed(t, e.mailsTo(addr)[0])
			path := unsubscribeLink.FindStringSubmatch(body)[1]
			resp, err := http.Get(e.http.URL + path) // a reader, or a mail scanner, opens the link
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(page), `<form method="post">`) {
				t.Fatalf("GET %s = %d %s", path, resp.StatusCode, page)
			}
			if got := e.enrollment(t, en.ID); got.Status != core.EnrollmentActive {
				t.Fatalf("opening the link unsubscribed: %+v", got)
			}
			resp, err = http.Post(e.http.URL+path, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
			if err != nil {
				t.Fatal(err)
			}
			page, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(page), "You are unsubscribed") {
				t.Fatalf("POST %s = %d %s", path, resp.StatusCode, page)
			}
			waitFor(t, 30*time.Second, "the enrolment to end", func() bool { return e.enrollment(t, en.ID).Status != core.EnrollmentActive })
			if got := e.enrollment(t, en.ID); got.Status != core.EnrollmentStopped || got.StopReason != "unsubscribed" {
				t.Fatalf("after unsubscribing: %+v", got)
			}
			resp, err = http.Get(e.http.URL + path + "x")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 404 {
				t.Errorf("a forged link answered %d, want 404", resp.StatusCode)
			}
			resp, err = http.Get(e.http.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("the link again answered %d, want 200", resp.StatusCode)
			}
		})
		t.Run("a 5xx refusal stops it with the reason on the timeline", func(t *testing.T) {
			const addr = "nobody@thai-buyer.example"
			e.smtp.Reject(addr, 550)
			d, en := e.enroll(t, addr)
			waitFor(t, 30*time.Second, "the enrolment to stop", func() bool { return e.enrollment(t, en.ID).Status != core.EnrollmentActive })
			if got := e.enrollment(t, en.ID); !strings.Contains(got.StopReason, "refused "+addr) {
				t.Fatalf("after a 550: %+v", got)
			}
			acts, _ := db.ListActivities(e.ctx, core.ActivityFilter{DealID: d.ID, Limit: 1})
			if len(acts) != 1 || !strings.Contains(view.ActivityText(acts[0], view.Names{}), "sequence welcome stopped: the mail server refused") {
				t.Errorf("timeline = %+v", acts)
			}
		})
		t.Run("a 4xx refusal is retried", func(t *testing.T) {
			const addr = "busy@thai-buyer.example"
			e.smtp.Reject(addr, 450)
			_, en := e.enroll(t, addr)
			var job *rivertype.JobRow
			waitFor(t, 30*time.Second, "a retryable step job", func() bool {
				res, err := e.jobs.JobList(e.ctx, river.NewJobListParams().Kinds("sequence_step").States(rivertype.JobStateRetryable))
				if err == nil && len(res.Jobs) > 0 {
					job = res.Jobs[0]
				}
				return job != nil
			})
			if got := e.enrollment(t, en.ID); got.Status != core.EnrollmentActive || got.Step != 0 || got.Sending != "" {
				t.Fatalf("after a 450: %+v", got)
			}
			e.smtp.Reject(addr, 0)
			// Retry now rather than after River's backoff.
			if _, err := e.jobs.JobRetry(e.ctx, job.ID); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 30*time.Second, "the retried step", func() bool { return e.enrollment(t, en.ID).Step >= 1 })
		})
		t.Run("a crash after sending does not send twice", func(t *testing.T) {
			const addr = "crash@thai-buyer.example"
			_, en := e.enroll(t, addr)
			waitFor(t, 30*time.Second, "two steps recorded", func() bool { return e.enrollment(t, en.ID).Step == 2 })
			mails := e.mailsTo(addr)
			if len(mails) != 2 {
				t.Fatalf("%d mails for two steps", len(mails))
			}
			got := e.enrollment(t, en.ID)
			h1, _ := parsed(t, mails[0])
			id1, _ := h1.MessageID()
			if got.MessageIDs[0] != id1 {
				t.Errorf("recorded %v, sent %s", got.MessageIDs, id1)
			}
			a, err := db.ActivityByExternalRef(e.ctx, id1)
			if err != nil || !strings.Contains(view.ActivityText(*a, view.Names{}), "leadwire stopped while sending this step") {
				t.Errorf("the first step was not recorded by the retry after the crash: %+v, %v", a, err)
			}
		})
	})
}

package core_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/testenv"
	"leadwire/storage"
)

// The person erased, as every table may hold her.
const (
	zName   = "Zofia Przybylska-Wójcik"
	zEmail  = "zofia.pw@kowalczyk-trade.pl"
	zPhone  = "+48601234567"
	zHandle = "telegram:555000111"
)

// seedPerson puts Zofia in every table that can hold her data: mail with
// attachments noted, a form post, a Telegram intake merged into her, an
// import row, a sequence sent, a webhook delivery, a failed raw message,
// a rep's note and task, queued jobs, a duplicate mark and the audit log.
// Bartek, another person, is seeded beside her and must stay.
func seedPerson(t *testing.T, f *fixture) (zofia, bartek int64, dealID int64) {
	t.Helper()
	mail := f.capture(t, core.Inbound{Channel: core.ChannelEmail, Source: "sales@", ExternalID: "<m1@kowalczyk-trade.pl>",
		Email: "Zofia Przybylska-Wójcik <" + zEmail + ">", Name: zName, Company: "Kowalczyk Trade", Team: "Warsaw",
		Subject: "Oferta — " + zName, Text: "Dzień dobry, w załączniku: cennik.pdf (2 pages). Tel. 601 234 567\n" + zName,
		Raw: []byte("From: " + zEmail + "\r\n\r\nbody")})
	f.capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "idem-" + zEmail, Email: zEmail,
		Phone: "601 234 567", Name: zName, Team: "Warsaw", Subject: "Form", Text: "call me at " + zPhone,
		Metadata: map[string]string{"utm_source": "newsletter", "email_field": zEmail}})
	tg := f.capture(t, core.Inbound{Channel: core.ChannelTelegram, Source: "intake", ExternalID: "9001", Handle: zHandle,
		Name: zName + " (tg)", Team: "Warsaw", Text: "Hi, it's " + zName})
	if _, errs := f.svc.ImportContacts(f.ctx, f.admin, []core.Inbound{{Channel: core.ChannelImport, Source: "import:crm.csv",
		ExternalID: zEmail, Email: zEmail, Name: zName, Team: "Warsaw", Text: "Imported note about " + zName}}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	other := f.capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "bartek", Email: "bartek@nowak.pl",
		Phone: "601 234 567", Name: "Bartek Nowak", Team: "Warsaw", Subject: "Pricing"})
	d, err := f.svc.Qualify(f.ctx, f.repW, mail.LeadID, core.QualifyInput{Value: core.Money{Amount: 900000, Currency: "PLN"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Note(f.ctx, f.repW, core.Ref{Kind: 'D', ID: d.ID}, "Rozmowa z "+zName+", "+zPhone); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Merge(f.ctx, f.admin, mail.ContactID, tg.ContactID); err != nil {
		t.Fatal(err)
	}
	err = f.db.Update(f.ctx, func(tx core.Tx) error {
		now := f.clock.Now()
		if err := tx.CreateTask(f.ctx, &core.Task{Title: "Zadzwoń: " + zName, DueAt: now.Add(time.Hour), OwnerID: f.repW.ID, DealID: d.ID, CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.CreateEnrollment(f.ctx, &core.Enrollment{Sequence: "welcome", DealID: d.ID, ContactID: mail.ContactID, OwnerID: f.repW.ID,
			Step: 1, Status: core.EnrollmentActive, MessageIDs: []string{"<seq1@leadwire>"}, NextRunAt: now, CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		if err := tx.AddActivity(f.ctx, &core.Activity{Kind: core.ActivityEmailOut, ContactID: mail.ContactID, DealID: d.ID,
			Subject: "Witaj " + zName, Body: "Dear " + zName + ", …", ExternalRef: "<seq1@leadwire>", At: now}); err != nil {
			return err
		}
		if err := tx.AddFailedInbound(f.ctx, &core.FailedInbound{Connector: "sales@", ExternalID: "<bad@x>", Error: "bad MIME",
			Raw: []byte("From: \"" + zName + "\" <" + zEmail + ">\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\nattachment\r\n"), At: now}); err != nil {
			return err
		}
		body, _ := json.Marshal(map[string]string{"email": zEmail, "name": zName, "phone": "601 234 567"})
		if err := tx.AddDelivery(f.ctx, &core.Delivery{At: now, Source: "zapier", Status: 201, Outcome: "captured", Ref: "L9", ExternalID: "z-" + zEmail, Size: int64(len(body)), Body: body}); err != nil {
			return err
		}
		if err := tx.Enqueue(f.ctx, core.NotifyJob{Channel: core.ChannelSlack, Notice: core.Notice{Kind: core.NoticeNewLead, TeamID: 2, Text: zName + " wrote again", Key: "x1"}}); err != nil {
			return err
		}
		// Her name in capitals, and Bartek's failure, which stays.
		if err := tx.AddFailedInbound(f.ctx, &core.FailedInbound{Connector: "sales@", ExternalID: "<bad2@x>", Error: "bad charset",
			Raw: []byte("From: " + strings.ToUpper(zName) + "\r\n\r\n\x00binary"), At: now}); err != nil {
			return err
		}
		if err := tx.AddFailedInbound(f.ctx, &core.FailedInbound{Connector: "sales@", ExternalID: "<bad3@x>", Error: "bad MIME",
			Raw: []byte("From: bartek@nowak.pl\r\n\r\n"), At: now}); err != nil {
			return err
		}
		// A job naming her deal only by its id, deep in its arguments.
		if err := tx.Enqueue(f.ctx, core.NotifyJob{Channel: core.ChannelTelegram, Notice: core.Notice{Kind: core.NoticeNewLead, DealID: d.ID, Key: "x2"}}); err != nil {
			return err
		}
		return tx.Enqueue(f.ctx, core.ChatReplyJob{ActivityID: 1, Channel: core.ChannelTelegram, To: "555000111"})
	})
	if err != nil {
		t.Fatal(err)
	}
	return mail.ContactID, other.ContactID, d.ID
}

// needles are the forms of Zofia's data the whole database is searched for.
var needles = []string{zName, zEmail, zPhone, strings.TrimPrefix(zPhone, "+"), zHandle, "555000111", "Przybylska"}

func TestEraseLeavesNoTraceInTheDatabase(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		dsn  func(t *testing.T) string
		dump func(t *testing.T, db *storage.DB, dsn string) []byte
	}{
		{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "erase.db") }, dumpSQLite},
		{"postgres", func(t *testing.T) string { return testenv.Postgres(t) }, dumpPostgres},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := tc.dsn(t)
			db, err := storage.OpenAndMigrate(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			f := newFixture(t, db)
			zofia, bartek, dealID := seedPerson(t, f)
			before := tc.dump(t, db, dsn)
			for _, n := range needles {
				if !bytes.Contains(before, []byte(n)) {
					t.Fatalf("the seeded database does not hold %q: the search would prove nothing", n)
				}
			}
			statsBefore, err := db.Stats(ctx, core.StatsFilter{})
			if err != nil {
				t.Fatal(err)
			}

			_, err = f.svc.Erase(ctx, f.mgr, zEmail, "request")
			wantKind(t, err, core.KindForbidden, "only admins")
			_, err = f.svc.Export(ctx, f.repW, zEmail)
			wantKind(t, err, core.KindForbidden, "only admins")

			x, err := f.svc.Export(ctx, f.admin, zEmail)
			if err != nil {
				t.Fatal(err)
			}
			doc, _ := json.Marshal(x)
			for _, want := range []string{zEmail, zPhone, zHandle, "cennik.pdf", "bad MIME", "welcome", "Zadzwoń"} {
				if !strings.Contains(string(doc), want) {
					t.Errorf("the export lacks %q", want)
				}
			}
			if x.Contact.ID != zofia || len(x.Merged) != 1 || len(x.Deals) != 1 || len(x.Raw) != 2 || len(x.Enrollments) != 1 {
				t.Errorf("export: contact %d, merged %d, deals %d, raw %d, enrolments %d", x.Contact.ID, len(x.Merged), len(x.Deals), len(x.Raw), len(x.Enrollments))
			}

			rep, err := f.svc.Erase(ctx, f.admin, zPhone, "erasure request of 2 Nov from "+zEmail)
			if err != nil {
				t.Fatal(err)
			}
			if rep.ContactID != zofia || rep.Contacts != 2 || rep.Addresses != 1 || rep.Counts["raw messages"] != 2 ||
				rep.Counts["webhook deliveries"] != 1 || rep.Counts["jobs"] != 3 || rep.Counts["audit"] == 0 {
				t.Fatalf("report %+v", rep)
			}
			if x, err := f.svc.Export(ctx, f.admin, "bartek@nowak.pl"); err != nil || len(x.Raw) != 1 {
				t.Fatalf("Bartek's kept failure: %+v, %v", x, err)
			}
			after := tc.dump(t, db, dsn)
			for _, n := range needles {
				if i := bytes.Index(after, []byte(n)); i >= 0 {
					lo, hi := max(0, i-80), min(len(after), i+80)
					t.Errorf("%q is still in the database: …%q…", n, after[lo:hi])
				}
			}

			t.Run("deals and counts stay on the anonymous contact", func(t *testing.T) {
				d, err := db.DealByID(ctx, dealID)
				if err != nil || d.ContactID != zofia || d.Value.Amount != 900000 {
					t.Fatalf("deal %+v, %v", d, err)
				}
				statsAfter, err := db.Stats(ctx, core.StatsFilter{})
				if err != nil {
					t.Fatal(err)
				}
				if !jsonEqual(statsBefore, statsAfter) {
					t.Fatalf("stats changed:\n%+v\n%+v", statsBefore, statsAfter)
				}
				c, _ := db.ContactByID(ctx, zofia)
				if c.ErasedAt.IsZero() || c.Name != "" || len(c.Identities()) != 0 {
					t.Fatalf("contact %+v", c)
				}
				if b, err := db.ContactByID(ctx, bartek); err != nil || b.Name != "Bartek Nowak" || len(b.Emails) != 1 {
					t.Fatalf("another person was touched: %+v, %v", b, err)
				}
			})
			t.Run("the erasure is in the audit log without her data", func(t *testing.T) {
				log, err := f.svc.Audit(ctx, f.admin, core.AuditFilter{Contact: zofia, Action: "contact.erase"})
				if err != nil || len(log) != 1 || !strings.Contains(log[0].Note, "[erased]") {
					t.Fatalf("audit %+v, %v", log, err)
				}
			})
			t.Run("a new message starts afresh, and sequences do not mail the address", func(t *testing.T) {
				res := f.capture(t, core.Inbound{Channel: core.ChannelEmail, Source: "sales@", ExternalID: "<m2@kowalczyk-trade.pl>",
					Email: zEmail, Name: "Zofia", Team: "Warsaw", Subject: "Hello again"})
				if res.ContactID == zofia || !res.NewLead {
					t.Fatalf("a new message went to %+v", res)
				}
				x, err := f.svc.Export(ctx, f.admin, zEmail)
				if err != nil || !x.Consent.DoNotEmail {
					t.Fatalf("do-not-email %+v, %v", x.Consent, err)
				}
				_, err = f.svc.Erase(ctx, f.admin, core.ContactRef(zofia), "again")
				wantKind(t, err, core.KindConflict, "erased on")
			})
		})
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// dumpSQLite checkpoints the log into the file, vacuums it, and returns
// the bytes of every file of the database.
func dumpSQLite(t *testing.T, db *storage.DB, dsn string) []byte {
	t.Helper()
	for _, q := range []string{`PRAGMA wal_checkpoint(TRUNCATE)`, `VACUUM`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	var all []byte
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// dumpPostgres returns a full pg_dump of the database.
func dumpPostgres(t *testing.T, _ *storage.DB, dsn string) []byte {
	t.Helper()
	out, err := exec.Command("pg_dump", "--no-owner", dsn).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("pg_dump: %v\n%s", err, stderr)
	}
	return out
}

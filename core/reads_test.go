package core_test

import (
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestReadsReachOnlyWhatTheActorMaySee checks the reads front ends use
// instead of the store: each shows a contact, a deal's history or a
// contact list only to whom may see it, and the user in no team or the
// rep of another team sees nothing of Bangkok's.
func TestReadsReachOnlyWhatTheActorMaySee(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		lone, err := f.svc.Directory.SaveUser(f.ctx, nil, core.UserDef{Email: "lone@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		leadID := f.newLead(t, "Bangkok", "malee@example.co.th")
		if _, err := f.svc.Claim(f.ctx, f.repA, leadID); err != nil {
			t.Fatal(err)
		}
		d, err := f.svc.Qualify(f.ctx, f.repA, leadID, core.QualifyInput{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.FollowUp(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d.ID}, "send the quote", f.clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		l, err := db.LeadByID(f.ctx, leadID)
		if err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			name string
			who  *core.User
			sees bool
		}{
			{"the owner", f.repA, true},
			{"the team's manager", f.mgr, true},
			{"an admin", f.admin, true},
			{"a rep of the same team", f.repB, true}, // the team's contacts
			{"the rep of another team", f.repW, false},
			{"a user in no team", lone, false},
		} {
			t.Run(tc.name+" sees the contact: "+map[bool]string{true: "yes", false: "no"}[tc.sees], func(t *testing.T) {
				c, err := f.svc.Contact(f.ctx, tc.who, l.ContactID)
				if tc.sees != (err == nil) {
					t.Fatalf("Contact: %v, %v", c, err)
				}
				if !tc.sees && core.KindOf(err) != core.KindForbidden {
					t.Fatalf("refusal of kind %v: %v", core.KindOf(err), err)
				}
				if _, err := f.svc.PossibleDuplicates(f.ctx, tc.who, l.ContactID, 10); tc.sees != (err == nil) {
					t.Fatalf("PossibleDuplicates: %v", err)
				}
				contacts, err := f.svc.Contacts(f.ctx, tc.who, core.ContactFilter{})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range contacts {
					if c.TeamID != l.TeamID && tc.who.Role != core.RoleAdmin {
						t.Errorf("%s lists contact %d of team %d", tc.name, c.ID, c.TeamID)
					}
				}
			})
		}

		t.Run("a deal's contact, next task and history are the deal's viewers'", func(t *testing.T) {
			for _, who := range []*core.User{f.repA, f.mgr, f.admin} {
				if _, err := f.svc.DealContact(f.ctx, who, d); err != nil {
					t.Errorf("%s: DealContact: %v", who.Email, err)
				}
				next, last, err := f.svc.DealNext(f.ctx, who, d)
				if err != nil || next == nil || next.Title != "send the quote" || last == nil {
					t.Errorf("%s: DealNext: %+v, %+v, %v", who.Email, next, last, err)
				}
				if h, err := f.svc.StageHistory(f.ctx, who, d.ID); err != nil || len(h) == 0 {
					t.Errorf("%s: StageHistory: %v, %v", who.Email, h, err)
				}
			}
			for _, who := range []*core.User{f.repW, lone} {
				if _, err := f.svc.DealContact(f.ctx, who, d); core.KindOf(err) != core.KindForbidden {
					t.Errorf("%s: DealContact: %v", who.Email, err)
				}
				if _, _, err := f.svc.DealNext(f.ctx, who, d); core.KindOf(err) != core.KindForbidden {
					t.Errorf("%s: DealNext: %v", who.Email, err)
				}
				if _, err := f.svc.StageHistory(f.ctx, who, d.ID); core.KindOf(err) != core.KindForbidden {
					t.Errorf("%s: StageHistory: %v", who.Email, err)
				}
				if _, err := f.svc.LeadContact(f.ctx, who, l); core.KindOf(err) != core.KindForbidden {
					t.Errorf("%s: LeadContact: %v", who.Email, err)
				}
			}
		})

		t.Run("a user in no team lists no contacts, an admin every team's", func(t *testing.T) {
			other := f.newLead(t, "Warsaw", "anna@kowalska.pl")
			if c, err := f.svc.Contacts(f.ctx, lone, core.ContactFilter{}); err != nil || len(c) != 0 {
				t.Fatalf("lone: %v, %v", c, err)
			}
			all, err := f.svc.Contacts(f.ctx, f.admin, core.ContactFilter{})
			if err != nil || len(all) != 2 {
				t.Fatalf("admin: %v, %v", all, err)
			}
			warsaw, err := f.svc.Contacts(f.ctx, f.mgr, core.ContactFilter{})
			if err != nil || len(warsaw) != 1 || warsaw[0].ID != l.ContactID {
				t.Fatalf("Bangkok's manager: %v, %v (Warsaw's lead L%d)", warsaw, err, other)
			}
		})
	})
}

// TestNoticeSubjectLoadsWhatANoticeIsAboutForItsReader checks that a
// team notice is rendered for any member of the team and a user's for
// that user, with the records it names.
func TestNoticeSubjectLoadsWhatANoticeIsAboutForItsReader(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		leadID := f.newLead(t, "Bangkok", "malee@example.co.th")
		l, err := db.LeadByID(f.ctx, leadID)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("a new lead's notice is for the lead's team, read as a rep of it", func(t *testing.T) {
			sub, err := f.svc.NoticeSubject(f.ctx, core.Notice{Kind: core.NoticeNewLead, LeadID: leadID})
			if err != nil {
				t.Fatal(err)
			}
			if sub.Team == nil || sub.Team.ID != l.TeamID || sub.Lead.ID != leadID {
				t.Fatalf("subject %+v", sub)
			}
			if r := sub.Reader; r.ID != 0 || r.Role != core.RoleRep || r.TeamID != l.TeamID || r.TimeZone != f.svc.Settings().TimeZone {
				t.Fatalf("reader %+v", r)
			}
			if _, err := f.svc.LeadContact(f.ctx, sub.Reader, sub.Lead); err != nil {
				t.Fatalf("the team's reader cannot see the lead's contact: %v", err)
			}
		})

		t.Run("a reminder is for the task's owner, with the task's deal", func(t *testing.T) {
			if _, err := f.svc.Claim(f.ctx, f.repA, leadID); err != nil {
				t.Fatal(err)
			}
			d, err := f.svc.Qualify(f.ctx, f.repA, leadID, core.QualifyInput{})
			if err != nil {
				t.Fatal(err)
			}
			task, err := f.svc.FollowUp(f.ctx, f.repA, core.Ref{Kind: 'D', ID: d.ID}, "call back", f.clock.Now().Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			sub, err := f.svc.NoticeSubject(f.ctx, core.Notice{Kind: core.NoticeReminder, TaskID: task.ID})
			if err != nil {
				t.Fatal(err)
			}
			if sub.Reader.ID != f.repA.ID || sub.Task.ID != task.ID || sub.Deal == nil || sub.Deal.ID != d.ID || sub.Team != nil {
				t.Fatalf("subject %+v", sub)
			}
		})

		t.Run("a team's reader acts on no other team's unclaimed lead", func(t *testing.T) {
			other := f.newLead(t, "Warsaw", "anna@kowalska.pl")
			sub, err := f.svc.NoticeSubject(f.ctx, core.Notice{Kind: core.NoticeNewLead, LeadID: leadID})
			if err != nil {
				t.Fatal(err)
			}
			w, err := db.LeadByID(f.ctx, other)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.LeadContact(f.ctx, sub.Reader, w); core.KindOf(err) != core.KindForbidden {
				t.Fatalf("Bangkok's channel reads Warsaw's lead's contact: %v", err)
			}
			if _, err := f.svc.Lead(f.ctx, sub.Reader, other); core.KindOf(err) != core.KindForbidden {
				t.Fatalf("Bangkok's channel reads Warsaw's lead: %v", err)
			}
		})

		t.Run("a notice of a lead that is gone says so", func(t *testing.T) {
			_, err := f.svc.NoticeSubject(f.ctx, core.Notice{Kind: core.NoticeUnclaimed, LeadID: 999})
			if !core.IsNotFound(err) {
				t.Fatalf("err %v", err)
			}
		})
	})
}

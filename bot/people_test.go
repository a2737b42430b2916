package bot_test

import (
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestCompanyInChat(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
		c.lead("Bangkok", "Chai", "chai@siam.co.th", "")
		c.lead("Warsaw", "Ewa", "ewa@zolw.pl", "Żółw")
		c.run(t, []step{
			{name: "a rep sees a company of the team with its people", who: "niran", line: "company siam logistics",
				want: []string{"Siam Logistics", "Contacts", "2", "Anong Wongsa", "Chai", "siam.co.th"}},
			{name: "the company is found by its domain-named twin only if it exists", who: "niran", line: "company ZOLW",
				want: []string{"no company"}},
			{name: "a rep of another team is told it is not among their team's contacts", who: "zofia", line: "company Siam Logistics",
				want: []string{"among your team's contacts"}, not: []string{"Anong"}},
			{name: "an admin sees any company", who: "ada", line: "company Żółw", want: []string{"Ewa"}},
			{name: "a company needs a name", who: "ada", line: "company", want: []string{"usage"}},
		})
	})
}

func TestMergeInChat(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
		c.lead("Bangkok", "อนงค์", "anong.w@gmail.com", "")
		c.lead("Warsaw", "Ewa", "ewa@zolw.pl", "")
		c.run(t, []step{
			{name: "a rep is told only managers and admins merge", who: "niran", line: "merge C1 C2", want: []string{"only managers"}},
			{name: "a manager may not merge another team's contact", who: "somchai", line: "merge C1 C3", want: []string{"C3 is not a contact of your team"}},
			{name: "a bad id says how to write one", who: "somchai", line: "merge C1 L2", want: []string{"like C12"}},
			{name: "the manager sees the plan with the rule and the fields first", who: "somchai", line: "merge C1 C2",
				want: []string{"Merge C2 into C1?", "Rule:", "name", "Anong Wongsa (not อนงค์)", "[1] Merge"}},
			{name: "and merges with the button", who: "somchai", line: "1", want: []string{"Merged C2 into C1", "merge 1"}},
			{name: "merging it again says it is merged already", who: "somchai", line: "merge C1 C2", want: []string{"merged into C1 already"}},
		})
		log, err := c.svc.Audit(c.ctx, c.users["ada"], core.AuditFilter{Action: "contact."})
		if err != nil || len(log) != 1 || log[0].Via != core.ViaConsole || log[0].Actor != "somchai@example.com" {
			t.Fatalf("audit %+v, %v", log, err)
		}
	})
}

func TestAuditInChat(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
		c.lead("Warsaw", "Ewa", "ewa@zolw.pl", "")
		c.run(t, []step{
			{name: "the manager assigns the lead", who: "somchai", line: "assign L1 niran@example.com", want: []string{"L1"}},
			{name: "an admin sees who assigned it and through what", who: "ada", line: "audit L1",
				want: []string{"Changes to L1", "lead.assign", "somchai@example.com via console", "owner: none → niran@example.com"}},
			{name: "the manager of the lead's team sees its changes, the capture too", who: "somchai", line: "audit L1",
				want: []string{"lead.assign", "lead.capture", "connector:webform:"}},
			{name: "a manager asking for another team's record is told why not", who: "somchai", line: "audit L2",
				want: []string{"L2 is not a record of your team"}, not: []string{"lead.capture"}},
			{name: "a rep is told who may read it", who: "niran", line: "audit L1", want: []string{"only managers (for their team's records) and admins"}},
			{name: "a bad record says how to write one", who: "ada", line: "audit X1", want: []string{"D45, L123 or C12"}},
		})
	})
}

func TestContactCardInChat(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		c.lead("Bangkok", "Anong Wongsa", "anong@siam.co.th", "Siam Logistics")
		c.lead("Warsaw", "Ewa", "ewa@zolw.pl", "")
		c.run(t, []step{
			{name: "a contact id alone shows the contact with their leads", who: "somchai", line: "C1",
				want: []string{"Anong Wongsa (Siam Logistics)", "anong@siam.co.th", "Bangkok", "Leads", "L1"}},
			{name: "lower case works too", who: "somchai", line: "c1", want: []string{"anong@siam.co.th"}},
			{name: "a rep of another team is told it is out of reach", who: "zofia", line: "C1",
				want: []string{"not within your reach"}, not: []string{"anong@"}},
			{name: "an admin sees any team's contact", who: "ada", line: "C2", want: []string{"Ewa", "ewa@zolw.pl", "Warsaw"}},
			{name: "an unknown contact is not found", who: "ada", line: "C99", want: []string{"not found"}},
		})
	})
}

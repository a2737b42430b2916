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
		c.run(t, []step{
			{name: "the manager assigns the lead", who: "somchai", line: "assign L1 niran@example.com", want: []string{"L1"}},
			{name: "an admin sees who assigned it and through what", who: "ada", line: "audit L1",
				want: []string{"lead.assign", "somchai@example.com via console", "owner: none → niran@example.com"}},
			{name: "a manager is told only admins may", who: "somchai", line: "audit L1", want: []string{"only admins"}},
			{name: "a bad record says how to write one", who: "ada", line: "audit X1", want: []string{"D45, L123 or C12"}},
		})
	})
}

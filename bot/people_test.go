package bot_test

import (
	"testing"

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

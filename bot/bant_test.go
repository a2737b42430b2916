package bot_test

import (
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestQualifyWithBANT(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newChat(t, db)
		c.lead("Bangkok", "Nguyễn Minh", "minh@vinacorp.vn", "VinaCorp")
		c.lead("Bangkok", "Anong", "anong@siam.th", "Siam")
		c.lead("Bangkok", "Somsak", "somsak@thai.th", "Thai Co")
		c.lead("Bangkok", "Lan", "lan@viet.vn", "Viet Co")
		c.run(t, []step{
			{"keywords after the value", "niran", "qualify L1 20000 EUR budget 20k EUR authority CFO need CRM migration timeline Q1",
				[]string{"L1 qualified into D1", "20,000.00 EUR", "Budget", "20k EUR", "Authority", "CFO", "Need", "CRM migration", "Timeline", "Q1"}, nil},
			{"in any order, with colons, without a value", "niran", "qualify L2 need: a new CRM budget: unknown",
				[]string{"L2 qualified into D2", "0.00 EUR", "Need", "a new CRM", "Budget", "unknown"}, []string{"Authority", "Timeline"}},
			{"on a deal it sets the answers given and keeps the others", "niran", "qualify D2 authority Head of Sales timeline before June",
				[]string{"✓ Qualification of D2 saved.", "a new CRM", "Head of Sales", "before June"}, nil},
			{"a deal without answers is told how", "niran", "qualify D2 now", []string{"D2 is a deal already; give its qualification (BANT)"}, nil},
			{"a keyword without its answer", "niran", "qualify L3 budget need lots", []string{"budget needs an answer after it"}, nil},
			{"another team's rep may not", "zofia", "qualify D1 budget 1 EUR", []string{"D1 is not yours"}, []string{"saved"}},
			{"nor qualify another team's lead with answers", "zofia", "qualify L3 budget 1 EUR", []string{"L3 is not yours: only its owner"}, []string{"D3"}},
		})
		d, err := c.db.DealByID(c.ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		if want := (core.Qualification{Budget: "unknown", Authority: "Head of Sales", Need: "a new CRM", Timeline: "before June"}); d.Qualification != want {
			t.Errorf("D2's qualification %+v, want %+v", d.Qualification, want)
		}
		// In the asker's language: Polish keywords.
		c.say(t, "pim", "language pl")
		pim, err := c.db.UserByEmail(c.ctx, "pim@example.com")
		if err != nil {
			t.Fatal(err)
		}
		c.users["pim"] = pim
		c.run(t, []step{
			{"Polish keywords", "pim", "kwalifikuj L3 budżet 80 tys. PLN decydent dyrektor finansowy potrzeba migracja CRM termin I kwartał",
				[]string{"D3", "Budżet", "80 tys. PLN", "Decydent", "dyrektor finansowy", "Potrzeba", "migracja CRM", "Termin", "I kwartał"}, nil},
		})
		// Vietnamese keywords of several words.
		c.say(t, "niran", "language vi")
		niran, err := c.db.UserByEmail(c.ctx, "niran@example.com")
		if err != nil {
			t.Fatal(err)
		}
		c.users["niran"] = niran
		c.run(t, []step{
			{"Vietnamese keywords of several words", "niran", "qualify L4 ngân sách 500 triệu VND người quyết định giám đốc tài chính nhu cầu chuyển CRM thời hạn quý 1",
				[]string{"D4", "Ngân sách", "500 triệu VND", "Người quyết định", "giám đốc tài chính", "Nhu cầu", "chuyển CRM", "Thời hạn", "quý 1"}, nil},
		})
	})
}

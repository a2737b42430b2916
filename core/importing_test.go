package core_test

import (
	"testing"
	"time"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func dealRow(key, email, owner string) core.DealImport {
	return core.DealImport{Inbound: core.Inbound{Channel: core.ChannelImport, Source: "import:deals.csv", ExternalID: key, Email: email, Name: "Prospect " + key}, Owner: owner}
}

func TestImportDeals(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		p, err := db.DefaultPipeline(f.ctx)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("a row becomes a qualified lead and a deal in its stage, in one step", func(t *testing.T) {
			row := dealRow("d1", "khai@vinacorp.vn", "niran@example.com")
			row.Title, row.Stage, row.Value = "VinaCorp seats", "Proposal", core.Money{Amount: 150000000, Currency: "THB"}
			row.Subject, row.Metadata = "50 seats", map[string]string{"Campaign": "Q4"}
			res, errs := f.svc.ImportDeals(f.ctx, f.admin, []core.DealImport{row})
			if errs[0] != nil {
				t.Fatal(errs[0])
			}
			d, err := db.DealByID(f.ctx, res[0].DealID)
			if err != nil {
				t.Fatal(err)
			}
			if d.Title != "VinaCorp seats" || p.Stage(d.StageID).Name != "Proposal" || d.OwnerID != f.repA.ID || d.TeamID != f.repA.TeamID || d.Value.Amount != 150000000 || d.Status != core.DealOpen {
				t.Errorf("deal = %+v", d)
			}
			l, err := db.LeadByID(f.ctx, res[0].LeadID)
			if err != nil {
				t.Fatal(err)
			}
			if l.Status != core.LeadQualified || l.DealID != d.ID || l.OwnerID != f.repA.ID || l.Metadata["Campaign"] != "Q4" || !l.FirstResponseAt.IsZero() {
				t.Errorf("lead = %+v", l)
			}
			if !res[0].NewContact {
				t.Error("the contact was new, the result says not")
			}
		})

		t.Run("a deal lost from a stage enters that stage, then Lost, with the configured reason", func(t *testing.T) {
			row := dealRow("d2", "zofia@budowa.pl", "zofia@example.com")
			row.Stage, row.Status, row.LostReason = "Negotiation", core.DealLost, "price"
			row.ReceivedAt, row.ClosedAt = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)
			res, errs := f.svc.ImportDeals(f.ctx, f.admin, []core.DealImport{row})
			if errs[0] != nil {
				t.Fatal(errs[0])
			}
			d, _ := db.DealByID(f.ctx, res[0].DealID)
			if d.Status != core.DealLost || d.LostReason != "Price too high" || !d.ClosedAt.Equal(row.ClosedAt) || !d.CreatedAt.Equal(row.ReceivedAt) {
				t.Errorf("deal = %+v", d)
			}
			hist, _ := db.StageHistory(f.ctx, d.ID)
			if len(hist) != 2 || p.Stage(hist[0].ToStage).Name != "Negotiation" || p.Stage(hist[1].ToStage).Name != "Lost" {
				t.Errorf("history = %+v", hist)
			}
			reopened, err := f.svc.Reopen(f.ctx, f.repW, d.ID)
			if err != nil || p.Stage(reopened.StageID).Name != "Negotiation" {
				t.Errorf("reopen = %+v, %v; want back in Negotiation", reopened, err)
			}
		})

		t.Run("the same row again changes nothing", func(t *testing.T) {
			res, errs := f.svc.ImportDeals(f.ctx, f.admin, []core.DealImport{dealRow("d1", "khai@vinacorp.vn", "niran@example.com")})
			if errs[0] != nil || !res[0].Duplicate || res[0].DealID == 0 {
				t.Fatalf("result = %+v, %v", res[0], errs[0])
			}
		})

		t.Run("a contact with an open deal still gets the row's deal of its own", func(t *testing.T) {
			res, errs := f.svc.ImportDeals(f.ctx, f.admin, []core.DealImport{dealRow("d3", "khai@vinacorp.vn", "niran@example.com")})
			if errs[0] != nil || res[0].Duplicate || res[0].NewContact || res[0].DealID == 0 {
				t.Fatalf("result = %+v, %v", res[0], errs[0])
			}
		})

		t.Run("who may import whose deals", func(t *testing.T) {
			cases := []struct {
				name  string
				actor *core.User
				owner string
				ok    bool
			}{
				{"a rep imports own deals", f.repA, "", true},
				{"a rep may not import a colleague's deals", f.repA, "pim@example.com", false},
				{"a manager imports the team's deals", f.mgr, "pim@example.com", true},
				{"a manager may not import another team's deals", f.mgr, "zofia@example.com", false},
				{"an admin imports anyone's deals", f.admin, "zofia@example.com", true},
				{"the operator needs an owner on the row", &core.User{Name: "operator", Role: core.RoleAdmin, Active: true}, "", false},
			}
			for i, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					_, errs := f.svc.ImportDeals(f.ctx, c.actor, []core.DealImport{dealRow("perm"+string(rune('a'+i)), "perm@example.com", c.owner)})
					if (errs[0] == nil) != c.ok {
						t.Errorf("error = %v, want ok %v", errs[0], c.ok)
					}
				})
			}
		})

		t.Run("a bad row writes nothing and holds back no other row", func(t *testing.T) {
			good := dealRow("d4", "good@example.com", "niran@example.com")
			bad := dealRow("d5", "bad@example.com", "niran@example.com")
			bad.Status = core.DealLost // without a reason
			res, errs := f.svc.ImportDeals(f.ctx, f.admin, []core.DealImport{good, bad})
			if errs[0] != nil || res[0].DealID == 0 {
				t.Errorf("good row: %+v, %v", res[0], errs[0])
			}
			wantKind(t, errs[1], core.KindInvalid, "a lost deal needs a lost reason")
			if _, err := db.ContactByIdentity(f.ctx, core.Identity{Kind: core.IdentityEmail, Value: "bad@example.com"}); !core.IsNotFound(err) {
				t.Errorf("the bad row's contact was stored: %v", err)
			}
		})
	})
}

func TestImportContacts(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		known := f.capture(t, core.Inbound{Channel: core.ChannelEmail, Source: "sales@", ExternalID: "<m1@x>", Email: "anna@firma.pl", Name: "Anna Nowak"})
		ins := []core.Inbound{
			{Channel: core.ChannelImport, Source: "import:book.csv", ExternalID: "c1", Email: "ANNA@firma.pl", Phone: "+48 601 111 222", Company: "Firma"},
			{Channel: core.ChannelImport, Source: "import:book.csv", ExternalID: "c2", Name: "สมศรี", Phone: "081 234 5678", Text: "Birthday: 1990-01-01"},
		}
		res, errs := f.svc.ImportContacts(f.ctx, f.mgr, ins)
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}

		t.Run("a known contact is completed, a new one created, and no lead opened", func(t *testing.T) {
			if res[0].ContactID != known.ContactID || res[0].NewContact || !res[1].NewContact {
				t.Errorf("results = %+v", res)
			}
			c, _ := db.ContactByID(f.ctx, known.ContactID)
			if c.Name != "Anna Nowak" || c.Company != "Firma" || len(c.Phones) != 1 || c.Phones[0] != "+48601111222" {
				t.Errorf("known contact = %+v", c)
			}
			leads, _ := db.ListLeads(f.ctx, core.LeadFilter{})
			if len(leads) != 1 {
				t.Errorf("%d leads, want the one captured before", len(leads))
			}
		})

		t.Run("a contact without a team goes to the actor's, phones read in its region", func(t *testing.T) {
			c, _ := db.ContactByID(f.ctx, res[1].ContactID)
			if c.TeamID != f.mgr.TeamID || len(c.Phones) != 1 || c.Phones[0] != "+66812345678" {
				t.Errorf("contact = %+v", c)
			}
			acts, _ := db.ListActivities(f.ctx, core.ActivityFilter{ContactID: c.ID})
			if len(acts) != 1 || acts[0].Kind != core.ActivityNote || acts[0].Body != "Birthday: 1990-01-01" {
				t.Errorf("timeline = %+v", acts)
			}
		})

		t.Run("the same rows again change nothing", func(t *testing.T) {
			again, _ := f.svc.ImportContacts(f.ctx, f.mgr, ins)
			if !again[0].Duplicate || !again[1].Duplicate || again[1].ContactID != res[1].ContactID {
				t.Errorf("results = %+v", again)
			}
		})
	})
}

func TestResolveDealStage(t *testing.T) {
	p := &core.Pipeline{Name: "Sales", Stages: []core.Stage{
		{ID: 1, Name: "Prospecting", Kind: core.StageOpen}, {ID: 2, Name: "Proposal", Kind: core.StageOpen},
		{ID: 3, Name: "Won", Kind: core.StageWon}, {ID: 4, Name: "Lost", Kind: core.StageLost}}}
	cases := []struct {
		name     string
		stage    string
		status   core.DealStatus
		from, to int64
		err      string
	}{
		{"no stage and no status is the first stage", "", "", 0, 1, ""},
		{"a stage by prefix", "prop", "", 0, 2, ""},
		{"won without a stage is Won", "", core.DealWon, 0, 3, ""},
		{"won from a stage goes through it", "Proposal", core.DealWon, 2, 3, ""},
		{"the Lost stage alone is a lost deal", "Lost", "", 0, 4, ""},
		{"open in Won is a contradiction", "Won", core.DealOpen, 0, 0, "status open does not fit stage Won"},
		{"lost in Won is a contradiction", "Won", core.DealLost, 0, 0, "status lost does not fit stage Won"},
		{"an unknown status is refused", "", "pending", 0, 0, `unknown deal status "pending"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			from, to, err := core.ResolveDealStage(p, c.stage, c.status)
			if c.err != "" {
				wantKind(t, err, core.KindInvalid, c.err)
				return
			}
			if err != nil || to.ID != c.to || (from == nil) != (c.from == 0) || from != nil && from.ID != c.from {
				t.Errorf("from %v to %v, %v; want %d → %d", from, to, err, c.from, c.to)
			}
		})
	}
}

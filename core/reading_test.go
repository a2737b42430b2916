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

func TestReadInbound(t *testing.T) {
	long := func(s string, n int) string { return strings.Repeat(s, n) }
	tests := []struct {
		name       string
		in         core.Inbound
		region     string
		wantPhone  string
		wantRaw    string
		wantNote   string // "" none
		wantErr    string // "" none
		wantName   int    // characters of the name kept; 0: as given
		wantSubjct int
	}{
		{"a Polish number", core.Inbound{Email: "a@b.pl", Phone: "601 234 567"}, "PL", "+48601234567", "", "", "", 0, 0},
		{"a Thai mobile", core.Inbound{Email: "a@b.th", Phone: "081 234 5678"}, "TH", "+66812345678", "", "", "", 0, 0},
		{"a US number without its +1 on a Warsaw row is kept as written", core.Inbound{Email: "a@b.pl", Phone: "(555) 123-4567"}, "PL", "", "(555) 123-4567",
			`phone number "(555) 123-4567" is not a valid number in PL: kept on the contact as written, not used to find them`, "", 0, 0},
		{"a number with a country code that does not exist there", core.Inbound{Email: "a@b.pl", Phone: "+48 111 111 111"}, "PL", "", "+48 111 111 111",
			`phone number "+48 111 111 111" is not a valid number in PL: kept`, "", 0, 0},
		{"an invalid phone alone is refused", core.Inbound{Phone: "(555) 123-4567"}, "PL", "", "(555) 123-4567", `phone number "(555) 123-4567"`,
			`invalid phone number "(555) 123-4567" (not a valid number in PL); write it with its country code, e.g. +48 601 234 567; and there is no email or chat handle`, 0, 0},
		{"a 5,000-character email address is refused", core.Inbound{Email: long("a", 4990) + "@example.com"}, "", "", "", "",
			"an email address of 5002 characters is too long; an address has at most 254 bytes, 64 before the @", 0, 0},
		{"a local part over 64 is refused", core.Inbound{Email: long("a", 65) + "@example.com"}, "", "", "", "",
			"is too long; an address has at most 254 bytes, 64 before the @", 0, 0},
		{"an address of 255 is refused", core.Inbound{Email: "a@" + long("b", 249) + ".com"}, "", "", "", "", "is too long", 0, 0},
		{"an address of 254 is fine", core.Inbound{Email: long("a", 64) + "@" + long("b", 185) + ".com"}, "", "", "", "", "", 0, 0},
		{"an overlong phone is refused", core.Inbound{Email: "a@b.pl", Phone: long("1", 65)}, "PL", "", "", "",
			"a phone number of 65 characters is too long; it has at most 64", 0, 0},
		{"an overlong handle is refused", core.Inbound{Handle: "telegram:" + long("1", 200)}, "", "", "", "",
			"a chat handle of 209 characters is too long; it has at most 128", 0, 0},
		{"an overlong name is cut and said", core.Inbound{Email: "a@b.pl", Name: long("Ą", 5000)}, "", "", "",
			"the name was 5000 characters: cut to 200", "", 200, 0},
		{"an overlong subject is cut at the RFC 5322 line length", core.Inbound{Email: "a@b.pl", Subject: long("x", 2000)}, "", "", "",
			"the subject was 2000 characters: cut to 998", "", 0, 998},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := core.ReadInbound(tt.in, tt.region)
			if err := r.Err(); tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || core.KindOf(err) != core.KindInvalid) {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
			if r.Phone != tt.wantPhone || r.InvalidPhone != tt.wantRaw {
				t.Errorf("phone = %q, invalid %q; want %q, %q", r.Phone, r.InvalidPhone, tt.wantPhone, tt.wantRaw)
			}
			if tt.wantNote == "" && len(r.Notes) > 0 || tt.wantNote != "" && !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.HasPrefix(n, tt.wantNote) }) {
				t.Errorf("notes = %q, want %q", r.Notes, tt.wantNote)
			}
			if n := len([]rune(r.In.Name)); tt.wantName != 0 && (n != tt.wantName || !strings.HasSuffix(r.In.Name, "…")) {
				t.Errorf("name kept %d characters, want %d ending in …", n, tt.wantName)
			}
			if n := len([]rune(r.In.Subject)); tt.wantSubjct != 0 && n != tt.wantSubjct {
				t.Errorf("subject kept %d characters, want %d", n, tt.wantSubjct)
			}
		})
	}
}

func TestInvalidPhonesAreKeptAsWrittenAndSaid(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		res := f.capture(t, core.Inbound{Channel: core.ChannelWebhook, Source: "crm", ExternalID: "1", Team: "Warsaw",
			Name: "John Smith", Email: "john@smith.example", Phone: "(555) 123-4567"})
		c, err := db.ContactByID(f.ctx, res.ContactID)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Phones) != 0 || !slices.Equal(c.InvalidPhones, []string{"(555) 123-4567"}) {
			t.Fatalf("contact phones %q, invalid %q; want none valid and the number as written", c.Phones, c.InvalidPhones)
		}
		if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "not a valid number in PL") {
			t.Fatalf("notes = %q, want the phone's", res.Notes)
		}
		if _, err := db.ContactByIdentity(f.ctx, core.Identity{Kind: core.IdentityPhone, Value: "+485551234567"}); !core.IsNotFound(err) {
			t.Fatalf("the number made up from a US number and Poland's code finds a contact: %v", err)
		}
		t.Run("another inbound with the same text is not matched by it", func(t *testing.T) {
			other := f.capture(t, core.Inbound{Channel: core.ChannelWebhook, Source: "crm", ExternalID: "2", Team: "Warsaw",
				Name: "Jane Doe", Email: "jane@doe.example", Phone: "(555) 123-4567"})
			if other.ContactID == res.ContactID {
				t.Fatalf("matched on an invalid phone: %+v", other)
			}
		})
		t.Run("search finds it by its digits", func(t *testing.T) {
			hits, err := f.svc.Search(f.ctx, f.admin, "5551234567", 10)
			if err != nil || !slices.ContainsFunc(hits, func(h core.SearchHit) bool { return h.ContactID == res.ContactID }) {
				t.Fatalf("search = %+v, %v", hits, err)
			}
		})
	})
}

func TestAPhoneAloneDoesNotMergeTwoPeople(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		anna := f.capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "anna", Team: "Warsaw",
			Name: "Anna Kowalska", Email: "anna@kowalska.pl", Company: "Kowalska Sp. z o.o.", Phone: "+48 601 234 567"})
		deal, err := f.svc.Qualify(f.ctx, f.repW, anna.LeadID, core.QualifyInput{})
		if err != nil {
			t.Fatal(err)
		}
		var jan core.CaptureResult
		t.Run("a known phone with another name, email and company is another person", func(t *testing.T) {
			jan = f.capture(t, core.Inbound{Channel: core.ChannelImport, Source: "rows.csv", ExternalID: "jan", Team: "Warsaw",
				Name: "Jan Nowak", Email: "jan@budowa.pl", Company: "Budowa SA", Phone: "601 234 567", Text: "Please call me"})
			if jan.ContactID == anna.ContactID || jan.DealID == deal.ID || !jan.NewLead {
				t.Fatalf("Jan's inbound = %+v; merged into Anna's contact %d or deal %d", jan, anna.ContactID, deal.ID)
			}
			a, _ := db.ContactByID(f.ctx, anna.ContactID)
			if slices.Contains(a.Emails, "jan@budowa.pl") || a.Name != "Anna Kowalska" {
				t.Fatalf("Anna's contact took Jan's details: %+v", a)
			}
			if len(jan.Doubts) != 1 || !strings.Contains(jan.Doubts[0], "kept apart") || len(jan.Notes) != 0 {
				t.Errorf("doubts = %q, notes = %q; want the doubt, and no note the sender would read", jan.Doubts, jan.Notes)
			}
			marks, err := db.PossibleDuplicates(f.ctx, anna.ContactID, 0)
			if err != nil || len(marks) != 1 || marks[0].ContactID != jan.ContactID || marks[0].OtherID != anna.ContactID ||
				marks[0].Kind != core.IdentityPhone || marks[0].Value != "+48601234567" {
				t.Fatalf("marks = %+v, %v; want Jan and Anna marked by the phone", marks, err)
			}
		})
		t.Run("Jan again by phone and name finds Jan, not Anna", func(t *testing.T) {
			again := f.capture(t, core.Inbound{Channel: core.ChannelWebhook, Source: "crm", ExternalID: "jan-2", Team: "Warsaw",
				Name: "jan nowak", Phone: "+48601234567", Text: "any news?"})
			if again.ContactID != jan.ContactID || again.NewLead {
				t.Fatalf("result = %+v, want an activity on Jan's contact %d", again, jan.ContactID)
			}
			if marks, _ := db.PossibleDuplicates(f.ctx, 0, 0); len(marks) != 1 {
				t.Fatalf("marks = %+v, want still one", marks)
			}
		})
		t.Run("Anna's first name with her phone is Anna", func(t *testing.T) {
			res := f.capture(t, core.Inbound{Channel: core.ChannelWebhook, Source: "crm", ExternalID: "anna-2", Team: "Warsaw", Name: "Anna", Phone: "601 234 567"})
			if res.ContactID != anna.ContactID || res.DealID != deal.ID {
				t.Fatalf("result = %+v, want on Anna's deal %d", res, deal.ID)
			}
		})
		t.Run("a phone without a name or email is the contact who has it", func(t *testing.T) {
			res := f.capture(t, core.Inbound{Channel: core.ChannelWebhook, Source: "crm", ExternalID: "anon", Team: "Warsaw", Phone: "601 234 567"})
			if res.ContactID != anna.ContactID {
				t.Fatalf("result = %+v, want Anna's contact", res)
			}
		})
		t.Run("without names, another email is another person", func(t *testing.T) {
			res := f.capture(t, core.Inbound{Channel: core.ChannelWebhook, Source: "crm", ExternalID: "nameless", Team: "Warsaw", Email: "biuro@budowa.pl", Phone: "601 234 567"})
			if res.ContactID == anna.ContactID {
				t.Fatalf("result = %+v, merged into Anna's", res)
			}
		})
		t.Run("Anna's second email with her name joins her", func(t *testing.T) {
			res := f.capture(t, core.Inbound{Channel: core.ChannelWebhook, Source: "crm", ExternalID: "anna-3", Team: "Warsaw",
				Name: "Anna Kowalska", Email: "anna.k@gmail.example", Phone: "601 234 567"})
			if res.ContactID != anna.ContactID {
				t.Fatalf("result = %+v, want Anna's contact", res)
			}
		})
		t.Run("a chat handle typed into a form is as weak as a phone", func(t *testing.T) {
			tg := f.capture(t, core.Inbound{Channel: core.ChannelTelegram, Source: "bot", ExternalID: "tg-1", Name: "Minh", Handle: "telegram:4242"})
			res := f.capture(t, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "form-tg", Name: "Somebody Else",
				Email: "else@corp.example", Handle: "telegram:4242"})
			if res.ContactID == tg.ContactID {
				t.Fatalf("a typed handle merged another person into the Telegram contact %d", tg.ContactID)
			}
			// The Telegram chat itself vouches for its handle: a new
			// display name is the same account.
			again := f.capture(t, core.Inbound{Channel: core.ChannelTelegram, Source: "bot", ExternalID: "tg-2", Name: "Minh Nguyen (new name)", Handle: "telegram:4242"})
			if again.ContactID != tg.ContactID {
				t.Fatalf("the Telegram account's own message went to contact %d, want %d", again.ContactID, tg.ContactID)
			}
		})
		t.Run("an email match bringing another contact's phone marks them", func(t *testing.T) {
			before, _ := db.PossibleDuplicates(f.ctx, 0, 0)
			res := f.capture(t, core.Inbound{Channel: core.ChannelWebhook, Source: "crm", ExternalID: "jan-3", Team: "Warsaw",
				Email: "jan@budowa.pl", Phone: "+48 601 234 567", ReceivedAt: f.clock.Now().Add(time.Minute)})
			if res.ContactID != jan.ContactID {
				t.Fatalf("result = %+v, want Jan's contact by email", res)
			}
			after, _ := db.PossibleDuplicates(f.ctx, 0, 0)
			if len(after) != len(before) {
				t.Fatalf("marks %+v after %+v; Jan and Anna were marked already", after, before)
			}
		})
	})
}

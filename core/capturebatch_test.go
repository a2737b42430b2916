package core_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"leadwire/core"
	"leadwire/internal/secretbox"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestABatchStoresWhatOneByOneStores captures the same inbounds twice, in
// batches on one database and one at a time on another of the same kind,
// and wants the same results and the same rows: a batch writes its fresh
// inbounds a table at a time and the others on their own, and neither may
// show. The inbounds are drawn at random from a few people, keys and
// companies, so that a batch holds redeliveries, a first mail and its
// reply, the same person twice, a shared phone, companies new and known,
// and bad inbounds.
func TestABatchStoresWhatOneByOneStores(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		twin := storagetest.SQLite(t)
		if db.Dialect() == "postgres" {
			twin = storagetest.Postgres(t)
		}
		batched, single := newFixture(t, db), newFixture(t, twin)
		box := secretbox.New(secretbox.NewKey())
		for _, f := range []*fixture{batched, single} {
			addHook(t, f, box, "https://hooks.example.com/leads", core.EventLeadCreated)
		}
		rng := rand.New(rand.NewPCG(7, 17))
		for round := range 6 {
			ins := randomInbounds(rng, round, 40)
			res, errs := batched.svc.CaptureBatch(batched.ctx, ins)
			for i, in := range ins {
				want, werr := single.svc.CaptureBatch(single.ctx, []core.Inbound{in})
				if (errs[i] == nil) != (werr[0] == nil) || core.KindOf(errs[i]) != core.KindOf(werr[0]) {
					t.Fatalf("round %d inbound %d %+v: batched err %v, alone %v", round, i, in, errs[i], werr[0])
				}
				if fmt.Sprint(res[i]) != fmt.Sprint(want[0]) {
					t.Fatalf("round %d inbound %d %+v:\nbatched %+v\nalone   %+v", round, i, in, res[i], want[0])
				}
			}
			if got, want := dumpCapture(t, db), dumpCapture(t, twin); got != want {
				t.Fatalf("round %d: the rows differ\n%s", round, firstDifference(got, want))
			}
		}
	})
}

// randomInbounds are n inbounds of round drawn from a few people.
func randomInbounds(rng *rand.Rand, round, n int) []core.Inbound {
	names := []string{"Zofia Łukasiewicz", "Nguyễn Thị Lan", "สมชาย ใจดี", "Reza Karimi", "王芳", ""}
	companies := []string{"Polimex", "POLIMEX s.a.", "Siam Logistics", "", "", "Vina Corp"}
	domains := []string{"polimex.pl", "gmail.com", "siam.co.th", "vina.vn"}
	channels := []string{core.ChannelEmail, core.ChannelWebform, core.ChannelWebhook, core.ChannelTelegram}
	out := make([]core.Inbound, n)
	for i := range out {
		p := rng.IntN(12) // a dozen people, met again and again
		in := core.Inbound{
			Channel: channels[rng.IntN(len(channels))], Source: "mix",
			ExternalID: fmt.Sprintf("m%d", rng.IntN(30*(round+1))),
			Name:       names[rng.IntN(len(names))], Company: companies[rng.IntN(len(companies))],
			Email:   fmt.Sprintf("p%d@%s", p, domains[p%len(domains)]),
			Subject: "Zapytanie", Text: fmt.Sprintf("Wiadomość %d/%d", round, i),
		}
		switch r := rng.IntN(10); {
		case r == 0:
			in.Email = "not an address" // fails alone
		case r == 1:
			in.Email = "" // a phone only, shared by two people
			in.Phone = fmt.Sprintf("+48 601 000 %03d", p/2)
		case r == 2:
			in.Phone = fmt.Sprintf("+48601000%03d", p)
		case r == 3:
			in.References = []string{fmt.Sprintf("m%d", rng.IntN(30*(round+1)))} // a reply
		case r == 4:
			in.Team = "Bangkok"
		case r == 5:
			in.ExternalID = "" // no key: never a redelivery
		}
		if in.Channel == core.ChannelTelegram {
			in.Handle = fmt.Sprintf("telegram:%d", 1000+p)
		}
		out[i] = in
	}
	return out
}

// dumpCapture is every row capture writes, in a stable order, as text.
func dumpCapture(t *testing.T, db *storage.DB) string {
	t.Helper()
	tables := []struct{ name, query string }{
		{"companies", "id"}, {"contacts", "id"}, {"contact_identities", "kind, value"}, {"search_terms", "term, contact_id"},
		{"leads", "id"}, {"routes", "id"}, {"activities", "id"}, {"inbound_keys", "channel, source, external_id"},
		{"possible_duplicates", "1, 2"}, {"audit_log", "id"}, {"connector_counts", "1, 2"}, {"connector_checkpoints", "1, 2"},
		// An event's id is random.
		{"hook_events", "SELECT type, record, at, data FROM hook_events ORDER BY record, type"},
	}
	var b strings.Builder
	for _, tb := range tables {
		query := tb.query
		if !strings.HasPrefix(query, "SELECT") {
			query = `SELECT * FROM ` + tb.name + ` ORDER BY ` + tb.query
		}
		rows, err := db.SQL().Query(query)
		if err != nil {
			t.Fatalf("dump %s: %v", tb.name, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("dump %s: %v", tb.name, err)
			}
			fmt.Fprintf(&b, "%s:", tb.name)
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, " %s=%v", cols[i], v)
			}
			b.WriteByte('\n')
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("dump %s: %v", tb.name, err)
		}
		rows.Close()
	}
	return b.String()
}

// firstDifference shows the first line where got and want differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d\nbatched: %s\nalone:   %s", i+1, gl, wl)
		}
	}
	return ""
}

// TestAReplyFindsItsThreadInTheSameBatch: a first mail and the reply to it,
// from another address of the same person, arrive in one batch; the first
// is fresh and written with the batch's other new people, and the reply
// still finds its lead.
func TestAReplyFindsItsThreadInTheSameBatch(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ins := []core.Inbound{
			{Channel: core.ChannelEmail, Source: "sales", ExternalID: "<first@polimex.pl>", Email: "anna@polimex.pl", Name: "Anna Nowak", Subject: "Oferta"},
			{Channel: core.ChannelEmail, Source: "sales", ExternalID: "<other@firma.pl>", Email: "jan@firma.pl", Name: "Jan Kowalski", Subject: "Cennik"},
			{Channel: core.ChannelEmail, Source: "sales", ExternalID: "<reply@gmail.com>", Email: "anna.nowak@gmail.com", Name: "Anna Nowak",
				Subject: "Re: Oferta", References: []string{"<first@polimex.pl>"}},
			{Channel: core.ChannelEmail, Source: "sales", ExternalID: "<third@vina.vn>", Email: "lan@vina.vn", Name: "Nguyễn Thị Lan", Subject: "Báo giá"},
		}
		res, errs := f.svc.CaptureBatch(f.ctx, ins)
		for i, err := range errs {
			if err != nil {
				t.Fatalf("inbound %d: %v", i, err)
			}
		}
		if !res[0].NewLead || !res[1].NewLead || !res[3].NewLead {
			t.Fatalf("new people made no new lead: %+v", res)
		}
		if res[2].NewLead || res[2].LeadID != res[0].LeadID {
			t.Fatalf("the reply made %+v; want an activity on lead %d", res[2], res[0].LeadID)
		}
		acts, err := db.ListActivities(f.ctx, core.ActivityFilter{LeadID: res[0].LeadID})
		if err != nil {
			t.Fatal(err)
		}
		if len(acts) != 2 {
			t.Fatalf("lead %d has %d activities, want the first mail and the reply", res[0].LeadID, len(acts))
		}
	})
}

// TestAnInboundReadForATeamSinceChangedIsReadAgain: capture reads an
// inbound before the writer against the region of its team as cached for
// a second (of the service's clock, which stands still here); when the
// team's region changed meanwhile, the writer reads it again, so a local
// phone number is of the team's region now.
func TestAnInboundReadForATeamSinceChangedIsReadAgain(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		// Warm the cache: Warsaw is in Poland.
		if _, err := f.svc.Capture(f.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "warm", Team: "Warsaw", Email: "a@firma.pl"}); err != nil {
			t.Fatal(err)
		}
		// The team moves to Thailand (its phones are Thai now).
		if err := f.svc.Directory.Sync(f.ctx, core.OrgDef{Teams: []core.TeamDef{
			{Name: "Bangkok", Manager: "somchai@example.com", Region: "TH"}, {Name: "Warsaw", Region: "TH"}}}); err != nil {
			t.Fatal(err)
		}
		ins := []core.Inbound{
			{Channel: core.ChannelWebform, Source: "contact", ExternalID: "1", Team: "Warsaw", Name: "Niran", Phone: "081 234 5678"},
			{Channel: core.ChannelWebform, Source: "contact", ExternalID: "2", Team: "Warsaw", Name: "Pim", Phone: "089 876 5432"},
		}
		res, errs := f.svc.CaptureBatch(f.ctx, ins)
		for i, want := range []string{"+66812345678", "+66898765432"} {
			if errs[i] != nil {
				t.Fatalf("inbound %d: %v", i, errs[i])
			}
			c, err := db.ContactByID(f.ctx, res[i].ContactID)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Phones) != 1 || c.Phones[0] != want {
				t.Errorf("inbound %d: phones %v, want %s (the team's region now)", i, c.Phones, want)
			}
		}
	})
}

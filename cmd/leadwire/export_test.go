package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestExportImportRoundTrip(t *testing.T) {
	cases := []struct {
		name, kind, content string
		more                [][]string // commands run after the import
	}{
		{"leads exported and imported into an empty database export the same", "leads", worldLeads,
			[][]string{{"leads", "add", "--name", "Piotr Wiśniewski", "--email", "piotr@budowa.pl", "--phone", "+48 22 123 45 67", "--team", "Warsaw", "--subject", "Oferta"}}},
		{"deals exported and imported into an empty database export the same", "deals", worldDeals, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := newIOEnv(t)
			a.ok("import", a.file("in.csv", c.content), "--kind", c.kind)
			for _, args := range c.more {
				a.ok(args...)
			}
			exported := a.ok("export", "--kind", c.kind).out
			b := newIOEnv(t)
			r := b.ok("import", b.file("export.csv", exported), "--kind", c.kind)
			wantContains(t, "import summary", r.out, "0 failed")
			again := b.ok("export", "--kind", c.kind).out
			if again != exported {
				t.Errorf("export after the round trip differs:\nfirst:\n%s\nafter:\n%s", exported, again)
			}
			if n := strings.Count(exported, "\n"); n < 5 {
				t.Errorf("export has %d lines:\n%s", n, exported)
			}
		})
	}
}

// exportPage is how many records one query of the export reads.
const exportPage = 500

func TestExportPagesOldestFirst(t *testing.T) {
	e := newIOEnv(t)
	const n = 2*exportPage + 7
	var b strings.Builder
	b.WriteString("name,email,Campaign\n")
	for i := range n {
		fmt.Fprintf(&b, "Khách hàng %d,customer%d@example.com,c%d\n", i+1, i+1, i%3)
	}
	e.ok("import", e.file("many.csv", b.String()), "--kind", "leads")

	t.Run("CSV lists every lead once, oldest first, with its metadata", func(t *testing.T) {
		out := filepath.Join(e.dir, "leads.csv")
		e.ok("export", "--kind", "leads", "--out", out)
		recs := readCSV(t, out, ',')
		if len(recs) != n+1 {
			t.Fatalf("%d records, want %d and the header", len(recs)-1, n)
		}
		if h := recs[0]; h[0] != "id" || h[len(h)-1] != "Campaign" {
			t.Errorf("header = %q", h)
		}
		for i, rec := range recs[1:] {
			if want := fmt.Sprintf("L%d", i+1); rec[0] != want || rec[1] != fmt.Sprintf("Khách hàng %d", i+1) || rec[len(rec)-1] != fmt.Sprintf("c%d", i%3) {
				t.Fatalf("record %d = %q, want lead %s", i, rec, want)
			}
		}
		left, _ := filepath.Glob(filepath.Join(e.dir, ".leads.csv.tmp-*"))
		if len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})

	t.Run("JSON is one array in the shapes of --json", func(t *testing.T) {
		var leads []struct {
			ID      string `json:"id"`
			Status  string `json:"status"`
			Contact struct {
				Name   string   `json:"name"`
				Emails []string `json:"emails"`
			} `json:"contact"`
			Metadata  map[string]string `json:"metadata"`
			CreatedAt string            `json:"created_at"`
		}
		out := e.ok("export", "--kind", "leads", "--format", "json").out
		if err := json.Unmarshal([]byte(out), &leads); err != nil {
			t.Fatalf("not JSON: %v\n%.500s", err, out)
		}
		if len(leads) != n {
			t.Fatalf("%d leads, want %d", len(leads), n)
		}
		l := leads[n-1]
		if l.ID != fmt.Sprintf("L%d", n) || l.Status != "new" || l.Contact.Name != fmt.Sprintf("Khách hàng %d", n) ||
			!slices.Equal(l.Contact.Emails, []string{fmt.Sprintf("customer%d@example.com", n)}) || l.Metadata["Campaign"] == "" || !strings.HasSuffix(l.CreatedAt, "Z") {
			t.Errorf("last lead = %+v", l)
		}
	})
}

func TestExportDealsJSON(t *testing.T) {
	e := newIOEnv(t)
	e.ok("import", e.file("deals.csv", worldDeals), "--kind", "deals")
	var deals []struct {
		ID    string `json:"id"`
		Stage string `json:"stage"`
		Value struct {
			Amount   int64  `json:"amount"`
			Currency string `json:"currency"`
		} `json:"value"`
		Owner    string  `json:"owner"`
		ClosedAt *string `json:"closed_at"`
	}
	out := e.ok("export", "--kind", "deals", "--format", "json").out
	if err := json.Unmarshal([]byte(out), &deals); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(deals) != 4 {
		t.Fatalf("%d deals, want 4", len(deals))
	}
	t.Run("money is minor units with the currency", func(t *testing.T) {
		if d := deals[0]; d.ID != "D1" || d.Value.Amount != 150000000 || d.Value.Currency != "THB" || d.Stage != "Proposal" || d.ClosedAt != nil {
			t.Errorf("deal = %+v", d)
		}
	})
	t.Run("a won deal has the time it closed", func(t *testing.T) {
		if d := deals[1]; d.Stage != "Won" || d.ClosedAt == nil || d.Owner != "piotr@example.com" {
			t.Errorf("deal = %+v", d)
		}
	})
}

func TestExportContacts(t *testing.T) {
	e := newIOEnv(t)
	e.ok("import", e.file("leads.csv", "name,email,phone\nสมชาย ใจดี,somchai@siam.co.th,081 234 5678\nداریوش کریمی,dariush@parsco.ir,+98 912 345 6789\n"), "--kind", "leads", "--team", "Bangkok")
	e.ok("import", e.file("deals.csv", "title,email,owner\nSiam rollout,somchai@siam.co.th,lan@example.com\n"), "--kind", "deals")

	t.Run("each contact with leads is listed once", func(t *testing.T) {
		out := filepath.Join(e.dir, "contacts.csv")
		e.ok("export", "--kind", "contacts", "--out", out, "--bom")
		raw, _ := os.ReadFile(out)
		if !strings.HasPrefix(string(raw), "\uFEFF") {
			t.Errorf("--bom wrote no byte order mark")
		}
		recs := readCSV(t, out, ',')
		want := [][]string{
			{"id", "name", "email", "phone", "handle", "company", "team", "source", "created_at"},
			// A quote keeps a spreadsheet from reading the phone as a
			// number (or a formula): it shows +66812345678.
			{"1", "สมชาย ใจดี", "somchai@siam.co.th", "'+66812345678", "", "", "Bangkok", "import"},
			{"2", "داریوش کریمی", "dariush@parsco.ir", "'+989123456789", "", "", "Bangkok", "import"},
		}
		if len(recs) != len(want) {
			t.Fatalf("contacts = %q", recs)
		}
		for i := range want {
			if !slices.Equal(recs[i][:len(want[i])], want[i]) {
				t.Errorf("record %d = %q, want %q", i, recs[i], want[i])
			}
		}
	})
	t.Run("a contact without leads is listed too", func(t *testing.T) {
		e.ok("import", e.file("contacts.csv", "name,email\nWang Xiaoming 王小明,wang@sh-trade.cn\n"), "--kind", "contacts")
		out := filepath.Join(e.dir, "all.csv")
		e.ok("export", "--kind", "contacts", "--out", out)
		recs := readCSV(t, out, ',')
		if len(recs) != 4 || recs[3][1] != "Wang Xiaoming 王小明" || recs[3][2] != "wang@sh-trade.cn" {
			t.Fatalf("contacts = %q", recs)
		}
	})
}

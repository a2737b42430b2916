package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCompaniesFromTheCommandLine(t *testing.T) {
	e := newIOEnv(t)
	e.ok("leads", "add", "--name", "Nguyễn Minh", "--email", "minh@vinacorp.vn", "--team", "Bangkok", "--company", "VinaCorp", "--subject", "Pricing")
	e.ok("leads", "add", "--name", "Trần Lan", "--email", "lan@vinacorp.vn", "--team", "Bangkok", "--subject", "Demo")
	e.ok("leads", "add", "--name", "Kasia", "--email", "kasia@wp.pl", "--team", "Warsaw", "--subject", "Hello")
	e.ok("--as", "lan@example.com", "leads", "qualify", "L1", "--value", "450,000", "--currency", "THB")
	t.Run("the list shows each company with its contacts and open value", func(t *testing.T) {
		out := e.ok("companies", "list").out
		for _, w := range []string{"VinaCorp", "vinacorp.vn", "450,000.00 THB"} {
			if !strings.Contains(out, w) {
				t.Fatalf("companies list:\n%s\nwant %q", out, w)
			}
		}
		if strings.Contains(out, "wp.pl") {
			t.Fatalf("a free-mail domain became a company:\n%s", out)
		}
	})
	t.Run("a rep of another team sees none of them", func(t *testing.T) {
		if out := e.ok("--as", "piotr@example.com", "companies", "list").out; strings.Contains(out, "VinaCorp") {
			t.Fatalf("the Warsaw rep sees:\n%s", out)
		}
		r := e.run("--as", "piotr@example.com", "companies", "show", "vinacorp")
		if r.code == 0 || !strings.Contains(r.errOut, "among your team's contacts") {
			t.Fatalf("exit %d, stderr %q", r.code, r.errOut)
		}
	})
	t.Run("show --json names people as C12 and deals as D45", func(t *testing.T) {
		var v struct {
			Name      string
			Contacts  int
			People    []struct{ Ref string }
			Deals     []struct{ ID string }
			OpenDeals int `json:"open_deals"`
		}
		if err := json.Unmarshal([]byte(e.ok("companies", "show", "VINACORP", "--json").out), &v); err != nil {
			t.Fatal(err)
		}
		if v.Name != "VinaCorp" || v.Contacts != 2 || len(v.People) != 2 || v.People[0].Ref != "C1" || len(v.Deals) != 1 || v.Deals[0].ID != "D1" {
			t.Fatalf("company JSON %+v", v)
		}
	})
	t.Run("merging asks first and refuses without an answer", func(t *testing.T) {
		e.ok("leads", "add", "--name", "Huy", "--email", "huy@vina-corp.vn", "--team", "Bangkok", "--subject", "Hi")
		r := e.run("companies", "merge", "vina-corp.vn", "VinaCorp")
		if r.code == 0 || !strings.Contains(r.errOut, "--yes") {
			t.Fatalf("exit %d, stderr %q", r.code, r.errOut)
		}
		if out := e.ok("companies", "merge", "vina-corp.vn", "VinaCorp", "--yes").out; !strings.Contains(out, "1 contacts moved") {
			t.Fatalf("merge printed %q", out)
		}
	})
}

func TestMergingContactsFromTheCommandLine(t *testing.T) {
	e := newIOEnv(t)
	e.ok("leads", "add", "--name", "Łukasz Żółkiewski", "--email", "lukasz@zolw.pl", "--team", "Warsaw", "--subject", "Pricing")
	e.ok("leads", "add", "--name", "Lukasz Zolkiewski", "--email", "lukasz.z@gmail.com", "--phone", "+48 600 123 456", "--team", "Warsaw", "--subject", "Demo")
	t.Run("duplicates names the pair and why", func(t *testing.T) {
		out := e.ok("contacts", "duplicates").out
		if !strings.Contains(out, "C1") || !strings.Contains(out, "C2") || !strings.Contains(out, "near-identical names") {
			t.Fatalf("duplicates:\n%s", out)
		}
	})
	t.Run("a rep is refused, with the reason", func(t *testing.T) {
		r := e.run("--as", "piotr@example.com", "contacts", "merge", "C1", "C2", "--yes")
		if r.code == 0 || !strings.Contains(r.errOut, "only managers") {
			t.Fatalf("exit %d, stderr %q", r.code, r.errOut)
		}
	})
	var mergeID string
	t.Run("merge shows the rule and the fields, then merges with --yes", func(t *testing.T) {
		out := e.ok("contacts", "merge", "C1", "C2", "--yes").out
		for _, w := range []string{"rule:", "name", "Łukasz Żółkiewski", "Lukasz Zolkiewski", "merged C2 into C1: merge 1"} {
			if !strings.Contains(out, w) {
				t.Fatalf("merge printed:\n%s\nwant %q", out, w)
			}
		}
		mergeID = "1"
		if c := e.contact(1); len(c.Emails) != 2 || len(c.Phones) != 1 {
			t.Fatalf("survivor %+v", c)
		}
	})
	t.Run("unmerge puts them apart again", func(t *testing.T) {
		if out := e.ok("contacts", "unmerge", mergeID).out; !strings.Contains(out, "undid merge 1") {
			t.Fatalf("unmerge printed %q", out)
		}
		if c := e.contact(2); len(c.Emails) != 1 || c.Emails[0] != "lukasz.z@gmail.com" || c.MergedInto != 0 {
			t.Fatalf("restored %+v", c)
		}
	})
}

func TestExportAndEraseFromTheCommandLine(t *testing.T) {
	e := newIOEnv(t)
	e.ok("leads", "add", "--name", "Trần Thị Mai", "--email", "mai@vinacorp.vn", "--phone", "+84 91 234 5678", "--team", "Bangkok", "--subject", "Báo giá")
	t.Run("a manager may not export, and is told who may", func(t *testing.T) {
		r := e.run("--as", "somchai@example.com", "contacts", "export", "mai@vinacorp.vn")
		if r.code == 0 || !strings.Contains(r.errOut, "only admins") {
			t.Fatalf("exit %d, stderr %q", r.code, r.errOut)
		}
	})
	t.Run("export writes one JSON document to standard output, or to --out", func(t *testing.T) {
		var doc map[string]any
		if err := json.Unmarshal([]byte(e.ok("contacts", "export", "+84912345678").out), &doc); err != nil {
			t.Fatal(err)
		}
		if doc["contact"] == nil || doc["leads"] == nil || doc["activities"] == nil {
			t.Fatalf("document %v", doc)
		}
		path := e.dir + "/mai.json"
		if out := e.ok("contacts", "export", "C1", "--out", path).out; out != "" {
			t.Fatalf("--out also printed %q", out)
		}
	})
	t.Run("erase needs a reason, asks first, and says what it erased", func(t *testing.T) {
		if r := e.run("contacts", "erase", "mai@vinacorp.vn"); r.code == 0 {
			t.Fatal("erase without --reason went ahead")
		}
		if r := e.run("contacts", "erase", "mai@vinacorp.vn", "--reason", "request"); r.code == 0 || !strings.Contains(r.errOut, "--yes") {
			t.Fatalf("exit %d, stderr %q", r.code, r.errOut)
		}
		out := e.ok("contacts", "erase", "mai@vinacorp.vn", "--reason", "request by mail", "--yes").out
		if !strings.Contains(out, "erased C1") || !strings.Contains(out, "1 address(es) on the do-not-email list") {
			t.Fatalf("erase printed %q", out)
		}
		if c := e.contact(1); c.Name != "" || len(c.Emails) != 0 {
			t.Fatalf("contact %+v", c)
		}
	})
}

func TestAuditFromTheCommandLine(t *testing.T) {
	e := newIOEnv(t)
	e.ok("leads", "add", "--name", "Nguyễn Minh", "--email", "minh@vinacorp.vn", "--team", "Bangkok", "--subject", "Pricing")
	e.ok("leads", "add", "--name", "Kasia", "--email", "kasia@wp.pl", "--team", "Warsaw", "--subject", "Hello")
	e.ok("--as", "lan@example.com", "leads", "claim", "L1")
	t.Run("a manager lists the changes of their team's records only", func(t *testing.T) {
		out := e.ok("--as", "somchai@example.com", "audit").out
		if !strings.Contains(out, "lead.claim") || !strings.Contains(out, "L1") || strings.Contains(out, "L2") {
			t.Fatalf("audit:\n%s", out)
		}
		if out := e.ok("--as", "somchai@example.com", "audit", "--lead", "L1", "--json").out; !strings.Contains(out, `"via": "cli"`) {
			t.Fatalf("audit --json:\n%s", out)
		}
	})
	t.Run("a manager asking for another team's record is told why not", func(t *testing.T) {
		r := e.run("--as", "somchai@example.com", "audit", "--lead", "L2")
		if r.code == 0 || !strings.Contains(r.errOut, "L2 is not a record of your team") {
			t.Fatalf("exit %d, stderr %q", r.code, r.errOut)
		}
	})
	t.Run("an admin lists every team's, the configuration's too", func(t *testing.T) {
		out := e.ok("--as", "li.wei@example.com", "audit", "--limit", "500").out
		for _, w := range []string{"L1", "L2", "team.create", "config"} {
			if !strings.Contains(out, w) {
				t.Fatalf("audit:\n%s\nwant %q", out, w)
			}
		}
	})
	t.Run("a rep is refused, saying who may", func(t *testing.T) {
		r := e.run("--as", "lan@example.com", "audit")
		if r.code == 0 || !strings.Contains(r.errOut, "only managers (for their team's records) and admins") {
			t.Fatalf("exit %d, stderr %q", r.code, r.errOut)
		}
	})
}

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"leadwire/core"
	"leadwire/storage"
)

// ioEnv is a leadwire set up for the import, export and backup tests: a
// config with two teams, four users and one pipeline, on a SQLite file in
// a temporary folder, driven through run as a user would.
type ioEnv struct {
	t      *testing.T
	dir    string
	config string
	dbPath string
	db     *storage.DB
}

// ioConfig is the configuration of every ioEnv.
const ioConfig = `database: sqlite:%s
currency: EUR
region: PL
rates: {THB: 0.026, PLN: 0.23, VND: 0.000036, USD: 0.92}
teams:
  - name: Bangkok
    manager: somchai@example.com
    region: TH
  - name: Warsaw
    region: PL
users:
  - {email: somchai@example.com, name: สมชาย ประเสริฐ, role: manager, team: Bangkok}
  - {email: lan@example.com, name: Nguyễn Thị Lan, team: Bangkok, locale: th}
  - {email: piotr@example.com, name: Piotr Wiśniewski, team: Warsaw, locale: pl}
  - {email: li.wei@example.com, name: 李伟, role: admin}
pipelines:
  - name: Sales
    default: true
    stages:
      - {name: Prospecting, probability: 10}
      - {name: Qualified, probability: 25}
      - {name: Proposal, probability: 60}
      - {name: Negotiation, probability: 80}
`

func newIOEnv(t *testing.T) *ioEnv {
	t.Helper()
	dir := t.TempDir()
	e := &ioEnv{t: t, dir: dir, config: filepath.Join(dir, "leadwire.yaml"), dbPath: filepath.Join(dir, "x.db")}
	if err := os.WriteFile(e.config, fmt.Appendf(nil, ioConfig, e.dbPath), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

// ioResult is what one command did.
type ioResult struct {
	code        int
	out, errOut string
}

// run runs leadwire with the env's config.
func (e *ioEnv) run(args ...string) ioResult {
	e.t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"--config", e.config}, args...), &out, &errOut, func(string) string { return "" })
	return ioResult{code, out.String(), errOut.String()}
}

// ok runs leadwire and fails the test unless it exits 0.
func (e *ioEnv) ok(args ...string) ioResult {
	e.t.Helper()
	r := e.run(args...)
	if r.code != 0 {
		e.t.Fatalf("leadwire %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.out, r.errOut)
	}
	return r
}

// file writes a file into the env's folder and returns its path.
func (e *ioEnv) file(name, content string) string {
	e.t.Helper()
	path := filepath.Join(e.dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
	return path
}

// store opens the env's database for checking what commands did.
func (e *ioEnv) store() *storage.DB {
	e.t.Helper()
	if e.db == nil {
		db, err := storage.OpenAndMigrate(context.Background(), "sqlite:"+e.dbPath)
		if err != nil {
			e.t.Fatal(err)
		}
		e.t.Cleanup(func() { db.Close() })
		e.db = db
	}
	return e.db
}

func (e *ioEnv) leads() []core.Lead {
	e.t.Helper()
	leads, err := e.store().ListLeads(context.Background(), core.LeadFilter{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	slices.Reverse(leads) // oldest first
	return leads
}

func (e *ioEnv) deals() []core.Deal {
	e.t.Helper()
	deals, err := e.store().ListDeals(context.Background(), core.DealFilter{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	slices.Reverse(deals)
	return deals
}

func (e *ioEnv) contact(id int64) *core.Contact {
	e.t.Helper()
	c, err := e.store().ContactByID(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *ioEnv) contactByEmail(email string) *core.Contact {
	e.t.Helper()
	c, err := e.store().ContactByIdentity(context.Background(), core.Identity{Kind: core.IdentityEmail, Value: email})
	if err != nil {
		e.t.Fatalf("contact %s: %v", email, err)
	}
	return c
}

func wantContains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, got)
		}
	}
}

// readCSV reads a CSV file written by leadwire (comma separated).
func readCSV(t *testing.T, path string, comma rune) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF"))))
	r.Comma = comma
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return recs
}

// worldLeads is a leads file as Excel writes it in much of Europe: a byte
// order mark, semicolons, names in five scripts, phones in every format.
const worldLeads = "\uFEFFName;E-mail;Phone Number;Organization;Team;utm_source;Subject\r\n" +
	"สมชาย ใจดี;Somchai.J@Siam.co.th;081 234 5678;Siam Co;Bangkok;google;ขอราคา\r\n" +
	"داریوش کریمی;dariush@parsco.ir;+98 912 345 6789;Pars Co;Warsaw;;قیمت\r\n" +
	"Zofia Łukasiewicz;zofia@wp.pl;601-234-567;;Warsaw;facebook;\"wycena; \"\"pilne\"\"\"\r\n" +
	"Nguyễn Văn An;an@vina.vn;+84 (90) 123 4567;Vina JSC;Bangkok;;báo giá\r\n" +
	"\"李伟\";li.wei@example.cn;+86 138-0013-8000;\"北京; 有限公司\";;;报价\r\n"

func TestImportLeads(t *testing.T) {
	e := newIOEnv(t)
	path := e.file("world.csv", worldLeads)
	first := e.ok("import", path, "--kind", "leads")

	t.Run("rows in five scripts become leads, phones in E.164 by the team's region", func(t *testing.T) {
		wantContains(t, "summary", first.out, "5 rows", "5 new leads", "0 already imported", "0 failed")
		wantContains(t, "notes", first.errOut, "kept as lead metadata: utm_source")
		leads := e.leads()
		if len(leads) != 5 {
			t.Fatalf("%d leads, want 5", len(leads))
		}
		want := []struct{ name, email, phone, company, team, subject string }{
			{"สมชาย ใจดี", "somchai.j@siam.co.th", "+66812345678", "Siam Co", "Bangkok", "ขอราคา"},
			{"داریوش کریمی", "dariush@parsco.ir", "+989123456789", "Pars Co", "Warsaw", "قیمت"},
			{"Zofia Łukasiewicz", "zofia@wp.pl", "+48601234567", "", "Warsaw", `wycena; "pilne"`},
			{"Nguyễn Văn An", "an@vina.vn", "+84901234567", "Vina JSC", "Bangkok", "báo giá"},
			{"李伟", "li.wei@example.cn", "+8613800138000", "北京; 有限公司", "Bangkok", "报价"},
		}
		teams := map[string]int64{}
		ts, _ := e.store().ListTeams(context.Background())
		for _, tm := range ts {
			teams[tm.Name] = tm.ID
		}
		for i, w := range want {
			l := leads[i]
			c := e.contact(l.ContactID)
			if c.Name != w.name || !slices.Equal(c.Emails, []string{w.email}) || !slices.Equal(c.Phones, []string{w.phone}) || c.Company != w.company {
				t.Errorf("contact %d = %q %v %v %q, want %q %s %s %q", i, c.Name, c.Emails, c.Phones, c.Company, w.name, w.email, w.phone, w.company)
			}
			if l.TeamID != teams[w.team] || l.Subject != w.subject || l.SourceChannel != core.ChannelImport || l.SourceName != "import:world.csv" {
				t.Errorf("lead %d = team %d %q %s/%s, want team %s %q import/import:world.csv", i, l.TeamID, l.Subject, l.SourceChannel, l.SourceName, w.team, w.subject)
			}
		}
		if leads[0].Metadata["utm_source"] != "google" || leads[1].Metadata != nil && leads[1].Metadata["utm_source"] != "" {
			t.Errorf("metadata = %v, %v", leads[0].Metadata, leads[1].Metadata)
		}
	})

	t.Run("running the same file again imports nothing", func(t *testing.T) {
		again := e.ok("import", path, "--kind", "leads")
		wantContains(t, "summary", again.out, "0 new leads", "5 already imported")
		if n := len(e.leads()); n != 5 {
			t.Errorf("%d leads after the second run, want 5", n)
		}
	})

	t.Run("a second row from a known contact goes on that contact's open lead", func(t *testing.T) {
		more := e.file("more.csv", "email,message\nzofia@wp.pl,Czy jest rabat?\nnowy@firma.pl,Hello\n")
		r := e.ok("import", more, "--kind", "leads")
		wantContains(t, "summary", r.out, "1 new leads", "1 added to the open lead or deal of a known contact")
		if n := len(e.leads()); n != 6 {
			t.Errorf("%d leads, want 6", n)
		}
	})
}

func TestImportDryRunWritesNothing(t *testing.T) {
	e := newIOEnv(t)
	path := e.file("world.csv", worldLeads)
	r := e.ok("import", path, "--kind", "leads", "--dry-run")
	wantContains(t, "summary", r.out, "checked world.csv as leads: 5 rows, nothing written", "5 new leads")
	if n := len(e.leads()); n != 0 {
		t.Errorf("a dry run wrote %d leads", n)
	}
	e.ok("import", path, "--kind", "leads")
	r = e.ok("import", path, "--kind", "leads", "--dry-run")
	wantContains(t, "summary after the import", r.out, "0 new leads", "5 already imported")
}

func TestImportReportsBadRows(t *testing.T) {
	e := newIOEnv(t)
	path := e.file("mixed.csv", "name,email,phone,company\n"+
		"Anna Nowak,anna@firma.pl,+48 601 111 222,Firma\n"+ // row 2
		"Bad Phone,,12,Firma\n"+ // row 3
		"No Way To Reach,,,Firma\n"+ // row 4
		"Bad Mail,not-an-email,,\n"+ // row 5
		"Too,many,columns,here,!\n"+ // row 6
		"Somchai,somchai@siam.co.th,081 234 5678,Siam\n"+ // row 7
		"John Smith,john@smith.example,(555) 123-4567,Smith Inc\n") // row 8
	errPath := filepath.Join(e.dir, "errors.csv")
	r := e.run("import", path, "--kind", "leads", "--team", "Bangkok", "--errors", errPath)

	t.Run("the run fails, saying what to do next", func(t *testing.T) {
		if r.code == 0 {
			t.Fatalf("exit 0 with failed rows\n%s", r.errOut)
		}
		wantContains(t, "stderr", r.errOut, "4 of 7 rows failed", "fix them in "+errPath, "rows already imported are skipped")
		wantContains(t, "summary", r.out, "3 new leads", "4 failed", "1 kept with a note")
	})

	t.Run("each bad row is reported by its row number with the way to fix it", func(t *testing.T) {
		wantContains(t, "stderr", r.errOut,
			`row 3: invalid phone number "12" (not a valid number in TH); write it with its country code, e.g. +48 601 234 567; and there is no email or chat handle`,
			"row 4: no email, phone or chat handle",
			`row 5: invalid email address "not-an-email"`,
			"row 6: the row has 5 columns, the header has 4",
			`row 8: note: phone number "(555) 123-4567" is not a valid number in TH: kept on the contact as written`)
	})

	t.Run("the errors file holds the bad rows as they were, with the reason", func(t *testing.T) {
		recs := readCSV(t, errPath, ',')
		// The row with a column too many widens the file by a column
		// without a header, so the reasons stay in one column.
		if !slices.Equal(recs[0], []string{"name", "email", "phone", "company", "", "import error"}) {
			t.Fatalf("header = %q", recs[0])
		}
		if len(recs) != 5 || recs[1][0] != "Bad Phone" || recs[2][0] != "No Way To Reach" || !slices.Equal(recs[4][:5], []string{"Too", "many", "columns", "here", "!"}) {
			t.Fatalf("errors file = %q", recs)
		}
		if !strings.Contains(recs[1][5], "invalid phone number") || !strings.Contains(recs[4][5], "5 columns") {
			t.Errorf("reasons = %q, %q", recs[1][5], recs[4][5])
		}
	})

	t.Run("the good rows were imported, the bad ones wrote nothing", func(t *testing.T) {
		leads := e.leads()
		if len(leads) != 3 {
			t.Fatalf("%d leads, want 3", len(leads))
		}
		if _, err := e.store().ContactByIdentity(context.Background(), core.Identity{Kind: core.IdentityEmail, Value: "mail@firma.pl"}); !core.IsNotFound(err) {
			t.Errorf("the contact of a bad row was stored: %v", err)
		}
		if c := e.contactByEmail("john@smith.example"); len(c.Phones) != 0 || !slices.Equal(c.InvalidPhones, []string{"(555) 123-4567"}) {
			t.Errorf("John's phones = %q, invalid %q; want it kept as written", c.Phones, c.InvalidPhones)
		}
	})

	t.Run("the fixed errors file imports, and the good rows are not imported twice", func(t *testing.T) {
		recs := readCSV(t, errPath, ',')
		recs[1][2] = "+48 12 345 67 89"
		recs[2][1] = "reach@firma.pl"
		recs[3][1] = "mail@firma.pl"
		recs[4] = []string{"Too many", "columns@firma.pl", "", "here", "", recs[4][5]}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.WriteAll(recs)
		r := e.ok("import", e.file("errors.csv", b.String()), "--kind", "leads")
		wantContains(t, "summary", r.out, "4 new leads", "0 failed")
		again := e.run("import", path, "--kind", "leads", "--team", "Bangkok")
		wantContains(t, "summary", again.out, "0 new leads", "3 already imported", "4 failed")
		if n := len(e.leads()); n != 7 {
			t.Errorf("%d leads, want 7", n)
		}
	})
}

func TestImportRejectsValuesWithTheirFix(t *testing.T) {
	e := newIOEnv(t)
	cases := []struct {
		name string
		row  string // name,email,amount,currency,stage,status,lost reason,owner,close
		want string
	}{
		{"an amount that is not a number", "A,a@x.pl,12k,EUR,,,,lan@example.com,", `invalid amount "12k"`},
		{"a currency that does not exist", "B,b@x.pl,100,EUX,,,,lan@example.com,", `unknown currency "EUX"`},
		{"decimals the currency does not have", "C,c@x.pl,100.5,VND,,,,lan@example.com,", "VND has no minor unit"},
		{"a stage with a typo", "D,d@x.pl,100,EUR,Propsal,,,lan@example.com,", `unknown stage "Propsal"; did you mean Proposal?`},
		{"a status that is not open, won or lost", "E,e@x.pl,100,EUR,,maybe,,lan@example.com,", `unknown status "maybe"`},
		{"a lost deal without a reason", "F,f@x.pl,100,EUR,,lost,,lan@example.com,", "a lost deal needs a lost reason"},
		{"an owner who is not a user", "G,g@x.pl,100,EUR,,,,ghost@example.com,", `unknown owner "ghost@example.com"`},
		{"a close date in the wrong format", "H,h@x.pl,100,EUR,,,,lan@example.com,15.12.2026", `invalid expected_close "15.12.2026"; write it as YYYY-MM-DD`},
		{"a stage that contradicts the status", "I,i@x.pl,100,EUR,Won,lost,price,lan@example.com,", "status lost does not fit stage Won"},
		{"a value past the largest a deal may have", "J,j@x.pl,92233720368547758.07,EUR,,,,lan@example.com,",
			"a deal's value can be at most 1,000,000,000,000.00 EUR; 92,233,720,368,547,758.07 EUR is more"},
		{"a dot before three digits, without a locale", "K,k@x.pl,12.345,EUR,,,,lan@example.com,", `amount "12.345" is ambiguous`},
	}
	var b strings.Builder
	b.WriteString("name,email,amount,currency,stage,status,lost reason,owner,expected close\n")
	for _, c := range cases {
		b.WriteString(c.row + "\n")
	}
	r := e.run("import", e.file("deals.csv", b.String()), "--kind", "deals", "--dry-run")
	if r.code == 0 {
		t.Fatalf("exit 0 for a file of bad rows:\n%s", r.out)
	}
	for i, c := range cases {
		t.Run(c.name+" is reported with the way to fix it", func(t *testing.T) {
			wantContains(t, "stderr", r.errOut, fmt.Sprintf("row %d: %s", i+2, c.want))
		})
	}
}

func TestImportReadsValuesInALocale(t *testing.T) {
	e := newIOEnv(t)
	file := e.file("deals.csv", "title,email,value,currency,owner\nA,a@firma.pl,12.345,EUR,piotr@example.com\nB,b@firma.pl,\"1,5\",EUR,piotr@example.com\n")
	e.ok("import", file, "--kind", "deals", "--locale", "pl")
	other := e.file("more.csv", "title,email,value,currency,owner\nC,c@firma.pl,450.000,PLN,piotr@example.com\n")
	e.ok("--as", "piotr@example.com", "import", other, "--kind", "deals") // Piotr's locale is pl
	got := map[string]core.Money{}
	for _, d := range e.deals() {
		got[d.Title] = d.Value
	}
	want := map[string]core.Money{"A": {Amount: 1234500, Currency: "EUR"}, "B": {Amount: 150, Currency: "EUR"}, "C": {Amount: 45000000, Currency: "PLN"}}
	if !maps.Equal(got, want) {
		t.Fatalf("values = %v, want %v", got, want)
	}
	r := e.run("import", file, "--kind", "deals", "--locale", "klingon!")
	wantContains(t, "stderr", r.errOut, `--locale: unknown locale "klingon!"`)
}

func TestImportMapsColumns(t *testing.T) {
	cases := []struct {
		name, csv, mapping string
		want               string // name of the contact made
		wantErr            string
	}{
		{"headers the defaults know need no map", "Full Name,Email Address,Phone Number,Company Name\nAnna Nowak,anna@firma.pl,,Firma\n", "", "Anna Nowak", ""},
		{"first and last name make the name", "First Name,Last Name,E-mail\nThị,Lan,lan@vina.vn\n", "", "Thị Lan", ""},
		{"--map names columns in any language", "Imię i nazwisko,Adres,Telefon\nZofia Łukasiewicz,zofia@wp.pl,601 234 567\n", "Imię i nazwisko=name,Adres=email,Telefon=phone", "Zofia Łukasiewicz", ""},
		{"a file without any way to reach people is refused", "Name,City\nAnna,Kraków\n", "", "", "no column is an email, phone or chat handle"},
		{"--map to an unknown field is refused with the fields", "Name,Mail\nAnna,anna@firma.pl\n", "Mail=emial", "", `"emial" is not a field of --kind leads; use one of name,`},
		{"two columns for one field are refused", "Email,E-mail\na@b.pl,c@d.pl\n", "", "", `columns "Email" and "E-mail" both map to email`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newIOEnv(t)
			args := []string{"import", e.file("in.csv", c.csv), "--kind", "leads"}
			if c.mapping != "" {
				args = append(args, "--map", c.mapping)
			}
			r := e.run(args...)
			if c.wantErr != "" {
				if r.code == 0 {
					t.Fatalf("exit 0, want an error containing %q", c.wantErr)
				}
				wantContains(t, "stderr", r.errOut, c.wantErr)
				return
			}
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.errOut)
			}
			leads := e.leads()
			if len(leads) != 1 || e.contact(leads[0].ContactID).Name != c.want {
				t.Fatalf("leads = %+v, want one for %q", leads, c.want)
			}
		})
	}
}

// worldDeals is a deals file with open, won and lost deals in several
// currencies and owners from both teams.
const worldDeals = "Deal Name,Contact,Email,Phone,Amount,Currency,Stage,Status,Lost Reason,Owner,Close Date,Notes\n" +
	"Siam rollout,สมชาย ใจดี,somchai@siam.co.th,081 234 5678,\"1,500,000\",THB,Proposal,,,lan@example.com,2026-12-15,50 seats\n" +
	"Warsaw pilot,Zofia Łukasiewicz,zofia@wp.pl,601 234 567,12000.50,PLN,Negotiation,won,,piotr@example.com,,\n" +
	"Vina renewal,Nguyễn Văn An,an@vina.vn,,1200000000,VND,,lost,price,lan@example.com,,\n" +
	"Tehran office,داریوش کریمی,dariush@parsco.ir,,,,,,,somchai@example.com,,\n"

func TestImportDeals(t *testing.T) {
	e := newIOEnv(t)
	path := e.file("deals.csv", worldDeals)
	first := e.ok("import", path, "--kind", "deals")
	ctx := context.Background()
	users := map[int64]string{}
	us, _ := e.store().ListUsers(ctx, core.UserFilter{})
	for _, u := range us {
		users[u.ID] = u.Email
	}
	p, err := e.store().DefaultPipeline(ctx)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("every row becomes a deal in its stage, as its owner's", func(t *testing.T) {
		wantContains(t, "summary", first.out, "4 rows", "4 new deals")
		deals := e.deals()
		if len(deals) != 4 {
			t.Fatalf("%d deals, want 4", len(deals))
		}
		want := []struct {
			title, stage, owner string
			status              core.DealStatus
			value               core.Money
			reason              string
		}{
			{"Siam rollout", "Proposal", "lan@example.com", core.DealOpen, core.Money{Amount: 150000000, Currency: "THB"}, ""},
			{"Warsaw pilot", "Won", "piotr@example.com", core.DealWon, core.Money{Amount: 1200050, Currency: "PLN"}, ""},
			{"Vina renewal", "Lost", "lan@example.com", core.DealLost, core.Money{Amount: 1200000000, Currency: "VND"}, "Price too high"},
			{"Tehran office", "Prospecting", "somchai@example.com", core.DealOpen, core.Money{Currency: "EUR"}, ""},
		}
		for i, w := range want {
			d := deals[i]
			if d.Title != w.title || p.Stage(d.StageID).Name != w.stage || users[d.OwnerID] != w.owner || d.Status != w.status || d.Value != w.value || d.LostReason != w.reason {
				t.Errorf("deal %d = %q in %s, %s, %s, %v, %q; want %+v", i, d.Title, p.Stage(d.StageID).Name, users[d.OwnerID], d.Status, d.Value, d.LostReason, w)
			}
		}
		if got := deals[0].ExpectedClose.Format("2006-01-02"); got != "2026-12-15" {
			t.Errorf("expected close = %s", got)
		}
		l, err := e.store().LeadByID(ctx, deals[0].LeadID)
		if err != nil || l.Status != core.LeadQualified || l.DealID != deals[0].ID || l.Message != "50 seats" {
			t.Errorf("lead of the deal = %+v, %v", l, err)
		}
	})

	t.Run("a deal won from a stage went through that stage", func(t *testing.T) {
		hist, err := e.store().StageHistory(ctx, e.deals()[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 || p.Stage(hist[0].ToStage).Name != "Negotiation" || p.Stage(hist[1].ToStage).Name != "Won" {
			t.Errorf("history = %+v", hist)
		}
	})

	t.Run("running the file again adds no deal", func(t *testing.T) {
		r := e.ok("import", path, "--kind", "deals")
		wantContains(t, "summary", r.out, "0 new deals", "4 already imported")
		if n := len(e.deals()); n != 4 {
			t.Errorf("%d deals, want 4", n)
		}
	})

	t.Run("a row without an owner needs --as", func(t *testing.T) {
		noOwner := e.file("no-owner.csv", "title,email,value,currency\nBig one,big@corp.pl,5000,EUR\n")
		r := e.run("import", noOwner, "--kind", "deals")
		if r.code == 0 {
			t.Fatal("exit 0 for a deal without an owner")
		}
		wantContains(t, "stderr", r.errOut, "row 2: a deal needs an owner")
		r = e.ok("--as", "piotr@example.com", "import", noOwner, "--kind", "deals")
		wantContains(t, "summary", r.out, "1 new deals")
		d := e.deals()[4]
		if users[d.OwnerID] != "piotr@example.com" || d.Value.Amount != 500000 {
			t.Errorf("deal = %+v", d)
		}
	})
}

func TestImportContacts(t *testing.T) {
	e := newIOEnv(t)
	e.ok("import", e.file("leads.csv", "name,email\nสมชาย ใจดี,somchai@siam.co.th\n"), "--kind", "leads")
	path := e.file("book.csv", "name,email,phone,company,Birthday\n"+
		"Anna Kowalska,anna@firma.pl,+48 601 111 222,Firma,1990-01-01\n"+
		"สมชาย,somchai@siam.co.th,081 234 5678,Siam Co,\n")
	r := e.ok("import", path, "--kind", "contacts")

	t.Run("contacts are created or completed, without leads", func(t *testing.T) {
		wantContains(t, "summary", r.out, "1 new contacts", "1 matched existing contacts")
		if n := len(e.leads()); n != 1 {
			t.Errorf("%d leads, want the 1 from before", n)
		}
		anna := e.contactByEmail("anna@firma.pl")
		if anna.Name != "Anna Kowalska" || !slices.Equal(anna.Phones, []string{"+48601111222"}) || anna.Source != core.ChannelImport {
			t.Errorf("new contact = %+v", anna)
		}
		somchai := e.contactByEmail("somchai@siam.co.th")
		if somchai.Name != "สมชาย ใจดี" || somchai.Company != "Siam Co" || !slices.Equal(somchai.Phones, []string{"+66812345678"}) {
			t.Errorf("matched contact = %+v (the name stays, phone and company are added)", somchai)
		}
	})

	t.Run("extra columns become a note on the contact", func(t *testing.T) {
		acts, err := e.store().ListActivities(context.Background(), core.ActivityFilter{ContactID: e.contactByEmail("anna@firma.pl").ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(acts) != 1 || acts[0].Kind != core.ActivityNote || acts[0].Body != "Birthday: 1990-01-01" {
			t.Errorf("timeline = %+v", acts)
		}
	})

	t.Run("running the file again changes nothing", func(t *testing.T) {
		r := e.ok("import", path, "--kind", "contacts")
		wantContains(t, "summary", r.out, "0 new contacts", "2 already imported")
	})
}

// TestImportDryRunReportsWhatTheImportDoes checks a file with every kind of
// bad row, and rows kept with a note, first with --dry-run and then for
// real: the two report the same rows, reasons, notes and counts.
func TestImportDryRunReportsWhatTheImportDoes(t *testing.T) {
	e := newIOEnv(t)
	rows := []string{
		"title,name,email,phone,team,timezone,created_at,value,currency,stage,status,lost_reason,owner,expected_close,closed_at",
		"Good,Anna Nowak,anna@firma.pl,+48 601 111 222,Warsaw,Europe/Warsaw,,1000,EUR,,,,lan@example.com,,",
		"Good,Anna Nowak,anna@firma.pl,+48 601 111 222,Warsaw,Europe/Warsaw,,1000,EUR,,,,lan@example.com,,", // the same row: its key twice
		"Zone,Zoe,zoe@firma.pl,,,Mars/Olympus,,1,EUR,,,,lan@example.com,,",
		"Mail,Bad Mail,not-an-email,,,,,1,EUR,,,,lan@example.com,,",
		"Long mail,Long,x" + strings.Repeat("y", 300) + "@firma.pl,,,,,1,EUR,,,,lan@example.com,,",
		"Phone only,Bad Phone,,12,Bangkok,,,1,EUR,,,,lan@example.com,,",
		"Phone kept,John Smith,john@smith.example,(555) 123-4567,Warsaw,,,1,EUR,,,,lan@example.com,,",
		"Nobody,No Way,,,,,,1,EUR,,,,lan@example.com,,",
		"Team,Tina,tina@firma.pl,,Atlantis,,,1,EUR,,,,lan@example.com,,",
		"Created,Carl,carl@firma.pl,,,,yesterday,1,EUR,,,,lan@example.com,,",
		"Value,Val,val@firma.pl,,,,,12k,EUR,,,,lan@example.com,,",
		"Decimals,Dec,dec@firma.pl,,,,,12.345,EUR,,,,lan@example.com,,", // Lan's locale is th: 12.345
		"Huge,Hugo,hugo@firma.pl,,,,,92233720368547758.07,EUR,,,,lan@example.com,,",
		"Currency,Cur,cur@firma.pl,,,,,1,EUX,,,,lan@example.com,,",
		"Stage,Stan,stan@firma.pl,,,,,1,EUR,Propsal,,,lan@example.com,,",
		"Status,Stat,stat@firma.pl,,,,,1,EUR,,maybe,,lan@example.com,,",
		"Lost,Lou,lou@firma.pl,,,,,1,EUR,,lost,,lan@example.com,,",
		"Owner,Ghost,ghost@firma.pl,,,,,1,EUR,,,,ghost@example.com,,",
		"Not mine,Piotr's,p@firma.pl,,,,,1,EUR,,,,piotr@example.com,,",
		"Close,Clo,clo@firma.pl,,,,,1,EUR,,,,lan@example.com,15.12.2026,",
		"Closed open,Op,op@firma.pl,,,,,1,EUR,Proposal,,,lan@example.com,,2026-11-01",
		"Contradiction,Con,con@firma.pl,,,,,1,EUR,Won,lost,price,lan@example.com,,",
		"Name," + strings.Repeat("N", 300) + ",long@firma.pl,,,,,1,EUR,,,,lan@example.com,,",
		"Columns,Too,many,columns,here",
		"Quote,Bad \"quote,q@firma.pl,,,,,1,EUR,,,,lan@example.com,,",
		"Bytes,\xff\xfe,b@firma.pl,,,,,1,EUR,,,,lan@example.com,,",
		"Fine too,Somchai,somchai@siam.co.th,081 234 5678,Bangkok,Asia/Bangkok,,2000,THB,Proposal,,,lan@example.com,2026-12-15,",
	}
	path := e.file("deals.csv", strings.Join(rows, "\n")+"\n")
	dryErrs, realErrs := filepath.Join(e.dir, "dry-errors.csv"), filepath.Join(e.dir, "errors.csv")
	dry := e.run("--as", "lan@example.com", "import", path, "--kind", "deals", "--dry-run", "--errors", dryErrs)
	if n := len(e.deals()); n != 0 {
		t.Fatalf("the dry run wrote %d deals", n)
	}
	real := e.run("--as", "lan@example.com", "import", path, "--kind", "deals", "--errors", realErrs)

	rowLines := func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "row ") || strings.HasPrefix(l, " ") {
				out = append(out, l)
			}
		}
		return out
	}
	summary := func(s string) string { _, rest, _ := strings.Cut(s, "\n"); return rest }
	t.Run("the same rows fail for the same reasons and get the same notes", func(t *testing.T) {
		if d, r := rowLines(dry.errOut), rowLines(real.errOut); !slices.Equal(d, r) {
			t.Fatalf("dry run:\n%s\nimport:\n%s", strings.Join(d, "\n"), strings.Join(r, "\n"))
		}
	})
	t.Run("the counts agree", func(t *testing.T) {
		if d, r := summary(dry.out), summary(real.out); d != strings.ReplaceAll(r, realErrs, dryErrs) {
			t.Fatalf("dry run:\n%s\nimport:\n%s", dry.out, real.out)
		}
	})
	t.Run("the errors files agree", func(t *testing.T) {
		if d, r := mustRead(t, dryErrs), mustRead(t, realErrs); !bytes.Equal(d, r) {
			t.Fatalf("dry run:\n%s\nimport:\n%s", d, r)
		}
	})
	t.Run("every kind of bad row is reported", func(t *testing.T) {
		// Each failed row, with its reason, is in the errors file; the
		// first ones are on stderr too.
		var reasons string
		for _, rec := range readCSV(t, dryErrs, ',') {
			reasons += rec[len(rec)-1] + "\n"
		}
		wantContains(t, "errors file", reasons,
			`unknown time zone "Mars/Olympus"`,
			`invalid email address "not-an-email"`,
			"is too long; an address has at most 254 bytes, 64 before the @",
			`invalid phone number "12" (not a valid number in TH)`,
			"no email, phone or chat handle",
			`unknown team "Atlantis"`,
			`invalid created_at "yesterday"`,
			`invalid amount "12k"`,
			`EUR has 2 decimals; "12.345" has more`,
			"a deal's value can be at most 1,000,000,000,000.00 EUR",
			`unknown currency "EUX"`,
			`unknown stage "Propsal"`,
			`unknown status "maybe"`,
			"a lost deal needs a lost reason",
			`unknown owner "ghost@example.com"`,
			"Nguyễn Thị Lan may not import a deal of Piotr Wiśniewski",
			`invalid expected_close "15.12.2026"`,
			`closed_at "2026-11-01" is set but the deal is open`,
			"status lost does not fit stage Won",
			"the row has 5 columns, the header has 15",
			"cannot split the row into columns",
			"the row is not UTF-8 text")
		wantContains(t, "stderr", dry.errOut,
			`row 8: note: phone number "(555) 123-4567" is not a valid number in PL: kept on the contact as written`,
			"row 24: note: the name was 300 characters: cut to 200")
		wantContains(t, "summary", dry.out, "4 new deals", "1 already imported", "22 failed", "2 kept with a note")
	})
}

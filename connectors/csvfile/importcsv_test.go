package csvfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leadwire/core"
)

func TestSniffDelimiter(t *testing.T) {
	cases := []struct {
		name, line string
		want       rune
	}{
		{"commas separate by default", "name,email,phone", ','},
		{"semicolons win when there are more of them", "name;email;Company, Inc.", ';'},
		{"separators inside quotes do not count", `"Name; full",email,phone`, ','},
		{"tabs are told apart too", "name\temail\tphone", '\t'},
		{"a single column is read with commas", "email", ','},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := sniffDelimiter([]byte(c.line)); got != c.want {
				t.Errorf("sniffDelimiter(%q) = %q, want %q", c.line, got, c.want)
			}
		})
	}
}

func TestOpenCSVRefusesUTF16(t *testing.T) {
	path := filepath.Join(t.TempDir(), "utf16.csv")
	os.WriteFile(path, []byte("\xff\xfen\x00a\x00m\x00e\x00"), 0o644)
	_, err := openCSV(path)
	if err == nil || !strings.Contains(err.Error(), `save it as "CSV UTF-8"`) {
		t.Errorf("error = %v", err)
	}
}

// fuzzRefs are what rows may refer to, without a database.
func fuzzRefs(kind string) *importRefs {
	pipeline := core.Pipeline{ID: 1, Name: "Sales", IsDefault: true, Stages: []core.Stage{
		{ID: 1, Name: "Prospecting", Kind: core.StageOpen}, {ID: 2, Name: "Won", Kind: core.StageWon}, {ID: 3, Name: "Lost", Kind: core.StageLost}}}
	rep := &core.User{ID: 1, Email: "lan@example.com", Role: core.RoleRep, TeamID: 1, Active: true}
	return &importRefs{kind: kind, source: "import:fuzz.csv", actor: rep, settings: core.DefaultSettings(),
		teams:     []core.Team{{ID: 1, Name: "Bangkok", Region: "TH"}, {ID: 2, Name: "Warsaw", Region: "PL"}},
		users:     map[string]*core.User{rep.Email: rep},
		pipelines: []core.Pipeline{pipeline}}
}

// worldLeads is a leads file as Excel writes it in much of Europe: a byte
// order mark, semicolons, names in five scripts, phones in every format.
const worldLeads = "\uFEFFName;E-mail;Phone Number;Organization;Team;utm_source;Subject\r\n" +
	"สมชาย ใจดี;Somchai.J@Siam.co.th;081 234 5678;Siam Co;Bangkok;google;ขอราคา\r\n" +
	"داریوش کریمی;dariush@parsco.ir;+98 912 345 6789;Pars Co;Warsaw;;قیمت\r\n" +
	"Zofia Łukasiewicz;zofia@wp.pl;601-234-567;;Warsaw;facebook;\"wycena; \"\"pilne\"\"\"\r\n" +
	"Nguyễn Văn An;an@vina.vn;+84 (90) 123 4567;Vina JSC;Bangkok;;báo giá\r\n" +
	"\"李伟\";li.wei@example.cn;+86 138-0013-8000;\"北京; 有限公司\";;;报价\r\n"

// worldDeals is a deals file with open, won and lost deals in several
// currencies and owners from both teams.
const worldDeals = "Deal Name,Contact,Email,Phone,Amount,Currency,Stage,Status,Lost Reason,Owner,Close Date,Notes\n" +
	"Siam rollout,สมชาย ใจดี,somchai@siam.co.th,081 234 5678,\"1,500,000\",THB,Proposal,,,lan@example.com,2026-12-15,50 seats\n" +
	"Warsaw pilot,Zofia Łukasiewicz,zofia@wp.pl,601 234 567,12000.50,PLN,Negotiation,won,,piotr@example.com,,\n" +
	"Vina renewal,Nguyễn Văn An,an@vina.vn,,1200000000,VND,,lost,price,lan@example.com,,\n" +
	"Tehran office,داریوش کریمی,dariush@parsco.ir,,,,,,,somchai@example.com,,\n"

// FuzzImportFile feeds arbitrary files through reading, mapping and row
// checks: nothing may panic, and every row is either refused with a
// reason or ready for core with an idempotency key.
func FuzzImportFile(f *testing.F) {
	f.Add(worldLeads, kindLeads)
	f.Add(worldDeals, kindDeals)
	f.Add("name,email\n\"unterminated,a@b.pl\n", kindContacts)
	f.Add("email;phone\nx@y.pl;12\n;;\n\xff\xfe;bad\n", kindLeads)
	f.Add("Email,Amount,Stage,Status\na@b.pl,-5,Won,open\n", kindDeals)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content, kind string) {
		if kind != kindContacts && kind != kindLeads && kind != kindDeals {
			kind = kindLeads
		}
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		file, err := openCSV(path)
		if err != nil {
			return
		}
		defer file.Close()
		cols, err := mapColumns(kind, file.header, file.delim, "")
		if err != nil {
			return
		}
		refs := fuzzRefs(kind)
		for {
			rec, err := file.next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				continue
			}
			row, problems, blank := refs.prepare(file.row, rec, cols)
			if blank || len(problems) > 0 {
				continue
			}
			if row.deal.ExternalID == "" || row.deal.Channel != core.ChannelImport {
				t.Fatalf("row %d ready without a key: %+v", row.num, row.deal.Inbound)
			}
			if row.deal.Email == "" && row.deal.Phone == "" && row.deal.Handle == "" {
				t.Fatalf("row %d ready without a way to reach the contact", row.num)
			}
		}
	})
}

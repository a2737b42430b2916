package csvfile_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"leadwire/connectors/csvfile"
	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// env is a core service over a real store with two teams, a manager, two
// reps and an admin.
type env struct {
	ctx context.Context
	svc *core.Service
	dir string
}

func newEnv(t *testing.T, db *storage.DB) *env {
	t.Helper()
	e := &env{ctx: context.Background(), svc: core.NewService(db, core.SystemClock{}, core.DefaultSettings(), nil), dir: t.TempDir()}
	org := core.OrgDef{
		Teams: []core.TeamDef{{Name: "Bangkok", Region: "TH", Manager: "somchai@example.com"}, {Name: "Warsaw", Region: "PL"}},
		Users: []core.UserDef{
			{Email: "li.wei@example.com", Name: "李伟", Role: core.RoleAdmin},
			{Email: "somchai@example.com", Name: "สมชาย ประเสริฐ", Role: core.RoleManager, Team: "Bangkok"},
			{Email: "lan@example.com", Name: "Nguyễn Thị Lan", Role: core.RoleRep, Team: "Bangkok"},
			{Email: "piotr@example.com", Name: "Piotr Wiśniewski", Role: core.RoleRep, Team: "Warsaw"},
			{Email: "dariush@example.com", Name: "داریوش کریمی", Role: core.RoleRep},
		},
		Pipelines: []core.PipelineDef{{Name: "Sales", Default: true, Stages: []core.StageDef{
			{Name: "Prospecting", Probability: 10}, {Name: "Proposal", Probability: 60}}}},
	}
	if err := e.svc.Directory.Sync(e.ctx, org); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) user(t *testing.T, email string) *core.User {
	t.Helper()
	u, err := e.svc.Directory.UserByEmail(e.ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (e *env) file(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(e.dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// export returns the CSV records an actor's export of kind holds, header
// first.
func (e *env) export(t *testing.T, actor *core.User, kind string) [][]string {
	t.Helper()
	var b bytes.Buffer
	if err := csvfile.Export(e.ctx, e.svc, actor, &b, csvfile.ExportOptions{Kind: kind}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("export is no CSV: %v\n%s", err, b.String())
	}
	return recs
}

func TestImportReportsWhatTheRowsBecame(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		admin := e.user(t, "li.wei@example.com")
		path := e.file(t, "leads.csv", "name;email;phone;team\n"+
			"Zofia Łukasiewicz;zofia@wp.pl;601 234 567;Warsaw\n"+
			";;;\n"+
			"Nobody;;;Warsaw\n"+
			"Zofia again;zofia@wp.pl;;Warsaw\n"+
			"Nguyễn Văn An;an@vina.vn;(555) 123-4567;Bangkok\n")
		var log bytes.Buffer
		var progress [][2]int
		opts := csvfile.ImportOptions{Kind: "leads", Log: &log, Errors: filepath.Join(e.dir, "errors.csv"),
			Progress: func(done, total int) { progress = append(progress, [2]int{done, total}) }}
		rep, err := csvfile.Import(e.ctx, e.svc, admin, path, opts)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("the report counts each row once", func(t *testing.T) {
			want := csvfile.Report{Read: 5, Blank: 1, New: 2, Matched: 1, Failed: 1, Noted: 1}
			if rep != want {
				t.Errorf("report = %+v, want %+v", rep, want)
			}
		})
		t.Run("the log has the failed and noted rows by row number", func(t *testing.T) {
			for _, w := range []string{"row 4: no email, phone or chat handle", `row 6: note: phone number "(555) 123-4567" is not a valid number in TH`} {
				if !strings.Contains(log.String(), w) {
					t.Errorf("log does not contain %q:\n%s", w, log.String())
				}
			}
		})
		t.Run("progress counts up to the rows of the file", func(t *testing.T) {
			if len(progress) == 0 || progress[len(progress)-1] != [2]int{5, 5} {
				t.Fatalf("progress = %v, want it to end at 5 of 5", progress)
			}
			for i := 1; i < len(progress); i++ {
				if progress[i][0] < progress[i-1][0] {
					t.Fatalf("progress went back: %v", progress)
				}
			}
		})
		t.Run("the errors file holds the failed row", func(t *testing.T) {
			b, err := os.ReadFile(opts.Errors)
			if err != nil {
				t.Fatal(err)
			}
			if want := "name;email;phone;team;import error\nNobody;;;Warsaw;"; !strings.HasPrefix(string(b), want) {
				t.Errorf("errors file = %q, want it to begin %q", b, want)
			}
		})
		t.Run("a second run reports every row as imported before", func(t *testing.T) {
			again, err := csvfile.Import(e.ctx, e.svc, admin, path, csvfile.ImportOptions{Kind: "leads"})
			if err != nil {
				t.Fatal(err)
			}
			if want := (csvfile.Report{Read: 5, Blank: 1, Already: 3, Failed: 1}); again != want {
				t.Errorf("report = %+v, want %+v", again, want)
			}
		})
	})
}

func TestImportStopsWhenTheContextEnds(t *testing.T) {
	e := newEnv(t, storagetest.SQLite(t))
	admin := e.user(t, "li.wei@example.com")
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	path := e.file(t, "leads.csv", "email\na@firma.pl\nb@firma.pl\nc@firma.pl\n")
	// Cancelled once the first row is read: the batch it is in is never
	// written, and the report says so.
	rep, err := csvfile.Import(ctx, e.svc, admin, path, csvfile.ImportOptions{Kind: "leads",
		Progress: func(done, total int) { cancel() }})
	if err != nil || !errors.Is(rep.Stopped, context.Canceled) || rep.Read != 0 {
		t.Fatalf("report = %+v, %v; want it stopped with no row read for good", rep, err)
	}
	if got := e.export(t, admin, "leads"); len(got) != 1 {
		t.Fatalf("export after the stop = %q, want only the header", got)
	}
	again, err := csvfile.Import(e.ctx, e.svc, admin, path, csvfile.ImportOptions{Kind: "leads"})
	if err != nil || again.New != 3 {
		t.Fatalf("the next run: %+v, %v; want the 3 rows imported", again, err)
	}
}

func TestUnknownKindsAreRefused(t *testing.T) {
	e := newEnv(t, storagetest.SQLite(t))
	admin := e.user(t, "li.wei@example.com")
	path := e.file(t, "x.csv", "email\na@firma.pl\n")
	if _, err := csvfile.Import(e.ctx, e.svc, admin, path, csvfile.ImportOptions{Kind: "tasks"}); core.KindOf(err) != core.KindInvalid {
		t.Errorf("import of tasks: %v, want it refused as invalid", err)
	}
	if err := csvfile.Export(e.ctx, e.svc, admin, &bytes.Buffer{}, csvfile.ExportOptions{Kind: "tasks"}); core.KindOf(err) != core.KindInvalid {
		t.Errorf("export of tasks: %v, want it refused as invalid", err)
	}
}

// TestExportHoldsWhatTheActorMaySee imports leads of both teams, a lead
// of each rep and deals, then exports them as each kind of caller.
func TestExportHoldsWhatTheActorMaySee(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		admin := e.user(t, "li.wei@example.com")
		leads := e.file(t, "leads.csv", "name,email,team\n"+
			"Somchai,somchai@siam.co.th,Bangkok\n"+
			"Zofia,zofia@wp.pl,Warsaw\n")
		if _, err := csvfile.Import(e.ctx, e.svc, admin, leads, csvfile.ImportOptions{Kind: "leads"}); err != nil {
			t.Fatal(err)
		}
		deals := e.file(t, "deals.csv", "title,name,email,owner,value,currency\n"+
			"Siam rollout,An,an@vina.vn,lan@example.com,1000,THB\n"+
			"Warsaw pilot,Ola,ola@firma.pl,piotr@example.com,500,PLN\n"+
			"Tehran office,Reza,reza@parsco.ir,dariush@example.com,100,EUR\n")
		rep, err := csvfile.Import(e.ctx, e.svc, admin, deals, csvfile.ImportOptions{Kind: "deals"})
		if err != nil || rep.New != 3 {
			t.Fatalf("deals import: %+v, %v", rep, err)
		}
		names := func(recs [][]string, col string) []string {
			i := slices.Index(recs[0], col)
			var out []string
			for _, r := range recs[1:] {
				out = append(out, r[i])
			}
			slices.Sort(out)
			return out
		}
		cases := []struct {
			name, who      string
			actor          *core.User
			leads, deals   []string
			contactsExport []string
		}{
			{"an admin sees every lead and deal", "admin", admin,
				[]string{"An", "Ola", "Reza", "Somchai", "Zofia"}, []string{"Siam rollout", "Tehran office", "Warsaw pilot"},
				[]string{"An", "Ola", "Reza", "Somchai", "Zofia"}},
			// Reza's deal has no team of its owner's, so it went to the
			// first team, Bangkok.
			{"a manager sees the team's", "manager", e.user(t, "somchai@example.com"),
				[]string{"An", "Reza", "Somchai"}, []string{"Siam rollout", "Tehran office"}, []string{"An", "Reza", "Somchai"}},
			{"a rep sees own leads and deals only, not the team's unclaimed ones", "rep", e.user(t, "piotr@example.com"),
				[]string{"Ola"}, []string{"Warsaw pilot"}, []string{"Ola"}},
			{"a user in no team sees own only", "no team", e.user(t, "dariush@example.com"),
				[]string{"Reza"}, []string{"Tehran office"}, []string{"Reza"}},
			{"an unknown caller sees nothing", "anonymous", &core.User{},
				nil, nil, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := names(e.export(t, c.actor, "leads"), "name"); !slices.Equal(got, c.leads) {
					t.Errorf("leads of %s = %q, want %q", c.who, got, c.leads)
				}
				if got := names(e.export(t, c.actor, "deals"), "title"); !slices.Equal(got, c.deals) {
					t.Errorf("deals of %s = %q, want %q", c.who, got, c.deals)
				}
				if got := names(e.export(t, c.actor, "contacts"), "name"); !slices.Equal(got, c.contactsExport) {
					t.Errorf("contacts of %s = %q, want %q", c.who, got, c.contactsExport)
				}
			})
		}
	})
}

func TestExportJSONUsesTheShapesGiven(t *testing.T) {
	e := newEnv(t, storagetest.SQLite(t))
	admin := e.user(t, "li.wei@example.com")
	path := e.file(t, "leads.csv", "name,email\nสมชาย ใจดี,somchai@siam.co.th\nZofia,zofia@wp.pl\n")
	if _, err := csvfile.Import(e.ctx, e.svc, admin, path, csvfile.ImportOptions{Kind: "leads"}); err != nil {
		t.Fatal(err)
	}
	shapes := &csvfile.JSONShapes{Lead: func(l *core.Lead, c *core.Contact) any {
		return map[string]string{"id": l.Ref(), "name": c.Name}
	}}
	var b bytes.Buffer
	if err := csvfile.Export(e.ctx, e.svc, admin, &b, csvfile.ExportOptions{Kind: "leads", JSON: shapes, BOM: true}); err != nil {
		t.Fatal(err)
	}
	if err := csvfile.Export(e.ctx, e.svc, admin, &bytes.Buffer{}, csvfile.ExportOptions{Kind: "deals", JSON: shapes}); core.KindOf(err) != core.KindInvalid {
		t.Errorf("deals without a deal shape: %v, want them refused", err)
	}
	want := "[\n  {\n    \"id\": \"L1\",\n    \"name\": \"สมชาย ใจดี\"\n  },\n  {\n    \"id\": \"L2\",\n    \"name\": \"Zofia\"\n  }\n]\n"
	if b.String() != want {
		t.Errorf("JSON export = %q, want %q (no byte order mark)", b.String(), want)
	}
}

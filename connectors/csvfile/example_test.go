package csvfile_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"leadwire/connectors/csvfile"
	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/storage"
)

// Import a spreadsheet's leads, with a row that cannot be imported, then
// export them: each good row becomes a lead with its phone in E.164 by the
// team's region, and the export reads back as the import wrote it.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "leadwire-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := storage.OpenAndMigrate(ctx, filepath.Join(dir, "leadwire.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	svc := core.NewService(db, clocktest.New(now), core.DefaultSettings(), nil)
	org := core.OrgDef{Teams: []core.TeamDef{{Name: "Bangkok", Region: "TH"}},
		Users: []core.UserDef{{Email: "lan@example.com", Name: "Nguyễn Thị Lan", Role: core.RoleAdmin, Team: "Bangkok"}}}
	if err := svc.Directory.Sync(ctx, org); err != nil {
		log.Fatal(err)
	}
	lan, err := svc.Directory.UserByEmail(ctx, "lan@example.com")
	if err != nil {
		log.Fatal(err)
	}

	path := filepath.Join(dir, "leads.csv")
	file := "Name;E-mail;Phone Number;Created\n" +
		"สมชาย ใจดี;somchai@siam.example;081 234 5678;2026-10-30\n" +
		"Nobody;;;2026-10-31\n" +
		"Nguyễn Văn An;an@vina.example;;2026-11-01\n"
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		log.Fatal(err)
	}
	rep, err := csvfile.Import(ctx, svc, lan, path, csvfile.ImportOptions{Kind: "leads", Log: os.Stdout})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("read %d, new %d, failed %d\n", rep.Read, rep.New, rep.Failed)

	if err := csvfile.Export(ctx, svc, lan, os.Stdout, csvfile.ExportOptions{Kind: "leads"}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// row 3: no email, phone or chat handle: a contact needs at least one to be reached by
	// read 3, new 2, failed 1
	// id,name,email,phone,handle,company,team,subject,message,source,created_at,status,owner,score,deal
	// L1,สมชาย ใจดี,somchai@siam.example,'+66812345678,,,Bangkok,,,import:leads.csv,2026-10-30T00:00:00Z,new,,25,
	// L2,Nguyễn Văn An,an@vina.example,,,,Bangkok,,,import:leads.csv,2026-11-01T00:00:00Z,new,,15,
}

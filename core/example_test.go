package core_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/storage"
)

// A connector hands core an inbound message; the first one from a person
// becomes a lead, and the same message delivered again changes nothing.
func ExampleService_Capture() {
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
	if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: []core.TeamDef{{Name: "Bangkok", Region: "TH"}}}); err != nil {
		log.Fatal(err)
	}

	in := core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: "submission-1",
		Name: "Somsak Jaidee", Email: "Somsak@Siam.example", Phone: "081 234 5678", Team: "Bangkok",
		Subject: "Quote for 50 seats", Text: "Please send a quote.", ReceivedAt: now}
	res, err := svc.Capture(ctx, in)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("new lead:", res.NewLead, core.LeadRef(res.LeadID))
	contact, err := db.ContactByID(ctx, res.ContactID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("contact:", contact.Name, contact.Emails, contact.Phones)

	again, err := svc.Capture(ctx, in)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("delivered again:", again.Duplicate, again.NewLead)
	// Output:
	// new lead: true L1
	// contact: Somsak Jaidee [somsak@siam.example] [+66812345678]
	// delivered again: true false
}

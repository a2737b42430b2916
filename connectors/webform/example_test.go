package webform_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"leadwire/connectors/webform"
	"leadwire/core"
	"leadwire/storage"
)

// Mount a form on a mux and post to it as a site's contact form does: the
// post becomes a lead for the form's team, and a script asking for JSON
// gets 201 with a receipt.
func ExampleHandler_Submit() {
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
	svc := core.NewService(db, core.SystemClock{}, core.DefaultSettings(), nil)
	if err := svc.Directory.Sync(ctx, core.OrgDef{Teams: []core.TeamDef{{Name: "Warsaw", Region: "PL"}}}); err != nil {
		log.Fatal(err)
	}

	h, err := webform.New(svc, []webform.Form{{ID: "contact", Team: "Warsaw", Region: "PL",
		Fields:   map[string]string{"your-name": "name", "your-email": "email", "tel": "phone", "your-message": "message"},
		Required: []string{"email", "your-message"}}}, webform.Options{})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /forms/{id}", h.Submit)
	mux.HandleFunc("OPTIONS /forms/{id}", h.Preflight)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	form := url.Values{"your-name": {"Łucja Wójcik"}, "your-email": {"lucja@example.pl"}, "tel": {"512 345 678"},
		"your-message": {"Proszę o wycenę."}}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/forms/contact", strings.NewReader(form.Encode()))
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	var answer struct{ Receipt string }
	json.NewDecoder(resp.Body).Decode(&answer)
	resp.Body.Close()
	fmt.Println(resp.Status, strings.HasPrefix(answer.Receipt, "r_"))

	lead, err := db.LeadByID(ctx, 1)
	if err != nil {
		log.Fatal(err)
	}
	contact, err := db.ContactByID(ctx, lead.ContactID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(core.LeadRef(lead.ID), lead.SourceChannel, lead.SourceName, lead.Message)
	fmt.Println(contact.Name, contact.Emails, contact.Phones)
	// Output:
	// 201 Created true
	// L1 webform contact Proszę o wycenę.
	// Łucja Wójcik [lucja@example.pl] [+48512345678]
}

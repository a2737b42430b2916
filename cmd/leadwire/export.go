package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"leadwire/core"
	"leadwire/internal/view"
)

// ExportCmd writes contacts, leads or deals as CSV or JSON.
type ExportCmd struct {
	Kind   string `help:"What to export: contacts, leads or deals." enum:"contacts,leads,deals" required:"" placeholder:"contacts|leads|deals"`
	Format string `help:"csv (columns leadwire import reads back) or json (the shapes of --json)." enum:"csv,json" default:"csv"`
	Out    string `help:"Write to this file (replaced only once the export is complete) instead of standard output." placeholder:"FILE"`
	BOM    bool   `help:"Start a CSV with a UTF-8 byte order mark, so Excel reads names in any script right." name:"bom"`
}

// exportPage is how many records one query reads.
const exportPage = 500

// Run writes every record within the actor's reach, oldest first.
func (c *ExportCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	n, err := a.names()
	if err != nil {
		return err
	}
	pipes, err := a.pipelines()
	if err != nil {
		return err
	}
	e := &exporter{a: a, svc: svc, actor: actor, names: n, pipes: pipes, json: c.Format == "json"}
	return writeOut(a, c.Out, func(w io.Writer) error {
		if c.BOM && !e.json {
			if _, err := w.Write(utf8BOM); err != nil {
				return err
			}
		}
		e.w = w
		switch c.Kind {
		case kindLeads:
			return e.leads()
		case kindDeals:
			return e.deals()
		default:
			return e.contacts()
		}
	})
}

// writeOut runs write on standard output, or on a temporary file that
// replaces path once write succeeds, so a failed export never leaves half
// a file where a good one was.
func writeOut(a *App, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(a.out)
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		// The rename below would replace a device (/dev/null as root) or
		// a pipe; - writes to standard output.
		return core.Errorf(core.KindInvalid, "%s is not a regular file (%s); name a file, or - for standard output", path, fileKind(st.Mode()))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// exporter writes one export.
type exporter struct {
	a     *App
	svc   *core.Service
	actor *core.User
	names view.Names
	pipes map[int64]*core.Pipeline
	json  bool
	w     io.Writer

	csv   *cellWriter
	items int // JSON items written
}

// oldestFirst visits every record of a listing that pages newest first by
// keyset (ids below after), oldest first: a first pass notes where each
// page starts (and lets scan see every record), the second reads the pages
// back in reverse. Records added meanwhile are left out; a record that
// shows up late in a page it was missing from (PostgreSQL commits out of id
// order) is still visited once, as each page is read as the id range it
// covered.
func oldestFirst[T any](list func(after int64) ([]T, error), id func(*T) int64, scan, visit func(*T) error) error {
	var starts []int64 // page k holds ids in [starts[k+1], starts[k])
	for after := int64(0); ; {
		page, err := list(after)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		if len(starts) == 0 {
			starts = append(starts, id(&page[0])+1)
		} else {
			starts = append(starts, after)
		}
		for i := range page {
			if scan != nil {
				if err := scan(&page[i]); err != nil {
					return err
				}
			}
		}
		after = id(&page[len(page)-1])
	}
	for k := len(starts) - 1; k >= 0; k-- {
		var low int64
		if k+1 < len(starts) {
			low = starts[k+1]
		}
		var rows []T
		for after, done := starts[k], false; !done; {
			page, err := list(after)
			if err != nil {
				return err
			}
			done = len(page) == 0
			for i := range page {
				if id(&page[i]) < low {
					done = true
					break
				}
				rows = append(rows, page[i])
			}
			if len(page) > 0 {
				after = id(&page[len(page)-1])
			}
		}
		for i := len(rows) - 1; i >= 0; i-- {
			if err := visit(&rows[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *exporter) listLeads(after int64) ([]core.Lead, error) {
	return e.svc.Leads(e.a.ctx, e.actor, core.LeadFilter{AfterID: after, Limit: exportPage})
}

func (e *exporter) listDeals(after int64) ([]core.Deal, error) {
	return e.svc.Deals(e.a.ctx, e.actor, core.DealFilter{AfterID: after, Limit: exportPage})
}

func leadID(l *core.Lead) int64 { return l.ID }
func dealID(d *core.Deal) int64 { return d.ID }

// begin starts the output: the CSV header or the JSON array.
func (e *exporter) begin(header []string) error {
	if e.json {
		_, err := io.WriteString(e.w, "[")
		return err
	}
	e.csv = newCellWriter(e.w, ',')
	return e.csv.Write(header)
}

// item writes one JSON element or CSV record.
func (e *exporter) item(v any, record []string) error {
	if !e.json {
		return e.csv.Write(record)
	}
	b, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n  "
	if e.items == 0 {
		sep = "\n  "
	}
	e.items++
	_, err = fmt.Fprintf(e.w, "%s%s", sep, b)
	return err
}

// end closes the JSON array or flushes the CSV.
func (e *exporter) end() error {
	if e.json {
		end := "]\n"
		if e.items > 0 {
			end = "\n]\n"
		}
		_, err := io.WriteString(e.w, end)
		return err
	}
	e.csv.Flush()
	return e.csv.Error()
}

// exportColumns are the CSV columns of a kind: import's field names, so an
// export imports back as it is, then columns for information (exportOnly).
func exportColumns(kind string) []string {
	switch kind {
	case kindContacts:
		return []string{"id", "name", "email", "phone", "handle", "company", "team", "source", "created_at"}
	case kindLeads:
		return []string{"id", "name", "email", "phone", "handle", "company", "team", "subject", "message", "source", "created_at",
			"status", "owner", "score", "deal"}
	}
	return []string{"id", "title", "name", "email", "phone", "handle", "company", "team", "owner", "pipeline", "stage", "status",
		"value", "currency", "lost_reason", "expected_close", "created_at", "closed_at", "probability", "lead"}
}

// contactCells are the contact's columns shared by every kind: name, then
// its first email, phone and chat handle (JSON has them all), then company.
func contactCells(c *core.Contact) []string {
	first := func(s []string) string {
		if len(s) == 0 {
			return ""
		}
		return s[0]
	}
	// A phone that is no valid number is exported as written, so it is
	// kept as such again when the file is imported.
	phone := first(c.Phones)
	if phone == "" {
		phone = first(c.InvalidPhones)
	}
	return []string{c.Name, first(c.Emails), phone, first(c.Handles), c.Company}
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// leadSource is where a lead came from, as import's source column reads it
// back: the source an import brought along, else channel and source name.
func leadSource(l *core.Lead) string {
	if s := l.Metadata["source"]; s != "" {
		return s
	}
	switch {
	case l.SourceName == "":
		return l.SourceChannel
	case strings.HasPrefix(l.SourceName, l.SourceChannel+":"):
		return l.SourceName
	}
	return l.SourceChannel + ":" + l.SourceName
}

// metaColumn is the CSV header of a metadata key: the key, or the key
// marked with metaPrefix when import would take it for a field.
func metaColumn(key string) string {
	_, isField := fieldOfHeader(key)
	if isField || exportOnly(kindLeads, headerKey(key)) || strings.EqualFold(key, errorColumn) || strings.HasPrefix(key, metaPrefix) {
		return metaPrefix + key
	}
	return key
}

func (e *exporter) leads() error {
	var keys []string
	scan := func(l *core.Lead) error {
		for k := range l.Metadata {
			if k != "source" && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		return nil
	}
	if e.json {
		scan = nil
	}
	started := false
	err := oldestFirst(e.listLeads, leadID, scan, func(l *core.Lead) error {
		if !started {
			slices.Sort(keys)
			header := exportColumns(kindLeads)
			for _, k := range keys {
				header = append(header, metaColumn(k))
			}
			if err := e.begin(header); err != nil {
				return err
			}
			started = true
		}
		c, err := e.svc.LeadContact(e.a.ctx, e.actor, l)
		if err != nil {
			return err
		}
		v := view.LeadOf(l, e.names)
		cv := view.ContactOf(c)
		v.Contact = &cv
		rec := append([]string{l.Ref()}, contactCells(c)...)
		rec = append(rec, e.names.Teams[l.TeamID], l.Subject, l.Message, leadSource(l), csvTime(l.CreatedAt),
			string(l.Status), e.names.Users[l.OwnerID], strconv.Itoa(l.Score), v.Deal)
		for _, k := range keys {
			rec = append(rec, l.Metadata[k])
		}
		return e.item(v, rec)
	})
	return e.finish(err, started, kindLeads)
}

// finish ends the output after the records, starting it first when there
// were none.
func (e *exporter) finish(err error, started bool, kind string) error {
	if err != nil {
		return err
	}
	if !started {
		if err := e.begin(exportColumns(kind)); err != nil {
			return err
		}
	}
	return e.end()
}

// eachContact visits the contacts the actor may list, oldest first.
func (e *exporter) eachContact(visit func(*core.Contact) error) error {
	for after := int64(0); ; {
		page, err := e.svc.Contacts(e.a.ctx, e.actor, core.ContactFilter{AfterID: after, Limit: exportPage})
		if err != nil || len(page) == 0 {
			return err
		}
		for i := range page {
			if err := visit(&page[i]); err != nil {
				return err
			}
		}
		after = page[len(page)-1].ID
	}
}

func (e *exporter) deals() error {
	started := false
	err := oldestFirst(e.listDeals, dealID, nil, func(d *core.Deal) error {
		if !started {
			if err := e.begin(exportColumns(kindDeals)); err != nil {
				return err
			}
			started = true
		}
		c, err := e.svc.DealContact(e.a.ctx, e.actor, d)
		if err != nil {
			return err
		}
		v := view.DealOf(d, e.pipes[d.PipelineID], e.names)
		cv := view.ContactOf(c)
		v.Contact = &cv
		rec := append([]string{d.Ref(), d.Title}, contactCells(c)...)
		rec = append(rec, e.names.Teams[d.TeamID], e.names.Users[d.OwnerID], v.Pipeline, v.Stage, string(d.Status),
			d.Value.Major(), d.Value.Currency, d.LostReason, deref(v.ExpectedClose), csvTime(d.CreatedAt), csvTime(d.ClosedAt),
			strconv.Itoa(v.Probability), v.Lead)
		return e.item(v, rec)
	})
	return e.finish(err, started, kindDeals)
}

// contacts writes the contacts within reach, oldest first: every contact
// for an admin, the team's for a manager of a team, and for anyone else
// the contacts of their leads (every capture makes a lead, and deals come
// from leads), each once, in the order of their first lead.
func (e *exporter) contacts() error {
	started := false
	write := func(c *core.Contact) error {
		if !started {
			if err := e.begin(exportColumns(kindContacts)); err != nil {
				return err
			}
			started = true
		}
		rec := append([]string{strconv.FormatInt(c.ID, 10)}, contactCells(c)...)
		rec = append(rec, e.names.Teams[c.TeamID], c.Source, csvTime(c.CreatedAt))
		return e.item(view.ContactOf(c), rec)
	}
	if e.actor.Role == core.RoleAdmin || (e.actor.Role == core.RoleManager && e.actor.TeamID != 0) {
		err := e.eachContact(write)
		return e.finish(err, started, kindContacts)
	}
	seen := map[int64]bool{}
	err := oldestFirst(e.listLeads, leadID, nil, func(l *core.Lead) error {
		if seen[l.ContactID] {
			return nil
		}
		seen[l.ContactID] = true
		c, err := e.svc.LeadContact(e.a.ctx, e.actor, l)
		if err != nil {
			return err
		}
		return write(c)
	})
	return e.finish(err, started, kindContacts)
}

package csvfile

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"leadwire/core"
)

// ExportOptions say what to export and how.
type ExportOptions struct {
	Kind string // contacts, leads or deals
	BOM  bool   // start a CSV with a UTF-8 byte order mark, so Excel reads names in any script right
	// JSON, when set, has the export write one JSON array of the values
	// it gives for the records instead of CSV.
	JSON *JSONShapes
}

// JSONShapes give the JSON value of each kind of record; the one of the
// kind exported must be set.
type JSONShapes struct {
	Contact func(c *core.Contact) any
	Lead    func(l *core.Lead, c *core.Contact) any
	Deal    func(d *core.Deal, p *core.Pipeline, c *core.Contact) any
}

// exportPage is how many records one query reads.
const exportPage = 500

// Export writes every record of opts.Kind within actor's reach to w,
// oldest first: CSV whose columns Import reads back, or JSON. What is
// within reach is core's: everything for an admin, the team's for a
// manager, their own for anyone else (nothing for an actor without an id).
func Export(ctx context.Context, svc *core.Service, actor *core.User, w io.Writer, opts ExportOptions) error {
	if err := checkKind(opts.Kind); err != nil {
		return err
	}
	if j := opts.JSON; j != nil && (opts.Kind == kindContacts && j.Contact == nil || opts.Kind == kindLeads && j.Lead == nil || opts.Kind == kindDeals && j.Deal == nil) {
		return core.Errorf(core.KindInvalid, "no JSON shape for %s", opts.Kind)
	}
	n, err := loadNames(ctx, svc)
	if err != nil {
		return err
	}
	pipes, err := loadPipelines(ctx, svc)
	if err != nil {
		return err
	}
	e := &exporter{svc: svc, actor: actor, names: n, pipes: pipes, json: opts.JSON, w: w}
	if opts.BOM && e.json == nil {
		if _, err := w.Write(utf8BOM); err != nil {
			return err
		}
	}
	switch opts.Kind {
	case kindLeads:
		return e.leads(ctx)
	case kindDeals:
		return e.deals(ctx)
	default:
		return e.contacts(ctx)
	}
}

// names resolves user and team ids for the columns.
type names struct {
	users map[int64]string // emails
	teams map[int64]string
}

func loadNames(ctx context.Context, svc *core.Service) (names, error) {
	n := names{users: map[int64]string{}, teams: map[int64]string{}}
	users, err := svc.Directory.Users(ctx, core.UserFilter{})
	if err != nil {
		return n, err
	}
	for _, u := range users {
		n.users[u.ID] = u.Email
	}
	teams, err := svc.Directory.Teams(ctx)
	if err != nil {
		return n, err
	}
	for _, t := range teams {
		n.teams[t.ID] = t.Name
	}
	return n, nil
}

func loadPipelines(ctx context.Context, svc *core.Service) (map[int64]*core.Pipeline, error) {
	ps, err := svc.Directory.Pipelines(ctx)
	if err != nil {
		return nil, err
	}
	m := map[int64]*core.Pipeline{}
	for i := range ps {
		m[ps[i].ID] = &ps[i]
	}
	return m, nil
}

// exporter writes one export.
type exporter struct {
	svc   *core.Service
	actor *core.User
	names names
	pipes map[int64]*core.Pipeline
	json  *JSONShapes // nil: CSV
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

// listLeads lists a page of the leads within reach, ids below after.
func (e *exporter) listLeads(ctx context.Context) func(after int64) ([]core.Lead, error) {
	return func(after int64) ([]core.Lead, error) {
		return e.svc.Leads(ctx, e.actor, core.LeadFilter{AfterID: after, Limit: exportPage})
	}
}

// listDeals lists a page of the deals within reach, ids below after.
func (e *exporter) listDeals(ctx context.Context) func(after int64) ([]core.Deal, error) {
	return func(after int64) ([]core.Deal, error) {
		return e.svc.Deals(ctx, e.actor, core.DealFilter{AfterID: after, Limit: exportPage})
	}
}

func leadID(l *core.Lead) int64 { return l.ID }
func dealID(d *core.Deal) int64 { return d.ID }

// begin starts the output: the CSV header or the JSON array.
func (e *exporter) begin(header []string) error {
	if e.json != nil {
		_, err := io.WriteString(e.w, "[")
		return err
	}
	e.csv = newCellWriter(e.w, ',')
	return e.csv.Write(header)
}

// item writes one JSON element (the value v gives) or CSV record.
func (e *exporter) item(v func() any, record []string) error {
	if e.json == nil {
		return e.csv.Write(record)
	}
	b, err := json.MarshalIndent(v(), "  ", "  ")
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
	if e.json != nil {
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
	if isField || exportOnly(kindLeads, headerKey(key)) || strings.EqualFold(key, ErrorColumn) || strings.HasPrefix(key, metaPrefix) {
		return metaPrefix + key
	}
	return key
}

func (e *exporter) leads(ctx context.Context) error {
	var keys []string
	scan := func(l *core.Lead) error {
		for k := range l.Metadata {
			if k != "source" && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		return nil
	}
	if e.json != nil {
		scan = nil
	}
	started := false
	err := oldestFirst(e.listLeads(ctx), leadID, scan, func(l *core.Lead) error {
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
		c, err := e.svc.LeadContact(ctx, e.actor, l)
		if err != nil {
			return err
		}
		deal := ""
		if l.DealID != 0 {
			deal = core.DealRef(l.DealID)
		}
		rec := append([]string{l.Ref()}, contactCells(c)...)
		rec = append(rec, e.names.teams[l.TeamID], l.Subject, l.Message, leadSource(l), csvTime(l.CreatedAt),
			string(l.Status), e.names.users[l.OwnerID], strconv.Itoa(l.Score), deal)
		for _, k := range keys {
			rec = append(rec, l.Metadata[k])
		}
		return e.item(func() any { return e.json.Lead(l, c) }, rec)
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
func (e *exporter) eachContact(ctx context.Context, visit func(*core.Contact) error) error {
	for after := int64(0); ; {
		page, err := e.svc.Contacts(ctx, e.actor, core.ContactFilter{AfterID: after, Limit: exportPage})
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

func (e *exporter) deals(ctx context.Context) error {
	started := false
	err := oldestFirst(e.listDeals(ctx), dealID, nil, func(d *core.Deal) error {
		if !started {
			if err := e.begin(exportColumns(kindDeals)); err != nil {
				return err
			}
			started = true
		}
		c, err := e.svc.DealContact(ctx, e.actor, d)
		if err != nil {
			return err
		}
		p := e.pipes[d.PipelineID]
		var pipeline, stage, expected, lead string
		probability := 0
		if p != nil {
			pipeline = p.Name
			st := p.Stage(d.StageID)
			if st != nil {
				stage = st.Name
			}
			probability = d.EffectiveProbability(st)
		}
		if !d.ExpectedClose.IsZero() {
			expected = d.ExpectedClose.Format(time.DateOnly)
		}
		if d.LeadID != 0 {
			lead = core.LeadRef(d.LeadID)
		}
		rec := append([]string{d.Ref(), d.Title}, contactCells(c)...)
		rec = append(rec, e.names.teams[d.TeamID], e.names.users[d.OwnerID], pipeline, stage, string(d.Status),
			d.Value.Major(), d.Value.Currency, d.LostReason, expected, csvTime(d.CreatedAt), csvTime(d.ClosedAt),
			strconv.Itoa(probability), lead)
		return e.item(func() any { return e.json.Deal(d, p, c) }, rec)
	})
	return e.finish(err, started, kindDeals)
}

// contacts writes the contacts within reach, oldest first: every contact
// for an admin, the team's for a manager of a team, and for anyone else
// the contacts of their leads (every capture makes a lead, and deals come
// from leads), each once, in the order of their first lead.
func (e *exporter) contacts(ctx context.Context) error {
	started := false
	write := func(c *core.Contact) error {
		if !started {
			if err := e.begin(exportColumns(kindContacts)); err != nil {
				return err
			}
			started = true
		}
		rec := append([]string{strconv.FormatInt(c.ID, 10)}, contactCells(c)...)
		rec = append(rec, e.names.teams[c.TeamID], c.Source, csvTime(c.CreatedAt))
		return e.item(func() any { return e.json.Contact(c) }, rec)
	}
	if e.actor.Role == core.RoleAdmin || (e.actor.Role == core.RoleManager && e.actor.TeamID != 0) {
		err := e.eachContact(ctx, write)
		return e.finish(err, started, kindContacts)
	}
	seen := map[int64]bool{}
	err := oldestFirst(e.listLeads(ctx), leadID, nil, func(l *core.Lead) error {
		if seen[l.ContactID] {
			return nil
		}
		seen[l.ContactID] = true
		c, err := e.svc.LeadContact(ctx, e.actor, l)
		if err != nil {
			return err
		}
		return write(c)
	})
	return e.finish(err, started, kindContacts)
}

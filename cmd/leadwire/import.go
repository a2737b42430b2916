package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"leadwire/core"
)

// ImportCmd imports contacts, leads or deals from a CSV file.
type ImportCmd struct {
	File   string `arg:"" help:"The CSV file: UTF-8 (a byte order mark is fine), ',' or ';' separated, the first line naming the columns." placeholder:"FILE.csv"`
	Kind   string `help:"What the rows are: contacts, leads or deals." enum:"contacts,leads,deals" required:"" placeholder:"contacts|leads|deals"`
	Map    string `help:"Map columns to fields where the header does not say, e.g. \"Full Name=name,Tel=phone\". Fields: name (or first_name and last_name), email, phone, handle, company, subject, message, source, team, external_id, created_at; deals add title, value, currency, pipeline, stage, status (open, won, lost), lost_reason, owner (a user's email), expected_close, closed_at. A field may also be ignore or metadata; other columns are kept as lead metadata." placeholder:"\"HEADER=FIELD,...\""`
	DryRun bool   `help:"Run the import and roll it back: report what it would do, row by row, and write nothing." name:"dry-run"`
	Team   string `help:"Team for rows without one (default: the owner's team for deals, your team for contacts, else the first team)."`
	Errors string `help:"Write the rows that failed to this CSV file, with the reason in an extra column, to fix and import again." placeholder:"FILE"`
	Locale string `help:"Read values as people of this locale write them, e.g. pl (12.345,50) or en (12,345.50) (default: yours); without one a lone . or , before three digits is refused as ambiguous."`
}

// importBatchSize is how many rows go into one transaction.
const importBatchSize = 500

// maxShownErrors is how many failed rows are printed.
const maxShownErrors = 20

// badRow is a row that was not imported.
type badRow struct {
	num    int
	line   int // set for a row that could not be split into columns
	record []string
	msgs   []string
}

// importTally counts what the rows became.
type importTally struct {
	read, blank, fresh, matched, already, failed, noted int
}

// importer runs one import.
type importer struct {
	a     *App
	svc   *core.Service
	cmd   *ImportCmd
	refs  *importRefs
	cols  *columnMap
	bom   bool // the input had a byte order mark, so the errors file gets one
	t     importTally
	bad   []badRow
	meter *progressMeter
	seen  map[string]bool // keys a dry run's earlier batches took: rolled back, core no longer knows them
	stop  error           // set when interrupted
	shown int
	noted int // notes printed
}

// Run imports the file.
func (c *ImportCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	if c.Locale != "" {
		if _, err := language.Parse(c.Locale); err != nil {
			return core.Errorf(core.KindInvalid, "--locale: unknown locale %q; use a BCP 47 tag such as th, fa, vi, pl, zh-Hans or en-GB", c.Locale)
		}
	}
	total, err := countRows(c.File)
	if err != nil {
		return fmt.Errorf("import %s: %w", c.File, err)
	}
	file, err := openCSV(c.File)
	if err != nil {
		return fmt.Errorf("import %s: %w", c.File, err)
	}
	defer file.Close()
	cols, err := mapColumns(c.Kind, file.header, file.delim, c.Map)
	if err != nil {
		return err
	}
	refs, err := loadImportRefs(a, svc, actor, c.Kind, "import:"+filepath.Base(c.File), c.Team, c.Locale)
	if err != nil {
		return err
	}
	im := &importer{a: a, svc: svc, cmd: c, refs: refs, cols: cols, bom: file.bom, seen: map[string]bool{}}
	im.notes()

	verb := "imported"
	if c.DryRun {
		verb = "checked"
	}
	meter := newProgressMeter(a.errOut, total, verb, "rows")
	im.meter = meter
	var batch []importRow
	for im.stop == nil {
		if err := a.ctx.Err(); err != nil {
			im.stop = err
			break
		}
		rec, err := file.next()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			im.t.read++
			im.fail(badRow{num: file.row, line: pe.StartLine,
				msgs: []string{fmt.Sprintf("cannot split the row into columns (line %d, column %d: %v); put quotes around a value that holds the separator or a quote, and write each quote inside it twice", pe.Line, pe.Column, pe.Err)}})
			continue
		}
		if err != nil {
			return fmt.Errorf("import %s: %w", c.File, err)
		}
		im.t.read++
		row, problems, blank := refs.prepare(file.row, rec, cols)
		switch {
		case blank:
			im.t.blank++
		case len(problems) > 0:
			im.fail(badRow{num: row.num, record: rec, msgs: problems})
		default:
			// A dry run goes through core as the import does, each batch
			// rolled back: it reports what the import would do.
			if batch = append(batch, row); len(batch) == importBatchSize {
				im.flush(batch)
				batch = batch[:0]
			}
		}
		meter.set(im.t.read - len(batch))
	}
	switch {
	case im.stop != nil:
		im.t.read -= len(batch) // read, never written: the next run imports them
	case len(batch) > 0:
		im.flush(batch)
	}
	meter.set(im.t.read)
	meter.done()
	return im.finish()
}

// notes tells which columns are not fields.
func (im *importer) notes() {
	w := im.a.errOut
	if meta := im.cols.metaHeaders(); len(meta) > 0 {
		where := "kept as lead metadata"
		if im.cmd.Kind == kindContacts {
			where = "noted on the contact's timeline"
		}
		fmt.Fprintf(w, "columns %s: %s\n", where, strings.Join(meta, ", "))
	}
	if len(im.cols.ignored) > 0 {
		fmt.Fprintf(w, "columns ignored (export shows them; --kind %s does not import them): %s\n", im.cmd.Kind, strings.Join(im.cols.ignored, ", "))
	}
}

// fail records a row that was not imported and prints the first ones.
func (im *importer) fail(b badRow) {
	im.t.failed++
	if im.shown < maxShownErrors {
		// One problem a line, under each other: the messages have
		// semicolons of their own.
		im.meter.clear()
		prefix := fmt.Sprintf("row %d: ", b.num)
		for i, m := range b.msgs {
			if i == 1 {
				prefix = strings.Repeat(" ", len(prefix))
			}
			fmt.Fprintf(im.a.errOut, "%s%s\n", prefix, m)
		}
		im.shown++
	}
	if im.cmd.Errors != "" {
		im.bad = append(im.bad, b)
	}
}

// note prints what core kept of a row otherwise than written (the first
// ones) and counts the row.
func (im *importer) note(num int, notes []string) {
	if len(notes) == 0 {
		return
	}
	im.t.noted++
	for _, n := range notes {
		if im.noted == maxShownErrors {
			break
		}
		im.meter.clear()
		fmt.Fprintf(im.a.errOut, "row %d: note: %s\n", num, n)
		im.noted++
	}
}

// flush writes a batch through core, one transaction for the lot (or one
// per row when the lot fails), and counts what each row became: new (a
// lead, contact or deal, by kind), matched, or imported before. A dry run
// has core do the same and roll it back.
func (im *importer) flush(rows []importRow) {
	ctx := im.a.ctx
	dry := im.cmd.DryRun
	if dry {
		// Each batch is rolled back before the next (one transaction
		// for the whole file would hold the database's write lock as
		// long as the check takes), so what an earlier batch wrote is
		// gone: a key it took is counted here as imported before, as
		// the import finds it. A contact it would have made is not
		// known to later batches, whose rows for it count as new rather
		// than matched; within a batch everything is as the import.
		rows = slices.DeleteFunc(slices.Clone(rows), func(r importRow) bool {
			if im.seen[r.deal.ExternalID] {
				im.t.already++
				return true
			}
			return false
		})
	}
	n := len(rows)
	errs := make([]error, n)
	dup, fresh := make([]bool, n), make([]bool, n)
	notes := make([][]string, n)
	inbounds := func() []core.Inbound {
		ins := make([]core.Inbound, n)
		for i := range rows {
			ins[i] = rows[i].deal.Inbound
		}
		return ins
	}
	switch im.cmd.Kind {
	case kindLeads:
		capture := im.svc.CaptureBatch
		if dry {
			capture = im.svc.CheckCaptureBatch
		}
		var res []core.CaptureResult
		res, errs = capture(ctx, inbounds())
		for i, r := range res {
			dup[i], fresh[i], notes[i] = r.Duplicate, r.NewLead, r.Notes
		}
	case kindContacts:
		imp := im.svc.ImportContacts
		if dry {
			imp = im.svc.CheckImportContacts
		}
		var res []core.ImportResult
		res, errs = imp(ctx, im.refs.actor, inbounds())
		for i, r := range res {
			dup[i], fresh[i], notes[i] = r.Duplicate, r.NewContact, r.Notes
		}
	case kindDeals:
		deals := make([]core.DealImport, n)
		for i := range rows {
			deals[i] = rows[i].deal
		}
		imp := im.svc.ImportDeals
		if dry {
			imp = im.svc.CheckImportDeals
		}
		var res []core.ImportResult
		res, errs = imp(ctx, im.refs.actor, deals)
		for i, r := range res {
			dup[i], fresh[i], notes[i] = r.Duplicate, true, r.Notes
		}
	}
	if ctx.Err() != nil {
		// Interrupted: the batch was rolled back as a whole; none of it
		// counts as failed, and the next run imports it.
		im.stop = ctx.Err()
		im.t.read -= n
		return
	}
	for i := range rows {
		switch {
		case errs[i] != nil:
			im.fail(badRow{num: rows[i].num, record: rows[i].record, msgs: []string{rowMessage(errs[i])}})
			continue
		case dup[i]:
			im.t.already++
		case fresh[i]:
			im.t.fresh++
		default:
			im.t.matched++
		}
		im.note(rows[i].num, notes[i])
		if dry && rows[i].deal.ExternalID != "" {
			im.seen[rows[i].deal.ExternalID] = true
		}
	}
}

// rowMessage is what a user reads about a row core refused.
func rowMessage(err error) string {
	if core.KindOf(err) != core.KindInternal {
		return core.Message(err)
	}
	return err.Error()
}

// finish writes the errors file, prints the summary and says what to do
// about failed rows.
func (im *importer) finish() error {
	c, t := im.cmd, im.t
	if t.failed > maxShownErrors {
		fmt.Fprintf(im.a.errOut, "… and %d more failed rows\n", t.failed-maxShownErrors)
	}
	if c.Errors != "" && t.failed > 0 {
		if err := im.writeErrors(); err != nil {
			return fmt.Errorf("write %s: %w", c.Errors, err)
		}
	}
	out := im.a.out
	name := filepath.Base(c.File)
	// A dry run says what the import would do in the import's words.
	if c.DryRun {
		fmt.Fprintf(out, "checked %s as %s: %d rows, nothing written; the import would give\n", name, c.Kind, t.read)
	} else {
		fmt.Fprintf(out, "imported %s as %s: %d rows\n", name, c.Kind, t.read)
	}
	switch c.Kind {
	case kindLeads:
		tallyLine(out, t.fresh, "new leads")
		if t.matched > 0 {
			tallyLine(out, t.matched, "added to the open lead or deal of a known contact")
		}
	case kindContacts:
		tallyLine(out, t.fresh, "new contacts")
		if t.matched > 0 {
			tallyLine(out, t.matched, "matched existing contacts (missing details filled in)")
		}
	case kindDeals:
		tallyLine(out, t.fresh, "new deals")
	}
	tallyLine(out, t.already, "already imported")
	tallyLine(out, t.failed, "failed")
	if t.blank > 0 {
		tallyLine(out, t.blank, "blank, skipped")
	}
	if t.noted > 0 {
		tallyLine(out, t.noted, "kept with a note (see the notes above)")
	}
	if c.Errors != "" && t.failed > 0 {
		fmt.Fprintf(out, "failed rows, with the reason, are in %s\n", c.Errors)
	}
	if im.stop != nil {
		return fmt.Errorf("import stopped after %d rows (%w); run the same command again to import the rest: rows already imported are skipped", t.read, im.stop)
	}
	if t.failed == 0 {
		return nil
	}
	switch {
	case c.DryRun:
		return core.Errorf(core.KindInvalid, "%d of %d rows would fail; fix them and check again", t.failed, t.read)
	case c.Errors != "":
		return core.Errorf(core.KindInvalid, "%d of %d rows failed and were not imported; fix them in %s and import that file (it is fine as it is, the %q column is skipped), or fix them in %s and run this again: rows already imported are skipped",
			t.failed, t.read, c.Errors, errorColumn, c.File)
	default:
		return core.Errorf(core.KindInvalid, "%d of %d rows failed and were not imported; fix them in %s and run this again: rows already imported are skipped (add --errors FILE to get the failed rows in a file of their own)",
			t.failed, t.read, c.File)
	}
}

func tallyLine(w io.Writer, n int, what string) {
	fmt.Fprintf(w, "  %6d %s\n", n, what)
}

// writeErrors writes the failed rows as they were, plus the reason, in the
// input's separator and encoding, so the file can be fixed and imported.
func (im *importer) writeErrors() error {
	lines := map[int]bool{}
	for _, b := range im.bad {
		if b.record == nil {
			lines[b.line] = true
		}
	}
	raw := map[int]string{}
	if len(lines) > 0 {
		var err error
		if raw, err = rawLines(im.cmd.File, lines); err != nil {
			return err
		}
	}
	slices.SortFunc(im.bad, func(x, y badRow) int { return x.num - y.num })
	f, err := os.Create(im.cmd.Errors)
	if err != nil {
		return err
	}
	if im.bom {
		f.Write(utf8BOM)
	}
	for i, b := range im.bad {
		if b.record == nil {
			im.bad[i].record = readCells(lenientSplit(raw[b.line], im.cols.delim))
		}
	}
	// A row with more columns than the header widens the file by columns
	// without a header, so the reasons stay in one column.
	width := len(im.cols.header)
	for _, b := range im.bad {
		width = max(width, len(b.record))
	}
	pad := func(rec []string) []string {
		return append(slices.Clone(rec), make([]string, width-len(rec))...)
	}
	w := newCellWriter(f, im.cols.delim)
	w.Write(append(pad(im.cols.header), errorColumn))
	for _, b := range im.bad {
		w.Write(append(pad(b.record), strings.Join(b.msgs, " | ")))
	}
	w.Flush()
	return errors.Join(w.Error(), f.Close())
}

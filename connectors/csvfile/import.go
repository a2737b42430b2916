package csvfile

import (
	"context"
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

// ImportOptions say how to read a file and what to do with its rows.
type ImportOptions struct {
	Kind   string // contacts, leads or deals
	Map    string // columns to fields where the header does not say: "Header=field,…"
	DryRun bool   // run the import and roll it back: report, write nothing
	Team   string // team for rows without one
	Errors string // write the rows that failed to this CSV file, with the reason
	Locale string // read values as people of this locale write them (default: the actor's)

	// Log gets the notes on columns and the first failed and noted rows,
	// one a line, as they come; nil discards them.
	Log io.Writer
	// Progress, when set, is told how many of total rows are done.
	Progress func(done, total int)
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

// Report counts what the rows of an import became.
type Report struct {
	Read    int // rows read; rows of a batch an interruption rolled back are not counted
	Blank   int // blank rows, skipped
	New     int // new leads, contacts or deals, by kind
	Matched int // leads: added to a known contact's open lead or deal; contacts: matched existing contacts
	Already int // imported before
	Failed  int // not imported
	Noted   int // kept with a note
	// Stopped is why the import stopped early (the context's error), or
	// nil; running it again imports the rest.
	Stopped error
}

// importer runs one import.
type importer struct {
	svc   *core.Service
	opts  ImportOptions
	path  string
	log   io.Writer
	refs  *importRefs
	cols  *columnMap
	bom   bool // the input had a byte order mark, so the errors file gets one
	t     Report
	bad   []badRow
	seen  map[string]bool // keys a dry run's earlier batches took: rolled back, core no longer knows them
	shown int
	noted int // notes printed
}

// Import imports the CSV file at path as actor: UTF-8 (a byte order mark
// is fine), ',' or ';' separated, the first line naming the columns. Rows
// go through core in batches, one transaction each; a row core refuses is
// reported and the rest go on. It returns what the rows became; an error
// means the file could not be imported at all.
//
// Who may: rows of leads come in as from outside (as a web form's do),
// whoever imports them; contacts go to the row's team, else the actor's;
// deals are checked by core (a rep imports own deals, a manager the team's,
// an admin anyone's). The command line imports as --as, else as the
// operator.
func Import(ctx context.Context, svc *core.Service, actor *core.User, path string, opts ImportOptions) (Report, error) {
	if err := checkKind(opts.Kind); err != nil {
		return Report{}, err
	}
	if opts.Locale != "" {
		if _, err := language.Parse(opts.Locale); err != nil {
			return Report{}, core.Errorf(core.KindInvalid, "--locale: unknown locale %q; use a BCP 47 tag such as th, fa, vi, pl, zh-Hans or en-GB", opts.Locale)
		}
	}
	total, err := countRows(path)
	if err != nil {
		return Report{}, fmt.Errorf("import %s: %w", path, err)
	}
	file, err := openCSV(path)
	if err != nil {
		return Report{}, fmt.Errorf("import %s: %w", path, err)
	}
	defer file.Close()
	cols, err := mapColumns(opts.Kind, file.header, file.delim, opts.Map)
	if err != nil {
		return Report{}, err
	}
	refs, err := loadImportRefs(ctx, svc, actor, opts.Kind, "import:"+filepath.Base(path), opts.Team, opts.Locale)
	if err != nil {
		return Report{}, err
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	im := &importer{svc: svc, opts: opts, path: path, log: log, refs: refs, cols: cols, bom: file.bom, seen: map[string]bool{}}
	im.notes()

	progress := func(done int) {
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	var batch []importRow
	for im.t.Stopped == nil {
		if err := ctx.Err(); err != nil {
			im.t.Stopped = err
			break
		}
		rec, err := file.next()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			im.t.Read++
			im.fail(badRow{num: file.row, line: pe.StartLine,
				msgs: []string{fmt.Sprintf("cannot split the row into columns (line %d, column %d: %v); put quotes around a value that holds the separator or a quote, and write each quote inside it twice", pe.Line, pe.Column, pe.Err)}})
			continue
		}
		if err != nil {
			return im.t, fmt.Errorf("import %s: %w", path, err)
		}
		im.t.Read++
		row, problems, blank := refs.prepare(file.row, rec, cols)
		switch {
		case blank:
			im.t.Blank++
		case len(problems) > 0:
			im.fail(badRow{num: row.num, record: rec, msgs: problems})
		default:
			// A dry run goes through core as the import does, each batch
			// rolled back: it reports what the import would do.
			if batch = append(batch, row); len(batch) == importBatchSize {
				im.flush(ctx, batch)
				batch = batch[:0]
			}
		}
		progress(im.t.Read - len(batch))
	}
	switch {
	case im.t.Stopped != nil:
		im.t.Read -= len(batch) // read, never written: the next run imports them
	case len(batch) > 0:
		im.flush(ctx, batch)
	}
	progress(im.t.Read)
	return im.t, im.finish()
}

// notes tells which columns are not fields.
func (im *importer) notes() {
	w := im.log
	if meta := im.cols.metaHeaders(); len(meta) > 0 {
		where := "kept as lead metadata"
		if im.opts.Kind == kindContacts {
			where = "noted on the contact's timeline"
		}
		fmt.Fprintf(w, "columns %s: %s\n", where, strings.Join(meta, ", "))
	}
	if len(im.cols.ignored) > 0 {
		fmt.Fprintf(w, "columns ignored (export shows them; --kind %s does not import them): %s\n", im.opts.Kind, strings.Join(im.cols.ignored, ", "))
	}
}

// fail records a row that was not imported and prints the first ones.
func (im *importer) fail(b badRow) {
	im.t.Failed++
	if im.shown < maxShownErrors {
		// One problem a line, under each other: the messages have
		// semicolons of their own.
		prefix := fmt.Sprintf("row %d: ", b.num)
		for i, m := range b.msgs {
			if i == 1 {
				prefix = strings.Repeat(" ", len(prefix))
			}
			fmt.Fprintf(im.log, "%s%s\n", prefix, m)
		}
		im.shown++
	}
	if im.opts.Errors != "" {
		im.bad = append(im.bad, b)
	}
}

// note prints what core kept of a row otherwise than written (the first
// ones) and counts the row.
func (im *importer) note(num int, notes []string) {
	if len(notes) == 0 {
		return
	}
	im.t.Noted++
	for _, n := range notes {
		if im.noted == maxShownErrors {
			break
		}
		fmt.Fprintf(im.log, "row %d: note: %s\n", num, n)
		im.noted++
	}
}

// flush writes a batch through core, one transaction for the lot (or one
// per row when the lot fails), and counts what each row became: new (a
// lead, contact or deal, by kind), matched, or imported before. A dry run
// has core do the same and roll it back.
func (im *importer) flush(ctx context.Context, rows []importRow) {
	dry := im.opts.DryRun
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
				im.t.Already++
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
	switch im.opts.Kind {
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
		im.t.Stopped = ctx.Err()
		im.t.Read -= n
		return
	}
	for i := range rows {
		switch {
		case errs[i] != nil:
			im.fail(badRow{num: rows[i].num, record: rows[i].record, msgs: []string{rowMessage(errs[i])}})
			continue
		case dup[i]:
			im.t.Already++
		case fresh[i]:
			im.t.New++
		default:
			im.t.Matched++
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

// finish writes the errors file and says how many failed rows were not
// shown.
func (im *importer) finish() error {
	if im.t.Failed > maxShownErrors {
		fmt.Fprintf(im.log, "… and %d more failed rows\n", im.t.Failed-maxShownErrors)
	}
	if im.opts.Errors != "" && im.t.Failed > 0 {
		if err := im.writeErrors(); err != nil {
			return fmt.Errorf("write %s: %w", im.opts.Errors, err)
		}
	}
	return nil
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
		if raw, err = rawLines(im.path, lines); err != nil {
			return err
		}
	}
	slices.SortFunc(im.bad, func(x, y badRow) int { return x.num - y.num })
	f, err := os.Create(im.opts.Errors)
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
	w.Write(append(pad(im.cols.header), ErrorColumn))
	for _, b := range im.bad {
		w.Write(append(pad(b.record), strings.Join(b.msgs, " | ")))
	}
	w.Flush()
	return errors.Join(w.Error(), f.Close())
}

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"leadwire/connectors/csvfile"
	"leadwire/core"
	"leadwire/internal/view"
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

// Run imports the file, showing progress and the rows that failed on
// stderr, and prints what the rows became.
func (c *ImportCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	verb := "imported"
	if c.DryRun {
		verb = "checked"
	}
	var meter *progressMeter
	rep, err := csvfile.Import(a.ctx, svc, actor, c.File, csvfile.ImportOptions{
		Kind: c.Kind, Map: c.Map, DryRun: c.DryRun, Team: c.Team, Errors: c.Errors, Locale: c.Locale,
		Log: meterLog{&meter, a.errOut},
		Progress: func(done, total int) {
			if meter == nil {
				meter = newProgressMeter(a.errOut, total, verb, "rows")
			}
			meter.set(done)
		},
	})
	if meter != nil {
		meter.done()
	}
	if err != nil {
		return err
	}
	c.summary(a.out, rep)
	return c.outcome(rep)
}

// meterLog writes lines to w with the progress bar out of their way.
type meterLog struct {
	meter **progressMeter
	w     io.Writer
}

func (l meterLog) Write(p []byte) (int, error) {
	(*l.meter).clear()
	return l.w.Write(p)
}

// summary prints what the rows became; a dry run says what the import
// would do in the import's words.
func (c *ImportCmd) summary(out io.Writer, t csvfile.Report) {
	name := filepath.Base(c.File)
	if c.DryRun {
		fmt.Fprintf(out, "checked %s as %s: %d rows, nothing written; the import would give\n", name, c.Kind, t.Read)
	} else {
		fmt.Fprintf(out, "imported %s as %s: %d rows\n", name, c.Kind, t.Read)
	}
	switch c.Kind {
	case "leads":
		tallyLine(out, t.New, "new leads")
		if t.Matched > 0 {
			tallyLine(out, t.Matched, "added to the open lead or deal of a known contact")
		}
	case "contacts":
		tallyLine(out, t.New, "new contacts")
		if t.Matched > 0 {
			tallyLine(out, t.Matched, "matched existing contacts (missing details filled in)")
		}
	case "deals":
		tallyLine(out, t.New, "new deals")
	}
	tallyLine(out, t.Already, "already imported")
	tallyLine(out, t.Failed, "failed")
	if t.Blank > 0 {
		tallyLine(out, t.Blank, "blank, skipped")
	}
	if t.Noted > 0 {
		tallyLine(out, t.Noted, "kept with a note (see the notes above)")
	}
	if c.Errors != "" && t.Failed > 0 {
		fmt.Fprintf(out, "failed rows, with the reason, are in %s\n", c.Errors)
	}
}

func tallyLine(w io.Writer, n int, what string) {
	fmt.Fprintf(w, "  %6d %s\n", n, what)
}

// outcome is the command's error: the import stopped, or rows failed, and
// what to do about it.
func (c *ImportCmd) outcome(t csvfile.Report) error {
	if t.Stopped != nil {
		return fmt.Errorf("import stopped after %d rows (%w); run the same command again to import the rest: rows already imported are skipped", t.Read, t.Stopped)
	}
	if t.Failed == 0 {
		return nil
	}
	switch {
	case c.DryRun:
		return core.Errorf(core.KindInvalid, "%d of %d rows would fail; fix them and check again", t.Failed, t.Read)
	case c.Errors != "":
		return core.Errorf(core.KindInvalid, "%d of %d rows failed and were not imported; fix them in %s and import that file (it is fine as it is, the %q column is skipped), or fix them in %s and run this again: rows already imported are skipped",
			t.Failed, t.Read, c.Errors, csvfile.ErrorColumn, c.File)
	default:
		return core.Errorf(core.KindInvalid, "%d of %d rows failed and were not imported; fix them in %s and run this again: rows already imported are skipped (add --errors FILE to get the failed rows in a file of their own)",
			t.Failed, t.Read, c.File)
	}
}

// ExportCmd writes contacts, leads or deals as CSV or JSON.
type ExportCmd struct {
	Kind   string `help:"What to export: contacts, leads or deals." enum:"contacts,leads,deals" required:"" placeholder:"contacts|leads|deals"`
	Format string `help:"csv (columns leadwire import reads back) or json (the shapes of --json)." enum:"csv,json" default:"csv"`
	Out    string `help:"Write to this file (replaced only once the export is complete) instead of standard output." placeholder:"FILE"`
	BOM    bool   `help:"Start a CSV with a UTF-8 byte order mark, so Excel reads names in any script right." name:"bom"`
}

// Run writes every record within the actor's reach, oldest first.
func (c *ExportCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	opts := csvfile.ExportOptions{Kind: c.Kind, BOM: c.BOM}
	if c.Format == "json" {
		n, err := a.names()
		if err != nil {
			return err
		}
		opts.JSON = jsonShapes(n)
	}
	return writeOut(a, c.Out, func(w io.Writer) error {
		return csvfile.Export(a.ctx, svc, actor, w, opts)
	})
}

// jsonShapes are the shapes of --json, each with its contact.
func jsonShapes(n view.Names) *csvfile.JSONShapes {
	return &csvfile.JSONShapes{
		Contact: func(c *core.Contact) any { return view.ContactOf(c) },
		Lead: func(l *core.Lead, c *core.Contact) any {
			v := view.LeadOf(l, n)
			cv := view.ContactOf(c)
			v.Contact = &cv
			return v
		},
		Deal: func(d *core.Deal, p *core.Pipeline, c *core.Contact) any {
			v := view.DealOf(d, p, n)
			cv := view.ContactOf(c)
			v.Contact = &cv
			return v
		},
	}
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

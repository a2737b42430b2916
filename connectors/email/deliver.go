package email

import (
	"context"
	"fmt"
	"time"

	"leadwire/core"
)

// deliver stores the outcome of each item in order, each with the
// checkpoint just past it in the same transaction, and returns the
// position reached. Leads that arrive back to back go to core together
// (CaptureBatch: one commit for the run, the last checkpoint winning); a
// skip or a failure first stores the run before it. A run is stored when
// it is full, or when no further item comes within c.linger, so that a
// lone new message is not held back for company while a backlog still
// goes in few commits.
func (c *Connector) deliver(ctx context.Context, folder string, from position, items <-chan item) (position, error) {
	pos, end := from, from
	var run []core.Inbound
	flush := func() error {
		if len(run) == 0 {
			return nil
		}
		err := c.captureRun(ctx, folder, run, c.checkpoint(folder, pos))
		if err == nil {
			pos = end
		}
		run = run[:0]
		return err
	}
	linger := time.NewTimer(time.Hour)
	linger.Stop()
	for {
		var it item
		var ok bool
		select {
		case it, ok = <-items:
		default:
			if len(run) > 0 {
				linger.Reset(c.linger)
				select {
				case it, ok = <-items:
				case <-linger.C:
					if err := flush(); err != nil {
						return pos, err
					}
					it, ok = <-items
				}
			} else {
				it, ok = <-items
			}
		}
		if !ok {
			return pos, flush()
		}
		p := position{validity: from.validity, uid: it.uid}
		switch {
		case it.in != nil:
			run = append(run, *it.in)
			end = p
			if len(run) >= c.maxBatch {
				if err := flush(); err != nil {
					return pos, err
				}
			}
			continue
		case it.skip != "":
			if err := flush(); err != nil {
				return pos, err
			}
			if err := c.svc.Connectors.Skip(ctx, c.name, it.skip, &it.cp); err != nil {
				return pos, err
			}
		case it.fail != nil:
			if err := flush(); err != nil {
				return pos, err
			}
			c.log.Warn("message kept as failed", "folder", folder, "uid", it.uid, "err", it.fail.Error, "size", len(it.fail.Raw))
			if err := c.svc.Connectors.Fail(ctx, *it.fail, &it.cp); err != nil {
				return pos, err
			}
		}
		pos = p
	}
}

// captureRun captures a run of leads, each carrying its checkpoint. prev
// is the checkpoint before the run.
func (c *Connector) captureRun(ctx context.Context, folder string, run []core.Inbound, prev core.Checkpoint) error {
	var res []core.CaptureResult
	var errs []error
	if c.maxBatch <= 1 {
		// One commit a message (runs are then one long): kept to measure
		// the batches against.
		res, errs = make([]core.CaptureResult, len(run)), make([]error, len(run))
		for i, in := range run {
			res[i], errs[i] = c.svc.Capture(ctx, in)
		}
	} else {
		res, errs = c.svc.CaptureBatch(ctx, run)
	}
	var leads, acts, dups int
	for i, r := range res {
		switch {
		case errs[i] != nil:
		case r.Duplicate:
			dups++
		case r.NewLead:
			leads++
		default:
			acts++
		}
	}
	if leads+acts+dups > 0 {
		c.log.Info("mail captured", "folder", folder, "leads", leads, "activities", acts, "duplicates", dups)
	}
	return c.settle(ctx, run, errs, prev)
}

// settle deals with the inbounds of a run that core did not store. One it
// refused is kept as a failed inbound and passed. One that failed for
// another reason (the database) ends the sync, to be fetched again; since
// core may have stored inbounds after it, with their checkpoints, the
// checkpoint is first put back just before it.
func (c *Connector) settle(ctx context.Context, run []core.Inbound, errs []error, prev core.Checkpoint) error {
	stop := len(run) // the first inbound to fetch again
	for i, err := range errs {
		if err != nil && !refused(ctx, err) {
			stop = i
			break
		}
	}
	if stop < len(run) {
		for _, err := range errs[stop+1:] {
			if err == nil {
				before := prev
				if stop > 0 {
					before = *run[stop-1].Checkpoint
				}
				if cerr := c.svc.Connectors.Checkpoint(ctx, before); cerr != nil {
					return fmt.Errorf("%w (and put back the checkpoint: %v)", errs[stop], cerr)
				}
				break
			}
		}
	}
	// The checkpoint stands after the last stored inbound before stop; a
	// failure after that moves it on, never back.
	lastOK := -1
	for i := range stop {
		if errs[i] == nil {
			lastOK = i
		}
	}
	for i := range stop {
		if errs[i] == nil {
			continue
		}
		in := run[i]
		cp := in.Checkpoint
		if lastOK > i {
			cp = run[lastOK].Checkpoint
		}
		c.log.Warn("message refused by core; kept as failed", "message_id", in.ExternalID, "err", errs[i])
		f := core.FailedInbound{Connector: c.name, ExternalID: in.ExternalID, Error: errs[i].Error(), Raw: in.Raw}
		if err := c.svc.Connectors.Fail(ctx, f, cp); err != nil {
			return err
		}
	}
	if stop < len(run) {
		return errs[stop]
	}
	return nil
}

// refused reports whether core refused an inbound for what it is (invalid,
// or routed to a team that does not exist), so that fetching it again
// cannot help; anything else (the database, a conflict with a concurrent
// capture of the same message) is worth another try.
func refused(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	switch core.KindOf(err) {
	case core.KindInvalid, core.KindNotFound, core.KindForbidden:
		return true
	}
	return false
}

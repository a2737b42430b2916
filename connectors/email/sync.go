package email

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"

	"leadwire/core"
)

// position is where a folder's sync stands: its UIDVALIDITY and the last
// UID whose outcome is stored. It is saved as a core.Checkpoint valued
// "uidvalidity:uid".
type position struct {
	validity uint32
	uid      imap.UID
}

func (p position) String() string { return fmt.Sprintf("%d:%d", p.validity, p.uid) }

// parsePosition reads a saved checkpoint; ok is false for none (or one
// that does not parse, which is treated as none).
func parsePosition(s string) (p position, ok bool) {
	v, u, found := strings.Cut(s, ":")
	validity, err1 := strconv.ParseUint(v, 10, 32)
	uid, err2 := strconv.ParseUint(u, 10, 32)
	if !found || err1 != nil || err2 != nil {
		return position{}, false
	}
	return position{validity: uint32(validity), uid: imap.UID(uid)}, true
}

func (c *Connector) checkpoint(folder string, p position) core.Checkpoint {
	return core.Checkpoint{Connector: c.name, Key: folder, Value: p.String()}
}

// meta is what the listing tells of a message before it is fetched.
type meta struct {
	uid  imap.UID
	size int64
	date time.Time // INTERNALDATE
}

// sync brings one folder up to date. With a checkpoint of the folder's
// current UIDVALIDITY it fetches the UIDs after it; without one, or when
// UIDVALIDITY has changed (the UIDs it names are void), it takes the
// messages received within Since, relying on Message-ID idempotency to
// make those already captured no-ops.
func (s *session) sync(ctx context.Context, folder string) error {
	c := s.c
	sel, err := s.selectFolder(folder)
	if err != nil {
		return err
	}
	saved, err := c.svc.Connectors.LoadCheckpoint(ctx, c.name, folder)
	if err != nil {
		return err
	}
	pos, resume := parsePosition(saved)
	resume = resume && pos.validity == sel.UIDValidity
	var metas []meta
	if resume {
		metas, err = s.list(imap.UIDSet{{Start: pos.uid + 1, Stop: 0}}, time.Time{})
		// "n:*" always matches the last message, even below n.
		metas = slices.DeleteFunc(metas, func(m meta) bool { return m.uid <= pos.uid })
	} else {
		if saved != "" {
			c.log.Warn("folder UIDVALIDITY changed: re-syncing the since window; messages already captured are skipped by Message-ID",
				"folder", folder, "was", pos.validity, "now", sel.UIDValidity, "since", c.mb.Since)
		}
		metas, err = s.listSince(c.svc.Clock().Now().Add(-c.mb.Since))
		pos = position{validity: sel.UIDValidity}
	}
	if err != nil {
		return err
	}
	if len(metas) > 0 {
		c.log.Debug("new messages", "folder", folder, "count", len(metas), "first_sync", !resume)
		if pos, err = s.ingest(ctx, folder, pos, metas); err != nil {
			return err
		}
	}
	if !resume && sel.UIDNext > 0 && sel.UIDNext-1 > pos.uid {
		// A first sync starts from where the folder stands, past the
		// messages older than Since.
		pos.uid = sel.UIDNext - 1
	} else if len(metas) > 0 {
		return nil
	}
	// Nothing new, or a new starting point: record the sync.
	return c.svc.Connectors.Checkpoint(ctx, c.checkpoint(folder, pos))
}

// list fetches the UID, size and INTERNALDATE of the messages in set,
// in UID order, leaving out those received before since.
func (s *session) list(set imap.UIDSet, since time.Time) ([]meta, error) {
	g := s.guard()
	defer g.Stop()
	cmd := s.cl.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true, InternalDate: true})
	defer cmd.Close()
	var out []meta
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		g.Reset(s.c.ioTimeout)
		buf, err := msg.Collect()
		if err != nil {
			return nil, s.fail("list messages", err)
		}
		if buf.UID == 0 || (!since.IsZero() && buf.InternalDate.Before(since)) {
			continue
		}
		out = append(out, meta{uid: buf.UID, size: buf.RFC822Size, date: buf.InternalDate})
	}
	if err := cmd.Close(); err != nil {
		return nil, s.fail("list messages", err)
	}
	slices.SortFunc(out, func(a, b meta) int { return cmp.Compare(a.uid, b.uid) })
	return out, nil
}

// listSince lists the messages received since a time: the server's SEARCH
// narrows by day, INTERNALDATE then to the second.
func (s *session) listSince(since time.Time) ([]meta, error) {
	g := s.guard()
	data, err := s.cl.UIDSearch(&imap.SearchCriteria{Since: since}, nil).Wait()
	g.Stop()
	if err != nil {
		return nil, s.fail("search", err)
	}
	uids := data.AllUIDs()
	if len(uids) == 0 {
		return nil, nil
	}
	// From the first match on rather than the matches themselves: a
	// sparse set could make a command line longer than servers accept.
	return s.list(imap.UIDSet{{Start: slices.Min(uids), Stop: 0}}, since)
}

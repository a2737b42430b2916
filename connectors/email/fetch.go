package email

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"leadwire/core"
)

// maxKeptRaw bounds the raw bytes kept of a failed inbound.
const maxKeptRaw = 1 << 20

// item is one fetched message, ready for its outcome: a lead (or an
// activity) to capture, a skip, or a failure to keep.
type item struct {
	uid  imap.UID
	cp   core.Checkpoint // just past this message
	in   *core.Inbound
	skip string // reason
	fail *core.FailedInbound
}

// ingest fetches the listed messages and stores each one's outcome, in
// UID order. Fetching runs on one goroutine, parsing on as many as there
// are cores, storing on this one, so the network, the parsers and the
// database work at the same time. It returns the position reached.
func (s *session) ingest(ctx context.Context, folder string, from position, metas []meta) (position, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Each message's item comes on a channel of its own, queued in UID
	// order as fetched and filled when parsed; the forwarder hands them
	// on in that order.
	queue := make(chan chan item, 2*s.c.maxBatch)
	items := make(chan item, 2*s.c.maxBatch)
	fetched := make(chan error, 1)
	go func() {
		defer close(queue)
		fetched <- s.fetch(ctx, folder, from.validity, metas, queue)
	}()
	go func() {
		defer close(items)
		for parsed := range queue {
			items <- <-parsed
		}
	}()
	pos, err := s.c.deliver(ctx, folder, from, items)
	if err != nil {
		cancel()
		for range items {
			// let the fetch finish
		}
	}
	if ferr := <-fetched; err == nil {
		err = ferr
	}
	return pos, err
}

// fetch streams the listed messages onto out, in UID order, bodies in
// chunks of c.chunk UIDs. A message over MaxSize is fetched only in part
// and becomes a failure.
func (s *session) fetch(ctx context.Context, folder string, validity uint32, metas []meta, out chan<- chan item) error {
	c := s.c
	for i := 0; i < len(metas); {
		if metas[i].size > c.mb.MaxSize {
			if err := s.fetchChunk(ctx, folder, validity, metas[i:i+1], maxKeptRaw, out); err != nil {
				return err
			}
			i++
			continue
		}
		j := i
		for j < len(metas) && j-i < c.chunk && metas[j].size <= c.mb.MaxSize {
			j++
		}
		if err := s.fetchChunk(ctx, folder, validity, metas[i:j], 0, out); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// fetchChunk fetches some messages' bodies with BODY.PEEK[] (which leaves
// \Seen alone) and sends their items. partial > 0 fetches only the first
// partial bytes of each.
func (s *session) fetchChunk(ctx context.Context, folder string, validity uint32, metas []meta, partial int64, out chan<- chan item) error {
	var set imap.UIDSet
	dates := make(map[imap.UID]meta, len(metas))
	for _, m := range metas {
		set.AddNum(m.uid)
		dates[m.uid] = m
	}
	section := &imap.FetchItemBodySection{Peek: true}
	if partial > 0 {
		section.Partial = &imap.SectionPartial{Offset: 0, Size: partial}
	}
	g := s.guard()
	defer g.Stop()
	cmd := s.cl.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}})
	defer cmd.Close()
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		g.Reset(s.c.ioTimeout)
		uid, raw, err := readMessage(msg, s.c.mb.MaxSize)
		if err != nil {
			return s.fail("fetch "+folder, err)
		}
		m, ok := dates[uid]
		if !ok {
			continue // not one of ours (an unsolicited FETCH)
		}
		parsed := make(chan item, 1)
		select {
		case out <- parsed:
		case <-ctx.Done():
			return ctx.Err()
		}
		parsers <- struct{}{}
		go func() {
			defer func() { <-parsers }()
			parsed <- s.c.prepare(folder, position{validity: validity, uid: uid}, m, raw)
		}()
	}
	if err := cmd.Close(); err != nil {
		return s.fail("fetch "+folder, err)
	}
	return nil
}

// parsers bounds the messages parsed at once to the cores.
var parsers = make(chan struct{}, runtime.GOMAXPROCS(0))

// readMessage reads a fetched message's UID and body, at most limit bytes.
func readMessage(msg *imapclient.FetchMessageData, limit int64) (imap.UID, []byte, error) {
	var uid imap.UID
	var raw []byte
	for it := msg.Next(); it != nil; it = msg.Next() {
		switch it := it.(type) {
		case imapclient.FetchItemDataUID:
			uid = it.UID
		case imapclient.FetchItemDataBodySection:
			if it.Literal == nil {
				continue
			}
			raw = make([]byte, min(it.Literal.Size(), limit))
			if _, err := io.ReadFull(it.Literal, raw); err != nil {
				return 0, nil, err
			}
		}
	}
	return uid, raw, nil
}

// prepare parses and classifies a fetched message into its item.
func (c *Connector) prepare(folder string, p position, m meta, raw []byte) item {
	it := item{uid: p.uid, cp: c.checkpoint(folder, p)}
	ref := fmt.Sprintf("%s;UIDVALIDITY=%d/;UID=%d", folder, p.validity, p.uid)
	failed := func(ext, msg string) item {
		if len(raw) > maxKeptRaw {
			raw = raw[:maxKeptRaw]
		}
		it.fail = &core.FailedInbound{Connector: c.name, ExternalID: ext, Error: msg, Raw: raw}
		return it
	}
	if m.size > c.mb.MaxSize {
		return failed(ref, fmt.Sprintf("message of %d bytes is over the %d-byte limit; its first %d bytes are kept", m.size, c.mb.MaxSize, len(raw)))
	}
	msg, err := Parse(raw, ParseOptions{})
	if err != nil {
		return failed(ref, err.Error())
	}
	if msg.Date.IsZero() {
		msg.Date = m.date.UTC()
	}
	v := Classify(msg, ClassifyOptions{InternalDomains: c.mb.InternalDomains})
	if v.Kind == Skip {
		c.log.Debug("message skipped", "folder", folder, "uid", p.uid, "reason", v.Reason, "detail", v.Detail)
		it.skip = v.Reason
		return it
	}
	in := ToInbound(msg, v, c.mb.Name, c.mb.Team)
	if _, err := core.NormalizeEmail(in.Email); err != nil {
		// Core would refuse it: kept here, it never enters a run.
		return failed(msg.MessageID, err.Error())
	}
	cp := it.cp
	in.Checkpoint = &cp
	it.in = &in
	return it
}

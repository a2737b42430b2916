package api

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"leadwire/core"
	"leadwire/internal/view"
)

const (
	defaultLimit = 50
	maxLimit     = 200
)

// params returns the query, refusing parameters the route does not know
// (a misspelt filter would otherwise list everything).
func (c *call) params(known ...string) (map[string]string, error) {
	q := c.r.URL.Query()
	out := map[string]string{}
	for k, v := range q {
		if !slices.Contains(known, k) {
			return nil, core.Errorf(core.KindInvalid, "unknown parameter %q; use %s", k, strings.Join(known, ", "))
		}
		out[k] = strings.TrimSpace(v[len(v)-1])
	}
	return out, nil
}

// limit reads ?limit=, 1 to 200 (50 when absent).
func limit(p map[string]string) (int, error) {
	s := p["limit"]
	if s == "" {
		return defaultLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxLimit {
		return 0, core.Errorf(core.KindInvalid, "limit %q is not a number from 1 to %d", s, maxLimit)
	}
	return n, nil
}

// cursor reads ?cursor=, the id to go on after (0: the start).
func cursor(p map[string]string) (int64, error) {
	s := p["cursor"]
	if s == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	id, err2 := strconv.ParseInt(strings.TrimPrefix(string(b), "id:"), 10, 64)
	if err != nil || err2 != nil || id <= 0 || !strings.HasPrefix(string(b), "id:") {
		return 0, core.Errorf(core.KindInvalid, "cursor %q is not one this API gave; pass next_cursor as it came", s)
	}
	return id, nil
}

// position reads a ?cursor= of a list ordered by a time and an id (nil:
// the start).
func position(p map[string]string) (*core.Position, error) {
	s := p["cursor"]
	if s == "" {
		return nil, nil
	}
	bad := core.Errorf(core.KindInvalid, "cursor %q is not one this API gave; pass next_cursor as it came", s)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	at, id, ok := strings.Cut(strings.TrimPrefix(string(b), "at:"), ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 || !strings.HasPrefix(string(b), "at:") {
		return nil, bad
	}
	pos := &core.Position{ID: n}
	if at != "-" {
		us, err := strconv.ParseInt(at, 10, 64)
		if err != nil {
			return nil, bad
		}
		pos.At = time.UnixMicro(us).UTC()
	}
	return pos, nil
}

// nextPosition is the cursor after (at, id) when the page was full, else
// nil; a zero at is a record without a time.
func nextPosition(n, limit int, at time.Time, id int64) *string {
	if n < limit {
		return nil
	}
	t := "-"
	if !at.IsZero() {
		t = strconv.FormatInt(at.UnixMicro(), 10)
	}
	s := base64.RawURLEncoding.EncodeToString([]byte("at:" + t + ":" + strconv.FormatInt(id, 10)))
	return &s
}

// pageByID is the page of a short list held whole (users, pipelines):
// the items after the cursor's id, in id order.
func pageByID[T any](p map[string]string, items []T, id func(T) int64) ([]T, *string, error) {
	lim, err := limit(p)
	if err != nil {
		return nil, nil, err
	}
	after, err := cursor(p)
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(items, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	out := make([]T, 0, lim)
	for _, it := range items {
		if id(it) > after && len(out) < lim {
			out = append(out, it)
		}
	}
	var next *string
	if len(out) == lim && id(out[lim-1]) < id(items[len(items)-1]) {
		s := base64.RawURLEncoding.EncodeToString([]byte("id:" + strconv.FormatInt(id(out[lim-1]), 10)))
		next = &s
	}
	return out, next, nil
}

// nextCursor is the cursor after id when the page was full, else nil.
func nextCursor(n, limit int, id int64) *string {
	if n < limit {
		return nil
	}
	s := base64.RawURLEncoding.EncodeToString([]byte("id:" + strconv.FormatInt(id, 10)))
	return &s
}

func since(p map[string]string) (time.Time, error) {
	s := p["updated_since"]
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, core.Errorf(core.KindInvalid, "updated_since %q is not an RFC 3339 time such as 2026-11-02T09:00:00Z", s)
	}
	return t, nil
}

func (h *Handler) owner(c *call, email string) (int64, error) {
	if email == "" {
		return 0, nil
	}
	u, err := h.svc.Directory.UserByEmail(c.r.Context(), email)
	if core.IsNotFound(err) {
		return 0, core.Errorf(core.KindInvalid, "no user %q; owner is a user's email", email)
	}
	if err != nil {
		return 0, err
	}
	return u.ID, nil
}

func (h *Handler) team(c *call, name string) (int64, error) {
	if name == "" {
		return 0, nil
	}
	t, err := h.svc.Directory.TeamByName(c.r.Context(), name)
	if core.IsNotFound(err) {
		return 0, core.Errorf(core.KindInvalid, "no team %q", name)
	}
	if err != nil {
		return 0, err
	}
	return t.ID, nil
}

func statuses[S ~string](s string, valid ...S) ([]S, error) {
	if s == "" {
		return nil, nil
	}
	var out []S
	for f := range strings.SplitSeq(s, ",") {
		v := S(strings.ToLower(strings.TrimSpace(f)))
		if !slices.Contains(valid, v) {
			names := make([]string, len(valid))
			for i, x := range valid {
				names[i] = string(x)
			}
			return nil, core.Errorf(core.KindInvalid, "unknown status %q; use %s", f, strings.Join(names, ", "))
		}
		out = append(out, v)
	}
	return out, nil
}

// refID reads the {id} of a route: L123 (or 123) for a lead.
func refID(c *call, kind byte) (int64, error) {
	s := c.r.PathValue("id")
	if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	if kind == 0 {
		return 0, core.Errorf(core.KindNotFound, "no record %q; ids are numbers", s)
	}
	id, err := core.ParseRefOf(s, kind)
	if err != nil {
		return 0, core.Errorf(core.KindNotFound, "%s", core.Message(err))
	}
	return id, nil
}

// etag is the strong validator of a record's JSON.
func etag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// record writes one record with its ETag.
func (c *call) record(status int, v any) error {
	c.w.Header().Set("ETag", etag(encode(v)))
	return c.reply(status, v)
}

func (h *Handler) listLeads(c *call) error {
	p, err := c.params("status", "owner", "team", "source", "updated_since", "limit", "cursor")
	if err != nil {
		return err
	}
	f := core.LeadFilter{}
	if f.Limit, err = limit(p); err != nil {
		return err
	}
	if f.AfterID, err = cursor(p); err != nil {
		return err
	}
	if f.UpdatedSince, err = since(p); err != nil {
		return err
	}
	if f.Statuses, err = statuses(p["status"], core.LeadNew, core.LeadClaimed, core.LeadQualified, core.LeadDisqualified); err != nil {
		return err
	}
	if f.OwnerID, err = h.owner(c, p["owner"]); err != nil {
		return err
	}
	if f.TeamID, err = h.team(c, p["team"]); err != nil {
		return err
	}
	f.Source = p["source"]
	leads, err := h.svc.Leads(c.r.Context(), c.actor, f)
	if err != nil {
		return err
	}
	n, err := c.view(h.svc)
	if err != nil {
		return err
	}
	out := make([]view.Lead, len(leads))
	for i := range leads {
		out[i] = view.LeadOf(&leads[i], n)
	}
	var last int64
	if len(leads) > 0 {
		last = leads[len(leads)-1].ID
	}
	return c.reply(http.StatusOK, page{out, nextCursor(len(leads), f.Limit, last)})
}

// leadRecord is a lead as GET /leads/{id} and leads show --json write it.
type leadRecord struct {
	view.Lead
	Timeline []view.Activity `json:"timeline"`
}

func (r leadRecord) ref() string { return r.ID }

func (h *Handler) leadRecord(c *call, id int64) (*core.Lead, leadRecord, error) {
	ctx := c.r.Context()
	l, err := h.svc.Lead(ctx, c.actor, id)
	if err != nil {
		return nil, leadRecord{}, err
	}
	contact, err := h.svc.LeadContact(ctx, c.actor, l)
	if err != nil {
		return nil, leadRecord{}, err
	}
	timeline, err := h.svc.Timeline(ctx, c.actor, core.Ref{Kind: 'L', ID: id}, 50)
	if err != nil {
		return nil, leadRecord{}, err
	}
	n, err := c.view(h.svc)
	if err != nil {
		return nil, leadRecord{}, err
	}
	v := view.LeadOf(l, n)
	cv := view.ContactOf(contact)
	v.Contact = &cv
	return l, leadRecord{v, view.Activities(timeline, n)}, nil
}

func (h *Handler) getLead(c *call) error { return getRecord(c, 'L', h.leadRecord) }

// getRecord answers the GET of one record of kind ('L', 'D'), named by
// the ref in the path, as load gives it.
func getRecord[M, R any](c *call, kind byte, load func(*call, int64) (M, R, error)) error {
	if _, err := c.params(); err != nil {
		return err
	}
	id, err := refID(c, kind)
	if err != nil {
		return err
	}
	_, rec, err := load(c, id)
	if err != nil {
		return err
	}
	return c.record(http.StatusOK, rec)
}

func (h *Handler) listDeals(c *call) error {
	p, err := c.params("status", "owner", "team", "pipeline", "stage", "source", "updated_since", "limit", "cursor")
	if err != nil {
		return err
	}
	ctx := c.r.Context()
	f := core.DealFilter{Source: p["source"]}
	if f.Limit, err = limit(p); err != nil {
		return err
	}
	if f.AfterID, err = cursor(p); err != nil {
		return err
	}
	if f.UpdatedSince, err = since(p); err != nil {
		return err
	}
	if f.Statuses, err = statuses(p["status"], core.DealOpen, core.DealWon, core.DealLost); err != nil {
		return err
	}
	if f.OwnerID, err = h.owner(c, p["owner"]); err != nil {
		return err
	}
	if f.TeamID, err = h.team(c, p["team"]); err != nil {
		return err
	}
	if p["pipeline"] != "" || p["stage"] != "" {
		var pl *core.Pipeline
		if p["pipeline"] != "" {
			pl, err = h.svc.Directory.PipelineByName(ctx, p["pipeline"])
		} else {
			pl, err = h.svc.Directory.DefaultPipeline(ctx)
		}
		if core.IsNotFound(err) {
			return core.Errorf(core.KindInvalid, "%s", core.Message(err))
		}
		if err != nil {
			return err
		}
		if p["pipeline"] != "" {
			f.PipelineID = pl.ID
		}
		if p["stage"] != "" {
			st, err := core.MatchStage(pl, p["stage"])
			if err != nil {
				return err
			}
			f.StageID = st.ID
		}
	}
	deals, err := h.svc.Deals(ctx, c.actor, f)
	if err != nil {
		return err
	}
	n, err := c.view(h.svc)
	if err != nil {
		return err
	}
	pipes, err := h.pipelines(c)
	if err != nil {
		return err
	}
	out := make([]view.Deal, len(deals))
	for i := range deals {
		out[i] = view.DealOf(&deals[i], pipes[deals[i].PipelineID], n)
	}
	var last int64
	if len(deals) > 0 {
		last = deals[len(deals)-1].ID
	}
	return c.reply(http.StatusOK, page{out, nextCursor(len(deals), f.Limit, last)})
}

func (h *Handler) pipelines(c *call) (map[int64]*core.Pipeline, error) {
	n, err := c.directory(h.svc)
	if err != nil {
		return nil, err
	}
	return n.Pipelines, nil
}

// dealRecord is a deal as GET /deals/{id} and deals show --json write it.
type dealRecord struct {
	view.Deal
	Timeline []view.Activity `json:"timeline"`
}

func (r dealRecord) ref() string { return r.ID }

func (h *Handler) dealRecord(c *call, id int64) (*core.Deal, dealRecord, error) {
	ctx := c.r.Context()
	d, err := h.svc.Deal(ctx, c.actor, id)
	if err != nil {
		return nil, dealRecord{}, err
	}
	pipes, err := h.pipelines(c)
	if err != nil {
		return nil, dealRecord{}, err
	}
	p := pipes[d.PipelineID]
	if p == nil {
		return nil, dealRecord{}, fmt.Errorf("deal %s: no pipeline %d", d.Ref(), d.PipelineID)
	}
	contact, err := h.svc.DealContact(ctx, c.actor, d)
	if err != nil {
		return nil, dealRecord{}, err
	}
	hist, err := h.svc.StageHistory(ctx, c.actor, d.ID)
	if err != nil {
		return nil, dealRecord{}, err
	}
	timeline, err := h.svc.Timeline(ctx, c.actor, core.Ref{Kind: 'D', ID: id}, 50)
	if err != nil {
		return nil, dealRecord{}, err
	}
	n, err := c.view(h.svc)
	if err != nil {
		return nil, dealRecord{}, err
	}
	v := view.DealOf(d, p, n)
	for _, st := range hist {
		v.History = append(v.History, view.History{From: stageName(p, st.FromStage), To: stageName(p, st.ToStage), At: view.Time(st.At), By: n.Users[st.ByUserID]})
	}
	cv := view.ContactOf(contact)
	v.Contact = &cv
	return d, dealRecord{v, view.Activities(timeline, n)}, nil
}

func stageName(p *core.Pipeline, id int64) string {
	if s := p.Stage(id); s != nil {
		return s.Name
	}
	return ""
}

func (h *Handler) getDeal(c *call) error { return getRecord(c, 'D', h.dealRecord) }

func (h *Handler) listContacts(c *call) error {
	p, err := c.params("limit", "cursor")
	if err != nil {
		return err
	}
	f := core.ContactFilter{}
	if f.Limit, err = limit(p); err != nil {
		return err
	}
	if f.AfterID, err = cursor(p); err != nil {
		return err
	}
	contacts, err := h.svc.Contacts(c.r.Context(), c.actor, f)
	if err != nil {
		return err
	}
	out := make([]view.Contact, len(contacts))
	for i := range contacts {
		out[i] = view.ContactOf(&contacts[i])
	}
	var last int64
	if len(contacts) > 0 {
		last = contacts[len(contacts)-1].ID
	}
	return c.reply(http.StatusOK, page{out, nextCursor(len(contacts), f.Limit, last)})
}

func (h *Handler) getContact(c *call) error {
	if _, err := c.params(); err != nil {
		return err
	}
	id, err := refID(c, 0)
	if err != nil {
		return err
	}
	contact, err := h.svc.Contact(c.r.Context(), c.actor, id)
	if err != nil {
		return err
	}
	return c.record(http.StatusOK, view.ContactOf(contact))
}

func (h *Handler) listTasks(c *call) error {
	p, err := c.params("owner", "lead", "deal", "open", "limit", "cursor")
	if err != nil {
		return err
	}
	f := core.TaskFilter{OpenOnly: p["open"] == "true"}
	if f.Limit, err = limit(p); err != nil {
		return err
	}
	if f.After, err = position(p); err != nil {
		return err
	}
	if f.OwnerID, err = h.owner(c, p["owner"]); err != nil {
		return err
	}
	if s := p["lead"]; s != "" {
		if f.LeadID, err = core.ParseRefOf(s, 'L'); err != nil {
			return err
		}
	}
	if s := p["deal"]; s != "" {
		if f.DealID, err = core.ParseRefOf(s, 'D'); err != nil {
			return err
		}
	}
	tasks, err := h.svc.Tasks(c.r.Context(), c.actor, f)
	if err != nil {
		return err
	}
	n, err := c.view(h.svc)
	if err != nil {
		return err
	}
	out := make([]view.Task, len(tasks))
	for i := range tasks {
		out[i] = view.TaskOf(&tasks[i], n)
	}
	var next *string
	if len(tasks) > 0 {
		last := tasks[len(tasks)-1]
		next = nextPosition(len(tasks), f.Limit, last.Due(), last.ID)
	}
	return c.reply(http.StatusOK, page{out, next})
}

func (h *Handler) getTask(c *call) error {
	if _, err := c.params(); err != nil {
		return err
	}
	id, err := refID(c, 'T')
	if err != nil {
		return err
	}
	t, err := h.svc.Task(c.r.Context(), c.actor, id)
	if err != nil {
		return err
	}
	n, err := c.view(h.svc)
	if err != nil {
		return err
	}
	return c.record(http.StatusOK, view.TaskOf(t, n))
}

// listActivities is a record's timeline, newest first: ?lead=L1 or
// ?deal=D45.
func (h *Handler) listActivities(c *call) error {
	p, err := c.params("lead", "deal", "limit", "cursor")
	if err != nil {
		return err
	}
	lim, err := limit(p)
	if err != nil {
		return err
	}
	before, err := cursor(p)
	if err != nil {
		return err
	}
	var ref core.Ref
	switch {
	case p["lead"] != "" && p["deal"] == "":
		ref, err = core.ParseRef(p["lead"])
		if err == nil && ref.Kind != 'L' {
			err = core.Errorf(core.KindInvalid, "lead %q is no lead id like L123", p["lead"])
		}
	case p["deal"] != "" && p["lead"] == "":
		ref, err = core.ParseRef(p["deal"])
		if err == nil && ref.Kind != 'D' {
			err = core.Errorf(core.KindInvalid, "deal %q is no deal id like D45", p["deal"])
		}
	default:
		err = core.Errorf(core.KindInvalid, "name one record: ?lead=L123 or ?deal=D45")
	}
	if err != nil {
		return err
	}
	acts, more, err := h.svc.TimelinePage(c.r.Context(), c.actor, ref, before, lim)
	if err != nil {
		return err
	}
	n, err := c.view(h.svc)
	if err != nil {
		return err
	}
	var next *string
	if more && len(acts) > 0 {
		next = nextCursor(lim, lim, acts[len(acts)-1].ID)
	}
	return c.reply(http.StatusOK, page{view.Activities(acts, n), next})
}

// Pipelines are every user's: chat shows their stages to anyone.
func (h *Handler) listPipelines(c *call) error {
	p, err := c.params("limit", "cursor")
	if err != nil {
		return err
	}
	all, err := h.svc.Directory.Pipelines(c.r.Context())
	if err != nil {
		return err
	}
	ps, next, err := pageByID(p, all, func(p core.Pipeline) int64 { return p.ID })
	if err != nil {
		return err
	}
	out := make([]view.Pipeline, len(ps))
	for i := range ps {
		out[i] = view.PipelineOf(&ps[i])
	}
	return c.reply(http.StatusOK, page{out, next})
}

func (h *Handler) getPipeline(c *call) error {
	if _, err := c.params(); err != nil {
		return err
	}
	id, err := refID(c, 0)
	if err != nil {
		return err
	}
	p, err := h.svc.Directory.PipelineByID(c.r.Context(), id)
	if err != nil {
		return err
	}
	return c.record(http.StatusOK, view.PipelineOf(p))
}

func (h *Handler) listUsers(c *call) error {
	p, err := c.params("limit", "cursor")
	if err != nil {
		return err
	}
	all, err := h.svc.People(c.r.Context(), c.actor)
	if err != nil {
		return err
	}
	users, next, err := pageByID(p, all, func(u core.User) int64 { return u.ID })
	if err != nil {
		return err
	}
	n, err := c.view(h.svc)
	if err != nil {
		return err
	}
	out := make([]view.User, len(users))
	for i := range users {
		out[i] = view.UserOf(&users[i], n.Teams)
	}
	return c.reply(http.StatusOK, page{out, next})
}

// getUser is a user the actor may list; "me" is the token's user.
func (h *Handler) getUser(c *call) error {
	if _, err := c.params(); err != nil {
		return err
	}
	var id int64
	if c.r.PathValue("id") == "me" {
		id = c.actor.ID
	} else {
		var err error
		if id, err = refID(c, 0); err != nil {
			return err
		}
	}
	users, err := h.svc.People(c.r.Context(), c.actor)
	if err != nil {
		return err
	}
	n, err := c.view(h.svc)
	if err != nil {
		return err
	}
	for i := range users {
		if users[i].ID == id {
			return c.record(http.StatusOK, view.UserOf(&users[i], n.Teams))
		}
	}
	return core.Errorf(core.KindNotFound, "no user %d among those you may see", id)
}

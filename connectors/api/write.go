package api

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"leadwire/core"
	"leadwire/internal/problem"
	"leadwire/internal/view"
)

// writeRoutes are the changes: create, update and the actions people take
// in chat, each through the core service chat uses, with its checks.
func (h *Handler) writeRoutes() map[string]route {
	w := core.ScopeWrite
	return map[string]route{
		"POST /api/v1/leads":                 {w, h.createLead},
		"PATCH /api/v1/leads/{id}":           {w, h.patchLead},
		"POST /api/v1/leads/{id}/claim":      {w, h.leadAction(h.claim)},
		"POST /api/v1/leads/{id}/assign":     {w, h.leadAction(h.assign)},
		"POST /api/v1/leads/{id}/qualify":    {w, h.qualify},
		"POST /api/v1/leads/{id}/disqualify": {w, h.leadAction(h.disqualify)},
		"POST /api/v1/leads/{id}/notes":      {w, h.note('L')},
		"POST /api/v1/leads/{id}/follow-ups": {w, h.followUp('L')},
		"PATCH /api/v1/deals/{id}":           {w, h.patchDeal},
		"POST /api/v1/deals/{id}/move":       {w, h.dealAction(h.move)},
		"POST /api/v1/deals/{id}/win":        {w, h.dealAction(h.win)},
		"POST /api/v1/deals/{id}/lose":       {w, h.dealAction(h.lose)},
		"POST /api/v1/deals/{id}/reopen":     {w, h.dealAction(h.reopen)},
		"POST /api/v1/deals/{id}/assign":     {w, h.dealAction(h.assignDeal)},
		"POST /api/v1/deals/{id}/notes":      {w, h.note('D')},
		"POST /api/v1/deals/{id}/follow-ups": {w, h.followUp('D')},
	}
}

// decode reads the JSON body into v; an empty body leaves v as it is.
// Unknown fields are refused, so a misspelt one is not silently dropped.
func (c *call) decode(v any) error {
	raw, err := io.ReadAll(c.r.Body)
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return &statusError{p: problem.Status(http.StatusRequestEntityTooLarge, "the body is too large")}
	}
	if err != nil {
		return core.Errorf(core.KindInvalid, "the body could not be read")
	}
	if strings.TrimSpace(string(raw)) == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return core.Errorf(core.KindInvalid, "the body is not the JSON this route takes: %s", problem.Quote(err.Error(), 200))
	}
	return nil
}

// precondition checks If-Match against the record as it is: a caller
// that read an older version is told so (412) rather than overwrite a
// change it has not seen.
func (c *call) precondition(ref string, current any) error {
	im := strings.TrimSpace(c.r.Header.Get("If-Match"))
	if im == "" || im == "*" {
		return nil
	}
	now := etag(encode(current))
	for tag := range strings.SplitSeq(im, ",") {
		if strings.TrimSpace(tag) == now {
			return nil
		}
	}
	return &statusError{p: problem.Status(http.StatusPreconditionFailed,
		ref+" changed since you read it; GET it again and retry with its new ETag")}
}

type leadInput struct {
	Name     string            `json:"name"`
	Email    string            `json:"email"`
	Phone    string            `json:"phone"`
	Company  string            `json:"company"`
	Subject  string            `json:"subject"`
	Message  string            `json:"message"`
	Team     string            `json:"team"`
	Source   string            `json:"source"`
	Metadata map[string]string `json:"metadata"`
}

// createLead takes a lead in as any intake does (matched to a known
// contact, scored, routed). An Idempotency-Key header makes a retry safe.
func (h *Handler) createLead(c *call) error {
	var in leadInput
	if err := c.decode(&in); err != nil {
		return err
	}
	key := c.r.Header.Get("Idempotency-Key")
	if key == "" {
		b := make([]byte, 16)
		rand.Read(b)
		key = hex.EncodeToString(b)
	} else if len(key) > 200 {
		return core.Errorf(core.KindInvalid, "the Idempotency-Key is longer than 200 bytes")
	}
	source := in.Source
	if source == "" {
		source = "api"
	}
	res, err := h.svc.Capture(c.r.Context(), core.Inbound{Channel: core.ChannelWebhook, Source: source, ExternalID: "api:" + c.token.Name + ":" + key,
		Name: in.Name, Email: in.Email, Phone: in.Phone, Company: in.Company, Subject: in.Subject, Text: in.Message,
		Team: in.Team, Metadata: in.Metadata, ReceivedAt: h.svc.Clock().Now()})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.Duplicate || !res.NewLead {
		status = http.StatusOK
	}
	if res.LeadID == 0 {
		return c.reply(status, map[string]any{"deal": core.DealRef(res.DealID)})
	}
	_, rec, err := h.leadRecord(c, res.LeadID)
	if core.KindOf(err) == core.KindForbidden {
		// Routed to a team the caller cannot see: the ref alone.
		return c.reply(status, map[string]any{"id": core.LeadRef(res.LeadID)})
	}
	if err != nil {
		return err
	}
	c.w.Header().Set("Location", "/api/v1/leads/"+rec.ID)
	return c.record(status, rec)
}

// leadAction runs a change of a lead after the If-Match check and
// answers with the lead as it is after.
func (h *Handler) leadAction(act func(c *call, id int64) error) func(c *call) error {
	return recordAction('L', h.leadRecord, act)
}

// referred is a record the API answers with, named by its ref.
type referred interface{ ref() string }

// recordAction runs act on a record of kind ('L', 'D') after the If-Match
// check against the record as load gives it, and answers with the record
// as it is after; one given away, out of the caller's reach now, with its
// ref only.
func recordAction[M any, R referred](kind byte, load func(*call, int64) (M, R, error), act func(c *call, id int64) error) func(c *call) error {
	return func(c *call) error {
		id, err := refID(c, kind)
		if err != nil {
			return err
		}
		_, before, err := load(c, id)
		if err != nil {
			return err
		}
		if err := c.precondition(before.ref(), before); err != nil {
			return err
		}
		if err := act(c, id); err != nil {
			return err
		}
		c.names = nil // the change may have named someone new
		_, after, err := load(c, id)
		if core.KindOf(err) == core.KindForbidden {
			return c.reply(http.StatusOK, map[string]string{"id": before.ref()})
		}
		if err != nil {
			return err
		}
		return c.record(http.StatusOK, after)
	}
}

func (h *Handler) claim(c *call, id int64) error {
	if err := c.decode(&struct{}{}); err != nil {
		return err
	}
	_, err := h.svc.Claim(c.r.Context(), c.actor, id)
	return err
}

type ownerInput struct {
	Owner string `json:"owner"` // a user's email; "" takes turns in the team
}

func (h *Handler) assign(c *call, id int64) error {
	var in ownerInput
	if err := c.decode(&in); err != nil {
		return err
	}
	if in.Owner == "" {
		_, err := h.svc.AssignRoundRobin(c.r.Context(), c.actor, id)
		return err
	}
	owner, err := h.owner(c, in.Owner)
	if err != nil {
		return err
	}
	_, err = h.svc.Assign(c.r.Context(), c.actor, id, owner)
	return err
}

// assignDeal hands a deal over to a user ({"owner": email}), or to the
// next rep of its team in turn.
func (h *Handler) assignDeal(c *call, id int64) error {
	var in ownerInput
	if err := c.decode(&in); err != nil {
		return err
	}
	if in.Owner == "" {
		_, err := h.svc.AssignDealRoundRobin(c.r.Context(), c.actor, id)
		return err
	}
	owner, err := h.owner(c, in.Owner)
	if err != nil {
		return err
	}
	_, err = h.svc.AssignDeal(c.r.Context(), c.actor, id, owner)
	return err
}

// patchLead changes a lead's owner ({"owner": email}), as assign does.
func (h *Handler) patchLead(c *call) error {
	return h.leadAction(h.assign)(c)
}

type reasonInput struct {
	Reason string `json:"reason"`
}

func (h *Handler) disqualify(c *call, id int64) error {
	var in reasonInput
	if err := c.decode(&in); err != nil {
		return err
	}
	_, err := h.svc.Disqualify(c.r.Context(), c.actor, id, in.Reason)
	return err
}

type qualifyInput struct {
	Pipeline      string      `json:"pipeline"`
	Title         string      `json:"title"`
	Value         *view.Money `json:"value"`
	ExpectedClose string      `json:"expected_close"` // 2026-12-01
}

// qualify turns the lead into a deal and answers 201 with the deal.
func (h *Handler) qualify(c *call) error {
	id, err := refID(c, 'L')
	if err != nil {
		return err
	}
	_, before, err := h.leadRecord(c, id)
	if err != nil {
		return err
	}
	if err := c.precondition(before.ID, before); err != nil {
		return err
	}
	var in qualifyInput
	if err := c.decode(&in); err != nil {
		return err
	}
	q := core.QualifyInput{Pipeline: in.Pipeline, Title: in.Title}
	if in.Value != nil {
		q.Value = core.Money{Amount: in.Value.Amount, Currency: strings.ToUpper(in.Value.Currency)}
	}
	if in.ExpectedClose != "" {
		if q.ExpectedClose, err = date(in.ExpectedClose); err != nil {
			return err
		}
	}
	d, err := h.svc.Qualify(c.r.Context(), c.actor, id, q)
	if err != nil {
		return err
	}
	c.names = nil
	_, rec, err := h.dealRecord(c, d.ID)
	if err != nil {
		return err
	}
	c.w.Header().Set("Location", "/api/v1/deals/"+rec.ID)
	return c.record(http.StatusCreated, rec)
}

func date(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, core.Errorf(core.KindInvalid, "date %q is not a date such as 2026-12-01", s)
	}
	return t, nil
}

// dealAction runs a change of a deal after the If-Match check and
// answers with the deal as it is after.
func (h *Handler) dealAction(act func(c *call, id int64) error) func(c *call) error {
	return recordAction('D', h.dealRecord, act)
}

type stageInput struct {
	Stage string `json:"stage"`
}

func (h *Handler) move(c *call, id int64) error {
	var in stageInput
	if err := c.decode(&in); err != nil {
		return err
	}
	_, err := h.svc.Move(c.r.Context(), c.actor, id, in.Stage)
	return err
}

func (h *Handler) win(c *call, id int64) error {
	if err := c.decode(&struct{}{}); err != nil {
		return err
	}
	_, err := h.svc.Win(c.r.Context(), c.actor, id)
	return err
}

func (h *Handler) lose(c *call, id int64) error {
	var in reasonInput
	if err := c.decode(&in); err != nil {
		return err
	}
	_, err := h.svc.Lose(c.r.Context(), c.actor, id, in.Reason)
	return err
}

func (h *Handler) reopen(c *call, id int64) error {
	if err := c.decode(&struct{}{}); err != nil {
		return err
	}
	_, err := h.svc.Reopen(c.r.Context(), c.actor, id)
	return err
}

type dealPatch struct {
	Stage         *string     `json:"stage"`
	Value         *view.Money `json:"value"`
	ExpectedClose *string     `json:"expected_close"`
	Probability   *int        `json:"probability"`
}

// patchDeal changes what the body names: stage (as move), value,
// expected_close (a date) and probability (a percentage).
func (h *Handler) patchDeal(c *call) error {
	return h.dealAction(func(c *call, id int64) error {
		var in dealPatch
		if err := c.decode(&in); err != nil {
			return err
		}
		ctx := c.r.Context()
		if in.Stage != nil {
			if _, err := h.svc.Move(ctx, c.actor, id, *in.Stage); err != nil {
				return err
			}
		}
		if in.Value != nil {
			if _, err := h.svc.SetValue(ctx, c.actor, id, core.Money{Amount: in.Value.Amount, Currency: strings.ToUpper(in.Value.Currency)}); err != nil {
				return err
			}
		}
		if in.ExpectedClose != nil {
			d, err := date(*in.ExpectedClose)
			if err != nil {
				return err
			}
			if _, err := h.svc.SetCloseDate(ctx, c.actor, id, d); err != nil {
				return err
			}
		}
		if in.Probability != nil {
			if _, err := h.svc.SetProbability(ctx, c.actor, id, *in.Probability); err != nil {
				return err
			}
		}
		return nil
	})(c)
}

type noteInput struct {
	Text string `json:"text"`
}

// note adds a note to the lead or deal and answers 201 with it.
func (h *Handler) note(kind byte) func(c *call) error {
	return func(c *call) error {
		id, err := refID(c, kind)
		if err != nil {
			return err
		}
		var in noteInput
		if err := c.decode(&in); err != nil {
			return err
		}
		act, err := h.svc.Note(c.r.Context(), c.actor, core.Ref{Kind: kind, ID: id}, in.Text)
		if err != nil {
			return err
		}
		n, err := c.view(h.svc)
		if err != nil {
			return err
		}
		return c.reply(http.StatusCreated, view.Activities([]core.Activity{*act}, n)[0])
	}
}

type followUpInput struct {
	Title string `json:"title"`
	Due   string `json:"due"` // RFC 3339
}

// followUp adds a task on the lead or deal, due at an RFC 3339 time, and
// answers 201 with it.
func (h *Handler) followUp(kind byte) func(c *call) error {
	return func(c *call) error {
		id, err := refID(c, kind)
		if err != nil {
			return err
		}
		var in followUpInput
		if err := c.decode(&in); err != nil {
			return err
		}
		var due time.Time
		if in.Due != "" {
			if due, err = time.Parse(time.RFC3339, in.Due); err != nil {
				return core.Errorf(core.KindInvalid, "due %q is not an RFC 3339 time such as 2026-12-01T09:00:00+07:00", in.Due)
			}
		}
		t, err := h.svc.FollowUp(c.r.Context(), c.actor, core.Ref{Kind: kind, ID: id}, in.Title, due)
		if err != nil {
			return err
		}
		n, err := c.view(h.svc)
		if err != nil {
			return err
		}
		v := view.TaskOf(t, n)
		c.w.Header().Set("Location", "/api/v1/tasks/"+v.ID)
		return c.reply(http.StatusCreated, v)
	}
}

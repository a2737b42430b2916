// Package webhook takes leads pushed as JSON: POST /api/v1/inbound with
// "Authorization: Bearer <token>" (tokens come from `leadwire tokens
// create`) becomes a core.Inbound handed to core.Service.Capture.
//
// The body is leadwire's own schema (schema.json):
//
//	{"source": "zapier", "external_id": "evt_123",
//	 "contact": {"name": "…", "email": "…", "phone": "…", "company": "…", "handle": "telegram:42"},
//	 "subject": "…", "message": "…", "team": "Warsaw", "metadata": {"plan": "pro"}}
//
// or a sender's own shape, read through the source's mapping of JSON paths
// onto those fields (see Path), so a Typeform, Tally, Zapier or Make payload
// needs configuration, not code. The source of a delivery is the token's
// when the token is bound to one, else the ?source= query parameter, else
// the body's "source", else "api". A source may require an HMAC-SHA256
// signature of the body in a header ("sha256=<hex>", or hex or base64 alone).
//
// The external id (or, without one, the Idempotency-Key header) makes a
// redelivery a no-op. Answers: 201 {"receipt":"r_…"}, 200 with the same
// receipt and "duplicate":true for a redelivery (a token is a machine's,
// not a known user's: lead and deal refs go to the team and to the
// delivery log, never in the answer; the receipt is kept in the lead's
// metadata), 503 with Retry-After while the database is away, 400 malformed JSON, 401 missing, unknown or revoked token, 403
// bad or missing signature or a token of another source, 413 too large,
// 422 invalid. Every delivery, refused ones included, is written to the
// delivery log (`leadwire webhooks log`).
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"golang.org/x/time/rate"

	"leadwire/core"
	"leadwire/internal/problem"
)

// Schema is schema.json: the JSON Schema of leadwire's own payload.
//
//go:embed schema.json
var Schema []byte

// Source is a configured webhook source.
type Source struct {
	Name            string
	Team            string            // its leads' team; "" the default team (a payload's team wins)
	Mapping         map[string]string // JSON path → target (see Targets)
	Secret          string            // HMAC-SHA256 key of the body signature; "" none required
	SignatureHeader string            // default "X-Signature"
}

// Options are the handler's settings.
type Options struct {
	MaxBytes int64 // body limit; 0: DefaultMaxBytes
	Log      *slog.Logger
}

// DefaultMaxBytes is the default body limit.
const DefaultMaxBytes = 1 << 20

// DefaultSignatureHeader carries a body signature unless a source says
// otherwise.
const DefaultSignatureHeader = "X-Signature"

// DefaultSource names deliveries that say nothing of where they come from.
const DefaultSource = "api"

// Handler serves POST /api/v1/inbound.
type Handler struct {
	svc      *core.Service
	sources  map[string]*source
	maxBytes int64
	log      *slog.Logger
	// anonLog bounds how many deliveries without a valid token are
	// written to the delivery log, so that strangers cannot fill the
	// database; the rest are counted in the process log only.
	anonLog *rate.Limiter
}

type source struct {
	Source
	mapping Mapping
}

// New returns a handler for the sources.
func New(svc *core.Service, sources []Source, opts Options) (*Handler, error) {
	h := &Handler{svc: svc, sources: map[string]*source{}, maxBytes: opts.MaxBytes, log: opts.Log,
		anonLog: rate.NewLimiter(1, 60)}
	if h.maxBytes <= 0 {
		h.maxBytes = DefaultMaxBytes
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	for _, s := range sources {
		if _, dup := h.sources[s.Name]; dup || s.Name == "" {
			return nil, fmt.Errorf("webhook source %q is empty or defined twice", s.Name)
		}
		m, err := NewMapping(s.Mapping)
		if err != nil {
			return nil, fmt.Errorf("webhook source %s: %w", s.Name, err)
		}
		if s.SignatureHeader == "" {
			s.SignatureHeader = DefaultSignatureHeader
		}
		h.sources[s.Name] = &source{Source: s, mapping: m}
	}
	return h, nil
}

// MaxBytes is the body limit, for a server that bounds bodies before the
// handler runs.
func (h *Handler) MaxBytes() int64 { return h.maxBytes }

// delivery is one request on its way: what the log will say of it.
type delivery struct {
	core.Delivery
	w http.ResponseWriter
}

// ServeHTTP takes one delivery.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(core.WithVia(r.Context(), core.ViaWebhook))
	d := &delivery{w: w}
	// As sent: cleaning it first would make "zapier\x00" read as
	// zapier. It is checked by name below and cleaned for the log.
	d.Source = r.URL.Query().Get("source")
	status, body := h.serve(r, d)
	d.Status = status
	if d.Outcome == "" {
		d.Outcome = core.DeliveryRefused
		d.Error = body.Error
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="leadwire"`)
	}
	h.record(r.Context(), d)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(body)
}

// reply is the JSON body of every answer.
type reply struct {
	Receipt   string   `json:"receipt,omitempty"`
	Duplicate bool     `json:"duplicate,omitempty"`
	Notes     []string `json:"notes,omitempty"` // what of the delivery was kept otherwise than sent
	Error     string   `json:"error,omitempty"`
}

func refused(status int, format string, args ...any) (int, reply) {
	return status, reply{Error: fmt.Sprintf(format, args...)}
}

// retry refuses a delivery the sender should send again later (the
// database is away), with Retry-After.
func (d *delivery) retry(p problem.Problem) (int, reply) {
	p.SetRetryAfter(d.w.Header())
	return p.Status, reply{Error: p.Detail}
}

func (h *Handler) serve(r *http.Request, d *delivery) (int, reply) {
	// The token first: a stranger's body is not read.
	secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return refused(http.StatusUnauthorized, "no token; send Authorization: Bearer <token> (leadwire tokens create)")
	}
	tok, err := h.svc.Directory.VerifyToken(r.Context(), strings.TrimSpace(secret))
	if tok != nil {
		d.Token = tok.Name
	}
	if err != nil {
		if core.KindOf(err) == core.KindForbidden {
			return refused(http.StatusUnauthorized, "%s", core.Message(err))
		}
		h.log.Error("webhook token check failed", "err", err)
		if p := problem.Of(err); p.RetryAfter > 0 {
			return d.retry(p)
		}
		return refused(http.StatusInternalServerError, "the delivery could not be checked; try again later")
	}
	if !tok.Allows(core.ScopeInbound) {
		return refused(http.StatusForbidden, "token %s has the scopes %s, not inbound; deliver leads with an intake token", tok.Name, tok.ScopeNames())
	}

	if r.ContentLength > h.maxBytes {
		d.Size = r.ContentLength
		return refused(http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", h.maxBytes)
	}
	// A sender trickling its body is cut off by the server's read
	// timeout, which bounds every request.
	raw, err := io.ReadAll(http.MaxBytesReader(d.w, r.Body, h.maxBytes))
	d.Size, d.Body = int64(len(raw)), raw
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return refused(http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", h.maxBytes)
	}
	if err != nil {
		return refused(http.StatusBadRequest, "the body could not be read: %v", err)
	}

	doc, parseErr := decode(raw)
	named := d.Source
	if named == "" {
		if obj, ok := doc.(map[string]any); ok {
			named, _ = obj["source"].(string)
		}
	}
	switch {
	case tok.Source != "" && named != "" && named != tok.Source:
		d.Source = named // cleaned for the log
		return refused(http.StatusForbidden, "token %s delivers as source %s, not %s", tok.Name, tok.Source, sourceName(named))
	case tok.Source != "":
		d.Source = tok.Source
	case named != "":
		d.Source = named
	default:
		d.Source = DefaultSource
	}
	src := h.sources[d.Source]
	if src == nil && !core.ValidName(d.Source) {
		return refused(http.StatusUnprocessableEntity, "invalid source %s; use letters, digits, '-', '_' or '.'", sourceName(d.Source))
	}
	if src != nil && src.Secret != "" {
		if msg := verifySignature(r.Header.Get(src.SignatureHeader), src.SignatureHeader, src.Secret, raw); msg != "" {
			return refused(http.StatusForbidden, "%s", msg)
		}
	}
	if parseErr != nil {
		return refused(http.StatusBadRequest, "%v", parseErr)
	}

	f := &fields{values: map[string]string{}, metadata: map[string]string{}}
	nativeMapping.apply(doc, f)
	nativeMetadata(doc, f)
	team := ""
	if src != nil {
		team = src.Team
		if err := src.mapping.apply(doc, f); err != nil {
			return refused(http.StatusUnprocessableEntity, "%v", err)
		}
	}
	in := f.inbound(d.Source, team)
	if in.ExternalID == "" {
		in.ExternalID = strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	}
	if len(in.ExternalID) > 255 {
		return refused(http.StatusUnprocessableEntity, "external_id is longer than 255 characters")
	}
	d.ExternalID = in.ExternalID
	receipt := core.Receipt(in.Channel, in.Source, in.ExternalID)
	if in.Metadata == nil {
		in.Metadata = map[string]string{}
	}
	in.Metadata[core.ReceiptMetadata] = receipt
	if in.Email == "" && in.Phone == "" && in.Handle == "" {
		return refused(http.StatusUnprocessableEntity,
			"no email, phone or chat handle to reach the contact by; send contact.email, contact.phone or contact.handle, or map them for source %s", d.Source)
	}

	res, err := h.svc.Capture(r.Context(), in)
	if err != nil && in.ExternalID != "" && core.KindOf(err) == core.KindConflict {
		// Redelivered to another replica at the same moment: the key's
		// unique index chose a winner; asking again finds its result.
		res, err = h.svc.Capture(r.Context(), in)
	}
	if err != nil {
		p := problem.Of(err)
		switch {
		case core.KindOf(err) == core.KindInvalid, core.KindOf(err) == core.KindNotFound:
			// A team the payload names that does not exist is the
			// sender's to fix, as a bad field is.
			return refused(http.StatusUnprocessableEntity, "%s", core.Message(err))
		case errors.Is(err, core.ErrUnavailable):
			h.log.Error("webhook delivery not stored: the database is unavailable; the sender is asked to retry", "source", d.Source, "err", err)
			return d.retry(p)
		case p.Status == http.StatusServiceUnavailable:
			return refused(p.Status, "the request ended before the delivery was stored; deliver it again")
		}
		h.log.Error("webhook capture failed", "source", d.Source, "err", err)
		return refused(http.StatusInternalServerError, "the delivery could not be stored; try again later")
	}
	// The refs go to the delivery log, which admins read; the notes speak
	// of the delivery only (res.Doubts, of other contacts, stay inside).
	out := reply{Receipt: receipt, Duplicate: res.Duplicate, Notes: res.Notes}
	switch {
	case res.DealID != 0:
		d.Ref = core.DealRef(res.DealID)
	case res.LeadID != 0:
		d.Ref = core.LeadRef(res.LeadID)
	}
	switch {
	case res.Duplicate:
		d.Outcome = core.DeliveryDuplicate
		return http.StatusOK, out
	case res.NewLead:
		d.Outcome = core.DeliveryLead
	default:
		d.Outcome = core.DeliveryActivity
	}
	return http.StatusCreated, out
}

// sourceName is a source name as sent, to echo: as it is when it is a
// valid name, else quoted with what makes it invalid escaped.
func sourceName(s string) string {
	if core.ValidName(s) {
		return s
	}
	return problem.Quote(s, 64)
}

// record writes the delivery to the log. Refusals of senders without a
// valid token (401) are written only within a budget; a failure to write is
// logged and does not change the answer, since the lead, when there is
// one, is stored.
func (h *Handler) record(ctx context.Context, d *delivery) {
	d.Source = core.Clean(d.Source, 64)
	if d.Status == http.StatusUnauthorized && !h.anonLog.Allow() {
		h.log.Warn("webhook delivery without a valid token not logged: too many", "source", d.Source, "size", d.Size)
		return
	}
	// The log outlives a sender that hung up.
	if err := h.svc.LogDelivery(context.WithoutCancel(ctx), &d.Delivery); err != nil {
		h.log.Error("webhook delivery not logged", "source", d.Source, "status", d.Status, "err", err)
	}
}

// decode parses a JSON body, keeping numbers as written.
func decode(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("the body is empty; send a JSON object (see schema.json)")
		}
		return nil, fmt.Errorf("the body is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("the body is not valid JSON: more follows the first value")
	}
	return doc, nil
}

// verifySignature checks header against the HMAC-SHA256 of body; "" when
// it matches, else what is wrong.
func verifySignature(header, name, secret string, body []byte) string {
	sig := strings.TrimSpace(header)
	if sig == "" {
		return fmt.Sprintf("missing signature; send %s: sha256=<hex HMAC-SHA256 of the body>", name)
	}
	sig = strings.TrimPrefix(sig, "sha256=")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	want := mac.Sum(nil)
	got, err := hex.DecodeString(sig)
	if err != nil || len(got) != len(want) {
		if got, err = base64.StdEncoding.DecodeString(sig); err != nil {
			got, _ = base64.URLEncoding.DecodeString(sig)
		}
	}
	if !hmac.Equal(got, want) {
		return "bad signature: " + name + " is not the HMAC-SHA256 of the body with this source's secret"
	}
	return ""
}

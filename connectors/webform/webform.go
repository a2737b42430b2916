// Package webform takes leads from web forms: POST /forms/{id} with an
// urlencoded, multipart or JSON body becomes a core.Inbound handed to
// core.Service.Capture.
//
// Each form maps its posted field names onto the contact fields (name,
// email, phone, company, subject, message; a field already named so needs
// no mapping), may require fields, and keeps every other field, the UTM
// parameters (utm_source, utm_medium, utm_campaign, utm_term, utm_content,
// from the body or else from the Referer's query) and the referrer as lead
// metadata. A field posted under one of those names wins over the header.
// Browsers cut the Referer of a post to another site down to the origin
// unless the page's referrer policy allows more (configs/form.html sets
// it), so UTM parameters of the page's address only arrive that way.
//
// Answers: a browser post (Accept: text/html, or a form body without
// Accept: application/json) is redirected with 303 to the form's redirect
// URL, or shown a short thank-you page when it has none; other clients get
// 201 {"receipt":"r_…"}. The poster is anonymous: the answer is the same
// whether the address was known or not, and the lead and deal refs go to
// the team only (the receipt is kept in the lead's metadata, and logged
// with the refs). A retried post with the same Idempotency-Key header
// stores nothing and answers 200 with the same receipt and
// "duplicate":true. A post without the header is always a new submission:
// a double-click of a plain HTML form sends the same person twice, which
// core.Capture turns into an activity on the lead the first one opened,
// not a second lead.
//
// Refusals: 400 malformed body, 403 an origin not allowed, 404 unknown
// form, 405 wrong method, 413 too large (the body, a value, or the number
// of fields), 415 unsupported content type, 422 missing or invalid fields
// ({"error":"…","fields":{"email":"…"}}), 429 past the rate limit, per
// client address and per form, with Retry-After. A post that fills the
// honeypot field gets the answer a real one would and stores nothing.
package webform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"leadwire/core"
	"leadwire/internal/lang"
	"leadwire/internal/problem"
)

// Contact fields a posted field can be mapped onto.
const (
	FieldName    = "name"
	FieldEmail   = "email"
	FieldPhone   = "phone"
	FieldCompany = "company"
	FieldSubject = "subject"
	FieldMessage = "message"
)

// Fields lists the contact fields in the order they are reported.
var Fields = []string{FieldName, FieldEmail, FieldPhone, FieldCompany, FieldSubject, FieldMessage}

// utmKeys are kept from the body or, when the body has none, the Referer.
var utmKeys = []string{"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"}

// Metadata bounds: a lead keeps this many extra fields, each name and value
// cut to these many characters.
const (
	maxMetadata      = 50
	maxMetadataKey   = 64
	maxMetadataValue = 2000
)

// Form is one form's configuration.
type Form struct {
	ID             string
	Team           string            // the team its leads go to; "" the default team
	Region         string            // phone region for numbers without a country code (the team's)
	Fields         map[string]string // posted name → contact field
	Required       []string          // contact fields or posted names that must not be empty
	Redirect       string            // where a browser goes after posting; "" a thank-you page
	AllowedOrigins []string          // origins allowed to post from a browser ("*": any); none: no CORS
	Honeypot       string            // a field people leave empty and bots fill
	Limits         Limits
	PerIP          Rate // per client address; zero: no limit
	PerForm        Rate // for the whole form; zero: no limit
}

// Options are the handler's settings shared by every form.
type Options struct {
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed when telling clients apart; without them the connection's
	// peer is the client.
	TrustedProxies []netip.Prefix
	Log            *slog.Logger
}

// Handler serves the forms. Mount Submit on "POST /forms/{id}" and
// Preflight on "OPTIONS /forms/{id}".
type Handler struct {
	svc     *core.Service
	forms   map[string]*form
	trusted []netip.Prefix
	log     *slog.Logger
}

type form struct {
	Form
	anyOrigin bool
	origins   map[string]bool
	posted    map[string]string // contact field → the posted name reported in errors
	byIP      *keyedLimiter
	all       *rate.Limiter
}

// New returns a handler for the forms, which must have distinct ids and
// map onto contact fields only.
func New(svc *core.Service, forms []Form, opts Options) (*Handler, error) {
	h := &Handler{svc: svc, forms: map[string]*form{}, trusted: opts.TrustedProxies, log: opts.Log}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	for _, f := range forms {
		if f.ID == "" {
			return nil, fmt.Errorf("a form needs an id")
		}
		if _, dup := h.forms[f.ID]; dup {
			return nil, fmt.Errorf("form %s is defined twice", f.ID)
		}
		c := &form{Form: f, origins: map[string]bool{}, posted: map[string]string{}}
		for _, o := range f.AllowedOrigins {
			if o == "*" {
				c.anyOrigin = true
			}
			c.origins[strings.TrimRight(o, "/")] = true
		}
		for _, name := range sortedKeys(f.Fields) {
			target := f.Fields[name]
			if !slices.Contains(Fields, target) {
				return nil, fmt.Errorf("form %s maps %q onto %q, which is not one of %s", f.ID, name, target, strings.Join(Fields, ", "))
			}
			if _, ok := c.posted[target]; !ok {
				c.posted[target] = name
			}
		}
		for _, field := range Fields {
			if _, ok := c.posted[field]; !ok {
				c.posted[field] = field
			}
		}
		if f.PerIP.N > 0 {
			c.byIP = newKeyedLimiter(f.PerIP)
		}
		if f.PerForm.N > 0 {
			c.all = f.PerForm.newLimiter()
		}
		h.forms[f.ID] = c
	}
	return h, nil
}

// MaxBytes is the largest body any of the forms takes, for a server that
// bounds bodies before the handler runs.
func (h *Handler) MaxBytes() int64 {
	n := Limits{}.maxBytes(true)
	for _, f := range h.forms {
		n = max(n, f.Limits.maxBytes(true), f.Limits.maxBytes(false))
	}
	return n
}

// LanguageField is the hidden form field that names the language the
// form is in ("th", "fa"): the prospect's language, before their
// browser's Accept-Language.
const LanguageField = "language"

// printer is the language to answer a sender in: the form's language
// field, else their browser's, else the organisation's.
func (h *Handler) printer(r *http.Request, field string) *lang.Printer {
	return lang.Default().For(field, lang.AcceptLanguage(r.Header.Get("Accept-Language")), h.svc.Settings().Locale)
}

// Submit takes one submission of the form named by the path's {id}.
func (h *Handler) Submit(w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(core.WithVia(r.Context(), core.ViaWeb))
	a := answerer{w: w, browser: wantsHTML(r)}
	// The answer's language is the form's language field, known once the
	// body is read; a post refused before that is answered in the
	// browser's. One printer a post: choosing one parses tags.
	early := func(ref *refusal) {
		a.p = h.printer(r, "")
		a.refuse(ref)
	}
	f := h.forms[r.PathValue("id")]
	if f == nil {
		early(refuse(http.StatusNotFound, "no form %s here; check the form's action URL", problem.Quote(r.PathValue("id"), 64)))
		return
	}
	if !f.allowOrigin(w, r) {
		early(refuse(http.StatusForbidden, "this form does not take posts from %s", problem.Quote(r.Header.Get("Origin"), 200)))
		return
	}
	if ref := h.limit(f, r); ref != nil {
		early(ref)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 255 || strings.IndexFunc(key, func(c rune) bool { return c <= ' ' || c > '~' }) >= 0 {
		early(refuse(http.StatusBadRequest, "the Idempotency-Key header must be 1 to 255 visible ASCII characters, such as a UUID"))
		return
	}
	kind, _ := mediaOf(r.Header.Get("Content-Type"))
	limit := f.Limits.maxBytes(kind == mediaMultipart)
	if r.ContentLength > limit {
		// Refused before reading a byte; the server closes the
		// connection rather than drain what follows.
		early(refuse(http.StatusRequestEntityTooLarge, "the form is larger than %d bytes", limit))
		return
	}
	// A client trickling its body is cut off by the server's read
	// timeout (http.read_timeout), which bounds every request.
	sub, err := Decode(r.Header.Get("Content-Type"), http.MaxBytesReader(w, r.Body, limit), f.Limits)
	if err != nil {
		early(asRefusal(err))
		return
	}
	language := strings.TrimSpace(first(sub.Values[LanguageField]))
	a.p = h.printer(r, language)
	in, bot, ref := f.inbound(sub, r, a.p)
	if ref != nil {
		a.refuse(ref)
		return
	}
	in.ExternalID = key
	receipt := core.Receipt(in.Channel, in.Source, key)
	if bot {
		h.honeypot(r.Context(), f, a, receipt)
		return
	}
	if in.Metadata == nil {
		in.Metadata = map[string]string{}
	}
	in.Metadata[core.ReceiptMetadata] = receipt
	res, err := h.capture(r.Context(), in)
	if err != nil {
		a.refuse(h.captureRefusal(f, err, a.p))
		return
	}
	// The refs are for the team, in the notice and here; the sender gets
	// the receipt only.
	h.log.Info("web form captured", "form", f.ID, "receipt", receipt, "lead", res.LeadID, "deal", res.DealID,
		"new_lead", res.NewLead, "duplicate", res.Duplicate)
	a.success(f, res.Duplicate, receipt)
}

// capture hands the inbound to core. Two posts with one Idempotency-Key
// racing on two replicas meet at the key's unique index; the loser asks
// again and finds what the winner stored.
func (h *Handler) capture(ctx context.Context, in core.Inbound) (core.CaptureResult, error) {
	res, err := h.svc.Capture(ctx, in)
	if err != nil && in.ExternalID != "" && core.KindOf(err) == core.KindConflict {
		res, err = h.svc.Capture(ctx, in)
	}
	return res, err
}

func (h *Handler) captureRefusal(f *form, err error, pr *lang.Printer) *refusal {
	p := problem.Of(err)
	switch {
	case errors.Is(err, core.ErrUnavailable):
		// Nothing was stored: the sender is told to send it again.
		h.log.Error("web form not saved: the database is unavailable; the sender is asked to retry", "form", f.ID, "err", err)
	case p.Status == http.StatusServiceUnavailable:
		// The sender hung up; what it posted may still be stored, and
		// a retry with the same Idempotency-Key finds it.
	case core.KindOf(err) == core.KindInvalid:
	case core.KindOf(err) == core.KindNotFound:
		// The form names a team that is gone: ours to fix, not the sender's.
		h.log.Error("web form cannot route its lead", "form", f.ID, "team", f.Team, "err", err)
		return refuse(http.StatusInternalServerError, "%s", pr.T("form.not_saved"))
	default:
		h.log.Error("web form capture failed", "form", f.ID, "err", err)
		return refuse(http.StatusInternalServerError, "%s", pr.T("form.not_saved"))
	}
	detail := p.Detail
	if s, ok := pr.Error(err); ok {
		detail = s
	}
	return &refusal{status: p.Status, message: detail, retryAfter: int(p.RetryAfter / time.Second)}
}

// honeypot answers a bot as a person would be answered, counts it, and
// stores nothing else.
func (h *Handler) honeypot(ctx context.Context, f *form, a answerer, receipt string) {
	if err := h.svc.Connectors.Skip(ctx, core.ConnectorName(core.ChannelWebform, f.ID), "honeypot", nil); err != nil {
		h.log.Warn("web form honeypot not counted", "form", f.ID, "err", err)
	}
	a.success(f, false, receipt)
}

// Preflight answers a browser's CORS preflight for the form.
func (h *Handler) Preflight(w http.ResponseWriter, r *http.Request) {
	a := answerer{w: w, p: h.printer(r, "")}
	f := h.forms[r.PathValue("id")]
	if f == nil {
		a.refuse(refuse(http.StatusNotFound, "no form %s here", problem.Quote(r.PathValue("id"), 64)))
		return
	}
	if r.Header.Get("Origin") == "" || !f.allowOrigin(w, r) {
		a.refuse(refuse(http.StatusForbidden, "this form does not take posts from %s", problem.Quote(r.Header.Get("Origin"), 200)))
		return
	}
	hdr := w.Header()
	hdr.Set("Access-Control-Allow-Methods", "POST")
	hdr.Set("Access-Control-Allow-Headers", "Content-Type, Accept, Idempotency-Key")
	hdr.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
}

// allowOrigin sets the CORS headers for an allowed origin. A form without
// allowed origins takes posts from anywhere but lets no other origin read
// its answers; a form with them refuses posts from other origins.
func (f *form) allowOrigin(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if len(f.AllowedOrigins) == 0 {
		return r.Method != http.MethodOptions
	}
	w.Header().Add("Vary", "Origin")
	if origin == "" {
		return true // not from a browser's cross-origin request
	}
	if !f.anyOrigin && !f.origins[origin] {
		return false
	}
	if f.anyOrigin {
		w.Header().Set("Access-Control-Allow-Origin", "*")
	} else {
		w.Header().Set("Access-Control-Allow-Origin", origin)
	}
	return true
}

// limit applies the client's and the form's rate limits.
func (h *Handler) limit(f *form, r *http.Request) *refusal {
	now := time.Now()
	if f.byIP != nil {
		if ok, retry := f.byIP.allow(clientKey(ClientIP(r, h.trusted)), now); !ok {
			return tooMany(retry, "too many posts from your address")
		}
	}
	if f.all != nil {
		if ok, retry := take(f.all, now); !ok {
			return tooMany(retry, "the form is taking too many posts")
		}
	}
	return nil
}

// tooMany is a 429 saying when to try again, in whole seconds.
func tooMany(retry time.Duration, what string) *refusal {
	secs := max(1, int((retry+time.Second-1)/time.Second))
	r := refuse(http.StatusTooManyRequests, "%s; try again in %ds", what, secs)
	r.retryAfter = secs
	return r
}

// inbound maps a submission onto an inbound. bot reports a filled
// honeypot; a refusal lists the fields that are missing or invalid.
func (f *form) inbound(sub *Submission, r *http.Request, p *lang.Printer) (in core.Inbound, bot bool, ref *refusal) {
	in = core.Inbound{Channel: core.ChannelWebform, Source: f.ID, Team: f.Team, Metadata: map[string]string{}}
	contact := map[string][]string{}
	var extras []string
	for _, name := range sortedKeys(sub.Values) {
		vals := sub.Values[name]
		switch {
		case name == f.Honeypot && f.Honeypot != "":
			bot = bot || strings.TrimSpace(strings.Join(vals, "")) != ""
		case name == "_charset_":
		case f.Fields[name] != "":
			contact[f.Fields[name]] = append(contact[f.Fields[name]], vals...)
		case slices.Contains(Fields, name):
			contact[name] = append(contact[name], vals...)
		default:
			extras = append(extras, name)
		}
	}
	in.Name = join(contact[FieldName], " ")
	in.Email = first(contact[FieldEmail])
	in.Phone = first(contact[FieldPhone])
	in.Company = join(contact[FieldCompany], " ")
	in.Subject = join(contact[FieldSubject], " ")
	in.Text = join(contact[FieldMessage], "\n\n")
	in.Locale = strings.TrimSpace(first(sub.Values[LanguageField]))
	if in.Locale == "" {
		in.Locale = r.Header.Get("Accept-Language")
	}

	problems := map[string]string{}
	for _, req := range f.Required {
		if slices.Contains(Fields, req) {
			if strings.TrimSpace(join(contact[req], "")) == "" {
				problems[f.posted[req]] = p.T("form.required")
			}
		} else if strings.TrimSpace(join(sub.Values[req], "")) == "" {
			problems[req] = p.T("form.required")
		}
	}
	if in.Email != "" {
		if norm, err := core.NormalizeEmail(in.Email); err != nil || strings.ContainsAny(in.Email, "\r\n") {
			problems[f.posted[FieldEmail]] = p.T("form.invalid_email")
		} else {
			in.Email = norm
		}
	}
	if in.Phone != "" {
		if _, err := core.NormalizePhone(in.Phone, f.Region); err != nil {
			problems[f.posted[FieldPhone]] = p.T("form.invalid_phone")
		}
	}
	if in.Email == "" && in.Phone == "" && problems[f.posted[FieldEmail]] == "" && problems[f.posted[FieldPhone]] == "" {
		problems[f.posted[FieldEmail]] = p.T("form.email_or_phone")
	}
	if len(problems) > 0 {
		names := sortedKeys(problems)
		for i, n := range names {
			names[i] = core.Clean(n, 64)
		}
		return in, bot, &refusal{status: http.StatusUnprocessableEntity,
			message: p.T("form.fix_fields", "Fields", strings.Join(names, ", ")), fields: cleanKeys(problems)}
	}

	for _, name := range extras {
		if slices.Contains(utmKeys, name) {
			in.Metadata[name] = core.Clean(join(sub.Values[name], ", "), maxMetadataValue)
		}
	}
	dropped := 0
	for _, name := range extras {
		if slices.Contains(utmKeys, name) {
			continue
		}
		v := core.Clean(join(sub.Values[name], ", "), maxMetadataValue)
		key := core.Clean(name, maxMetadataKey)
		if _, taken := in.Metadata[key]; taken || v == "" {
			continue
		}
		if len(in.Metadata) >= maxMetadata {
			dropped++
			continue
		}
		in.Metadata[key] = v
	}
	for _, file := range sub.Files {
		if len(in.Metadata) >= maxMetadata {
			dropped++
			continue
		}
		in.Metadata[core.Clean("file:"+file.Field, maxMetadataKey)] = core.Clean(fmt.Sprintf("%s (%s, %d bytes, not kept)", file.Name, file.Type, file.Size), maxMetadataValue)
	}
	if dropped > 0 {
		in.Metadata["fields_dropped"] = strconv.Itoa(dropped)
	}
	if referer := r.Header.Get("Referer"); referer != "" {
		if _, posted := in.Metadata["referrer"]; !posted {
			in.Metadata["referrer"] = core.Clean(referer, maxMetadataValue)
		}
		if u, err := url.Parse(referer); err == nil {
			q := u.Query()
			for _, k := range utmKeys {
				if _, posted := in.Metadata[k]; !posted && q.Get(k) != "" {
					in.Metadata[k] = core.Clean(q.Get(k), maxMetadataValue)
				}
			}
		}
	}
	if len(in.Metadata) == 0 {
		in.Metadata = nil
	}
	return in, bot, nil
}

func first(vals []string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func join(vals []string, sep string) string {
	var out []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, sep)
}

func cleanKeys(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[core.Clean(k, 64)] = v
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func asRefusal(err error) *refusal {
	if r, ok := err.(*refusal); ok {
		return r
	}
	return refuse(http.StatusBadRequest, "the form could not be read: %v", err)
}

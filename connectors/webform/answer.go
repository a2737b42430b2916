package webform

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"leadwire/internal/lang"
)

// answerer writes answers in the form the client wants: redirects and
// small HTML pages for browsers, JSON for scripts.
type answerer struct {
	w       http.ResponseWriter
	browser bool
	// p is the sender's language: a hidden language field, else their
	// browser's Accept-Language, else the organisation's.
	p *lang.Printer
}

// wantsHTML reports whether the post comes from a browser submitting a
// form rather than from a script.
func wantsHTML(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	if strings.Contains(accept, "text/html") {
		return true
	}
	if strings.Contains(accept, "application/json") {
		return false
	}
	kind, _ := mediaOf(r.Header.Get("Content-Type"))
	return kind == mediaURLEncoded || kind == mediaMultipart
}

// answer is the JSON body of a success: a receipt, which tells an
// anonymous poster nothing of what is stored.
type answer struct {
	Receipt   string `json:"receipt"`
	Duplicate bool   `json:"duplicate,omitempty"`
}

func (a answerer) success(f *form, duplicate bool, receipt string) {
	status := http.StatusCreated
	if duplicate {
		status = http.StatusOK
	}
	if a.browser {
		if f.Redirect != "" {
			a.w.Header().Set("Location", f.Redirect)
			a.w.WriteHeader(http.StatusSeeOther)
			return
		}
		a.page(status, a.p.T("form.thanks.title"), a.p.T("form.thanks.text"), nil)
		return
	}
	a.json(status, answer{Receipt: receipt, Duplicate: duplicate})
}

func (a answerer) refuse(r *refusal) {
	if r.retryAfter > 0 {
		a.w.Header().Set("Retry-After", strconv.Itoa(r.retryAfter))
	}
	if a.browser {
		title := http.StatusText(r.status)
		switch {
		case r.status == http.StatusUnprocessableEntity:
			title = a.p.T("form.problem.title")
		case r.status >= 500:
			title = a.p.T("form.not_saved.title")
		}
		a.page(r.status, title, r.message, r.fields)
		return
	}
	a.json(r.status, struct {
		Error  string            `json:"error"`
		Fields map[string]string `json:"fields,omitempty"`
	}{r.message, r.fields})
}

func (a answerer) json(status int, v any) {
	h := a.w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	a.w.WriteHeader(status)
	enc := json.NewEncoder(a.w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36em; margin: 3em auto; padding: 0 1em">
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
{{- if .Fields}}
<ul>{{range .Fields}}<li><strong>{{.Name}}</strong>: {{.Problem}}</li>{{end}}</ul>
{{- end}}
{{- if ge .Status 400}}
<p>{{.Back}}</p>
{{- end}}
</body></html>
`))

// page writes a small HTML page: a thank-you, or a refusal with what to
// fix.
func (a answerer) page(status int, title, message string, fields map[string]string) {
	type problem struct{ Name, Problem string }
	var list []problem
	for _, name := range sortedKeys(fields) {
		list = append(list, problem{name, fields[name]})
	}
	h := a.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	a.w.WriteHeader(status)
	dir := "ltr"
	if a.p.RTL() {
		dir = "rtl"
	}
	pageTemplate.Execute(a.w, struct {
		Status                          int
		Title, Message, Back, Lang, Dir string
		Fields                          []problem
	}{status, title, message, a.p.T("form.back"), a.p.Lang(), dir, list})
}

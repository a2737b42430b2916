package main

import (
	"html/template"
	"log/slog"
	"net/http"

	"leadwire/core"
	"leadwire/internal/lang"
	"leadwire/internal/problem"
)

// unsubscribePage is the answer to an unsubscribe link.
var unsubscribePage = template.Must(template.New("u").Parse(`<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Title}}</title></head>
<body style="font-family:sans-serif;max-width:32em;margin:4em auto;padding:0 1em">
<h1>{{.Title}}</h1><p>{{.Text}}</p>
{{if .Confirm}}<form method="post"><button type="submit" style="font-size:1.1em;padding:.5em 1.5em">{{.Button}}</button></form>{{end}}
</body></html>
`))

// mountUnsubscribe serves the unsubscribe links of sequence mail: GET, from
// the link in the body, answers a page whose button confirms (mail
// scanners open links, and must not unsubscribe anybody); POST, from that
// button or a mail client's one-click (RFC 8058, List-Unsubscribe-Post),
// unsubscribes.
func (s *server) mountUnsubscribe() error {
	svc, err := s.app.Service()
	if err != nil {
		return err
	}
	h := unsubscribeHandler(svc, s.app.Logger().With("part", "unsubscribe"))
	s.handle("GET /u/{token}", h)
	s.handle("POST /u/{token}", h)
	return nil
}

func unsubscribeHandler(svc *core.Service, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		type pageData struct {
			Title, Text, Button, Lang, Dir string
			Confirm                        bool
		}
		var err error
		var locale string
		done := false
		if r.Method == http.MethodGet {
			locale, err = svc.Sequences.CheckUnsubscribe(r.Context(), r.PathValue("token"))
		} else {
			var c *core.Contact
			if c, err = svc.Sequences.Unsubscribe(r.Context(), r.PathValue("token")); err == nil {
				locale, done = c.Locale, true
			}
		}
		// The person's language as they wrote to us, else their
		// browser's, else the organisation's.
		p := lang.Default().For(locale, lang.AcceptLanguage(r.Header.Get("Accept-Language")), svc.Settings().Locale)
		page := pageData{Title: p.T("unsubscribe.confirm.title"), Text: p.T("unsubscribe.confirm.text"), Confirm: true}
		if done {
			page = pageData{Title: p.T("unsubscribe.done.title"), Text: p.T("unsubscribe.done.text")}
		}
		page.Button, page.Lang, page.Dir = p.T("unsubscribe.button"), p.Lang(), "ltr"
		if p.RTL() {
			page.Dir = "rtl"
		}
		pr := problem.Of(err)
		switch pr.Status {
		case http.StatusOK:
		case http.StatusNotFound, http.StatusUnprocessableEntity:
			// One answer for a damaged link and one whose enrolment is
			// gone, naming nothing of ours.
			pr.Status = http.StatusNotFound
			page.Title, page.Text, page.Confirm = p.T("unsubscribe.invalid.title"), p.T("unsubscribe.invalid.text"), false
		default:
			log.Error("unsubscribe failed", "method", r.Method, "err", err)
			page.Title, page.Text, page.Confirm = p.T("unsubscribe.failed.title"), p.T("unsubscribe.failed.text"), false
		}
		code := pr.Status
		pr.SetRetryAfter(w.Header())
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_ = unsubscribePage.Execute(w, page)
	}
}

package main

import (
	"html/template"
	"net/http"

	"leadwire/core"
)

// unsubscribePage is the answer to an unsubscribe link.
var unsubscribePage = template.Must(template.New("u").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Title}}</title></head>
<body style="font-family:sans-serif;max-width:32em;margin:4em auto;padding:0 1em">
<h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>
`))

// mountUnsubscribe serves the unsubscribe links of sequence mail: GET from
// the link in the body, POST from a mail client's one-click button (RFC
// 8058, List-Unsubscribe-Post).
func (s *server) mountUnsubscribe() error {
	svc, err := s.app.Service()
	if err != nil {
		return err
	}
	h := unsubscribeHandler(svc)
	s.handle("GET /u/{token}", h)
	s.handle("POST /u/{token}", h)
	return nil
}

func unsubscribeHandler(svc *core.Service) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, err := svc.Unsubscribe(r.Context(), r.PathValue("token"))
		page := struct{ Title, Text string }{"You are unsubscribed", "You will get no more of these emails from us."}
		code := http.StatusOK
		switch core.KindOf(err) {
		case core.KindInternal:
			if err != nil {
				code, page.Title, page.Text = http.StatusInternalServerError, "Something went wrong", "We could not unsubscribe you just now; please try the link again in a few minutes."
			}
		case core.KindNotFound, core.KindInvalid:
			code, page.Title, page.Text = http.StatusNotFound, "Link not recognised", core.Message(err)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_ = unsubscribePage.Execute(w, page)
	}
}

package main

import (
	"html/template"
	"log/slog"
	"net/http"

	"leadwire/core"
	"leadwire/internal/problem"
)

// unsubscribePage is the answer to an unsubscribe link.
var unsubscribePage = template.Must(template.New("u").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Title}}</title></head>
<body style="font-family:sans-serif;max-width:32em;margin:4em auto;padding:0 1em">
<h1>{{.Title}}</h1><p>{{.Text}}</p>
{{if .Confirm}}<form method="post"><button type="submit" style="font-size:1.1em;padding:.5em 1.5em">Unsubscribe</button></form>{{end}}
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
			Title, Text string
			Confirm     bool
		}
		page := pageData{Title: "You are unsubscribed", Text: "You will get no more of these emails from us."}
		var err error
		if r.Method == http.MethodGet {
			err = svc.Sequences.CheckUnsubscribe(r.Context(), r.PathValue("token"))
			page = pageData{Title: "Unsubscribe?", Text: "Press the button and you will get no more of these emails from us.", Confirm: true}
		} else {
			_, err = svc.Sequences.Unsubscribe(r.Context(), r.PathValue("token"))
		}
		p := problem.Of(err)
		switch p.Status {
		case http.StatusOK:
		case http.StatusNotFound, http.StatusUnprocessableEntity:
			// One answer for a damaged link and one whose enrolment is
			// gone, naming nothing of ours.
			p.Status = http.StatusNotFound
			page = pageData{Title: "Link not recognised", Text: "This unsubscribe link is damaged or no longer valid; copy the whole link from the mail, or reply to the mail and ask us to stop."}
		default:
			log.Error("unsubscribe failed", "method", r.Method, "err", err)
			page = pageData{Title: "Something went wrong", Text: "We could not unsubscribe you just now; please try the link again in a few minutes."}
		}
		code := p.Status
		p.SetRetryAfter(w.Header())
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_ = unsubscribePage.Execute(w, page)
	}
}

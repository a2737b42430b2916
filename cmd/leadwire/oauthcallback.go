package main

import (
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"golang.org/x/oauth2"

	"leadwire/cmd/leadwire/config"
	"leadwire/core"
	"leadwire/internal/mailauth"
	"leadwire/internal/problem"
)

var signInPage = template.Must(template.New("s").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Title}}</title></head>
<body style="font-family:sans-serif;max-width:32em;margin:4em auto;padding:0 1em">
<h1>{{.Title}}</h1><p>{{.Text}}</p>
</body></html>
`))

// mountOAuthCallback answers the provider's redirect of a sign-in begun by
// `leadwire email connect NAME --via-server`. Anyone may call it, but it
// acts only on a state such a sign-in left, once and before it expires:
// a forged, replayed or late answer is refused with 404 and changes
// nothing. The grant is stored sealed; nothing secret is shown.
func (s *server) mountOAuthCallback() error {
	if s.app.cfg == nil || !hasOAuthMailbox(s.app.cfg) {
		return nil
	}
	grants, box, err := s.app.Grants()
	if err != nil || box == nil {
		return err
	}
	s.handle("GET "+mailauth.CallbackPath, oauthCallback(s.app.cfg, grants, s.app.Logger().With("part", "oauth")))
	return nil
}

func hasOAuthMailbox(cfg *config.Config) bool {
	for _, m := range cfg.Email.Mailboxes {
		if m.Auth == string(mailauth.OAuth2) {
			return true
		}
	}
	return false
}

func oauthCallback(cfg *config.Config, grants *core.Grants, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page := func(status int, title, text string) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(status)
			_ = signInPage.Execute(w, struct{ Title, Text string }{title, text})
		}
		q := r.URL.Query()
		state := q.Get("state")
		pending, err := grants.Take(r.Context(), state)
		if err != nil {
			p := problem.Of(err)
			if p.Status == http.StatusNotFound {
				page(http.StatusNotFound, "Sign-in not recognised", core.Message(err))
				return
			}
			p.Write(w)
			return
		}
		finish := func(failure string) {
			if err := grants.Finish(r.Context(), state, failure); err != nil {
				log.Error("record the sign-in's outcome", "connector", pending.Connector, "err", err)
			}
		}
		name := strings.TrimPrefix(pending.Connector, core.ChannelEmail+":")
		m, err := oauthMailbox(cfg, name)
		if err != nil {
			finish(core.Message(err))
			page(http.StatusNotFound, "Sign-in not recognised", core.Message(err))
			return
		}
		set := m.OAuth2.Settings()
		var failure error
		if code := q.Get("error"); code != "" {
			failure = mailauth.Explain(set, &oauth2.RetrieveError{ErrorCode: code, ErrorDescription: q.Get("error_description")})
		}
		if failure == nil {
			tok, err := mailauth.Exchange(r.Context(), set, pending.Redirect, q.Get("code"), pending.Verifier)
			switch {
			case err != nil:
				failure = err
			case tok.RefreshToken == "":
				failure = core.Errorf(core.KindInvalid, "the provider gave no refresh token; ask for offline access")
			default:
				failure = grants.Put(r.Context(), &core.Grant{Connector: pending.Connector, Provider: string(set.Provider), Account: m.Username,
					RefreshToken: tok.RefreshToken, AccessToken: tok.AccessToken, Expiry: tok.Expiry})
			}
		}
		if failure != nil {
			log.Warn("sign-in failed", "connector", pending.Connector, "err", failure)
			finish(failure.Error())
			page(http.StatusForbidden, "Sign-in failed", failure.Error())
			return
		}
		log.Info("signed in", "connector", pending.Connector, "account", m.Username)
		finish("")
		page(http.StatusOK, "Signed in", "Mailbox "+name+" reads "+m.Username+" now. You may close this page.")
	}
}

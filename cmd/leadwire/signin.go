package main

import (
	"context"
	"fmt"
	"time"

	"leadwire/cmd/leadwire/config"
	"leadwire/core"
	"leadwire/internal/display"
	"leadwire/internal/mailauth"
	"leadwire/internal/view"
)

// signInJSON is how a connector signs in, in `connectors status --json`:
// never a token.
type signInJSON struct {
	Kind        string  `json:"kind"`               // password or oauth2
	Provider    string  `json:"provider,omitempty"` // google, microsoft, generic
	Grant       string  `json:"grant,omitempty"`    // delegated or app
	Account     string  `json:"account,omitempty"`
	SignedIn    *string `json:"signed_in,omitempty"`    // when the person signed in (delegated)
	TokenExpiry *string `json:"token_expiry,omitempty"` // the stored access token's expiry
	Needed      string  `json:"needed,omitempty"`       // what to do: nobody signed in yet
}

// signIns says how each configured mailbox and the SMTP relay sign in,
// by connector name, from the config and the stored grants (read without
// the key: their tokens stay sealed).
func signIns(ctx context.Context, cfg *config.Config, svc *core.Service) (map[string]signInJSON, error) {
	stored, err := core.NewGrants(svc, nil).Statuses(ctx)
	if err != nil {
		return nil, err
	}
	grants := map[string]core.GrantStatus{}
	for _, g := range stored {
		grants[g.Connector] = g
	}
	describe := func(auth string, o config.OAuth2, account, grantOf string) signInJSON {
		if auth != string(mailauth.OAuth2) {
			return signInJSON{Kind: string(mailauth.Password), Account: account}
		}
		s := signInJSON{Kind: auth, Provider: o.Provider, Grant: o.Grant, Account: account}
		if o.Grant == string(mailauth.App) {
			return s
		}
		g, ok := grants[core.ConnectorName(core.ChannelEmail, grantOf)]
		if !ok {
			s.Needed = "sign-in needed: run `leadwire email connect " + grantOf + "`"
			return s
		}
		s.Account, s.SignedIn, s.TokenExpiry = g.Account, view.Time(g.CreatedAt), view.Time(g.Expiry)
		return s
	}
	out := map[string]signInJSON{}
	for _, m := range cfg.Email.Mailboxes {
		out[core.ConnectorName(core.ChannelEmail, m.Name)] = describe(m.Auth, m.OAuth2, m.Username, m.Name)
	}
	if s := cfg.SMTP; s.Enabled() {
		out[core.SMTPConnector(s.Host)] = describe(s.Auth, s.OAuth2, s.Username, s.Mailbox)
	}
	return out, nil
}

// signInText is the SIGN-IN column: "oauth2 microsoft sales@x, signed in
// 3d ago, token until 2026-12-02 14:05 UTC".
func signInText(now time.Time, s signInJSON, ok bool) string {
	if !ok {
		return "-"
	}
	if s.Kind != string(mailauth.OAuth2) {
		return s.Kind
	}
	text := fmt.Sprintf("oauth2 %s %s %s", s.Provider, s.Grant, s.Account)
	switch {
	case s.Needed != "":
		text += "; " + s.Needed
	case s.SignedIn != nil:
		signed, _ := time.Parse(time.RFC3339, *s.SignedIn)
		text += ", signed in " + display.Duration(max(now.Sub(signed), 0)) + " ago"
		if s.TokenExpiry != nil {
			exp, _ := time.Parse(time.RFC3339, *s.TokenExpiry)
			text += ", token until " + exp.UTC().Format("2006-01-02 15:04 UTC")
		}
	}
	return text
}

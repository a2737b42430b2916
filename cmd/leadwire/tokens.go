package main

import (
	"fmt"
	"strings"

	"leadwire/core"
	"leadwire/internal/display"
	"leadwire/internal/view"
)

// TokensCmd groups the token subcommands.
type TokensCmd struct {
	Create TokensCreateCmd `cmd:"" help:"Create a token for POST /api/v1/inbound, or with --scopes and --as for the REST API, and print it, once."`
	List   TokensListCmd   `cmd:"" help:"List tokens: name, source, created, last used, revoked."`
	Revoke TokensRevokeCmd `cmd:"" help:"Revoke a token by name or id; it stops working at once."`
}

// TokensCreateCmd creates a webhook token.
type TokensCreateCmd struct {
	Name   string `arg:"" help:"A name that says who uses it, e.g. zapier-prod."`
	Source string `help:"Bind the token to this webhook source: its deliveries are that source's." placeholder:"SOURCE"`
	Scopes string `help:"What the token may do: read, write, inbound, hooks, comma-separated (default inbound)." placeholder:"SCOPES"`
	Role   string `help:"An integration token acting as no user, with a role of its own: admin, or manager with --team." placeholder:"ROLE"`
	Team   string `help:"The team a manager's integration token sees." placeholder:"TEAM"`
}

// Run creates the token and prints its secret alone on stdout, so that a
// script can capture it; the note about it goes to stderr. With --scopes,
// the global --as names the user the token acts as (the operator, who
// runs the CLI with admin rights, makes it); without, --as is who makes
// it, as for every command.
func (c *TokensCreateCmd) Run(a *App) error {
	scopes, err := core.ParseScopes(c.Scopes)
	if err != nil {
		return err
	}
	spec := core.TokenSpec{Name: c.Name, Source: c.Source, Scopes: scopes, Role: core.Role(strings.ToLower(strings.TrimSpace(c.Role))), Team: c.Team}
	var svc *core.Service
	var actor *core.User
	if len(scopes) > 0 {
		if spec.Role == "" {
			spec.As = a.cli.As
		}
		svc, err = a.Service()
	} else {
		svc, actor, err = a.session()
	}
	if err != nil {
		return err
	}
	tok, secret, err := svc.Directory.CreateTokenFor(a.ctx, actor, spec)
	if err != nil {
		return err
	}
	what := "any source"
	if tok.Source != "" {
		what = "source " + tok.Source
	}
	if tok.UserID != 0 {
		what = "scopes " + tok.ScopeNames() + ", acting as " + spec.As
	}
	if tok.Role != "" {
		what = "scopes " + tok.ScopeNames() + ", an integration acting as " + string(tok.Role)
		if c.Team != "" {
			what += " of " + c.Team
		}
	}
	fmt.Fprintf(a.errOut, "created token %s (id %d, %s). Copy it now: only its hash is kept, it cannot be shown again.\n"+
		"Callers send it as: Authorization: Bearer <token>\n", tok.Name, tok.ID, what)
	fmt.Fprintln(a.out, secret)
	return nil
}

// TokensListCmd lists tokens.
type TokensListCmd struct {
	JSON bool `help:"Print JSON."`
}

type tokenJSON struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	Source   string  `json:"source,omitempty"`
	Scopes   string  `json:"scopes"`
	As       string  `json:"as,omitempty"`
	Role     string  `json:"role,omitempty"` // an integration token's
	Team     string  `json:"team,omitempty"`
	Hint     string  `json:"hint"`
	Created  *string `json:"created"`
	LastUsed *string `json:"last_used"`
	Revoked  *string `json:"revoked"`
}

// Run prints the tokens, revoked ones included.
func (c *TokensListCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	tokens, err := svc.Directory.ListTokens(a.ctx, actor)
	if err != nil {
		return err
	}
	emails, err := a.userEmails()
	if err != nil {
		return err
	}
	teams := map[int64]string{}
	ts, err := svc.Directory.Teams(a.ctx)
	if err != nil {
		return err
	}
	for _, t := range ts {
		teams[t.ID] = t.Name
	}
	if c.JSON {
		out := make([]tokenJSON, len(tokens))
		for i, t := range tokens {
			out[i] = tokenJSON{ID: t.ID, Name: t.Name, Source: t.Source, Scopes: t.ScopeNames(), As: emails[t.UserID], Role: string(t.Role), Team: teams[t.TeamID], Hint: t.Hint + "…",
				Created: view.Time(t.CreatedAt), LastUsed: view.Time(t.LastUsedAt), Revoked: view.Time(t.RevokedAt)}
		}
		return a.JSON(out)
	}
	if len(tokens) == 0 {
		fmt.Fprintln(a.out, "no tokens yet; create one with leadwire tokens create NAME [--source SOURCE]")
		return nil
	}
	w := display.NewTable(a.out)
	fmt.Fprintln(w, "ID\tNAME\tSOURCE\tSCOPES\tAS\tTOKEN\tCREATED\tLAST USED\tREVOKED")
	for _, t := range tokens {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s…\t%s\t%s\t%s\n", t.ID, t.Name, orDash(t.Source), t.ScopeNames(), orDash(tokenAs(&t, emails, teams)), t.Hint,
			a.when(actor, t.CreatedAt), a.when(actor, t.LastUsedAt), a.when(actor, t.RevokedAt))
	}
	return w.Flush()
}

// TokensRevokeCmd revokes a token.
type TokensRevokeCmd struct {
	Token string `arg:"" help:"The token's name, or its id from leadwire tokens list."`
}

// Run revokes the token.
func (c *TokensRevokeCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	tok, err := svc.Directory.RevokeToken(a.ctx, actor, c.Token)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "revoked token %s (id %d); deliveries with it are refused from now on\n", tok.Name, tok.ID)
	return nil
}

// tokenAs says whom a token acts as: its user's email, or an integration's
// role (and team).
func tokenAs(t *core.Token, emails, teams map[int64]string) string {
	if t.Role == "" {
		return emails[t.UserID]
	}
	if t.TeamID != 0 {
		return string(t.Role) + " of " + teams[t.TeamID] + " (integration)"
	}
	return string(t.Role) + " (integration)"
}

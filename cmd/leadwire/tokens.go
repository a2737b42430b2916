package main

import (
	"fmt"

	"leadwire/internal/display"
	"leadwire/internal/view"
)

// TokensCmd groups the token subcommands.
type TokensCmd struct {
	Create TokensCreateCmd `cmd:"" help:"Create a token for POST /api/v1/inbound and print it, once."`
	List   TokensListCmd   `cmd:"" help:"List tokens: name, source, created, last used, revoked."`
	Revoke TokensRevokeCmd `cmd:"" help:"Revoke a token by name or id; it stops working at once."`
}

// TokensCreateCmd creates a webhook token.
type TokensCreateCmd struct {
	Name   string `arg:"" help:"A name that says who uses it, e.g. zapier-prod."`
	Source string `help:"Bind the token to this webhook source: its deliveries are that source's." placeholder:"SOURCE"`
}

// Run creates the token and prints its secret alone on stdout, so that a
// script can capture it; the note about it goes to stderr.
func (c *TokensCreateCmd) Run(a *App) error {
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	tok, secret, err := svc.Directory.CreateToken(a.ctx, actor, c.Name, c.Source)
	if err != nil {
		return err
	}
	source := "any source"
	if tok.Source != "" {
		source = "source " + tok.Source
	}
	fmt.Fprintf(a.errOut, "created token %s (id %d, %s). Copy it now: only its hash is kept, it cannot be shown again.\n"+
		"Senders send it as: Authorization: Bearer <token>\n", tok.Name, tok.ID, source)
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
	if c.JSON {
		out := make([]tokenJSON, len(tokens))
		for i, t := range tokens {
			out[i] = tokenJSON{ID: t.ID, Name: t.Name, Source: t.Source, Hint: t.Hint + "…",
				Created: view.Time(t.CreatedAt), LastUsed: view.Time(t.LastUsedAt), Revoked: view.Time(t.RevokedAt)}
		}
		return a.JSON(out)
	}
	if len(tokens) == 0 {
		fmt.Fprintln(a.out, "no tokens yet; create one with leadwire tokens create NAME [--source SOURCE]")
		return nil
	}
	w := display.NewTable(a.out)
	fmt.Fprintln(w, "ID\tNAME\tSOURCE\tTOKEN\tCREATED\tLAST USED\tREVOKED")
	for _, t := range tokens {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s…\t%s\t%s\t%s\n", t.ID, t.Name, orDash(t.Source), t.Hint,
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

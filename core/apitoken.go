package core

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Scope is one thing a token may do.
type Scope string

// The scopes a token may hold.
const (
	// ScopeRead reads the pipeline through the REST API.
	ScopeRead Scope = "read"
	// ScopeWrite changes it (and reads it too).
	ScopeWrite Scope = "write"
	// ScopeInbound delivers leads to the webhook intake.
	ScopeInbound Scope = "inbound"
	// ScopeHooks manages outgoing webhook subscriptions.
	ScopeHooks Scope = "hooks"
)

// Scopes lists every scope, in the order they are shown.
var Scopes = []Scope{ScopeRead, ScopeWrite, ScopeInbound, ScopeHooks}

// TokenSpec says what token to make.
type TokenSpec struct {
	Name   string
	Source string // the webhook source an intake token delivers as
	// Scopes are what the token may do; none makes an intake token.
	Scopes []Scope
	// As is the email of the user an API token acts as; the read, write
	// and hooks scopes need one, or else a Role.
	As string
	// Role makes an integration token, acting as no user: an admin, or a
	// manager of Team.
	Role Role
	Team string
}

// ParseScopes reads a comma-separated list of scope names.
func ParseScopes(s string) ([]Scope, error) {
	var out []Scope
	for f := range strings.SplitSeq(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		if !slices.Contains(Scopes, Scope(f)) {
			return nil, Errorf(KindInvalid, "unknown scope %q; use read, write, inbound or hooks", f)
		}
		if !slices.Contains(out, Scope(f)) {
			out = append(out, Scope(f))
		}
	}
	return out, nil
}

// checkScopes returns scopes in their shown order, or the intake scope
// alone for none; an API scope needs a user to act as, or a role.
func checkScopes(scopes []Scope, as string, role Role) ([]Scope, error) {
	for _, s := range scopes {
		if !slices.Contains(Scopes, s) {
			return nil, Errorf(KindInvalid, "unknown scope %q; use read, write, inbound or hooks", s)
		}
	}
	var out []Scope
	for _, s := range Scopes {
		if slices.Contains(scopes, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		out = []Scope{ScopeInbound}
	}
	api := slices.ContainsFunc(out, func(s Scope) bool { return s != ScopeInbound })
	switch {
	case as != "" && role != "":
		return nil, Errorf(KindInvalid, "a token acts as a user (--as EMAIL) or with a role of its own (--role), not both")
	case role != "" && !api:
		return nil, Errorf(KindInvalid, "a role is for an API token; give it --scopes read, write or hooks")
	case role == RoleRep:
		return nil, Errorf(KindInvalid, "a rep's token acts as that rep: use --as EMAIL; an integration token is an admin or a manager of a team")
	case role != "" && role != RoleAdmin && role != RoleManager:
		return nil, Errorf(KindInvalid, "unknown role %q; an integration token is an admin or a manager (--role manager --team NAME)", role)
	case as == "" && role == "" && api:
		return nil, Errorf(KindInvalid, "a token with the read, write or hooks scope acts as a user (--as EMAIL) or as an integration with a role (--role manager --team NAME)")
	}
	return out, nil
}

// Allows reports whether the token holds scope s. Write implies read; a
// token made before scopes existed delivers leads only.
func (t *Token) Allows(s Scope) bool {
	if len(t.Scopes) == 0 {
		return s == ScopeInbound
	}
	return slices.Contains(t.Scopes, s) || (s == ScopeRead && slices.Contains(t.Scopes, ScopeWrite))
}

// ScopeNames is the token's scopes as words ("read,write").
func (t *Token) ScopeNames() string {
	if len(t.Scopes) == 0 {
		return string(ScopeInbound)
	}
	var b strings.Builder
	for i, s := range t.Scopes {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(s))
	}
	return b.String()
}

// TokenActor verifies an API token and returns it with the user it acts
// as, as that user is now (a changed role or team applies at once). A
// token without the scope is refused with an error of KindForbidden.
func (d *Directory) TokenActor(ctx context.Context, secret string, need Scope) (*Token, *User, error) {
	t, err := d.VerifyToken(ctx, secret)
	if err != nil {
		return t, nil, err
	}
	if t.UserID == 0 && t.Role == "" {
		return t, nil, Errorf(KindForbidden, "token %s delivers leads only; create an API token with leadwire tokens create NAME --scopes read --as EMAIL", t.Name)
	}
	if !t.Allows(need) {
		return t, nil, Errorf(KindForbidden, "token %s has the scopes %s, not %s", t.Name, t.ScopeNames(), need)
	}
	if t.UserID == 0 {
		// An integration: its own role, as nobody in particular.
		return t, &User{Name: "token " + t.Name, Role: t.Role, TeamID: t.TeamID, Active: true, Acting: Arg{Token: t.Name}}, nil
	}
	u, err := d.store.UserByID(ctx, t.UserID)
	if err != nil {
		return t, nil, fmt.Errorf("token %s: %w", t.Name, err)
	}
	if !u.Active {
		return t, nil, Errorf(KindForbidden, "token %s acts as %s, who is no longer active", t.Name, u.Email)
	}
	return t, u, nil
}

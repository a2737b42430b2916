package core_test

import (
	"strings"
	"testing"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func TestAPITokensActAsAUserWithinTheirScopes(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		_, reader, err := f.svc.Directory.CreateTokenFor(f.ctx, f.admin, core.TokenSpec{Name: "bi", Scopes: []core.Scope{core.ScopeRead}, As: "niran@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		_, writer, err := f.svc.Directory.CreateTokenFor(f.ctx, f.admin, core.TokenSpec{Name: "n8n", Scopes: []core.Scope{core.ScopeWrite}, As: "somchai@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		_, intake, err := f.svc.Directory.CreateToken(f.ctx, f.admin, "typeform", "")
		if err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			name, secret string
			need         core.Scope
			as           string // "" when refused
			refusal      string
		}{
			{"a read token reads as its user", reader, core.ScopeRead, "niran@example.com", ""},
			{"a read token cannot write", reader, core.ScopeWrite, "", "token bi has the scopes read, not write"},
			{"a write token reads too", writer, core.ScopeRead, "somchai@example.com", ""},
			{"a write token writes", writer, core.ScopeWrite, "somchai@example.com", ""},
			{"an intake token cannot read", intake, core.ScopeRead, "", "token typeform delivers leads only"},
			{"an unknown secret is refused", "lw_nope", core.ScopeRead, "", "unknown token"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, u, err := f.svc.Directory.TokenActor(f.ctx, tc.secret, tc.need)
				if tc.as != "" {
					if err != nil || u.Email != tc.as {
						t.Fatalf("got %v, %v; want %s", u, err, tc.as)
					}
					return
				}
				if core.KindOf(err) != core.KindForbidden || !strings.Contains(core.Message(err), tc.refusal) {
					t.Fatalf("got %v, want forbidden %q", err, tc.refusal)
				}
			})
		}

		t.Run("an API scope needs a user to act as", func(t *testing.T) {
			_, _, err := f.svc.Directory.CreateTokenFor(f.ctx, f.admin, core.TokenSpec{Name: "x", Scopes: []core.Scope{core.ScopeRead}})
			if core.KindOf(err) != core.KindInvalid || !strings.Contains(err.Error(), "--as EMAIL") {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("acting as an unknown user is not found", func(t *testing.T) {
			_, _, err := f.svc.Directory.CreateTokenFor(f.ctx, f.admin, core.TokenSpec{Name: "x", Scopes: []core.Scope{core.ScopeRead}, As: "ghost@example.com"})
			if !core.IsNotFound(err) || !strings.Contains(err.Error(), "no user ghost@example.com") {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("an unknown scope is invalid", func(t *testing.T) {
			if _, err := core.ParseScopes("read, admin"); core.KindOf(err) != core.KindInvalid {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("only an admin makes tokens", func(t *testing.T) {
			_, _, err := f.svc.Directory.CreateTokenFor(f.ctx, f.mgr, core.TokenSpec{Name: "mine", Scopes: []core.Scope{core.ScopeRead}, As: "somchai@example.com"})
			if core.KindOf(err) != core.KindForbidden {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("a changed role applies to the token at once", func(t *testing.T) {
			if _, err := f.svc.Directory.SaveUser(f.ctx, nil, core.UserDef{Email: "niran@example.com", Role: core.RoleManager, Team: "Bangkok"}); err != nil {
				t.Fatal(err)
			}
			_, u, err := f.svc.Directory.TokenActor(f.ctx, reader, core.ScopeRead)
			if err != nil || u.Role != core.RoleManager {
				t.Fatalf("got %v, %v", u, err)
			}
		})
	})
}

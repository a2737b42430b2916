package core

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Token is a bearer credential for the webhook intake. Its secret is shown
// once, when it is created; only the secret's SHA-256 hash is stored, so a
// copy of the database cannot be used to deliver leads.
type Token struct {
	ID         int64
	Name       string // unique among tokens not revoked
	Source     string // the webhook source it delivers as; "" lets the delivery name it
	Hash       string // hex SHA-256 of the secret
	Hint       string // the secret's first characters, to tell tokens apart: "lw_k3j9"
	CreatedAt  time.Time
	LastUsedAt time.Time // zero: never used
	RevokedAt  time.Time // zero: in force
	// Scopes are what the token may do; none is a webhook-intake token
	// made before scopes existed, which may deliver leads only.
	Scopes []Scope
	// UserID is the user an API token acts as, with that user's
	// permissions (0 for an intake token).
	UserID int64
	// Role and TeamID are an integration token's own permissions: it acts
	// as no user, as an admin or as a manager of the team.
	Role   Role
	TeamID int64
}

// Revoked reports whether the token has been revoked.
func (t *Token) Revoked() bool { return !t.RevokedAt.IsZero() }

// TokenPrefix starts every token secret, so a leaked one is recognisable
// (and secret scanners can look for it).
const TokenPrefix = "lw_"

// tokenHintLen is how much of the secret the hint keeps: the prefix and
// four of its 52 random characters, 20 of its 256 bits.
const tokenHintLen = len(TokenPrefix) + 4

// touchEvery is how stale a token's last-used time may get before a
// verification writes it again: one write a minute, not one a request.
const touchEvery = time.Minute

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTokenSecret returns "lw_" and 32 random bytes in lower-case base32.
func newTokenSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails: see crypto/rand.Read
	return TokenPrefix + strings.ToLower(tokenEncoding.EncodeToString(b))
}

// HashToken returns the hex SHA-256 of a token secret, as stored.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// validTokenName reports whether s can name a token or a source: letters,
// digits, '-', '_' and '.', up to 64, not only digits (so a name never reads
// as an id).
func validTokenName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	digits := true
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '-', r == '_', r == '.':
			digits = false
		default:
			return false
		}
	}
	return !digits
}

// CreateToken makes a token for the webhook intake and returns it with its
// secret, which is not stored and cannot be shown again. A non-empty source
// binds the token to that webhook source.
func (d *Directory) CreateToken(ctx context.Context, actor *User, name, source string) (*Token, string, error) {
	return d.CreateTokenFor(ctx, actor, TokenSpec{Name: name, Source: source})
}

// CreateTokenFor makes a token as spec says and returns it with its secret,
// which is not stored and cannot be shown again.
func (d *Directory) CreateTokenFor(ctx context.Context, actor *User, spec TokenSpec) (*Token, string, error) {
	name, source := spec.Name, spec.Source
	if actor != nil && actor.Role != RoleAdmin {
		return nil, "", Errorf(KindForbidden, "only an admin manages tokens")
	}
	name, source = strings.TrimSpace(name), strings.TrimSpace(source)
	if !validTokenName(name) {
		return nil, "", Errorf(KindInvalid, "invalid token name %q; use up to 64 letters, digits, '-', '_' or '.', such as zapier-prod", name)
	}
	if source != "" && !validTokenName(source) {
		return nil, "", Errorf(KindInvalid, "invalid source %q; use up to 64 letters, digits, '-', '_' or '.', such as typeform", source)
	}
	scopes, err := checkScopes(spec.Scopes, spec.As, spec.Role)
	if err != nil {
		return nil, "", fmt.Errorf("create token %s: %w", name, err)
	}
	if spec.Role == RoleManager && strings.TrimSpace(spec.Team) == "" {
		return nil, "", Errorf(KindInvalid, "create token %s: a manager's token sees one team's pipeline; name it with --team NAME", name)
	}
	secret := newTokenSecret()
	t := &Token{Name: name, Source: source, Hash: HashToken(secret), Hint: secret[:tokenHintLen], CreatedAt: d.clock.Now(), Scopes: scopes, Role: spec.Role}
	err = d.store.Update(ctx, func(tx Tx) error {
		if spec.Team != "" {
			tm, err := tx.TeamByName(ctx, spec.Team)
			if err != nil {
				return err
			}
			t.TeamID = tm.ID
		}
		if spec.As != "" {
			u, err := tx.UserByEmail(ctx, spec.As)
			if IsNotFound(err) {
				return Errorf(KindNotFound, "no user %s to act as; see leadwire users list", spec.As)
			}
			if err != nil {
				return err
			}
			t.UserID = u.ID
		}
		tokens, err := tx.ListTokens(ctx)
		if err != nil {
			return err
		}
		for _, o := range tokens {
			if o.Name == name && !o.Revoked() {
				return Errorf(KindConflict, "a token named %s exists already; revoke it first or pick another name", name)
			}
		}
		if err := tx.CreateToken(ctx, t); err != nil {
			return err
		}
		return d.audit(ctx, tx, actor, AuditEntry{Action: "token.create", Target: t.Name,
			Changes: []FieldChange{{Field: "source", After: t.Source}}, Note: fmt.Sprintf("token %d", t.ID)})
	})
	if err != nil {
		return nil, "", fmt.Errorf("create token %s: %w", name, err)
	}
	return t, secret, nil
}

// VerifyToken returns the token whose secret was presented. An unknown
// secret is an error of KindForbidden; so is a revoked token, returned with
// the error so that the refusal can be logged under its name. The token's
// last-used time is brought up to date at most once a minute.
func (d *Directory) VerifyToken(ctx context.Context, secret string) (*Token, error) {
	unknown := Errorf(KindForbidden, "unknown token; create one with leadwire tokens create")
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 128 {
		return nil, unknown
	}
	hash := HashToken(secret)
	t, err := d.store.TokenByHash(ctx, hash)
	if IsNotFound(err) {
		return nil, unknown
	}
	if err != nil {
		return nil, fmt.Errorf("verify token: %w", err)
	}
	// The lookup matched by hash already; comparing in constant time costs
	// nothing and keeps the check honest whatever the store does.
	if subtle.ConstantTimeCompare([]byte(t.Hash), []byte(hash)) != 1 {
		return nil, unknown
	}
	if t.Revoked() {
		return t, Errorf(KindForbidden, "token %s was revoked on %s", t.Name, t.RevokedAt.Format(time.DateOnly))
	}
	now := d.clock.Now()
	if now.Sub(t.LastUsedAt) >= touchEvery {
		t.LastUsedAt = now
		if err := d.store.Update(ctx, func(tx Tx) error { return tx.UpdateToken(ctx, t) }); err != nil {
			return nil, fmt.Errorf("verify token %s: %w", t.Name, err)
		}
	}
	return t, nil
}

// RevokeToken revokes the token in force with the name, or the token with
// the id; a revoked token stops working at once.
func (d *Directory) RevokeToken(ctx context.Context, actor *User, nameOrID string) (*Token, error) {
	if actor != nil && actor.Role != RoleAdmin {
		return nil, Errorf(KindForbidden, "only an admin manages tokens")
	}
	nameOrID = strings.TrimSpace(nameOrID)
	id, _ := strconv.ParseInt(nameOrID, 10, 64)
	var t *Token
	err := d.store.Update(ctx, func(tx Tx) error {
		tokens, err := tx.ListTokens(ctx)
		if err != nil {
			return err
		}
		for i := range tokens {
			o := &tokens[i]
			if (id != 0 && o.ID == id) || (id == 0 && o.Name == nameOrID && !o.Revoked()) {
				t = o
				break
			}
		}
		if t == nil {
			return Errorf(KindNotFound, "no token %q in force; see leadwire tokens list", nameOrID)
		}
		if t.Revoked() {
			return Errorf(KindConflict, "token %s (id %d) was revoked already on %s", t.Name, t.ID, t.RevokedAt.Format(time.DateOnly))
		}
		t.RevokedAt = d.clock.Now()
		if err := tx.UpdateToken(ctx, t); err != nil {
			return err
		}
		return d.audit(ctx, tx, actor, AuditEntry{Action: "token.revoke", Target: t.Name, Note: fmt.Sprintf("token %d", t.ID)})
	})
	if err != nil {
		return nil, fmt.Errorf("revoke token %s: %w", nameOrID, err)
	}
	return t, nil
}

// ListTokens returns every token, revoked ones included, oldest first.
func (d *Directory) ListTokens(ctx context.Context, actor *User) ([]Token, error) {
	if actor != nil && actor.Role != RoleAdmin {
		return nil, Errorf(KindForbidden, "only an admin manages tokens")
	}
	tokens, err := d.store.ListTokens(ctx)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return tokens, nil
}

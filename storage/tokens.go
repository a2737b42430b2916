package storage

import (
	"context"
	"fmt"
	"strings"

	"leadwire/core"
)

const tokenCols = `id, name, source, hash, hint, created_at, last_used_at, revoked_at, scopes, user_id, role, team_id`

type tokenRow struct {
	ID         int64    `db:"id"`
	Name       string   `db:"name"`
	Source     string   `db:"source"`
	Hash       string   `db:"hash"`
	Hint       string   `db:"hint"`
	CreatedAt  nullTime `db:"created_at"`
	LastUsedAt nullTime `db:"last_used_at"`
	RevokedAt  nullTime `db:"revoked_at"`
	Scopes     string   `db:"scopes"`
	UserID     nullID   `db:"user_id"`
	Role       string   `db:"role"`
	TeamID     nullID   `db:"team_id"`
}

func (r *tokenRow) token() core.Token {
	t := core.Token{ID: r.ID, Name: r.Name, Source: r.Source, Hash: r.Hash, Hint: r.Hint,
		CreatedAt: r.CreatedAt.t, LastUsedAt: r.LastUsedAt.t, RevokedAt: r.RevokedAt.t, UserID: int64(r.UserID),
		Role: core.Role(r.Role), TeamID: int64(r.TeamID)}
	for s := range strings.SplitSeq(r.Scopes, ",") {
		if s != "" {
			t.Scopes = append(t.Scopes, core.Scope(s))
		}
	}
	return t
}

// TokenByHash implements core.Reader.
func (r *reader) TokenByHash(ctx context.Context, hash string) (*core.Token, error) {
	var row tokenRow
	err := r.get(ctx, &row, `SELECT `+tokenCols+` FROM api_tokens WHERE hash = ?`, hash)
	if err := found(err, core.Errorf(core.KindNotFound, "unknown token"), "token by hash"); err != nil {
		return nil, err
	}
	t := row.token()
	return &t, nil
}

// ListTokens implements core.Reader.
func (r *reader) ListTokens(ctx context.Context) ([]core.Token, error) {
	var rows []tokenRow
	if err := r.sel(ctx, &rows, `SELECT `+tokenCols+` FROM api_tokens ORDER BY id`); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	out := make([]core.Token, len(rows))
	for i := range rows {
		out[i] = rows[i].token()
	}
	return out, nil
}

// CreateToken implements core.Tx. A name already in force is a conflict.
func (t *Tx) CreateToken(ctx context.Context, tok *core.Token) error {
	var err error
	scopes := make([]string, len(tok.Scopes))
	for i, s := range tok.Scopes {
		scopes[i] = string(s)
	}
	tok.ID, err = t.insert(ctx, `INSERT INTO api_tokens (name, source, hash, hint, created_at, last_used_at, revoked_at, scopes, user_id, role, team_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tok.Name, tok.Source, tok.Hash, tok.Hint, t.d.time(tok.CreatedAt),
		t.d.time(tok.LastUsedAt), t.d.time(tok.RevokedAt), strings.Join(scopes, ","), ref(tok.UserID), string(tok.Role), ref(tok.TeamID))
	if c, ok := uniqueViolation(err); ok && strings.Contains(c, "name") {
		return core.Errorf(core.KindConflict, "a token named %s exists already", tok.Name)
	}
	if err != nil {
		return fmt.Errorf("create token %s: %w", tok.Name, err)
	}
	return nil
}

// UpdateToken implements core.Tx.
func (t *Tx) UpdateToken(ctx context.Context, tok *core.Token) error {
	err := t.update(ctx, core.Errorf(core.KindNotFound, "token %d not found", tok.ID),
		`UPDATE api_tokens SET last_used_at = ?, revoked_at = ? WHERE id = ?`,
		t.d.time(tok.LastUsedAt), t.d.time(tok.RevokedAt), tok.ID)
	if err != nil && !core.IsNotFound(err) {
		return fmt.Errorf("update token %s: %w", tok.Name, err)
	}
	return err
}

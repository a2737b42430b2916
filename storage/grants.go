package storage

import (
	"context"
	"fmt"

	"leadwire/core"
)

// grantRow is a row of oauth_grants.
type grantRow struct {
	Connector string   `db:"connector"`
	Provider  string   `db:"provider"`
	Account   string   `db:"account"`
	Secret    []byte   `db:"secret"`
	Expiry    nullTime `db:"expiry"`
	CreatedAt nullTime `db:"created_at"`
	UpdatedAt nullTime `db:"updated_at"`
	Version   int64    `db:"version"`
}

func (r grantRow) grant() core.SealedGrant {
	return core.SealedGrant{Connector: r.Connector, Provider: r.Provider, Account: r.Account, Secret: r.Secret,
		Expiry: r.Expiry.t, CreatedAt: r.CreatedAt.t, UpdatedAt: r.UpdatedAt.t, Version: r.Version}
}

const grantColumns = `connector, provider, account, secret, expiry, created_at, updated_at, version`

// LoadGrant implements core.Reader.
func (r *reader) LoadGrant(ctx context.Context, connector string) (*core.SealedGrant, error) {
	var rows []grantRow
	if err := r.sel(ctx, &rows, `SELECT `+grantColumns+` FROM oauth_grants WHERE connector = ?`, connector); err != nil {
		return nil, fmt.Errorf("load the grant of %s: %w", connector, err)
	}
	if len(rows) == 0 {
		return nil, core.Errorf(core.KindNotFound, "nobody has signed in for %s", connector)
	}
	g := rows[0].grant()
	return &g, nil
}

// ListGrants implements core.Reader.
func (r *reader) ListGrants(ctx context.Context) ([]core.SealedGrant, error) {
	var rows []grantRow
	if err := r.sel(ctx, &rows, `SELECT `+grantColumns+` FROM oauth_grants ORDER BY connector`); err != nil {
		return nil, fmt.Errorf("list grants: %w", err)
	}
	out := make([]core.SealedGrant, len(rows))
	for i, row := range rows {
		out[i] = row.grant()
	}
	return out, nil
}

// PutGrant implements core.Tx.
func (t *Tx) PutGrant(ctx context.Context, g *core.SealedGrant) error {
	var version int64
	err := t.tx.QueryRowxContext(ctx, t.tx.Rebind(`INSERT INTO oauth_grants (`+grantColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, 1)
		ON CONFLICT (connector) DO UPDATE SET provider = excluded.provider, account = excluded.account, secret = excluded.secret,
			expiry = excluded.expiry, created_at = excluded.created_at, updated_at = excluded.updated_at,
			version = oauth_grants.version + 1
		RETURNING version`),
		g.Connector, g.Provider, g.Account, g.Secret, t.d.time(g.Expiry), t.d.time(g.CreatedAt), t.d.time(g.UpdatedAt)).Scan(&version)
	if err = away(err); err != nil {
		return fmt.Errorf("store the grant of %s: %w", g.Connector, err)
	}
	g.Version = version
	return nil
}

// UpdateGrant implements core.Tx.
func (t *Tx) UpdateGrant(ctx context.Context, g *core.SealedGrant) (bool, error) {
	res, err := t.exec(ctx, `UPDATE oauth_grants SET secret = ?, expiry = ?, updated_at = ?, version = version + 1
		WHERE connector = ? AND version = ?`, g.Secret, t.d.time(g.Expiry), t.d.time(g.UpdatedAt), g.Connector, g.Version)
	if err != nil {
		return false, fmt.Errorf("store the grant of %s: %w", g.Connector, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store the grant of %s: %w", g.Connector, err)
	}
	if n == 1 {
		g.Version++
	}
	return n == 1, nil
}

// DeleteGrant implements core.Tx.
func (t *Tx) DeleteGrant(ctx context.Context, connector string) error {
	if _, err := t.exec(ctx, `DELETE FROM oauth_grants WHERE connector = ?`, connector); err != nil {
		return fmt.Errorf("forget the grant of %s: %w", connector, err)
	}
	return nil
}

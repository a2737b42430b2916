package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"leadwire/core"
)

// directoryChanged marks users, teams or pipelines changed in this
// transaction: core.Directory.Names, on every replica, loads them again.
func (t *Tx) directoryChanged(ctx context.Context) error {
	b := make([]byte, 8)
	rand.Read(b)
	return t.PutSetting(ctx, core.DirectoryVersionKey, hex.EncodeToString(b))
}

// Setting implements core.Reader.
func (r *reader) Setting(ctx context.Context, key string) (string, error) {
	var values []string
	if err := r.sel(ctx, &values, `SELECT value FROM app_settings WHERE key = ?`, key); err != nil {
		return "", fmt.Errorf("setting %s: %w", key, err)
	}
	if len(values) == 0 {
		return "", nil
	}
	return values[0], nil
}

// PutSetting implements core.Tx.
func (t *Tx) PutSetting(ctx context.Context, key, value string) error {
	if _, err := t.exec(ctx, `INSERT INTO app_settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("put setting %s: %w", key, err)
	}
	return nil
}

// InitSetting implements core.Tx. On PostgreSQL the insert waits for a
// concurrent one of the same key to commit, and the select after it, with
// a fresh snapshot, sees the winner's value.
func (t *Tx) InitSetting(ctx context.Context, key, value string) (string, error) {
	if _, err := t.ClaimSetting(ctx, key, value); err != nil {
		return "", err
	}
	return t.Setting(ctx, key)
}

// ClaimSetting implements core.Tx.
func (t *Tx) ClaimSetting(ctx context.Context, key, value string) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value)
	if err != nil {
		return false, fmt.Errorf("claim setting %s: %w", key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim setting %s: %w", key, err)
	}
	return n == 1, nil
}

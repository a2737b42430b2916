package core

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// PendingSignIn is an authorization code sign-in begun by `leadwire email
// connect NAME --via-server`, waiting for the provider to send the person
// back to http.public_url/oauth/callback, which any replica may answer.
// It is kept sealed under the hash of its state, once: the callback takes
// it, so a state works only once and only until it expires.
type PendingSignIn struct {
	Connector string    `json:"c"`
	Verifier  string    `json:"v"` // PKCE
	Redirect  string    `json:"r"`
	Expires   time.Time `json:"e"`
}

func pendingKey(state string) string {
	sum := sha256.Sum256([]byte(state))
	return "oauth:pending:" + hex.EncodeToString(sum[:])
}

func resultKey(state string) string {
	sum := sha256.Sum256([]byte(state))
	return "oauth:result:" + hex.EncodeToString(sum[:])
}

// Begin keeps a pending sign-in under its state.
func (g *Grants) Begin(ctx context.Context, state string, p PendingSignIn) error {
	if g.box == nil {
		return ErrNoSecretsKey
	}
	plain, _ := json.Marshal(p)
	sealed, err := g.box.Seal(plain, []byte(pendingKey(state)))
	if err != nil {
		return err
	}
	return g.svc.store.Update(ctx, func(tx Tx) error {
		return tx.PutSetting(ctx, pendingKey(state), base64.StdEncoding.EncodeToString(sealed))
	})
}

// ErrUnknownSignIn answers a callback whose state names no pending
// sign-in: forged, used already, or expired.
var ErrUnknownSignIn = Errorf(KindNotFound, "this sign-in answer matches no sign-in waiting (its state is unknown, used or expired); run `leadwire email connect` again")

// Take returns the pending sign-in of state and forgets it, in one
// transaction: a second answer with the same state finds nothing.
func (g *Grants) Take(ctx context.Context, state string) (*PendingSignIn, error) {
	if g.box == nil {
		return nil, ErrNoSecretsKey
	}
	var p *PendingSignIn
	err := g.svc.store.Update(ctx, func(tx Tx) error {
		raw, err := tx.Setting(ctx, pendingKey(state))
		if err != nil || raw == "" {
			return err
		}
		if err := tx.PutSetting(ctx, pendingKey(state), ""); err != nil {
			return err
		}
		sealed, err := base64.StdEncoding.DecodeString(raw)
		if err != nil {
			return nil
		}
		plain, err := g.box.Open(sealed, []byte(pendingKey(state)))
		if err != nil {
			return nil
		}
		var v PendingSignIn
		if json.Unmarshal(plain, &v) == nil && g.svc.clock.Now().Before(v.Expires) {
			p = &v
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("take the pending sign-in: %w", err)
	}
	if p == nil {
		return nil, ErrUnknownSignIn
	}
	return p, nil
}

// Finish records how the sign-in of state ended ("" for signed in), for
// the waiting `email connect` to read.
func (g *Grants) Finish(ctx context.Context, state string, failure string) error {
	v := "ok"
	if failure != "" {
		v = "error: " + failure
	}
	return g.svc.store.Update(ctx, func(tx Tx) error { return tx.PutSetting(ctx, resultKey(state), v) })
}

// Outcome returns how the sign-in of state ended: done false while it
// waits, else the failure ("" for signed in). Reading it forgets it.
func (g *Grants) Outcome(ctx context.Context, state string) (done bool, failure string, err error) {
	v, err := g.svc.store.Setting(ctx, resultKey(state))
	if err != nil || v == "" {
		return false, "", err
	}
	if err := g.svc.store.Update(ctx, func(tx Tx) error { return tx.PutSetting(ctx, resultKey(state), "") }); err != nil {
		return false, "", err
	}
	if v == "ok" {
		return true, "", nil
	}
	return true, v[len("error: "):], nil
}

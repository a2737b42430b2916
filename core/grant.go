package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Grant is an OAuth 2.0 sign-in a connector keeps: a mailbox's delegated
// access to its account. Its tokens are stored sealed (encrypted with the
// secrets key) and are never logged or shown; GrantStatus is what may be.
type Grant struct {
	Connector    string // "email:sales"
	Provider     string // google, microsoft, generic
	Account      string // the address signed in as
	RefreshToken string
	AccessToken  string
	Expiry       time.Time // the access token's
	CreatedAt    time.Time // when the person signed in
	UpdatedAt    time.Time // the last refresh
	// Version counts the grant's saves; UpdateGrant writes only over the
	// version it read, so two replicas never overwrite each other's
	// refresh.
	Version int64
}

// String never shows the tokens.
func (g Grant) String() string {
	return fmt.Sprintf("grant of %s for %s (%s)", g.Connector, g.Account, g.Provider)
}

// GoString never shows the tokens (%#v).
func (g Grant) GoString() string { return g.String() }

// SealedGrant is a Grant as stored: the tokens sealed into Secret.
type SealedGrant struct {
	Connector string
	Provider  string
	Account   string
	Secret    []byte
	Expiry    time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// GrantStatus is what `leadwire connectors status` shows of a grant.
type GrantStatus struct {
	Connector string
	Provider  string
	Account   string
	CreatedAt time.Time
	UpdatedAt time.Time
	Expiry    time.Time // the access token's
}

// Sealer encrypts and decrypts secrets for storage; additional is bound
// to the ciphertext (the row it belongs to) without being secret.
type Sealer interface {
	Seal(plain, additional []byte) ([]byte, error)
	Open(sealed, additional []byte) ([]byte, error)
}

// GrantReader reads stored grants; embedded in Reader.
type GrantReader interface {
	// LoadGrant returns the connector's grant, KindNotFound when none.
	LoadGrant(ctx context.Context, connector string) (*SealedGrant, error)
	ListGrants(ctx context.Context) ([]SealedGrant, error)
}

// GrantWriter stores grants; embedded in Tx.
type GrantWriter interface {
	// PutGrant stores g, replacing any grant of the connector (a new
	// sign-in), and sets g.Version.
	PutGrant(ctx context.Context, g *SealedGrant) error
	// UpdateGrant stores g over the version g.Version and increments it;
	// false when the stored grant has moved on (another replica
	// refreshed, someone signed in again) or is gone.
	UpdateGrant(ctx context.Context, g *SealedGrant) (bool, error)
	DeleteGrant(ctx context.Context, connector string) error
}

// ErrNoSecretsKey is returned when a grant must be stored or read and
// there is no key to seal it with.
var ErrNoSecretsKey = Errorf(KindInvalid, "no secrets key to keep sign-ins with: run `leadwire secrets new-key > /etc/leadwire/secrets.key` (chmod 600), "+
	"then name the file under secrets.key in the config, or put the key in $LEADWIRE_SECRET_KEY")

// Grants keeps connectors' OAuth grants, sealed with a key.
type Grants struct {
	svc *Service
	box Sealer // nil: no key
}

// NewGrants returns the grants of svc's store, sealed by box (nil when no
// key is configured: every use then fails with ErrNoSecretsKey).
func NewGrants(svc *Service, box Sealer) *Grants { return &Grants{svc: svc, box: box} }

// secret is what is sealed.
type secret struct {
	Refresh string `json:"r,omitempty"`
	Access  string `json:"a,omitempty"`
}

func (g *Grants) seal(gr *Grant) (*SealedGrant, error) {
	if g.box == nil {
		return nil, ErrNoSecretsKey
	}
	plain, err := json.Marshal(secret{Refresh: gr.RefreshToken, Access: gr.AccessToken})
	if err != nil {
		return nil, err
	}
	sealed, err := g.box.Seal(plain, []byte(gr.Connector))
	if err != nil {
		return nil, fmt.Errorf("seal the grant of %s: %w", gr.Connector, err)
	}
	return &SealedGrant{Connector: gr.Connector, Provider: gr.Provider, Account: gr.Account, Secret: sealed,
		Expiry: gr.Expiry, CreatedAt: gr.CreatedAt, UpdatedAt: gr.UpdatedAt, Version: gr.Version}, nil
}

func open(box Sealer, s *SealedGrant) (*Grant, error) {
	plain, err := box.Open(s.Secret, []byte(s.Connector))
	if err != nil {
		return nil, Errorf(KindInvalid, "the sign-in of %s cannot be read with this secrets key (%v): use the key it was stored with, or sign in again", s.Connector, err)
	}
	var sec secret
	if err := json.Unmarshal(plain, &sec); err != nil {
		return nil, fmt.Errorf("read the grant of %s: %w", s.Connector, err)
	}
	return &Grant{Connector: s.Connector, Provider: s.Provider, Account: s.Account, RefreshToken: sec.Refresh,
		AccessToken: sec.Access, Expiry: s.Expiry, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Version: s.Version}, nil
}

// Load returns the connector's grant, KindNotFound when nobody signed in.
func (g *Grants) Load(ctx context.Context, connector string) (*Grant, error) {
	if g.box == nil {
		return nil, ErrNoSecretsKey
	}
	s, err := g.svc.store.LoadGrant(ctx, connector)
	if err != nil {
		return nil, err
	}
	return open(g.box, s)
}

// Put stores a new sign-in, replacing the connector's grant.
func (g *Grants) Put(ctx context.Context, gr *Grant) error {
	now := g.svc.clock.Now()
	if gr.CreatedAt.IsZero() {
		gr.CreatedAt = now
	}
	gr.UpdatedAt = now
	s, err := g.seal(gr)
	if err != nil {
		return err
	}
	err = g.svc.store.Update(ctx, func(tx Tx) error {
		if err := tx.PutGrant(ctx, s); err != nil {
			return err
		}
		// Who signed in is the mailbox's account; the tokens stay out.
		return writeAudit(ctx, tx, now, nil, AuditEntry{Action: "connector.signin", Target: gr.Connector,
			Changes: []FieldChange{{Field: "account", After: gr.Account}, {Field: "provider", After: gr.Provider}}})
	})
	if err != nil {
		return fmt.Errorf("store the sign-in of %s: %w", gr.Connector, err)
	}
	gr.Version = s.Version
	return nil
}

// Refreshed stores refreshed tokens over the version gr was loaded at; it
// reports false, storing nothing, when the grant moved on meanwhile.
func (g *Grants) Refreshed(ctx context.Context, gr *Grant) (bool, error) {
	gr.UpdatedAt = g.svc.clock.Now()
	s, err := g.seal(gr)
	if err != nil {
		return false, err
	}
	var ok bool
	err = g.svc.store.Update(ctx, func(tx Tx) error {
		var err error
		ok, err = tx.UpdateGrant(ctx, s)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store the refreshed sign-in of %s: %w", gr.Connector, err)
	}
	if ok {
		gr.Version = s.Version
	}
	return ok, nil
}

// Forget drops the connector's grant (revoked: sign in again).
func (g *Grants) Forget(ctx context.Context, connector string) error {
	return g.svc.store.Update(ctx, func(tx Tx) error { return tx.DeleteGrant(ctx, connector) })
}

// Statuses lists the stored grants without their tokens; it needs no key.
func (g *Grants) Statuses(ctx context.Context) ([]GrantStatus, error) {
	list, err := g.svc.store.ListGrants(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]GrantStatus, len(list))
	for i, s := range list {
		out[i] = GrantStatus{Connector: s.Connector, Provider: s.Provider, Account: s.Account,
			CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Expiry: s.Expiry}
	}
	return out, nil
}

// Rotate re-seals every grant with to, in one transaction: either all are
// sealed with the new key or none is. It returns how many there were.
func (g *Grants) Rotate(ctx context.Context, to Sealer) (int, error) {
	if g.box == nil || to == nil {
		return 0, ErrNoSecretsKey
	}
	n := 0
	err := g.svc.store.Update(ctx, func(tx Tx) error {
		list, err := tx.ListGrants(ctx)
		if err != nil {
			return err
		}
		for i := range list {
			gr, err := open(g.box, &list[i])
			if err != nil {
				return err
			}
			s, err := (&Grants{box: to}).seal(gr)
			if err != nil {
				return err
			}
			ok, err := tx.UpdateGrant(ctx, s)
			if err != nil {
				return err
			}
			if !ok {
				return errors.New("a grant changed during the rotation; run it again")
			}
		}
		n = len(list)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("rotate the secrets key: %w", err)
	}
	return n, nil
}

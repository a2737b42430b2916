package main

import (
	"fmt"

	"leadwire/core"
	"leadwire/internal/secretbox"
)

// SecretsCmd groups the secrets key's subcommands.
type SecretsCmd struct {
	NewKey SecretsNewKeyCmd `cmd:"" name:"new-key" help:"Print a new secrets key (32 random bytes in base64) for secrets.key or $LEADWIRE_SECRET_KEY."`
	Rotate SecretsRotateCmd `cmd:"" help:"Re-encrypt every stored sign-in with a new secrets key, keeping the grants."`
}

// SecretsNewKeyCmd prints a key.
type SecretsNewKeyCmd struct{}

// Run prints a fresh key alone on stdout; anyone may make one, it opens
// nothing until configured.
func (c *SecretsNewKeyCmd) Run(a *App) error {
	fmt.Fprintln(a.out, secretbox.NewKey())
	fmt.Fprintln(a.errOut, "keep it in a file only the leadwire user can read (chmod 600), named under secrets.key, or in $LEADWIRE_SECRET_KEY")
	return nil
}

// SecretsRotateCmd rotates the key.
type SecretsRotateCmd struct{}

// Run re-seals the grants with a new key, as an admin only. With a key
// file, the file holds the new key and the old one while the grants are
// re-sealed, then the new one alone, so a stop at any point leaves every
// grant readable. With $LEADWIRE_SECRET_KEY the new key is printed first,
// to be set before the next start.
func (c *SecretsRotateCmd) Run(a *App) error {
	if err := a.mustBeAdmin("secrets rotate"); err != nil {
		return err
	}
	grants, box, err := a.Grants()
	if err != nil {
		return err
	}
	if box == nil {
		return core.ErrNoSecretsKey
	}
	cfg, _ := a.Config()
	next := secretbox.NewKey()
	file := cfg.Secrets.Key
	if file != "" {
		if err := secretbox.WriteFile(file, append([]secretbox.Key{next}, box.Keys()...)...); err != nil {
			return fmt.Errorf("write the new secrets key to %s: %w", file, err)
		}
	} else {
		fmt.Fprintln(a.out, next)
		fmt.Fprintf(a.errOut, "set $%s to the new key above before leadwire starts again; until then \"NEW,OLD\" reads both\n", secretbox.Env)
	}
	n, err := grants.Rotate(a.ctx, secretbox.New(next))
	if err == nil {
		var svc *core.Service
		if svc, err = a.Service(); err == nil {
			var h int
			if h, err = svc.Hooks.Reseal(a.ctx, box, secretbox.New(next)); err == nil && h > 0 {
				fmt.Fprintf(a.errOut, "re-encrypted %d webhook secret(s) with the new key\n", h)
			}
		}
	}
	if err != nil {
		if file == "" {
			return fmt.Errorf("%w; the old key still opens every sign-in", err)
		}
		return fmt.Errorf("%w; %s holds both keys, which opens every sign-in", err, file)
	}
	if file != "" {
		if err := secretbox.WriteFile(file, next); err != nil {
			return fmt.Errorf("sign-ins re-encrypted, but %s still holds the old key too: %w", file, err)
		}
	}
	fmt.Fprintf(a.errOut, "re-encrypted %d stored sign-in(s) with the new key\n", n)
	return nil
}

// Grants returns the stored sign-ins and the secrets box (nil when no key
// is configured).
func (a *App) Grants() (*core.Grants, *secretbox.Box, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, nil, err
	}
	box, err := secretbox.Load(cfg.Secrets.Key, a.getenv)
	if err != nil {
		return nil, nil, err
	}
	svc, err := a.Service()
	if err != nil {
		return nil, nil, err
	}
	var sealer core.Sealer
	if box != nil {
		sealer = box
	}
	return core.NewGrants(svc, sealer), box, nil
}

// mustBeAdmin refuses the command to anyone but an admin (the operator, or
// --as an admin).
func (a *App) mustBeAdmin(what string) error {
	actor, err := a.Actor()
	if err != nil {
		return err
	}
	if actor.Role != core.RoleAdmin {
		return core.Errorf(core.KindForbidden, "%s is for admins; %s is a %s", what, actor.Email, actor.Role)
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"leadwire/cmd/leadwire/config"
	"leadwire/core"
	"leadwire/internal/mailauth"
)

// EmailCmd groups the mailbox subcommands.
type EmailCmd struct {
	Connect EmailConnectCmd `cmd:"" help:"Sign a mailbox with auth: oauth2 in to its provider (device code or browser) and keep the grant, encrypted."`
}

// EmailConnectCmd signs a mailbox in.
type EmailConnectCmd struct {
	Name    string        `arg:"" help:"The mailbox's name, as under email.mailboxes."`
	Timeout time.Duration `default:"10m" help:"How long to wait for the person to sign in."`
	Browser bool          `help:"Sign in with a browser on this machine (authorization code with PKCE, loopback redirect) even where the device code flow works."`
	// ViaServer sends the person back to the running server instead of
	// this machine: for a CLI on a server without a browser.
	ViaServer bool `name:"via-server" help:"Sign in with a browser anywhere: the provider sends the person back to http.public_url/oauth/callback, answered by leadwire serve (register that address as a redirect URI)."`
}

// Run signs the mailbox in, as an admin only: a grant reads the whole
// mailbox. It prints what to open and waits; the grant is stored sealed,
// and the running server's mailbox picks it up at its next attempt.
func (c *EmailConnectCmd) Run(a *App) error {
	if err := a.mustBeAdmin("email connect"); err != nil {
		return err
	}
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	m, err := oauthMailbox(cfg, c.Name)
	if err != nil {
		return err
	}
	set := m.OAuth2.Settings()
	if set.Grant == mailauth.App {
		// Nothing to keep: check that the app's access works.
		src := mailauth.NewSource(set, m.Name, m.Username, nil)
		_, exp, err := src.Token(a.ctx, false)
		if err != nil {
			return fmt.Errorf("mailbox %s: %w", m.Name, err)
		}
		fmt.Fprintf(a.errOut, "mailbox %s uses app-only access (%s) for %s; it works (token valid until %s), no sign-in to keep\n",
			m.Name, set.Provider, m.Username, exp.UTC().Format(time.RFC3339))
		return nil
	}
	grants, box, err := a.Grants()
	if err != nil {
		return err
	}
	if box == nil {
		return core.ErrNoSecretsKey
	}
	ctx, cancel := context.WithTimeout(a.ctx, c.Timeout)
	defer cancel()
	var tok *oauth2.Token
	if c.ViaServer {
		return c.viaServer(a, ctx, m, set, grants)
	}
	if set.UsesDeviceFlow() && !c.Browser {
		tok, err = mailauth.Device(ctx, set, func(p mailauth.DevicePrompt) {
			fmt.Fprintf(a.errOut, "To sign %s in, open %s and enter the code %s", m.Username, p.URL, p.UserCode)
			if !p.Expires.IsZero() {
				fmt.Fprintf(a.errOut, " (valid until %s)", p.Expires.Local().Format("15:04"))
			}
			fmt.Fprintln(a.errOut, "; waiting…")
		}, nil)
	} else {
		tok, err = mailauth.AuthCode(ctx, set, func(u string) {
			fmt.Fprintf(a.errOut, "To sign %s in, open this address in a browser on this machine (it comes back to a local port); waiting…\n%s\n", m.Username, u)
		})
	}
	if ctx.Err() == context.DeadlineExceeded {
		return fmt.Errorf("mailbox %s: nobody signed in within %v; run it again (or give --timeout)", m.Name, c.Timeout)
	}
	if err != nil {
		return fmt.Errorf("mailbox %s: %w", m.Name, err)
	}
	if tok.RefreshToken == "" {
		return fmt.Errorf("mailbox %s: the provider gave no refresh token, so the sign-in would end within the hour; "+
			"ask for offline access (microsoft: the offline_access scope; google: sign in again, it is asked for)", m.Name)
	}
	g := &core.Grant{Connector: core.ConnectorName(core.ChannelEmail, m.Name), Provider: string(set.Provider), Account: m.Username,
		RefreshToken: tok.RefreshToken, AccessToken: tok.AccessToken, Expiry: tok.Expiry}
	if err := grants.Put(a.ctx, g); err != nil {
		return err
	}
	fmt.Fprintf(a.errOut, "signed in: mailbox %s reads %s with %s; the sign-in is kept encrypted, leadwire serve uses it at the mailbox's next attempt\n",
		m.Name, m.Username, set.Provider)
	return nil
}

// oauthMailbox is the configured mailbox of the name with auth: oauth2.
func oauthMailbox(cfg *config.Config, name string) (config.Mailbox, error) {
	var names []string
	for _, m := range cfg.Email.Mailboxes {
		if m.Name == name {
			if m.Auth != string(mailauth.OAuth2) {
				return m, core.Errorf(core.KindInvalid, "mailbox %s signs in with a password; set auth: oauth2 and an oauth2 section to connect it", name)
			}
			return m, nil
		}
		names = append(names, m.Name)
	}
	return config.Mailbox{}, core.Errorf(core.KindNotFound, "no mailbox %q in the config; the mailboxes are %v", name, names)
}

// viaServer begins an authorization code sign-in whose answer comes to
// leadwire serve at http.public_url/oauth/callback, and waits for the
// outcome the server records.
func (c *EmailConnectCmd) viaServer(a *App, ctx context.Context, m config.Mailbox, set mailauth.Settings, grants *core.Grants) error {
	if a.cfg.HTTP.PublicURL == "" {
		return core.Errorf(core.KindInvalid, "--via-server needs http.public_url, the address leadwire serve is reached at")
	}
	redirect := strings.TrimRight(a.cfg.HTTP.PublicURL, "/") + mailauth.CallbackPath
	if err := set.Discover(ctx, nil); err != nil {
		return err
	}
	authURL, state, verifier := mailauth.AuthCodeURL(set, redirect)
	if err := grants.Begin(ctx, state, core.PendingSignIn{Connector: core.ConnectorName(core.ChannelEmail, m.Name),
		Verifier: verifier, Redirect: redirect, Expires: time.Now().Add(c.Timeout)}); err != nil {
		return err
	}
	fmt.Fprintf(a.errOut, "To sign %s in, open this address in any browser; the provider sends you back to %s (leadwire serve must be running there); waiting…\n%s\n",
		m.Username, redirect, authURL)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("mailbox %s: nobody signed in within %v; run it again (or give --timeout)", m.Name, c.Timeout)
		case <-tick.C:
		}
		done, failure, err := grants.Outcome(ctx, state)
		if err != nil {
			return err
		}
		if !done {
			continue
		}
		if failure != "" {
			return fmt.Errorf("mailbox %s: %s", m.Name, failure)
		}
		fmt.Fprintf(a.errOut, "signed in: mailbox %s reads %s with %s; the sign-in is kept encrypted, leadwire serve uses it at the mailbox's next attempt\n",
			m.Name, m.Username, set.Provider)
		return nil
	}
}

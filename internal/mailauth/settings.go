// Package mailauth signs leadwire in to mail servers with OAuth 2.0: the
// settings a mailbox or the SMTP relay names (provider, tenant, client,
// scopes), the providers' presets, the flows that obtain a grant (device
// code, authorization code with PKCE, JWT bearer, client credentials, all
// on golang.org/x/oauth2), the access tokens kept fresh from a stored
// grant, and the SASL mechanisms that present them (XOAUTH2, OAUTHBEARER).
// Both the IMAP connector and the SMTP sender use it, as the two bots use
// internal/tgpoll.
package mailauth

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"leadwire/core"
)

// Kind is how a mailbox or the SMTP relay signs in.
type Kind string

// Sign-in kinds.
const (
	Password Kind = "password" // a username and a password (the default)
	OAuth2   Kind = "oauth2"   // an OAuth 2.0 access token over SASL
)

// ParseKind reads the auth key; "" is Password.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case "", Password:
		return Password, nil
	case OAuth2, "oauth", "xoauth2":
		return OAuth2, nil
	}
	return "", fmt.Errorf("unknown auth %q; use password or oauth2", s)
}

// Provider names whose endpoints, scopes and servers a grant uses.
type Provider string

// Providers.
const (
	Google    Provider = "google"    // Google Workspace and Gmail
	Microsoft Provider = "microsoft" // Microsoft 365 (Exchange Online) and Outlook.com
	Generic   Provider = "generic"   // any other: issuer or explicit endpoints
)

// Grant is who the access is granted to.
type Grant string

// Grant types.
const (
	// Delegated: a person signs in once (`leadwire email connect NAME`)
	// and leadwire keeps the refresh token.
	Delegated Grant = "delegated"
	// App: the application itself, with no person: a Google service
	// account with domain-wide delegation (JWT bearer, impersonating the
	// mailbox's address) or Microsoft's client credentials.
	App Grant = "app"
)

// Settings are the oauth2 keys of a mailbox or of smtp. Check fills in the
// provider's preset, so after it the endpoints and scopes are those used.
type Settings struct {
	Provider Provider
	Grant    Grant  // Delegated ("") or App
	Tenant   string // microsoft: the directory (contoso.onmicrosoft.com or its id); delegated default "organizations"
	// Issuer is a generic provider's issuer URL: its endpoints are read
	// from /.well-known/openid-configuration (or oauth-authorization-server)
	// when they are not given.
	Issuer        string
	AuthURL       string
	DeviceAuthURL string
	TokenURL      string
	Scopes        []string
	ClientID      string
	ClientSecret  string // usually ${VAR}
	// KeyFile is a Google service account's JSON key (grant: app).
	KeyFile string
	// Mailbox (smtp only) names the mailbox whose grant the relay uses.
	Mailbox string
}

// Protocol is what a grant is used for; presets differ in scopes.
type Protocol int

// Protocols.
const (
	IMAP Protocol = iota
	SMTP
)

// Check validates the settings for proto, fills in the provider's preset
// (endpoints, scopes) and reports problems as *core.SettingError, joined,
// at keys below the caller's section ("oauth2.provider").
func (s *Settings) Check(proto Protocol) error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &core.SettingError{Key: "oauth2." + key, Message: fmt.Sprintf(format, args...)})
	}
	s.Provider = Provider(strings.ToLower(strings.TrimSpace(string(s.Provider))))
	s.Grant = Grant(strings.ToLower(strings.TrimSpace(string(s.Grant))))
	s.Tenant = strings.TrimSpace(s.Tenant)
	s.ClientID = strings.TrimSpace(s.ClientID)
	if s.Grant == "" {
		s.Grant = Delegated
	}
	if s.Grant != Delegated && s.Grant != App {
		bad("grant", "unknown grant %q; use delegated (a person signs in with `leadwire email connect`) or app (a service account or client credentials)", s.Grant)
	}
	switch s.Provider {
	case Google:
		if s.Tenant != "" {
			bad("tenant", "tenant is for microsoft; Google finds the Workspace domain from the account")
		}
		if s.Grant == App {
			if s.KeyFile == "" {
				bad("key_file", "grant: app on google signs in as a service account: name its JSON key file, such as /etc/leadwire/google-sa.json")
			}
		} else if s.ClientID == "" {
			bad("client_id", "google needs the OAuth client's id from the Google Cloud console (Credentials → OAuth client ID, type Desktop app)")
		}
	case Microsoft:
		if s.Grant == App {
			if s.Tenant == "" || isCommonTenant(s.Tenant) {
				bad("tenant", "grant: app on microsoft needs your directory (tenant) id or domain, such as contoso.onmicrosoft.com, not %q", s.Tenant)
			}
			if s.ClientSecret == "" {
				bad("client_secret", "grant: app on microsoft needs the app registration's client secret, usually ${MS_CLIENT_SECRET}")
			}
		}
		if s.Tenant == "" {
			s.Tenant = "organizations"
		} else if strings.ContainsAny(s.Tenant, "/?#@ ") {
			bad("tenant", "invalid tenant %q; give the directory id or domain alone, such as contoso.onmicrosoft.com", s.Tenant)
		}
		if s.ClientID == "" {
			bad("client_id", "microsoft needs the app registration's Application (client) ID from Microsoft Entra")
		}
	case Generic:
		if s.Tenant != "" {
			bad("tenant", "tenant is for microsoft")
		}
		if s.ClientID == "" {
			bad("client_id", "a generic provider needs the client id it registered leadwire under")
		}
		if s.Issuer == "" && s.TokenURL == "" {
			bad("issuer", "a generic provider needs its issuer (endpoints discovered) or token_url (with auth_url or device_auth_url)")
		}
		if len(s.Scopes) == 0 {
			bad("scopes", "a generic provider needs the scopes its mail server accepts")
		}
	case "":
		bad("provider", "auth: oauth2 needs a provider: google, microsoft or generic")
	default:
		bad("provider", "unknown provider %q; use google, microsoft or generic", s.Provider)
	}
	for key, u := range map[string]*string{"issuer": &s.Issuer, "auth_url": &s.AuthURL, "device_auth_url": &s.DeviceAuthURL, "token_url": &s.TokenURL} {
		*u = strings.TrimSpace(*u)
		if *u == "" {
			continue
		}
		if err := checkURL(*u); err != nil {
			bad(key, "invalid %s %q: %v", key, *u, err)
		}
	}
	if s.KeyFile != "" && s.Provider != Google {
		bad("key_file", "key_file is a Google service account's key; %s uses client_id and client_secret", s.Provider)
	}
	if len(errs) == 0 {
		s.fill(proto)
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// fill sets what the preset knows and the settings leave out.
func (s *Settings) fill(proto Protocol) {
	p, ok := PresetOf(s.Provider, s.Tenant)
	if !ok {
		return
	}
	s.AuthURL = cmpOr(s.AuthURL, p.AuthURL)
	s.DeviceAuthURL = cmpOr(s.DeviceAuthURL, p.DeviceAuthURL)
	s.TokenURL = cmpOr(s.TokenURL, p.TokenURL)
	if len(s.Scopes) == 0 {
		s.Scopes = slices.Clone(p.Scopes(s.Grant, proto))
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// checkURL accepts https URLs, and http for loopback hosts (tests, a local
// identity provider).
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL")
	}
	switch {
	case u.Scheme == "https" && u.Host != "":
		return nil
	case u.Scheme == "http" && core.IsLoopbackHost(u.Hostname()):
		return nil
	}
	return errors.New("use an https:// URL (http:// only for localhost)")
}

func isCommonTenant(t string) bool {
	switch strings.ToLower(t) {
	case "common", "organizations", "consumers":
		return true
	}
	return false
}

package config

import (
	"leadwire/internal/mailauth"
)

// OAuth2 is the oauth2 section of a mailbox or of smtp (auth: oauth2):
// which provider signs leadwire in, and as which application.
type OAuth2 struct {
	Provider      string   `yaml:"provider"` // google, microsoft or generic
	Grant         string   `yaml:"grant"`    // delegated (default: a person signs in with `leadwire email connect`) or app
	Tenant        string   `yaml:"tenant"`   // microsoft: the directory, contoso.onmicrosoft.com
	Issuer        string   `yaml:"issuer"`   // generic: endpoints discovered from it
	AuthURL       string   `yaml:"auth_url"`
	DeviceAuthURL string   `yaml:"device_auth_url"`
	TokenURL      string   `yaml:"token_url"`
	Scopes        []string `yaml:"scopes"` // default: the provider's mail scopes
	ClientID      string   `yaml:"client_id"`
	ClientSecret  string   `yaml:"client_secret"` // usually ${VAR}
	KeyFile       string   `yaml:"key_file"`      // google grant: app: the service account's JSON key
}

// Settings maps the section onto the adapters' settings.
func (o OAuth2) Settings() mailauth.Settings {
	return mailauth.Settings{
		Provider: mailauth.Provider(o.Provider), Grant: mailauth.Grant(o.Grant), Tenant: o.Tenant,
		Issuer: o.Issuer, AuthURL: o.AuthURL, DeviceAuthURL: o.DeviceAuthURL, TokenURL: o.TokenURL,
		Scopes: o.Scopes, ClientID: o.ClientID, ClientSecret: o.ClientSecret, KeyFile: o.KeyFile,
	}
}

// setFrom keeps what the check filled in.
func (o *OAuth2) setFrom(s mailauth.Settings) {
	o.Provider, o.Grant, o.Tenant = string(s.Provider), string(s.Grant), s.Tenant
	o.Issuer, o.AuthURL, o.DeviceAuthURL, o.TokenURL = s.Issuer, s.AuthURL, s.DeviceAuthURL, s.TokenURL
	o.Scopes, o.ClientID = s.Scopes, s.ClientID
}

// Secrets names the secrets key: 32 random bytes in base64 (`leadwire
// secrets new-key`), one per line, the first sealing and every one
// opening. Without the key $LEADWIRE_SECRET_KEY is read instead.
type Secrets struct {
	Key string `yaml:"key"` // a file, mode 600: /etc/leadwire/secrets.key
}

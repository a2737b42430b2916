package mailauth

import (
	"strings"

	"leadwire/core"
)

// Preset is what a provider publishes for mail over OAuth 2.0: its
// endpoints, the scopes IMAP and SMTP take, and its servers.
type Preset struct {
	AuthURL       string
	DeviceAuthURL string
	TokenURL      string
	// DeviceFlow: the provider grants mail scopes through the device
	// authorization grant (RFC 8628). Google does not: its device flow
	// takes a short list of scopes without mail, so a Google mailbox
	// signs in with the authorization code flow and a loopback redirect.
	DeviceFlow bool

	IMAPScopes, SMTPScopes []string // delegated
	AppScopes              []string // grant: app
	// DelegatedExtra are asked for besides a protocol's scopes in a
	// delegated sign-in (offline_access: a refresh token).
	DelegatedExtra []string

	IMAPHost string
	IMAPPort int
	IMAPTLS  core.TLSMode
	SMTPHost string
	SMTPPort int
	SMTPTLS  core.TLSMode
}

// Scopes returns what a grant of the kind asks for. A delegated sign-in
// asks for IMAP's and SMTP's scopes at once, so the SMTP relay may share
// a mailbox's grant.
func (p Preset) Scopes(g Grant, _ Protocol) []string {
	if g == App {
		return p.AppScopes
	}
	var out []string
	for _, s := range append(append(append([]string(nil), p.IMAPScopes...), p.SMTPScopes...), p.DelegatedExtra...) {
		if !containsString(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// PresetOf returns the provider's preset; tenant is Microsoft's directory
// (its endpoints name it). Generic has none.
func PresetOf(p Provider, tenant string) (Preset, bool) {
	switch p {
	case Google:
		// developers.google.com/identity/protocols/oauth2/native-app and
		// developers.google.com/workspace/gmail/imap/xoauth2-protocol;
		// support.google.com/mail/answer/7126229 for the servers.
		return Preset{
			AuthURL:       "https://accounts.google.com/o/oauth2/v2/auth",
			DeviceAuthURL: "https://oauth2.googleapis.com/device/code",
			TokenURL:      "https://oauth2.googleapis.com/token",
			IMAPScopes:    []string{"https://mail.google.com/"},
			SMTPScopes:    []string{"https://mail.google.com/"},
			AppScopes:     []string{"https://mail.google.com/"},
			IMAPHost:      "imap.gmail.com", IMAPPort: 993, IMAPTLS: core.TLSImplicit,
			SMTPHost: "smtp.gmail.com", SMTPPort: 587, SMTPTLS: core.TLSStartTLS,
		}, true
	case Microsoft:
		// learn.microsoft.com/exchange/client-developer/legacy-protocols/
		// how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth
		// and learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code.
		if tenant == "" {
			tenant = "organizations"
		}
		base := "https://login.microsoftonline.com/" + strings.ToLower(tenant) + "/oauth2/v2.0/"
		return Preset{
			AuthURL:        base + "authorize",
			DeviceAuthURL:  base + "devicecode",
			TokenURL:       base + "token",
			DeviceFlow:     true,
			IMAPScopes:     []string{"https://outlook.office.com/IMAP.AccessAsUser.All"},
			SMTPScopes:     []string{"https://outlook.office.com/SMTP.Send"},
			DelegatedExtra: []string{"offline_access"},
			AppScopes:      []string{"https://outlook.office365.com/.default"},
			IMAPHost:       "outlook.office365.com", IMAPPort: 993, IMAPTLS: core.TLSImplicit,
			SMTPHost: "smtp.office365.com", SMTPPort: 587, SMTPTLS: core.TLSStartTLS,
		}, true
	}
	return Preset{}, false
}

package mailauth

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"leadwire/core"
)

// The values below are copied from the providers' own pages, not from
// preset.go, so a typo in either shows:
//   - Google: developers.google.com/identity/protocols/oauth2/native-app
//     (authorization and token endpoints), .../limited-input-device (device
//     endpoint; its scope list has no mail scope),
//     developers.google.com/workspace/gmail/imap/xoauth2-protocol (scope
//     https://mail.google.com/), support.google.com/mail/answer/7126229
//     (imap.gmail.com 993 SSL, smtp.gmail.com 587 STARTTLS).
//   - Microsoft: learn.microsoft.com/exchange/client-developer/legacy-protocols/
//     how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth (scopes
//     https://outlook.office.com/IMAP.AccessAsUser.All and SMTP.Send,
//     offline_access, client credentials' https://outlook.office365.com/.default,
//     outlook.office365.com 993, smtp.office365.com 587 STARTTLS),
//     learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code
//     (/{tenant}/oauth2/v2.0/devicecode).
func TestProviderPresetsMatchThePublishedValues(t *testing.T) {
	for _, tt := range []struct {
		name                string
		provider            Provider
		tenant              string
		auth, device, token string
		deviceFlow          bool
		delegated, app      []string
		imapHost            string
		imapPort            int
		imapTLS             core.TLSMode
		smtpHost            string
		smtpPort            int
		smtpTLS             core.TLSMode
	}{
		{
			name: "Google Workspace and Gmail", provider: Google,
			auth: "https://accounts.google.com/o/oauth2/v2/auth", device: "https://oauth2.googleapis.com/device/code",
			token: "https://oauth2.googleapis.com/token", deviceFlow: false,
			delegated: []string{"https://mail.google.com/"}, app: []string{"https://mail.google.com/"},
			imapHost: "imap.gmail.com", imapPort: 993, imapTLS: core.TLSImplicit,
			smtpHost: "smtp.gmail.com", smtpPort: 587, smtpTLS: core.TLSStartTLS,
		},
		{
			name: "Microsoft 365 in one directory", provider: Microsoft, tenant: "Contoso.onmicrosoft.com",
			auth:       "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
			device:     "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode",
			token:      "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
			deviceFlow: true,
			delegated: []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send",
				"offline_access"},
			app:      []string{"https://outlook.office365.com/.default"},
			imapHost: "outlook.office365.com", imapPort: 993, imapTLS: core.TLSImplicit,
			smtpHost: "smtp.office365.com", smtpPort: 587, smtpTLS: core.TLSStartTLS,
		},
		{
			name: "Microsoft 365 without a tenant signs in to any work account", provider: Microsoft,
			auth:       "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
			device:     "https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode",
			token:      "https://login.microsoftonline.com/organizations/oauth2/v2.0/token",
			deviceFlow: true,
			delegated: []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send",
				"offline_access"},
			app:      []string{"https://outlook.office365.com/.default"},
			imapHost: "outlook.office365.com", imapPort: 993, imapTLS: core.TLSImplicit,
			smtpHost: "smtp.office365.com", smtpPort: 587, smtpTLS: core.TLSStartTLS,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := PresetOf(tt.provider, tt.tenant)
			if !ok {
				t.Fatal("no preset")
			}
			check := func(what string, got, want any) {
				t.Helper()
				if !equal(got, want) {
					t.Errorf("%s = %v, want %v", what, got, want)
				}
			}
			check("auth URL", p.AuthURL, tt.auth)
			check("device URL", p.DeviceAuthURL, tt.device)
			check("token URL", p.TokenURL, tt.token)
			check("device flow for mail", p.DeviceFlow, tt.deviceFlow)
			check("delegated scopes", p.Scopes(Delegated, IMAP), tt.delegated)
			check("app scopes", p.Scopes(App, IMAP), tt.app)
			check("IMAP", []any{p.IMAPHost, p.IMAPPort, p.IMAPTLS}, []any{tt.imapHost, tt.imapPort, tt.imapTLS})
			check("SMTP", []any{p.SMTPHost, p.SMTPPort, p.SMTPTLS}, []any{tt.smtpHost, tt.smtpPort, tt.smtpTLS})
		})
	}
	if _, ok := PresetOf(Generic, ""); ok {
		t.Error("a generic provider has a preset")
	}
}

func equal(a, b any) bool {
	switch x := a.(type) {
	case []string:
		return slices.Equal(x, b.([]string))
	case []any:
		y := b.([]any)
		return slices.Equal(x, y)
	}
	return a == b
}

func TestSettingsCheck(t *testing.T) {
	key := filepath.Join(t.TempDir(), "sa.json")
	if err := os.WriteFile(key, []byte(`{}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		in   Settings
		keys []string // keys refused; none: accepted
		want func(t *testing.T, s Settings)
	}{
		{name: "a delegated Microsoft grant is filled from the preset", in: Settings{Provider: "Microsoft", ClientID: "app-id"},
			want: func(t *testing.T, s Settings) {
				if s.Grant != Delegated || s.Tenant != "organizations" || !strings.HasSuffix(s.TokenURL, "/organizations/oauth2/v2.0/token") || len(s.Scopes) != 3 {
					t.Errorf("filled %+v", s)
				}
			}},
		{name: "app-only Microsoft access needs a named directory and a secret", in: Settings{Provider: Microsoft, Grant: App, ClientID: "x", Tenant: "common"},
			keys: []string{"oauth2.client_secret", "oauth2.tenant"}},
		{name: "app-only Microsoft access asks for Exchange's .default", in: Settings{Provider: Microsoft, Grant: App, ClientID: "x", ClientSecret: "s", Tenant: "contoso.onmicrosoft.com"},
			want: func(t *testing.T, s Settings) {
				if !slices.Equal(s.Scopes, []string{"https://outlook.office365.com/.default"}) {
					t.Errorf("scopes %v", s.Scopes)
				}
			}},
		{name: "a Google service account needs its key file", in: Settings{Provider: Google, Grant: App},
			keys: []string{"oauth2.key_file"}},
		{name: "a Google service account with a key is accepted", in: Settings{Provider: Google, Grant: App, KeyFile: key}},
		{name: "a delegated Google grant needs a client id", in: Settings{Provider: Google}, keys: []string{"oauth2.client_id"}},
		{name: "a generic provider needs an issuer or endpoints and scopes", in: Settings{Provider: Generic, ClientID: "c"},
			keys: []string{"oauth2.issuer", "oauth2.scopes"}},
		{name: "a generic provider's plain http endpoint is refused off loopback", in: Settings{Provider: Generic, ClientID: "c", TokenURL: "http://idp.example.com/token", Scopes: []string{"mail"}},
			keys: []string{"oauth2.token_url"}},
		{name: "a generic provider on loopback is accepted", in: Settings{Provider: Generic, ClientID: "c", TokenURL: "http://127.0.0.1:9/token", Scopes: []string{"mail"}}},
		{name: "no provider is refused", in: Settings{}, keys: []string{"oauth2.provider"}},
		{name: "an unknown provider and grant are refused", in: Settings{Provider: "yahoo", Grant: "robot"}, keys: []string{"oauth2.grant", "oauth2.provider"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.in
			err := s.Check(IMAP)
			var got []string
			for _, e := range flatten(err) {
				var se *core.SettingError
				if !errors.As(e, &se) {
					t.Fatalf("not a SettingError: %v", e)
				}
				got = append(got, se.Key)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.keys) {
				t.Fatalf("refused keys %v, want %v (%v)", got, tt.keys, err)
			}
			if tt.want != nil {
				tt.want(t, s)
			}
		})
	}
}

func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]Kind{"": Password, "password": Password, "OAuth2": OAuth2} {
		if got, err := ParseKind(in); err != nil || got != want {
			t.Errorf("ParseKind(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseKind("kerberos"); err == nil {
		t.Error("kerberos accepted")
	}
}

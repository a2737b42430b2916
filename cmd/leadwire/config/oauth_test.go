package config_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"leadwire/cmd/leadwire/config"
)

func TestAnOAuthMailboxTakesItsServerAndScopesFromTheProvider(t *testing.T) {
	c := mustParse(t, valid+`email:
  mailboxes:
    - name: sales
      username: sales@example.com
      auth: oauth2
      oauth2: {provider: microsoft, tenant: contoso.onmicrosoft.com, client_id: app-1}
smtp:
  from: "Sales <sales@example.com>"
  auth: oauth2
  mailbox: sales
`, nil)
	m := c.Email.Mailboxes[0]
	if m.Host != "outlook.office365.com" || m.Port != 993 || m.TLS != "tls" {
		t.Errorf("mailbox server %s:%d %s", m.Host, m.Port, m.TLS)
	}
	if !slices.Contains(m.OAuth2.Scopes, "https://outlook.office.com/IMAP.AccessAsUser.All") || m.OAuth2.Grant != "delegated" {
		t.Errorf("mailbox oauth2 %+v", m.OAuth2)
	}
	s := c.SMTP
	if !s.Enabled() || s.Host != "smtp.office365.com" || s.Port != 587 || s.TLS != "starttls" || s.Username != "sales@example.com" {
		t.Errorf("smtp %+v", s)
	}
	if s.OAuth2.ClientID != "app-1" || s.Mailbox != "sales" {
		t.Errorf("smtp does not share the mailbox's sign-in: %+v", s.OAuth2)
	}
}

func TestOAuthSettingErrors(t *testing.T) {
	box := func(lines string) string {
		return valid + "email:\n  mailboxes:\n    - name: sales\n      username: sales@example.com\n      auth: oauth2\n" + lines
	}
	for _, tt := range []struct {
		name string
		src  string
		want []string
	}{
		{"an unknown provider is named", box("      host: imap.example.com\n      oauth2:\n        provider: yahoo #<\n        client_id: x\n"),
			[]string{"email.mailboxes[0].oauth2.provider", `unknown provider "yahoo"`}},
		{"a password beside oauth2 is refused", box("      password: hunter2 #<\n      oauth2: {provider: google, client_id: x}\n"),
			[]string{"email.mailboxes[0].password", "leave password out"}},
		{"app-only Microsoft access needs the directory", box("      oauth2:\n        provider: microsoft\n        grant: app\n        client_id: x\n        client_secret: s\n        tenant: common #<\n"),
			[]string{"email.mailboxes[0].oauth2.tenant", "directory"}},
		{"an unknown auth is refused", valid + "email:\n  mailboxes:\n    - name: sales\n      host: imap.example.com\n      username: u\n      auth: ntlm #<\n",
			[]string{"email.mailboxes[0].auth", "use password or oauth2"}},
		{"smtp may only share an oauth2 mailbox's sign-in", valid + "smtp:\n  from: a@example.com\n  auth: oauth2\n  mailbox: nobody #<\n",
			[]string{"smtp.mailbox", `no mailbox "nobody"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(tt.src), "leadwire.yaml", nil)
			checkErr(t, err, append(tt.want, fmt.Sprintf("at line %d:", markedLine(t, tt.src)))...)
			if err != nil && strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("more than one problem reported:\n%v", err)
			}
		})
	}
}

func TestACheckedConfigNeverShowsTheClientSecret(t *testing.T) {
	src := valid + "email:\n  mailboxes:\n    - name: sales\n      username: sales@example.com\n      auth: oauth2\n      oauth2: {provider: microsoft, grant: app, client_id: x, client_secret: \"${S}\", tenant: common}\n"
	_, err := config.Parse([]byte(src), "leadwire.yaml", env(map[string]string{"S": "s3cret-value"}))
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error %v", err)
	}
}

package config_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	lwmail "leadwire/bot/mail"
	"leadwire/cmd/leadwire/config"
	"leadwire/connectors/email"
	"leadwire/core"
)

func TestMailboxesGetTheirDefaults(t *testing.T) {
	c := mustParse(t, valid+`email:
  mailboxes:
    - {name: sales, host: imap.example.com, username: s@example.com, password: "${PW}", team: sales}
    - {name: local, host: 127.0.0.1, port: 1143, tls: none, username: u, folders: [INBOX, Входящие], since: 30d, poll_interval: 30s, internal_domains: ["@Example.COM"]}
`, map[string]string{"PW": "p#ss: word"})
	got := c.Email.Mailboxes
	want := []config.Mailbox{
		{Name: "sales", Host: "imap.example.com", Port: 993, TLS: "tls", Username: "s@example.com", Password: "p#ss: word", Auth: "password",
			Folders: []string{"INBOX"}, Team: "Sales", Since: config.DefaultMailboxSince, PollInterval: config.DefaultPollInterval},
		{Name: "local", Host: "127.0.0.1", Port: 1143, TLS: "none", Username: "u", Auth: "password", Folders: []string{"INBOX", "Входящие"},
			Since: config.Period(30 * 24 * time.Hour), PollInterval: config.Duration(30 * time.Second), InternalDomains: []string{"example.com"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("mailboxes\n%+v\nwant\n%+v", got, want)
	}
}

func TestPeriodsAreWrittenInDaysOrAsDurations(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"7d", 7 * 24 * time.Hour, true},
		{"168h", 168 * time.Hour, true},
		{"90m", 90 * time.Minute, true},
		{"1w", 0, false},
		{"d", 0, false},
		{"-3d", 0, false},
	} {
		var p config.Period
		err := p.UnmarshalText([]byte(tt.in))
		if (err == nil) != tt.ok || (tt.ok && time.Duration(p) != tt.want) {
			t.Errorf("Period(%q) = %v, %v; want %v, ok %v", tt.in, time.Duration(p), err, tt.want, tt.ok)
		}
	}
	if b, _ := config.Period(14 * 24 * time.Hour).MarshalText(); string(b) != "14d" {
		t.Errorf("14 days marshal as %q", b)
	}
}

func TestMailboxErrors(t *testing.T) {
	box := func(lines string) string {
		return valid + "email:\n  mailboxes:\n    - name: sales\n      host: imap.example.com\n      username: u\n" + lines
	}
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"plaintext to a remote host is refused", box("      tls: none #<\n"), []string{"email.mailboxes[0].tls", "only for a loopback host", "use tls or starttls"}},
		{"an unknown tls mode suggests the right one", box("      tls: startls #<\n"), []string{`unknown tls "startls"`, "did you mean starttls?"}},
		{"an unknown team suggests the right one", box("      team: Slaes #<\n"), []string{"email.mailboxes[0].team", "did you mean Sales?"}},
		{"a bad since says how to write it", box("      since: a week #<\n"), []string{"email.mailboxes[0].since", "like 7d"}},
		{"a too short poll interval is refused", box("      poll_interval: 10ms #<\n"), []string{"at least 1s"}},
		{"a port out of range is refused", box("      port: 99999 #<\n"), []string{"1 to 65535"}},
		{"a host with a port is refused", valid + "email:\n  mailboxes:\n    - name: sales\n      host: imap.example.com:993 #<\n      username: u\n", []string{"email.mailboxes[0].host", "port under port"}},
		{"a folder listed twice is refused", box("      folders:\n        - INBOX\n        - INBOX #<\n"), []string{"email.mailboxes[0].folders[1]", "listed twice"}},
		{"the old folder key suggests folders", box("      folder: INBOX #<\n"), []string{"did you mean folders?"}},
		{"two mailboxes may not share a name", box("    - name: sales #<\n      host: b.example.com\n      username: u\n"), []string{"email.mailboxes[1].name", "duplicate mailbox name"}},
		{"a name must be usable as a source", valid + "email:\n  mailboxes:\n    - name: sales team #<\n      host: imap.example.com\n      username: u\n", []string{`invalid name "sales team"`}},
		{"a mailbox needs a username", valid + "email:\n  mailboxes:\n    - name: sales #<\n      host: imap.example.com\n", []string{"email.mailboxes[0].username", "needs the username"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(tt.src), "leadwire.yaml", nil)
			checkErr(t, err, append(tt.want, fmt.Sprintf("at line %d:", markedLine(t, tt.src)))...)
			if err != nil && strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("more than one problem reported:\n%v", err)
			}
		})
	}
}

func TestAnUnknownTLSModeReadsTheSameEverywhere(t *testing.T) {
	_, want := core.ParseTLSMode("startls", core.TLSImplicit)
	if want == nil {
		t.Fatal("startls parsed as a TLS mode")
	}
	_, imapErr := email.New(email.Mailbox{Name: "sales", Host: "imap.example.com", Username: "u", TLS: "startls"}, nil, nil)
	_, smtpErr := lwmail.NewSender(lwmail.Config{Host: "smtp.example.com", TLS: "startls"})
	_, boxErr := config.Parse([]byte(valid+"email:\n  mailboxes:\n    - name: sales\n      host: imap.example.com\n      username: u\n      tls: startls\n"), "leadwire.yaml", nil)
	_, cfgErr := config.Parse([]byte("smtp:\n  host: smtp.example.com\n  tls: startls\n  from: a@example.com\n"), "leadwire.yaml", nil)
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"the IMAP connector says it in core's words", imapErr},
		{"the SMTP sender says it in core's words", smtpErr},
		{"the config's mailbox says it in core's words", boxErr},
		{"the config's smtp says it in core's words", cfgErr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil || !strings.HasSuffix(tc.err.Error(), ": "+want.Error()) {
				t.Errorf("got %v\nwant it to end in %q", tc.err, want)
			}
		})
	}
}

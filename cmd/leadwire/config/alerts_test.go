package config_test

import (
	"slices"
	"testing"
	"time"

	"leadwire/cmd/leadwire/config"
)

func TestAlerts(t *testing.T) {
	const mailboxes = "email:\n  mailboxes:\n    - {name: sales, host: imap.example.com, username: u}\n    - {name: support, host: imap.example.com, username: u}\n"
	t.Run("a mailbox is silent after an hour unless told otherwise, and every configured mailbox is watched", func(t *testing.T) {
		a := mustParse(t, valid+mailboxes, nil).Settings().Alerts
		if a.SilentAfter != time.Hour || !slices.Equal(a.Watched, []string{"email:sales", "email:support"}) {
			t.Fatalf("alerts %+v", a)
		}
	})
	t.Run("silent_after is read as a duration", func(t *testing.T) {
		c := mustParse(t, valid+"alerts:\n  silent_after: 3h\n", nil)
		if a := c.Settings().Alerts; a.SilentAfter != 3*time.Hour || len(a.Watched) != 0 {
			t.Fatalf("alerts %+v", a)
		}
	})
	t.Run("a silent_after shorter than a minute is refused", func(t *testing.T) {
		_, err := config.Parse([]byte(valid+"alerts:\n  silent_after: 10s\n"), "leadwire.yaml", env(nil))
		checkErr(t, err, "alerts.silent_after")
	})
	t.Run("the settings handed out are copies", func(t *testing.T) {
		c := mustParse(t, valid+mailboxes, nil)
		c.Settings().Alerts.Watched[0] = "changed"
		if c.Settings().Alerts.Watched[0] != "email:sales" {
			t.Fatal("a caller changed the config's watched connectors")
		}
	})
}

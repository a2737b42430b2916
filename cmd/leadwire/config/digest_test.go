package config_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"leadwire/cmd/leadwire/config"
	"leadwire/core"
)

func TestDigestConfig(t *testing.T) {
	env := func(string) string { return "" }
	const smtp = "smtp:\n  host: 127.0.0.1\n  tls: none\n  from: a@example.com\n"
	t.Run("defaults to 08:00 on working days, weekly on Mondays, and adds email with smtp", func(t *testing.T) {
		c, err := config.Parse([]byte(smtp), "test.yaml", env)
		if err != nil {
			t.Fatal(err)
		}
		s := c.Settings()
		want := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
		if s.Digest.At != 8*time.Hour || !slices.Equal(s.Digest.Weekdays, want) || !s.Digest.Weekly || len(s.Digest.Channels) != 0 {
			t.Errorf("digest settings %+v", s.Digest)
		}
		if !slices.Contains(s.Channels, core.ChannelEmail) {
			t.Errorf("channels %v lack email though smtp is set", s.Channels)
		}
	})
	t.Run("reads time, days, weekly and channels", func(t *testing.T) {
		c, err := config.Parse([]byte(smtp+"digest:\n  time: \"07:45\"\n  weekdays: [Sunday, mon, thu]\n  weekly: false\n  channels: [email]\n"), "test.yaml", env)
		if err != nil {
			t.Fatal(err)
		}
		d := c.Settings().Digest
		if d.At != 7*time.Hour+45*time.Minute || !slices.Equal(d.Weekdays, []time.Weekday{time.Sunday, time.Monday, time.Thursday}) || d.Weekly || !slices.Equal(d.Channels, []string{"email"}) {
			t.Errorf("digest settings %+v", d)
		}
	})
	t.Run("without smtp there is no email channel", func(t *testing.T) {
		c, err := config.Parse(nil, "test.yaml", env)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(c.Settings().Channels, core.ChannelEmail) {
			t.Errorf("channels %v", c.Settings().Channels)
		}
	})
	for _, tc := range []struct{ yaml, want string }{
		{"digest:\n  time: \"8am\"\n", "digest.time at line 2: invalid time"},
		{"digest:\n  time: \"24:00\"\n", "digest.time"},
		{"digest:\n  weekdays: [mon, funday]\n", "digest.weekdays[1] at line 2: unknown weekday"},
		{"digest:\n  weekdays: [mon, monday]\n", "listed twice"},
		{"digest:\n  weekdays: [monxyz]\n", "unknown weekday"},
		{"digest:\n  channels: [emial]\n", "did you mean email"},
		{"digest:\n  channels: [email]\n", "digest.channels[0] at line 2: email digests need outgoing mail"},
		{"digest:\n  channels: [slack]\n", "slack.bot_token"},
		{"digest:\n  cjk_font: /nonexistent/NotoSansCJK-Regular.ttc\n", "digest.cjk_font at line 2: no font file at \"/nonexistent/NotoSansCJK-Regular.ttc\""},
	} {
		t.Run("refuses "+tc.yaml, func(t *testing.T) {
			_, err := config.Parse([]byte(tc.yaml), "test.yaml", env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestTeamEmail: a team's address for notices is a bare address and needs
// outgoing mail.
func TestTeamEmail(t *testing.T) {
	env := func(string) string { return "" }
	const smtp = "smtp:\n  host: 127.0.0.1\n  tls: none\n  from: a@example.com\n"
	t.Run("is read, in lower case", func(t *testing.T) {
		c, err := config.Parse([]byte(smtp+"teams:\n  - name: Kraków\n    email: Krakow-Sales@Example.PL\n"), "test.yaml", env)
		if err != nil {
			t.Fatal(err)
		}
		if teams := c.Teams(); len(teams) != 1 || teams[0].Email != "krakow-sales@example.pl" {
			t.Fatalf("teams %+v", teams)
		}
	})
	for _, tc := range []struct{ yaml, want string }{
		{smtp + "teams:\n  - name: Kraków\n    email: sales at example.pl\n", "teams[0].email at line 7: invalid email"},
		{"teams:\n  - name: Kraków\n    email: sales@example.pl\n", "teams[0].email at line 3: team notices by email need outgoing mail"},
	} {
		t.Run("refuses "+tc.yaml, func(t *testing.T) {
			_, err := config.Parse([]byte(tc.yaml), "test.yaml", env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

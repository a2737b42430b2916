package config_test

import (
	"strings"
	"testing"
	"time"

	"leadwire/cmd/leadwire/config"
)

func TestRetentionConfig(t *testing.T) {
	env := func(string) string { return "" }
	t.Run("reads days, weeks and years", func(t *testing.T) {
		c, err := config.Parse([]byte("retention:\n  raw_messages: 90d\n  webhook_bodies: 4w\n  disqualified_leads: 2y\n"), "test.yaml", env)
		if err != nil {
			t.Fatal(err)
		}
		r := c.Settings().Retention
		if r.RawMessages != 90*24*time.Hour || r.WebhookBodies != 28*24*time.Hour || r.DisqualifiedLeads != 730*24*time.Hour {
			t.Fatalf("retention %+v", r)
		}
	})
	t.Run("keeps everything without the section", func(t *testing.T) {
		c, err := config.Parse(nil, "test.yaml", env)
		if err != nil || c.Settings().Retention.RawMessages != 0 {
			t.Fatalf("%+v, %v", c, err)
		}
	})
	for _, tc := range []struct{ yaml, want string }{
		{"retention:\n  raw_messages: soon\n", "write it like 90d"},
		{"retention:\n  raw_messages: 2h\n", "retention.raw_messages"},
	} {
		t.Run("refuses "+strings.TrimSpace(tc.yaml[11:]), func(t *testing.T) {
			_, err := config.Parse([]byte(tc.yaml), "test.yaml", env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

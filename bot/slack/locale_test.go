package slack

import (
	"strings"
	"testing"

	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// TestSlackLocale: a linked user seen on Slack has their Slack locale
// read (users.info with include_locale) and kept, and hears it while they
// set no language of their own.
func TestSlackLocale(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, false)
		w.adapter.skipLocales = false
		w.api.User("U0PIM", map[string]any{"id": "U0PIM", "name": "pim", "locale": "th-TH"})
		w.api.User("U0ZOFIA", map[string]any{"id": "U0ZOFIA", "name": "zofia", "locale": "pl-PL"})
		w.api.take()

		rec := w.command("U0PIM", "deals")
		if !strings.Contains(rec.Body.String(), "ดีล") {
			t.Errorf("Pim's Slack is in Thai; the answer is not: %s", rec.Body)
		}
		calls := w.api.take()
		asked := false
		for _, c := range calls {
			if c.Method == "users.info" && c.Param("user") == "U0PIM" && c.Param("include_locale") == "true" {
				asked = true
			}
		}
		if !asked {
			t.Errorf("users.info with include_locale not called: %v", methods(calls))
		}
		if u, _ := db.UserByEmail(w.ctx, "pim@example.com"); u.ChatLocale != "th-TH" {
			t.Errorf("kept chat locale %q", u.ChatLocale)
		}

		t.Run("it is read once, not at every command", func(t *testing.T) {
			w.command("U0PIM", "leads")
			for _, c := range w.api.take() {
				if c.Method == "users.info" {
					t.Errorf("users.info called again")
				}
			}
		})
		t.Run("a language of one's own comes before Slack's", func(t *testing.T) {
			if _, err := w.svc.Directory.SetLanguage(w.ctx, w.users["zofia"], "vi"); err != nil {
				t.Fatal(err)
			}
			rec := w.command("U0ZOFIA", "deals")
			if strings.Contains(rec.Body.String(), "szans") || !strings.Contains(rec.Body.String(), "deal") {
				t.Errorf("Zofia chose Vietnamese: %s", rec.Body)
			}
			if u, _ := db.UserByEmail(w.ctx, "zofia@example.com"); u.ChatLocale != "pl-PL" || u.Locale != "vi" {
				t.Errorf("locale %q, chat locale %q", u.Locale, u.ChatLocale)
			}
		})
		t.Run("a failing users.info does not hold the answer up", func(t *testing.T) {
			rec := w.command("U0NIRAN", "deals") // users.info answers user_not_found
			if rec.Code != 200 || rec.Body.Len() == 0 {
				t.Errorf("answer %d %s", rec.Code, rec.Body)
			}
		})
	})
}

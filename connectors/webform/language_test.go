package webform_test

import (
	"strings"
	"testing"
)

// TestTheProspectsLanguage: the form answers in the sender's language (a
// hidden language field, else the browser's Accept-Language) and keeps
// it on the contact.
func TestTheProspectsLanguage(t *testing.T) {
	e := newEnv(t)
	t.Run("a Thai browser's missing field is named in Thai", func(t *testing.T) {
		r := e.post(t, "/forms/contact", urlencoded, form("your-name", "Anong", "your-message", "สวัสดี"),
			"Accept", "text/html", "Accept-Language", "th-TH,th;q=0.9,en;q=0.5")
		if r.status != 422 || !strings.Contains(r.body, "จำเป็นต้องกรอก") || !strings.Contains(r.body, "กรุณาแก้ไขช่อง") ||
			!strings.Contains(r.body, `lang="th"`) || strings.Contains(r.body, "required") {
			t.Errorf("got %d %s", r.status, r.body)
		}
	})
	t.Run("a Polish script's invalid email is named in Polish", func(t *testing.T) {
		r := e.post(t, "/forms/contact", urlencoded, form("your-email", "kasia@", "your-message", "Wycena"),
			"Accept", "application/json", "Accept-Language", "pl")
		if r.status != 422 || !strings.Contains(r.json(t)["fields"].(map[string]any)["your-email"].(string), "nieprawidłowy adres e-mail") {
			t.Errorf("got %d %s", r.status, r.body)
		}
	})
	t.Run("the hidden language field wins over the browser and is kept on the contact", func(t *testing.T) {
		r := e.post(t, "/forms/contact", urlencoded, form("your-email", "dariush@example.ir", "your-message", "سلام", "language", "fa"),
			"Accept", "text/html", "Accept-Language", "en-US")
		// The contact form redirects; a form without a redirect thanks.
		if r.status != 303 {
			t.Fatalf("got %d %s", r.status, r.body)
		}
		if c := e.contact(t, e.lead(t, "dariush@example.ir")); c.Locale != "fa" {
			t.Errorf("contact locale %q, want fa", c.Locale)
		}
	})
	t.Run("the thank-you page is in the browser's language", func(t *testing.T) {
		f := contactForm
		f.ID, f.Redirect = "plain", ""
		e := newEnv(t, f)
		r := e.post(t, "/forms/plain", urlencoded, form("your-email", "minh@vinacorp.vn", "your-message", "Xin báo giá"),
			"Accept", "text/html", "Accept-Language", "vi-VN,vi;q=0.9")
		if r.status != 201 || !strings.Contains(r.body, "Cảm ơn anh/chị") {
			t.Errorf("got %d %s", r.status, r.body)
		}
		if c := e.contact(t, e.lead(t, "minh@vinacorp.vn")); c.Locale != "vi-VN" {
			t.Errorf("contact locale %q, want vi-VN", c.Locale)
		}
	})
}

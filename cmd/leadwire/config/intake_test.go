package config_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"leadwire/cmd/leadwire/config"
	"leadwire/connectors/webform"
)

func TestExampleIntake(t *testing.T) {
	c, err := config.Load(filepath.Join("..", "..", "..", "configs", "leadwire.example.yaml"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the example form maps its fields and takes its team's region", func(t *testing.T) {
		forms := c.WebForms()
		if len(forms) != 1 {
			t.Fatalf("forms = %+v", forms)
		}
		f := forms[0]
		if f.ID != "contact" || f.Team != "Warsaw" || f.Region != "PL" || f.Fields["your-email"] != "email" || f.Honeypot != "website" ||
			f.Limits != (webform.Limits{MaxBytes: 64 << 10, MaxFields: 100}) ||
			f.PerIP != (webform.Rate{N: 10, Per: time.Minute}) || f.PerForm != (webform.Rate{N: 50, Per: time.Second}) {
			t.Errorf("form = %+v", f)
		}
	})
	t.Run("the example webhook sources keep their mappings and headers", func(t *testing.T) {
		srcs := c.WebhookSources()
		if len(srcs) != 3 || srcs[0].Name != "typeform" || srcs[0].SignatureHeader != "Typeform-Signature" ||
			srcs[0].Mapping["form_response.answers[field.ref=email].email"] != "email" || srcs[2].SignatureHeader != "X-Signature" {
			t.Errorf("sources = %+v", srcs)
		}
		if c.Webhooks.MaxBytes != 1<<20 {
			t.Errorf("max_bytes = %d", c.Webhooks.MaxBytes)
		}
	})
	t.Run("trusted proxies are prefixes", func(t *testing.T) {
		if got := fmt.Sprint(c.TrustedProxies()); got != "[127.0.0.1/32 ::1/128]" {
			t.Errorf("trusted proxies = %s", got)
		}
	})
}

func TestIntakeDefaults(t *testing.T) {
	c := mustParse(t, valid+"region: TH\nforms:\n  - id: hello\n", nil)
	f := c.WebForms()[0]
	if f.Region != "TH" || f.PerIP.String() != "10/m" || f.PerForm.String() != "50/s" || f.Limits != (webform.Limits{}) {
		t.Errorf("form = %+v", f)
	}
	c = mustParse(t, valid+"forms:\n  - {id: quiet, max_bytes: 2MiB, rate_limit: {per_ip: off, per_form: 100/h}}\n", nil)
	f = c.WebForms()[0]
	if f.Limits.MaxBytes != 2<<20 || f.PerIP.N != 0 || f.PerForm != (webform.Rate{N: 100, Per: time.Hour}) {
		t.Errorf("form = %+v", f)
	}
}

func TestIntakeErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"a form without an id", "forms:\n  - team: Sales #<\n", []string{"forms[0].id", "needs an id"}},
		{"two forms with one id", "forms:\n  - id: a\n  - id: a #<\n", []string{"forms[1].id", "duplicate form id"}},
		{"a form of an unknown team", valid + "forms:\n  - id: a\n    team: Sals #<\n", []string{"forms[0].team", "did you mean Sales?"}},
		{"a field mapped onto nothing known", "forms:\n  - id: a\n    fields:\n      mail: emial #<\n", []string{"forms[0].fields.mail", `unknown contact field "emial"`, "did you mean email?"}},
		{"a relative redirect", "forms:\n  - id: a\n    redirect: /thanks #<\n", []string{"forms[0].redirect", "full URL"}},
		{"an origin with a path", "forms:\n  - id: a\n    allowed_origins: [https://example.com/contact] #<\n", []string{"forms[0].allowed_origins[0]", "scheme and host only"}},
		{"a honeypot that is a real field", "forms:\n  - id: a\n    honeypot: email #<\n", []string{"forms[0].honeypot", "never fill"}},
		{"a size that is not one", "forms:\n  - id: a\n    max_bytes: lots #<\n", []string{"forms[0].max_bytes", "64KiB"}},
		{"a size too large", "forms:\n  - id: a\n    max_bytes: 1GiB #<\n", []string{"forms[0].max_bytes"}},
		{"a rate that is not one", "forms:\n  - id: a\n    rate_limit:\n      per_ip: 10 per minute #<\n", []string{"forms[0].rate_limit.per_ip", "10/m"}},
		{"a bad trusted proxy", "http:\n  trusted_proxies: [10.0.0.0/33] #<\n", []string{"http.trusted_proxies[0]", "CIDR"}},
		{"the old webhooks list", "webhooks:\n  - source: website #<\n", []string{"webhooks", "want a mapping"}},
		{"a source without a name", "webhooks:\n  sources:\n    - team: Sales #<\n", []string{"webhooks.sources[0].name", "needs a name"}},
		{"a mapping path that does not parse", "webhooks:\n  sources:\n    - name: x\n      mapping:\n        \"a[b\": email #<\n", []string{"webhooks.sources[0].mapping.a[b", "invalid JSON path"}},
		{"a mapping onto nothing known", "webhooks:\n  sources:\n    - name: x\n      mapping:\n        a.b: owner #<\n", []string{"webhooks.sources[0].mapping.a.b", `unknown target "owner"`}},
		{"two paths onto one field", "webhooks:\n  sources:\n    - name: x\n      mapping:\n        a: email\n        b: email #<\n", []string{"webhooks.sources[0].mapping.b", "mapped from a already"}},
		{"a source of an unknown team", valid + "webhooks:\n  sources:\n    - name: x\n      team: Nope #<\n", []string{"webhooks.sources[0].team", `unknown team "Nope"`}},
		{"a bad signature header", "webhooks:\n  sources:\n    - name: x\n      signature_header: \"X Sig\" #<\n", []string{"webhooks.sources[0].signature_header", "X-Signature"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is an error", func(t *testing.T) {
			_, err := config.Parse([]byte(tt.src), "leadwire.yaml", nil)
			checkErr(t, err, append(tt.want, fmt.Sprintf("at line %d:", markedLine(t, tt.src)))...)
			if strings.Count(err.Error(), "\n") > 1 {
				t.Errorf("more than the one problem:\n%v", err)
			}
		})
	}
}

// TestExampleFormPage keeps configs/form.html in step with the example's
// form: it posts to it and uses its field names.
func TestExampleFormPage(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("..", "..", "..", "configs", "form.html"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(filepath.Join("..", "..", "..", "configs", "leadwire.example.yaml"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	f := c.WebForms()[0]
	if !strings.Contains(string(page), `action="https://leads.example.com/forms/`+f.ID+`"`) {
		t.Errorf("form.html does not post to /forms/%s", f.ID)
	}
	names := map[string]bool{}
	for _, m := range regexp.MustCompile(`name="([^"]+)"`).FindAllStringSubmatch(string(page), -1) {
		names[m[1]] = true
	}
	for posted := range f.Fields {
		if !names[posted] {
			t.Errorf("form.html has no field %q of the mapping", posted)
		}
	}
	for name := range names {
		if _, mapped := f.Fields[name]; !mapped && name != f.Honeypot && name != "plan" && name != "viewport" && name != "referrer" {
			t.Errorf("form.html posts %q, which the example neither maps nor expects", name)
		}
	}
	if !names[f.Honeypot] {
		t.Errorf("form.html lacks the honeypot %q", f.Honeypot)
	}
}

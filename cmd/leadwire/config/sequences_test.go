package config_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"leadwire/cmd/leadwire/config"
)

const seqBase = `http:
  public_url: https://leads.example.com
smtp:
  host: smtp.example.com
  from: "Sales <sales@example.com>"
`

func TestSequences(t *testing.T) {
	t.Run("steps, delays in days and working hours are read", func(t *testing.T) {
		c := mustParse(t, seqBase+`sequences:
  - name: welcome
    hours: {start: "08:30", end: "16:00", days: [sat, sun, mon, tue, wed]}
    steps:
      - delay: 0
        subject: "Hi {{.Contact.FirstName}}"
        body: "{{.Deal.Value}} from {{.Owner.Name}}"
      - delay: 1d12h
        subject: "Again"
        body: "Still there?"
`, nil)
		s := c.Settings()
		if len(s.Sequences) != 1 || s.PublicURL != "https://leads.example.com" {
			t.Fatalf("settings = %+v", s)
		}
		q := s.Sequences[0]
		if q.Name != "welcome" || len(q.Steps) != 2 || q.Steps[0].Delay != 0 || q.Steps[1].Delay != 36*time.Hour {
			t.Errorf("sequence = %+v", q)
		}
		if q.Hours.Start != 8*time.Hour+30*time.Minute || q.Hours.End != 16*time.Hour || len(q.Hours.Days) != 5 || q.Hours.Days[0] != time.Saturday {
			t.Errorf("hours = %+v", q.Hours)
		}
		var b strings.Builder
		if err := q.Steps[0].Subject.Execute(&b, map[string]any{"Contact": map[string]string{"FirstName": "Somchai"}}); err != nil || b.String() != "Hi Somchai" {
			t.Errorf("subject renders %q, %v", b.String(), err)
		}
	})
	t.Run("without hours, 09:00 to 17:00 Monday to Friday", func(t *testing.T) {
		c := mustParse(t, seqBase+"sequences:\n  - name: w\n    steps:\n      - {delay: 2d, subject: s, body: b}\n", nil)
		h := c.Settings().Sequences[0].Hours
		if h.Start != 9*time.Hour || h.End != 17*time.Hour || len(h.Days) != 5 || h.Days[0] != time.Monday {
			t.Errorf("hours = %+v", h)
		}
	})
	for _, c := range []struct {
		name, src string
		want      []string
	}{
		{"an unknown template field names the key path and the fields", seqBase + `sequences:
  - name: welcome
    steps:
      - delay: 0
        subject: "Hi {{.Contact.Frist}}" #<
        body: b
`, []string{"sequences[0].steps[0].subject", "can't evaluate field Frist", ".Contact.FirstName"}},
		{"a template that does not parse", seqBase + "sequences:\n  - name: w\n    steps:\n      - delay: 0\n        subject: s\n        body: \"{{.Deal.Title\" #<\n", []string{"sequences[0].steps[0].body", "unclosed action"}},
		{"a bad delay", seqBase + "sequences:\n  - name: w\n    steps:\n      - delay: two days #<\n        subject: s\n        body: b\n", []string{"sequences[0].steps[0].delay", "write it like 0, 2d"}},
		{"a bad day", seqBase + "sequences:\n  - name: w\n    hours:\n      days: [mon, funday] #<\n    steps:\n      - {delay: 0, subject: s, body: b}\n", []string{"sequences[0].hours.days[1]", `unknown day "funday"`}},
		{"a sequence without steps", seqBase + "sequences:\n  - name: w #<\n", []string{"sequences[0].steps", "at least one step"}},
		{"a duplicate name", seqBase + "sequences:\n  - name: w\n    steps: [{delay: 0, subject: s, body: b}]\n  - name: W #<\n    steps: [{delay: 0, subject: s, body: b}]\n", []string{"sequences[1].name", "duplicate sequence name"}},
		{"sequences without a public URL", "smtp:\n  host: smtp.example.com\n  from: a@example.com\nsequences: #<\n  - name: w\n    steps: [{delay: 0, subject: s, body: b}]\n", []string{"sequences at line", "http.public_url"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := config.Parse([]byte(c.src), "leadwire.yaml", env(nil))
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			if line := markedLine(t, c.src); !strings.Contains(msg, " at line "+strconv.Itoa(line)+":") {
				t.Errorf("error does not point at line %d:\n%s", line, msg)
			}
		})
	}
}

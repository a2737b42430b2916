package config

import (
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"time"

	"leadwire/core"
)

// SequenceDef is a named email cadence: `enroll D45 NAME` sends its steps
// to the deal's contact over SMTP from the deal owner's address.
type SequenceDef struct {
	Name  string         `yaml:"name"` // letters, digits, . - _: what enroll names
	Hours *SequenceHours `yaml:"hours"`
	Steps []SequenceStep `yaml:"steps"`
}

// SequenceHours are when a sequence may send, in the contact's time zone
// when known, else the owner's; default 09:00–17:00, Monday to Friday.
type SequenceHours struct {
	Start string   `yaml:"start"` // "09:00"
	End   string   `yaml:"end"`   // "17:00"
	Days  []string `yaml:"days"`  // mon, tue, wed, thu, fri, sat, sun
}

// SequenceStep is one mail: its delay after the enrolment (first step) or
// the previous step, and its subject and body templates (text/template,
// fields listed in core.SequenceFields).
type SequenceStep struct {
	Delay   Delay  `yaml:"delay"` // 0, 2d, 5d, 36h, 1d12h
	Subject string `yaml:"subject"`
	Body    string `yaml:"body"`
}

// Delay is a duration that may count days: 0, 2d, 1d12h, 90m.
type Delay time.Duration

// UnmarshalText parses a delay.
func (d *Delay) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	bad := fmt.Errorf("invalid delay %q; write it like 0, 2d, 36h or 1d12h", b)
	if s == "0" {
		*d = 0
		return nil
	}
	var total time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 || n > 3650 {
			return bad
		}
		total, s = time.Duration(n)*24*time.Hour, s[i+1:]
	}
	if s != "" {
		v, err := time.ParseDuration(s)
		if err != nil || v < 0 {
			return bad
		}
		total += v
	}
	*d = Delay(total)
	return nil
}

// MarshalText formats the delay as a Go duration.
func (d Delay) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// checkSequences validates the sequences and parses their templates into
// the settings; run after checkHTTP and checkSMTP.
func (c *Config) checkSequences(p *problems) {
	if len(c.Sequences) == 0 {
		return
	}
	if !c.SMTP.Enabled() {
		p.errf("sequences", "sequences send mail: configure smtp (host, from) too")
	}
	if c.HTTP.PublicURL == "" {
		p.errf("sequences", "sequence mail carries an unsubscribe link: set http.public_url, the address people reach leadwire at")
	}
	seen := map[string]int{}
	var out []core.Sequence
	for i := range c.Sequences {
		s := &c.Sequences[i]
		path := fmt.Sprintf("sequences[%d]", i)
		s.Name = strings.TrimSpace(s.Name)
		if !core.ValidName(s.Name) {
			p.errf(path+".name", "a sequence needs a name of letters, digits, '.', '-' or '_', such as welcome; chat enrolls with: enroll D45 NAME")
		} else if first, dup := seen[strings.ToLower(s.Name)]; dup {
			p.errf(path+".name", "duplicate sequence name %q (also sequences[%d])", s.Name, first)
		} else {
			seen[strings.ToLower(s.Name)] = i
		}
		seq := core.Sequence{Name: s.Name, Hours: checkHours(p, path+".hours", s.Hours)}
		if len(s.Steps) == 0 {
			p.errf(path+".steps", "a sequence needs at least one step with a delay, a subject and a body")
		}
		for j, st := range s.Steps {
			sp := fmt.Sprintf("%s.steps[%d]", path, j)
			step := core.SequenceStep{Delay: time.Duration(st.Delay)}
			for _, f := range []struct {
				key, text string
				into      **template.Template
			}{{"subject", st.Subject, &step.Subject}, {"body", st.Body, &step.Body}} {
				if strings.TrimSpace(f.text) == "" {
					p.errf(sp+"."+f.key, "a step needs a %s", f.key)
					continue
				}
				t, err := core.ParseSequenceTemplate(s.Name+"."+f.key, f.text)
				if err != nil {
					p.errf(sp+"."+f.key, "%v", err)
					continue
				}
				*f.into = t
			}
			seq.Steps = append(seq.Steps, step)
		}
		out = append(out, seq)
	}
	c.settings.Sequences = out
	c.settings.PublicURL = c.HTTP.PublicURL
}

func checkHours(p *problems, path string, h *SequenceHours) core.WorkingHours {
	out := core.DefaultWorkingHours()
	if h == nil {
		return out
	}
	clock := func(key, s string, def time.Duration) time.Duration {
		switch strings.TrimSpace(s) {
		case "":
			return def
		case "24:00":
			return 24 * time.Hour
		}
		t, err := time.Parse("15:04", strings.TrimSpace(s))
		if err != nil {
			p.errf(path+"."+key, "invalid time %q; write it like 09:00", s)
			return def
		}
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	out.Start = clock("start", h.Start, out.Start)
	out.End = clock("end", h.End, out.End)
	if out.End <= out.Start {
		p.errf(path, "the working hours end (%s) must come after their start (%s)", h.End, h.Start)
	}
	if len(h.Days) > 0 {
		out.Days = nil
		for i, d := range h.Days {
			w, ok := weekdays[strings.ToLower(strings.TrimSpace(d))[:min(3, len(strings.TrimSpace(d)))]]
			if !ok {
				p.errf(fmt.Sprintf("%s.days[%d]", path, i), "unknown day %q; use mon, tue, wed, thu, fri, sat, sun", d)
				continue
			}
			out.Days = append(out.Days, w)
		}
	}
	return out
}

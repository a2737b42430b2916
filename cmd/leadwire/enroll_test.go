package main

import (
	"os"
	"strings"
	"testing"
)

func TestEnrollFromTheCommandLine(t *testing.T) {
	e := newIOEnv(t)
	cfg, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	cfg = append(cfg, `http:
  public_url: https://leads.example.com
smtp:
  host: smtp.example.com
  from: "Sales <sales@example.com>"
sequences:
  - name: welcome
    steps:
      - {delay: 0, subject: "Hi {{.Contact.FirstName}}", body: "About {{.Deal.Title}}"}
`...)
	if err := os.WriteFile(e.config, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	e.ok("leads", "add", "--name", "Anna Nowak", "--email", "anna@polimex.pl", "--team", "Warsaw")
	e.ok("--as", "piotr@example.com", "leads", "qualify", "L1")
	if out := e.ok("--as", "piotr@example.com", "deals", "enroll", "D1", "welcome").out; !strings.Contains(out, "D1 enrolled in welcome") {
		t.Errorf("enroll printed %q", out)
	}
	if r := e.run("--as", "piotr@example.com", "deals", "enroll", "D1", "welcome"); r.code == 0 || !strings.Contains(r.errOut, "Anna Nowak is in welcome already") {
		t.Errorf("a second enrol: exit %d, %q", r.code, r.errOut)
	}
	if out := e.ok("--as", "piotr@example.com", "deals", "unenroll", "D1").out; !strings.Contains(out, "stopped 1 sequence(s) of D1") {
		t.Errorf("unenroll printed %q", out)
	}
}

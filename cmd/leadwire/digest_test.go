package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDigestPreview(t *testing.T) {
	t.Parallel()
	e := newIOEnv(t)
	e.ok("leads", "add", "--name", `<b>&"Ömer"</b>`, "--email", "omer@pars.example", "--team", "Bangkok", "--company", "شرکت پارس")
	e.ok("leads", "add", "--name", "王伟", "--email", "wang@bj.example", "--team", "Bangkok")
	e.ok("--as", "lan@example.com", "leads", "claim", "L2")
	e.ok("--as", "lan@example.com", "leads", "qualify", "L2", "--value", "450,000", "--currency", "THB")
	e.ok("--as", "lan@example.com", "deals", "win", "D1")
	today := time.Now().UTC().Format(time.DateOnly) // the manager is on the organisation's UTC
	digest := func(format string) string {
		return e.ok("digest", "--manager", "somchai@example.com", "--date", today, "--format", format).out
	}
	t.Run("text is the email's plain text", func(t *testing.T) {
		out := digest("text")
		for _, want := range []string{"Daily digest, team Bangkok", "2 new", "1 won (11,700.00 EUR)", `<b>&"Ömer"</b> (شرکت پارس)`, "Nguyễn Thị Lan: 1 new · 1 won · 11,700.00 EUR · 100%"} {
			if !strings.Contains(out, want) {
				t.Errorf("text lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("html is the email's HTML, escaped", func(t *testing.T) {
		out := digest("html")
		if !strings.HasPrefix(out, "<!DOCTYPE html>") || strings.Contains(out, `<b>&"Ömer"`) || !strings.Contains(out, "&lt;b&gt;&amp;&#34;Ömer&#34;&lt;/b&gt;") || !strings.Contains(out, `src="cid:chart1.forecast@leadwire"`) {
			t.Errorf("html:\n%s", out)
		}
	})
	t.Run("slack is Block Kit JSON", func(t *testing.T) {
		var m struct {
			Text   string
			Blocks []struct{ Type string }
		}
		out := digest("slack")
		if err := json.Unmarshal([]byte(out), &m); err != nil || len(m.Blocks) < 5 || !strings.Contains(out, `\u0026lt;b\u0026gt;`) && !strings.Contains(out, "&lt;b&gt;") {
			t.Errorf("slack %v:\n%s", err, out)
		}
	})
	t.Run("telegram is Telegram HTML, escaped", func(t *testing.T) {
		out := digest("telegram")
		if !strings.Contains(out, "&lt;b&gt;&amp;&quot;Ömer&quot;&lt;/b&gt;") || !strings.Contains(out, "<b>New leads</b>") {
			t.Errorf("telegram:\n%s", out)
		}
	})
	t.Run("the default date is yesterday and charts can be written", func(t *testing.T) {
		r := e.ok("digest", "--manager", "somchai@example.com")
		if !strings.Contains(r.out, time.Now().UTC().AddDate(0, 0, -1).Format("Monday 2 January 2006")) {
			t.Errorf("default date is not yesterday:\n%s", r.out)
		}
		// Today's digest, so that today's deal is in the funnel.
		dir := t.TempDir()
		e.ok("digest", "--manager", "somchai@example.com", "--date", today, "--charts", dir)
		for _, name := range []string{"forecast.png", "funnel.png"} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := png.Decode(bytes.NewReader(b)); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
	t.Run("a digest.cjk_font without Chinese is refused, saying so", func(t *testing.T) {
		font := filepath.Join(t.TempDir(), "Latin.ttf")
		if err := os.WriteFile(font, []byte("not a font"), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg := fmt.Sprintf(ioConfig, e.dbPath) + "digest:\n  cjk_font: " + font + "\n"
		if err := os.WriteFile(e.config, []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(e.config, fmt.Appendf(nil, ioConfig, e.dbPath), 0o644)
		if r := e.run("digest", "--manager", "somchai@example.com", "--date", today); r.code == 0 || !strings.Contains(r.errOut, "digest.cjk_font: CJK font "+font) {
			t.Errorf("exit %d, stderr %q", r.code, r.errOut)
		}
	})
	t.Run("a bad date or manager is refused", func(t *testing.T) {
		if r := e.run("digest", "--manager", "somchai@example.com", "--date", "yesterday"); r.code == 0 || !strings.Contains(r.errOut, "--date") {
			t.Errorf("exit %d, stderr %q", r.code, r.errOut)
		}
		if r := e.run("digest", "--manager", "nobody@example.com"); r.code == 0 || !strings.Contains(r.errOut, "--manager nobody@example.com") {
			t.Errorf("exit %d, stderr %q", r.code, r.errOut)
		}
	})
}

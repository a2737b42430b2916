package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestBenchForms runs `bench forms --serve` for a second against a real
// `leadwire serve` child: what it counts as answered is what the server
// stored, and answers other than 201 fail the bench. No figure is checked.
func TestBenchForms(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it as a server")
	}
	bin := buildLeadwire(t)
	bench := func(t *testing.T, args ...string) (int, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := run(context.Background(), append([]string{"bench", "forms", "--serve", "--server-bin", bin,
			"--conns", "3", "--duration", "1s", "--warmup", "200ms"}, args...), &out, &errOut, func(string) string { return "" })
		return code, out.String() + errOut.String()
	}
	count := func(t *testing.T, out, pattern string) int {
		t.Helper()
		m := regexp.MustCompile(pattern).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no %q in the output:\n%s", pattern, out)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}

	t.Run("every post answered 201 is a lead the server stored", func(t *testing.T) {
		code, out := bench(t)
		if code != 0 {
			t.Fatalf("bench forms exited %d:\n%s", code, out)
		}
		if n := count(t, out, `(?m)^forms +\d+ forms/s +(\d+) in`); n == 0 {
			t.Errorf("no form post counted:\n%s", out)
		}
		if n := count(t, out, `(?m)^healthz +\d+ req/s +(\d+) in`); n == 0 {
			t.Errorf("no /healthz counted:\n%s", out)
		}
		stored := count(t, out, `stored: (\d+) leads`)
		answered := count(t, out, `leads captured by form bench, (\d+) posts answered 201`)
		if stored == 0 || stored != answered {
			t.Errorf("stored %d leads for %d posts answered 201:\n%s", stored, answered, out)
		}
		for _, want := range []string{"synchronous=FULL", "errors 0", "forms/s ÷ /healthz/s"} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in the output:\n%s", want, out)
			}
		}
	})

	t.Run("posts answered otherwise fail the bench with their status", func(t *testing.T) {
		code, out := bench(t, "--form", "missing", "--no-healthz")
		if code != 1 {
			t.Fatalf("bench forms at a missing form exited %d, want 1:\n%s", code, out)
		}
		failed := count(t, out, `(\d+) form posts failed \(\d+× 404\)`)
		if failed == 0 || count(t, out, `(?m)^forms .* errors (\d+)`) != failed {
			t.Errorf("the failures are not counted as 404s:\n%s", out)
		}
		if count(t, out, `stored: (\d+) leads`) != 0 {
			t.Errorf("a missing form stored leads:\n%s", out)
		}
	})
}

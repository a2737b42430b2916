package config

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestAliasBombIsRefused decodes a billion-laughs file into a generic
// value: no key of the configuration holds nested lists any more, so the
// decoder's budget is tested directly.
func TestAliasBombIsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	b.WriteString("bomb: *a9\n")
	start := time.Now()
	p := &problems{file: "bomb.yaml", lines: map[string]int{}}
	d := newDecoder(p, func(string) string { return "" })
	body, ok := d.parseYAML([]byte(b.String()))
	if !ok {
		t.Fatal(p.err())
	}
	d.interpolate(body, "")
	var v any
	d.decode(body, reflect.ValueOf(&v).Elem(), "")
	if err := p.err(); err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Errorf("err = %v, want one saying the file expands too far", err)
	}
	// Expanded, the aliases would take hours and all memory; refused,
	// well under a second. The bound tells those apart with room for a
	// busy machine; it is not a measure of speed.
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %v", d)
	}
}

package api

import (
	"strconv"
	"testing"

	"leadwire/core"
)

// FuzzCursor: any ?cursor= a caller sends is either refused as invalid or
// read as a positive id, and every cursor the API gives reads back as the
// id it was made of.
func FuzzCursor(f *testing.F) {
	for _, s := range []string{"", "aWQ6OTUx", "bogus", "aWQ6LTE", "aWQ6", "aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := cursor(map[string]string{"cursor": s})
		if err != nil && core.KindOf(err) != core.KindInvalid {
			t.Fatalf("cursor %q: %v", s, err)
		}
		if err == nil && s != "" && id <= 0 {
			t.Fatalf("cursor %q read as %d", s, id)
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			next := nextCursor(1, 1, n)
			if back, err := cursor(map[string]string{"cursor": *next}); err != nil || back != n {
				t.Fatalf("the cursor of %d read back as %d, %v", n, back, err)
			}
		}
	})
}

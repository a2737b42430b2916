package core_test

import (
	"strings"
	"testing"

	"leadwire/core"
)

func TestClean(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		n        int
		want     string
	}{
		{"text in any script is kept", "  สวัสดี\tسلام 你好 Zażółć  ", 100, "สวัสดี\tسلام 你好 Zażółć"},
		{"control characters and separators go, newlines stay", "a\x00b\x1b[31m\u2028c\nd\u2029", 100, "ab[31mc\nd"},
		{"invalid UTF-8 is replaced", "ok\xff", 100, "ok\uFFFD"},
		{"cut at n characters, not bytes", "Wiśniewski", 4, "Wiśn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := core.Clean(tc.in, tc.n); got != tc.want {
				t.Errorf("Clean(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
			}
		})
	}
}

func TestValidName(t *testing.T) {
	for in, want := range map[string]bool{
		"contact-us": true, "typeform_2.v1": true, strings.Repeat("a", 64): true,
		"": false, strings.Repeat("a", 65): false, "two words": false, "ติดต่อ": false, "a/b": false, "../x": false,
	} {
		if got := core.ValidName(in); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", in, got, want)
		}
	}
}

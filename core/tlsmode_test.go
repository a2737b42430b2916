package core_test

import (
	"testing"

	"leadwire/core"
)

func TestParseTLSMode(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		def  core.TLSMode
		want core.TLSMode
		err  string
	}{
		{"an empty mode is the default", "", core.TLSStartTLS, core.TLSStartTLS, ""},
		{"a mode is read in any case and with spaces", " STARTTLS ", core.TLSImplicit, core.TLSStartTLS, ""},
		{"tls is implicit TLS", "tls", core.TLSStartTLS, core.TLSImplicit, ""},
		{"none is no encryption", "none", core.TLSImplicit, core.TLSNone, ""},
		{"a typo suggests the closest mode", "startls", core.TLSImplicit, "", `unknown tls "startls"; did you mean starttls? valid values are tls, starttls, none`},
		{"an unknown mode lists the valid ones", "ssl", core.TLSImplicit, "", `unknown tls "ssl"; valid values are tls, starttls, none`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := core.ParseTLSMode(tc.in, tc.def)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err || core.KindOf(err) != core.KindInvalid {
					t.Fatalf("ParseTLSMode(%q) = %q, %v; want the invalid error %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ParseTLSMode(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST.": true, "127.0.0.1": true, "127.8.9.10": true, "::1": true, "[::1]": true,
		"imap.example.com": false, "10.0.0.1": false, "localhost.example.com": false, "": false,
	} {
		if got := core.IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

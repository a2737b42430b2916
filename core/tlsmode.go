package core

import (
	"fmt"
	"net"
	"strings"
)

// TLSMode is how a connection to a mail server (IMAP or SMTP) is secured.
// It is spelled the same in the config file, the IMAP connector and the
// SMTP sender.
type TLSMode string

// The TLS modes.
const (
	TLSImplicit TLSMode = "tls"      // TLS from the first byte: IMAP on 993, SMTP on 465
	TLSStartTLS TLSMode = "starttls" // plaintext upgraded with STARTTLS: IMAP on 143, SMTP on 587
	TLSNone     TLSMode = "none"     // no encryption: loopback hosts only
)

// TLSModes lists the valid spellings, in the order they are offered.
func TLSModes() []string {
	return []string{string(TLSImplicit), string(TLSStartTLS), string(TLSNone)}
}

// ParseTLSMode reads a TLS mode as written in settings, in any case and
// with surrounding space; an empty one is def. An unknown mode is a
// KindInvalid error that names the valid ones and suggests the closest.
func ParseTLSMode(s string, def TLSMode) (TLSMode, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return def, nil
	}
	modes := TLSModes()
	best, dist := "", 0
	for _, m := range modes {
		if s == m {
			return TLSMode(m), nil
		}
		limit := 2
		if min(len(s), len(m)) <= 4 {
			limit = 1
		}
		if d := levenshtein(s, m); d <= limit && (best == "" || d < dist) {
			best, dist = m, d
		}
	}
	var hint string
	if best != "" {
		hint = fmt.Sprintf(" did you mean %s?", best)
	}
	return "", Errorf(KindInvalid, "unknown tls %q;%s valid values are %s", s, hint, strings.Join(modes, ", "))
}

// IsLoopbackHost reports whether host names this machine: localhost or a
// loopback address, bracketed or not.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

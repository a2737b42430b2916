package storage

import (
	"net/url"
	"strings"
)

// redactedValue stands in for a credential in a shown DSN.
const redactedValue = "xxxxx"

// Redact returns dsn fit to show in a message or a log: the password of a
// URL's userinfo and the value of every parameter that carries a
// credential (password, sslpassword, _auth_pass, …), in a URL's query or
// in a key=value connection string, are masked. A URL that does not parse
// is masked from its scheme to its last '@': over-masking is the safe
// side.
func Redact(dsn string) string {
	if dsn == "" {
		return ""
	}
	scheme, rest, isURL := strings.Cut(dsn, "://")
	if !isURL {
		if s, r, ok := strings.Cut(dsn, ":"); ok && isSchemeName(s) && !strings.ContainsAny(s, " =") {
			// sqlite:PATH?params, with no authority.
			base, query, hasQuery := strings.Cut(r, "?")
			if !hasQuery {
				return dsn
			}
			return s + ":" + base + "?" + redactQuery(query)
		}
		if strings.Contains(dsn, "=") {
			return redactKeyValues(dsn)
		}
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		// Best effort: whatever precedes the host may be a password.
		if at := strings.LastIndexByte(rest, '@'); at >= 0 {
			rest = redactedValue + rest[at:]
		}
		if base, query, ok := strings.Cut(rest, "?"); ok {
			rest = base + "?" + redactQuery(query)
		}
		return scheme + "://" + rest
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), redactedValue)
		}
	}
	u.RawQuery = redactQuery(u.RawQuery)
	return u.String()
}

// redactQuery masks the credential values of a URL query, keeping the
// rest as written.
func redactQuery(query string) string {
	if query == "" {
		return ""
	}
	parts := strings.Split(query, "&")
	for i, p := range parts {
		k, _, hasValue := strings.Cut(p, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		if hasValue && isCredentialKey(key) {
			parts[i] = k + "=" + redactedValue
		}
	}
	return strings.Join(parts, "&")
}

// redactKeyValues masks the credential values of a libpq key=value
// connection string ("host=db user=lw password='a b'"). What does not
// scan as key=value pairs is masked to its end.
func redactKeyValues(s string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		if s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' {
			b.WriteByte(s[i])
			i++
			continue
		}
		start := i
		for i < len(s) && s[i] != '=' && s[i] != ' ' && s[i] != '\t' {
			i++
		}
		key := s[start:i]
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j >= len(s) || s[j] != '=' {
			// Not a pair: nothing more can be told apart safely.
			b.WriteString(redactedValue)
			return b.String()
		}
		j++
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		end := j
		if end < len(s) && s[end] == '\'' {
			end++
			for end < len(s) && s[end] != '\'' {
				if s[end] == '\\' {
					end++
				}
				end++
			}
			end = min(end+1, len(s))
		} else {
			for end < len(s) && s[end] != ' ' && s[end] != '\t' {
				end++
			}
		}
		if isCredentialKey(key) {
			b.WriteString(key + "=" + redactedValue)
		} else {
			b.WriteString(s[start:end])
		}
		i = end
	}
	return b.String()
}

// isCredentialKey reports whether a connection parameter holds a secret:
// libpq's password and sslpassword, go-sqlite3's _auth_pass, SQLCipher's
// _pragma_key, and anything else named like a password, secret or token.
func isCredentialKey(key string) bool {
	k := strings.ToLower(strings.TrimSpace(key))
	for _, word := range []string{"pass", "pwd", "secret", "token", "credential"} {
		if strings.Contains(k, word) {
			return true
		}
	}
	return k == "key" || strings.HasSuffix(k, "_key")
}

// isSchemeName reports whether s can be a URL scheme.
func isSchemeName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}

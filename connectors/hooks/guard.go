package hooks

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// blocked reports why an address may not be a webhook target, "" when it
// may: loopback, private (RFC 1918, unique local), link-local (cloud
// metadata lives there), unspecified, multicast and the shared and
// benchmarking ranges all reach inside, not out.
func blocked(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case a.IsLoopback():
		return "a loopback address"
	case a.IsPrivate():
		return "a private address"
	case a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast():
		return "a link-local address"
	case a.IsUnspecified():
		return "an unspecified address"
	case a.IsMulticast(), a.IsInterfaceLocalMulticast():
		return "a multicast address"
	}
	for _, p := range internalRanges {
		if p.Contains(a) {
			return "an internal address"
		}
	}
	return ""
}

var internalRanges = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("198.18.0.0/15"), // benchmarking
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64 can reach IPv4 inside
}

// CheckURL checks a target before it is subscribed: http or https, a
// host, no user info, and (unless allowPrivate) no name that resolves to
// an address inside. The check is repeated on every connection, since a
// name can point elsewhere later.
func CheckURL(ctx context.Context, raw string, allowPrivate bool) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%q is no http or https URL", raw)
	}
	if u.User != nil {
		return fmt.Errorf("a webhook URL carries no user or password; put a token in its path or query instead")
	}
	if allowPrivate {
		return nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", u.Hostname())
	if err != nil {
		return fmt.Errorf("cannot resolve %s: %v", u.Hostname(), err)
	}
	for _, a := range addrs {
		if why := blocked(a); why != "" {
			return fmt.Errorf("%s is %s (%s); webhooks go to public addresses unless hooks.allow_private is set", u.Hostname(), why, a)
		}
	}
	return nil
}

// control refuses, at connect time, an address inside: the name was
// resolved already, so a DNS answer that changed since CheckURL cannot
// slip through (no DNS rebinding), and neither can a redirect.
func control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook target %s: %w", address, err)
	}
	if why := blocked(ap.Addr()); why != "" {
		return fmt.Errorf("webhook target %s is %s; set hooks.allow_private to allow it", ap.Addr(), why)
	}
	return nil
}

package webform

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a token bucket: N submissions per Per, in bursts of up to N.
// A zero N means no limit.
type Rate struct {
	N   int
	Per time.Duration
}

// ParseRate reads "10/m", "5/s", "100/h"; "off" or "" is no limit.
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "off" || s == "0" {
		return Rate{}, nil
	}
	num, unit, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	per := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour}[strings.TrimSpace(unit)]
	if !ok || err != nil || n < 0 || per == 0 {
		return Rate{}, fmt.Errorf("invalid rate %q; write it like 10/m, 5/s or 100/h, or off", s)
	}
	return Rate{N: n, Per: per}, nil
}

// String writes the rate as ParseRate reads it.
func (r Rate) String() string {
	if r.N == 0 {
		return "off"
	}
	unit := map[time.Duration]string{time.Second: "s", time.Minute: "m", time.Hour: "h"}[r.Per]
	if unit == "" {
		return fmt.Sprintf("%d/%v", r.N, r.Per)
	}
	return fmt.Sprintf("%d/%s", r.N, unit)
}

func (r Rate) newLimiter() *rate.Limiter {
	return rate.NewLimiter(rate.Limit(float64(r.N)/r.Per.Seconds()), r.N)
}

// take takes one token from lim at now; when there is none it returns how
// long until there is.
func take(lim *rate.Limiter, now time.Time) (ok bool, retry time.Duration) {
	res := lim.ReserveN(now, 1)
	if !res.OK() {
		return false, time.Minute
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// keyedLimiter is one token bucket per client. A bucket left alone for Per
// is full again, as good as new, so buckets idle that long are dropped.
type keyedLimiter struct {
	rate Rate

	mu        sync.Mutex
	buckets   map[string]*keyedBucket
	nextSweep time.Time
}

type keyedBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxBuckets bounds the memory of a keyed limiter; past it (a flood from
// very many addresses) the buckets start over and the form's own limit is
// what holds.
const maxBuckets = 100_000

func newKeyedLimiter(r Rate) *keyedLimiter {
	return &keyedLimiter{rate: r, buckets: map[string]*keyedBucket{}}
}

func (l *keyedLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.After(l.nextSweep) || len(l.buckets) >= maxBuckets {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > l.rate.Per {
				delete(l.buckets, k)
			}
		}
		if len(l.buckets) >= maxBuckets {
			clear(l.buckets)
		}
		l.nextSweep = now.Add(l.rate.Per)
	}
	b := l.buckets[key]
	if b == nil {
		b = &keyedBucket{lim: l.rate.newLimiter()}
		l.buckets[key] = b
	}
	b.seen = now
	return take(b.lim, now)
}

// ClientIP is the address a request came from: the connection's peer, or,
// when the peer is a trusted proxy, the nearest address in X-Forwarded-For
// that is not one.
func ClientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	ip := remoteIP(r.RemoteAddr)
	if !ip.IsValid() || !isTrusted(ip, trusted) {
		return ip
	}
	hops := r.Header.Values("X-Forwarded-For")
	var chain []string
	for _, h := range hops {
		chain = append(chain, strings.Split(h, ",")...)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(chain[i]))
		if err != nil {
			// A hop that does not parse was written by someone we do
			// not trust; stop at the last one we could read.
			break
		}
		ip = hop.Unmap()
		if !isTrusted(ip, trusted) {
			return ip
		}
	}
	return ip
}

func remoteIP(remoteAddr string) netip.Addr {
	if ap, err := netip.ParseAddrPort(remoteAddr); err == nil {
		return ap.Addr().Unmap()
	}
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip, _ := netip.ParseAddr(host)
	return ip.Unmap()
}

func isTrusted(ip netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// clientKey is the rate-limit key of an address: the address for IPv4, its
// /64 for IPv6, since one host commonly holds a whole /64.
func clientKey(ip netip.Addr) string {
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The load generator of `bench forms`: each connection is a goroutine
// of its own with one kept-alive HTTP/1.1 connection, posting as soon as
// its last answer is read (a closed loop). It speaks just the HTTP/1.1
// it needs over a plain net.Conn, so that the generator spends little of
// a small machine that the server shares; net/http's client costs several
// times more a request.

// loadResult is what one phase of load measured.
type loadResult struct {
	ok      int             // answers with the wanted status in the measured window
	warm    int             // answers with the wanted status in the warm-up
	elapsed time.Duration   // from the window's start to the last answer in it
	lat     []time.Duration // of the ok answers, sorted
	errs    map[string]int  // unwanted statuses ("404") and transport errors
	first   string          // the first error seen, in words
}

// errors counts every failed request.
func (r *loadResult) errors() int {
	n := 0
	for _, v := range r.errs {
		n += v
	}
	return n
}

func (r *loadResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.ok) / r.elapsed.Seconds()
}

// pct is the latency at quantile q of the ok answers.
func (r *loadResult) pct(q float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	return r.lat[min(len(r.lat)-1, int(q*float64(len(r.lat))))]
}

// errorText lists the errors by kind, most frequent first.
func (r *loadResult) errorText() string {
	kinds := make([]string, 0, len(r.errs))
	for k := range r.errs {
		kinds = append(kinds, k)
	}
	slices.SortFunc(kinds, func(a, b string) int { return r.errs[b] - r.errs[a] })
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%d× %s", r.errs[k], k)
	}
	return strings.Join(parts, ", ")
}

// runLoad drives conns connections for warmup and then duration; build
// writes the nth request (counting across connections) into buf.
func runLoad(addr string, conns int, warmup, duration time.Duration, want int, build func(buf []byte, n int) []byte) *loadResult {
	start := time.Now().Add(warmup)
	end := start.Add(duration)
	var mu sync.Mutex
	var seq int
	next := func() int { mu.Lock(); defer mu.Unlock(); seq++; return seq }
	res := &loadResult{errs: map[string]int{}}
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			c := &loadConn{addr: addr}
			defer c.close()
			var lat []time.Duration
			var warm int
			var last time.Time
			errs := map[string]int{}
			var first string
			var buf []byte
			for {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				buf = build(buf[:0], next())
				status, err := c.do(buf)
				t1 := time.Now()
				switch {
				case err != nil:
					errs[errorKind(err)]++
					if first == "" {
						first = err.Error()
					}
					// A server that is gone refuses at once: do not spin.
					time.Sleep(10 * time.Millisecond)
				case status != want:
					errs[strconv.Itoa(status)]++
					if first == "" {
						first = fmt.Sprintf("status %d, want %d", status, want)
					}
				case t0.Before(start):
					warm++
				default:
					lat = append(lat, t1.Sub(t0))
					last = t1
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.lat = append(res.lat, lat...)
			res.warm += warm
			for k, v := range errs {
				res.errs[k] += v
			}
			if res.first == "" {
				res.first = first
			}
			if d := last.Sub(start); d > res.elapsed {
				res.elapsed = d
			}
		})
	}
	wg.Wait()
	res.ok = len(res.lat)
	slices.Sort(res.lat)
	return res
}

// errorKind names a transport error without its addresses, so that errors
// of one kind count together.
func errorKind(err error) string {
	var op *net.OpError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed by the server"
	case errors.As(err, &op) && op.Err != nil:
		return op.Op + ": " + op.Err.Error()
	}
	return err.Error()
}

// loadConn is one kept-alive HTTP/1.1 connection, dialled again when the
// server closes it.
type loadConn struct {
	addr string
	conn net.Conn
	br   *bufio.Reader
}

func (c *loadConn) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// do writes a whole request and reads its answer to the end, returning
// its status.
func (c *loadConn) do(req []byte) (int, error) {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.addr, 10*time.Second)
		if err != nil {
			return 0, err
		}
		c.conn = conn
		c.br = bufio.NewReaderSize(conn, 16<<10)
	}
	c.conn.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := c.conn.Write(req); err != nil {
		c.close()
		return 0, err
	}
	status, keep, err := readAnswer(c.br)
	if err != nil || !keep {
		c.close()
	}
	return status, err
}

// readAnswer reads an HTTP/1.1 answer (status line, headers, a body of a
// Content-Length or chunked) and reports its status and whether the
// connection may carry another request.
func readAnswer(br *bufio.Reader) (status int, keep bool, err error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	proto, rest, _ := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(" "))
	code, _, _ := bytes.Cut(rest, []byte(" "))
	if status, err = strconv.Atoi(string(code)); err != nil || !bytes.HasPrefix(proto, []byte("HTTP/1.")) {
		return 0, false, fmt.Errorf("not an HTTP/1.x answer: %q", line)
	}
	keep = true
	length, chunked := -1, false
	for {
		h, err := br.ReadSlice('\n')
		if err != nil {
			return status, false, err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		name, value, _ := bytes.Cut(h, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return status, false, fmt.Errorf("bad Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			keep = keep && !bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case status == 204 || status == 304 || status < 200:
	case chunked:
		if _, err := io.Copy(io.Discard, httputil.NewChunkedReader(br)); err != nil {
			return status, false, err
		}
		for { // trailers, up to the empty line
			t, err := br.ReadSlice('\n')
			if err != nil {
				return status, false, err
			}
			if len(bytes.TrimRight(t, "\r\n")) == 0 {
				break
			}
		}
	case length >= 0:
		if _, err := br.Discard(length); err != nil {
			return status, false, err
		}
	default: // the body runs to the end of the connection
		_, err := io.Copy(io.Discard, br)
		return status, false, err
	}
	return status, keep, nil
}

// appendRequest writes an HTTP/1.1 request with the headers given as
// name, value pairs.
func appendRequest(buf []byte, method string, u *url.URL, body []byte, headers ...string) []byte {
	buf = fmt.Appendf(buf, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: leadwire-bench\r\n", method, u.RequestURI(), u.Host)
	for i := 0; i+1 < len(headers); i += 2 {
		buf = fmt.Appendf(buf, "%s: %s\r\n", headers[i], headers[i+1])
	}
	if body != nil || method == "POST" {
		buf = fmt.Appendf(buf, "Content-Length: %d\r\n", len(body))
	}
	buf = append(buf, "\r\n"...)
	return append(buf, body...)
}

// Package hooktest is a webhook receiver for tests: an httptest server
// that checks each event's Standard Webhooks signature, counts deliveries
// by event id (a repeat is flagged as a duplicate, never lost), checks
// that the events of each record arrive in order, and can refuse the
// first try of every event.
package hooktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"leadwire/connectors/hooks"
)

// Receiver is the stand-in receiver.
type Receiver struct {
	*httptest.Server
	// Secret is the subscription's secret, set before the first event.
	Secret string
	// FailFirst refuses (503) the first try of every event id: with one
	// retry each, half the requests fail.
	FailFirst bool

	mu         sync.Mutex
	tries      map[string]int // by event id: requests
	taken      map[string]int // by event id: 2xx answers
	last       map[string]int // by record: the seq of its newest event taken
	requests   int
	refused    int
	duplicates int
	badSig     int
	outOfOrder []string
	first      time.Time
	lastAt     time.Time
}

// New starts a receiver; it stops with t.
func New(t interface{ Cleanup(func()) }) *Receiver {
	r := &Receiver{tries: map[string]int{}, taken: map[string]int{}, last: map[string]int{}}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

// Seq is how the receiver learns an event's place among its record's:
// the record's subject is "seq N".
func Seq(n int) string { return "seq " + strconv.Itoa(n) }

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	id := req.Header.Get("webhook-id")
	ts, _ := strconv.ParseInt(req.Header.Get("webhook-timestamp"), 10, 64)
	var ev struct {
		ID   string `json:"id"`
		Data struct {
			ID      string `json:"id"`
			Subject string `json:"subject"`
		} `json:"data"`
	}
	json.Unmarshal(body, &ev)
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if r.first.IsZero() {
		r.first = now
	}
	r.requests++
	r.tries[id]++
	if !hooks.Verify(r.Secret, id, time.Unix(ts, 0), body, req.Header.Get("webhook-signature")) || ev.ID != id {
		r.badSig++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if r.FailFirst && r.tries[id] == 1 {
		r.refused++
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	r.taken[id]++
	r.lastAt = now
	if r.taken[id] > 1 {
		r.duplicates++ // flagged by its id; its place was checked the first time
		w.WriteHeader(http.StatusNoContent)
		return
	}
	seq, err := strconv.Atoi(strings.TrimPrefix(ev.Data.Subject, "seq "))
	if err == nil {
		if prev, ok := r.last[ev.Data.ID]; ok && seq <= prev {
			r.outOfOrder = append(r.outOfOrder, fmt.Sprintf("%s: seq %d after %d", ev.Data.ID, seq, prev))
		}
		r.last[ev.Data.ID] = seq
	}
	w.WriteHeader(http.StatusNoContent)
}

// Stats is what the receiver saw.
type Stats struct {
	Events     int // distinct event ids taken
	Requests   int
	Refused    int // by FailFirst
	Duplicates int // events taken more than once
	BadSig     int
	OutOfOrder []string
	Span       time.Duration // from the first request to the last event taken
}

// Stats returns what the receiver saw so far.
func (r *Receiver) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Stats{Events: len(r.taken), Requests: r.requests, Refused: r.refused, Duplicates: r.duplicates, BadSig: r.badSig,
		OutOfOrder: append([]string(nil), r.outOfOrder...), Span: r.lastAt.Sub(r.first)}
}

// Taken reports whether the event id was taken at least once.
func (r *Receiver) Taken(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.taken[id] > 0
}

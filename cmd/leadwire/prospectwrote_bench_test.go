package main

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/slacktest"
	"leadwire/internal/testenv"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// BenchmarkProspectNotice measures how long a notice about a known
// prospect's message takes to reach its owner: 1,000 prospects, each with
// a lead owned by one of 100 reps, write again at 20 messages a second;
// the clock runs from Capture's return to the Slack stand-in taking the
// post, through River and the per-channel pacing, as serve runs them. It
// prints p50, p99 and the slowest; N is $LEADWIRE_BENCH_INBOUNDS (default
// 1,000). Run it once, on both databases:
//
//	LEADWIRE_TEST_RACE=0 scripts/test.sh -run '^$' -bench ProspectNotice -benchtime 1x ./cmd/leadwire/
func BenchmarkProspectNotice(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchProspectNotice(b, storagetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchProspectNotice(b, openPostgres(b, testenv.Postgres(b))) })
}

var replyOf = regexp.MustCompile(`reply:L(\d+)`)

func benchProspectNotice(b *testing.B, db *storage.DB) {
	n := 1000
	if s := os.Getenv("LEADWIRE_BENCH_INBOUNDS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	const reps, rate = 100, 20 // messages a second
	api := newChatAPI(b)
	api.lighten()
	var mu sync.Mutex
	arrived := map[int64]time.Time{}
	api.slack.OnPost(func(c slacktest.Call) {
		if m := replyOf.FindStringSubmatch(c.Param("blocks")); m != nil {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			mu.Lock()
			if _, ok := arrived[id]; !ok {
				arrived[id] = time.Now()
			}
			mu.Unlock()
		}
		api.posted(c)
	})
	e := newNoticeEnvWith(b, db, api, nil, repDirectory(reps), func(s *core.Settings) { s.Channels = []string{core.ChannelSlack} }, nil)
	users := make([]*core.User, reps)
	for i := range users {
		users[i] = e.user(b, fmt.Sprintf("rep%d@example.com", i))
	}
	leads := make([]int64, n)
	for i := range n {
		res, err := e.svc.Capture(e.ctx, core.Inbound{Channel: core.ChannelWebform, Source: "contact", ExternalID: fmt.Sprintf("first-%d", i),
			Name: fmt.Sprintf("Prospect %d", i), Email: fmt.Sprintf("p%d@prospects.example", i), Text: "Please call me"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.svc.Claim(e.ctx, users[i%reps], res.LeadID); err != nil {
			b.Fatal(err)
		}
		leads[i] = res.LeadID
	}
	b.ResetTimer()
	captured := make(map[int64]time.Time, n)
	tick := time.NewTicker(time.Second / rate)
	defer tick.Stop()
	for i := range n {
		<-tick.C
		res, err := e.svc.Capture(e.ctx, core.Inbound{Channel: core.ChannelEmail, Source: "sales", ExternalID: fmt.Sprintf("again-%d@prospects.example", i),
			Email: fmt.Sprintf("p%d@prospects.example", i), Subject: "Re: your call", Text: "Any news?"})
		if err != nil || res.LeadID != leads[i] {
			b.Fatalf("capture %d: %+v, %v", i, res, err)
		}
		captured[res.LeadID] = time.Now()
	}
	waitFor(b, 2*time.Minute, "every notice", func() bool {
		mu.Lock()
		defer mu.Unlock()
		got := 0
		for _, id := range leads {
			if _, ok := arrived[id]; ok {
				got++
			}
		}
		return got == n
	})
	b.StopTimer()
	took := make([]time.Duration, 0, n)
	mu.Lock()
	for id, at := range captured {
		took = append(took, arrived[id].Sub(at))
	}
	mu.Unlock()
	slices.Sort(took)
	q := func(p float64) time.Duration {
		return took[min(len(took)-1, int(p*float64(len(took))))].Round(time.Millisecond)
	}
	b.Logf("%s: %d prospects writing again at %d/s to %d owners: capture → owner's Slack DM p50 %v, p99 %v, max %v",
		db.Dialect(), n, rate, reps, q(0.5), q(0.99), took[len(took)-1].Round(time.Millisecond))
}

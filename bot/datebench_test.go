package bot

import (
	"runtime"
	"slices"
	"testing"
	"time"

	dps "github.com/markusmobius/go-dateparser"
	"github.com/markusmobius/go-dateparser/date"
)

type dpsDate = date.Date

// BenchmarkDatePhrases reads every phrase of the phrase table, language
// by language, with one reader built beforehand (as a Conversation holds
// one), and reports the p50 and p99 of a phrase, in wall time and in the
// CPU time of the thread that read it (which a loaded machine does not
// inflate). "en/go-dateparser" reads
// the English phrases with go-dateparser alone, for comparison: it is
// why English keeps its own reader.
//
//	go test -run '^$' -bench DatePhrases -benchtime 200x ./bot
func BenchmarkDatePhrases(b *testing.B) {
	start := time.Now()
	p := newDates()
	b.Logf("reader built in %v", time.Since(start).Round(time.Microsecond))
	byLang := map[string][]typed{}
	var langs []string
	for _, tt := range phraseTable() {
		if byLang[tt.lang] == nil {
			langs = append(langs, tt.lang)
		}
		byLang[tt.lang] = append(byLang[tt.lang], tt)
	}
	locs := map[string]*time.Location{}
	for _, tt := range phraseTable() {
		if locs[tt.zone] == nil {
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				b.Fatal(err)
			}
			locs[tt.zone] = loc
		}
	}
	report := func(b *testing.B, name string, times, cpu []time.Duration) {
		slices.Sort(times)
		slices.Sort(cpu)
		p50, p99 := times[len(times)/2], times[len(times)*99/100]
		c50, c99 := cpu[len(cpu)/2], cpu[len(cpu)*99/100]
		b.ReportMetric(float64(p50.Nanoseconds())/1e6, "p50-ms")
		b.ReportMetric(float64(p99.Nanoseconds())/1e6, "p99-ms")
		b.ReportMetric(float64(c99.Nanoseconds())/1e6, "p99-cpu-ms")
		b.Logf("%s per phrase over %d reads: wall p50 %v, p99 %v, max %v; thread CPU p50 %v, p99 %v, max %v",
			name, len(times), p50, p99, times[len(times)-1], c50, c99, cpu[len(cpu)-1])
	}
	// timed runs read once, in wall time and in the thread's CPU time.
	timed := func(read func()) (wall, cpu time.Duration) {
		c0, t0 := threadCPU(), time.Now()
		read()
		return time.Since(t0), threadCPU() - c0
	}
	for _, l := range langs {
		b.Run(l, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var times, cpu []time.Duration
			for b.Loop() {
				for _, tt := range byLang[l] {
					s := speaker{lang: tt.lang, order: orderFor(tt.lang)}
					w, c := timed(func() { p.readIn(s, tt.phrase, tt.now, locs[tt.zone]) })
					times, cpu = append(times, w), append(cpu, c)
				}
			}
			report(b, l, times, cpu)
		})
	}
	b.Run("en/go-dateparser", func(b *testing.B) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		parser := &dps.Parser{}
		var times, cpu []time.Duration
		right, wrong, failed := 0, 0, 0
		for b.Loop() {
			for _, tt := range byLang["en"] {
				cfg := &dps.Configuration{Languages: []string{"en"}, CurrentTime: tt.now.In(locs[tt.zone]), PreferredDateSource: dps.Future}
				var d dpsDate
				var err error
				w, c := timed(func() { d, err = parser.Parse(cfg, tt.phrase) })
				times, cpu = append(times, w), append(cpu, c)
				switch {
				case err != nil:
					failed++
				case tt.rest == "" && d.Time.In(locs[tt.zone]).Format("2006-01-02 15:04") == tt.want:
					right++
				default:
					wrong++ // another time, or the task's words taken into the date
				}
			}
		}
		b.Logf("go-dateparser alone on the English phrases: %d read as the table says, %d read otherwise, %d not read", right, wrong, failed)
		report(b, "en/go-dateparser", times, cpu)
	})
}

package core_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// monthlyJobs reads the monthly reports announced: digest notices whose
// date is a month.
func monthlyJobs(t *testing.T, db *storage.DB) []core.NotifyJob {
	t.Helper()
	var out []core.NotifyJob
	for _, j := range digestJobs(t, db) {
		if len(j.Notice.Date) == len("2006-01") {
			out = append(out, j)
		}
	}
	return out
}

func TestMonthlyReportsOnTheFirstWorkingDay(t *testing.T) {
	storagetest.Each(t, monthlyReportsOnTheFirstWorkingDay)
}

func monthlyReportsOnTheFirstWorkingDay(t *testing.T, db *storage.DB) {
	cases := []struct {
		name     string
		from, to time.Time // ticks every 5 minutes, by two replicas
		// the local due time of each manager's report: the first working
		// day at 08:00
		due   map[string]time.Time
		month string
	}{
		{"April 2026 (Wed 1 April, three days after Warsaw's spring switch)",
			time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC),
			map[string]time.Time{
				"zofia@example.com":   time.Date(2026, 4, 1, 8, 0, 0, 0, mustZone(t, "Europe/Warsaw")),
				"omer@example.com":    time.Date(2026, 4, 1, 8, 0, 0, 0, mustZone(t, "Asia/Tehran")),
				"somchai@example.com": time.Date(2026, 4, 1, 8, 0, 0, 0, mustZone(t, "Asia/Bangkok")),
			}, "2026-03"},
		{"November 2026 (1 November is a Sunday: Mon 2 November, after Warsaw's autumn switch)",
			time.Date(2026, 10, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC),
			map[string]time.Time{
				"zofia@example.com":   time.Date(2026, 11, 2, 8, 0, 0, 0, mustZone(t, "Europe/Warsaw")),
				"omer@example.com":    time.Date(2026, 11, 2, 8, 0, 0, 0, mustZone(t, "Asia/Tehran")),
				"somchai@example.com": time.Date(2026, 11, 2, 8, 0, 0, 0, mustZone(t, "Asia/Bangkok")),
			}, "2026-10"},
	}
	ctx := context.Background()
	clock := clocktest.New(cases[0].from)
	a := digestWorld(t, db, core.DigestSettings{Monthly: true}, clock)
	// A second replica on the same database, and each restarted on the
	// way (a new service value: nothing kept in memory).
	b := core.NewService(db, clock, a.Settings(), nil)
	const tick = 5 * time.Minute
	for _, tc := range cases {
		t.Run("one report per manager "+tc.name, func(t *testing.T) {
			for now := tc.from; now.Before(tc.to); now = now.Add(tick) {
				clock.Set(now)
				if now.Hour() == 3 && now.Minute() == 0 {
					a = core.NewService(db, clock, a.Settings(), nil) // a restart
				}
				for _, svc := range []*core.Service{a, b} {
					if _, err := svc.Notices.ScheduleDigests(ctx, now); err != nil {
						t.Fatalf("at %s: %v", now, err)
					}
				}
			}
			for email, due := range tc.due {
				u, err := db.UserByEmail(ctx, email)
				if err != nil {
					t.Fatal(err)
				}
				var months []string
				for _, j := range monthlyJobs(t, db) {
					if j.Notice.UserID == u.ID && j.Notice.Date == tc.month {
						months = append(months, j.Notice.Date)
						if j.Notice.Key != core.MonthlySettingKey(u.ID, tc.month) || j.Channel != core.ChannelEmail {
							t.Errorf("%s: job %+v", email, j)
						}
					}
				}
				if len(months) != 1 {
					t.Errorf("%s: %d reports of %s, want 1", email, len(months), tc.month)
				}
				v, err := db.Setting(ctx, core.MonthlySettingKey(u.ID, tc.month))
				if err != nil {
					t.Fatal(err)
				}
				sent, err := time.Parse(time.RFC3339, v)
				if err != nil {
					t.Fatalf("%s: sent at %q: %v", email, v, err)
				}
				if late := sent.Sub(due); late < 0 || late >= tick {
					t.Errorf("%s: report of %s announced at %s local, due %s", email, tc.month, sent.In(due.Location()), due)
				}
			}
		})
	}
	t.Run("the daily digests go on beside it", func(t *testing.T) {
		var days []string
		for _, j := range digestJobs(t, db) {
			if j.Notice.Date == "2026-03-31" || j.Notice.Date == "2026-11-01" {
				days = append(days, j.Notice.Date)
			}
		}
		slices.Sort(days)
		// Wednesday 1 April's digest covers Tuesday; Monday 2 November's
		// the Sunday before (no weekly summary in these settings).
		if want := []string{"2026-03-31", "2026-03-31", "2026-03-31", "2026-11-01", "2026-11-01", "2026-11-01"}; !slices.Equal(days, want) {
			t.Errorf("daily digests %v, want %v", days, want)
		}
	})
}

func TestMonthlyDue(t *testing.T) {
	warsaw := mustZone(t, "Europe/Warsaw")
	cases := []struct {
		name  string
		ds    core.DigestSettings
		now   time.Time
		due   bool
		month string
	}{
		{"not before the digest time", core.DigestSettings{}, time.Date(2026, 12, 1, 7, 59, 0, 0, warsaw), false, "2026-11"},
		{"at the digest time of the first working day", core.DigestSettings{}, time.Date(2026, 12, 1, 8, 0, 0, 0, warsaw), true, "2026-11"},
		{"late the same day", core.DigestSettings{}, time.Date(2026, 12, 1, 23, 0, 0, 0, warsaw), true, "2026-11"},
		{"not the day after", core.DigestSettings{}, time.Date(2026, 12, 2, 9, 0, 0, 0, warsaw), false, "2026-11"},
		{"a Saturday 1st moves to Monday the 3rd", core.DigestSettings{}, time.Date(2026, 8, 3, 9, 0, 0, 0, warsaw), true, "2026-07"},
		{"not on that Saturday", core.DigestSettings{}, time.Date(2026, 8, 1, 9, 0, 0, 0, warsaw), false, "2026-07"},
		{"a team working Saturdays gets it on the 1st", core.DigestSettings{Weekdays: []time.Weekday{time.Saturday, time.Monday}}, time.Date(2026, 8, 1, 9, 0, 0, 0, warsaw), true, "2026-07"},
		{"January covers December of the year before", core.DigestSettings{At: 17 * time.Hour}, time.Date(2027, 1, 1, 17, 30, 0, 0, warsaw), true, "2026-12"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			due, month := tc.ds.MonthlyDue(tc.now, warsaw)
			if due != tc.due || month != tc.month {
				t.Errorf("MonthlyDue(%s) = %v, %s; want %v, %s", tc.now, due, month, tc.due, tc.month)
			}
		})
	}
}

func TestMonthlyDigestWindow(t *testing.T) {
	warsaw := mustZone(t, "Europe/Warsaw")
	from, to, weekly, err := core.DigestWindow("2026-10", warsaw, true)
	if err != nil {
		t.Fatal(err)
	}
	// October 2026 in Warsaw: from CEST midnight to CET midnight.
	if !from.Equal(time.Date(2026, 9, 30, 22, 0, 0, 0, time.UTC)) || !to.Equal(time.Date(2026, 10, 31, 23, 0, 0, 0, time.UTC)) || weekly {
		t.Errorf("window of 2026-10: %s – %s weekly %v", from, to, weekly)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

package core_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"leadwire/core"
	"leadwire/internal/clocktest"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

// digestWorld is a service with three managers in zones that switch
// clocks (Warsaw), sit on a half hour (Tehran) and do neither (Bangkok),
// a rep (who gets no digest), and email as the only channel.
func digestWorld(t *testing.T, db *storage.DB, ds core.DigestSettings, clock core.Clock) *core.Service {
	t.Helper()
	settings := core.DefaultSettings()
	settings.Channels = []string{core.ChannelEmail}
	settings.Digest = ds
	svc := core.NewService(db, clock, settings, nil)
	dir := core.OrgDef{
		Teams: []core.TeamDef{
			{Name: "Warsaw", Manager: "zofia@example.com"},
			{Name: "Tehran", Manager: "omer@example.com"},
			{Name: "Bangkok", Manager: "somchai@example.com"},
		},
		Users: []core.UserDef{
			{Email: "zofia@example.com", Name: "Zofia", Role: core.RoleManager, Team: "Warsaw", TimeZone: "Europe/Warsaw"},
			{Email: "omer@example.com", Name: "عمر", Role: core.RoleManager, Team: "Tehran", TimeZone: "Asia/Tehran"},
			{Email: "somchai@example.com", Name: "สมชาย", Role: core.RoleManager, Team: "Bangkok", TimeZone: "Asia/Bangkok"},
			{Email: "pim@example.com", Name: "Pim", Team: "Bangkok", TimeZone: "Asia/Bangkok"},
		},
	}
	if err := svc.Directory.Sync(context.Background(), dir); err != nil {
		t.Fatalf("sync directory: %v", err)
	}
	return svc
}

// digestJobs reads the notify jobs enqueued for digests.
func digestJobs(t *testing.T, db *storage.DB) []core.NotifyJob {
	t.Helper()
	var out []core.NotifyJob
	for _, j := range jobArgs[core.NotifyJob](t, db, "notify") {
		if j.Notice.Kind == core.NoticeDigest {
			out = append(out, j)
		}
	}
	return out
}

func TestDigestsAreScheduledOncePerManagerAndWorkingDay(t *testing.T) {
	type manager struct {
		email string
		zone  string
	}
	managers := []manager{{"zofia@example.com", "Europe/Warsaw"}, {"omer@example.com", "Asia/Tehran"}, {"somchai@example.com", "Asia/Bangkok"}}
	cases := []struct {
		name  string
		start time.Time // a fortnight from here
		at    time.Duration
		// down is a stretch the server is off: digests due in it go out
		// when it is back.
		downFrom, downTo time.Time
	}{
		{"at 08:00 across Warsaw's spring switch (2026-03-29)", time.Date(2026, 3, 23, 0, 0, 0, 0, time.UTC), 8 * time.Hour,
			time.Date(2026, 3, 25, 0, 30, 0, 0, time.UTC), time.Date(2026, 3, 25, 9, 0, 0, 0, time.UTC)},
		{"at 08:00 across Warsaw's autumn switch (2026-10-25)", time.Date(2026, 10, 19, 0, 0, 0, 0, time.UTC), 8 * time.Hour,
			time.Date(2026, 10, 27, 3, 0, 0, 0, time.UTC), time.Date(2026, 10, 27, 8, 0, 0, 0, time.UTC)},
		{"at 02:30, a time the spring switch skips", time.Date(2026, 3, 23, 0, 0, 0, 0, time.UTC), 2*time.Hour + 30*time.Minute,
			time.Time{}, time.Time{}},
		{"at 02:30, a time the autumn switch repeats", time.Date(2026, 10, 19, 0, 0, 0, 0, time.UTC), 2*time.Hour + 30*time.Minute,
			time.Time{}, time.Time{}},
	}
	const tick = 5 * time.Minute
	for _, tc := range cases {
		t.Run("sends exactly one digest per manager and working day "+tc.name, func(t *testing.T) {
			db := storagetest.SQLite(t)
			ctx := context.Background()
			clock := clocktest.New(tc.start)
			svc := digestWorld(t, db, core.DigestSettings{At: tc.at}, clock)
			end := tc.start.AddDate(0, 0, 14)
			for now := tc.start; now.Before(end); now = now.Add(tick) {
				if !now.Before(tc.downFrom) && now.Before(tc.downTo) {
					continue
				}
				clock.Set(now)
				if _, err := svc.Notices.ScheduleDigests(ctx, now); err != nil {
					t.Fatalf("at %s: %v", now, err)
				}
			}
			jobs := digestJobs(t, db)
			for _, m := range managers {
				u, err := db.UserByEmail(ctx, m.email)
				if err != nil {
					t.Fatal(err)
				}
				loc, _ := time.LoadLocation(m.zone)
				var got []string
				for _, j := range jobs {
					if j.Notice.UserID == u.ID {
						got = append(got, j.Notice.Date)
						if want := core.NoticeKey("digest", u.ID, j.Notice.Date); j.Notice.Key != want || j.Channel != core.ChannelEmail {
							t.Errorf("%s: job %+v, want key %s on email", m.email, j, want)
						}
					}
				}
				// The days the manager's clock shows the due time on a
				// working day while the server ticks, counted on the wall
				// clock: each needs its digest of the day before.
				var want []string
				first := tc.start.In(loc)
				for d := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, loc); d.Before(end); d = d.AddDate(0, 0, 1) {
					if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
						continue
					}
					due := time.Date(d.Year(), d.Month(), d.Day(), int(tc.at.Hours()), int(tc.at.Minutes())%60, 0, 0, loc)
					nextDay := d.AddDate(0, 0, 1)
					lastTick := end.Add(-tick)
					if lastTick.Before(due) || !tc.start.Before(nextDay) {
						continue
					}
					want = append(want, d.AddDate(0, 0, -1).Format(time.DateOnly))
				}
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("%s (%s): digests of days\n %v\nwant\n %v", m.email, m.zone, got, want)
				}
				if len(want) < 10 {
					t.Errorf("%s: only %d working days in a fortnight", m.email, len(want))
				}
				// Each went out at the first tick at or past its due time
				// on the manager's clock, or as the server came back.
				for _, day := range want {
					sendDay, _ := time.ParseInLocation(time.DateOnly, day, loc)
					sendDay = sendDay.AddDate(0, 0, 1)
					v, err := db.Setting(ctx, core.DigestSettingKey(u.ID, sendDay.Format(time.DateOnly)))
					if err != nil {
						t.Fatal(err)
					}
					sentAt, err := time.Parse(time.RFC3339, v)
					if err != nil {
						t.Fatalf("%s: digest of %s: sent at %q: %v", m.email, day, v, err)
					}
					due := time.Date(sendDay.Year(), sendDay.Month(), sendDay.Day(), int(tc.at.Hours()), int(tc.at.Minutes())%60, 0, 0, loc)
					late := sentAt.Sub(due)
					onTime := late >= 0 && late < tick
					afterDowntime := sentAt.Equal(tc.downTo) && due.Before(tc.downTo)
					atStart := sentAt.Equal(tc.start) && due.Before(tc.start)
					if !onTime && !afterDowntime && !atStart {
						t.Errorf("%s: digest of %s sent at %s local, due %s", m.email, day, sentAt.In(loc), due)
					}
				}
			}
		})
	}
}

func TestDigestScheduleSpotChecks(t *testing.T) {
	storagetest.Each(t, digestScheduleSpotChecks)
}

func digestScheduleSpotChecks(t *testing.T, db *storage.DB) {
	ctx := context.Background()
	clock := clocktest.New(time.Date(2026, 3, 30, 5, 59, 0, 0, time.UTC))
	svc := digestWorld(t, db, core.DigestSettings{}, clock)
	steps := []struct {
		name string
		now  time.Time
		want int
	}{
		// Monday after the spring switch: Warsaw is UTC+2, Tehran +3:30,
		// Bangkok +7.
		{"Bangkok's and Tehran's are due, Warsaw's not yet at 07:59 CEST", time.Date(2026, 3, 30, 5, 59, 0, 0, time.UTC), 2},
		{"Warsaw's is due at 08:00 CEST", time.Date(2026, 3, 30, 6, 0, 0, 0, time.UTC), 1},
		{"nothing twice", time.Date(2026, 3, 30, 6, 1, 0, 0, time.UTC), 0},
		{"nothing on Saturday", time.Date(2026, 4, 4, 12, 0, 0, 0, time.UTC), 0},
		{"a server back at 10:00 on Tuesday sends Tuesday's late", time.Date(2026, 3, 31, 8, 0, 0, 0, time.UTC), 3},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			clock.Set(st.now)
			n, err := svc.Notices.ScheduleDigests(ctx, st.now)
			if err != nil {
				t.Fatal(err)
			}
			if n != st.want {
				t.Errorf("announced %d digests, want %d", n, st.want)
			}
		})
	}
	t.Run("Tuesday's digests cover Monday", func(t *testing.T) {
		jobs := digestJobs(t, db)
		var days []string
		for _, j := range jobs {
			days = append(days, j.Notice.Date)
		}
		want := []string{"2026-03-29", "2026-03-29", "2026-03-29", "2026-03-30", "2026-03-30", "2026-03-30"}
		slices.Sort(days)
		if !slices.Equal(days, want) {
			t.Errorf("days %v, want %v", days, want)
		}
	})
}

func TestDigestChannels(t *testing.T) {
	db := storagetest.SQLite(t)
	ctx := context.Background()
	clock := clocktest.New(time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC))
	settings := core.DefaultSettings()
	settings.Channels = []string{core.ChannelSlack, core.ChannelEmail}
	settings.Digest = core.DigestSettings{Channels: []string{core.ChannelEmail, core.ChannelTelegram}}
	svc := core.NewService(db, clock, settings, nil)
	if err := svc.Directory.Sync(ctx, core.OrgDef{Users: []core.UserDef{{Email: "m@example.com", Name: "M", Role: core.RoleManager, SlackID: "U1", TimeZone: "Europe/Warsaw"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Notices.ScheduleDigests(ctx, clock.Now()); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, j := range digestJobs(t, db) {
		got = append(got, fmt.Sprint(j.Channel, " ", j.Notice.Date))
	}
	if want := []string{"email 2026-11-01"}; !slices.Equal(got, want) {
		t.Errorf("digest jobs %v, want %v: only the digest channels configured and reachable", got, want)
	}
}

func TestTwoReplicasAnnounceEachDigestOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC) // every manager past 08:00
		a := digestWorld(t, db, core.DigestSettings{}, clocktest.New(now))
		settings := a.Settings()
		b := core.NewService(db, clocktest.New(now), settings, nil)
		var wg sync.WaitGroup
		counts := make([]int, 8)
		errs := make([]error, 8)
		for i := range counts {
			svc := a
			if i%2 == 1 {
				svc = b
			}
			wg.Go(func() { counts[i], errs[i] = svc.Notices.ScheduleDigests(ctx, now) })
		}
		wg.Wait()
		total := 0
		for i := range counts {
			if errs[i] != nil {
				t.Errorf("replica run %d: %v", i, errs[i])
			}
			total += counts[i]
		}
		if n := len(digestJobs(t, db)); n != 3 || total != 3 {
			t.Errorf("%d digest jobs, %d announced, want 3 and 3", n, total)
		}
	})
}

package core

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// DigestJob is the periodic tick that sends the digests due; River runs
// it every minute on one replica, and ScheduleDigests makes each digest
// once whoever runs it.
type DigestJob struct{}

// Kind implements Job.
func (DigestJob) Kind() string { return "digest_tick" }

// digestChannels are the configured channels a digest may use.
func (s *Notices) digestChannels() []string {
	if len(s.settings.Digest.Channels) == 0 {
		return s.settings.Channels
	}
	var out []string
	for _, ch := range s.settings.Channels {
		if slices.Contains(s.settings.Digest.Channels, ch) {
			out = append(out, ch)
		}
	}
	return out
}

// DigestDue reports whether the digest of the local day of now is due for
// a user in loc, and names that day (the day it is sent) and the day it
// covers (the day before).
func (d DigestSettings) DigestDue(now time.Time, loc *time.Location) (due bool, sendDay, coveredDay string) {
	local := now.In(loc)
	at := d.At
	if at == 0 {
		at = 8 * time.Hour
	}
	days := d.Weekdays
	if len(days) == 0 {
		days = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	y, m, dd := local.Date()
	// time.Date moves a time that a spring-forward skips past the gap,
	// and picks one of the two a fall-back repeats; either way once a day.
	dueAt := time.Date(y, m, dd, int(at/time.Hour), int(at%time.Hour/time.Minute), 0, 0, loc)
	sendDay = local.Format(time.DateOnly)
	coveredDay = time.Date(y, m, dd-1, 12, 0, 0, 0, loc).Format(time.DateOnly)
	return slices.Contains(days, local.Weekday()) && !local.Before(dueAt), sendDay, coveredDay
}

// DigestSettingKey is the app setting recording that the digest a manager
// is sent on sendDay was announced.
func DigestSettingKey(managerID int64, sendDay string) string {
	return NoticeKey("digest", managerID, sendDay)
}

// ScheduleDigests announces every digest due at now that was not yet:
// for each manager (a manager by role, or a team's manager) whose local
// time is past the configured time on a working day. Each is recorded in
// the same transaction as its announcement, so it is announced once per
// manager and day however often, and wherever, this runs; a server down at
// the due time sends it late when it comes back that day. It returns how
// many digests it announced. With Digest.Monthly, the first working day
// of a month also brings each manager the report of the month before
// (a digest notice whose Date is the month, "2026-11"), counted too.
func (s *Notices) ScheduleDigests(ctx context.Context, now time.Time) (int, error) {
	managers, err := s.store.ListUsers(ctx, UserFilter{Role: RoleManager})
	if err != nil {
		return 0, fmt.Errorf("schedule digests: %w", err)
	}
	teams, err := s.store.ListTeams(ctx)
	if err != nil {
		return 0, fmt.Errorf("schedule digests: %w", err)
	}
	for _, t := range teams {
		if t.ManagerID != 0 && !slices.ContainsFunc(managers, func(u User) bool { return u.ID == t.ManagerID }) {
			u, err := s.store.UserByID(ctx, t.ManagerID)
			if err != nil {
				return 0, fmt.Errorf("schedule digests: %w", err)
			}
			managers = append(managers, *u)
		}
	}
	sent := 0
	for _, u := range managers {
		if !u.Active {
			continue
		}
		if ok, err := s.scheduleMonthly(ctx, u, now); err != nil {
			return sent, fmt.Errorf("schedule monthly report of user %d: %w", u.ID, err)
		} else if ok {
			sent++
		}
		due, sendDay, covered := s.settings.Digest.DigestDue(now, u.Location())
		if !due {
			continue
		}
		key := DigestSettingKey(u.ID, sendDay)
		// Most ticks find it done: a read spares them a write transaction.
		if v, err := s.store.Setting(ctx, key); err != nil {
			return sent, fmt.Errorf("schedule digests: %w", err)
		} else if v != "" {
			continue
		}
		announced := false
		err := s.store.Update(ctx, func(tx Tx) error {
			claimed, err := tx.ClaimSetting(ctx, key, now.UTC().Format(time.RFC3339))
			if err != nil || !claimed {
				return err
			}
			announced = true
			_, err = s.Announce(ctx, tx, Notice{Kind: NoticeDigest, UserID: u.ID, Date: covered,
				Key: NoticeKey("digest", u.ID, covered)})
			return err
		})
		if err != nil {
			return sent, fmt.Errorf("schedule digest of user %d: %w", u.ID, err)
		}
		if announced {
			sent++
			s.log.Info("digest announced", "manager", u.ID, "day", covered)
		}
	}
	return sent, nil
}

// MonthlyDue reports whether the monthly report is due at now for a user
// in loc: on the first of the month's working days (Weekdays), at or past
// the digest time, in loc. It names the month it covers, the one before
// ("2026-11").
func (d DigestSettings) MonthlyDue(now time.Time, loc *time.Location) (due bool, month string) {
	local := now.In(loc)
	days := d.Weekdays
	if len(days) == 0 {
		days = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	y, m, dd := local.Date()
	first := 0
	for day := 1; day <= 7; day++ {
		// Noon is on the day whatever the clocks do at night.
		if slices.Contains(days, time.Date(y, m, day, 12, 0, 0, 0, loc).Weekday()) {
			first = day
			break
		}
	}
	month = time.Date(y, m-1, 1, 12, 0, 0, 0, loc).Format("2006-01")
	if first == 0 || dd != first {
		return false, month
	}
	dueAt, _, _ := d.DigestDue(now, loc)
	return dueAt, month
}

// MonthlySettingKey is the app setting recording that a manager's report
// of month was announced.
func MonthlySettingKey(managerID int64, month string) string {
	return NoticeKey("digest_month", managerID, month)
}

// scheduleMonthly announces u's monthly report when it is due at now and
// was not yet, once per manager and month across restarts and replicas
// (the setting is claimed in the announcement's transaction).
func (s *Notices) scheduleMonthly(ctx context.Context, u User, now time.Time) (bool, error) {
	if !s.settings.Digest.Monthly {
		return false, nil
	}
	due, month := s.settings.Digest.MonthlyDue(now, u.Location())
	if !due {
		return false, nil
	}
	key := MonthlySettingKey(u.ID, month)
	if v, err := s.store.Setting(ctx, key); err != nil || v != "" {
		return false, err
	}
	announced := false
	err := s.store.Update(ctx, func(tx Tx) error {
		claimed, err := tx.ClaimSetting(ctx, key, now.UTC().Format(time.RFC3339))
		if err != nil || !claimed {
			return err
		}
		announced = true
		_, err = s.Announce(ctx, tx, Notice{Kind: NoticeDigest, UserID: u.ID, Date: month, Key: key})
		return err
	})
	if announced {
		s.log.Info("monthly report announced", "manager", u.ID, "month", month)
	}
	return announced, err
}

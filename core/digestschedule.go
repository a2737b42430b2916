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
// many digests it announced.
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

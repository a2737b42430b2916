package core

import (
	"context"
	"fmt"
	"time"
)

// RotDue is an open deal past its stage's rotting limit that is due a
// rotting notice (see Reader.RottingDue).
type RotDue struct {
	DealID  int64
	OwnerID int64
	TeamID  int64
	StageID int64
	RotDays int
	Since   time.Time // the last activity, or the creation without one
}

// UnclaimedDue is a new, unowned lead past a response limit (see
// Reader.UnclaimedDue).
type UnclaimedDue struct {
	LeadID    int64
	CreatedAt time.Time
	Noticed   int // unclaimed notices it has had: 0, 1 (the team's), 2 (the manager's)
}

// sweepPage is how many records one sweep transaction handles.
const sweepPage = 500

// unclaimedHorizon is how old a lead may be and still be pinged about: an
// unclaimed lead from last month is a digest's business, not a ping's, and
// a first sweep over old data must not flood the team's channel.
const unclaimedHorizon = 7 * 24 * time.Hour

// SweepJob runs the follow-up sweeps; River runs it periodically.
type SweepJob struct {
	What string `json:"what"` // SweepRottingDeals or SweepUnclaimedLeads
}

// The sweeps a SweepJob runs.
const (
	SweepRottingDeals   = "rotting"
	SweepUnclaimedLeads = "unclaimed"
)

// Kind implements Job.
func (SweepJob) Kind() string { return "sweep" }

// Sweep runs the sweep a SweepJob names at the clock's now.
func (s *Service) Sweep(ctx context.Context, j SweepJob) (int, error) {
	now := s.clock.Now()
	switch j.What {
	case SweepRottingDeals:
		return s.SweepRotting(ctx, now)
	case SweepUnclaimedLeads:
		return s.SweepUnclaimed(ctx, now)
	}
	return 0, fmt.Errorf("sweep %q: unknown sweep", j.What)
}

// SweepRotting tells the owners of deals rotting at now (no activity for
// their stage's rotting limit and no next step planned): once per period
// of the limit, again each next period, until something happens on the
// deal. It also raises deal.idle for the rules that have it. It returns
// how many deals it noticed.
func (s *Service) SweepRotting(ctx context.Context, now time.Time) (int, error) {
	users := map[int64]*User{}
	idle := s.hasTrigger(TriggerDealIdle)
	noticed := 0
	var after int64
	for {
		var next int64
		err := s.store.Update(ctx, func(tx Tx) error {
			due, n, err := tx.RottingDue(ctx, now, after, sweepPage)
			if err != nil {
				return err
			}
			next = n
			for _, d := range due {
				limit := time.Duration(d.RotDays) * 24 * time.Hour
				period := int64(now.Sub(d.Since) / limit)
				if limit <= 0 || period < 1 {
					continue
				}
				key := NoticeKey(string(NoticeRotting), DealRef(d.DealID), d.Since.Unix(), period)
				if d.OwnerID != 0 {
					u, err := cachedUser(ctx, tx, users, d.OwnerID)
					if err != nil {
						return err
					}
					n := Notice{Kind: NoticeRotting, UserID: d.OwnerID, DealID: d.DealID, Key: key}
					if err := s.announceToUser(ctx, tx, n, u); err != nil {
						return err
					}
				}
				if idle {
					if err := tx.Enqueue(ctx, RuleJob{Trigger: TriggerDealIdle, DealID: d.DealID, Key: key}); err != nil {
						return err
					}
				}
				until := d.Since.Add(time.Duration(period+1) * limit)
				if err := tx.MarkRotNotice(ctx, d.DealID, d.Since, until); err != nil {
					return err
				}
				noticed++
			}
			return nil
		})
		if err != nil {
			return noticed, fmt.Errorf("sweep rotting deals: %w", err)
		}
		if next == 0 {
			return noticed, nil
		}
		after = next
	}
}

// SweepUnclaimed pings a team about each new lead nobody has claimed or
// answered within the team's response limit, and tells the team's manager
// at twice the limit; once each per lead. It returns how many notices it
// raised.
func (s *Service) SweepUnclaimed(ctx context.Context, now time.Time) (int, error) {
	teams, err := s.store.ListTeams(ctx)
	if err != nil {
		return 0, fmt.Errorf("sweep unclaimed leads: %w", err)
	}
	noticed := 0
	for _, team := range teams {
		limit := team.ResponseLimit
		if limit <= 0 {
			limit = DefaultResponseLimit
		}
		first, second := now.Add(-limit), now.Add(-2*limit)
		since := now.Add(-max(unclaimedHorizon, 4*limit))
		var after int64
		for {
			var page []UnclaimedDue
			err := s.store.Update(ctx, func(tx Tx) error {
				var err error
				if page, err = tx.UnclaimedDue(ctx, team.ID, since, first, second, after, sweepPage); err != nil {
					return err
				}
				for _, l := range page {
					level := l.Noticed
					if level < 1 && l.CreatedAt.Before(first) {
						n := Notice{Kind: NoticeUnclaimed, TeamID: team.ID, LeadID: l.LeadID, Key: NoticeKey(string(NoticeUnclaimed), LeadRef(l.LeadID))}
						if _, err := s.Notices.Announce(ctx, tx, n); err != nil {
							return err
						}
						level, noticed = 1, noticed+1
					}
					if level < 2 && l.CreatedAt.Before(second) {
						if team.ManagerID != 0 {
							n := Notice{Kind: NoticeUnclaimedManager, UserID: team.ManagerID, LeadID: l.LeadID, Key: NoticeKey(string(NoticeUnclaimedManager), LeadRef(l.LeadID))}
							if _, err := s.Notices.Announce(ctx, tx, n); err != nil {
								return err
							}
							noticed++
						}
						level = 2
					}
					if level != l.Noticed {
						if err := tx.MarkUnclaimedNotice(ctx, l.LeadID, level); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				return noticed, fmt.Errorf("sweep unclaimed leads of team %q: %w", team.Name, err)
			}
			if len(page) < sweepPage {
				break
			}
			after = page[len(page)-1].LeadID
		}
	}
	return noticed, nil
}

// cachedUser loads a user once a sweep.
func cachedUser(ctx context.Context, r Reader, cache map[int64]*User, id int64) (*User, error) {
	if u, ok := cache[id]; ok {
		return u, nil
	}
	u, err := r.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	cache[id] = u
	return u, nil
}

// announceToUser is Announce to a user already loaded: a sweep notices
// many deals of few owners.
func (s *Service) announceToUser(ctx context.Context, tx Tx, n Notice, u *User) error {
	if !u.Active {
		return nil
	}
	for _, ch := range NoticeChannels(n, u, nil, s.settings.Channels) {
		if err := tx.Enqueue(ctx, NotifyJob{Channel: ch, Notice: n}); err != nil {
			return err
		}
	}
	return nil
}

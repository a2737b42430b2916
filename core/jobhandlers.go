package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// The service's job handlers, for Handle. Each runs one job kind core
// enqueues; cmd registers them.

// HandleReminder runs a ReminderJob: core decides, in one transaction,
// whether the reminder is still due and announces it.
func (s *Service) HandleReminder(ctx context.Context, j ReminderJob, _ JobInfo) error {
	_, err := s.FireReminder(ctx, j.TaskID, j.DueAt)
	return err
}

// DigestTimeout bounds a digest tick: a tick is short, the next one is a
// minute away.
const DigestTimeout = 50 * time.Second

// HandleDigestTick runs the DigestJob tick: it announces every digest
// that is due.
func (s *Service) HandleDigestTick(ctx context.Context, _ DigestJob, _ JobInfo) error {
	if _, err := s.ScheduleDigests(ctx, s.clock.Now()); err != nil {
		return fmt.Errorf("digest tick: %w", err)
	}
	return nil
}

// SweepTimeout bounds one follow-up sweep. A first sweep over a large
// pipeline notices many deals (700,000 take about 100 s); one cut short
// has committed its pages, and the next carries on.
const SweepTimeout = 4 * time.Minute

// HandleSweep runs a follow-up sweep.
func (s *Service) HandleSweep(ctx context.Context, j SweepJob, _ JobInfo) error {
	start := time.Now()
	n, err := s.Sweep(ctx, j)
	if n > 0 || err != nil {
		s.log.Info("follow-up sweep", "what", j.What, "noticed", n, "took", time.Since(start).Round(time.Millisecond), "err", err)
	}
	return err
}

// HandleRule applies the rules of a trigger.
func (s *Service) HandleRule(ctx context.Context, j RuleJob, _ JobInfo) error {
	applied, err := s.RunRules(ctx, j)
	if len(applied) > 0 {
		s.log.Info("rules applied", "trigger", string(j.Trigger), "lead", j.LeadID, "deal", j.DealID, "rules", applied)
	}
	return err
}

// HandleCheck runs the connector health check and logs what
// changed.
func (c *Connectors) HandleCheck(ctx context.Context, _ CheckConnectorsJob, _ JobInfo) error {
	log := c.log.With("part", "health")
	changes, err := c.Check(ctx, c.clock.Now())
	for _, ch := range changes {
		if ch.To == Healthy {
			log.Info("connector recovered; admins told", "connector", ch.Connector, "was", ch.From, "notices", ch.Notified)
		} else {
			log.Warn("connector unhealthy; admins told", "connector", ch.Connector, "health", ch.To, "err", ch.Error, "notices", ch.Notified)
		}
	}
	return err
}

// SequenceStepHandler sends the steps of email sequences through m (nil:
// no smtp configured, and the steps stop); a step failed on its last
// attempt gives the enrolment up.
func (s *Sequences) SequenceStepHandler(m Mailer) func(context.Context, SequenceStepJob, JobInfo) error {
	return func(ctx context.Context, j SequenceStepJob, info JobInfo) error {
		err := s.SequenceStep(ctx, m, j)
		if err != nil && info.LastAttempt() {
			if gerr := s.GiveUpSequenceStep(ctx, j, err); gerr != nil {
				return errors.Join(err, gerr)
			}
		}
		return err
	}
}

// Enqueue adds a job in a transaction of its own, for work that follows
// from a job rather than from a change.
func (s *Service) Enqueue(ctx context.Context, job Job) error {
	return s.store.Update(ctx, func(tx Tx) error { return tx.Enqueue(ctx, job) })
}

// announceNewLead announces a lead just captured, in tx, to its team's
// channels (team is the lead's, already loaded: a capture has it); a
// team without a chat tells nobody.
func (s *Service) announceNewLead(ctx context.Context, tx Tx, l *Lead, team *Team, exclude ...string) error {
	if team == nil {
		return nil
	}
	n := Notice{Kind: NoticeNewLead, TeamID: team.ID, LeadID: l.ID, Key: NoticeKey(string(NoticeNewLead), LeadRef(l.ID))}
	for _, ch := range NoticeChannels(n, nil, team, s.settings.Channels) {
		if slices.Contains(exclude, ch) {
			continue
		}
		if err := tx.Enqueue(ctx, NotifyJob{Channel: ch, Notice: n}); err != nil {
			return err
		}
	}
	return nil
}

// HandleNewLead runs a NewLeadJob queued by an earlier version: it
// announces the new-lead notice, which the notifiers deliver. A lead gone
// ends the job.
func (s *Service) HandleNewLead(ctx context.Context, j NewLeadJob, _ JobInfo) error {
	return s.announceLeadByID(ctx, j.LeadID)
}

// HandleTelegramNewLead runs a TelegramNewLeadJob queued by an earlier
// version: the new-lead notice on Telegram only (its NewLeadJob told
// Slack).
func (s *Service) HandleTelegramNewLead(ctx context.Context, j TelegramNewLeadJob, _ JobInfo) error {
	others := slices.DeleteFunc(slices.Clone(s.settings.Channels), func(ch string) bool { return ch == ChannelTelegram })
	return s.announceLeadByID(ctx, j.LeadID, others...)
}

func (s *Service) announceLeadByID(ctx context.Context, id int64, exclude ...string) error {
	err := s.store.Update(ctx, func(tx Tx) error {
		l, err := tx.LeadByID(ctx, id)
		if err != nil || l.TeamID == 0 {
			return err
		}
		team, err := tx.TeamByID(ctx, l.TeamID)
		if err != nil {
			return err
		}
		return s.announceNewLead(ctx, tx, l, team, exclude...)
	})
	if IsNotFound(err) {
		return Permanent(fmt.Errorf("new lead %d: %w", id, err))
	}
	if err != nil {
		return fmt.Errorf("new lead %d: %w", id, err)
	}
	return nil
}

// How often the periodic jobs run: unclaimed leads are measured in
// minutes (a 15m response limit), rotting deals in days.
const (
	checkConnectorsEvery = time.Minute
	digestEvery          = time.Minute
	unclaimedSweepEvery  = time.Minute
	rottingSweepEvery    = 5 * time.Minute
)

// CheckConnectorsPeriodic runs the connector health check every minute;
// a failed check is not retried: the next one comes soon.
func CheckConnectorsPeriodic() Periodic {
	return Periodic{ID: CheckConnectorsJob{}.Kind(), Every: checkConnectorsEvery, Job: CheckConnectorsJob{}, MaxAttempts: 1, RunOnStart: true}
}

// DigestPeriodic is the digest tick every minute. ScheduleDigests makes
// each digest once regardless, so a tick run twice (a leader change)
// sends nothing twice; the next tick is the retry.
func DigestPeriodic() Periodic {
	return Periodic{ID: "digest_tick", Every: digestEvery, Job: DigestJob{}, MaxAttempts: 1, RunOnStart: true}
}

// SweepPeriodic are the follow-up sweeps; one replica sweeps at a time.
func SweepPeriodic() []Periodic {
	every := func(d time.Duration, what string) Periodic {
		return Periodic{ID: "sweep-" + what, Every: d, Job: SweepJob{What: what}, RunOnStart: true}
	}
	return []Periodic{every(unclaimedSweepEvery, SweepUnclaimedLeads), every(rottingSweepEvery, SweepRottingDeals)}
}

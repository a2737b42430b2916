package core

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// RuleTrigger is the event a rule waits for.
type RuleTrigger string

// The rule triggers.
const (
	TriggerLeadCaptured     RuleTrigger = "lead.captured"      // a new lead was captured
	TriggerLeadClaimed      RuleTrigger = "lead.claimed"       // a rep claimed a lead
	TriggerDealStageChanged RuleTrigger = "deal.stage_changed" // a deal entered a stage: its first when qualified, won and lost too
	TriggerDealWon          RuleTrigger = "deal.won"
	TriggerDealLost         RuleTrigger = "deal.lost"
	TriggerDealIdle         RuleTrigger = "deal.idle" // the rotting sweep found the deal rotting, once a period
)

// RuleTriggers are the triggers in the order the docs list them.
var RuleTriggers = []RuleTrigger{TriggerLeadCaptured, TriggerLeadClaimed, TriggerDealStageChanged, TriggerDealWon, TriggerDealLost, TriggerDealIdle}

// RuleActionKind is what a rule's action does.
type RuleActionKind string

// The rule actions.
const (
	ActionCreateTask       RuleActionKind = "create_task"        // a task for the owner: Title, due after Due
	ActionNotify           RuleActionKind = "notify"             // Text to To: the owner, the team or its manager
	ActionAssignRoundRobin RuleActionKind = "assign_round_robin" // the next rep of the team in turn
	ActionAddScore         RuleActionKind = "add_score"          // Points to the lead's score
	ActionMoveStage        RuleActionKind = "move_stage"         // the deal into Stage
	ActionWebhook          RuleActionKind = "webhook"            // rule.matched with the record to the subscription to URL
)

// RuleActionKinds are the action kinds in the order the docs list them.
var RuleActionKinds = []RuleActionKind{ActionCreateTask, ActionNotify, ActionAssignRoundRobin, ActionAddScore, ActionMoveStage, ActionWebhook}

// The recipients of a notify action.
const (
	NotifyOwner   = "owner"
	NotifyTeam    = "team"
	NotifyManager = "manager"
)

// Rule is a configured automation: when Trigger happens to a record that
// meets When, the Actions are applied, in order, in one transaction.
type Rule struct {
	Name    string
	Trigger RuleTrigger
	When    RuleConditions
	Actions []RuleAction
}

// RuleConditions must all hold for a rule to apply; zero fields do not
// filter. Names compare case-insensitively.
type RuleConditions struct {
	Sources  []string // the lead's source channel or source name, any of
	Pipeline string   // the deal's pipeline
	Stage    string   // the deal's stage (for deal.stage_changed, the one entered)
	MinValue *Money   // the deal's value, compared in the reporting currency
	MaxValue *Money
	MinScore *int   // the lead's score now
	Team     string // the record's team
}

// RuleAction is one thing a rule does.
type RuleAction struct {
	Kind   RuleActionKind
	Title  string        // create_task
	Due    time.Duration // create_task: due this long after the trigger ran
	To     string        // notify: NotifyOwner, NotifyTeam or NotifyManager
	Text   string        // notify
	Points int           // add_score
	Stage  string        // move_stage
	URL    string        // webhook: the URL of a subscription (leadwire hooks add URL --events rule.matched)
}

// RuleJob evaluates the rules of Trigger for a lead or deal; it is
// enqueued in the transaction that caused the trigger.
type RuleJob struct {
	Trigger RuleTrigger `json:"trigger"`
	LeadID  int64       `json:"lead_id,omitempty"`
	DealID  int64       `json:"deal_id,omitempty"`
	StageID int64       `json:"stage_id,omitempty"` // deal.stage_changed: the stage entered
	Key     string      `json:"key,omitempty"`      // when set, the job is enqueued once per key
}

// Kind implements Job.
func (RuleJob) Kind() string { return "rule" }

// JobOptions implements JobScheduler.
func (j RuleJob) JobOptions() JobOptions { return JobOptions{UniqueKey: j.Key} }

// hasTrigger reports whether some rule waits for tr. It is all a service
// pays for rules when none has the trigger.
func (s *Service) hasTrigger(tr RuleTrigger) bool {
	for i := range s.settings.Rules {
		if s.settings.Rules[i].Trigger == tr {
			return true
		}
	}
	return false
}

// fire enqueues j in tx when some rule waits for its trigger.
func (s *Service) fire(ctx context.Context, tx Tx, j RuleJob) error {
	if !s.hasTrigger(j.Trigger) {
		return nil
	}
	return tx.Enqueue(ctx, j)
}

// fireStage raises the triggers of a deal's entering stage `to`.
func (s *Service) fireStage(ctx context.Context, tx Tx, d *Deal, to *Stage) error {
	if err := s.fire(ctx, tx, RuleJob{Trigger: TriggerDealStageChanged, DealID: d.ID, StageID: to.ID}); err != nil {
		return err
	}
	switch to.Kind {
	case StageWon:
		return s.fire(ctx, tx, RuleJob{Trigger: TriggerDealWon, DealID: d.ID, StageID: to.ID})
	case StageLost:
		return s.fire(ctx, tx, RuleJob{Trigger: TriggerDealLost, DealID: d.ID, StageID: to.ID})
	}
	return nil
}

// ruleSubject is what a rule job is about, loaded afresh.
type ruleSubject struct {
	job      RuleJob
	lead     *Lead     // nil for a deal without a lead
	deal     *Deal     // nil for a lead trigger
	pipeline *Pipeline // the deal's
	team     *Team     // nil without a team
}

// RunRules applies the rules of j's trigger to its lead or deal, as they
// are now, in one transaction. What the actions change does not fire
// further rules: a rule moving a deal cannot set off an endless chain.
// It returns the names of the rules that applied.
func (s *Service) RunRules(ctx context.Context, j RuleJob) ([]string, error) {
	var applied []string
	err := s.store.Update(ctx, func(tx Tx) error {
		applied = nil
		sub, err := s.loadSubject(ctx, tx, j)
		if err != nil {
			if IsNotFound(err) {
				return nil // gone since: nothing to do
			}
			return err
		}
		for i := range s.settings.Rules {
			r := &s.settings.Rules[i]
			if r.Trigger != j.Trigger || !s.meets(r, sub) {
				continue
			}
			for _, a := range r.Actions {
				if err := s.apply(ctx, tx, r, a, sub); err != nil {
					if KindOf(err) == KindInternal {
						return fmt.Errorf("rule %q: %s: %w", r.Name, a.Kind, err)
					}
					// A rule that cannot apply here (no rep to assign to,
					// a stage the pipeline lacks) must not retry forever.
					s.log.Warn("rule action skipped", "rule", r.Name, "action", string(a.Kind), "lead", j.LeadID, "deal", j.DealID, "err", err)
				}
			}
			applied = append(applied, r.Name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rules of %s: %w", j.Trigger, err)
	}
	return applied, nil
}

func (s *Service) loadSubject(ctx context.Context, tx Tx, j RuleJob) (*ruleSubject, error) {
	sub := &ruleSubject{job: j}
	teamID := int64(0)
	if j.DealID != 0 {
		d, err := tx.DealByID(ctx, j.DealID)
		if err != nil {
			return nil, err
		}
		if sub.pipeline, err = tx.PipelineByID(ctx, d.PipelineID); err != nil {
			return nil, err
		}
		sub.deal, teamID = d, d.TeamID
		if d.LeadID != 0 {
			if l, err := tx.LeadByID(ctx, d.LeadID); err == nil {
				sub.lead = l
			} else if !IsNotFound(err) {
				return nil, err
			}
		}
	} else {
		l, err := tx.LeadByID(ctx, j.LeadID)
		if err != nil {
			return nil, err
		}
		sub.lead, teamID = l, l.TeamID
	}
	if sub.lead != nil {
		s.rescore(sub.lead)
	}
	if teamID != 0 {
		t, err := tx.TeamByID(ctx, teamID)
		if err != nil {
			return nil, err
		}
		sub.team = t
	}
	return sub, nil
}

// meets reports whether sub meets every condition of r.
func (s *Service) meets(r *Rule, sub *ruleSubject) bool {
	w := &r.When
	if len(w.Sources) > 0 {
		var have []string
		if sub.lead != nil {
			have = append(have, fold(sub.lead.SourceChannel), fold(sub.lead.SourceName))
		}
		if sub.deal != nil {
			have = append(have, fold(sub.deal.Source))
		}
		if !slices.ContainsFunc(w.Sources, func(src string) bool { return slices.Contains(have, fold(src)) }) {
			return false
		}
	}
	if w.Team != "" && (sub.team == nil || fold(sub.team.Name) != fold(w.Team)) {
		return false
	}
	if w.MinScore != nil && (sub.lead == nil || sub.lead.Score < *w.MinScore) {
		return false
	}
	if w.Pipeline == "" && w.Stage == "" && w.MinValue == nil && w.MaxValue == nil {
		return true
	}
	d := sub.deal
	if d == nil {
		return false // deal conditions on a lead's trigger never hold
	}
	if w.Pipeline != "" && fold(sub.pipeline.Name) != fold(w.Pipeline) {
		return false
	}
	if w.Stage != "" {
		id := d.StageID
		if sub.job.StageID != 0 {
			id = sub.job.StageID
		}
		st := sub.pipeline.Stage(id)
		if st == nil || fold(st.Name) != fold(w.Stage) {
			return false
		}
	}
	if w.MinValue != nil || w.MaxValue != nil {
		v, err := s.settings.Rates.Convert(d.Value)
		if err != nil {
			s.log.Warn("rule condition on value skipped", "rule", r.Name, "deal", d.ID, "err", err)
			return false
		}
		if w.MinValue != nil {
			if lo, err := s.settings.Rates.Convert(*w.MinValue); err != nil || v.Amount < lo.Amount {
				return false
			}
		}
		if w.MaxValue != nil {
			if hi, err := s.settings.Rates.Convert(*w.MaxValue); err != nil || v.Amount > hi.Amount {
				return false
			}
		}
	}
	return true
}

// apply does one action of r on sub.
func (s *Service) apply(ctx context.Context, tx Tx, r *Rule, a RuleAction, sub *ruleSubject) error {
	now := s.clock.Now()
	actor := &User{Name: "rule " + r.Name, Acting: Arg{Rule: r.Name}} // no id: nobody did it by hand
	owner, ref := s.subjectOwner(sub)
	switch a.Kind {
	case ActionCreateTask:
		if owner == 0 {
			return Errorf(KindInvalid, "%s has no owner to give a task to", ref)
		}
		t := &Task{Title: a.Title, DueAt: now.Add(a.Due), OwnerID: owner, CreatedAt: now}
		if sub.deal != nil {
			t.DealID, t.LeadID = sub.deal.ID, sub.deal.LeadID
		} else {
			t.LeadID = sub.lead.ID
		}
		return s.createTask(ctx, tx, nil, "rule:"+r.Name, t)

	case ActionNotify:
		n := Notice{Kind: NoticeText, Text: a.Text, Key: NoticeKey("rule", r.Name, string(sub.job.Trigger), ref, now.UnixMilli())}
		if sub.deal != nil {
			n.DealID = sub.deal.ID
		} else {
			n.LeadID = sub.lead.ID
		}
		switch a.To {
		case NotifyOwner:
			n.UserID = owner
		case NotifyManager:
			if sub.team != nil {
				n.UserID = sub.team.ManagerID
			}
		default:
			if sub.team != nil {
				n.TeamID = sub.team.ID
			}
		}
		if n.UserID == 0 && n.TeamID == 0 {
			return Errorf(KindInvalid, "%s has no %s to notify", ref, a.To)
		}
		_, err := s.Notices.Announce(ctx, tx, n)
		return err

	case ActionAssignRoundRobin:
		teamID := int64(0)
		if sub.team != nil {
			teamID = sub.team.ID
		}
		if sub.deal != nil {
			if sub.deal.Status != DealOpen {
				return Errorf(KindConflict, "%s is %s", ref, sub.deal.Status)
			}
			to, err := s.nextInTurn(ctx, tx, teamID)
			if err != nil {
				return err
			}
			return s.setDealOwner(ctx, tx, actor, sub.deal, to, RouteRoundRobin, r.Name)
		}
		if !sub.lead.Open() {
			return Errorf(KindConflict, "%s is already %s", ref, sub.lead.Status)
		}
		to, err := s.nextInTurn(ctx, tx, teamID)
		if err != nil {
			return err
		}
		return s.setOwner(ctx, tx, actor, sub.lead, to, RouteRoundRobin, r.Name, "timeline.assigned_rule", Args{"To": UserArg(to.ID), "Rule": TextArg(r.Name)})

	case ActionAddScore:
		l := sub.lead
		if l == nil {
			return Errorf(KindInvalid, "%s has no lead to score", ref)
		}
		l.ScoreHits = append(l.ScoreHits, ScoreHit{Rule: "rule:" + r.Name, Points: a.Points, At: now})
		l.Score = s.settings.Scoring.Total(l.ScoreHits, l.LastActivityAt, now)
		l.UpdatedAt = now
		return tx.UpdateLead(ctx, l)

	case ActionMoveStage:
		d := sub.deal
		if d == nil {
			return Errorf(KindInvalid, "%s is not a deal: only a deal moves between stages", ref)
		}
		if d.Status != DealOpen {
			return Errorf(KindConflict, "%s is %s", ref, d.Status)
		}
		to, err := MatchStage(sub.pipeline, a.Stage)
		if err != nil {
			return err
		}
		if to.ID == d.StageID {
			return nil
		}
		reason := ""
		if to.Kind == StageLost {
			reason = actor.display()
		}
		return s.changeStage(ctx, tx, actor, d, sub.pipeline, to, reason)

	case ActionWebhook:
		if sub.deal != nil {
			return s.ruleWebhook(ctx, tx, r, a.URL, DealRefOf(sub.deal.ID))
		}
		return s.ruleWebhook(ctx, tx, r, a.URL, LeadRefOf(sub.lead.ID))
	}
	return Errorf(KindInvalid, "unknown rule action %q", a.Kind)
}

// subjectOwner is the owner and the chat reference of a rule's record.
func (s *Service) subjectOwner(sub *ruleSubject) (int64, string) {
	if sub.deal != nil {
		return sub.deal.OwnerID, sub.deal.Ref()
	}
	return sub.lead.OwnerID, sub.lead.Ref()
}

package core

import (
	"context"
	"fmt"
)

// Review is what needs a person's attention now: deals rotting without a
// follow-up, tasks past due, and team leads nobody has claimed. Each list
// is cut at the limit asked for; the More flags say a list had more.
type Review struct {
	Rotting   []Deal
	Overdue   []Task
	Unclaimed []Lead

	MoreRotting, MoreOverdue, MoreUnclaimed bool
}

// Review gathers what needs the actor's attention, at most limit of each
// kind (10 when limit ≤ 0): a rep sees own deals and tasks and the team's
// unclaimed leads, a manager the team's, an admin everything. Every list
// comes off an index, so it stays fast however many deals there are.
func (s *Reports) Review(ctx context.Context, actor *User, limit int) (*Review, error) {
	if limit <= 0 {
		limit = 10
	}
	now := s.clock.Now()
	r := &Review{}
	rotting, err := s.store.RottingDeals(ctx, s.scopeStats(actor, StatsFilter{}), now, limit+1)
	if err != nil {
		return nil, fmt.Errorf("review: %w", err)
	}
	r.Rotting, r.MoreRotting = cut(rotting, limit)

	// Due before now by the effective due time: a snoozed task is due
	// again when its snooze ends.
	tasks, err := s.lists.Tasks(ctx, actor, TaskFilter{OpenOnly: true, DueBefore: now, Limit: limit + 1})
	if err != nil {
		return nil, fmt.Errorf("review: %w", err)
	}
	r.Overdue, r.MoreOverdue = cut(tasks, limit)

	// Someone without a team has no team leads to claim (and an empty
	// team filter would mean every team's).
	if actor.Role == RoleAdmin || actor.TeamID != 0 {
		leads, err := s.lists.Leads(ctx, actor, LeadFilter{Unowned: true, Statuses: []LeadStatus{LeadNew}, Limit: limit + 1})
		if err != nil {
			return nil, fmt.Errorf("review: %w", err)
		}
		r.Unclaimed, r.MoreUnclaimed = cut(leads, limit)
	}
	return r, nil
}

func cut[T any](xs []T, limit int) ([]T, bool) {
	if len(xs) > limit {
		return xs[:limit], true
	}
	return xs, false
}

// PipelineStage is one stage of a pipeline summary: its open deals and
// their value in the reporting currency.
type PipelineStage struct {
	Pipeline    string
	StageID     int64
	Stage       string
	Probability int
	Deals       int64
	Value       Money
}

// PipelineSummary is the open pipeline by stage, with money in the
// reporting currency.
type PipelineSummary struct {
	Currency string
	Stages   []PipelineStage // the open stages of every pipeline with open deals, and of the default one
	Deals    int64
	Value    Money
	Weighted Money     // each deal's value × its win probability
	Warnings []Warning // e.g. currencies without a rate
}

// PipelineSummary sums open deals by stage from the store's aggregates,
// never loading deals one by one: the actor's own deals, or with team the
// actor's team's (a manager's) or everyone's (an admin's).
func (s *Reports) PipelineSummary(ctx context.Context, actor *User, team bool) (*PipelineSummary, error) {
	f := StatsFilter{OwnerID: ownID(actor)}
	if team {
		switch {
		case actor.Role == RoleAdmin:
			f = StatsFilter{}
		case actor.Role == RoleManager && actor.TeamID != 0:
			f = StatsFilter{TeamID: actor.TeamID}
		case actor.TeamID == 0:
			return nil, Fail(KindForbidden, "error.pipeline_no_team", "you are not in a team, so there is no team pipeline; yours is: pipeline")
		default:
			return nil, Fail(KindForbidden, "error.pipeline_team_for_manager", "the team's pipeline is for its manager; yours is: pipeline")
		}
	}
	f.Parts = StatsForecast // open deals by stage: nothing of history
	data, err := s.store.Stats(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	pipelines, err := s.store.ListPipelines(ctx)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	cur := s.settings.Rates.Base
	m := &Metrics{}
	sum := &PipelineSummary{Currency: cur, Value: Money{0, cur}, Weighted: Money{0, cur}}
	withDeals := map[int64]bool{}
	for _, st := range data.Stages {
		if st.Kind == StageOpen && st.OpenNow > 0 {
			withDeals[st.PipelineID] = true
		}
	}
	for _, p := range pipelines {
		if !p.IsDefault && !withDeals[p.ID] {
			continue
		}
		for _, ps := range p.OpenStages() {
			out := PipelineStage{Pipeline: p.Name, StageID: ps.ID, Stage: ps.Name, Probability: ps.Probability, Value: Money{0, cur}}
			for _, st := range data.Stages {
				if st.StageID != ps.ID {
					continue
				}
				out.Deals = st.OpenNow
				for _, v := range st.OpenValue {
					out.Value.Amount = m.add(out.Value.Amount, s.convert(m, Money{v.Amount, v.Currency}))
				}
			}
			sum.Deals += out.Deals
			sum.Value.Amount = m.add(sum.Value.Amount, out.Value.Amount)
			sum.Stages = append(sum.Stages, out)
		}
	}
	for _, fs := range data.Forecast {
		sum.Weighted.Amount = m.add(sum.Weighted.Amount, s.convert(m, Money{fs.Weighted, fs.Currency}))
	}
	sum.Warnings = m.Warnings
	return sum, nil
}

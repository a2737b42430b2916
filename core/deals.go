package core

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Deal returns a deal the actor may see.
func (s *Service) Deal(ctx context.Context, actor *User, id int64) (*Deal, error) {
	return dealSeen(ctx, s.store, actor, id)
}

// Deals lists deals within the actor's reach: an admin all, a manager the
// team's, a rep own deals (in a team whose reps read the team's, every
// deal of the team).
func (s *Service) Deals(ctx context.Context, actor *User, f DealFilter) ([]Deal, error) {
	team, err := readsTeam(ctx, s.store, actor)
	if err != nil {
		return nil, err
	}
	if outsideReach(actor, team, f.TeamID, f.OwnerID) {
		return nil, nil // asked for another team's or rep's: none within reach
	}
	switch {
	case actor.Role == RoleAdmin:
	case actor.Role == RoleManager && actor.TeamID != 0:
		f.TeamID = actor.TeamID
	case team:
		f.TeamID = actor.TeamID
	default:
		f.OwnerID = ownID(actor)
	}
	return s.store.ListDeals(ctx, f)
}

// pipeline returns the named pipeline (case-insensitive), or the default.
func (s *Service) pipeline(ctx context.Context, r Reader, name string) (*Pipeline, error) {
	if strings.TrimSpace(name) == "" {
		return r.DefaultPipeline(ctx)
	}
	return r.PipelineByName(ctx, name)
}

// Move puts an open deal into another stage, found by name or prefix. Moving
// into Won wins the deal; Lost needs a reason, so it goes through Lose.
func (s *Service) Move(ctx context.Context, actor *User, dealID int64, stage string) (*Deal, error) {
	var deal *Deal
	err := s.store.Update(ctx, func(tx Tx) error {
		d, p, err := s.openDeal(ctx, tx, actor, dealID)
		if err != nil {
			return err
		}
		to, err := MatchStage(p, stage)
		if err != nil {
			return err
		}
		switch {
		case to.Kind == StageLost:
			return Fail(KindInvalid, "error.lost_needs_reason_move", "a lost deal needs a reason: lose {Ref} REASON", "Ref", d.Ref())
		case to.ID == d.StageID:
			return Fail(KindConflict, "error.deal_in_stage_already", "{Ref} is already in {Stage}", "Ref", d.Ref(), "Stage", *to)
		}
		deal = d
		if err := s.changeStage(ctx, tx, actor, d, p, to, ""); err != nil {
			return err
		}
		return s.fireStage(ctx, tx, d, to)
	})
	if err != nil {
		return nil, fmt.Errorf("move %s: %w", DealRef(dealID), err)
	}
	return deal, nil
}

// Win closes a deal as won.
func (s *Service) Win(ctx context.Context, actor *User, dealID int64) (*Deal, error) {
	return s.close(ctx, actor, dealID, StageWon, "")
}

// Lose closes a deal as lost; the reason is required (a configured one by
// code or label, or free text).
func (s *Service) Lose(ctx context.Context, actor *User, dealID int64, reason string) (*Deal, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, Fail(KindInvalid, "error.lost_needs_reason", "a reason is required to lose {Ref}; one of: {Reasons}, or your own words", "Ref", DealRef(dealID), "Reasons", reasonList(s.settings.LostReasons))
	}
	return s.close(ctx, actor, dealID, StageLost, findReason(s.settings.LostReasons, cleanLine(reason)))
}

func (s *Service) close(ctx context.Context, actor *User, dealID int64, kind StageKind, reason string) (*Deal, error) {
	var deal *Deal
	err := s.store.Update(ctx, func(tx Tx) error {
		d, p, err := s.openDeal(ctx, tx, actor, dealID)
		if err != nil {
			return err
		}
		to := p.Terminal(kind)
		if to == nil {
			return Fail(KindInvalid, "error.pipeline_no_stage_kind", `pipeline "{Pipeline}" has no {Kind} stage`, "Pipeline", p.Name, "Kind", kind)
		}
		deal = d
		if err := s.changeStage(ctx, tx, actor, d, p, to, reason); err != nil {
			return err
		}
		return s.fireStage(ctx, tx, d, to)
	})
	if err != nil {
		verb := map[StageKind]string{StageWon: "win", StageLost: "lose"}[kind]
		return nil, fmt.Errorf("%s %s: %w", verb, DealRef(dealID), err)
	}
	return deal, nil
}

// Reopen puts a won or lost deal back into the stage it closed from.
func (s *Service) Reopen(ctx context.Context, actor *User, dealID int64) (*Deal, error) {
	var deal *Deal
	err := s.store.Update(ctx, func(tx Tx) error {
		d, err := dealFor(ctx, tx, actor, dealID)
		if err != nil {
			return err
		}
		if d.Status == DealOpen {
			return Fail(KindConflict, "error.deal_open_already", "{Ref} is open already", "Ref", d.Ref())
		}
		p, err := tx.PipelineByID(ctx, d.PipelineID)
		if err != nil {
			return err
		}
		hist, err := tx.StageHistory(ctx, d.ID)
		if err != nil {
			return err
		}
		to := &p.OpenStages()[0]
		for i := len(hist) - 1; i >= 0; i-- {
			if st := p.Stage(hist[i].FromStage); st != nil && st.Kind == StageOpen {
				to = st
				break
			}
		}
		deal = d
		if err := s.changeStage(ctx, tx, actor, d, p, to, ""); err != nil {
			return err
		}
		return s.fireStage(ctx, tx, d, to)
	})
	if err != nil {
		return nil, fmt.Errorf("reopen %s: %w", DealRef(dealID), err)
	}
	return deal, nil
}

func (s *Service) openDeal(ctx context.Context, tx Tx, actor *User, dealID int64) (*Deal, *Pipeline, error) {
	d, err := dealFor(ctx, tx, actor, dealID)
	if err != nil {
		return nil, nil, err
	}
	if d.Status != DealOpen {
		return nil, nil, Fail(KindConflict, "error.deal_closed_reopen", "{Ref} is {Status}; reopen it first", "Ref", d.Ref(), "Status", d.Status)
	}
	p, err := tx.PipelineByID(ctx, d.PipelineID)
	if err != nil {
		return nil, nil, err
	}
	return d, p, nil
}

// changeStage moves d to stage `to`, sets status from the stage kind, and
// writes the history row and a timeline entry.
func (s *Service) changeStage(ctx context.Context, tx Tx, actor *User, d *Deal, p *Pipeline, to *Stage, reason string) error {
	now := s.clock.Now()
	from := p.Stage(d.StageID)
	wasStatus := d.Status
	d.StageID, d.StageChangedAt, d.UpdatedAt, d.LastActivityAt = to.ID, now, now, now
	switch to.Kind {
	case StageWon:
		d.Status, d.ClosedAt, d.LostReason = DealWon, now, ""
	case StageLost:
		d.Status, d.ClosedAt, d.LostReason = DealLost, now, reason
	default:
		d.Status, d.ClosedAt, d.LostReason = DealOpen, time.Time{}, ""
	}
	if err := tx.UpdateDeal(ctx, d); err != nil {
		return err
	}
	if err := s.auditStage(ctx, tx, actor, d, from, to, wasStatus, reason); err != nil {
		return err
	}
	if err := tx.AddStageChange(ctx, &StageChange{DealID: d.ID, FromStage: from.ID, ToStage: to.ID, At: now, ByUserID: actor.ID}); err != nil {
		return err
	}
	if d.Status != DealOpen {
		if _, err := tx.StopEnrollments(ctx, 0, d.ID, "the deal was "+string(d.Status), now); err != nil {
			return err
		}
	}
	key, args := stageMessage(from, to, wasStatus, reason)
	if err := tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: d.ContactID, LeadID: d.LeadID, DealID: d.ID, UserID: actor.ID,
		Key: key, Args: byActor(actor, args), At: now}); err != nil {
		return err
	}
	if err := s.emit(ctx, tx, EventDealStageChanged, DealRefOf(d.ID), EventData{PreviousStage: from.Name}); err != nil {
		return err
	}
	switch d.Status {
	case DealWon:
		return s.emit(ctx, tx, EventDealWon, DealRefOf(d.ID), EventData{PreviousStage: from.Name})
	case DealLost:
		return s.emit(ctx, tx, EventDealLost, DealRefOf(d.ID), EventData{PreviousStage: from.Name})
	}
	return nil
}

// stageMessage is what the timeline says of a deal moved from one stage
// to another: won, lost (with its reason), reopened or moved.
func stageMessage(from, to *Stage, was DealStatus, reason string) (string, Args) {
	switch {
	case to.Kind == StageWon:
		return "timeline.won", Args{"From": StageArg(from.ID)}
	case to.Kind == StageLost && reason != "":
		return "timeline.lost", Args{"From": StageArg(from.ID), "Reason": Arg{LostReason: reason}}
	case to.Kind == StageLost:
		return "timeline.lost_no_reason", Args{"From": StageArg(from.ID)}
	case was != DealOpen:
		return "timeline.reopened", Args{"To": StageArg(to.ID)}
	}
	return "timeline.moved", Args{"From": StageArg(from.ID), "To": StageArg(to.ID)}
}

// SetValue changes a deal's value and currency.
func (s *Service) SetValue(ctx context.Context, actor *User, dealID int64, v Money) (*Deal, error) {
	cur, err := NormalizeCurrency(v.Currency)
	if err != nil {
		return nil, err
	}
	v.Currency = cur
	if err := CheckDealValue(v); err != nil {
		return nil, err
	}
	return s.editDeal(ctx, actor, dealID, "value", func(d *Deal) (string, Args) {
		d.Value = v
		return "timeline.value_set", Args{"Value": MoneyArg(v)}
	})
}

// SetCloseDate changes a deal's expected close date.
func (s *Service) SetCloseDate(ctx context.Context, actor *User, dealID int64, date time.Time) (*Deal, error) {
	return s.editDeal(ctx, actor, dealID, "close date", func(d *Deal) (string, Args) {
		d.ExpectedClose = dateOnly(date)
		if d.ExpectedClose.IsZero() {
			return "timeline.close_date_cleared", nil
		}
		return "timeline.close_date_set", Args{"Date": DateArg(d.ExpectedClose)}
	})
}

// SetProbability overrides a deal's win probability; -1 returns to the
// stage's default.
func (s *Service) SetProbability(ctx context.Context, actor *User, dealID int64, percent int) (*Deal, error) {
	if percent < -1 || percent > 100 {
		return nil, Fail(KindInvalid, "error.probability_range", "probability must be between 0 and 100")
	}
	return s.editDeal(ctx, actor, dealID, "probability", func(d *Deal) (string, Args) {
		d.Probability = percent
		if percent < 0 {
			return "timeline.probability_reset", nil
		}
		return "timeline.probability_set", Args{"Percent": NumberArg(int64(percent))}
	})
}

func (s *Service) editDeal(ctx context.Context, actor *User, dealID int64, what string, edit func(*Deal) (key string, args Args)) (*Deal, error) {
	var deal *Deal
	err := s.store.Update(ctx, func(tx Tx) error {
		d, err := dealFor(ctx, tx, actor, dealID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		before := dealFields(d)
		key, args := edit(d)
		d.UpdatedAt = now
		deal = d
		if err := tx.UpdateDeal(ctx, d); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, AuditEntry{Action: "deal.update", Deal: d.ID, Contact: d.ContactID,
			Changes: diffFields(before, dealFields(d))}); err != nil {
			return err
		}
		if err := tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: d.ContactID, LeadID: d.LeadID, DealID: d.ID, UserID: actor.ID, Key: key, Args: byActor(actor, args), At: now}); err != nil {
			return err
		}
		return s.emit(ctx, tx, EventDealUpdated, DealRefOf(d.ID), EventData{})
	})
	if err != nil {
		return nil, fmt.Errorf("set %s of %s: %w", what, DealRef(dealID), err)
	}
	return deal, nil
}

package core

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Lead returns a lead the actor may see.
func (s *Service) Lead(ctx context.Context, actor *User, id int64) (*Lead, error) {
	l, err := leadSeen(ctx, s.store, actor, id)
	if err == nil {
		s.rescore(l)
	}
	return l, err
}

// rescore brings a lead's score to now: points decay for every idle week,
// so the stored score is only right on the day it was written.
func (s *Service) rescore(l *Lead) {
	if l.Open() {
		l.Score = s.settings.Scoring.Total(l.ScoreHits, l.LastActivityAt, s.clock.Now())
	}
}

// Leads lists leads within the actor's reach: an admin sees all, a manager
// the team's, a rep own leads (or, with Unowned, the team's unclaimed ones;
// in a team whose reps read the team's, every lead of the team).
func (s *Service) Leads(ctx context.Context, actor *User, f LeadFilter) ([]Lead, error) {
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
	case f.Unowned && actor.TeamID == 0:
		return nil, nil // no team: no team leads to claim
	default:
		f.TeamID = actor.TeamID
		if !f.Unowned && !team {
			f.OwnerID = ownID(actor)
		}
	}
	leads, err := s.store.ListLeads(ctx, f)
	for i := range leads {
		s.rescore(&leads[i])
	}
	return leads, err
}

// Claim makes the actor the owner of an unclaimed lead of their team and
// records the first response time.
func (s *Service) Claim(ctx context.Context, actor *User, leadID int64) (*Lead, error) {
	var lead *Lead
	err := s.store.Update(ctx, func(tx Tx) error {
		l, err := leadFor(ctx, tx, actor, leadID)
		if err != nil {
			return err
		}
		if !l.Open() {
			return Fail(KindConflict, "error.lead_already", "{Ref} is already {Status}", "Ref", l.Ref(), "Status", l.Status)
		}
		if actor.ID == 0 {
			return Errorf(KindInvalid, "%s acts as nobody in particular, so it cannot claim %s; assign it to a rep instead", actor.display(), l.Ref())
		}
		if l.OwnerID == actor.ID {
			return Fail(KindConflict, "error.lead_yours_already", "{Ref} is already yours", "Ref", l.Ref())
		}
		if l.OwnerID != 0 && actor.Role == RoleRep {
			return Fail(KindConflict, "error.lead_claimed_by_other", "{Ref} is already claimed by someone else", "Ref", l.Ref())
		}
		lead = l
		if err := s.setOwner(ctx, tx, actor, l, actor, RouteClaimed, "", "timeline.claimed", nil); err != nil {
			return err
		}
		return s.fire(ctx, tx, RuleJob{Trigger: TriggerLeadClaimed, LeadID: l.ID})
	})
	if err != nil {
		return nil, fmt.Errorf("claim %s: %w", LeadRef(leadID), err)
	}
	return lead, nil
}

// Assign gives a lead to a user of its team; managers and admins only.
func (s *Service) Assign(ctx context.Context, actor *User, leadID, userID int64) (*Lead, error) {
	var lead *Lead
	err := s.store.Update(ctx, func(tx Tx) error {
		l, err := s.assignable(ctx, tx, actor, leadID)
		if err != nil {
			return err
		}
		to, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		if err := assignee(actor, to, l.TeamID); err != nil {
			return err
		}
		if to.ID == l.OwnerID {
			return Refusal(KindConflict, "assign.already", fmt.Sprintf("%s is %s's already", l.Ref(), to.display()), "Ref", l.Ref(), "Who", to.display())
		}
		lead = l
		return s.setOwner(ctx, tx, actor, l, to, RouteAssigned, "", "timeline.assigned", Args{"To": UserArg(to.ID)})
	})
	if err != nil {
		return nil, fmt.Errorf("assign %s: %w", LeadRef(leadID), err)
	}
	return lead, nil
}

// AssignRoundRobin gives a lead to the next active rep of its team, in turn.
func (s *Service) AssignRoundRobin(ctx context.Context, actor *User, leadID int64) (*Lead, error) {
	var lead *Lead
	err := s.store.Update(ctx, func(tx Tx) error {
		l, err := s.assignable(ctx, tx, actor, leadID)
		if err != nil {
			return err
		}
		to, err := s.nextInTurn(ctx, tx, l.TeamID)
		if err != nil {
			return err
		}
		lead = l
		return s.setOwner(ctx, tx, actor, l, to, RouteRoundRobin, "", "timeline.assigned_rr", Args{"To": UserArg(to.ID)})
	})
	if err != nil {
		return nil, fmt.Errorf("assign %s: %w", LeadRef(leadID), err)
	}
	return lead, nil
}

func (s *Service) assignable(ctx context.Context, tx Tx, actor *User, leadID int64) (*Lead, error) {
	if actor.Role == RoleRep {
		return nil, Refusal(KindForbidden, "assign.rep_lead", "only a manager or an admin assigns leads; claim it instead", "Ref", LeadRef(leadID))
	}
	l, err := leadFor(ctx, tx, actor, leadID)
	if err != nil {
		return nil, err
	}
	if !l.Open() {
		return nil, Fail(KindConflict, "error.lead_already", "{Ref} is already {Status}", "Ref", l.Ref(), "Status", l.Status)
	}
	return l, nil
}

// nextInTurn picks the active rep after the team's last assignment and
// remembers the choice.
func (s *Service) nextInTurn(ctx context.Context, tx Tx, teamID int64) (*User, error) {
	if teamID == 0 {
		return nil, Fail(KindInvalid, "error.lead_no_team", "the lead has no team to assign within")
	}
	team, err := tx.TeamByID(ctx, teamID)
	if err != nil {
		return nil, err
	}
	members, err := tx.ListUsers(ctx, UserFilter{TeamID: teamID, Role: RoleRep})
	if err != nil {
		return nil, err
	}
	members = slices.DeleteFunc(members, func(u User) bool { return !u.Active })
	if len(members) == 0 {
		return nil, Fail(KindInvalid, "error.team_no_reps", `team "{Team}" has no active reps to assign to`, "Team", team.Name)
	}
	slices.SortFunc(members, func(a, b User) int { return int(a.ID - b.ID) })
	next := members[0]
	for _, m := range members {
		if m.ID > team.LastAssigned {
			next = m
			break
		}
	}
	team.LastAssigned = next.ID
	if err := tx.UpdateTeam(ctx, team); err != nil {
		return nil, err
	}
	return &next, nil
}

// setOwner gives l to owner and records it: the lead, the audit log, the
// timeline (the message key and its args), the routing (how; rule: the
// rule that did it) and the notices.
func (s *Service) setOwner(ctx context.Context, tx Tx, actor *User, l *Lead, owner *User, how RouteHow, rule, key string, args Args) error {
	now := s.clock.Now()
	if err := s.auditOwner(ctx, tx, actor, l, owner); err != nil {
		return err
	}
	from := l.OwnerID
	l.OwnerID = owner.ID
	l.Status = LeadClaimed
	if l.ClaimedAt.IsZero() {
		l.ClaimedAt = now
	}
	if l.FirstResponseAt.IsZero() && owner.ID == actor.ID {
		l.FirstResponseAt = now
	}
	l.UpdatedAt = now
	if err := tx.UpdateLead(ctx, l); err != nil {
		return err
	}
	if err := tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: l.ContactID, LeadID: l.ID, UserID: actor.ID, Key: key, Args: byActor(actor, args), At: now}); err != nil {
		return err
	}
	ev := EventLeadAssigned
	if owner.ID == actor.ID {
		ev = EventLeadClaimed
	}
	if err := s.emit(ctx, tx, ev, LeadRefOf(l.ID), EventData{}); err != nil {
		return err
	}
	return s.handOff(ctx, tx, actor, Route{LeadID: l.ID, How: how, TeamID: l.TeamID, Rule: rule, ToID: owner.ID, FromID: from, At: now})
}

// QualifyInput says what deal a lead becomes.
type QualifyInput struct {
	Pipeline      string // name; empty: the default pipeline
	Title         string // empty: the contact's company or name
	Value         Money  // Currency empty: the reporting currency, amount 0
	ExpectedClose time.Time
	Qualification Qualification
}

// Qualify turns an open lead into a deal in the first stage of a pipeline.
// An unowned lead becomes the actor's.
func (s *Service) Qualify(ctx context.Context, actor *User, leadID int64, in QualifyInput) (*Deal, error) {
	var deal *Deal
	err := s.store.Update(ctx, func(tx Tx) error {
		l, err := leadFor(ctx, tx, actor, leadID)
		if err != nil {
			return err
		}
		if !l.Open() {
			return Fail(KindConflict, "error.lead_already", "{Ref} is already {Status}", "Ref", l.Ref(), "Status", l.Status)
		}
		p, err := s.pipeline(ctx, tx, in.Pipeline)
		if err != nil {
			return err
		}
		open := p.OpenStages()
		if len(open) == 0 {
			return Fail(KindInvalid, "error.pipeline_no_open_stages", `pipeline "{Pipeline}" has no open stages`, "Pipeline", p.Name)
		}
		c, err := tx.ContactByID(ctx, l.ContactID)
		if err != nil {
			return err
		}
		value := in.Value
		if value.Currency == "" {
			value.Currency = s.settings.Currency
		}
		if value.Currency, err = NormalizeCurrency(value.Currency); err != nil {
			return err
		}
		if err := CheckDealValue(value); err != nil {
			return err
		}
		now := s.clock.Now()
		owner := l.OwnerID
		if owner == 0 {
			owner = actor.ID
		}
		if owner == 0 {
			return Errorf(KindInvalid, "%s has no owner and %s acts as nobody in particular; assign it to a rep first", l.Ref(), actor.display())
		}
		title := cleanLine(in.Title)
		if n := utf8.RuneCountInString(title); n > MaxTitle {
			return Fail(KindInvalid, "error.title_too_long", "a deal's title of {N} characters is too long; it has at most {Max}", "N", n, "Max", MaxTitle)
		}
		if title == "" {
			title = dealTitle(c, l)
		}
		deal = &Deal{
			Title: title, ContactID: l.ContactID, LeadID: l.ID, OwnerID: owner, TeamID: l.TeamID,
			PipelineID: p.ID, StageID: open[0].ID, Value: value, ExpectedClose: dateOnly(in.ExpectedClose),
			Probability: -1, Status: DealOpen, Qualification: in.Qualification.clean(), Source: l.SourceChannel,
			CreatedAt: now, UpdatedAt: now, StageChangedAt: now, LastActivityAt: now,
		}
		if err := tx.CreateDeal(ctx, deal); err != nil {
			return err
		}
		if err := tx.AddStageChange(ctx, &StageChange{DealID: deal.ID, ToStage: open[0].ID, At: now, ByUserID: actor.ID}); err != nil {
			return err
		}
		if err := s.fireStage(ctx, tx, deal, &open[0]); err != nil {
			return err
		}
		l.Status, l.DealID, l.OwnerID, l.UpdatedAt = LeadQualified, deal.ID, owner, now
		if l.ClaimedAt.IsZero() {
			l.ClaimedAt = now
		}
		if l.FirstResponseAt.IsZero() {
			l.FirstResponseAt = now
		}
		if err := tx.UpdateLead(ctx, l); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, AuditEntry{Action: "lead.qualify", Lead: l.ID, Deal: deal.ID, Contact: l.ContactID, Target: deal.Ref(),
			Changes: []FieldChange{{Field: "status", Before: "open", After: string(LeadQualified)}, {Field: "deal", After: deal.Ref()},
				{Field: "stage", After: open[0].Name}, {Field: "value", After: deal.Value.String()}}}); err != nil {
			return err
		}
		if err := tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: l.ContactID, LeadID: l.ID, DealID: deal.ID, UserID: actor.ID,
			Key: "timeline.qualified", Args: byActor(actor, Args{"Deal": TextArg(deal.Ref()), "Pipeline": PipelineArg(p.ID)}), At: now}); err != nil {
			return err
		}
		return s.emit(ctx, tx, EventDealCreated, DealRefOf(deal.ID), EventData{})
	})
	if err != nil {
		return nil, fmt.Errorf("qualify %s: %w", LeadRef(leadID), err)
	}
	return deal, nil
}

func dealTitle(c *Contact, l *Lead) string {
	who := c.Company
	if who == "" {
		who = c.Name
	}
	if who == "" && len(c.Emails) > 0 {
		who = c.Emails[0]
	}
	if who == "" {
		who = l.Ref()
	}
	return who
}

// Disqualify closes a lead with a reason: a configured one by code or label,
// or free text.
func (s *Service) Disqualify(ctx context.Context, actor *User, leadID int64, reason string) (*Lead, error) {
	var lead *Lead
	err := s.store.Update(ctx, func(tx Tx) error {
		l, err := leadFor(ctx, tx, actor, leadID)
		if err != nil {
			return err
		}
		if !l.Open() {
			return Fail(KindConflict, "error.lead_already", "{Ref} is already {Status}", "Ref", l.Ref(), "Status", l.Status)
		}
		if strings.TrimSpace(reason) == "" {
			return Fail(KindInvalid, "error.disqualify_needs_reason", "a reason is required to disqualify {Ref}; one of: {Reasons}, or your own words", "Ref", l.Ref(), "Reasons", reasonList(s.settings.DisqualifyReasons))
		}
		now := s.clock.Now()
		l.Status, l.DisqualifyReason, l.UpdatedAt = LeadDisqualified, findReason(s.settings.DisqualifyReasons, cleanLine(reason)), now
		l.DisqualifiedAt = now
		if l.OwnerID == 0 {
			l.OwnerID = actor.ID
		}
		if l.FirstResponseAt.IsZero() {
			l.FirstResponseAt = now
		}
		lead = l
		if err := tx.UpdateLead(ctx, l); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, AuditEntry{Action: "lead.disqualify", Lead: l.ID, Contact: l.ContactID,
			Changes: []FieldChange{{Field: "status", Before: "open", After: string(LeadDisqualified)}, {Field: "reason", After: l.DisqualifyReason}}}); err != nil {
			return err
		}
		if err := tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: l.ContactID, LeadID: l.ID, UserID: actor.ID,
			Key: "timeline.disqualified", Args: byActor(actor, Args{"Reason": Arg{DisqualifyReason: l.DisqualifyReason}}), At: now}); err != nil {
			return err
		}
		return s.emit(ctx, tx, EventLeadDisqualified, LeadRefOf(l.ID), EventData{})
	})
	if err != nil {
		return nil, fmt.Errorf("disqualify %s: %w", LeadRef(leadID), err)
	}
	return lead, nil
}

// reasonList is the configured reasons in an error: by their codes in
// English, by their labels in another language (both are typed).
type reasonList []Reason

func (l reasonList) String() string { return l.LabelIn("en") }

// LabelIn lists the reasons as a reader of lang types them.
func (l reasonList) LabelIn(lang string) string {
	names := make([]string, len(l))
	for i, r := range l {
		names[i] = r.Code
		if lang != "en" {
			names[i] = r.LabelIn(lang)
		}
	}
	return strings.Join(names, ", ")
}

func (u *User) display() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// dateOnly truncates t to its UTC date.
func dateOnly(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

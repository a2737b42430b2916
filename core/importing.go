package core

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ImportResult says what an imported row became.
type ImportResult struct {
	ContactID  int64
	LeadID     int64
	DealID     int64
	NewContact bool     // the row created its contact; false: it matched one
	Duplicate  bool     // the row's idempotency key was seen before: nothing changed
	Notes      []string // as in CaptureResult
}

// DealImport is one deal of an import. The Inbound carries the contact, the
// team routing hint, the lead's subject, message and metadata, and the
// idempotency key; the other fields say where the deal stands.
type DealImport struct {
	Inbound
	Title         string     // empty: the contact's company or name
	Value         Money      // Currency empty: the reporting currency
	Pipeline      string     // name; empty: the default pipeline
	Stage         string     // name or prefix; empty: the first open stage, or Won or Lost by Status
	Status        DealStatus // empty: what the stage says
	LostReason    string     // required for a lost deal
	Owner         string     // a user's email; empty: the actor
	ExpectedClose time.Time
	ClosedAt      time.Time // when a won or lost deal closed; zero: now
}

// ImportContacts matches or creates the contact of every inbound, the way
// Capture does (same normalization, same matching by email, phone, then chat
// handle), without opening leads: an imported address book is people to
// recognise when they write, not prospects who asked for something. A
// subject or message becomes a note on the contact's timeline. Without a
// team the contact goes to the actor's team, else the first team.
//
// It runs in one transaction, and when that fails, one per inbound so one
// bad row cannot hold back the others; errs[i] is the error of ins[i].
func (s *Service) ImportContacts(ctx context.Context, actor *User, ins []Inbound) ([]ImportResult, []error) {
	return s.importContacts(ctx, actor, ins, false)
}

// CheckImportContacts is ImportContacts undone: the very same import in a
// transaction that is rolled back, so what it returns is what
// ImportContacts would return now, and nothing is stored.
func (s *Service) CheckImportContacts(ctx context.Context, actor *User, ins []Inbound) ([]ImportResult, []error) {
	return s.importContacts(ctx, actor, ins, true)
}

func (s *Service) importContacts(ctx context.Context, actor *User, ins []Inbound, rehearse bool) ([]ImportResult, []error) {
	return s.importBatch(ctx, len(ins), func(tx Tx, i int) (ImportResult, error) {
		return s.importContact(ctx, tx, actor, ins[i])
	}, func(i int) string { return "import contact " + ins[i].ExternalID }, rehearse)
}

// ImportDeals creates, per row and in one step, a lead and its deal in the
// row's stage: owned by the row's owner, won or lost when the row says so.
// Unlike Capture it never adds a row to a contact's open lead or deal: every
// row is a deal of its own. Who may: an admin any deal, a manager the
// team's, a rep own deals. The deal goes to the row's team, else the owner's.
//
// Batching and errs are as in ImportContacts.
func (s *Service) ImportDeals(ctx context.Context, actor *User, rows []DealImport) ([]ImportResult, []error) {
	return s.importDeals(ctx, actor, rows, false)
}

// CheckImportDeals is ImportDeals undone, as CheckImportContacts is
// ImportContacts.
func (s *Service) CheckImportDeals(ctx context.Context, actor *User, rows []DealImport) ([]ImportResult, []error) {
	return s.importDeals(ctx, actor, rows, true)
}

func (s *Service) importDeals(ctx context.Context, actor *User, rows []DealImport, rehearse bool) ([]ImportResult, []error) {
	return s.importBatch(ctx, len(rows), func(tx Tx, i int) (ImportResult, error) {
		return s.importDeal(ctx, tx, actor, rows[i])
	}, func(i int) string { return "import deal " + rows[i].ExternalID }, rehearse)
}

// importBatch runs one(i) for i in [0, n) in one transaction; when that
// fails, each in a transaction of its own. A rehearsal runs each in a
// savepoint of one transaction that is then rolled back: each row sees
// the rows before it that went in, as it does in either way of importing.
func (s *Service) importBatch(ctx context.Context, n int, one func(Tx, int) (ImportResult, error), name func(int) string, rehearse bool) ([]ImportResult, []error) {
	results := make([]ImportResult, n)
	errs := make([]error, n)
	if rehearse {
		err := s.update(ctx, true, func(tx Tx) error {
			for i := range n {
				err := tx.Savepoint(ctx, func() error {
					var err error
					results[i], err = one(tx, i)
					return err
				})
				if err != nil {
					results[i], errs[i] = ImportResult{}, fmt.Errorf("%s: %w", name(i), err)
				}
			}
			return nil
		})
		if err != nil {
			for i := range errs {
				results[i], errs[i] = ImportResult{}, err
			}
		}
		return results, errs
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		for i := range n {
			r, err := one(tx, i)
			if err != nil {
				return err
			}
			results[i] = r
		}
		return nil
	})
	if err == nil {
		return results, errs
	}
	clear(results) // what the rolled-back batch reported is not so
	if ctx.Err() != nil {
		for i := range errs {
			errs[i] = ctx.Err()
		}
		return results, errs
	}
	for i := range n {
		err := s.store.Update(ctx, func(tx Tx) error {
			var err error
			results[i], err = one(tx, i)
			return err
		})
		if err != nil {
			results[i], errs[i] = ImportResult{}, fmt.Errorf("%s: %w", name(i), err)
		}
	}
	return results, errs
}

// seenBefore returns what an idempotency key became, if it was seen.
func seenBefore(ctx context.Context, tx Reader, key InboundKey) (ImportResult, bool, error) {
	if key.ExternalID == "" {
		return ImportResult{}, false, nil
	}
	prev, err := tx.InboundResult(ctx, key)
	if IsNotFound(err) {
		return ImportResult{}, false, nil
	}
	if err != nil {
		return ImportResult{}, false, err
	}
	return ImportResult{ContactID: prev.ContactID, LeadID: prev.LeadID, DealID: prev.DealID, Duplicate: true}, true, nil
}

// importTeam is the named team, else the team with id fallback, else the
// first team.
func (s *Service) importTeam(ctx context.Context, tx Reader, name string, fallback int64) (*Team, error) {
	if strings.TrimSpace(name) == "" && fallback != 0 {
		return tx.TeamByID(ctx, fallback)
	}
	return s.routeTeam(ctx, tx, strings.TrimSpace(name))
}

func importDefaults(in *Inbound, now time.Time) {
	if in.Channel == "" {
		in.Channel = ChannelImport
	}
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = now
	}
	in.ReceivedAt = in.ReceivedAt.UTC()
}

func (s *Service) importContact(ctx context.Context, tx Tx, actor *User, in Inbound) (ImportResult, error) {
	now := s.clock.Now()
	importDefaults(&in, now)
	key := InboundKey{Channel: in.Channel, Source: in.Source, ExternalID: in.ExternalID}
	if prev, ok, err := seenBefore(ctx, tx, key); ok || err != nil {
		return prev, err
	}
	team, err := s.importTeam(ctx, tx, in.Team, actor.TeamID)
	if err != nil {
		return ImportResult{}, err
	}
	rd := ReadInbound(in, s.region(team))
	if err := rd.Err(); err != nil {
		return ImportResult{}, err
	}
	in = rd.In
	var t tally
	c, created, notes, err := s.matchContact(ctx, tx, &rd, in.Channel, team, now, &t)
	if err != nil {
		return ImportResult{}, err
	}
	if created {
		t.audit(AuditEntry{Action: "contact.import", Contact: c.ID, Changes: []FieldChange{{Field: "contact", After: c.Ref()}}})
	}
	if err := s.auditImport(ctx, tx, actor, &t); err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{ContactID: c.ID, NewContact: created, Notes: append(rd.Notes, notes...)}
	subject, body := in.Subject, cleanText(in.Text)
	if subject != "" || strings.TrimSpace(body) != "" {
		note := &Activity{Kind: ActivityNote, ContactID: c.ID, UserID: actor.ID, Subject: subject, Body: body, At: in.ReceivedAt}
		if err := tx.AddActivity(ctx, note); err != nil {
			return ImportResult{}, err
		}
	}
	if in.ExternalID != "" {
		if err := tx.PutInboundResult(ctx, key, CaptureResult{ContactID: c.ID}); err != nil {
			return ImportResult{}, err
		}
	}
	return res, nil
}

// ResolveDealStage says where an imported deal stands in p: the stage it is
// in (to) and, for a deal won or lost from a named open stage, that stage
// (from, else nil). An empty stage and status is the first open stage; a
// won or lost status puts the deal in Won or Lost.
func ResolveDealStage(p *Pipeline, stage string, status DealStatus) (from, to *Stage, err error) {
	if strings.TrimSpace(stage) != "" {
		if to, err = MatchStage(p, stage); err != nil {
			return nil, nil, err
		}
	}
	switch status {
	case "", DealOpen:
		if to == nil {
			open := p.OpenStages()
			if len(open) == 0 {
				return nil, nil, Errorf(KindInvalid, "pipeline %q has no open stages", p.Name)
			}
			to = &open[0]
		}
		if status == DealOpen && to.Kind != StageOpen {
			return nil, nil, Errorf(KindInvalid, "status open does not fit stage %s; leave the status empty or name an open stage", to.Name)
		}
		return nil, to, nil
	case DealWon, DealLost:
		kind := StageWon
		if status == DealLost {
			kind = StageLost
		}
		if to != nil && to.Kind != StageOpen && to.Kind != kind {
			return nil, nil, Errorf(KindInvalid, "status %s does not fit stage %s", status, to.Name)
		}
		if to != nil && to.Kind == StageOpen {
			from = to
		}
		if to = p.Terminal(kind); to == nil {
			return nil, nil, Errorf(KindInvalid, "pipeline %q has no %s stage", p.Name, kind)
		}
		return from, to, nil
	}
	return nil, nil, Errorf(KindInvalid, "unknown deal status %q; use open, won or lost", status)
}

func (s *Service) importDeal(ctx context.Context, tx Tx, actor *User, row DealImport) (ImportResult, error) {
	now := s.clock.Now()
	in := row.Inbound
	importDefaults(&in, now)
	key := InboundKey{Channel: in.Channel, Source: in.Source, ExternalID: in.ExternalID}
	if prev, ok, err := seenBefore(ctx, tx, key); ok || err != nil {
		return prev, err
	}
	owner, err := s.importOwner(ctx, tx, actor, row.Owner)
	if err != nil {
		return ImportResult{}, err
	}
	team, err := s.importTeam(ctx, tx, in.Team, owner.TeamID)
	if err != nil {
		return ImportResult{}, err
	}
	var allowed bool
	switch actor.Role {
	case RoleAdmin:
		allowed = true
	case RoleManager:
		allowed = owner.ID == actor.ID || (team.ID != 0 && team.ID == actor.TeamID)
	default:
		allowed = owner.ID == actor.ID
	}
	if !allowed {
		return ImportResult{}, Errorf(KindForbidden, "%s may not import a deal of %s in team %q: a rep imports own deals, a manager the team's", actor.display(), owner.display(), team.Name)
	}
	p, err := s.pipeline(ctx, tx, row.Pipeline)
	if err != nil {
		return ImportResult{}, err
	}
	from, to, err := ResolveDealStage(p, row.Stage, row.Status)
	if err != nil {
		return ImportResult{}, err
	}
	var reason string
	if to.Kind == StageLost {
		if strings.TrimSpace(row.LostReason) == "" {
			return ImportResult{}, Errorf(KindInvalid, "a lost deal needs a lost reason; one of: %s, or your own words", reasonList(s.settings.LostReasons))
		}
		reason = findReason(s.settings.LostReasons, cleanLine(row.LostReason))
	}
	value := row.Value
	if value.Currency == "" {
		value.Currency = s.settings.Currency
	}
	if value.Currency, err = NormalizeCurrency(value.Currency); err != nil {
		return ImportResult{}, err
	}
	if err := CheckDealValue(value); err != nil {
		return ImportResult{}, err
	}

	rd := ReadInbound(in, s.region(team))
	if err := rd.Err(); err != nil {
		return ImportResult{}, err
	}
	in = rd.In
	var t tally
	c, created, notes, err := s.matchContact(ctx, tx, &rd, in.Channel, team, now, &t)
	if err != nil {
		return ImportResult{}, err
	}
	// Claim and response times of work done before leadwire are unknown;
	// left zero, they stay out of the speed-to-lead figures.
	lead := &Lead{
		ContactID: c.ID, TeamID: team.ID, OwnerID: owner.ID, Status: LeadQualified,
		SourceChannel: in.Channel, SourceName: in.Source, Subject: in.Subject, Message: cleanText(in.Text),
		Metadata: in.Metadata, CreatedAt: in.ReceivedAt, LastActivityAt: now, UpdatedAt: now,
	}
	lead.ScoreHits = s.settings.Scoring.ScoreLead(lead, c, now)
	lead.Score = s.settings.Scoring.Total(lead.ScoreHits, lead.LastActivityAt, now)
	if err := tx.CreateLead(ctx, lead); err != nil {
		return ImportResult{}, err
	}
	title, long := cutText(cleanLine(row.Title), MaxTitle)
	if long {
		notes = append(notes, fmt.Sprintf("the title was cut to %d characters", MaxTitle))
	}
	if title == "" {
		title = dealTitle(c, lead)
	}
	deal := &Deal{
		Title: title, ContactID: c.ID, LeadID: lead.ID, OwnerID: owner.ID, TeamID: team.ID, PipelineID: p.ID,
		StageID: to.ID, Value: value, ExpectedClose: dateOnly(row.ExpectedClose), Probability: -1, Source: in.Channel,
		CreatedAt: in.ReceivedAt, UpdatedAt: now, StageChangedAt: now, LastActivityAt: now,
	}
	switch to.Kind {
	case StageWon, StageLost:
		deal.Status, deal.LostReason, deal.ClosedAt = DealWon, reason, row.ClosedAt.UTC()
		if to.Kind == StageLost {
			deal.Status = DealLost
		}
		if deal.ClosedAt.IsZero() {
			deal.ClosedAt = now
		}
		deal.StageChangedAt = deal.ClosedAt
	default:
		deal.Status = DealOpen
	}
	if err := tx.CreateDeal(ctx, deal); err != nil {
		return ImportResult{}, err
	}
	// A deal won or lost from a named stage entered that stage first, so
	// the funnel counts it there and Reopen knows where to put it back.
	history := []StageChange{{DealID: deal.ID, ToStage: to.ID, At: deal.StageChangedAt, ByUserID: owner.ID}}
	if from != nil {
		history = []StageChange{
			{DealID: deal.ID, ToStage: from.ID, At: deal.CreatedAt, ByUserID: owner.ID},
			{DealID: deal.ID, FromStage: from.ID, ToStage: to.ID, At: deal.ClosedAt, ByUserID: owner.ID},
		}
	}
	for i := range history {
		if err := tx.AddStageChange(ctx, &history[i]); err != nil {
			return ImportResult{}, err
		}
	}
	lead.DealID = deal.ID
	if err := tx.UpdateLead(ctx, lead); err != nil {
		return ImportResult{}, err
	}
	if lead.Subject != "" || strings.TrimSpace(lead.Message) != "" {
		if err := tx.AddActivity(ctx, &Activity{Kind: activityKindOf(in.Channel), ContactID: c.ID, LeadID: lead.ID, DealID: deal.ID,
			Subject: lead.Subject, Body: lead.Message, ExternalRef: in.ExternalID, At: in.ReceivedAt}); err != nil {
			return ImportResult{}, err
		}
	}
	msg, args := "timeline.imported", Args{"Deal": TextArg(deal.Ref()), "Pipeline": PipelineArg(p.ID), "Stage": StageArg(to.ID)}
	if reason != "" {
		msg, args["Reason"] = "timeline.imported_lost", Arg{LostReason: reason}
	}
	if err := tx.AddActivity(ctx, &Activity{Kind: ActivitySystem, ContactID: c.ID, LeadID: lead.ID, DealID: deal.ID, UserID: actor.ID,
		Key: msg, Args: byActor(actor, args), At: now}); err != nil {
		return ImportResult{}, err
	}
	t.audit(AuditEntry{Action: "deal.import", Deal: deal.ID, Lead: lead.ID, Contact: c.ID, Target: deal.Ref(),
		Changes: []FieldChange{{Field: "stage", After: to.Name}, {Field: "status", After: string(deal.Status)},
			{Field: "value", After: deal.Value.String()}, {Field: "owner", After: owner.Email}}})
	if err := s.auditImport(ctx, tx, actor, &t); err != nil {
		return ImportResult{}, err
	}
	if err := tx.AddRoute(ctx, &Route{LeadID: lead.ID, How: RouteTeam, TeamID: team.ID, Region: team.Region, ByID: actor.ID, At: now}); err != nil {
		return ImportResult{}, err
	}
	if err := s.emit(ctx, tx, EventDealCreated, DealRefOf(deal.ID), EventData{}); err != nil {
		return ImportResult{}, err
	}
	if deal.Status == DealOpen {
		// An open deal imported for someone else is theirs to work now.
		if err := s.handOff(ctx, tx, actor, Route{DealID: deal.ID, How: RouteImported, TeamID: team.ID, ToID: owner.ID, At: now}); err != nil {
			return ImportResult{}, err
		}
	}
	res := ImportResult{ContactID: c.ID, LeadID: lead.ID, DealID: deal.ID, NewContact: created, Notes: append(rd.Notes, notes...)}
	if in.ExternalID != "" {
		if err := tx.PutInboundResult(ctx, key, CaptureResult{ContactID: c.ID, LeadID: lead.ID, DealID: deal.ID, NewLead: true}); err != nil {
			return ImportResult{}, err
		}
	}
	return res, nil
}

// auditImport records the changes an import row made, as made by actor.
func (s *Service) auditImport(ctx context.Context, tx Tx, actor *User, t *tally) error {
	for _, e := range t.audits {
		e.Actor, e.Via, e.At = "", "", time.Time{}
		if err := s.audit(ctx, tx, actor, e); err != nil {
			return err
		}
	}
	t.audits = nil
	return nil
}

// importOwner is the user with the email, or the actor when it is empty; a
// deal needs a real, active user as its owner.
func (s *Service) importOwner(ctx context.Context, tx Reader, actor *User, email string) (*User, error) {
	owner := actor
	if strings.TrimSpace(email) != "" {
		e, err := NormalizeEmail(email)
		if err != nil {
			return nil, Errorf(KindInvalid, "invalid owner %q; write the owner as a user's email", email)
		}
		u, err := tx.UserByEmail(ctx, e)
		if IsNotFound(err) {
			return nil, Errorf(KindInvalid, "unknown owner %q; the owner must be a leadwire user (see leadwire users list)", email)
		}
		if err != nil {
			return nil, err
		}
		owner = u
	}
	if owner == nil || owner.ID == 0 {
		return nil, Errorf(KindInvalid, "a deal needs an owner: give the row an owner (a user's email), or import --as EMAIL")
	}
	if !owner.Active {
		return nil, Errorf(KindInvalid, "owner %s is not an active user", owner.Email)
	}
	return owner, nil
}

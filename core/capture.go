package core

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Capture stores an inbound in one transaction: a redelivered inbound
// (same channel, source and external id) changes nothing; otherwise the
// contact is matched by email, then phone, then chat handle, and the inbound
// becomes an activity on the thread it replies to or on the contact's open
// deal or lead, or else a new scored lead.
//
// Concurrent calls share commits: while one transaction is being written,
// the inbounds that arrive wait and go together into the next, each in a
// savepoint of its own, so one failing inbound fails alone.
func (s *Service) Capture(ctx context.Context, in Inbound) (CaptureResult, error) {
	req := &captureReq{in: in, done: make(chan struct{})}
	s.group.mu.Lock()
	s.group.pending = append(s.group.pending, req)
	lead := !s.group.leading
	s.group.leading = true
	s.group.mu.Unlock()
	if lead {
		s.commitPending(context.WithoutCancel(ctx), req)
	}
	select {
	case <-req.done:
		if req.err != nil {
			return CaptureResult{}, fmt.Errorf("capture %s/%s %q: %w", in.Channel, in.Source, in.ExternalID, req.err)
		}
		return req.res, nil
	case <-ctx.Done():
		// The inbound may still be stored; a redelivery is then a no-op.
		return CaptureResult{}, ctx.Err()
	}
}

// groupCommit is the queue of captures waiting for the next commit.
type groupCommit struct {
	mu      sync.Mutex
	pending []*captureReq
	leading bool // a caller is committing batches
}

type captureReq struct {
	in   Inbound
	res  CaptureResult
	err  error
	done chan struct{}
}

// maxGroup bounds one shared commit.
const maxGroup = 256

// commitPending writes batches until own is stored, then hands the lead
// to a goroutine that goes on while anything is pending (and ends when
// nothing is), so no caller waits for others' inbounds after its own. With
// own nil it writes until nothing is pending. The transactions do not end
// with a caller's context: others in the batch are waiting on them.
func (s *Service) commitPending(ctx context.Context, own *captureReq) {
	for {
		s.group.mu.Lock()
		n := min(len(s.group.pending), maxGroup)
		if n == 0 {
			s.group.leading = false
			s.group.mu.Unlock()
			return
		}
		if own != nil && isClosed(own.done) {
			s.group.mu.Unlock()
			go s.commitPending(ctx, nil)
			return
		}
		batch := s.group.pending[:n:n]
		s.group.pending = s.group.pending[n:]
		s.group.mu.Unlock()

		ins := make([]Inbound, len(batch))
		for i, r := range batch {
			ins[i] = r.in
		}
		res, errs := s.CaptureBatch(ctx, ins)
		for i, r := range batch {
			r.res, r.err = res[i], errs[i]
			close(r.done)
		}
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// CaptureBatch captures many inbounds in one transaction, which is far
// faster than one commit each; each inbound is in a savepoint of its own,
// so one bad inbound fails alone. errs[i] is the error of ins[i].
func (s *Service) CaptureBatch(ctx context.Context, ins []Inbound) ([]CaptureResult, []error) {
	results := make([]CaptureResult, len(ins))
	errs := make([]error, len(ins))
	err := s.store.Update(ctx, func(tx Tx) error {
		var t tally
		if len(ins) == 1 {
			// Alone, the transaction is the savepoint.
			if results[0], errs[0] = s.capture(ctx, tx, ins[0], &t); errs[0] != nil {
				return errs[0]
			}
			return t.write(ctx, tx, s.clock.Now())
		}
		for i, in := range ins {
			err := tx.Savepoint(ctx, func() error {
				var err error
				results[i], err = s.capture(ctx, tx, in, &t)
				return err
			})
			if err != nil && KindOf(err) == KindInternal {
				// A database failure, not a bad inbound: the
				// transaction may be unusable.
				return err
			}
			if err != nil {
				t.hold(in.Checkpoint)
			}
			errs[i] = err
		}
		return t.write(ctx, tx, s.clock.Now())
	})
	if err == nil {
		return results, errs
	}
	if len(ins) == 1 {
		errs[0] = err
		return results, errs
	}
	// The shared transaction failed: try each on its own.
	var held tally
	for i, in := range ins {
		if in.Checkpoint != nil && held.held[checkpointKey(in.Checkpoint)] {
			in.Checkpoint = nil
		}
		r, e := s.CaptureBatch(ctx, []Inbound{in})
		results[i], errs[i] = r[0], e[0]
		if e[0] != nil {
			held.hold(in.Checkpoint)
		}
	}
	return results, errs
}

func (s *Service) capture(ctx context.Context, tx Tx, in Inbound, t *tally) (CaptureResult, error) {
	if in.Channel == "" {
		return CaptureResult{}, Errorf(KindInvalid, "inbound has no channel")
	}
	key := InboundKey{Channel: in.Channel, Source: in.Source, ExternalID: in.ExternalID}
	if in.ExternalID != "" {
		prev, err := tx.InboundResult(ctx, key)
		if err == nil {
			prev.Duplicate, prev.NewLead = true, false
			t.add(in, CountDuplicate)
			return *prev, nil
		}
		if !IsNotFound(err) {
			return CaptureResult{}, err
		}
	}
	now := s.clock.Now()
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = now
	}
	in.ReceivedAt = in.ReceivedAt.UTC()

	team, err := t.team(in.Team, func() (*Team, error) { return s.routeTeam(ctx, tx, in.Team) })
	if err != nil {
		return CaptureResult{}, err
	}
	contact, created, err := s.matchContact(ctx, tx, in, team)
	if err != nil {
		return CaptureResult{}, err
	}
	res := CaptureResult{ContactID: contact.ID}

	act := &Activity{
		Kind:        activityKindOf(in.Channel),
		ContactID:   contact.ID,
		Subject:     cleanLine(in.Subject),
		Body:        cleanText(in.Text),
		ExternalRef: in.ExternalID,
		At:          in.ReceivedAt,
	}
	var lead *Lead
	var deal *Deal
	// A contact made just now has no open work; only a reference can tie
	// its message to a thread.
	if !created || len(in.References) > 0 {
		if lead, deal, err = s.threadOf(ctx, tx, in, contact.ID); err != nil {
			return CaptureResult{}, err
		}
	}
	if lead == nil && deal == nil && !created {
		if lead, err = s.loopGuard(ctx, tx, contact.ID, in); err != nil {
			return CaptureResult{}, err
		}
	}
	if in.Channel == ChannelEmail && (lead != nil || deal != nil) && !slices.Contains(in.Events, EventReplied) {
		// An email into an existing thread is the prospect replying.
		in.Events = append(in.Events, EventReplied)
	}
	switch {
	case deal != nil:
		act.DealID, act.LeadID = deal.ID, deal.LeadID
		deal.LastActivityAt = in.ReceivedAt
		deal.UpdatedAt = now
		if err := tx.UpdateDeal(ctx, deal); err != nil {
			return CaptureResult{}, err
		}
		res.DealID, res.LeadID = deal.ID, deal.LeadID
		if deal.LeadID != 0 && len(in.Events) > 0 {
			if lead, err = tx.LeadByID(ctx, deal.LeadID); err != nil {
				return CaptureResult{}, err
			}
		}
	case lead != nil:
		act.LeadID = lead.ID
		lead.LastActivityAt = in.ReceivedAt
		res.LeadID = lead.ID
	default:
		lead = &Lead{
			ContactID:      contact.ID,
			TeamID:         team.ID,
			Status:         LeadNew,
			SourceChannel:  in.Channel,
			SourceName:     in.Source,
			Subject:        act.Subject,
			Message:        act.Body,
			Metadata:       in.Metadata,
			CreatedAt:      in.ReceivedAt,
			LastActivityAt: in.ReceivedAt,
			UpdatedAt:      now,
		}
		lead.ScoreHits = append(s.settings.Scoring.ScoreLead(lead, contact, now), s.eventHits(in.Events, now)...)
		lead.Score = s.settings.Scoring.Total(lead.ScoreHits, lead.LastActivityAt, now)
		if err := tx.CreateLead(ctx, lead); err != nil {
			return CaptureResult{}, err
		}
		act.LeadID = lead.ID
		res.LeadID, res.NewLead = lead.ID, true
		if err := tx.Enqueue(ctx, NewLeadJob{LeadID: lead.ID}); err != nil {
			return CaptureResult{}, err
		}
		if err := s.fire(ctx, tx, RuleJob{Trigger: TriggerLeadCaptured, LeadID: lead.ID}); err != nil {
			return CaptureResult{}, err
		}
	}
	if lead != nil && !res.NewLead {
		lead.ScoreHits = append(lead.ScoreHits, s.eventHits(in.Events, now)...)
		lead.Score = s.settings.Scoring.Total(lead.ScoreHits, lead.LastActivityAt, now)
		lead.UpdatedAt = now
		if err := tx.UpdateLead(ctx, lead); err != nil {
			return CaptureResult{}, err
		}
	}
	if err := tx.AddActivity(ctx, act); err != nil {
		return CaptureResult{}, err
	}
	res.ActivityID = act.ID
	if in.Channel == ChannelEmail {
		if err := s.stopOnReply(ctx, tx, contact.ID, act.DealID, now); err != nil {
			return CaptureResult{}, err
		}
	}
	if in.ExternalID != "" {
		if err := tx.PutInboundResult(ctx, key, res); err != nil {
			return CaptureResult{}, err
		}
	}
	counter := CountActivity
	if res.NewLead {
		counter = CountCaptured
	}
	t.add(in, counter)
	return res, nil
}

// tally gathers the connector counters and checkpoints of a batch, written
// once at its end rather than once an inbound.
type tally struct {
	counts      map[[2]string]int64
	checkpoints map[[2]string]Checkpoint
	// held are checkpoints that stay where they are: an inbound before
	// them failed, and moving past it would lose it.
	held map[[2]string]bool
	// teams caches routing within the batch: capture never changes teams.
	teams map[string]*Team
}

// team returns the routed team of a name, looking it up once a batch.
func (t *tally) team(name string, lookup func() (*Team, error)) (*Team, error) {
	if tm, ok := t.teams[name]; ok {
		return tm, nil
	}
	tm, err := lookup()
	if err != nil {
		return nil, err
	}
	if t.teams == nil {
		t.teams = map[string]*Team{}
	}
	t.teams[name] = tm
	return tm, nil
}

func checkpointKey(cp *Checkpoint) [2]string { return [2]string{cp.Connector, cp.Key} }

// hold keeps the checkpoint of cp's connector and key from moving on in
// this batch.
func (t *tally) hold(cp *Checkpoint) {
	if cp == nil {
		return
	}
	if t.held == nil {
		t.held = map[[2]string]bool{}
	}
	t.held[checkpointKey(cp)] = true
}

func (t *tally) add(in Inbound, counter string) {
	if t.counts == nil {
		t.counts, t.checkpoints = map[[2]string]int64{}, map[[2]string]Checkpoint{}
	}
	t.counts[[2]string{ConnectorName(in.Channel, in.Source), counter}]++
	if cp := in.Checkpoint; cp != nil && !t.held[checkpointKey(cp)] {
		// Inbounds come in the connector's order: the last one wins.
		t.checkpoints[checkpointKey(cp)] = *cp
	}
}

func (t *tally) write(ctx context.Context, tx Tx, now time.Time) error {
	for k, n := range t.counts {
		if err := tx.CountConnector(ctx, k[0], k[1], n, now); err != nil {
			return err
		}
	}
	for _, cp := range t.checkpoints {
		if err := tx.SaveCheckpoint(ctx, cp); err != nil {
			return err
		}
	}
	return nil
}

// loopGuard stops one sender from opening more than the configured number
// of leads in a window (an autoresponder loop, a form bot): past it, the
// inbound becomes an activity on the sender's newest lead.
func (s *Service) loopGuard(ctx context.Context, tx Tx, contactID int64, in Inbound) (*Lead, error) {
	g := s.settings.LoopGuard
	if g.Max <= 0 {
		return nil, nil
	}
	n, err := tx.CountLeadsOfContactSince(ctx, contactID, in.ReceivedAt.Add(-g.Window))
	if err != nil || n < g.Max {
		return nil, err
	}
	leads, err := tx.ListLeads(ctx, LeadFilter{ContactID: contactID, Limit: 1})
	if err != nil || len(leads) == 0 {
		return nil, err
	}
	s.log.Warn("loop guard: sender opened too many leads; adding to the newest instead",
		"contact", contactID, "leads", n, "window", g.Window, "lead", leads[0].ID, "channel", in.Channel, "source", in.Source)
	if err := tx.CountConnector(ctx, ConnectorName(in.Channel, in.Source), CountGuarded, 1, s.clock.Now()); err != nil {
		return nil, err
	}
	return &leads[0], nil
}

// threadOf finds what an inbound continues: the lead or deal of an activity
// it replies to, else the contact's open deal, else the open lead.
func (s *Service) threadOf(ctx context.Context, tx Tx, in Inbound, contactID int64) (*Lead, *Deal, error) {
	for _, ref := range in.References {
		a, err := tx.ActivityByExternalRef(ctx, ref)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		dealID := a.DealID
		if dealID == 0 && a.LeadID != 0 {
			l, err := tx.LeadByID(ctx, a.LeadID)
			if err != nil {
				return nil, nil, err
			}
			if l.Open() {
				return l, nil, nil
			}
			dealID = l.DealID // a qualified lead's thread goes on in its deal
		}
		if dealID != 0 {
			d, err := tx.DealByID(ctx, dealID)
			if err != nil {
				return nil, nil, err
			}
			if d.Status == DealOpen {
				return nil, d, nil
			}
		}
	}
	d, err := tx.OpenDealOfContact(ctx, contactID)
	if err == nil {
		return nil, d, nil
	}
	if !IsNotFound(err) {
		return nil, nil, err
	}
	l, err := tx.OpenLeadOfContact(ctx, contactID)
	if err == nil {
		return l, nil, nil
	}
	if !IsNotFound(err) {
		return nil, nil, err
	}
	return nil, nil, nil
}

// routeTeam returns the named team, or the first team when the name is
// empty; a zero Team when there are no teams at all.
func (s *Service) routeTeam(ctx context.Context, tx Reader, name string) (*Team, error) {
	if name != "" {
		return tx.TeamByName(ctx, name)
	}
	teams, err := tx.ListTeams(ctx)
	if err != nil || len(teams) == 0 {
		return &Team{}, err
	}
	return &teams[0], nil
}

// matchContact finds the contact by normalized email, then phone, then
// handle, fills what it lacks from the inbound, or creates it.
func (s *Service) matchContact(ctx context.Context, tx Tx, in Inbound, team *Team) (c *Contact, created bool, err error) {
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return nil, false, err
	}
	region := team.Region
	if region == "" {
		region = s.settings.DefaultRegion
	}
	phone, err := NormalizePhone(in.Phone, region)
	if err != nil {
		return nil, false, err
	}
	handle, err := NormalizeHandle(in.Handle)
	if err != nil {
		return nil, false, err
	}
	if email == "" && phone == "" && handle == "" {
		return nil, false, Errorf(KindInvalid, "inbound has no email, phone or chat handle to reach the contact by")
	}
	tz := strings.TrimSpace(in.TimeZone)
	if err := ValidateTimeZone(tz); err != nil {
		return nil, false, err
	}
	probe := Contact{}
	if email != "" {
		probe.Emails = []string{email}
	}
	if phone != "" {
		probe.Phones = []string{phone}
	}
	if handle != "" {
		probe.Handles = []string{handle}
	}
	now := s.clock.Now()
	// Email first, then phone, then handle: the order Identities gives.
	if c, err := tx.ContactByIdentities(ctx, probe.Identities()); err == nil {
		changed := mergeContact(c, &probe, cleanLine(in.Name), cleanLine(in.Company))
		if c.TimeZone == "" && tz != "" {
			c.TimeZone, changed = tz, true
		}
		if changed {
			c.UpdatedAt = now
			if err := tx.UpdateContact(ctx, c); err != nil {
				return nil, false, err
			}
		}
		return c, false, nil
	} else if !IsNotFound(err) {
		return nil, false, err
	}
	c = &Contact{
		Name:      cleanLine(in.Name),
		Emails:    probe.Emails,
		Phones:    probe.Phones,
		Handles:   probe.Handles,
		Company:   cleanLine(in.Company),
		TimeZone:  tz,
		Source:    in.Channel,
		TeamID:    team.ID,
		CreatedAt: in.ReceivedAt,
		UpdatedAt: now,
	}
	if email != "" {
		c.Domain = EmailDomain(email)
	}
	if err := tx.CreateContact(ctx, c); err != nil {
		return nil, false, err
	}
	return c, true, nil
}

// mergeContact adds probe's identities and fills an empty name or company.
func mergeContact(c, probe *Contact, name, company string) bool {
	changed := false
	add := func(list []string, v string) []string {
		for _, x := range list {
			if x == v {
				return list
			}
		}
		changed = true
		return append(list, v)
	}
	for _, e := range probe.Emails {
		c.Emails = add(c.Emails, e)
		if c.Domain == "" {
			c.Domain = EmailDomain(e)
		}
	}
	for _, p := range probe.Phones {
		c.Phones = add(c.Phones, p)
	}
	for _, h := range probe.Handles {
		c.Handles = add(c.Handles, h)
	}
	if c.Name == "" && name != "" {
		c.Name, changed = name, true
	}
	if c.Company == "" && company != "" {
		c.Company, changed = company, true
	}
	return changed
}

func activityKindOf(channel string) ActivityKind {
	switch channel {
	case ChannelEmail:
		return ActivityEmailIn
	case ChannelWebform, ChannelWebhook:
		return ActivityFormSubmitted
	case ChannelTelegram, ChannelSlack:
		return ActivityChatIn
	case ChannelManual:
		return ActivityNote
	}
	return ActivitySystem
}

func (s *Service) eventHits(events []string, now time.Time) []ScoreHit {
	var hits []ScoreHit
	for _, ev := range events {
		if hit, ok := s.settings.Scoring.EventHit(ev, now); ok {
			hits = append(hits, hit)
		}
	}
	return hits
}

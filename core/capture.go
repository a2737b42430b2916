package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
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
	in.origin = originOf(ctx, in)
	// Read in the caller's goroutine, on every core, not in the writer.
	req := &captureReq{in: in, pre: s.prepare(ctx, in), done: make(chan struct{})}
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
	pre  *prepared
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
		pres := make([]*prepared, len(batch))
		for i, r := range batch {
			ins[i], pres[i] = r.in, r.pre
		}
		res, errs := s.captureBatch(ctx, ins, pres, false)
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
	return s.captureBatch(ctx, ins, s.prepareAll(ctx, ins), false)
}

// CheckCaptureBatch is CaptureBatch undone: it runs the very same capture
// and rolls its transaction back, so what it returns is what CaptureBatch
// would return now, and nothing is stored (import --dry-run).
func (s *Service) CheckCaptureBatch(ctx context.Context, ins []Inbound) ([]CaptureResult, []error) {
	return s.captureBatch(ctx, ins, s.prepareAll(ctx, ins), true)
}

// errRehearsal rolls back a transaction that only rehearsed its changes.
var errRehearsal = errors.New("rehearsal: rolled back")

// update runs fn in a transaction, rolled back when rehearse is set even
// when fn succeeds.
func (s *Service) update(ctx context.Context, rehearse bool, fn func(Tx) error) error {
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if rehearse {
			return errRehearsal
		}
		return nil
	})
	if errors.Is(err, errRehearsal) {
		return nil
	}
	return err
}

// captureBatch captures ins, read before as pres (an element nil: not
// read), in one transaction; see the top of capturebatch.go.
func (s *Service) captureBatch(ctx context.Context, ins []Inbound, pres []*prepared, rehearse bool) ([]CaptureResult, []error) {
	results := make([]CaptureResult, len(ins))
	errs := make([]error, len(ins))
	err := s.update(ctx, rehearse, func(tx Tx) error {
		var t tally
		if len(ins) == 1 {
			// Alone, the transaction is the savepoint.
			if results[0], errs[0] = s.capture(ctx, tx, ins[0], pres[0], &t); errs[0] != nil {
				return errs[0]
			}
			return t.write(ctx, tx, s.clock.Now())
		}
		// Each inbound as read for the team it routes to now.
		read := make([]*prepared, len(ins))
		for i, in := range ins {
			if in.Channel == "" {
				continue
			}
			team, err := t.team(in.Team, func() (*Team, error) { return s.routeTeam(ctx, tx, in.Team) })
			if err != nil && KindOf(err) == KindInternal {
				return err
			}
			if err != nil {
				continue // it fails on its own below, storing nothing
			}
			if !pres[i].fits(team) { // read for a team changed since
				pres[i] = s.prepareFor(in, team)
			}
			read[i] = pres[i]
		}
		b, err := s.plan(ctx, tx, ins, read, results)
		if err != nil {
			return err
		}
		for i, in := range ins {
			if b.fresh(in, read[i]) {
				b.pending = append(b.pending, freshInbound{i: i, prepared: pres[i]})
				t.add(in, CountCaptured)
				continue
			}
			// Not fresh: on its own, once those before it are written.
			if err := b.flush(ctx, &t); err != nil {
				return err
			}
			mark := len(t.audits)
			err := tx.Savepoint(ctx, func() error {
				var err error
				results[i], err = s.capture(ctx, tx, in, pres[i], &t)
				return err
			})
			if err != nil && KindOf(err) == KindInternal {
				// A database failure, not a bad inbound: the
				// transaction may be unusable.
				return err
			}
			if err != nil {
				t.hold(in.Checkpoint)
				t.audits = t.audits[:mark] // rolled back with its savepoint
			}
			errs[i] = err
		}
		if err := b.flush(ctx, &t); err != nil {
			return err
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
		r, e := s.captureBatch(ctx, []Inbound{in}, []*prepared{pres[i]}, rehearse)
		results[i], errs[i] = r[0], e[0]
		if e[0] != nil {
			held.hold(in.Checkpoint)
		}
	}
	return results, errs
}

// capture captures one inbound, read before as pre (nil: not read).
func (s *Service) capture(ctx context.Context, tx Tx, in Inbound, pre *prepared, t *tally) (CaptureResult, error) {
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
	team, err := t.team(in.Team, func() (*Team, error) { return s.routeTeam(ctx, tx, in.Team) })
	if err != nil {
		return CaptureResult{}, err
	}
	if !pre.fits(team) { // not read before, or for a team changed since
		pre = s.prepareFor(in, team)
	}
	rd := pre.rd
	if err := rd.Err(); err != nil {
		return CaptureResult{}, err
	}
	in = rd.In
	contact, created, notes, err := s.matchContact(ctx, tx, &rd, in.Channel, team, now, t)
	if err != nil {
		return CaptureResult{}, err
	}
	res := CaptureResult{ContactID: contact.ID, Notes: rd.Notes, Doubts: notes}

	act := newActivity(in, contact.ID)
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
		lead = s.newLead(in, act, contact, team, now)
		if err := tx.CreateLead(ctx, lead); err != nil {
			return CaptureResult{}, err
		}
		act.LeadID = lead.ID
		res.LeadID, res.NewLead = lead.ID, true
		if r := routeOf(lead, in, team, now); r != nil {
			if err := tx.AddRoute(ctx, r); err != nil {
				return CaptureResult{}, err
			}
		}
		if err := s.leadCaptured(ctx, tx, lead, team, true); err != nil {
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
	if res.NewLead || created {
		t.audit(captureAudit(ctx, in, res, created, now))
	}
	if !res.NewLead && prospectChannel(in.Channel) {
		if err := s.prospectWrote(ctx, tx, lead, deal, act); err != nil {
			return CaptureResult{}, err
		}
	}
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
	// audits are the batch's audit entries, written in one insert.
	audits []AuditEntry
}

// audit keeps e to be written with the batch.
func (t *tally) audit(e AuditEntry) { t.audits = append(t.audits, e) }

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
	if len(t.audits) > 0 {
		if err := tx.AddAudits(ctx, t.audits); err != nil {
			return err
		}
	}
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

// region is where a phone number of the team's leads is from when it has
// no country code: the team's region, else the organisation's.
func (s *Service) region(team *Team) string {
	if team != nil && team.Region != "" {
		return team.Region
	}
	return s.settings.DefaultRegion
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

// matchContact finds the contact of an inbound read by ReadInbound, fills
// what it lacks from the inbound, or creates it.
//
// An email, and a chat handle the inbound came through (the chat vouches
// for it), are strong keys: the contact holding one is the person. A phone,
// and a handle typed into a form, a file or a webhook, are weak: an office
// or a family shares a phone, a number changes hands. A contact found by a
// weak key only is the person when nothing the inbound says disagrees
// (samePerson). When something does, the inbound's person is kept apart,
// in a contact of their own, and the two are marked as possible duplicates
// for a person to decide; a contact kept apart so before whose name agrees
// is found again. The notes say what was done.
func (s *Service) matchContact(ctx context.Context, tx Tx, r *Reading, channel string, team *Team, now time.Time, t *tally) (c *Contact, created bool, notes []string, err error) {
	in := r.In
	probe, strong, weak := probeOf(r, channel)
	// One query: the contact of the first key any contact holds, strong
	// keys first; one found by a weak key means none holds a strong one.
	c, err = tx.ContactByIdentities(ctx, append(slices.Clip(strong), weak...))
	if IsNotFound(err) {
		c, err = s.createContact(ctx, tx, r, &probe, channel, team, now)
		return c, true, nil, err
	}
	if err != nil {
		return nil, false, nil, err
	}
	var held *Contact // the contact found by a weak key, kept apart from
	if !holdsAny(c, strong) && !samePerson(c, in.Name, r.Email) {
		held = c
		shared := heldKey(held, weak)
		notes = append(notes, fmt.Sprintf("another contact has the %s %s but another name or email: kept apart as a person of their own and marked as a possible duplicate", shared.Kind, shared.Value))
		if c, err = s.keptApart(ctx, tx, held, in.Name, r.Email); err != nil {
			return nil, false, nil, err
		}
		if c == nil {
			if c, err = s.createContact(ctx, tx, r, &probe, channel, team, now); err != nil {
				return nil, false, nil, err
			}
			return c, true, notes, tx.MarkPossibleDuplicate(ctx, PossibleDuplicate{ContactID: c.ID, OtherID: held.ID, Kind: shared.Kind, Value: shared.Value, At: now})
		}
	}
	// A weak key the inbound brings that another contact holds: the same
	// person twice, or a shared phone. Either way a person should look.
	for _, id := range weak {
		if slices.Contains(c.Identities(), id) {
			continue
		}
		other, err := tx.ContactByIdentity(ctx, id)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, false, nil, err
		}
		if other.ID == c.ID || held != nil && other.ID == held.ID {
			continue
		}
		if err := tx.MarkPossibleDuplicate(ctx, PossibleDuplicate{ContactID: c.ID, OtherID: other.ID, Kind: id.Kind, Value: id.Value, At: now}); err != nil {
			return nil, false, nil, err
		}
		notes = append(notes, fmt.Sprintf("another contact has the %s %s: marked as a possible duplicate", id.Kind, id.Value))
	}
	was := *c // what it was, for the audit log: the changes below assign or append
	changed := mergeContact(c, &probe, in.Name, in.Company)
	if c.TimeZone == "" && r.TimeZone != "" {
		c.TimeZone, changed = r.TimeZone, true
	}
	if r.Locale != "" && r.Locale != c.Locale {
		c.Locale, changed = r.Locale, true // the language they write in now
	}
	if joined, err := s.joinCompany(ctx, tx, c, in.Company, now); err != nil {
		return nil, false, nil, err
	} else if joined {
		changed = true
	}
	if changed {
		c.UpdatedAt = now
		if err := tx.UpdateContact(ctx, c); err != nil {
			return nil, false, nil, err
		}
		e := in.origin.entry(ctx, in)
		e.Action, e.Contact, e.At, e.Changes = "contact.update", c.ID, now, diffFields(contactFields(&was), contactFields(c))
		t.audit(e)
	}
	return c, false, notes, nil
}

// probeOf is the contact an inbound read as r describes, and the keys to
// find it by, strong and weak (see matchContact).
func probeOf(r *Reading, channel string) (probe Contact, strong, weak []Identity) {
	if r.Email != "" {
		probe.Emails = []string{r.Email}
		strong = append(strong, Identity{IdentityEmail, r.Email})
	}
	if r.Handle != "" {
		probe.Handles = []string{r.Handle}
		if strings.HasPrefix(r.Handle, channel+":") {
			strong = append(strong, Identity{IdentityHandle, r.Handle})
		} else {
			weak = append(weak, Identity{IdentityHandle, r.Handle})
		}
	}
	if r.Phone != "" {
		probe.Phones = []string{r.Phone}
		weak = append(weak, Identity{IdentityPhone, r.Phone})
	}
	if r.InvalidPhone != "" {
		probe.InvalidPhones = []string{r.InvalidPhone}
	}
	return probe, strong, weak
}

// newContact is the new contact of an inbound read as r: its keys are
// probe's.
func newContact(r *Reading, probe *Contact, channel string, team *Team, now time.Time) *Contact {
	c := &Contact{
		Name:          r.In.Name,
		Emails:        probe.Emails,
		Phones:        probe.Phones,
		Handles:       probe.Handles,
		InvalidPhones: probe.InvalidPhones,
		Company:       r.In.Company,
		TimeZone:      r.TimeZone,
		Locale:        r.Locale,
		Source:        channel,
		TeamID:        team.ID,
		CreatedAt:     r.In.ReceivedAt,
		UpdatedAt:     now,
	}
	if r.Email != "" {
		c.Domain = EmailDomain(r.Email)
	}
	return c
}

// newActivity is the activity an inbound, prepared (its text cleaned), is
// on the timeline.
func newActivity(in Inbound, contactID int64) *Activity {
	return &Activity{
		Kind:        activityKindOf(in.Channel),
		ContactID:   contactID,
		Subject:     in.Subject,
		Body:        in.Text,
		ExternalRef: in.ExternalID,
		At:          in.ReceivedAt,
	}
}

// newLead is the scored new lead of an inbound, its activity act.
func (s *Service) newLead(in Inbound, act *Activity, contact *Contact, team *Team, now time.Time) *Lead {
	lead := &Lead{
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
	return lead
}

// routeOf is how a new lead came to its team; nil without teams.
func routeOf(l *Lead, in Inbound, team *Team, now time.Time) *Route {
	if team.ID == 0 {
		return nil
	}
	how := RouteTeam
	if in.Team == "" {
		how = RouteFirstTeam
	}
	return &Route{LeadID: l.ID, How: how, TeamID: team.ID, Region: team.Region, At: now}
}

// leadCaptured announces a stored new lead, raises its rules' trigger and,
// with emit, its event for the hooks that want it.
func (s *Service) leadCaptured(ctx context.Context, tx Tx, l *Lead, team *Team, emit bool) error {
	if err := s.announceNewLead(ctx, tx, l, team); err != nil {
		return err
	}
	if err := s.fire(ctx, tx, RuleJob{Trigger: TriggerLeadCaptured, LeadID: l.ID}); err != nil {
		return err
	}
	if !emit {
		return nil
	}
	return s.emit(ctx, tx, EventLeadCreated, LeadRefOf(l.ID), EventData{})
}

// createContact stores the contact of an inbound: its keys are probe's.
func (s *Service) createContact(ctx context.Context, tx Tx, r *Reading, probe *Contact, channel string, team *Team, now time.Time) (*Contact, error) {
	c := newContact(r, probe, channel, team, now)
	if _, err := s.joinCompany(ctx, tx, c, r.In.Company, now); err != nil {
		return nil, err
	}
	if err := tx.CreateContact(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// keptApart finds a contact kept apart from held before whose name agrees
// with the inbound's, and whose email does not disagree; nil when none.
func (s *Service) keptApart(ctx context.Context, tx Tx, held *Contact, name, email string) (*Contact, error) {
	if name == "" {
		return nil, nil
	}
	marks, err := tx.PossibleDuplicates(ctx, held.ID, 0)
	if err != nil {
		return nil, err
	}
	for _, m := range marks {
		id := m.ContactID
		if id == held.ID {
			id = m.OtherID
		}
		c, err := tx.ContactByID(ctx, id)
		if err != nil {
			return nil, err
		}
		if c.Name != "" && namesAgree(c.Name, name) && samePerson(c, "", email) {
			return c, nil
		}
	}
	return nil, nil
}

// samePerson reports whether an inbound found by a weak key may be the
// contact's person: nothing it says disagrees. With names on both sides,
// they decide ("Anna" and "Anna Kowalska" agree: a second email of hers is
// welcome); without, an email the contact lacks while it has others
// disagrees.
func samePerson(c *Contact, name, email string) bool {
	if name != "" && c.Name != "" {
		return namesAgree(c.Name, name)
	}
	return email == "" || len(c.Emails) == 0 || slices.Contains(c.Emails, email)
}

// namesAgree reports whether the words of one name are all among the
// other's, ignoring case and accents: a first name agrees with the full
// name, "Zoë" with "zoe".
func namesAgree(a, b string) bool {
	wa, wb := nameWords(a), nameWords(b)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	if len(wa) == 0 {
		return true
	}
	for _, w := range wa {
		if !slices.Contains(wb, w) {
			return false
		}
	}
	return true
}

// holdsAny reports whether c holds one of ids.
func holdsAny(c *Contact, ids []Identity) bool {
	have := c.Identities()
	return slices.ContainsFunc(ids, func(id Identity) bool { return slices.Contains(have, id) })
}

// heldKey is the first of ids that c holds.
func heldKey(c *Contact, ids []Identity) Identity {
	have := c.Identities()
	for _, id := range ids {
		if slices.Contains(have, id) {
			return id
		}
	}
	return Identity{}
}

// mergeContact adds probe's identities and invalid phones, and fills an
// empty name or company.
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
	for _, p := range probe.InvalidPhones {
		if len(c.InvalidPhones) < maxInvalidPhones {
			c.InvalidPhones = add(c.InvalidPhones, p)
		}
	}
	if c.Name == "" && name != "" {
		c.Name, changed = name, true
	}
	if c.Company == "" && company != "" {
		c.Company, changed = company, true
	}
	return changed
}

// nameWords are the words of a name, folded for comparing: case and
// accents go, and so do the marks between words.
func nameWords(s string) []string {
	if isASCII(s) {
		s = strings.ToLower(s) // no accents, and folding is lowering
	} else {
		if folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s); err == nil {
			s = folded
		}
		s = cases.Fold().String(s)
	}
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
	})
}

// maxInvalidPhones bounds the invalid phones a contact keeps: the first
// few say what there is to say.
const maxInvalidPhones = 10

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

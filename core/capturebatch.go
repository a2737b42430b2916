package core

import (
	"context"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// A batch of inbounds is captured in two steps. Before the writer, on
// every core, each inbound is read (prepare): routed to its team, its
// email and phone normalized, its text cleaned. In the writer, the batch's
// dedupe keys and people are looked up a query each (plan), and the
// inbounds that are fresh — a key never seen, people no contact holds and
// no earlier inbound of the batch brings, replying to nothing — become a
// new contact, lead and activity each, written together a statement a
// table (flush). Any other inbound is captured on its own as before, in a
// savepoint, after the fresh ones before it are written, so that it sees
// them.

// prepared is an inbound read before the writer: the team it was routed
// to, read outside the transaction, and the reading against the team's
// region. The writer uses it while the team it routes to is the same.
type prepared struct {
	team *Team
	rd   Reading
	// keys are the CompanyKey of the company named and of the email's
	// domain, which joinCompany may look up.
	keys map[string]string
	// probe is the contact the reading describes; people are its keys,
	// strong first (see matchContact).
	probe  Contact
	people []Identity
}

// fits reports whether p was read for team, as routed in the writer.
func (p *prepared) fits(team *Team) bool {
	return p != nil && p.team.ID == team.ID && p.team.Region == team.Region
}

// prepare reads in before the writer; nil when its team cannot be read
// (the writer then routes it and reports why).
func (s *Service) prepare(ctx context.Context, in Inbound) *prepared {
	if in.Channel == "" {
		return nil
	}
	team, err := s.teams.route(ctx, s, in.Team)
	if err != nil {
		return nil
	}
	return s.prepareFor(in, team)
}

// prepareFor reads in as routed to team.
func (s *Service) prepareFor(in Inbound, team *Team) *prepared {
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = s.clock.Now()
	}
	in.ReceivedAt = in.ReceivedAt.UTC()
	rd := ReadInbound(in, s.region(team))
	rd.In.Text = cleanText(rd.In.Text)
	keys := map[string]string{}
	for _, name := range []string{rd.In.Company, strings.TrimSpace(rd.In.Company), EmailDomain(rd.Email)} {
		if _, ok := keys[name]; !ok && name != "" {
			keys[name] = CompanyKey(name)
		}
	}
	probe, strong, weak := probeOf(&rd, in.Channel)
	return &prepared{team: team, rd: rd, keys: keys, probe: probe, people: append(strong, weak...)}
}

// prepareAll prepares ins side by side, a goroutine a core.
func (s *Service) prepareAll(ctx context.Context, ins []Inbound) []*prepared {
	out := make([]*prepared, len(ins))
	workers := min(runtime.GOMAXPROCS(0), (len(ins)+63)/64)
	if workers <= 1 {
		for i, in := range ins {
			out[i] = s.prepare(ctx, in)
		}
		return out
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(ins); i += workers {
				out[i] = s.prepare(ctx, ins[i])
			}
		})
	}
	wg.Wait()
	return out
}

// teamCache keeps the teams capture routes to for a second: inbounds are
// routed before the writer without a query each, and the writer checks
// the team is still the one read.
type teamCache struct {
	mu     sync.Mutex
	at     time.Time
	byName map[string]*Team
}

const teamCacheFor = time.Second

func (c *teamCache) route(ctx context.Context, s *Service, name string) (*Team, error) {
	c.mu.Lock()
	if now := s.clock.Now(); now.Sub(c.at) > teamCacheFor || now.Before(c.at) {
		c.byName, c.at = map[string]*Team{}, now
	}
	team, ok := c.byName[name]
	c.mu.Unlock()
	if ok {
		return team, nil
	}
	team, err := s.routeTeam(ctx, s.store, name)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.byName[name] = team
	c.mu.Unlock()
	return team, nil
}

// batch is the plan of a batch in the writer.
type batch struct {
	s       *Service
	tx      Tx
	now     time.Time
	results []CaptureResult
	// stored are the keys captured before the batch; holders the
	// contacts of its people.
	stored  map[InboundKey]CaptureResult
	holders map[Identity]int64
	// keys and people are those of the batch's inbounds so far, fresh
	// or not.
	keys   map[InboundKey]bool
	people map[Identity]bool
	// pending are the fresh inbounds not written yet.
	pending []freshInbound
}

// freshInbound is the batch's i-th inbound, fresh, as prepared.
type freshInbound struct {
	i int
	*prepared
}

// plan looks up the batch's keys and people, a query each; read[i] is
// ins[i] as prepared for the team it routes to now, nil when it routes
// nowhere.
func (s *Service) plan(ctx context.Context, tx Tx, ins []Inbound, read []*prepared, results []CaptureResult) (*batch, error) {
	b := &batch{s: s, tx: tx, now: s.clock.Now(), results: results, keys: map[InboundKey]bool{}, people: map[Identity]bool{}}
	var keys []InboundKey
	var people []Identity
	for i, in := range ins {
		if in.ExternalID != "" {
			keys = append(keys, InboundKey{Channel: in.Channel, Source: in.Source, ExternalID: in.ExternalID})
		}
		if read[i] != nil {
			people = append(people, read[i].people...)
		}
	}
	var err error
	if b.stored, err = tx.InboundResults(ctx, keys); err != nil {
		return nil, err
	}
	if b.holders, err = tx.IdentityHolders(ctx, people); err != nil {
		return nil, err
	}
	return b, nil
}

// fresh reports whether in, read as pre (nil: routed nowhere), is fresh,
// and counts its key and people as the batch's.
func (b *batch) fresh(in Inbound, pre *prepared) bool {
	ok := pre != nil && pre.rd.Err() == nil && len(in.References) == 0
	if in.ExternalID != "" {
		k := InboundKey{Channel: in.Channel, Source: in.Source, ExternalID: in.ExternalID}
		if _, seen := b.stored[k]; seen || b.keys[k] {
			ok = false
		}
		b.keys[k] = true
	}
	if pre == nil {
		return false
	}
	for _, id := range pre.people {
		if _, held := b.holders[id]; held || b.people[id] {
			ok = false
		}
		b.people[id] = true
	}
	return ok
}

// flush writes the pending fresh inbounds: their companies as named or
// by their domain, then contacts, leads, routes, activities and inbound
// results a statement each; then announces the new leads.
func (b *batch) flush(ctx context.Context, t *tally) error {
	if len(b.pending) == 0 {
		return nil
	}
	s, tx, now := b.s, b.tx, b.now
	contacts := make([]*Contact, len(b.pending))
	cos := &batchCompanies{tx: tx, keys: map[string]string{}}
	for _, f := range b.pending {
		maps.Copy(cos.keys, f.keys)
	}
	for j, f := range b.pending {
		contacts[j] = newContact(&f.rd, &f.probe, f.rd.In.Channel, f.team, now)
		cos.want(s, contacts[j], f.rd.In.Company)
	}
	if err := cos.load(ctx); err != nil {
		return err
	}
	for j, f := range b.pending {
		if _, err := s.joinCompany(ctx, cos, contacts[j], f.rd.In.Company, now); err != nil {
			return err
		}
	}
	contactIDs, err := tx.ReserveIDs(ctx, RowContact, len(b.pending))
	if err != nil {
		return err
	}
	leadIDs, err := tx.ReserveIDs(ctx, RowLead, len(b.pending))
	if err != nil {
		return err
	}
	actIDs, err := tx.ReserveIDs(ctx, RowActivity, len(b.pending))
	if err != nil {
		return err
	}
	leads := make([]*Lead, len(b.pending))
	acts := make([]*Activity, len(b.pending))
	var routes []*Route
	var keys []InboundResult
	for j, f := range b.pending {
		c := contacts[j]
		c.ID = contactIDs[j]
		act := newActivity(f.rd.In, c.ID)
		act.ID = actIDs[j]
		l := s.newLead(f.rd.In, act, c, f.team, now)
		l.ID = leadIDs[j]
		act.LeadID = l.ID
		leads[j], acts[j] = l, act
		if r := routeOf(l, f.rd.In, f.team, now); r != nil {
			routes = append(routes, r)
		}
		res := CaptureResult{ContactID: c.ID, LeadID: l.ID, ActivityID: act.ID, NewLead: true, Notes: f.rd.Notes}
		if f.rd.In.ExternalID != "" {
			keys = append(keys, InboundResult{Key: InboundKey{Channel: f.rd.In.Channel, Source: f.rd.In.Source, ExternalID: f.rd.In.ExternalID}, Result: res})
		}
		b.results[f.i] = res
		t.audit(captureAudit(ctx, f.rd.In, res, true, now))
	}
	if err := tx.AddCompanies(ctx, cos.created); err != nil {
		return err
	}
	if err := tx.AddContacts(ctx, contacts); err != nil {
		return err
	}
	if err := tx.AddLeads(ctx, leads); err != nil {
		return err
	}
	if err := tx.AddRoutes(ctx, routes); err != nil {
		return err
	}
	if err := tx.AddActivities(ctx, acts); err != nil {
		return err
	}
	if err := tx.PutInboundResults(ctx, keys); err != nil {
		return err
	}
	hooks, err := tx.ListHooks(ctx)
	if err != nil {
		return err
	}
	emit := slices.ContainsFunc(hooks, func(h Hook) bool { return h.Wants(EventLeadCreated) })
	for j, f := range b.pending {
		if err := s.leadCaptured(ctx, tx, leads[j], f.team, emit); err != nil {
			return err
		}
	}
	b.pending = b.pending[:0]
	return nil
}

// batchCompanies finds and makes the companies of a flush's contacts as
// joinCompany does on a transaction, from two queries for all of them.
type batchCompanies struct {
	tx       Tx
	keys     map[string]string // CompanyKey of names, computed once
	nameKeys []string
	domains  []string
	byKey    map[string]*Company
	byDomain map[string]*Company
	created  []*Company
}

// key is CompanyKey(name), computed once.
func (b *batchCompanies) key(name string) string {
	k, ok := b.keys[name]
	if !ok {
		k = CompanyKey(name)
		b.keys[name] = k
	}
	return k
}

// want notes the names and domains joinCompany may look up for c.
func (b *batchCompanies) want(s *Service, c *Contact, name string) {
	if k := b.key(name); k != "" {
		b.nameKeys = append(b.nameKeys, k)
	} else if k := b.key(c.Company); k != "" {
		b.nameKeys = append(b.nameKeys, k)
	}
	for _, e := range c.Emails {
		if d := EmailDomain(e); d != "" && !s.IsFreeMail(d) {
			b.domains = append(b.domains, d)
			b.nameKeys = append(b.nameKeys, b.key(d))
		}
	}
}

func (b *batchCompanies) load(ctx context.Context) error {
	var err error
	b.byKey, b.byDomain, err = b.tx.CompaniesByKeys(ctx, compactSorted(b.nameKeys), compactSorted(b.domains))
	return err
}

func compactSorted(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// CompanyByName implements companyStore.
func (b *batchCompanies) CompanyByName(_ context.Context, name string) (*Company, error) {
	if c := b.byKey[b.key(name)]; c != nil {
		return c, nil
	}
	return nil, Errorf(KindNotFound, "company %q not found", name)
}

// CompanyByDomain implements companyStore.
func (b *batchCompanies) CompanyByDomain(_ context.Context, domain string) (*Company, error) {
	if c := b.byDomain[strings.ToLower(strings.TrimSpace(domain))]; c != nil {
		return c, nil
	}
	return nil, Errorf(KindNotFound, "no company of domain %s", domain)
}

// CreateCompany implements companyStore: the company is written with the
// flush, its id reserved now.
func (b *batchCompanies) CreateCompany(ctx context.Context, c *Company) error {
	ids, err := b.tx.ReserveIDs(ctx, RowCompany, 1)
	if err != nil {
		return err
	}
	c.ID = ids[0]
	b.created = append(b.created, c)
	b.byKey[b.key(c.Name)] = c
	if d := strings.ToLower(strings.TrimSpace(c.Domain)); d != "" && b.byDomain[d] == nil {
		b.byDomain[d] = c
	}
	return nil
}

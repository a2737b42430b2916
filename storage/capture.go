package storage

import (
	"context"
	"fmt"
	"strings"

	"leadwire/core"
)

// This file is the batch side of capture (core.CaptureTx): the lookups of
// a whole batch's keys, a query each, and the inserts of its new rows, a
// statement a table, with ids reserved up front so that rows can refer to
// each other before any is written.

// maxParams bounds the parameters of one statement, under SQLite's 32,766
// and PostgreSQL's 65,535: a longer insert or lookup is split.
const maxParams = 30000

// chunks calls fn with the successive runs of at most maxParams/width
// items of n, as [from, to).
func chunks(n, width int, fn func(from, to int) error) error {
	per := max(maxParams/width, 1)
	for from := 0; from < n; from += per {
		if err := fn(from, min(from+per, n)); err != nil {
			return err
		}
	}
	return nil
}

// rowsOf is the VALUES list of n rows of width placeholders each.
func rowsOf(n, width int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	var b strings.Builder
	b.Grow(n * (len(row) + 2))
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// insertMany runs head (an INSERT … naming width columns) with args, width
// values a row, in as few statements as maxParams allows.
func (t *Tx) insertMany(ctx context.Context, what, head string, width int, args []any) error {
	return chunks(len(args)/width, width, func(from, to int) error {
		if _, err := t.exec(ctx, head+" VALUES "+rowsOf(to-from, width), args[from*width:to*width]...); err != nil {
			return fmt.Errorf("add %d %s: %w", to-from, what, err)
		}
		return nil
	})
}

// InboundResults implements core.CaptureTx: one query a channel and
// source, which a batch mostly shares.
func (t *Tx) InboundResults(ctx context.Context, keys []core.InboundKey) (map[core.InboundKey]core.CaptureResult, error) {
	out := map[core.InboundKey]core.CaptureResult{}
	bySource := map[[2]string][]any{}
	for _, k := range keys {
		cs := [2]string{k.Channel, k.Source}
		bySource[cs] = append(bySource[cs], k.ExternalID)
	}
	for cs, ids := range bySource {
		err := chunks(len(ids), 1, func(from, to int) error {
			var rows []struct {
				ExternalID string `db:"external_id"`
				ContactID  nullID `db:"contact_id"`
				LeadID     nullID `db:"lead_id"`
				DealID     nullID `db:"deal_id"`
				ActivityID nullID `db:"activity_id"`
				NewLead    bool   `db:"new_lead"`
			}
			err := t.sel(ctx, &rows, `SELECT external_id, contact_id, lead_id, deal_id, activity_id, new_lead FROM inbound_keys
				WHERE channel = ? AND source = ? AND external_id IN (`+strings.TrimSuffix(strings.Repeat("?, ", to-from), ", ")+`)`,
				append([]any{cs[0], cs[1]}, ids[from:to]...)...)
			if err != nil {
				return fmt.Errorf("inbound results: %w", err)
			}
			for _, r := range rows {
				out[core.InboundKey{Channel: cs[0], Source: cs[1], ExternalID: r.ExternalID}] = core.CaptureResult{ContactID: int64(r.ContactID),
					LeadID: int64(r.LeadID), DealID: int64(r.DealID), ActivityID: int64(r.ActivityID), NewLead: r.NewLead}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// IdentityHolders implements core.CaptureTx: one query a kind, each read
// off the (kind, value) index.
func (t *Tx) IdentityHolders(ctx context.Context, ids []core.Identity) (map[core.Identity]int64, error) {
	out := map[core.Identity]int64{}
	byKind := map[string][]any{}
	for _, id := range ids {
		byKind[id.Kind] = append(byKind[id.Kind], id.Value)
	}
	for kind, values := range byKind {
		err := chunks(len(values), 1, func(from, to int) error {
			var rows []struct {
				Value     string `db:"value"`
				ContactID int64  `db:"contact_id"`
			}
			err := t.sel(ctx, &rows, `SELECT value, contact_id FROM contact_identities WHERE kind = ? AND value IN (`+
				strings.TrimSuffix(strings.Repeat("?, ", to-from), ", ")+`)`, append([]any{kind}, values[from:to]...)...)
			if err != nil {
				return fmt.Errorf("find contacts: %w", err)
			}
			for _, r := range rows {
				out[core.Identity{Kind: kind, Value: r.Value}] = r.ContactID
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CompaniesByKeys implements core.CaptureTx.
func (t *Tx) CompaniesByKeys(ctx context.Context, nameKeys, domains []string) (byKey, byDomain map[string]*core.Company, err error) {
	byKey, byDomain = map[string]*core.Company{}, map[string]*core.Company{}
	read := func(col string, values []string, into map[string]*core.Company, keyOf func(*companyRow) string) error {
		return chunks(len(values), 1, func(from, to int) error {
			args := make([]any, 0, to-from)
			for _, v := range values[from:to] {
				args = append(args, v)
			}
			var rows []companyRow
			// Oldest first: the first company of a domain is its company.
			err := t.sel(ctx, &rows, `SELECT `+companyCols+` FROM companies WHERE `+col+` IN (`+
				strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+`) ORDER BY id`, args...)
			if err != nil {
				return fmt.Errorf("find companies: %w", err)
			}
			for i := range rows {
				if k := keyOf(&rows[i]); into[k] == nil {
					c := rows[i].company()
					into[k] = &c
				}
			}
			return nil
		})
	}
	if err := read("name_key", nameKeys, byKey, func(r *companyRow) string { return core.CompanyKey(r.Name) }); err != nil {
		return nil, nil, err
	}
	for i, d := range domains {
		domains[i] = key(d)
	}
	if err := read("domain", domains, byDomain, func(r *companyRow) string { return key(r.Domain) }); err != nil {
		return nil, nil, err
	}
	return byKey, byDomain, nil
}

// ReserveIDs implements core.CaptureTx. On SQLite the transaction holds
// the write lock, so the ids past the largest are free until it ends; on
// PostgreSQL they come from the table's identity sequence, as the ids of
// rows inserted without one do.
func (t *Tx) ReserveIDs(ctx context.Context, kind core.RowKind, n int) ([]int64, error) {
	table, ok := rowTables[kind]
	if !ok {
		return nil, fmt.Errorf("reserve ids: unknown row kind %q", kind)
	}
	if n <= 0 {
		return nil, nil
	}
	ids := make([]int64, 0, n)
	if t.d == postgres {
		if err := t.sel(ctx, &ids, `SELECT nextval(pg_get_serial_sequence('`+table+`', 'id')) FROM generate_series(1, ?)`, n); err != nil {
			return nil, fmt.Errorf("reserve %d %s ids: %w", n, table, err)
		}
		return ids, nil
	}
	var last int64
	if err := t.get(ctx, &last, `SELECT COALESCE(MAX(id), 0) FROM `+table); err != nil {
		return nil, fmt.Errorf("reserve %d %s ids: %w", n, table, err)
	}
	last = max(last, t.reserved[table]) // given out, not inserted yet
	for i := range n {
		ids = append(ids, last+1+int64(i))
	}
	if t.reserved == nil {
		t.reserved = map[string]int64{}
	}
	t.reserved[table] = last + int64(n)
	return ids, nil
}

// rowTables are the tables of the kinds of rows ids are reserved for.
var rowTables = map[core.RowKind]string{
	core.RowCompany:  "companies",
	core.RowContact:  "contacts",
	core.RowLead:     "leads",
	core.RowActivity: "activities",
}

// AddCompanies implements core.CaptureTx.
func (t *Tx) AddCompanies(ctx context.Context, cs []*core.Company) error {
	args := make([]any, 0, 7*len(cs))
	for _, c := range cs {
		args = append(args, c.ID, strings.TrimSpace(c.Name), core.CompanyKey(c.Name), key(c.Domain), c.Notes, t.d.time(c.CreatedAt), t.d.time(c.UpdatedAt))
	}
	return t.insertMany(ctx, "companies", `INSERT INTO companies (id, name, name_key, domain, notes, created_at, updated_at)`, 7, args)
}

// AddContacts implements core.CaptureTx: the contacts, then all their
// identities, then all their search terms.
func (t *Tx) AddContacts(ctx context.Context, cs []*core.Contact) error {
	args := make([]any, 0, 13*len(cs))
	var idents, terms []any
	for _, c := range cs {
		args = append(args, c.ID, c.Name, c.Company, ref(c.CompanyID), c.Domain, c.Source, ref(c.TeamID),
			c.TimeZone, c.Locale, t.d.time(c.UnsubscribedAt), phoneList(c.InvalidPhones), t.d.time(c.CreatedAt), t.d.time(c.UpdatedAt))
		for _, id := range c.Identities() {
			if id.Value != "" {
				idents = append(idents, id.Kind, id.Value, c.ID)
			}
		}
		for _, term := range contactTerms(c) {
			terms = append(terms, term, c.ID, ref(c.TeamID))
		}
	}
	err := t.insertMany(ctx, "contacts", `INSERT INTO contacts (id, name, company, company_id, domain, source, team_id, time_zone, locale,
		unsubscribed_at, invalid_phones, created_at, updated_at)`, 13, args)
	if err != nil {
		return err
	}
	if err := t.insertMany(ctx, "contact identities", `INSERT INTO contact_identities (kind, value, contact_id)`, 3, idents); err != nil {
		return err
	}
	return t.insertMany(ctx, "search terms", `INSERT INTO search_terms (term, contact_id, team_id)`, 3, terms)
}

// AddLeads implements core.CaptureTx, for new leads: none has a deal yet.
func (t *Tx) AddLeads(ctx context.Context, ls []*core.Lead) error {
	args := make([]any, 0, 21*len(ls))
	for _, l := range ls {
		if l.DealID != 0 {
			return fmt.Errorf("add leads: lead %d has a deal; AddLeads stores new leads", l.ID)
		}
		a, err := t.leadArgs(l)
		if err != nil {
			return fmt.Errorf("add leads: %w", err)
		}
		args = append(append(args, l.ID), a[:len(a)-1]...) // the last is the deal id deal_status is read by
	}
	return t.insertMany(ctx, "leads", `INSERT INTO leads (id, contact_id, team_id, owner_id, status, source_channel,
		source_name, subject, message, score, score_hits, disqualify_reason, deal_id, metadata, created_at,
		claimed_at, first_response_at, last_activity_at, updated_at, disqualified_at, response_s)`, 21, args)
}

// AddRoutes implements core.CaptureTx; it leaves their ids unset.
func (t *Tx) AddRoutes(ctx context.Context, rs []*core.Route) error {
	args := make([]any, 0, 10*len(rs))
	for _, r := range rs {
		args = append(args, ref(r.LeadID), ref(r.DealID), string(r.How), ref(r.TeamID), r.Region, r.Rule,
			ref(r.ToID), ref(r.FromID), ref(r.ByID), t.d.time(r.At))
	}
	return t.insertMany(ctx, "routes", `INSERT INTO routes (lead_id, deal_id, how, team_id, region, rule, to_id, from_id, by_id, at)`, 10, args)
}

// AddActivities implements core.CaptureTx.
func (t *Tx) AddActivities(ctx context.Context, as []*core.Activity) error {
	args := make([]any, 0, 12*len(as))
	for _, a := range as {
		msgArgs, err := argsJSON(a.Args)
		if err != nil {
			return fmt.Errorf("add activities: %w", err)
		}
		args = append(args, a.ID, string(a.Kind), ref(a.ContactID), ref(a.LeadID), ref(a.DealID), ref(a.UserID),
			a.Subject, a.Body, str(a.ExternalRef), t.d.time(a.At), a.Key, msgArgs)
	}
	return t.insertMany(ctx, "activities", `INSERT INTO activities (id, kind, contact_id, lead_id, deal_id, user_id, subject, body,
		external_ref, at, msg_key, msg_args)`, 12, args)
}

// PutInboundResults implements core.CaptureTx. Unlike PutInboundResult it
// is for keys looked up in the same transaction: one stored already fails
// the statement.
func (t *Tx) PutInboundResults(ctx context.Context, rs []core.InboundResult) error {
	args := make([]any, 0, 8*len(rs))
	for _, r := range rs {
		args = append(args, r.Key.Channel, r.Key.Source, r.Key.ExternalID, ref(r.Result.ContactID), ref(r.Result.LeadID),
			ref(r.Result.DealID), ref(r.Result.ActivityID), r.Result.NewLead)
	}
	return t.insertMany(ctx, "inbound results", `INSERT INTO inbound_keys (channel, source, external_id, contact_id, lead_id, deal_id,
		activity_id, new_lead)`, 8, args)
}

package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"leadwire/core"
)

const contactCols = `id, name, company, company_id, domain, source, team_id, time_zone, locale, unsubscribed_at, invalid_phones, merged_into, erased_at, created_at, updated_at`

type contactRow struct {
	ID        int64    `db:"id"`
	Name      string   `db:"name"`
	Company   string   `db:"company"`
	CompanyID nullID   `db:"company_id"`
	Domain    string   `db:"domain"`
	Source    string   `db:"source"`
	TeamID    nullID   `db:"team_id"`
	TimeZone  string   `db:"time_zone"`
	Locale    string   `db:"locale"`
	Unsub     nullTime `db:"unsubscribed_at"`
	Invalid   nullStr  `db:"invalid_phones"`
	Merged    nullID   `db:"merged_into"`
	Erased    nullTime `db:"erased_at"`
	CreatedAt nullTime `db:"created_at"`
	UpdatedAt nullTime `db:"updated_at"`
}

func (row *contactRow) contact() core.Contact {
	var invalid []string
	_ = fromJSON(row.Invalid, &invalid) // a phone kept to read: unreadable, it is not worth failing the contact
	return core.Contact{
		InvalidPhones:  invalid,
		ID:             row.ID,
		Name:           row.Name,
		Company:        row.Company,
		CompanyID:      int64(row.CompanyID),
		Domain:         row.Domain,
		Source:         row.Source,
		TeamID:         int64(row.TeamID),
		TimeZone:       row.TimeZone,
		Locale:         row.Locale,
		UnsubscribedAt: row.Unsub.t,
		MergedInto:     int64(row.Merged),
		ErasedAt:       row.Erased.t,
		CreatedAt:      row.CreatedAt.t,
		UpdatedAt:      row.UpdatedAt.t,
	}
}

// ListContacts implements core.Reader: a page of contacts and, in one more
// query, their identities.
func (r *reader) ListContacts(ctx context.Context, f core.ContactFilter) ([]core.Contact, error) {
	if f.Limit <= 0 {
		f.Limit = 500
	}
	q, args := `SELECT `+contactCols+` FROM contacts WHERE id > ? AND merged_into IS NULL`, []any{f.AfterID}
	if f.TeamID != 0 {
		q, args = q+` AND team_id = ?`, append(args, f.TeamID)
	}
	if f.CompanyID != 0 {
		q, args = q+` AND company_id = ?`, append(args, f.CompanyID)
	}
	var rows []contactRow
	if err := r.sel(ctx, &rows, q+` ORDER BY id LIMIT ?`, append(args, f.Limit)...); err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]core.Contact, len(rows))
	at := make(map[int64]int, len(rows))
	for i := range rows {
		out[i] = rows[i].contact()
		at[rows[i].ID] = i
	}
	var ids []struct {
		ContactID int64  `db:"contact_id"`
		Kind      string `db:"kind"`
		Value     string `db:"value"`
	}
	if err := r.sel(ctx, &ids, `SELECT contact_id, kind, value FROM contact_identities WHERE contact_id >= ? AND contact_id <= ? ORDER BY id`,
		rows[0].ID, rows[len(rows)-1].ID); err != nil {
		return nil, fmt.Errorf("list contacts' identities: %w", err)
	}
	for _, i := range ids {
		if k, ok := at[i.ContactID]; ok {
			out[k].AddIdentity(i.Kind, i.Value)
		}
	}
	return out, nil
}

type identityRow struct {
	Kind  string `db:"kind"`
	Value string `db:"value"`
}

// ContactByID implements core.Reader, with the contact's identities in the
// order they were added.
func (r *reader) ContactByID(ctx context.Context, id int64) (*core.Contact, error) {
	var row contactRow
	err := r.get(ctx, &row, `SELECT `+contactCols+` FROM contacts WHERE id = ?`, id)
	if err := found(err, core.Fail(core.KindNotFound, "error.contact_not_found", "contact {Ref} not found", "Ref", core.ContactRef(id)), "get contact"); err != nil {
		return nil, err
	}
	c := row.contact()
	var ids []identityRow
	if err := r.sel(ctx, &ids, `SELECT kind, value FROM contact_identities WHERE contact_id = ? ORDER BY id`, id); err != nil {
		return nil, fmt.Errorf("get contact %d identities: %w", id, err)
	}
	for _, i := range ids {
		c.AddIdentity(i.Kind, i.Value)
	}
	return &c, nil
}

// ContactByIdentity implements core.Reader.
func (r *reader) ContactByIdentity(ctx context.Context, ident core.Identity) (*core.Contact, error) {
	return r.ContactByIdentities(ctx, []core.Identity{ident})
}

// ContactByIdentities implements core.Reader: one query for all the keys.
func (r *reader) ContactByIdentities(ctx context.Context, ids []core.Identity) (*core.Contact, error) {
	if len(ids) == 0 {
		return nil, core.Errorf(core.KindNotFound, "no contact without an email, phone or handle")
	}
	var conds []string
	var args []any
	for _, id := range ids {
		conds = append(conds, "(kind = ? AND value = ?)")
		args = append(args, id.Kind, id.Value)
	}
	var rows []struct {
		Kind      string `db:"kind"`
		Value     string `db:"value"`
		ContactID int64  `db:"contact_id"`
	}
	if err := r.sel(ctx, &rows, `SELECT kind, value, contact_id FROM contact_identities WHERE `+strings.Join(conds, " OR "), args...); err != nil {
		return nil, fmt.Errorf("find contact: %w", err)
	}
	for _, id := range ids { // in the caller's order of preference
		for _, row := range rows {
			if row.Kind == id.Kind && row.Value == id.Value {
				return r.ContactByID(ctx, row.ContactID)
			}
		}
	}
	return nil, core.Errorf(core.KindNotFound, "no contact with %s %s", ids[0].Kind, ids[0].Value)
}

// phoneList is the invalid_phones column of a list: JSON, "" for none.
func phoneList(phones []string) string {
	if len(phones) == 0 {
		return ""
	}
	b, _ := json.Marshal(phones) // strings always marshal
	return string(b)
}

// PossibleDuplicates implements core.Reader.
func (r *reader) PossibleDuplicates(ctx context.Context, contactID int64, limit int) ([]core.PossibleDuplicate, error) {
	if limit <= 0 {
		limit = 500
	}
	q, args := `SELECT contact_id, other_id, kind, value, created_at FROM possible_duplicates`, []any{}
	if contactID != 0 {
		q, args = q+` WHERE contact_id = ? OR other_id = ?`, append(args, contactID, contactID)
	}
	var rows []struct {
		ContactID int64    `db:"contact_id"`
		OtherID   int64    `db:"other_id"`
		Kind      string   `db:"kind"`
		Value     string   `db:"value"`
		At        nullTime `db:"created_at"`
	}
	if err := r.sel(ctx, &rows, q+` ORDER BY created_at, contact_id, other_id LIMIT ?`, append(args, limit)...); err != nil {
		return nil, fmt.Errorf("list possible duplicates: %w", err)
	}
	out := make([]core.PossibleDuplicate, len(rows))
	for i, row := range rows {
		out[i] = core.PossibleDuplicate{ContactID: row.ContactID, OtherID: row.OtherID, Kind: row.Kind, Value: row.Value, At: row.At.t}
	}
	return out, nil
}

// MarkPossibleDuplicate implements core.Tx.
func (t *Tx) MarkPossibleDuplicate(ctx context.Context, d core.PossibleDuplicate) error {
	_, err := t.exec(ctx, `INSERT INTO possible_duplicates (contact_id, other_id, kind, value, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (contact_id, other_id) DO NOTHING`, d.ContactID, d.OtherID, d.Kind, d.Value, t.d.time(d.At))
	if err != nil {
		return fmt.Errorf("mark contacts %d and %d as possible duplicates: %w", d.ContactID, d.OtherID, err)
	}
	return nil
}

// CreateContact implements core.Tx. An identity another contact already
// holds is skipped: identities belong to one contact.
func (t *Tx) CreateContact(ctx context.Context, c *core.Contact) error {
	var err error
	c.ID, err = t.insert(ctx, `INSERT INTO contacts (name, company, company_id, domain, source, team_id, time_zone, locale, unsubscribed_at, invalid_phones, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.Name, c.Company, ref(c.CompanyID), c.Domain, c.Source, ref(c.TeamID),
		c.TimeZone, c.Locale, t.d.time(c.UnsubscribedAt), phoneList(c.InvalidPhones), t.d.time(c.CreatedAt), t.d.time(c.UpdatedAt))
	if err != nil {
		return fmt.Errorf("create contact: %w", err)
	}
	ids, err := t.insertIdentities(ctx, c)
	if err != nil {
		return err
	}
	return t.writeTerms(ctx, c, ids)
}

// insertIdentities adds a new contact's identities in one statement and
// returns those stored: one held by another contact is skipped.
func (t *Tx) insertIdentities(ctx context.Context, c *core.Contact) ([]identityRow, error) {
	var args []any
	for _, ident := range c.Identities() {
		if ident.Value != "" {
			args = append(args, ident.Kind, ident.Value, c.ID)
		}
	}
	if len(args) == 0 {
		return nil, nil
	}
	values := strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(args)/3), ", ")
	var ids []identityRow
	err := t.sel(ctx, &ids, `INSERT INTO contact_identities (kind, value, contact_id) VALUES `+values+`
		ON CONFLICT (kind, value) DO NOTHING RETURNING kind, value`, args...)
	if err != nil {
		return nil, fmt.Errorf("add identities to contact %d: %w", c.ID, err)
	}
	return ids, nil
}

// UpdateContact implements core.Tx: it saves the fields and adds the
// identities not present yet, skipping those another contact holds.
func (t *Tx) UpdateContact(ctx context.Context, c *core.Contact) error {
	err := t.update(ctx, core.Fail(core.KindNotFound, "error.contact_not_found", "contact {Ref} not found", "Ref", core.ContactRef(c.ID)),
		`UPDATE contacts SET name = ?, company = ?, company_id = ?, domain = ?, source = ?, team_id = ?, time_zone = ?, locale = ?, unsubscribed_at = ?,
		invalid_phones = ?, created_at = ?, updated_at = ? WHERE id = ?`, c.Name, c.Company, ref(c.CompanyID), c.Domain, c.Source, ref(c.TeamID),
		c.TimeZone, c.Locale, t.d.time(c.UnsubscribedAt), phoneList(c.InvalidPhones), t.d.time(c.CreatedAt), t.d.time(c.UpdatedAt), c.ID)
	if err != nil {
		if core.IsNotFound(err) {
			return err
		}
		return fmt.Errorf("update contact %d: %w", c.ID, err)
	}
	if err := t.addIdentities(ctx, c); err != nil {
		return err
	}
	return t.indexContact(ctx, c, true)
}

func (t *Tx) addIdentities(ctx context.Context, c *core.Contact) error {
	for _, ident := range c.Identities() {
		if ident.Value == "" {
			continue
		}
		// ON CONFLICT DO NOTHING rather than catching the violation: it
		// also keeps a PostgreSQL transaction usable.
		_, err := t.exec(ctx, `INSERT INTO contact_identities (kind, value, contact_id) VALUES (?, ?, ?)
			ON CONFLICT (kind, value) DO NOTHING`, ident.Kind, ident.Value, c.ID)
		if err != nil {
			return fmt.Errorf("add %s identity to contact %d: %w", ident.Kind, c.ID, err)
		}
	}
	return nil
}

// indexContact writes the contact's search terms, replacing the old ones.
// The terms come from the stored identities, so a skipped identity held by
// another contact does not make this one findable by it.
func (t *Tx) indexContact(ctx context.Context, c *core.Contact, replace bool) error {
	if replace {
		if _, err := t.exec(ctx, `DELETE FROM search_terms WHERE contact_id = ?`, c.ID); err != nil {
			return fmt.Errorf("index contact %d: %w", c.ID, err)
		}
	}
	var ids []identityRow
	if err := t.sel(ctx, &ids, `SELECT kind, value FROM contact_identities WHERE contact_id = ? ORDER BY id`, c.ID); err != nil {
		return fmt.Errorf("index contact %d: %w", c.ID, err)
	}
	return t.writeTerms(ctx, c, ids)
}

// writeTerms writes the search terms of c with its stored identities ids.
func (t *Tx) writeTerms(ctx context.Context, c *core.Contact, ids []identityRow) error {
	stored := *c
	stored.Emails, stored.Phones, stored.Handles = nil, nil, nil
	for _, i := range ids {
		switch i.Kind {
		case core.IdentityEmail:
			stored.Emails = append(stored.Emails, i.Value)
		case core.IdentityPhone:
			stored.Phones = append(stored.Phones, i.Value)
		}
	}
	terms := contactTerms(&stored)
	if len(terms) == 0 {
		return nil
	}
	args := make([]any, 0, 3*len(terms))
	for _, term := range terms {
		args = append(args, term, c.ID, ref(c.TeamID))
	}
	values := strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(terms)), ", ")
	if _, err := t.exec(ctx, `INSERT INTO search_terms (term, contact_id, team_id) VALUES `+values, args...); err != nil {
		return fmt.Errorf("index contact %d: %w", c.ID, err)
	}
	return nil
}

package storage

import (
	"context"
	"fmt"
	"strings"

	"leadwire/core"
)

const companyCols = `id, name, domain, notes, created_at, updated_at`

type companyRow struct {
	ID        int64    `db:"id"`
	Name      string   `db:"name"`
	Domain    string   `db:"domain"`
	Notes     string   `db:"notes"`
	CreatedAt nullTime `db:"created_at"`
	UpdatedAt nullTime `db:"updated_at"`
}

func (r *companyRow) company() core.Company {
	return core.Company{ID: r.ID, Name: r.Name, Domain: r.Domain, Notes: r.Notes, CreatedAt: r.CreatedAt.t, UpdatedAt: r.UpdatedAt.t}
}

func (r *reader) companyWhere(ctx context.Context, notFound error, cond string, args ...any) (*core.Company, error) {
	var row companyRow
	err := r.get(ctx, &row, `SELECT `+companyCols+` FROM companies WHERE `+cond+` ORDER BY id LIMIT 1`, args...)
	if err := found(err, notFound, "get company"); err != nil {
		return nil, err
	}
	c := row.company()
	return &c, nil
}

// CompanyByID implements core.Reader.
func (r *reader) CompanyByID(ctx context.Context, id int64) (*core.Company, error) {
	return r.companyWhere(ctx, core.Fail(core.KindNotFound, "error.company_id_not_found", "company {ID} not found", "ID", id), "id = ?", id)
}

// CompanyByName implements core.Reader, by the folded name.
func (r *reader) CompanyByName(ctx context.Context, name string) (*core.Company, error) {
	return r.companyWhere(ctx, core.Fail(core.KindNotFound, "error.company_not_found", `company "{Name}" not found`, "Name", name), "name_key = ?", core.CompanyKey(name))
}

// CompanyByDomain implements core.Reader.
func (r *reader) CompanyByDomain(ctx context.Context, domain string) (*core.Company, error) {
	d := key(domain)
	if d == "" {
		return nil, core.Errorf(core.KindNotFound, "no company without a domain")
	}
	return r.companyWhere(ctx, core.Errorf(core.KindNotFound, "no company of domain %s", d), "domain = ?", d)
}

// ListCompanies implements core.Reader: a page of companies and, in three
// more queries, their contacts, open deals and last activity within the
// filter's reach.
func (r *reader) ListCompanies(ctx context.Context, f core.CompanyFilter) ([]core.CompanySummary, error) {
	if !f.Everyone && f.TeamID == 0 {
		return nil, nil
	}
	if f.Limit <= 0 {
		f.Limit = 500
	}
	var w where
	w.add("co.id > ?", f.AfterID)
	if f.CompanyID != 0 {
		w.add("co.id = ?", f.CompanyID)
	}
	team := ""
	if !f.Everyone {
		w.add("EXISTS (SELECT 1 FROM contacts ct WHERE ct.company_id = co.id AND ct.team_id = ?)", f.TeamID)
		team = " AND ct.team_id = ?"
	}
	var rows []companyRow
	if err := r.sel(ctx, &rows, `SELECT `+companyCols+` FROM companies co`+w.String()+` ORDER BY co.id LIMIT ?`,
		append(w.args, f.Limit)...); err != nil {
		return nil, fmt.Errorf("list companies: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]core.CompanySummary, len(rows))
	at := make(map[int64]*core.CompanySummary, len(rows))
	for i := range rows {
		out[i].Company = rows[i].company()
		at[rows[i].ID] = &out[i]
	}
	args := []any{rows[0].ID, rows[len(rows)-1].ID}
	if !f.Everyone {
		args = append(args, f.TeamID)
	}
	var counts []struct {
		CompanyID int64 `db:"company_id"`
		N         int64 `db:"n"`
	}
	if err := r.sel(ctx, &counts, `SELECT ct.company_id, COUNT(*) AS n FROM contacts ct
		WHERE ct.company_id BETWEEN ? AND ?`+team+` GROUP BY ct.company_id`, args...); err != nil {
		return nil, fmt.Errorf("count companies' contacts: %w", err)
	}
	for _, c := range counts {
		if s, ok := at[c.CompanyID]; ok {
			s.Contacts = c.N
		}
	}
	dealTeam := strings.Replace(team, "ct.team_id", "d.team_id", 1)
	var deals []struct {
		CompanyID int64  `db:"company_id"`
		Currency  string `db:"currency"`
		N         int64  `db:"n"`
		Amount    int64  `db:"amount"`
	}
	if err := r.sel(ctx, &deals, `SELECT ct.company_id, d.currency, COUNT(*) AS n, COALESCE(SUM(d.amount), 0) AS amount
		FROM deals d JOIN contacts ct ON ct.id = d.contact_id
		WHERE d.status = 'open' AND ct.company_id BETWEEN ? AND ?`+dealTeam+`
		GROUP BY ct.company_id, d.currency ORDER BY ct.company_id, d.currency`, args...); err != nil {
		return nil, fmt.Errorf("sum companies' deals: %w", err)
	}
	for _, d := range deals {
		if s, ok := at[d.CompanyID]; ok {
			s.OpenDeals += d.N
			s.OpenValue = append(s.OpenValue, core.CurrencySum{Currency: d.Currency, Amount: d.Amount})
		}
	}
	var last []struct {
		CompanyID int64    `db:"company_id"`
		At        nullTime `db:"last_at"`
	}
	if err := r.sel(ctx, &last, `SELECT ct.company_id, MAX(a.at) AS last_at FROM activities a JOIN contacts ct ON ct.id = a.contact_id
		WHERE ct.company_id BETWEEN ? AND ?`+team+` GROUP BY ct.company_id`, args...); err != nil {
		return nil, fmt.Errorf("companies' last activity: %w", err)
	}
	for _, l := range last {
		if s, ok := at[l.CompanyID]; ok {
			s.LastActivity = l.At.t
		}
	}
	return out, nil
}

// CreateCompany implements core.Tx.
func (t *Tx) CreateCompany(ctx context.Context, c *core.Company) error {
	k := core.CompanyKey(c.Name)
	if k == "" {
		return core.Errorf(core.KindInvalid, "a company needs a name")
	}
	var err error
	c.ID, err = t.insert(ctx, `INSERT INTO companies (name, name_key, domain, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		strings.TrimSpace(c.Name), k, key(c.Domain), c.Notes, t.d.time(c.CreatedAt), t.d.time(c.UpdatedAt))
	if _, dup := uniqueViolation(err); dup {
		return core.Errorf(core.KindConflict, "a company named %q exists already", c.Name)
	}
	if err != nil {
		return fmt.Errorf("create company: %w", err)
	}
	return nil
}

// UpdateCompany implements core.Tx.
func (t *Tx) UpdateCompany(ctx context.Context, c *core.Company) error {
	err := t.update(ctx, core.Errorf(core.KindNotFound, "company %d not found", c.ID),
		`UPDATE companies SET name = ?, name_key = ?, domain = ?, notes = ?, updated_at = ? WHERE id = ?`,
		strings.TrimSpace(c.Name), core.CompanyKey(c.Name), key(c.Domain), c.Notes, t.d.time(c.UpdatedAt), c.ID)
	if _, dup := uniqueViolation(err); dup {
		return core.Errorf(core.KindConflict, "a company named %q exists already", c.Name)
	}
	if err != nil && !core.IsNotFound(err) {
		return fmt.Errorf("update company %d: %w", c.ID, err)
	}
	return err
}

// MergeCompanies implements core.Tx.
func (t *Tx) MergeCompanies(ctx context.Context, from, into int64) (int64, error) {
	res, err := t.exec(ctx, `UPDATE contacts SET company_id = ? WHERE company_id = ?`, into, from)
	if err != nil {
		return 0, fmt.Errorf("merge company %d into %d: %w", from, into, err)
	}
	n, _ := res.RowsAffected()
	if _, err := t.exec(ctx, `DELETE FROM companies WHERE id = ?`, from); err != nil {
		return 0, fmt.Errorf("merge company %d into %d: %w", from, into, err)
	}
	return n, nil
}

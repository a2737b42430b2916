package core

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Company is the organisation contacts belong to; deals belong to the
// company of their contact.
type Company struct {
	ID        int64
	Name      string
	Domain    string // the email domain its people write from; "" unknown
	Notes     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CompanySummary is a company with what a reader may see of it: how many
// of its contacts, its open deals and their value per currency, and when
// anyone last heard from or wrote to one of its people.
type CompanySummary struct {
	Company
	Contacts     int64
	OpenDeals    int64
	OpenValue    []CurrencySum
	LastActivity time.Time // zero: none
}

// CompanyFilter narrows a company listing to what a reader may see: every
// company (Everyone), or those with contacts of one team, counting that
// team's contacts and deals only. A filter that reaches nobody finds
// nothing.
type CompanyFilter struct {
	Everyone  bool
	TeamID    int64
	CompanyID int64 // 0: every company
	AfterID   int64
	Limit     int // 0: 500
}

// CompanyReader is the people area's port for reading companies.
type CompanyReader interface {
	CompanyByID(ctx context.Context, id int64) (*Company, error)
	// CompanyByName finds a company by its folded name (CompanyKey).
	CompanyByName(ctx context.Context, name string) (*Company, error)
	// CompanyByDomain finds the oldest company of the email domain.
	CompanyByDomain(ctx context.Context, domain string) (*Company, error)
	// ListCompanies lists companies by id with their summaries.
	ListCompanies(ctx context.Context, f CompanyFilter) ([]CompanySummary, error)
}

// CompanyTx is the people area's port for changing companies.
type CompanyTx interface {
	// CreateCompany stores a company; a second one of the same folded
	// name is a conflict. It sets c.ID.
	CreateCompany(ctx context.Context, c *Company) error
	UpdateCompany(ctx context.Context, c *Company) error
	// MergeCompanies moves every contact of from into into and removes
	// from; it returns how many contacts moved.
	MergeCompanies(ctx context.Context, from, into int64) (int64, error)
}

// CompanyKey folds a company name for matching: case, accents, and the
// marks and spaces between words go ("ACME  s.a." and "Acme SA" match).
func CompanyKey(name string) string {
	return strings.Join(nameWords(name), " ")
}

// IsFreeMail reports whether domain is a free-mail or ISP domain, whose
// people do not share a company.
func (s *Service) IsFreeMail(domain string) bool {
	return s.settings.Scoring.FreeMailDomains[strings.ToLower(domain)]
}

// joinCompany links a contact without a company to one: the one named
// (found by its folded name, else created), else the one of its email
// domain (found, else created and named after the domain). Free-mail and
// ISP domains join nobody. It reports whether c changed.
func (s *Service) joinCompany(ctx context.Context, tx companyStore, c *Contact, name string, now time.Time) (bool, error) {
	if c.CompanyID != 0 {
		return false, nil
	}
	domain := ""
	for _, e := range c.Emails {
		if d := EmailDomain(e); d != "" && !s.IsFreeMail(d) {
			domain = d
			break
		}
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = strings.TrimSpace(c.Company)
	}
	keyOf := CompanyKey
	if k, ok := tx.(interface{ key(string) string }); ok {
		keyOf = k.key // a batch's, read before the writer
	}
	var co *Company
	var err error
	switch {
	case keyOf(name) != "":
		co, err = tx.CompanyByName(ctx, name)
		if IsNotFound(err) {
			co = &Company{Name: name, CreatedAt: now, UpdatedAt: now}
			if domain != "" {
				// The domain names the company only while no other does.
				if _, err := tx.CompanyByDomain(ctx, domain); IsNotFound(err) {
					co.Domain = domain
				} else if err != nil {
					return false, err
				}
			}
			err = tx.CreateCompany(ctx, co)
		}
	case domain != "":
		co, err = tx.CompanyByDomain(ctx, domain)
		if IsNotFound(err) {
			co, err = tx.CompanyByName(ctx, domain)
		}
		if IsNotFound(err) {
			co = &Company{Name: domain, Domain: domain, CreatedAt: now, UpdatedAt: now}
			err = tx.CreateCompany(ctx, co)
		}
	default:
		return false, nil
	}
	if err != nil {
		return false, err
	}
	c.CompanyID = co.ID
	return true, nil
}

// companyStore is where joinCompany finds and makes companies: a
// transaction, or a batch's companies read at once.
type companyStore interface {
	CompanyByName(ctx context.Context, name string) (*Company, error)
	CompanyByDomain(ctx context.Context, domain string) (*Company, error)
	CreateCompany(ctx context.Context, c *Company) error
}

// canSeeAll reports whether actor sees every team's people.
func canSeeAll(actor *User) bool { return actor.Role == RoleAdmin }

// companyFilter is the reach of actor over companies.
func companyFilter(actor *User) CompanyFilter {
	if canSeeAll(actor) {
		return CompanyFilter{Everyone: true}
	}
	return CompanyFilter{TeamID: actor.TeamID}
}

// Companies lists the companies actor may see with their summaries: an
// admin every company, anyone else those with contacts of their team,
// counting their team's contacts and deals only. Someone in no team sees
// none.
func (s *Service) Companies(ctx context.Context, actor *User, afterID int64, limit int) ([]CompanySummary, error) {
	f := companyFilter(actor)
	f.AfterID, f.Limit = afterID, limit
	return s.store.ListCompanies(ctx, f)
}

// CompanyView is one company as a reader sees it: its summary, the
// contacts of it within reach and their open deals.
type CompanyView struct {
	CompanySummary
	People []Contact
	Deals  []Deal
}

// FindCompany finds a company by id ("12" or "#12") or by name.
func (s *Service) FindCompany(ctx context.Context, r Reader, text string) (*Company, error) {
	t := strings.TrimSpace(text)
	if id, err := strconv.ParseInt(strings.TrimPrefix(t, "#"), 10, 64); err == nil && id > 0 {
		return r.CompanyByID(ctx, id)
	}
	if CompanyKey(t) == "" {
		return nil, Fail(KindInvalid, "error.company_name", "name a company, like: company Acme")
	}
	co, err := r.CompanyByName(ctx, t)
	if IsNotFound(err) {
		return nil, Fail(KindNotFound, "error.company_unknown", `no company "{Name}"; leadwire companies list shows them`, "Name", t)
	}
	return co, err
}

// Company shows a company to actor: what they may see of it (an admin
// all, anyone else their team's contacts and deals). A company with
// nothing within reach is not found, so its name says nothing.
func (s *Service) Company(ctx context.Context, actor *User, text string) (*CompanyView, error) {
	co, err := s.FindCompany(ctx, s.store, text)
	if err != nil {
		return nil, err
	}
	f := companyFilter(actor)
	f.CompanyID, f.Limit = co.ID, 1
	sums, err := s.store.ListCompanies(ctx, f)
	if err != nil {
		return nil, err
	}
	if len(sums) == 0 {
		return nil, Fail(KindNotFound, "error.company_not_in_team", `no company "{Name}" among your team's contacts`, "Name", strings.TrimSpace(text))
	}
	v := &CompanyView{CompanySummary: sums[0]}
	people, err := s.store.ListContacts(ctx, ContactFilter{CompanyID: co.ID, TeamID: f.TeamID, Limit: 200})
	if err != nil {
		return nil, err
	}
	v.People = people
	for _, p := range people {
		deals, err := s.store.ListDeals(ctx, DealFilter{ContactID: p.ID, Statuses: []DealStatus{DealOpen}})
		if err != nil {
			return nil, err
		}
		for _, d := range deals {
			if canSeeAll(actor) || d.TeamID == actor.TeamID {
				v.Deals = append(v.Deals, d)
			}
		}
	}
	slices.SortFunc(v.Deals, func(a, b Deal) int { return int(a.ID - b.ID) })
	return v, nil
}

// CompanyNames returns the names of the company records of the contacts,
// by contact id ("" for none): what deal cards show.
func (s *Service) CompanyNames(ctx context.Context, contactIDs ...int64) (map[int64]string, error) {
	out := map[int64]string{}
	for _, id := range contactIDs {
		if _, ok := out[id]; ok || id == 0 {
			continue
		}
		c, err := s.store.ContactByID(ctx, id)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = ""
		if c.CompanyID != 0 {
			co, err := s.store.CompanyByID(ctx, c.CompanyID)
			if err != nil && !IsNotFound(err) {
				return nil, err
			}
			if err == nil {
				out[id] = co.Name
			}
		}
	}
	return out, nil
}

// MergeCompanies moves every contact of the company from into the company
// into and removes from, in one transaction. Admins and managers may;
// it returns how many contacts moved.
func (s *Service) MergeCompanies(ctx context.Context, actor *User, from, into string) (int64, *Company, error) {
	if actor.Role != RoleAdmin && actor.Role != RoleManager {
		return 0, nil, Fail(KindForbidden, "error.company_merge_forbidden", "only managers and admins may merge companies; you are a {Role}", "Role", actor.Role)
	}
	var moved int64
	var survivor *Company
	err := s.store.Update(ctx, func(tx Tx) error {
		a, err := s.FindCompany(ctx, tx, from)
		if err != nil {
			return err
		}
		b, err := s.FindCompany(ctx, tx, into)
		if err != nil {
			return err
		}
		if a.ID == b.ID {
			return Fail(KindInvalid, "error.company_same", `"{From}" and "{Into}" are one company already`, "From", from, "Into", into)
		}
		if b.Domain == "" && a.Domain != "" {
			b.Domain = a.Domain
		}
		if a.Notes != "" {
			b.Notes = strings.TrimSpace(b.Notes + "\n" + a.Notes)
		}
		b.UpdatedAt = s.clock.Now()
		if moved, err = tx.MergeCompanies(ctx, a.ID, b.ID); err != nil {
			return err
		}
		if err := tx.UpdateCompany(ctx, b); err != nil {
			return err
		}
		survivor = b
		return s.audit(ctx, tx, actor, AuditEntry{Action: "company.merge", Target: a.Name,
			Note: fmt.Sprintf("company %d %q merged into %d %q: %d contacts moved", a.ID, a.Name, b.ID, b.Name, moved)})
	})
	return moved, survivor, err
}

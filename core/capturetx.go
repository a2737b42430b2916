package core

import "context"

// CaptureTx is what capturing a batch needs beyond the single-row changes
// of Tx: the lookups of a whole batch's keys, a query each, and the
// inserts of its new rows, a statement a table. Rows are inserted with
// their ids set, reserved first, so that they can refer to each other.
type CaptureTx interface {
	// InboundResults returns the stored results of those keys seen before.
	InboundResults(ctx context.Context, keys []InboundKey) (map[InboundKey]CaptureResult, error)
	// IdentityHolders returns the contact holding each of ids that one
	// holds.
	IdentityHolders(ctx context.Context, ids []Identity) (map[Identity]int64, error)
	// CompaniesByKeys returns the companies of the folded names
	// (CompanyKey) and of the email domains, the oldest of each domain.
	CompaniesByKeys(ctx context.Context, nameKeys, domains []string) (byKey, byDomain map[string]*Company, err error)
	// ReserveIDs returns n ids no row of the kind has or will be given
	// but by the caller, in this transaction.
	ReserveIDs(ctx context.Context, kind RowKind, n int) ([]int64, error)
	// AddCompanies, AddContacts (with their identities and search
	// terms), AddLeads (new ones, without a deal), AddRoutes and
	// AddActivities store new rows whose ids are set (a route's is
	// left unset).
	AddCompanies(ctx context.Context, cs []*Company) error
	AddContacts(ctx context.Context, cs []*Contact) error
	AddLeads(ctx context.Context, ls []*Lead) error
	AddRoutes(ctx context.Context, rs []*Route) error
	AddActivities(ctx context.Context, as []*Activity) error
	// PutInboundResults stores the results of keys not stored yet.
	PutInboundResults(ctx context.Context, rs []InboundResult) error
}

// RowKind names the kind of row ids are reserved for.
type RowKind string

// The kinds of rows a batch reserves ids for.
const (
	RowCompany  RowKind = "company"
	RowContact  RowKind = "contact"
	RowLead     RowKind = "lead"
	RowActivity RowKind = "activity"
)

// InboundResult is what an inbound's capture made, kept by its key so that
// a redelivery changes nothing.
type InboundResult struct {
	Key    InboundKey
	Result CaptureResult
}

package csvfile

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"leadwire/core"
)

// importField is a field a CSV column can map to.
type importField string

// The import fields. first_name and last_name make the name when it is
// empty; the deal fields apply to --kind deals.
const (
	fName          importField = "name"
	fFirstName     importField = "first_name"
	fLastName      importField = "last_name"
	fEmail         importField = "email"
	fPhone         importField = "phone"
	fHandle        importField = "handle"
	fCompany       importField = "company"
	fSubject       importField = "subject"
	fMessage       importField = "message"
	fSource        importField = "source"
	fTeam          importField = "team"
	fExternalID    importField = "external_id"
	fCreatedAt     importField = "created_at"
	fTimeZone      importField = "timezone"
	fTitle         importField = "title"
	fValue         importField = "value"
	fCurrency      importField = "currency"
	fPipeline      importField = "pipeline"
	fStage         importField = "stage"
	fStatus        importField = "status"
	fLostReason    importField = "lost_reason"
	fOwner         importField = "owner"
	fExpectedClose importField = "expected_close"
	fClosedAt      importField = "closed_at"
)

// The kinds of record import and export handle.
const (
	kindContacts = "contacts"
	kindLeads    = "leads"
	kindDeals    = "deals"
)

// checkKind refuses a kind of record import and export do not know.
func checkKind(kind string) error {
	switch kind {
	case kindContacts, kindLeads, kindDeals:
		return nil
	}
	return core.Errorf(core.KindInvalid, "unknown kind %q; use contacts, leads or deals", kind)
}

// importFields lists the fields of a kind, in the order help shows them.
func importFields(kind string) []importField {
	fs := []importField{fName, fFirstName, fLastName, fEmail, fPhone, fHandle, fCompany, fSubject, fMessage, fSource, fTeam, fExternalID, fCreatedAt, fTimeZone}
	if kind == kindDeals {
		fs = append(fs, fTitle, fValue, fCurrency, fPipeline, fStage, fStatus, fLostReason, fOwner, fExpectedClose, fClosedAt)
	}
	return fs
}

// exportOnly names the columns export writes for information that import
// does not take back for the kind (a lead's status and owner are work done
// in leadwire, not something a file can set).
func exportOnly(kind, key string) bool {
	switch kind {
	case kindLeads:
		return key == "status" || key == "owner" || key == "score" || key == "deal"
	case kindDeals:
		return key == "probability" || key == "lead"
	}
	return false
}

// headerKey makes headers comparable: lower case, letters and digits only
// ("E-mail Address" → "emailaddress").
func headerKey(h string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, h)
}

// fieldOfHeader maps a header to a field by name or common alias.
func fieldOfHeader(h string) (importField, bool) {
	switch headerKey(h) {
	case "name", "fullname", "contactname", "contact", "contactperson", "person":
		return fName, true
	case "firstname", "givenname", "forename":
		return fFirstName, true
	case "lastname", "surname", "familyname":
		return fLastName, true
	case "email", "emailaddress", "mail", "emails":
		return fEmail, true
	case "phone", "phonenumber", "telephone", "tel", "mobile", "mobilephone", "mobilenumber", "cell", "cellphone", "phones":
		return fPhone, true
	case "handle", "chathandle", "handles":
		return fHandle, true
	case "company", "companyname", "organization", "organisation", "org", "account", "accountname":
		return fCompany, true
	case "subject", "topic":
		return fSubject, true
	case "message", "notes", "note", "comment", "comments", "description":
		return fMessage, true
	case "source", "leadsource":
		return fSource, true
	case "team", "teamname":
		return fTeam, true
	case "externalid", "id", "recordid", "importid":
		return fExternalID, true
	case "createdat", "created", "createdon", "createddate", "datecreated":
		return fCreatedAt, true
	case "timezone", "tz", "timezonename":
		return fTimeZone, true
	case "title", "dealname", "dealtitle", "deal", "opportunity", "opportunityname":
		return fTitle, true
	case "value", "amount", "dealvalue", "dealamount":
		return fValue, true
	case "currency", "currencycode":
		return fCurrency, true
	case "pipeline":
		return fPipeline, true
	case "stage", "dealstage":
		return fStage, true
	case "status", "dealstatus":
		return fStatus, true
	case "lostreason", "reasonlost", "lossreason":
		return fLostReason, true
	case "owner", "owneremail", "dealowner", "assignedto", "salesrep":
		return fOwner, true
	case "expectedclose", "expectedclosedate", "closedate", "expectedclosingdate":
		return fExpectedClose, true
	case "closedat", "closedon", "dateclosed":
		return fClosedAt, true
	}
	return "", false
}

// ErrorColumn is the column the errors file adds; import skips it, so the
// errors file can be fixed and imported as it is.
const ErrorColumn = "import error"

// colRole says what one column becomes.
type colRole struct {
	field    importField // set: the column is this field
	meta     string      // set: kept as metadata under this key
	ignore   bool
	noHeader bool // a column without a header: a value in it is a problem
}

// columnMap is how a file's columns map to fields.
type columnMap struct {
	delim   rune
	header  []string
	roles   []colRole
	ignored []string // headers skipped, for the notes
}

// mapColumns maps header to the fields of kind: overrides first (--map
// "Header=field,…", a field may also be "ignore" or "metadata"), then
// names and aliases; the other columns are metadata.
func mapColumns(kind string, header []string, delim rune, overrides string) (*columnMap, error) {
	valid := map[importField]bool{}
	for _, f := range importFields(kind) {
		valid[f] = true
	}
	m := &columnMap{delim: delim, header: header, roles: make([]colRole, len(header))}
	set := make([]bool, len(header))
	for _, pair := range splitList(overrides) {
		i := strings.LastIndex(pair, "=")
		if i < 0 {
			return nil, core.Errorf(core.KindInvalid, "--map %q: write each mapping as \"CSV Header=field\"", pair)
		}
		h, target := strings.TrimSpace(pair[:i]), strings.ToLower(strings.TrimSpace(pair[i+1:]))
		col := slices.IndexFunc(header, func(x string) bool { return strings.EqualFold(x, h) })
		if col < 0 {
			return nil, core.Errorf(core.KindInvalid, "--map: the file has no column %q; its columns are %s", h, quoteList(header))
		}
		switch target {
		case "ignore", "-":
			m.roles[col] = colRole{ignore: true}
		case "metadata", "meta":
			m.roles[col] = colRole{meta: header[col]}
		default:
			f := importField(strings.ReplaceAll(target, " ", "_"))
			if !valid[f] {
				return nil, core.Errorf(core.KindInvalid, "--map: %q is not a field of --kind %s; use one of %s, or ignore or metadata", target, kind, fieldList(kind))
			}
			m.roles[col] = colRole{field: f}
		}
		set[col] = true
	}
	for i, h := range header {
		if set[i] {
			continue
		}
		switch f, ok := fieldOfHeader(h); {
		case h == "":
			m.roles[i] = colRole{ignore: true, noHeader: true}
		case strings.EqualFold(h, ErrorColumn):
			m.roles[i] = colRole{ignore: true}
		case ok && valid[f]:
			m.roles[i] = colRole{field: f}
		case exportOnly(kind, headerKey(h)):
			m.roles[i] = colRole{ignore: true}
			m.ignored = append(m.ignored, h)
		default:
			m.roles[i] = colRole{meta: strings.TrimPrefix(h, metaPrefix)}
		}
	}
	seen := map[importField]int{}
	for i, r := range m.roles {
		if r.field == "" {
			continue
		}
		if j, dup := seen[r.field]; dup {
			return nil, core.Errorf(core.KindInvalid, "columns %q and %q both map to %s; keep one, e.g. --map %q",
				header[j], header[i], r.field, header[i]+"=ignore")
		}
		seen[r.field] = i
	}
	if _, ok := seen[fEmail]; !ok {
		if _, ok := seen[fPhone]; !ok {
			if _, ok := seen[fHandle]; !ok {
				return nil, core.Errorf(core.KindInvalid, "no column is an email, phone or chat handle, and a contact needs one; the columns are %s: map one with --map \"Column=email\"", quoteList(header))
			}
		}
	}
	return m, nil
}

// metaPrefix marks an exported metadata column whose key would otherwise
// be read as a field.
const metaPrefix = "meta:"

// strays lists the values in columns without a header: a shifted row,
// most likely, which nothing should be imported from unchecked.
func (m *columnMap) strays(rec []string) []string {
	var out []string
	for i, v := range rec {
		if i < len(m.roles) && m.roles[i].noHeader && strings.TrimSpace(v) != "" {
			out = append(out, fmt.Sprintf("%q in column %d, which has no header", strings.TrimSpace(v), i+1))
		}
	}
	return out
}

// values splits a record into its fields and metadata; whitespace around
// values is dropped, empty values are left out.
func (m *columnMap) values(rec []string) (map[importField]string, map[string]string) {
	vals := map[importField]string{}
	var meta map[string]string
	for i, v := range rec {
		if i >= len(m.roles) {
			break
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		switch r := m.roles[i]; {
		case r.field != "":
			vals[r.field] = v
		case r.meta != "":
			if meta == nil {
				meta = map[string]string{}
			}
			meta[r.meta] = v
		}
	}
	return vals, meta
}

// metaHeaders lists the columns kept as metadata.
func (m *columnMap) metaHeaders() []string {
	var out []string
	for i, r := range m.roles {
		if r.meta != "" {
			out = append(out, m.header[i])
		}
	}
	return out
}

func fieldList(kind string) string {
	var names []string
	for _, f := range importFields(kind) {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"golang.org/x/text/unicode/norm"

	"leadwire/core"
)

// Search terms are kept to this many bytes; longer words are cut, on a rune
// boundary, alike when indexed and when searched for.
const maxTermBytes = 96

// termEnd follows every string that starts with a prefix, in the bytewise
// order of both databases (SQLite BINARY, PostgreSQL COLLATE "C"): a prefix
// search is the range [prefix, prefix+termEnd).
const termEnd = "\U0010FFFF"

// Search implements core.Reader. Every word of the query must prefix one of
// a contact's terms; hits come in the order of the term matched, then by id.
// Only contacts within the filter's reach are looked at: a filter that
// reaches nobody finds nothing.
func (r *reader) Search(ctx context.Context, f core.SearchFilter) ([]core.SearchHit, error) {
	query := f.Query
	terms := queryTerms(query)
	reach, reachArgs, anyone := searchReach(f, "st.team_id", "st.contact_id")
	if len(terms) == 0 || !anyone {
		return nil, nil
	}
	limit := pageSize(f.Limit)
	// Scan the range of the word that matches fewest terms and check the
	// others per contact.
	if err := r.rarestFirst(ctx, terms); err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	q := `SELECT st.term, st.contact_id FROM search_terms st`
	var w where
	if reach != "" {
		w.add(reach, reachArgs...)
	}
	w.add("st.term >= ? AND st.term < ?", terms[0], terms[0]+termEnd)
	for _, t := range terms[1:] {
		w.add(`EXISTS (SELECT 1 FROM search_terms s2
			WHERE s2.contact_id = st.contact_id AND s2.term >= ? AND s2.term < ?)`, t, t+termEnd)
	}

	// A contact may match through several terms: read in batches, in
	// index order, until limit distinct contacts.
	type match struct {
		Term      string `db:"term"`
		ContactID int64  `db:"contact_id"`
	}
	batch := 2*limit + 8
	seen := make(map[int64]bool, limit)
	var ids []int64
	var last *match
	for len(ids) < limit {
		page := w
		page.conds = slices.Clip(page.conds)
		page.args = slices.Clip(page.args)
		if last != nil {
			page.add("(st.term, st.contact_id) > (?, ?)", last.Term, last.ContactID)
		}
		var rows []match
		if err := r.sel(ctx, &rows, q+page.String()+` ORDER BY st.term, st.contact_id LIMIT ?`,
			append(page.args, batch)...); err != nil {
			return nil, fmt.Errorf("search %q: %w", query, err)
		}
		for _, m := range rows {
			if !seen[m.ContactID] && len(ids) < limit {
				seen[m.ContactID] = true
				ids = append(ids, m.ContactID)
			}
		}
		if len(rows) < batch {
			break
		}
		last = &rows[len(rows)-1]
	}
	return r.searchHits(ctx, ids, f)
}

// searchReach is the condition a search's reach puts on a row with the
// team and contact columns named ("" for everyone), and whether it reaches
// anyone at all.
func searchReach(f core.SearchFilter, teamCol, contactCol string) (cond string, args []any, anyone bool) {
	if f.Everyone {
		return "", nil, true
	}
	var or []string
	if f.TeamID != 0 {
		or, args = append(or, teamCol+" = ?"), append(args, f.TeamID)
	}
	if f.OwnerID != 0 {
		or = append(or, `EXISTS (SELECT 1 FROM leads ol WHERE ol.contact_id = `+contactCol+` AND ol.owner_id = ?)`,
			`EXISTS (SELECT 1 FROM deals od WHERE od.contact_id = `+contactCol+` AND od.owner_id = ?)`)
		args = append(args, f.OwnerID, f.OwnerID)
	}
	if len(or) == 0 {
		return "", nil, false
	}
	return "(" + strings.Join(or, " OR ") + ")", args, true
}

// recordReach is the condition a search's reach puts on a lead or deal
// aliased x: the team's, or the owner's.
func recordReach(f core.SearchFilter, x string) (string, []any) {
	if f.Everyone {
		return "", nil
	}
	var or []string
	var args []any
	if f.TeamID != 0 {
		or, args = append(or, x+".team_id = ?"), append(args, f.TeamID)
	}
	if f.OwnerID != 0 {
		or, args = append(or, x+".owner_id = ?"), append(args, f.OwnerID)
	}
	return " AND (" + strings.Join(or, " OR ") + ")", args
}

// rarestFirst moves to the front the term whose prefix matches fewest
// search terms, counting each only up to a cap, and otherwise the longest.
func (r *reader) rarestFirst(ctx context.Context, terms []string) error {
	slices.SortStableFunc(terms, func(a, b string) int { return len(b) - len(a) })
	if len(terms) < 2 {
		return nil
	}
	const enough = 500
	best, bestN := 0, enough+1
	for i, t := range terms {
		var n int
		if err := r.get(ctx, &n, `SELECT COUNT(*) FROM (SELECT 1 FROM search_terms
			WHERE term >= ? AND term < ? LIMIT ?) AS m`, t, t+termEnd, enough); err != nil {
			return err
		}
		if n < bestN {
			best, bestN = i, n
		}
	}
	terms[0], terms[best] = terms[best], terms[0]
	return nil
}

// searchHits loads the hits of contacts ids, in that order, each with its
// newest lead and deal within the filter's reach.
func (r *reader) searchHits(ctx context.Context, ids []int64, f core.SearchFilter) ([]core.SearchHit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	leadReach, leadArgs := recordReach(f, "l")
	dealReach, dealArgs := recordReach(f, "d")
	args := append([]any{core.IdentityEmail, core.IdentityPhone}, leadArgs...)
	args = append(append(args, dealArgs...), ids)
	type hitRow struct {
		ContactID int64  `db:"id"`
		Name      string `db:"name"`
		Company   string `db:"company"`
		Email     string `db:"email"`
		Phone     string `db:"phone"`
		LeadID    int64  `db:"lead_id"`
		DealID    int64  `db:"deal_id"`
	}
	q, args, err := sqlx.In(`SELECT c.id, c.name, c.company,
		COALESCE((SELECT ci.value FROM contact_identities ci
			WHERE ci.contact_id = c.id AND ci.kind = ? ORDER BY ci.id LIMIT 1), '') AS email,
		COALESCE((SELECT ci.value FROM contact_identities ci
			WHERE ci.contact_id = c.id AND ci.kind = ? ORDER BY ci.id LIMIT 1), '') AS phone,
		COALESCE((SELECT MAX(l.id) FROM leads l WHERE l.contact_id = c.id`+leadReach+`), 0) AS lead_id,
		COALESCE((SELECT MAX(d.id) FROM deals d WHERE d.contact_id = c.id`+dealReach+`), 0) AS deal_id
		FROM contacts c WHERE c.id IN (?)`, args...)
	if err != nil {
		return nil, fmt.Errorf("search hits: %w", err)
	}
	var rows []hitRow
	if err := r.sel(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("search hits: %w", err)
	}
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	hits := make([]core.SearchHit, len(rows))
	for _, h := range rows {
		hits[at[h.ContactID]] = core.SearchHit(h)
	}
	return hits, nil
}

// contactTerms lists what a contact is found by: the words of its name and
// company, each email whole and its local part and domain, the company
// domain, and phone numbers as digits (E.164 without the '+').
func contactTerms(c *core.Contact) []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		t = clip(t)
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, w := range words(c.Name) {
		add(w)
	}
	for _, w := range words(c.Company) {
		add(w)
	}
	for _, e := range c.Emails {
		e = fold(e)
		add(e)
		if i := strings.LastIndexByte(e, '@'); i >= 0 {
			add(e[:i])
			add(e[i+1:])
		}
	}
	add(fold(c.Domain))
	for _, p := range c.Phones {
		add(digits(p))
	}
	for _, p := range c.InvalidPhones { // not valid numbers, but findable as written
		add(digits(p))
	}
	return out
}

// queryTerms splits a search query into the prefixes to look up, the same
// way contactTerms splits what it indexes: a phone number becomes its
// digits, an email or a domain stays whole, other text becomes words.
func queryTerms(q string) []string {
	q = fold(strings.TrimSpace(q))
	if phoneLike(q) {
		return []string{clip(digits(q))}
	}
	var out []string
	for _, f := range strings.Fields(q) {
		if strings.Contains(f, "@") || domainLike(f) {
			out = append(out, clip(f))
			continue
		}
		for _, w := range words(f) {
			out = append(out, clip(w))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// fold is the case- and form-insensitive spelling of s: lower case, NFC,
// and the Arabic Yeh and Kaf written as their Persian forms, which Persian
// keyboards type interchangeably.
func fold(s string) string {
	s = strings.ToLower(s)
	if ascii(s) {
		return s // already NFC, and no Arabic letters
	}
	return persianLetters.Replace(norm.NFC.String(s))
}

// persianLetters writes the Arabic Yeh and Kaf as their Persian forms.
var persianLetters = strings.NewReplacer("ي", "ی", "ك", "ک", "ى", "ی")

func ascii(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// words splits s into folded words of letters, digits and combining marks
// (Thai vowels and tone marks, Persian diacritics belong to their word).
func words(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// phoneLike reports whether q is made of digits and the punctuation phone
// numbers are written with.
func phoneLike(q string) bool {
	return strings.ContainsAny(q, "0123456789") && strings.Trim(q, "0123456789+-(). ") == ""
}

// domainLike reports whether f looks like a domain, "acme.co.th": dotted
// parts of letters, digits and hyphens, the last of two or more characters.
func domainLike(f string) bool {
	parts := strings.Split(f, ".")
	if len(parts) < 2 || utf8.RuneCountInString(parts[len(parts)-1]) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.IndexFunc(p, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
		}) >= 0 {
			return false
		}
	}
	return true
}

// clip cuts t to maxTermBytes on a rune boundary.
func clip(t string) string {
	if len(t) <= maxTermBytes {
		return t
	}
	n := maxTermBytes
	for n > 0 && !utf8.RuneStart(t[n]) {
		n--
	}
	return t[:n]
}

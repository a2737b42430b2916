package core

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// ContactKey is what the duplicate listing compares of a contact.
type ContactKey struct {
	ID        int64
	Name      string
	Company   string
	CompanyID int64
	TeamID    int64
}

// Why two contacts look like one person.
const (
	ReasonSamePhone   = "same phone, different emails"
	ReasonSameHandle  = "same chat handle, different names or emails"
	ReasonNameCompany = "same name and company"
	ReasonNearName    = "near-identical names (diacritics, scripts or word order differ)"
)

// Duplicate is a pair of contacts that may be one person, and why; a
// person decides (Merge).
type Duplicate struct {
	ContactID int64 // the older
	OtherID   int64
	Reason    string
	Detail    string // the phone, the names, the company
}

// duplicatePage is how many contacts the listing reads at a time.
const duplicatePage = 20000

// Duplicates lists likely duplicates within actor's reach, at most limit
// (0: 500): contacts kept apart by capture that share a phone or handle,
// contacts of one name and company, and contacts whose names differ only
// in case, accents, look-alike letters of another script or word order.
// Managers see their team's, admins every team's.
func (s *Service) Duplicates(ctx context.Context, actor *User, limit int) ([]Duplicate, error) {
	teamID := int64(0)
	switch {
	case actor.Role == RoleAdmin:
	case actor.Role == RoleManager && actor.TeamID != 0:
		teamID = actor.TeamID
	default:
		return nil, Fail(KindForbidden, "error.duplicates_forbidden", "only managers (for their team) and admins may list duplicates; they decide merges")
	}
	if limit <= 0 {
		limit = 500
	}
	var out []Duplicate
	// marked are the pairs capture marked. Every other pair is made of
	// a contact and an older one when the contact is read, at most two
	// for it (same name and company; near name), so only those two and
	// the marked pairs can repeat: no set of every pair is needed.
	marked := map[[2]int64]bool{}
	var last [2]int64 // the pair added last
	add := func(d Duplicate) bool {
		if d.ContactID > d.OtherID {
			d.ContactID, d.OtherID = d.OtherID, d.ContactID
		}
		k := [2]int64{d.ContactID, d.OtherID}
		if k != last && !marked[k] {
			last = k
			out = append(out, d)
		}
		return len(out) < limit
	}
	marks, err := s.store.PossibleDuplicates(ctx, 0, limit*4)
	if err != nil {
		return nil, err
	}
	for _, m := range marks {
		a, err := s.store.ContactByID(ctx, m.ContactID)
		if err != nil {
			continue // merged away or erased since
		}
		b, err := s.store.ContactByID(ctx, m.OtherID)
		if err != nil || a.MergedInto != 0 || b.MergedInto != 0 {
			continue
		}
		if teamID != 0 && (a.TeamID != teamID || b.TeamID != teamID) {
			continue
		}
		reason := ReasonSamePhone
		if m.Kind == IdentityHandle {
			reason = ReasonSameHandle
		}
		if !add(Duplicate{ContactID: a.ID, OtherID: b.ID, Reason: reason, Detail: m.Value}) {
			return out, nil
		}
		marked[last] = true
	}
	last = [2]int64{}
	// A group is the contacts of one name key. Each contact is checked
	// against its group only: no pairwise comparison.
	type group struct {
		first     int64            // the group's first contact
		firstName string           // its name as written
		spellings []string         // names as written seen in the group, at most 8
		byCompany map[string]int64 // company name key → first contact
		byID      map[int64]int64  // company record → first contact
	}
	groups := map[string]*group{} // name key → group
	byName := map[string]*group{} // name as written → its group; nil: no key
	f := newFolder()
	// The next page is read while this one is grouped: two threads, so
	// the reading does not wait for the grouping, nor the other way.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := s.contactPages(ctx, teamID)
	for p := range pages {
		if p.err != nil {
			return nil, p.err
		}
		keys := p.keys
		for i := range keys {
			k := &keys[i]
			g, seen := byName[k.Name]
			if !seen {
				if nk := f.nameKey(k.Name); nk != "" {
					if g = groups[nk]; g == nil {
						g = &group{first: k.ID, firstName: k.Name}
						groups[nk] = g
					}
				}
				byName[k.Name] = g
			}
			if g == nil {
				continue
			}
			// Same name and company: the company record, else its name.
			var first int64
			var found bool
			if k.CompanyID != 0 {
				if g.byID == nil {
					g.byID = map[int64]int64{}
				}
				if first, found = g.byID[k.CompanyID]; !found {
					g.byID[k.CompanyID] = k.ID
				}
			} else if ck := f.companyKey(k.Company); ck != "" {
				if g.byCompany == nil {
					g.byCompany = map[string]int64{}
				}
				if first, found = g.byCompany[ck]; !found {
					g.byCompany[ck] = k.ID
				}
			}
			if found && !add(Duplicate{ContactID: first, OtherID: k.ID, Reason: ReasonNameCompany, Detail: k.Name + " · " + k.Company}) {
				return out, nil
			}
			if g.first != k.ID && !slices.Contains(g.spellings, k.Name) && k.Name != g.firstName {
				if !add(Duplicate{ContactID: g.first, OtherID: k.ID, Reason: ReasonNearName, Detail: g.firstName + " ≈ " + k.Name}) {
					return out, nil
				}
				if len(g.spellings) < 8 {
					g.spellings = append(g.spellings, k.Name)
				}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err // the pages stopped short
	}
	// Pairs are unique, so an unstable sort orders them all the same.
	slices.SortFunc(out, func(a, b Duplicate) int {
		if c := cmp.Compare(a.ContactID, b.ContactID); c != 0 {
			return c
		}
		return cmp.Compare(a.OtherID, b.OtherID)
	})
	return out, nil
}

// lookAlike maps letters that fold to nothing else but read as a Latin
// letter: ł and đ have no decomposition, and Cyrillic and Greek letters
// that look Latin are how a name typed on another keyboard differs.
var lookAlike = strings.NewReplacer(
	"ł", "l", "đ", "d", "ø", "o", "ß", "ss", "æ", "ae", "œ", "oe", "ı", "i", "þ", "th",
	"а", "a", "в", "b", "е", "e", "ё", "e", "к", "k", "м", "m", "н", "h", "о", "o", "р", "p", "с", "c", "т", "t", "у", "y", "х", "x", "і", "i",
	"α", "a", "β", "b", "ε", "e", "ι", "i", "κ", "k", "ν", "v", "ο", "o", "ρ", "p", "τ", "t", "υ", "u", "χ", "x",
)

// NameKey folds a name for finding near-identical ones: case, accents,
// full-width forms and look-alike letters of other scripts go, and the
// words are sorted, so "Łukasz Żółkiewski", "ZOLKIEWSKI Lukasz" and
// "Lukasz Zolkiewski" share a key.
func NameKey(name string) string { return newFolder().nameKey(name) }

// folder folds names and company names, remembering what it folded: at a
// million contacts the same names and companies come again and again.
type folder struct {
	accents   transform.Transformer
	fold      cases.Caser
	names     map[string]string
	companies map[string]string
}

func newFolder() *folder {
	return &folder{accents: transform.Chain(width.Fold, norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC),
		fold: cases.Fold(), names: map[string]string{}, companies: map[string]string{}}
}

func (f *folder) nameKey(name string) string {
	if k, ok := f.names[name]; ok {
		return k
	}
	words := f.words(name, true)
	slices.Sort(words)
	k := strings.Join(words, " ")
	f.names[name] = k
	return k
}

// keyPage is one page of contact keys, or the error that ended the reading.
type keyPage struct {
	keys []ContactKey
	err  error
}

// contactPages reads the contact keys of the team (0: all) page after
// page, one ahead of the reader, until the last page, an error, or ctx's
// end; it closes the channel then.
func (s *Service) contactPages(ctx context.Context, teamID int64) <-chan keyPage {
	pages := make(chan keyPage, 1)
	go func() {
		defer close(pages)
		var after int64
		for {
			keys, err := s.store.ContactKeys(ctx, teamID, after, duplicatePage)
			select {
			case pages <- keyPage{keys, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || len(keys) < duplicatePage {
				return
			}
			after = keys[len(keys)-1].ID
		}
	}()
	return pages
}

func (f *folder) companyKey(company string) string {
	if k, ok := f.companies[company]; ok {
		return k
	}
	k := strings.Join(f.words(company, false), " ")
	f.companies[company] = k
	return k
}

// words folds s and splits it into words; lookAlike also maps letters of
// other scripts that read as Latin ones.
func (f *folder) words(s string, lookAlikes bool) []string {
	if !isASCII(s) {
		if folded, _, err := transform.String(f.accents, s); err == nil {
			s = folded
		}
		s = f.fold.String(s)
		if lookAlikes {
			s = lookAlike.Replace(s)
		}
	} else {
		s = strings.ToLower(s)
	}
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

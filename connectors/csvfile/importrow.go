package csvfile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"leadwire/core"
)

// importRefs is what rows refer to, loaded once: teams, users and
// pipelines, and the settings that decide defaults.
type importRefs struct {
	kind      string
	source    string // the inbound source: "import:" + the file's base name
	team      string // --team, the canonical name
	actor     *core.User
	settings  core.Settings
	teams     []core.Team
	users     map[string]*core.User // by normalized email
	pipelines []core.Pipeline
	locale    string // how values are written: --locale, else the actor's
}

func loadImportRefs(ctx context.Context, svc *core.Service, actor *core.User, kind, source, team, locale string) (*importRefs, error) {
	dir := svc.Directory
	if locale == "" {
		locale = actor.Locale
	}
	r := &importRefs{kind: kind, source: source, actor: actor, settings: svc.Settings(), users: map[string]*core.User{}, locale: locale}
	var err error
	if r.teams, err = dir.Teams(ctx); err != nil {
		return nil, err
	}
	users, err := dir.Users(ctx, core.UserFilter{})
	if err != nil {
		return nil, err
	}
	for i := range users {
		r.users[strings.ToLower(users[i].Email)] = &users[i]
	}
	if r.pipelines, err = dir.Pipelines(ctx); err != nil {
		return nil, err
	}
	if team != "" {
		t, err := r.teamNamed(team)
		if err != nil {
			return nil, fmt.Errorf("--team: %w", err)
		}
		r.team = t.Name
	}
	return r, nil
}

func (r *importRefs) teamNamed(name string) (*core.Team, error) {
	for i := range r.teams {
		if strings.EqualFold(r.teams[i].Name, strings.TrimSpace(name)) {
			return &r.teams[i], nil
		}
	}
	names := make([]string, len(r.teams))
	for i, t := range r.teams {
		names[i] = t.Name
	}
	if len(names) == 0 {
		return nil, core.Errorf(core.KindInvalid, "unknown team %q; no teams are configured", name)
	}
	return nil, core.Errorf(core.KindInvalid, "unknown team %q; teams are %s", name, strings.Join(names, ", "))
}

func (r *importRefs) teamByID(id int64) *core.Team {
	for i := range r.teams {
		if r.teams[i].ID == id {
			return &r.teams[i]
		}
	}
	return nil
}

func (r *importRefs) pipelineNamed(name string) (*core.Pipeline, error) {
	var names []string
	for i := range r.pipelines {
		p := &r.pipelines[i]
		if name == "" && p.IsDefault || name != "" && strings.EqualFold(p.Name, name) {
			return p, nil
		}
		names = append(names, p.Name)
	}
	if name == "" && len(r.pipelines) > 0 {
		return &r.pipelines[0], nil
	}
	return nil, core.Errorf(core.KindInvalid, "unknown pipeline %q; pipelines are %s", name, strings.Join(names, ", "))
}

// owner is the user a deal row names, or the actor; a deal needs a real,
// active user, as core checks again when it writes.
func (r *importRefs) owner(email string) (*core.User, error) {
	u := r.actor
	if email != "" {
		e, err := core.NormalizeEmail(email)
		if err != nil {
			return nil, core.Errorf(core.KindInvalid, "invalid owner %q; write the owner as a user's email", email)
		}
		if u = r.users[e]; u == nil {
			return nil, core.Errorf(core.KindInvalid, "unknown owner %q; the owner must be a leadwire user (see leadwire users list)", email)
		}
	}
	if u.ID == 0 {
		return nil, core.Errorf(core.KindInvalid, "a deal needs an owner: give the row an owner (a user's email), or import --as EMAIL")
	}
	if !u.Active {
		return nil, core.Errorf(core.KindInvalid, "owner %s is not an active user", u.Email)
	}
	return u, nil
}

// importRow is one data row on its way in.
type importRow struct {
	num    int      // spreadsheet row number
	record []string // as read, for the errors file
	deal   core.DealImport
}

// prepare checks a record and turns it into what core takes: everything
// core would refuse is found here, so a dry run reports it too. It returns
// the row's problems (nil when it is fine) and whether the row is blank.
func (r *importRefs) prepare(num int, rec []string, cols *columnMap) (row importRow, problems []string, blank bool) {
	row = importRow{num: num, record: rec}
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, v := range rec {
		if !utf8.ValidString(v) {
			bad("the row is not UTF-8 text; save the file as \"CSV UTF-8\" and import it again")
			return row, problems, false
		}
	}
	if n, want := len(rec), len(cols.header); n != want {
		extraBlank := n > want && strings.TrimSpace(strings.Join(rec[want:], "")) == ""
		if !extraBlank {
			bad("the row has %d columns, the header has %d; check for a stray %q or a missing one", n, want, string(cols.delim))
			return row, problems, false
		}
	}
	if strays := cols.strays(rec); len(strays) > 0 {
		bad("a value in a column without a header: %s; give the column a header or clear it", strings.Join(strays, ", "))
		return row, problems, false
	}
	vals, meta := cols.values(rec)
	if len(vals) == 0 && len(meta) == 0 {
		return row, nil, true
	}
	problem := func(err error) { problems = append(problems, core.Message(err)) }

	in := core.Inbound{Channel: core.ChannelImport, Source: r.source, ExternalID: rowKey(r.kind, vals, meta),
		Name: vals[fName], Email: vals[fEmail], Phone: vals[fPhone], Handle: vals[fHandle], Company: vals[fCompany],
		Subject: vals[fSubject], Text: vals[fMessage], TimeZone: vals[fTimeZone]}
	if in.Name == "" {
		in.Name = strings.TrimSpace(vals[fFirstName] + " " + vals[fLastName])
	}
	if s := vals[fCreatedAt]; s != "" {
		t, err := parseWhen(s)
		if err != nil {
			bad("invalid created_at %q; write it as YYYY-MM-DD or like 2026-11-05T14:30:00Z", s)
		}
		in.ReceivedAt = t
	}

	// The team decides the phone region: the row's, else --team, else the
	// owner's (deals) or the actor's (contacts), else the first team.
	var team *core.Team
	if name := vals[fTeam]; name != "" {
		t, err := r.teamNamed(name)
		if err != nil {
			problem(err)
		} else {
			team, in.Team = t, t.Name
		}
	} else if r.team != "" {
		team, _ = r.teamNamed(r.team)
		in.Team = team.Name
	}

	d := core.DealImport{}
	if r.kind == kindDeals {
		owner, err := r.owner(vals[fOwner])
		if err != nil {
			problem(err)
		} else {
			d.Owner = owner.Email
			if team == nil && vals[fTeam] == "" {
				team = r.teamByID(owner.TeamID)
			}
		}
		r.prepareDeal(vals, &d, bad, problem)
	}
	if team == nil && vals[fTeam] == "" && r.kind == kindContacts {
		team = r.teamByID(r.actor.TeamID)
	}
	if team == nil && vals[fTeam] == "" && len(r.teams) > 0 {
		team = &r.teams[0]
	}
	region := r.settings.DefaultRegion
	if team != nil && team.Region != "" {
		region = team.Region
	}
	// What core refuses of the contact, read the way core reads it; what
	// it would keep otherwise than written, core says when it writes.
	if in.Email == "" && in.Phone == "" && in.Handle == "" {
		bad("no email, phone or chat handle: a contact needs at least one to be reached by")
	} else {
		for _, err := range core.ReadInbound(in, region).Problems {
			problem(err)
		}
	}

	if src := vals[fSource]; src != "" {
		if meta == nil {
			meta = map[string]string{}
		}
		meta["source"] = src
	}
	if r.kind == kindContacts {
		// A contact keeps no metadata: what the row says besides the
		// contact goes into the note on its timeline.
		in.Text = strings.TrimSpace(in.Text + "\n\n" + metaLines(meta))
	} else {
		in.Metadata = meta
	}
	d.Inbound = in
	row.deal = d
	return row, problems, false
}

func (r *importRefs) prepareDeal(vals map[importField]string, d *core.DealImport, bad func(string, ...any), problem func(error)) {
	d.Title = vals[fTitle]
	cur := vals[fCurrency]
	if cur == "" {
		cur = r.settings.Currency
	}
	if v := vals[fValue]; v != "" {
		m, err := core.ParseMoneyIn(v, cur, r.locale)
		if err == nil {
			err = core.CheckDealValue(m)
		}
		if err != nil {
			problem(err)
		} else {
			d.Value = m
		}
	} else if c, err := core.NormalizeCurrency(cur); err != nil {
		problem(err)
	} else {
		d.Value.Currency = c
	}
	if s := vals[fStatus]; s != "" {
		switch headerKey(s) {
		case "open":
			d.Status = core.DealOpen
		case "won", "closedwon":
			d.Status = core.DealWon
		case "lost", "closedlost":
			d.Status = core.DealLost
		default:
			bad("unknown status %q; use open, won or lost", s)
			d.Status = core.DealOpen
		}
	}
	d.Pipeline, d.Stage, d.LostReason = vals[fPipeline], vals[fStage], vals[fLostReason]
	var to *core.Stage // nil: unknown, after a problem
	if p, err := r.pipelineNamed(d.Pipeline); err != nil {
		problem(err)
	} else {
		d.Pipeline = p.Name
		if _, to, err = core.ResolveDealStage(p, d.Stage, d.Status); err != nil {
			problem(err)
		}
	}
	if to != nil && to.Kind == core.StageLost && d.LostReason == "" {
		var codes []string
		for _, reason := range r.settings.LostReasons {
			codes = append(codes, reason.Code)
		}
		bad("a lost deal needs a lost reason; one of: %s, or your own words", strings.Join(codes, ", "))
	}
	if s := vals[fExpectedClose]; s != "" {
		t, err := parseDate(s)
		if err != nil {
			bad("invalid expected_close %q; write it as YYYY-MM-DD", s)
		}
		d.ExpectedClose = t
	}
	if s := vals[fClosedAt]; s != "" {
		t, err := parseWhen(s)
		switch {
		case err != nil:
			bad("invalid closed_at %q; write it as YYYY-MM-DD or like 2026-11-05T14:30:00Z", s)
		case to != nil && to.Kind == core.StageOpen:
			bad("closed_at %q is set but the deal is open; give it status won or lost, or leave closed_at empty", s)
		}
		d.ClosedAt = t
	}
}

// parseWhen reads a date or a time: RFC 3339, "2006-01-02 15:04:05" (UTC)
// or a bare date.
func parseWhen(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339, time.DateTime, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, core.Errorf(core.KindInvalid, "invalid time %q", s)
}

func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, core.Errorf(core.KindInvalid, "invalid date %q; write it as YYYY-MM-DD", s)
	}
	return t, nil
}

// rowKey is the idempotency key of a row: its external_id, else a hash of
// its values, so importing the same file again adds nothing. Contact and
// deal rows get a prefix of their own: a file imported as contacts and then
// as deals is two imports.
func rowKey(kind string, vals map[importField]string, meta map[string]string) string {
	key := vals[fExternalID]
	if key == "" {
		var parts []string
		for f, v := range vals {
			parts = append(parts, string(f)+"="+v)
		}
		for k, v := range meta {
			parts = append(parts, "meta:"+k+"="+v)
		}
		slices.Sort(parts)
		sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
		key = "row:" + hex.EncodeToString(sum[:12])
	}
	switch kind {
	case kindContacts:
		return "contact:" + key
	case kindDeals:
		return "deal:" + key
	}
	return key
}

// metaLines renders metadata as "key: value" lines, sorted by key.
func metaLines(meta map[string]string) string {
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, meta[k])
	}
	return strings.TrimSpace(b.String())
}

package core

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
)

// Directory is who is who: it applies the configured organisation, adds
// and changes users, links chat accounts, keeps API tokens, and looks up
// users, teams and pipelines for the front ends that must tell who is
// asking before they ask the other services anything.
type Directory struct {
	store    DirectoryStore
	clock    Clock
	timeZone string // a new user's zone when none is given
	log      *slog.Logger
	names    namesCache
}

// DirectoryStore is the part of the Store the Directory needs.
type DirectoryStore interface {
	DirectoryReader
	TokenReader
	Setting(ctx context.Context, key string) (string, error)
	Update(ctx context.Context, fn func(Tx) error) error
}

// NewDirectory returns the Directory over store; NewService makes one.
func NewDirectory(store DirectoryStore, clock Clock, timeZone string, log *slog.Logger) *Directory {
	return &Directory{store: store, clock: clock, timeZone: timeZone, log: log}
}

// UserByID finds a user, active or not.
func (d *Directory) UserByID(ctx context.Context, id int64) (*User, error) {
	return d.store.UserByID(ctx, id)
}

// UserByEmail finds a user by email, in any letter case.
func (d *Directory) UserByEmail(ctx context.Context, email string) (*User, error) {
	return d.store.UserByEmail(ctx, email)
}

// UserBySlackID finds the user linked to a Slack account.
func (d *Directory) UserBySlackID(ctx context.Context, slackID string) (*User, error) {
	return d.store.UserBySlackID(ctx, slackID)
}

// UserByTelegramID finds the user linked to a Telegram account.
func (d *Directory) UserByTelegramID(ctx context.Context, telegramID int64) (*User, error) {
	return d.store.UserByTelegramID(ctx, telegramID)
}

// Users lists the users f selects.
func (d *Directory) Users(ctx context.Context, f UserFilter) ([]User, error) {
	return d.store.ListUsers(ctx, f)
}

// TeamByID finds a team.
func (d *Directory) TeamByID(ctx context.Context, id int64) (*Team, error) {
	return d.store.TeamByID(ctx, id)
}

// TeamByName finds a team by its name.
func (d *Directory) TeamByName(ctx context.Context, name string) (*Team, error) {
	return d.store.TeamByName(ctx, name)
}

// Teams lists every team.
func (d *Directory) Teams(ctx context.Context) ([]Team, error) {
	return d.store.ListTeams(ctx)
}

// PipelineByID finds a pipeline with its stages.
func (d *Directory) PipelineByID(ctx context.Context, id int64) (*Pipeline, error) {
	return d.store.PipelineByID(ctx, id)
}

// PipelineByName finds a pipeline by name, in any letter case; "" is the
// default pipeline.
func (d *Directory) PipelineByName(ctx context.Context, name string) (*Pipeline, error) {
	if name == "" {
		return d.store.DefaultPipeline(ctx)
	}
	return d.store.PipelineByName(ctx, name)
}

// DefaultPipeline is the pipeline deals go to when none is named.
func (d *Directory) DefaultPipeline(ctx context.Context) (*Pipeline, error) {
	return d.store.DefaultPipeline(ctx)
}

// Pipelines lists every pipeline with its stages.
func (d *Directory) Pipelines(ctx context.Context) ([]Pipeline, error) {
	return d.store.ListPipelines(ctx)
}

// TeamViewer is who a team's channel is shown as: any rep of the team,
// in the organisation's zone. A card posted to the channel offers what
// every member may do (Claim) and nothing only some of them may.
func TeamViewer(teamID int64, timeZone string) *User {
	return &User{Role: RoleRep, TeamID: teamID, TimeZone: timeZone, Active: true}
}

// OrgDef is the configured organisation: teams, users, pipelines and
// targets, applied at start.
type OrgDef struct {
	Teams     []TeamDef
	Users     []UserDef
	Pipelines []PipelineDef
	Targets   []TargetDef
}

// Sync upserts the configured directory in one transaction: teams by name,
// users by email (users added with the CLI are kept), pipelines by name
// (stage ids survive edits), and targets.
//
// The configuration wins at every start for the fields it sets: a
// configured user changed since (with the CLI, a chat link) gets the
// configured values back; fields the configuration leaves out keep what
// was set. A directory applied before whose users are as configured is
// not applied again, so commands that only read take no write lock.
func (d *Directory) Sync(ctx context.Context, dir OrgDef) error {
	sum, err := json.Marshal(dir)
	if err != nil {
		return fmt.Errorf("apply configured directory: %w", err)
	}
	fingerprint := fmt.Sprintf("%x", sha256.Sum256(sum))
	if applied, err := d.store.Setting(ctx, directoryKey); err != nil {
		return err
	} else if applied == fingerprint {
		changed, err := d.usersChanged(ctx, dir.Users)
		if err != nil || len(changed) == 0 {
			return err
		}
		d.log.Info("configured users changed since the configuration was applied; applying it again", "users", changed)
	}
	ctx = WithVia(ctx, ViaConfig)
	err = d.store.Update(ctx, func(tx Tx) error {
		teams := map[string]*Team{}
		for _, def := range dir.Teams {
			t, err := d.saveTeam(ctx, tx, def)
			if err != nil {
				return err
			}
			teams[strings.ToLower(def.Name)] = t
		}
		for _, def := range dir.Users {
			if _, err := d.saveUser(ctx, tx, nil, def); err != nil {
				return err
			}
		}
		for _, def := range dir.Teams {
			if def.Manager == "" {
				continue
			}
			m, err := tx.UserByEmail(ctx, def.Manager)
			if err != nil {
				return fmt.Errorf("team %q manager: %w", def.Name, err)
			}
			t := teams[strings.ToLower(def.Name)]
			if t.ManagerID == m.ID {
				continue
			}
			t.ManagerID = m.ID
			if err := tx.UpdateTeam(ctx, t); err != nil {
				return err
			}
			if err := d.audit(ctx, tx, nil, AuditEntry{Action: "team.update", Actor: "config", Target: t.Name,
				Changes: []FieldChange{{Field: "manager", After: m.Email}}}); err != nil {
				return err
			}
		}
		for _, def := range dir.Pipelines {
			if err := d.savePipeline(ctx, tx, pipelineOf(def)); err != nil {
				return err
			}
		}
		for _, def := range dir.Targets {
			t := Target{Month: def.Month, Amount: def.Amount}
			if def.User != "" {
				u, err := tx.UserByEmail(ctx, def.User)
				if err != nil {
					return fmt.Errorf("target for %s: %w", def.User, err)
				}
				t.UserID = u.ID
			} else {
				tm, err := tx.TeamByName(ctx, def.Team)
				if err != nil {
					return fmt.Errorf("target for team %s: %w", def.Team, err)
				}
				t.TeamID = tm.ID
			}
			if err := d.setTarget(ctx, tx, t, cmpText(def.User, def.Team)); err != nil {
				return err
			}
		}
		return tx.PutSetting(ctx, directoryKey, fingerprint)
	})
	if err != nil {
		return fmt.Errorf("apply configured teams, users and pipelines: %w", err)
	}
	return nil
}

// directoryKey is the setting holding the fingerprint of the directory
// applied last.
const directoryKey = "directory"

// usersChanged lists the configured users whose stored fields differ from
// what the configuration sets (or who are gone).
func (d *Directory) usersChanged(ctx context.Context, defs []UserDef) ([]string, error) {
	if len(defs) == 0 {
		return nil, nil
	}
	users, err := d.store.ListUsers(ctx, UserFilter{})
	if err != nil {
		return nil, fmt.Errorf("check configured users: %w", err)
	}
	teams, err := d.store.ListTeams(ctx)
	if err != nil {
		return nil, fmt.Errorf("check configured users: %w", err)
	}
	teamOf := map[int64]string{}
	for _, t := range teams {
		teamOf[t.ID] = t.Name
	}
	byEmail := map[string]*User{}
	for i := range users {
		byEmail[users[i].Email] = &users[i]
	}
	var changed []string
	for _, def := range defs {
		email, err := NormalizeEmail(def.Email)
		if err != nil {
			return nil, Errorf(KindInvalid, "invalid user email %q", def.Email)
		}
		if u := byEmail[email]; u == nil || len(ConfiguredDifferences(def, u, teamOf[u.TeamID])) > 0 {
			changed = append(changed, email)
		}
	}
	return changed, nil
}

// ConfiguredDifferences names the fields the configuration sets for a
// user (def) that u, in team, has otherwise: "team Bangkok", "role rep".
func ConfiguredDifferences(def UserDef, u *User, team string) []string {
	var out []string
	differ := func(field, want, have string) {
		if want != "" && want != have {
			out = append(out, field+" "+want)
		}
	}
	differ("name", cleanLine(def.Name), u.Name)
	differ("role", string(def.Role), string(u.Role))
	if def.Team != "" && !strings.EqualFold(def.Team, team) {
		out = append(out, "team "+def.Team)
	}
	differ("time zone", def.TimeZone, u.TimeZone)
	differ("locale", def.Locale, u.Locale)
	differ("calendar", def.Calendar, string(u.Calendar))
	differ("digits", def.Digits, string(u.Digits))
	differ("Slack", def.SlackID, u.SlackID)
	if def.TelegramID != 0 && def.TelegramID != u.TelegramID {
		out = append(out, fmt.Sprintf("Telegram %d", def.TelegramID))
	}
	return out
}

// pipelineOf turns a configured pipeline into one with Won and Lost added.
func pipelineOf(def PipelineDef) *Pipeline {
	p := &Pipeline{Name: def.Name, IsDefault: def.Default}
	for i, sd := range def.Stages {
		p.Stages = append(p.Stages, Stage{Name: sd.Name, Position: i + 1, Probability: sd.Probability, RotDays: sd.RotDays, Kind: StageOpen, Labels: sd.Labels})
	}
	n := len(def.Stages)
	p.Stages = append(p.Stages,
		Stage{Name: "Won", Position: n + 1, Probability: 100, Kind: StageWon},
		Stage{Name: "Lost", Position: n + 2, Probability: 0, Kind: StageLost})
	return p
}

func (d *Directory) saveTeam(ctx context.Context, tx Tx, def TeamDef) (*Team, error) {
	limit := def.ResponseLimit
	if limit <= 0 {
		limit = DefaultResponseLimit
	}
	t, err := tx.TeamByName(ctx, def.Name)
	switch {
	case IsNotFound(err):
		t = &Team{Name: def.Name}
	case err != nil:
		return nil, err
	}
	was := teamFields(t)
	t.SlackChannel, t.TelegramChat, t.Email, t.ResponseLimit, t.Region = def.SlackChannel, def.TelegramChat, def.Email, limit, strings.ToUpper(def.Region)
	t.Locale = def.Locale
	t.Visibility = def.Visibility
	if t.Visibility == "" {
		t.Visibility = VisibilityOwn
	}
	action := "team.update"
	if t.ID == 0 {
		action = "team.create"
		if err := tx.CreateTeam(ctx, t); err != nil {
			return nil, err
		}
	} else if err := tx.UpdateTeam(ctx, t); err != nil {
		return nil, err
	}
	changes := diffFields(was, teamFields(t))
	if len(changes) == 0 {
		return t, nil
	}
	return t, d.audit(ctx, tx, nil, AuditEntry{Action: action, Actor: "config", Target: t.Name, Changes: changes})
}

func teamFields(t *Team) map[string]string {
	if t.ID == 0 {
		return map[string]string{}
	}
	return map[string]string{"slack channel": t.SlackChannel, "telegram chat": t.TelegramChat, "email": t.Email,
		"response limit": t.ResponseLimit.String(), "region": t.Region, "locale": t.Locale, "visibility": string(t.Visibility)}
}

// savePipeline saves a configured pipeline, recording what changed.
func (d *Directory) savePipeline(ctx context.Context, tx Tx, p *Pipeline) error {
	before := ""
	action := "pipeline.create"
	if old, err := tx.PipelineByName(ctx, p.Name); err == nil {
		before, action = stagesText(old), "pipeline.update"
	} else if !IsNotFound(err) {
		return err
	}
	if err := tx.SavePipeline(ctx, p); err != nil {
		return err
	}
	if after := stagesText(p); after != before {
		return d.audit(ctx, tx, nil, AuditEntry{Action: action, Actor: "config", Target: p.Name,
			Changes: []FieldChange{{Field: "stages", Before: before, After: after}}})
	}
	return nil
}

// stagesText is a pipeline's stages as the audit log shows them.
func stagesText(p *Pipeline) string {
	parts := make([]string, len(p.Stages))
	for i, st := range p.Stages {
		parts[i] = fmt.Sprintf("%s %d%%", st.Name, st.Probability)
		if st.RotDays > 0 {
			parts[i] += fmt.Sprintf(" rots %dd", st.RotDays)
		}
	}
	text := strings.Join(parts, ", ")
	if p.IsDefault {
		text += " (default)"
	}
	return text
}

// setTarget sets a configured target, recording it when it changed.
func (d *Directory) setTarget(ctx context.Context, tx Tx, t Target, whose string) error {
	before := ""
	have, err := tx.ListTargets(ctx, t.Month)
	if err != nil {
		return err
	}
	for _, h := range have {
		if h.UserID == t.UserID && h.TeamID == t.TeamID {
			before = h.Amount.String()
		}
	}
	if err := tx.SetTarget(ctx, t); err != nil {
		return err
	}
	if before == t.Amount.String() {
		return nil
	}
	return d.audit(ctx, tx, nil, AuditEntry{Action: "target.set", Actor: "config", User: t.UserID, Target: whose + " " + t.Month,
		Changes: []FieldChange{{Field: "target", Before: before, After: t.Amount.String()}}})
}

func cmpText(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// saveUser creates or updates the user with def's email; empty fields of
// def leave the stored values alone.
func (d *Directory) saveUser(ctx context.Context, tx Tx, actor *User, def UserDef) (*User, error) {
	email, err := NormalizeEmail(def.Email)
	if err != nil || email == "" {
		return nil, Errorf(KindInvalid, "invalid user email %q", def.Email)
	}
	if err := ValidateTimeZone(def.TimeZone); err != nil {
		return nil, err
	}
	u, err := tx.UserByEmail(ctx, email)
	switch {
	case IsNotFound(err):
		u = &User{Email: email, Role: RoleRep, Active: true, CreatedAt: d.clock.Now(), TimeZone: d.timeZone}
	case err != nil:
		return nil, err
	}
	was := *u
	if def.Name != "" {
		u.Name = cleanLine(def.Name)
	}
	if def.Role != "" {
		role, err := ParseRole(string(def.Role))
		if err != nil {
			return nil, err
		}
		u.Role = role
	}
	if def.Team != "" {
		t, err := tx.TeamByName(ctx, def.Team)
		if err != nil {
			return nil, err
		}
		u.TeamID = t.ID
	}
	if def.TimeZone != "" {
		u.TimeZone = def.TimeZone
	}
	if def.Locale != "" {
		u.Locale = def.Locale
	}
	if def.Calendar != "" {
		cal, err := ParseCalendar(def.Calendar)
		if err != nil {
			return nil, err
		}
		u.Calendar = cal
	}
	if def.Digits != "" {
		dg, err := ParseDigits(def.Digits)
		if err != nil {
			return nil, err
		}
		u.Digits = dg
	}
	if def.SlackID != "" {
		u.SlackID = def.SlackID
	}
	if def.TelegramID != 0 {
		u.TelegramID = def.TelegramID
	}
	action := "user.update"
	if u.ID == 0 {
		action = "user.create"
		if err := tx.CreateUser(ctx, u); err != nil {
			return nil, err
		}
	} else if err := tx.UpdateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, d.auditUser(ctx, tx, actor, action, &was, u)
}

// SaveUser creates or updates a user (the CLI's users add and set); only
// an admin may, or nobody at all on the command line (actor nil).
func (d *Directory) SaveUser(ctx context.Context, actor *User, def UserDef) (*User, error) {
	if actor != nil && actor.Role != RoleAdmin {
		return nil, Errorf(KindForbidden, "only an admin manages users")
	}
	var u *User
	err := d.store.Update(ctx, func(tx Tx) error {
		var err error
		u, err = d.saveUser(ctx, tx, actor, def)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("save user %s: %w", def.Email, err)
	}
	return u, nil
}

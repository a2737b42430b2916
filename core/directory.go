package core

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
)

// Directory is the configured organisation: teams, users, pipelines and
// targets, applied at start.
type Directory struct {
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
func (s *Service) Sync(ctx context.Context, dir Directory) error {
	sum, err := json.Marshal(dir)
	if err != nil {
		return fmt.Errorf("apply configured directory: %w", err)
	}
	fingerprint := fmt.Sprintf("%x", sha256.Sum256(sum))
	if applied, err := s.store.Setting(ctx, directoryKey); err != nil {
		return err
	} else if applied == fingerprint {
		changed, err := s.usersChanged(ctx, dir.Users)
		if err != nil || len(changed) == 0 {
			return err
		}
		s.log.Info("configured users changed since the configuration was applied; applying it again", "users", changed)
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		teams := map[string]*Team{}
		for _, def := range dir.Teams {
			t, err := s.saveTeam(ctx, tx, def)
			if err != nil {
				return err
			}
			teams[strings.ToLower(def.Name)] = t
		}
		for _, def := range dir.Users {
			if _, err := s.saveUser(WithVia(ctx, ViaConfig), tx, nil, def); err != nil {
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
			t.ManagerID = m.ID
			if err := tx.UpdateTeam(ctx, t); err != nil {
				return err
			}
		}
		for _, def := range dir.Pipelines {
			if err := tx.SavePipeline(ctx, pipelineOf(def)); err != nil {
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
			if err := tx.SetTarget(ctx, t); err != nil {
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
func (s *Service) usersChanged(ctx context.Context, defs []UserDef) ([]string, error) {
	if len(defs) == 0 {
		return nil, nil
	}
	users, err := s.store.ListUsers(ctx, UserFilter{})
	if err != nil {
		return nil, fmt.Errorf("check configured users: %w", err)
	}
	teams, err := s.store.ListTeams(ctx)
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
		p.Stages = append(p.Stages, Stage{Name: sd.Name, Position: i + 1, Probability: sd.Probability, RotDays: sd.RotDays, Kind: StageOpen})
	}
	n := len(def.Stages)
	p.Stages = append(p.Stages,
		Stage{Name: "Won", Position: n + 1, Probability: 100, Kind: StageWon},
		Stage{Name: "Lost", Position: n + 2, Probability: 0, Kind: StageLost})
	return p
}

func (s *Service) saveTeam(ctx context.Context, tx Tx, def TeamDef) (*Team, error) {
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
	t.SlackChannel, t.TelegramChat, t.ResponseLimit, t.Region = def.SlackChannel, def.TelegramChat, limit, strings.ToUpper(def.Region)
	if t.ID == 0 {
		return t, tx.CreateTeam(ctx, t)
	}
	return t, tx.UpdateTeam(ctx, t)
}

// saveUser creates or updates the user with def's email; empty fields of
// def leave the stored values alone.
func (s *Service) saveUser(ctx context.Context, tx Tx, actor *User, def UserDef) (*User, error) {
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
		u = &User{Email: email, Role: RoleRep, Active: true, CreatedAt: s.clock.Now(), TimeZone: s.settings.TimeZone}
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
	return u, s.auditUser(ctx, tx, actor, action, &was, u)
}

// SaveUser creates or updates a user (the CLI's users add and set); only
// an admin may, or nobody at all on the command line (actor nil).
func (s *Service) SaveUser(ctx context.Context, actor *User, def UserDef) (*User, error) {
	if actor != nil && actor.Role != RoleAdmin {
		return nil, Errorf(KindForbidden, "only an admin manages users")
	}
	var u *User
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		u, err = s.saveUser(ctx, tx, actor, def)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("save user %s: %w", def.Email, err)
	}
	return u, nil
}

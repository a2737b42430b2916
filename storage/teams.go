package storage

import (
	"context"
	"fmt"
	"time"

	"leadwire/core"
)

const teamCols = `id, name, manager_id, slack_channel, telegram_chat, email, response_limit_ns, region, last_assigned_id, locale, visibility`

type teamRow struct {
	ID            int64  `db:"id"`
	Name          string `db:"name"`
	ManagerID     nullID `db:"manager_id"`
	SlackChannel  string `db:"slack_channel"`
	TelegramChat  string `db:"telegram_chat"`
	Email         string `db:"email"`
	ResponseLimit int64  `db:"response_limit_ns"`
	Region        string `db:"region"`
	LastAssigned  nullID `db:"last_assigned_id"`
	Locale        string `db:"locale"`
	Visibility    string `db:"visibility"`
}

func (r *teamRow) team() *core.Team {
	return &core.Team{
		ID:            r.ID,
		Name:          r.Name,
		ManagerID:     int64(r.ManagerID),
		SlackChannel:  r.SlackChannel,
		TelegramChat:  r.TelegramChat,
		Email:         r.Email,
		ResponseLimit: time.Duration(r.ResponseLimit),
		Region:        r.Region,
		LastAssigned:  int64(r.LastAssigned),
		Locale:        r.Locale,
		Visibility:    core.Visibility(r.Visibility),
	}
}

func (r *reader) teamWhere(ctx context.Context, notFound error, cond string, arg any) (*core.Team, error) {
	var row teamRow
	err := r.get(ctx, &row, `SELECT `+teamCols+` FROM teams WHERE `+cond, arg)
	if err := found(err, notFound, "get team"); err != nil {
		return nil, err
	}
	return row.team(), nil
}

// TeamByID implements core.Reader.
func (r *reader) TeamByID(ctx context.Context, id int64) (*core.Team, error) {
	return r.teamWhere(ctx, core.Errorf(core.KindNotFound, "team %d not found", id), "id = ?", id)
}

// TeamByName implements core.Reader; the name is matched case-insensitively.
func (r *reader) TeamByName(ctx context.Context, name string) (*core.Team, error) {
	return r.teamWhere(ctx, core.Errorf(core.KindNotFound, "team %q not found", name), "name_key = ?", key(name))
}

// ListTeams implements core.Reader, in id order.
func (r *reader) ListTeams(ctx context.Context) ([]core.Team, error) {
	var rows []teamRow
	if err := r.sel(ctx, &rows, `SELECT `+teamCols+` FROM teams ORDER BY id`); err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	out := make([]core.Team, len(rows))
	for i := range rows {
		out[i] = *rows[i].team()
	}
	return out, nil
}

// CreateTeam implements core.Tx. Team names are unique, ignoring case.
func (t *Tx) CreateTeam(ctx context.Context, tm *core.Team) error {
	err := t.withSavepoint(ctx, func() error {
		newID, err := t.insert(ctx, `INSERT INTO teams (name, name_key, manager_id, slack_channel, telegram_chat, email,
			response_limit_ns, region, last_assigned_id, locale, visibility) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tm.Name, key(tm.Name), ref(tm.ManagerID), tm.SlackChannel, tm.TelegramChat, tm.Email,
			int64(tm.ResponseLimit), tm.Region, ref(tm.LastAssigned), tm.Locale, visibility(tm.Visibility))
		tm.ID = newID
		return err
	})
	return teamConflict(err, tm, "create team")
}

// UpdateTeam implements core.Tx.
func (t *Tx) UpdateTeam(ctx context.Context, tm *core.Team) error {
	err := t.withSavepoint(ctx, func() error {
		return t.update(ctx, core.Errorf(core.KindNotFound, "team %d not found", tm.ID),
			`UPDATE teams SET name = ?, name_key = ?, manager_id = ?, slack_channel = ?, telegram_chat = ?, email = ?,
			response_limit_ns = ?, region = ?, last_assigned_id = ?, locale = ?, visibility = ? WHERE id = ?`,
			tm.Name, key(tm.Name), ref(tm.ManagerID), tm.SlackChannel, tm.TelegramChat, tm.Email,
			int64(tm.ResponseLimit), tm.Region, ref(tm.LastAssigned), tm.Locale, visibility(tm.Visibility), tm.ID)
	})
	return teamConflict(err, tm, "update team")
}

func teamConflict(err error, tm *core.Team, op string) error {
	if err == nil || core.KindOf(err) != core.KindInternal {
		return err
	}
	if _, ok := uniqueViolation(err); ok {
		return core.Errorf(core.KindConflict, "team %q already exists", tm.Name)
	}
	return fmt.Errorf("%s %q: %w", op, tm.Name, err)
}

// visibility is how a team's visibility is stored: "" is own.
func visibility(v core.Visibility) string {
	if v == "" {
		return string(core.VisibilityOwn)
	}
	return string(v)
}

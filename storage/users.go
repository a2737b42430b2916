package storage

import (
	"context"
	"fmt"
	"strings"

	"leadwire/core"
)

const userCols = `id, email, name, role, team_id, time_zone, locale, chat_locale, calendar, digits, slack_id, telegram_id, active, created_at`

type userRow struct {
	ID         int64    `db:"id"`
	Email      string   `db:"email"`
	Name       string   `db:"name"`
	Role       string   `db:"role"`
	TeamID     nullID   `db:"team_id"`
	TimeZone   string   `db:"time_zone"`
	Locale     string   `db:"locale"`
	ChatLocale string   `db:"chat_locale"`
	Calendar   string   `db:"calendar"`
	Digits     string   `db:"digits"`
	SlackID    nullStr  `db:"slack_id"`
	TelegramID nullID   `db:"telegram_id"`
	Active     bool     `db:"active"`
	CreatedAt  nullTime `db:"created_at"`
}

func (r *userRow) user() *core.User {
	return &core.User{
		ID:         r.ID,
		Email:      r.Email,
		Name:       r.Name,
		Role:       core.Role(r.Role),
		TeamID:     int64(r.TeamID),
		TimeZone:   r.TimeZone,
		Locale:     r.Locale,
		ChatLocale: r.ChatLocale,
		Calendar:   core.Calendar(r.Calendar),
		Digits:     core.Digits(r.Digits),
		SlackID:    string(r.SlackID),
		TelegramID: int64(r.TelegramID),
		Active:     r.Active,
		CreatedAt:  r.CreatedAt.t,
	}
}

// key is the case-insensitive form of a name or email that lookups and
// uniqueness use.
func key(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (r *reader) userWhere(ctx context.Context, notFound error, cond string, arg any) (*core.User, error) {
	var row userRow
	err := r.get(ctx, &row, `SELECT `+userCols+` FROM users WHERE `+cond, arg)
	if err := found(err, notFound, "get user"); err != nil {
		return nil, err
	}
	return row.user(), nil
}

// UserByID implements core.Reader.
func (r *reader) UserByID(ctx context.Context, id int64) (*core.User, error) {
	return r.userWhere(ctx, core.Errorf(core.KindNotFound, "user %d not found", id), "id = ?", id)
}

// UserByEmail implements core.Reader; the email is matched case-insensitively.
func (r *reader) UserByEmail(ctx context.Context, email string) (*core.User, error) {
	return r.userWhere(ctx, core.Fail(core.KindNotFound, "error.user_not_found", "user {Email} not found", "Email", email), "email_key = ?", key(email))
}

// UserBySlackID implements core.Reader.
func (r *reader) UserBySlackID(ctx context.Context, slackID string) (*core.User, error) {
	return r.userWhere(ctx, core.Errorf(core.KindNotFound, "no user is linked to Slack user %s", slackID), "slack_id = ?", slackID)
}

// UserByTelegramID implements core.Reader.
func (r *reader) UserByTelegramID(ctx context.Context, telegramID int64) (*core.User, error) {
	return r.userWhere(ctx, core.Errorf(core.KindNotFound, "no user is linked to Telegram user %d", telegramID), "telegram_id = ?", telegramID)
}

// ListUsers implements core.Reader, in id order.
func (r *reader) ListUsers(ctx context.Context, f core.UserFilter) ([]core.User, error) {
	var w where
	if f.TeamID != 0 {
		w.add("team_id = ?", f.TeamID)
	}
	if f.Role != "" {
		w.add("role = ?", string(f.Role))
	}
	var rows []userRow
	if err := r.sel(ctx, &rows, `SELECT `+userCols+` FROM users`+w.String()+` ORDER BY id`, w.args...); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	out := make([]core.User, len(rows))
	for i := range rows {
		out[i] = *rows[i].user()
	}
	return out, nil
}

// CreateUser implements core.Tx. A second user with the same email, Slack
// or Telegram id is a conflict.
func (t *Tx) CreateUser(ctx context.Context, u *core.User) error {
	err := t.withSavepoint(ctx, func() error {
		newID, err := t.insert(ctx, `INSERT INTO users (email, email_key, name, role, team_id, time_zone, locale,
			chat_locale, calendar, digits, slack_id, telegram_id, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Email, key(u.Email), u.Name, string(u.Role), ref(u.TeamID), u.TimeZone, u.Locale, u.ChatLocale, string(u.Calendar), string(u.Digits),
			str(u.SlackID), ref(u.TelegramID), u.Active, t.d.time(u.CreatedAt))
		u.ID = newID
		return err
	})
	if err != nil {
		return userConflict(err, u, "create user")
	}
	return nil
}

// UpdateUser implements core.Tx.
func (t *Tx) UpdateUser(ctx context.Context, u *core.User) error {
	err := t.withSavepoint(ctx, func() error {
		return t.update(ctx, core.Errorf(core.KindNotFound, "user %d not found", u.ID),
			`UPDATE users SET email = ?, email_key = ?, name = ?, role = ?, team_id = ?, time_zone = ?,
			locale = ?, chat_locale = ?, calendar = ?, digits = ?, slack_id = ?, telegram_id = ?, active = ?, created_at = ? WHERE id = ?`,
			u.Email, key(u.Email), u.Name, string(u.Role), ref(u.TeamID), u.TimeZone, u.Locale, u.ChatLocale, string(u.Calendar), string(u.Digits),
			str(u.SlackID), ref(u.TelegramID), u.Active, t.d.time(u.CreatedAt), u.ID)
	})
	if err != nil {
		return userConflict(err, u, "update user")
	}
	return nil
}

// userConflict turns a unique violation into a conflict naming what is
// taken, and wraps other errors with op.
func userConflict(err error, u *core.User, op string) error {
	if core.KindOf(err) != core.KindInternal {
		return err
	}
	c, ok := uniqueViolation(err)
	switch {
	case !ok:
		return fmt.Errorf("%s %s: %w", op, u.Email, err)
	case strings.Contains(c, "slack"):
		return core.Errorf(core.KindConflict, "Slack user %s is already linked to another user", u.SlackID)
	case strings.Contains(c, "telegram"):
		return core.Errorf(core.KindConflict, "Telegram user %d is already linked to another user", u.TelegramID)
	}
	return core.Errorf(core.KindConflict, "user %s already exists", u.Email)
}

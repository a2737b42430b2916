-- Languages and calendars: the locale a user's chat account reports
-- (Slack's user locale, Telegram's language_code), used when the user has
-- none of their own; the calendar a user reads dates in; the language of a
-- team's channel.

-- +goose Up
ALTER TABLE users ADD COLUMN chat_locale TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN calendar TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN locale TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE teams DROP COLUMN locale;
ALTER TABLE users DROP COLUMN calendar;
ALTER TABLE users DROP COLUMN chat_locale;

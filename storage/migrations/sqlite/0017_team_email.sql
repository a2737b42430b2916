-- A team's email address (a shared mailbox or a list): team notices such
-- as new leads reach a team without Slack or Telegram by email.

-- +goose Up
ALTER TABLE teams ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE teams DROP COLUMN email;

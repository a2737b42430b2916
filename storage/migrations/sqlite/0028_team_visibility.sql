-- What a team's reps read: own (their own leads and deals, the default)
-- or team (every lead and deal of the team; they still change only their
-- own).

-- +goose Up
ALTER TABLE teams ADD COLUMN visibility TEXT NOT NULL DEFAULT 'own';

-- +goose Down
ALTER TABLE teams DROP COLUMN visibility;

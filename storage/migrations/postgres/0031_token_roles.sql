-- Integration tokens: a token that acts as no user carries a role (and,
-- for a manager, a team) of its own.

-- +goose Up
ALTER TABLE api_tokens ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN team_id BIGINT REFERENCES teams (id);

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN team_id;
ALTER TABLE api_tokens DROP COLUMN role;

-- API tokens: what a token may do (a comma-separated list of scopes; ''
-- is an intake token made before scopes existed) and the user it acts as.

-- +goose Up
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN user_id BIGINT REFERENCES users (id);

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN user_id;
ALTER TABLE api_tokens DROP COLUMN scopes;

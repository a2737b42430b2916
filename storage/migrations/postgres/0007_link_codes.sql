-- One-time codes that link a Telegram account to a user; only a hash of
-- each code is kept.

-- +goose Up
CREATE TABLE link_codes (
    hash       TEXT        PRIMARY KEY, -- hex SHA-256 of the code
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    used_by    BIGINT
);
CREATE INDEX link_codes_expires ON link_codes (expires_at);

-- +goose Down
DROP TABLE link_codes;

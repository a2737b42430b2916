-- One-time codes that link a Telegram account to a user; only a hash of
-- each code is kept.

-- +goose Up
CREATE TABLE link_codes (
    hash       TEXT    PRIMARY KEY, -- hex SHA-256 of the code
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    used_by    BIGINT
);
CREATE INDEX link_codes_expires ON link_codes (expires_at);

-- +goose Down
DROP TABLE link_codes;

-- The webhook intake: the tokens senders authenticate with (only a hash of
-- each secret is kept) and the log of every delivery, refused ones too.

-- +goose Up
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    source       TEXT    NOT NULL DEFAULT '',
    hash         TEXT    NOT NULL UNIQUE, -- hex SHA-256 of the secret
    hint         TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
-- A name is unique among tokens in force; a revoked token's name is free.
CREATE UNIQUE INDEX api_tokens_name ON api_tokens (name) WHERE revoked_at IS NULL;

CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    source      TEXT    NOT NULL DEFAULT '',
    token       TEXT    NOT NULL DEFAULT '', -- the token's name
    status      INTEGER NOT NULL,
    outcome     TEXT    NOT NULL,
    ref         TEXT    NOT NULL DEFAULT '',
    error       TEXT    NOT NULL DEFAULT '',
    external_id TEXT    NOT NULL DEFAULT '',
    size        BIGINT  NOT NULL DEFAULT 0,
    body        BLOB
);
CREATE INDEX webhook_deliveries_source ON webhook_deliveries (source, id);
CREATE INDEX webhook_deliveries_at ON webhook_deliveries (at);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE api_tokens;

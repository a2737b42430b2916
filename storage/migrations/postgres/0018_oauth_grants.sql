-- OAuth 2.0 grants a connector keeps (a mailbox's delegated sign-in): the
-- refresh and access tokens sealed together in secret with the secrets key
-- (AES-GCM, bound to the connector's name), never stored in the clear.
-- version counts saves, so a replica stores a refresh only over the grant
-- it read.

-- +goose Up
CREATE TABLE oauth_grants (
    connector  TEXT    NOT NULL PRIMARY KEY,
    provider   TEXT    NOT NULL,
    account    TEXT    NOT NULL,
    secret     BYTEA    NOT NULL,
    expiry     TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version    BIGINT  NOT NULL
);

-- +goose Down
DROP TABLE oauth_grants;

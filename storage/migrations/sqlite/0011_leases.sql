-- Leases: a part that must run on one replica only (an IMAP mailbox, the
-- Telegram long polling) holds its lease while it runs and renews it; when
-- the holder stops renewing, the lease expires and another replica takes it.

-- +goose Up
CREATE TABLE leases (
    name       TEXT NOT NULL PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE leases;

-- Outgoing webhooks: subscriptions, the outbox of events (written in the
-- transaction of the change) and one delivery per event and subscription,
-- kept as the delivery log.

-- +goose Up
CREATE TABLE hooks (
    id              INTEGER PRIMARY KEY,
    url             TEXT    NOT NULL,
    events          TEXT    NOT NULL,             -- comma-separated event types
    secret          BLOB    NOT NULL,             -- the whsec_ secret, sealed
    description     TEXT    NOT NULL DEFAULT '',
    created_by      TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    disabled_at     INTEGER,
    disabled_reason TEXT    NOT NULL DEFAULT '',
    failing_since   INTEGER
);

CREATE TABLE hook_events (
    id     TEXT    PRIMARY KEY,                   -- evt_…
    type   TEXT    NOT NULL,
    record TEXT    NOT NULL,                      -- L12, D45, T7
    at     INTEGER NOT NULL,
    data   TEXT    NOT NULL
);

CREATE TABLE hook_deliveries (
    id           INTEGER PRIMARY KEY,
    hook_id      BIGINT  NOT NULL REFERENCES hooks (id) ON DELETE CASCADE,
    event_id     TEXT    NOT NULL REFERENCES hook_events (id),
    event_type   TEXT    NOT NULL,
    record       TEXT    NOT NULL,
    state        TEXT    NOT NULL,                -- pending, delivered, failed
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    next_at      INTEGER NOT NULL,
    last_at      INTEGER,
    status       INTEGER NOT NULL DEFAULT 0,
    latency_ms   BIGINT  NOT NULL DEFAULT 0,
    excerpt      TEXT    NOT NULL DEFAULT '',
    error        TEXT    NOT NULL DEFAULT '',
    delivered_at INTEGER
);
-- The dispatcher's two questions: what is due, and is an earlier event of
-- the same record and subscription still pending.
CREATE INDEX hook_deliveries_due ON hook_deliveries (next_at, id) WHERE state = 'pending';
CREATE INDEX hook_deliveries_record ON hook_deliveries (hook_id, record, id) WHERE state = 'pending';
CREATE INDEX hook_deliveries_hook ON hook_deliveries (hook_id, id);
CREATE INDEX hook_deliveries_event ON hook_deliveries (event_id);

-- +goose Down
DROP TABLE hook_deliveries;
DROP TABLE hook_events;
DROP TABLE hooks;

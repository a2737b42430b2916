-- What connectors need to be resumable and observable: their checkpoints
-- (saved with what they captured), counters by outcome and reason, the last
-- error, and the raw copy of what could not be parsed.

-- +goose Up
CREATE TABLE connector_checkpoints (
    connector TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (connector, key)
);

CREATE TABLE connector_status (
    connector  TEXT NOT NULL PRIMARY KEY,
    last_sync  INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    error_at   INTEGER
);

CREATE TABLE connector_counts (
    connector TEXT   NOT NULL,
    counter   TEXT   NOT NULL,
    n         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (connector, counter)
);

CREATE TABLE failed_inbounds (
    id          INTEGER PRIMARY KEY,
    connector   TEXT NOT NULL,
    external_id TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL,
    raw         BLOB,
    at          INTEGER NOT NULL
);
CREATE INDEX failed_inbounds_connector ON failed_inbounds (connector, id);

CREATE INDEX leads_contact_created ON leads (contact_id, created_at);

-- +goose Down
DROP INDEX leads_contact_created;
DROP TABLE failed_inbounds;
DROP TABLE connector_counts;
DROP TABLE connector_status;
DROP TABLE connector_checkpoints;

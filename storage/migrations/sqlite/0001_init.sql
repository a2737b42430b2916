-- The leadwire schema on SQLite. Times are INTEGER Unix microseconds (UTC),
-- NULL when unset; ids of other rows are NULL when there is none.

-- +goose Up
CREATE TABLE teams (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL,
    name_key          TEXT    NOT NULL UNIQUE, -- lower-cased name
    manager_id        INTEGER REFERENCES users (id),
    slack_channel     TEXT    NOT NULL DEFAULT '',
    telegram_chat     TEXT    NOT NULL DEFAULT '',
    response_limit_ns INTEGER NOT NULL DEFAULT 0,
    region            TEXT    NOT NULL DEFAULT '',
    last_assigned_id  INTEGER REFERENCES users (id)
);

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    email       TEXT    NOT NULL,
    email_key   TEXT    NOT NULL UNIQUE, -- lower-cased email
    name        TEXT    NOT NULL DEFAULT '',
    role        TEXT    NOT NULL,
    team_id     INTEGER REFERENCES teams (id),
    time_zone   TEXT    NOT NULL DEFAULT '',
    locale      TEXT    NOT NULL DEFAULT '',
    slack_id    TEXT    UNIQUE,
    telegram_id INTEGER UNIQUE,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  INTEGER
);
CREATE INDEX users_team ON users (team_id);

CREATE TABLE pipelines (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL UNIQUE,
    is_default BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE stages (
    id          INTEGER PRIMARY KEY,
    pipeline_id INTEGER NOT NULL REFERENCES pipelines (id),
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    probability INTEGER NOT NULL DEFAULT 0,
    rot_days    INTEGER NOT NULL DEFAULT 0,
    kind        TEXT    NOT NULL,
    UNIQUE (pipeline_id, name_key)
);

CREATE TABLE contacts (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL DEFAULT '',
    company    TEXT    NOT NULL DEFAULT '',
    domain     TEXT    NOT NULL DEFAULT '',
    source     TEXT    NOT NULL DEFAULT '',
    team_id    INTEGER REFERENCES teams (id),
    created_at INTEGER,
    updated_at INTEGER
);

CREATE TABLE contact_identities (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    UNIQUE (kind, value)
);
CREATE INDEX contact_identities_contact ON contact_identities (contact_id, id);

-- Lower-cased words of names and companies, emails, their local parts and
-- domains, and phone digits: Search scans term ranges by prefix.
CREATE TABLE search_terms (
    term       TEXT    NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    team_id    INTEGER, -- the contact's, so the team filter needs no join
    PRIMARY KEY (term, contact_id)
) WITHOUT ROWID;
CREATE INDEX search_terms_contact ON search_terms (contact_id, term);

CREATE TABLE leads (
    id                INTEGER PRIMARY KEY,
    contact_id        INTEGER REFERENCES contacts (id),
    team_id           INTEGER REFERENCES teams (id),
    owner_id          INTEGER REFERENCES users (id),
    status            TEXT    NOT NULL,
    source_channel    TEXT    NOT NULL DEFAULT '',
    source_name       TEXT    NOT NULL DEFAULT '',
    subject           TEXT    NOT NULL DEFAULT '',
    message           TEXT    NOT NULL DEFAULT '',
    score             INTEGER NOT NULL DEFAULT 0,
    score_hits        TEXT,    -- JSON
    disqualify_reason TEXT    NOT NULL DEFAULT '',
    deal_id           INTEGER REFERENCES deals (id),
    metadata          TEXT,    -- JSON
    created_at        INTEGER,
    claimed_at        INTEGER,
    first_response_at INTEGER,
    last_activity_at  INTEGER,
    updated_at        INTEGER,
    response_s        REAL,    -- first_response_at - created_at, for Stats
    deal_status       TEXT     -- status of the lead's deal, for Stats
);
CREATE INDEX leads_team_status ON leads (team_id, status, id);
CREATE INDEX leads_owner_status ON leads (owner_id, status, id);
CREATE INDEX leads_status ON leads (status, id);
CREATE INDEX leads_contact ON leads (contact_id, id);
CREATE INDEX leads_response ON leads (response_s) WHERE response_s IS NOT NULL;
-- Covers Stats' lead funnel, grouped by source and owner without sorting.
CREATE INDEX leads_stats ON leads (source_channel, owner_id, deal_status, response_s, team_id, created_at);

CREATE TABLE deals (
    id               INTEGER PRIMARY KEY,
    title            TEXT    NOT NULL DEFAULT '',
    contact_id       INTEGER REFERENCES contacts (id),
    lead_id          INTEGER REFERENCES leads (id),
    owner_id         INTEGER REFERENCES users (id),
    team_id          INTEGER REFERENCES teams (id),
    pipeline_id      INTEGER REFERENCES pipelines (id),
    stage_id         INTEGER REFERENCES stages (id),
    amount           INTEGER NOT NULL DEFAULT 0,
    currency         TEXT    NOT NULL DEFAULT '',
    expected_close   INTEGER,
    probability      INTEGER, -- NULL: the stage's default
    status           TEXT    NOT NULL,
    lost_reason      TEXT    NOT NULL DEFAULT '',
    qualification    TEXT,    -- JSON
    source           TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER,
    updated_at       INTEGER,
    stage_changed_at INTEGER,
    closed_at        INTEGER,
    last_activity_at INTEGER,
    cycle_s          REAL     -- closed_at - created_at, for Stats
);
CREATE INDEX deals_owner_status ON deals (owner_id, status, id);
CREATE INDEX deals_team_status ON deals (team_id, status, id);
-- Cover Stats: all deals grouped by owner, status and currency; open deals
-- by stage (also the rotting check).
CREATE INDEX deals_stats ON deals (owner_id, status, currency, amount, cycle_s, team_id, pipeline_id, created_at);
CREATE INDEX deals_open ON deals (stage_id, currency, expected_close, amount, probability, owner_id, team_id,
    pipeline_id, created_at, last_activity_at) WHERE status = 'open';
CREATE INDEX deals_contact ON deals (contact_id, id);
CREATE INDEX deals_pipeline_stage ON deals (pipeline_id, stage_id);

CREATE TABLE stage_changes (
    id          INTEGER PRIMARY KEY,
    deal_id     INTEGER NOT NULL REFERENCES deals (id),
    from_stage  INTEGER REFERENCES stages (id),
    to_stage    INTEGER NOT NULL REFERENCES stages (id),
    at          INTEGER NOT NULL,
    by_user_id  INTEGER REFERENCES users (id),
    first_entry INTEGER NOT NULL DEFAULT 0, -- 1: the deal's first entry into to_stage
    stay_s      REAL                       -- seconds the deal spent in from_stage
);
CREATE INDEX stage_changes_deal ON stage_changes (deal_id, at, id);
CREATE INDEX stage_changes_stats ON stage_changes (from_stage, to_stage, first_entry, stay_s);

CREATE TABLE activities (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    contact_id   INTEGER REFERENCES contacts (id),
    lead_id      INTEGER REFERENCES leads (id),
    deal_id      INTEGER REFERENCES deals (id),
    user_id      INTEGER REFERENCES users (id),
    subject      TEXT    NOT NULL DEFAULT '',
    body         TEXT    NOT NULL DEFAULT '',
    external_ref TEXT,
    at           INTEGER NOT NULL
);
CREATE INDEX activities_contact ON activities (contact_id, at);
CREATE INDEX activities_lead ON activities (lead_id, at);
CREATE INDEX activities_deal ON activities (deal_id, at);
CREATE INDEX activities_external_ref ON activities (external_ref) WHERE external_ref IS NOT NULL;

CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    title         TEXT    NOT NULL DEFAULT '',
    due_at        INTEGER,
    owner_id      INTEGER REFERENCES users (id),
    lead_id       INTEGER REFERENCES leads (id),
    deal_id       INTEGER REFERENCES deals (id),
    done          BOOLEAN NOT NULL DEFAULT FALSE,
    done_at       INTEGER,
    snoozed_until INTEGER,
    created_at    INTEGER
);
CREATE INDEX tasks_owner ON tasks (owner_id, done, due_at);
CREATE INDEX tasks_deal ON tasks (deal_id, done, due_at, snoozed_until);
CREATE INDEX tasks_lead ON tasks (lead_id, done, due_at);
CREATE INDEX tasks_due ON tasks (done, due_at);

CREATE TABLE targets (
    id       INTEGER PRIMARY KEY,
    user_id  INTEGER REFERENCES users (id),
    team_id  INTEGER REFERENCES teams (id),
    month    TEXT    NOT NULL,
    amount   INTEGER NOT NULL DEFAULT 0,
    currency TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX targets_key ON targets (month, COALESCE(user_id, 0), COALESCE(team_id, 0));

-- Idempotency keys of captured inbounds and what each became.
CREATE TABLE inbound_keys (
    channel     TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    external_id TEXT    NOT NULL,
    contact_id  INTEGER,
    lead_id     INTEGER,
    deal_id     INTEGER,
    activity_id INTEGER,
    new_lead    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (channel, source, external_id)
);

-- +goose Down
DROP TABLE inbound_keys;
DROP TABLE targets;
DROP TABLE tasks;
DROP TABLE activities;
DROP TABLE stage_changes;
UPDATE leads SET deal_id = NULL;
DROP TABLE deals;
DROP TABLE leads;
DROP TABLE search_terms;
DROP TABLE contact_identities;
DROP TABLE contacts;
DROP TABLE stages;
DROP TABLE pipelines;
UPDATE teams SET manager_id = NULL, last_assigned_id = NULL;
DROP TABLE users;
DROP TABLE teams;

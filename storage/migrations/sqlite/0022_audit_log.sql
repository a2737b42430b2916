-- The audit log: every change with who made it (a user, or a rule,
-- connector, token or job named in actor), through what, when, on which
-- record, and the fields before and after (JSON). Written in the
-- transaction of the change. No foreign keys: an entry outlives what it
-- names.

-- +goose Up
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_id   INTEGER,
    actor      TEXT    NOT NULL DEFAULT '',
    via        TEXT    NOT NULL DEFAULT '',
    action     TEXT    NOT NULL,
    contact_id INTEGER,
    lead_id    INTEGER,
    deal_id    INTEGER,
    user_id    INTEGER,
    target     TEXT    NOT NULL DEFAULT '',
    changes    TEXT    NOT NULL DEFAULT '',
    note       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_contact ON audit_log (contact_id, id) WHERE contact_id IS NOT NULL;
CREATE INDEX audit_log_lead ON audit_log (lead_id, id) WHERE lead_id IS NOT NULL;
CREATE INDEX audit_log_deal ON audit_log (deal_id, id) WHERE deal_id IS NOT NULL;
CREATE INDEX audit_log_user ON audit_log (user_id, id) WHERE user_id IS NOT NULL;
CREATE INDEX audit_log_actor ON audit_log (actor_id, id) WHERE actor_id IS NOT NULL;
CREATE INDEX audit_log_at ON audit_log (at);

-- +goose Down
DROP TABLE audit_log;

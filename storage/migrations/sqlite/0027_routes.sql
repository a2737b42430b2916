-- How each lead and deal reached its team and owner, recorded when it
-- happened (why L123 explains it): the team an inbound was routed to and
-- its region, a claim, an assignment by hand, round-robin (by a rule or
-- by hand), an import. No foreign keys: a step outlives what it names.

-- +goose Up
CREATE TABLE routes (
    id         INTEGER PRIMARY KEY,
    lead_id    INTEGER,
    deal_id    INTEGER,
    how        TEXT    NOT NULL,
    team_id    INTEGER,
    region     TEXT    NOT NULL DEFAULT '',
    rule       TEXT    NOT NULL DEFAULT '',
    to_id      INTEGER,
    from_id    INTEGER,
    by_id      INTEGER,
    at         INTEGER NOT NULL
);
CREATE INDEX routes_lead ON routes (lead_id, id) WHERE lead_id IS NOT NULL;
CREATE INDEX routes_deal ON routes (deal_id, id) WHERE deal_id IS NOT NULL;

-- +goose Down
DROP TABLE routes;

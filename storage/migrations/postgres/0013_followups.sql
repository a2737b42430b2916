-- What the follow-up sweeps have told: a rotting deal's notice for the
-- period ending at until_at (counted from since, its last activity), and
-- the unclaimed notices of a lead (1 the team's, 2 the manager's too). A
-- sweep reads these instead of retrying every notice.
--
-- deals_open_id lets the rotting sweep page through the open deals by id
-- off one index; leads_unclaimed finds a team's waiting leads by age.

-- +goose Up
CREATE TABLE rot_notices (
    deal_id  BIGINT PRIMARY KEY REFERENCES deals (id) ON DELETE CASCADE,
    since    TIMESTAMPTZ NOT NULL,
    until_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE unclaimed_notices (
    lead_id BIGINT PRIMARY KEY REFERENCES leads (id) ON DELETE CASCADE,
    level   INTEGER NOT NULL
);
CREATE INDEX deals_open_id ON deals (id, stage_id, owner_id, team_id, last_activity_at, created_at) WHERE status = 'open';
CREATE INDEX leads_unclaimed ON leads (team_id, created_at) WHERE status = 'new' AND owner_id IS NULL;

-- +goose Down
DROP INDEX leads_unclaimed;
DROP INDEX deals_open_id;
DROP TABLE unclaimed_notices;
DROP TABLE rot_notices;

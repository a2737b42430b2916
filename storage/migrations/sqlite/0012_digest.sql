-- The digest's day windows: deals closed, and stage moves made, within a
-- day, read off an index instead of a scan of every deal or move.

-- +goose Up
CREATE INDEX deals_closed ON deals (closed_at, team_id, owner_id, status, currency, amount, cycle_s) WHERE closed_at IS NOT NULL;
CREATE INDEX stage_changes_at ON stage_changes (at, deal_id);

-- +goose Down
DROP INDEX stage_changes_at;
DROP INDEX deals_closed;

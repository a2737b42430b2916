-- Stats over a creation window or a team without reading whole tables:
-- stage changes carry their deal's creation time, and the indexes that
-- Stats reads cover what it filters on.

-- +goose Up
ALTER TABLE stage_changes ADD COLUMN deal_created_at TIMESTAMPTZ; -- the deal's
UPDATE stage_changes SET deal_created_at = (SELECT created_at FROM deals WHERE deals.id = stage_changes.deal_id);
CREATE INDEX stage_changes_window ON stage_changes (deal_created_at, from_stage, to_stage, first_entry, stay_s);

-- A deal's history; also covers Stats for the deals a filter picks.
DROP INDEX stage_changes_deal;
CREATE INDEX stage_changes_deal ON stage_changes (deal_id, at, from_stage, to_stage, first_entry, stay_s);

-- Median response time: read in order, filtered within the index.
DROP INDEX leads_response;
CREATE INDEX leads_response ON leads (response_s, team_id, owner_id, created_at) WHERE response_s IS NOT NULL;

-- +goose Down
DROP INDEX leads_response;
CREATE INDEX leads_response ON leads (response_s) WHERE response_s IS NOT NULL;
DROP INDEX stage_changes_deal;
CREATE INDEX stage_changes_deal ON stage_changes (deal_id, at, id);
DROP INDEX stage_changes_window;
ALTER TABLE stage_changes DROP COLUMN deal_created_at;

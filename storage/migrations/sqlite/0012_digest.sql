-- The digest's windows and its funnel, read off covering indexes instead
-- of a walk over a team's every lead, deal or stage change: leads created
-- in a day, deals closed in a day (the deals_closed range drives those
-- queries), stage moves made in a day, and deals by furthest stage.

-- +goose Up
CREATE INDEX leads_team_window ON leads (team_id, created_at, source_channel, owner_id, deal_status, response_s);
CREATE INDEX leads_owner_window ON leads (owner_id, created_at, source_channel, deal_status, response_s, team_id);
CREATE INDEX leads_window ON leads (created_at, team_id, owner_id, source_channel, deal_status, response_s);
CREATE INDEX deals_closed ON deals (closed_at, team_id, owner_id, pipeline_id, status, currency, amount, cycle_s, lost_reason, created_at) WHERE closed_at IS NOT NULL;
CREATE INDEX deals_team_reach ON deals (team_id, pipeline_id, furthest_position);
CREATE INDEX deals_owner_reach ON deals (owner_id, pipeline_id, furthest_position);
CREATE INDEX stage_changes_at ON stage_changes (at, deal_id, from_stage, to_stage);

-- +goose Down
DROP INDEX stage_changes_at;
DROP INDEX deals_owner_reach;
DROP INDEX deals_team_reach;
DROP INDEX deals_closed;
DROP INDEX leads_window;
DROP INDEX leads_owner_window;
DROP INDEX leads_team_window;

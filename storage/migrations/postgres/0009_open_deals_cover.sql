-- A rep's or a team's open pipeline by stage (the chat's "pipeline", the
-- forecast) read from the index alone, without a row lookup per deal.

-- +goose Up
CREATE INDEX deals_owner_open ON deals (owner_id, stage_id, currency, expected_close, amount, probability) WHERE status = 'open';
CREATE INDEX deals_team_open ON deals (team_id, stage_id, currency, expected_close, amount, probability) WHERE status = 'open';

-- +goose Down
DROP INDEX deals_team_open;
DROP INDEX deals_owner_open;

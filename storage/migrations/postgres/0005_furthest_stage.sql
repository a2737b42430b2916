-- How far each deal got: the position of the furthest stage it entered,
-- Lost aside. Deals skip stages, so the funnel counts a deal as having
-- passed every stage before its furthest.

-- +goose Up
ALTER TABLE deals ADD COLUMN furthest_position INTEGER NOT NULL DEFAULT 0;
UPDATE deals SET furthest_position = COALESCE((SELECT MAX(s.position) FROM stage_changes sc
    JOIN stages s ON s.id = sc.to_stage WHERE sc.deal_id = deals.id AND s.kind <> 'lost'), 0);
CREATE INDEX deals_furthest ON deals (pipeline_id, furthest_position);

-- +goose Down
DROP INDEX deals_furthest;
ALTER TABLE deals DROP COLUMN furthest_position;

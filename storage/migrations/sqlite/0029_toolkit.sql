-- A meeting is a task of kind 'meeting' that its owner marks held (a
-- button on its reminder, or held D45): held_at keeps when, so its score
-- points are given once.
--
-- When a lead was disqualified, so that the lost and disqualify analysis
-- (stats lost, the digest's section) counts a period's disqualifications
-- by the time they happened. Leads disqualified before this column
-- existed take their last update, which is when it happened unless they
-- were touched since.

-- +goose Up
ALTER TABLE leads ADD COLUMN disqualified_at INTEGER;
UPDATE leads SET disqualified_at = updated_at WHERE status = 'disqualified';
CREATE INDEX leads_disqualified ON leads (disqualified_at) WHERE disqualified_at IS NOT NULL;
ALTER TABLE tasks ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN held_at INTEGER;

-- +goose Down
ALTER TABLE tasks DROP COLUMN held_at;
ALTER TABLE tasks DROP COLUMN kind;
DROP INDEX leads_disqualified;
ALTER TABLE leads DROP COLUMN disqualified_at;

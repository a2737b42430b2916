-- The due time a task's owner was last reminded of: a reminder goes out
-- once per due time, however often its job runs.

-- +goose Up
ALTER TABLE tasks ADD COLUMN reminded_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE tasks DROP COLUMN reminded_at;

-- Seen keys: what an endpoint served by several replicas has acted on
-- already (a Slack request signature or event id, a Telegram update id),
-- so a retry that reaches another replica is not acted on twice. A key
-- is kept until it expires; expired ones are pruned now and then.

-- +goose Up
CREATE TABLE seen_keys (
    key        TEXT NOT NULL PRIMARY KEY,
    expires_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE seen_keys;

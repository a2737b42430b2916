-- What leadwire says on a timeline, in no language: a catalog key
-- ("timeline.moved") and its arguments as JSON ({"From": {"stage": 3}}:
-- ids, days, instants, amounts), rendered in each reader's language when
-- shown; '' for none. body keeps what people typed and prospects wrote,
-- and the English of entries written before.

-- +goose Up
ALTER TABLE activities ADD COLUMN msg_key TEXT NOT NULL DEFAULT '';
ALTER TABLE activities ADD COLUMN msg_args TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE activities DROP COLUMN msg_args;
ALTER TABLE activities DROP COLUMN msg_key;

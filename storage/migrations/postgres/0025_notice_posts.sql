-- Notice posts: the chat message a notice thread (a prospect's burst of
-- messages) was posted as, so that the next notices of the thread edit
-- it in place instead of posting again.

-- +goose Up
CREATE TABLE notice_posts (
    channel     TEXT NOT NULL,
    thread      TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    message     TEXT NOT NULL DEFAULT '',
    activity_id BIGINT NOT NULL DEFAULT 0,
    wanted      BIGINT NOT NULL DEFAULT 0,
    first_at    TIMESTAMPTZ,
    last_at     TIMESTAMPTZ,
    claimed_at  TIMESTAMPTZ,
    PRIMARY KEY (channel, thread)
);

-- +goose Down
DROP TABLE notice_posts;

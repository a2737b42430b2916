-- Email sequences: a contact enrolled in a named cadence on behalf of a
-- deal or lead, and what contacts need for it (a time zone to send in
-- working hours, and whether they unsubscribed).

-- +goose Up
ALTER TABLE contacts ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN unsubscribed_at INTEGER;

CREATE TABLE sequence_enrollments (
    id          INTEGER PRIMARY KEY,
    sequence    TEXT    NOT NULL,
    deal_id     INTEGER REFERENCES deals (id) ON DELETE CASCADE,
    lead_id     INTEGER REFERENCES leads (id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    owner_id    INTEGER NOT NULL REFERENCES users (id),
    step        INTEGER NOT NULL DEFAULT 0, -- the next step to send
    status      TEXT    NOT NULL,           -- active, stopped, finished
    stop_reason TEXT    NOT NULL DEFAULT '',
    next_run_at INTEGER,
    sending     TEXT    NOT NULL DEFAULT '', -- Message-ID of the step being sent
    message_ids TEXT    NOT NULL DEFAULT '', -- of the steps sent, space-separated
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
-- One active enrolment of a contact per sequence.
CREATE UNIQUE INDEX sequence_enrollments_active ON sequence_enrollments (contact_id, sequence) WHERE status = 'active';
-- The reply and close hooks stop active enrolments by contact or deal.
CREATE INDEX sequence_enrollments_deal ON sequence_enrollments (deal_id) WHERE status = 'active';

-- +goose Down
DROP TABLE sequence_enrollments;
ALTER TABLE contacts DROP COLUMN unsubscribed_at;
ALTER TABLE contacts DROP COLUMN time_zone;

-- What capture could not be sure of about a contact: phones as written that
-- are not valid numbers (a JSON array, kept to read, never matched on), and
-- marks of contacts that may be one person, kept apart because they share
-- only a phone or a chat handle while their names or emails disagree.

-- +goose Up
ALTER TABLE contacts ADD COLUMN invalid_phones TEXT NOT NULL DEFAULT '';

CREATE TABLE possible_duplicates (
    contact_id BIGINT  NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    other_id   BIGINT  NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (contact_id, other_id)
);
CREATE INDEX possible_duplicates_other ON possible_duplicates (other_id);

-- +goose Down
DROP TABLE possible_duplicates;
ALTER TABLE contacts DROP COLUMN invalid_phones;

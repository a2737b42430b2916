-- Contact merges: a merged contact is kept, pointing at the contact it was
-- merged into, so an unmerge within 30 days restores it exactly; the merge
-- records both contacts as they were and the rows that moved (JSON).

-- +goose Up
ALTER TABLE contacts ADD COLUMN merged_into INTEGER REFERENCES contacts (id);

CREATE TABLE contact_merges (
    id          INTEGER PRIMARY KEY,
    survivor_id INTEGER NOT NULL REFERENCES contacts (id),
    merged_id   INTEGER NOT NULL REFERENCES contacts (id),
    by_user_id  INTEGER REFERENCES users (id),
    channel     TEXT    NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    undone_at   INTEGER,
    record      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX contact_merges_survivor ON contact_merges (survivor_id);
CREATE INDEX contact_merges_merged ON contact_merges (merged_id);

-- +goose Down
DROP TABLE contact_merges;
ALTER TABLE contacts DROP COLUMN merged_into;

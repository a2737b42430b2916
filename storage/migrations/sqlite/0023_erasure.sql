-- Erasure: a contact whose personal data was erased keeps its row (deals
-- and counts stay on it, anonymous) with the time of the erasure; the
-- addresses it had are kept only as salted hashes on a do-not-email list
-- that sequences respect.

-- +goose Up
ALTER TABLE contacts ADD COLUMN erased_at INTEGER;

CREATE TABLE do_not_email (
    hash TEXT NOT NULL PRIMARY KEY, -- hex SHA-256 of the salt and the address
    at   INTEGER NOT NULL
);

-- +goose Down
DROP TABLE do_not_email;
ALTER TABLE contacts DROP COLUMN erased_at;

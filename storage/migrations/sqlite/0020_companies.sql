-- Companies: the organisation contacts (and through them, deals) belong
-- to. A contact joins one by its email domain (free-mail and ISP domains
-- aside) or by the company name an inbound gives.

-- +goose Up
CREATE TABLE companies (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL UNIQUE, -- folded name: case and accents go
    domain     TEXT    NOT NULL DEFAULT '',
    notes      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER,
    updated_at INTEGER
);
CREATE INDEX companies_domain ON companies (domain) WHERE domain <> '';

ALTER TABLE contacts ADD COLUMN company_id INTEGER REFERENCES companies (id);
CREATE INDEX contacts_company ON contacts (company_id) WHERE company_id IS NOT NULL;

-- +goose Down
DROP INDEX contacts_company;
ALTER TABLE contacts DROP COLUMN company_id;
DROP TABLE companies;

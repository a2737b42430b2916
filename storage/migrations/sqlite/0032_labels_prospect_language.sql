-- Stage labels per language (a JSON object such as {"th": "เสนอราคา"},
-- '' for none), so every replica and the API read the same labels; the
-- language a prospect wrote in (BCP 47, '' unknown), for what leadwire
-- answers them; and whether a user reads native digits (Thai, Persian).

-- +goose Up
ALTER TABLE stages ADD COLUMN labels TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN locale TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN digits TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN digits;
ALTER TABLE contacts DROP COLUMN locale;
ALTER TABLE stages DROP COLUMN labels;

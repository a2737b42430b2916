-- Small facts about the installation, such as which configured directory
-- (teams, users, pipelines, targets) was applied last.

-- +goose Up
CREATE TABLE app_settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE app_settings;

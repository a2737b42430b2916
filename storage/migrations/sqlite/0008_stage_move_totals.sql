-- Running totals of stage changes by the stages they leave and enter, kept
-- with every change: unfiltered stats read a handful of rows instead of
-- every change ever made.

-- +goose Up
CREATE TABLE stage_move_totals (
    from_stage BIGINT NOT NULL DEFAULT 0, -- 0: the deal was created in to_stage
    to_stage   BIGINT NOT NULL,
    n          BIGINT NOT NULL DEFAULT 0,
    entered    BIGINT NOT NULL DEFAULT 0,
    stay_s     REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (from_stage, to_stage)
);
INSERT INTO stage_move_totals (from_stage, to_stage, n, entered, stay_s)
    SELECT COALESCE(from_stage, 0), to_stage, COUNT(*), SUM(first_entry), COALESCE(SUM(stay_s), 0)
    FROM stage_changes GROUP BY COALESCE(from_stage, 0), to_stage;

-- +goose Down
DROP TABLE stage_move_totals;

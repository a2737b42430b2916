-- Running totals of deals and leads by what Stats filters on (team, owner,
-- pipeline, month of creation in UTC) and what it groups by, kept by
-- triggers in every transaction that changes the rows, so reports over a
-- whole organisation, a team, an owner or whole months read a few
-- thousand rows instead of every deal. Ids are 0 for none, months are
-- year * 12 + month - 1 (UTC), -1 for no date. Amounts are summed in two
-- halves as Stats sums them (splitSum): their billions and the rest.
-- Rows whose count falls to 0 stay, all zero; readers skip them.

-- +goose Up
CREATE TABLE deal_totals (
    team_id     BIGINT NOT NULL,
    owner_id    BIGINT NOT NULL,
    pipeline_id BIGINT NOT NULL,
    month       INTEGER NOT NULL, -- of created_at
    status      TEXT   NOT NULL,
    currency    TEXT   NOT NULL,
    n           BIGINT NOT NULL DEFAULT 0,
    value_hi    BIGINT NOT NULL DEFAULT 0,
    value_lo    BIGINT NOT NULL DEFAULT 0,
    cycle_s     REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, owner_id, pipeline_id, month, status, currency)
) WITHOUT ROWID;
-- Open deals; the weighted value is own_weighted plus stage_value times
-- the stage's probability now, so changing a stage's probability needs no
-- upkeep here.
CREATE TABLE open_deal_totals (
    team_id         BIGINT NOT NULL,
    owner_id        BIGINT NOT NULL,
    pipeline_id     BIGINT NOT NULL,
    month           INTEGER NOT NULL, -- of created_at
    stage_id        BIGINT NOT NULL,
    currency        TEXT   NOT NULL,
    close_month     INTEGER NOT NULL, -- of expected_close
    n               BIGINT NOT NULL DEFAULT 0,
    value_hi        BIGINT NOT NULL DEFAULT 0,
    value_lo        BIGINT NOT NULL DEFAULT 0,
    own_weighted_hi BIGINT NOT NULL DEFAULT 0, -- deals with a probability of their own, times it
    own_weighted_lo BIGINT NOT NULL DEFAULT 0,
    stage_value_hi  BIGINT NOT NULL DEFAULT 0, -- deals that take their stage's probability
    stage_value_lo  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month)
) WITHOUT ROWID;
-- The same for the whole organisation: a few hundred rows where
-- open_deal_totals holds one per owner and month too.
CREATE TABLE open_stage_totals (
    stage_id        BIGINT NOT NULL,
    currency        TEXT   NOT NULL,
    close_month     INTEGER NOT NULL,
    n               BIGINT NOT NULL DEFAULT 0,
    value_hi        BIGINT NOT NULL DEFAULT 0,
    value_lo        BIGINT NOT NULL DEFAULT 0,
    own_weighted_hi BIGINT NOT NULL DEFAULT 0,
    own_weighted_lo BIGINT NOT NULL DEFAULT 0,
    stage_value_hi  BIGINT NOT NULL DEFAULT 0,
    stage_value_lo  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (stage_id, currency, close_month)
) WITHOUT ROWID;
CREATE TABLE reach_totals (
    team_id           BIGINT  NOT NULL,
    owner_id          BIGINT  NOT NULL,
    pipeline_id       BIGINT  NOT NULL,
    month             INTEGER NOT NULL, -- of created_at
    furthest_position INTEGER NOT NULL,
    n                 BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, owner_id, pipeline_id, month, furthest_position)
) WITHOUT ROWID;
CREATE TABLE lead_totals (
    team_id        BIGINT  NOT NULL,
    owner_id       BIGINT  NOT NULL,
    source_channel TEXT    NOT NULL,
    month          INTEGER NOT NULL, -- of created_at
    leads          BIGINT  NOT NULL DEFAULT 0,
    deals          BIGINT  NOT NULL DEFAULT 0, -- with a deal_status
    won            BIGINT  NOT NULL DEFAULT 0,
    responded      BIGINT  NOT NULL DEFAULT 0, -- with a response_s
    PRIMARY KEY (team_id, owner_id, source_channel, month)
) WITHOUT ROWID;
INSERT INTO deal_totals (team_id, owner_id, pipeline_id, month, status, currency, n, value_hi, value_lo, cycle_s)
    SELECT COALESCE(x.team_id, 0),
        COALESCE(x.owner_id, 0),
        COALESCE(x.pipeline_id, 0),
        COALESCE(CAST(strftime('%Y', x.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', x.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
        x.status,
        x.currency,
        SUM(1),
        SUM((x.amount / 1000000000)),
        SUM((x.amount % 1000000000)),
        SUM(COALESCE(x.cycle_s, 0))
    FROM deals x
    GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), COALESCE(x.pipeline_id, 0), COALESCE(CAST(strftime('%Y', x.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', x.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1), x.status, x.currency;
INSERT INTO open_deal_totals (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
    SELECT COALESCE(x.team_id, 0),
        COALESCE(x.owner_id, 0),
        COALESCE(x.pipeline_id, 0),
        COALESCE(CAST(strftime('%Y', x.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', x.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
        COALESCE(x.stage_id, 0),
        x.currency,
        COALESCE(CAST(strftime('%Y', x.expected_close / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', x.expected_close / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
        SUM(1),
        SUM((x.amount / 1000000000)),
        SUM((x.amount % 1000000000)),
        SUM(COALESCE((x.amount / 1000000000) * x.probability, 0)),
        SUM(COALESCE((x.amount % 1000000000) * x.probability, 0)),
        SUM((CASE WHEN x.probability IS NULL THEN x.amount / 1000000000 ELSE 0 END)),
        SUM((CASE WHEN x.probability IS NULL THEN x.amount % 1000000000 ELSE 0 END))
    FROM deals x WHERE x.status = 'open'
    GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), COALESCE(x.pipeline_id, 0), COALESCE(CAST(strftime('%Y', x.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', x.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1), COALESCE(x.stage_id, 0), x.currency, COALESCE(CAST(strftime('%Y', x.expected_close / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', x.expected_close / 1000000, 'unixepoch') AS INTEGER) - 1, -1);
INSERT INTO open_stage_totals (stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
    SELECT COALESCE(x.stage_id, 0),
        x.currency,
        COALESCE(CAST(strftime('%Y', x.expected_close / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', x.expected_close / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
        SUM(1),
        SUM((x.amount / 1000000000)),
        SUM((x.amount % 1000000000)),
        SUM(COALESCE((x.amount / 1000000000) * x.probability, 0)),
        SUM(COALESCE((x.amount % 1000000000) * x.probability, 0)),
        SUM((CASE WHEN x.probability IS NULL THEN x.amount / 1000000000 ELSE 0 END)),
        SUM((CASE WHEN x.probability IS NULL THEN x.amount % 1000000000 ELSE 0 END))
    FROM deals x WHERE x.status = 'open'
    GROUP BY COALESCE(x.stage_id, 0), x.currency, COALESCE(CAST(strftime('%Y', x.expected_close / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', x.expected_close / 1000000, 'unixepoch') AS INTEGER) - 1, -1);
INSERT INTO reach_totals (team_id, owner_id, pipeline_id, month, furthest_position, n)
    SELECT COALESCE(x.team_id, 0),
        COALESCE(x.owner_id, 0),
        COALESCE(x.pipeline_id, 0),
        COALESCE(CAST(strftime('%Y', x.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', x.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
        x.furthest_position,
        SUM(1)
    FROM deals x
    GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), COALESCE(x.pipeline_id, 0), COALESCE(CAST(strftime('%Y', x.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', x.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1), x.furthest_position;
INSERT INTO lead_totals (team_id, owner_id, source_channel, month, leads, deals, won, responded)
    SELECT COALESCE(x.team_id, 0),
        COALESCE(x.owner_id, 0),
        x.source_channel,
        COALESCE(CAST(strftime('%Y', x.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', x.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
        SUM(1),
        SUM((CASE WHEN x.deal_status IS NULL THEN 0 ELSE 1 END)),
        SUM((CASE WHEN x.deal_status = 'won' THEN 1 ELSE 0 END)),
        SUM((CASE WHEN x.response_s IS NULL THEN 0 ELSE 1 END))
    FROM leads x
    GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), x.source_channel, COALESCE(CAST(strftime('%Y', x.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', x.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1);
-- +goose StatementBegin
CREATE TRIGGER deals_totals_insert AFTER INSERT ON deals BEGIN
    INSERT INTO deal_totals (team_id, owner_id, pipeline_id, month, status, currency, n, value_hi, value_lo, cycle_s)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            COALESCE(NEW.pipeline_id, 0),
            COALESCE(CAST(strftime('%Y', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            NEW.status,
            NEW.currency,
            1,
            (NEW.amount / 1000000000),
            (NEW.amount % 1000000000),
            COALESCE(NEW.cycle_s, 0)
        WHERE true
        ON CONFLICT (team_id, owner_id, pipeline_id, month, status, currency) DO UPDATE SET n = deal_totals.n + excluded.n, value_hi = deal_totals.value_hi + excluded.value_hi, value_lo = deal_totals.value_lo + excluded.value_lo, cycle_s = deal_totals.cycle_s + excluded.cycle_s;
    INSERT INTO open_deal_totals (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            COALESCE(NEW.pipeline_id, 0),
            COALESCE(CAST(strftime('%Y', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            COALESCE(NEW.stage_id, 0),
            NEW.currency,
            COALESCE(CAST(strftime('%Y', NEW.expected_close / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.expected_close / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            1,
            (NEW.amount / 1000000000),
            (NEW.amount % 1000000000),
            COALESCE((NEW.amount / 1000000000) * NEW.probability, 0),
            COALESCE((NEW.amount % 1000000000) * NEW.probability, 0),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount / 1000000000 ELSE 0 END),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount % 1000000000 ELSE 0 END)
        WHERE NEW.status = 'open'
        ON CONFLICT (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month) DO UPDATE SET n = open_deal_totals.n + excluded.n, value_hi = open_deal_totals.value_hi + excluded.value_hi, value_lo = open_deal_totals.value_lo + excluded.value_lo, own_weighted_hi = open_deal_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_deal_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_deal_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_deal_totals.stage_value_lo + excluded.stage_value_lo;
    INSERT INTO open_stage_totals (stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(NEW.stage_id, 0),
            NEW.currency,
            COALESCE(CAST(strftime('%Y', NEW.expected_close / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.expected_close / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            1,
            (NEW.amount / 1000000000),
            (NEW.amount % 1000000000),
            COALESCE((NEW.amount / 1000000000) * NEW.probability, 0),
            COALESCE((NEW.amount % 1000000000) * NEW.probability, 0),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount / 1000000000 ELSE 0 END),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount % 1000000000 ELSE 0 END)
        WHERE NEW.status = 'open'
        ON CONFLICT (stage_id, currency, close_month) DO UPDATE SET n = open_stage_totals.n + excluded.n, value_hi = open_stage_totals.value_hi + excluded.value_hi, value_lo = open_stage_totals.value_lo + excluded.value_lo, own_weighted_hi = open_stage_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_stage_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_stage_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_stage_totals.stage_value_lo + excluded.stage_value_lo;
    INSERT INTO reach_totals (team_id, owner_id, pipeline_id, month, furthest_position, n)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            COALESCE(NEW.pipeline_id, 0),
            COALESCE(CAST(strftime('%Y', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            NEW.furthest_position,
            1
        WHERE true
        ON CONFLICT (team_id, owner_id, pipeline_id, month, furthest_position) DO UPDATE SET n = reach_totals.n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER deals_totals_delete AFTER DELETE ON deals BEGIN
    INSERT INTO deal_totals (team_id, owner_id, pipeline_id, month, status, currency, n, value_hi, value_lo, cycle_s)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            COALESCE(OLD.pipeline_id, 0),
            COALESCE(CAST(strftime('%Y', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            OLD.status,
            OLD.currency,
            -1,
            -(OLD.amount / 1000000000),
            -(OLD.amount % 1000000000),
            -COALESCE(OLD.cycle_s, 0)
        WHERE true
        ON CONFLICT (team_id, owner_id, pipeline_id, month, status, currency) DO UPDATE SET n = deal_totals.n + excluded.n, value_hi = deal_totals.value_hi + excluded.value_hi, value_lo = deal_totals.value_lo + excluded.value_lo, cycle_s = deal_totals.cycle_s + excluded.cycle_s;
    INSERT INTO open_deal_totals (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            COALESCE(OLD.pipeline_id, 0),
            COALESCE(CAST(strftime('%Y', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            COALESCE(OLD.stage_id, 0),
            OLD.currency,
            COALESCE(CAST(strftime('%Y', OLD.expected_close / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.expected_close / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            -1,
            -(OLD.amount / 1000000000),
            -(OLD.amount % 1000000000),
            -COALESCE((OLD.amount / 1000000000) * OLD.probability, 0),
            -COALESCE((OLD.amount % 1000000000) * OLD.probability, 0),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount / 1000000000 ELSE 0 END),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount % 1000000000 ELSE 0 END)
        WHERE OLD.status = 'open'
        ON CONFLICT (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month) DO UPDATE SET n = open_deal_totals.n + excluded.n, value_hi = open_deal_totals.value_hi + excluded.value_hi, value_lo = open_deal_totals.value_lo + excluded.value_lo, own_weighted_hi = open_deal_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_deal_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_deal_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_deal_totals.stage_value_lo + excluded.stage_value_lo;
    INSERT INTO open_stage_totals (stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(OLD.stage_id, 0),
            OLD.currency,
            COALESCE(CAST(strftime('%Y', OLD.expected_close / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.expected_close / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            -1,
            -(OLD.amount / 1000000000),
            -(OLD.amount % 1000000000),
            -COALESCE((OLD.amount / 1000000000) * OLD.probability, 0),
            -COALESCE((OLD.amount % 1000000000) * OLD.probability, 0),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount / 1000000000 ELSE 0 END),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount % 1000000000 ELSE 0 END)
        WHERE OLD.status = 'open'
        ON CONFLICT (stage_id, currency, close_month) DO UPDATE SET n = open_stage_totals.n + excluded.n, value_hi = open_stage_totals.value_hi + excluded.value_hi, value_lo = open_stage_totals.value_lo + excluded.value_lo, own_weighted_hi = open_stage_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_stage_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_stage_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_stage_totals.stage_value_lo + excluded.stage_value_lo;
    INSERT INTO reach_totals (team_id, owner_id, pipeline_id, month, furthest_position, n)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            COALESCE(OLD.pipeline_id, 0),
            COALESCE(CAST(strftime('%Y', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            OLD.furthest_position,
            -1
        WHERE true
        ON CONFLICT (team_id, owner_id, pipeline_id, month, furthest_position) DO UPDATE SET n = reach_totals.n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER deals_totals_update AFTER UPDATE OF team_id, owner_id, pipeline_id, created_at, status, currency, amount, cycle_s, stage_id, expected_close, probability, furthest_position ON deals
    WHEN (OLD.team_id IS NOT NEW.team_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.created_at IS NOT NEW.created_at OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.cycle_s IS NOT NEW.cycle_s)
        OR ((OLD.status = 'open' OR NEW.status = 'open') AND (OLD.team_id IS NOT NEW.team_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.created_at IS NOT NEW.created_at OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.stage_id IS NOT NEW.stage_id OR OLD.expected_close IS NOT NEW.expected_close OR OLD.probability IS NOT NEW.probability))
        OR ((OLD.status = 'open' OR NEW.status = 'open') AND (OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.stage_id IS NOT NEW.stage_id OR OLD.expected_close IS NOT NEW.expected_close OR OLD.probability IS NOT NEW.probability))
        OR (OLD.team_id IS NOT NEW.team_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.created_at IS NOT NEW.created_at OR OLD.furthest_position IS NOT NEW.furthest_position) BEGIN
    INSERT INTO deal_totals (team_id, owner_id, pipeline_id, month, status, currency, n, value_hi, value_lo, cycle_s)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            COALESCE(OLD.pipeline_id, 0),
            COALESCE(CAST(strftime('%Y', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            OLD.status,
            OLD.currency,
            -1,
            -(OLD.amount / 1000000000),
            -(OLD.amount % 1000000000),
            -COALESCE(OLD.cycle_s, 0)
        WHERE (OLD.team_id IS NOT NEW.team_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.created_at IS NOT NEW.created_at OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.cycle_s IS NOT NEW.cycle_s)
        ON CONFLICT (team_id, owner_id, pipeline_id, month, status, currency) DO UPDATE SET n = deal_totals.n + excluded.n, value_hi = deal_totals.value_hi + excluded.value_hi, value_lo = deal_totals.value_lo + excluded.value_lo, cycle_s = deal_totals.cycle_s + excluded.cycle_s;
    INSERT INTO deal_totals (team_id, owner_id, pipeline_id, month, status, currency, n, value_hi, value_lo, cycle_s)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            COALESCE(NEW.pipeline_id, 0),
            COALESCE(CAST(strftime('%Y', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            NEW.status,
            NEW.currency,
            1,
            (NEW.amount / 1000000000),
            (NEW.amount % 1000000000),
            COALESCE(NEW.cycle_s, 0)
        WHERE (OLD.team_id IS NOT NEW.team_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.created_at IS NOT NEW.created_at OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.cycle_s IS NOT NEW.cycle_s)
        ON CONFLICT (team_id, owner_id, pipeline_id, month, status, currency) DO UPDATE SET n = deal_totals.n + excluded.n, value_hi = deal_totals.value_hi + excluded.value_hi, value_lo = deal_totals.value_lo + excluded.value_lo, cycle_s = deal_totals.cycle_s + excluded.cycle_s;
    INSERT INTO open_deal_totals (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            COALESCE(OLD.pipeline_id, 0),
            COALESCE(CAST(strftime('%Y', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            COALESCE(OLD.stage_id, 0),
            OLD.currency,
            COALESCE(CAST(strftime('%Y', OLD.expected_close / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.expected_close / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            -1,
            -(OLD.amount / 1000000000),
            -(OLD.amount % 1000000000),
            -COALESCE((OLD.amount / 1000000000) * OLD.probability, 0),
            -COALESCE((OLD.amount % 1000000000) * OLD.probability, 0),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount / 1000000000 ELSE 0 END),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount % 1000000000 ELSE 0 END)
        WHERE ((OLD.status = 'open' OR NEW.status = 'open') AND (OLD.team_id IS NOT NEW.team_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.created_at IS NOT NEW.created_at OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.stage_id IS NOT NEW.stage_id OR OLD.expected_close IS NOT NEW.expected_close OR OLD.probability IS NOT NEW.probability)) AND OLD.status = 'open'
        ON CONFLICT (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month) DO UPDATE SET n = open_deal_totals.n + excluded.n, value_hi = open_deal_totals.value_hi + excluded.value_hi, value_lo = open_deal_totals.value_lo + excluded.value_lo, own_weighted_hi = open_deal_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_deal_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_deal_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_deal_totals.stage_value_lo + excluded.stage_value_lo;
    INSERT INTO open_deal_totals (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            COALESCE(NEW.pipeline_id, 0),
            COALESCE(CAST(strftime('%Y', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            COALESCE(NEW.stage_id, 0),
            NEW.currency,
            COALESCE(CAST(strftime('%Y', NEW.expected_close / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.expected_close / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            1,
            (NEW.amount / 1000000000),
            (NEW.amount % 1000000000),
            COALESCE((NEW.amount / 1000000000) * NEW.probability, 0),
            COALESCE((NEW.amount % 1000000000) * NEW.probability, 0),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount / 1000000000 ELSE 0 END),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount % 1000000000 ELSE 0 END)
        WHERE ((OLD.status = 'open' OR NEW.status = 'open') AND (OLD.team_id IS NOT NEW.team_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.created_at IS NOT NEW.created_at OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.stage_id IS NOT NEW.stage_id OR OLD.expected_close IS NOT NEW.expected_close OR OLD.probability IS NOT NEW.probability)) AND NEW.status = 'open'
        ON CONFLICT (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month) DO UPDATE SET n = open_deal_totals.n + excluded.n, value_hi = open_deal_totals.value_hi + excluded.value_hi, value_lo = open_deal_totals.value_lo + excluded.value_lo, own_weighted_hi = open_deal_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_deal_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_deal_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_deal_totals.stage_value_lo + excluded.stage_value_lo;
    INSERT INTO open_stage_totals (stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(OLD.stage_id, 0),
            OLD.currency,
            COALESCE(CAST(strftime('%Y', OLD.expected_close / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.expected_close / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            -1,
            -(OLD.amount / 1000000000),
            -(OLD.amount % 1000000000),
            -COALESCE((OLD.amount / 1000000000) * OLD.probability, 0),
            -COALESCE((OLD.amount % 1000000000) * OLD.probability, 0),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount / 1000000000 ELSE 0 END),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount % 1000000000 ELSE 0 END)
        WHERE ((OLD.status = 'open' OR NEW.status = 'open') AND (OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.stage_id IS NOT NEW.stage_id OR OLD.expected_close IS NOT NEW.expected_close OR OLD.probability IS NOT NEW.probability)) AND OLD.status = 'open'
        ON CONFLICT (stage_id, currency, close_month) DO UPDATE SET n = open_stage_totals.n + excluded.n, value_hi = open_stage_totals.value_hi + excluded.value_hi, value_lo = open_stage_totals.value_lo + excluded.value_lo, own_weighted_hi = open_stage_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_stage_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_stage_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_stage_totals.stage_value_lo + excluded.stage_value_lo;
    INSERT INTO open_stage_totals (stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(NEW.stage_id, 0),
            NEW.currency,
            COALESCE(CAST(strftime('%Y', NEW.expected_close / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.expected_close / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            1,
            (NEW.amount / 1000000000),
            (NEW.amount % 1000000000),
            COALESCE((NEW.amount / 1000000000) * NEW.probability, 0),
            COALESCE((NEW.amount % 1000000000) * NEW.probability, 0),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount / 1000000000 ELSE 0 END),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount % 1000000000 ELSE 0 END)
        WHERE ((OLD.status = 'open' OR NEW.status = 'open') AND (OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.stage_id IS NOT NEW.stage_id OR OLD.expected_close IS NOT NEW.expected_close OR OLD.probability IS NOT NEW.probability)) AND NEW.status = 'open'
        ON CONFLICT (stage_id, currency, close_month) DO UPDATE SET n = open_stage_totals.n + excluded.n, value_hi = open_stage_totals.value_hi + excluded.value_hi, value_lo = open_stage_totals.value_lo + excluded.value_lo, own_weighted_hi = open_stage_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_stage_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_stage_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_stage_totals.stage_value_lo + excluded.stage_value_lo;
    INSERT INTO reach_totals (team_id, owner_id, pipeline_id, month, furthest_position, n)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            COALESCE(OLD.pipeline_id, 0),
            COALESCE(CAST(strftime('%Y', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            OLD.furthest_position,
            -1
        WHERE (OLD.team_id IS NOT NEW.team_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.created_at IS NOT NEW.created_at OR OLD.furthest_position IS NOT NEW.furthest_position)
        ON CONFLICT (team_id, owner_id, pipeline_id, month, furthest_position) DO UPDATE SET n = reach_totals.n + excluded.n;
    INSERT INTO reach_totals (team_id, owner_id, pipeline_id, month, furthest_position, n)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            COALESCE(NEW.pipeline_id, 0),
            COALESCE(CAST(strftime('%Y', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            NEW.furthest_position,
            1
        WHERE (OLD.team_id IS NOT NEW.team_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.created_at IS NOT NEW.created_at OR OLD.furthest_position IS NOT NEW.furthest_position)
        ON CONFLICT (team_id, owner_id, pipeline_id, month, furthest_position) DO UPDATE SET n = reach_totals.n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER leads_totals_insert AFTER INSERT ON leads BEGIN
    INSERT INTO lead_totals (team_id, owner_id, source_channel, month, leads, deals, won, responded)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            NEW.source_channel,
            COALESCE(CAST(strftime('%Y', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            1,
            (CASE WHEN NEW.deal_status IS NULL THEN 0 ELSE 1 END),
            (CASE WHEN NEW.deal_status = 'won' THEN 1 ELSE 0 END),
            (CASE WHEN NEW.response_s IS NULL THEN 0 ELSE 1 END)
        WHERE true
        ON CONFLICT (team_id, owner_id, source_channel, month) DO UPDATE SET leads = lead_totals.leads + excluded.leads, deals = lead_totals.deals + excluded.deals, won = lead_totals.won + excluded.won, responded = lead_totals.responded + excluded.responded;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER leads_totals_delete AFTER DELETE ON leads BEGIN
    INSERT INTO lead_totals (team_id, owner_id, source_channel, month, leads, deals, won, responded)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            OLD.source_channel,
            COALESCE(CAST(strftime('%Y', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            -1,
            -(CASE WHEN OLD.deal_status IS NULL THEN 0 ELSE 1 END),
            -(CASE WHEN OLD.deal_status = 'won' THEN 1 ELSE 0 END),
            -(CASE WHEN OLD.response_s IS NULL THEN 0 ELSE 1 END)
        WHERE true
        ON CONFLICT (team_id, owner_id, source_channel, month) DO UPDATE SET leads = lead_totals.leads + excluded.leads, deals = lead_totals.deals + excluded.deals, won = lead_totals.won + excluded.won, responded = lead_totals.responded + excluded.responded;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER leads_totals_update AFTER UPDATE OF team_id, owner_id, source_channel, created_at, deal_status, response_s ON leads
    WHEN (OLD.team_id IS NOT NEW.team_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.source_channel IS NOT NEW.source_channel OR OLD.created_at IS NOT NEW.created_at OR OLD.deal_status IS NOT NEW.deal_status OR (OLD.response_s IS NULL) IS NOT (NEW.response_s IS NULL)) BEGIN
    INSERT INTO lead_totals (team_id, owner_id, source_channel, month, leads, deals, won, responded)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            OLD.source_channel,
            COALESCE(CAST(strftime('%Y', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            -1,
            -(CASE WHEN OLD.deal_status IS NULL THEN 0 ELSE 1 END),
            -(CASE WHEN OLD.deal_status = 'won' THEN 1 ELSE 0 END),
            -(CASE WHEN OLD.response_s IS NULL THEN 0 ELSE 1 END)
        WHERE (OLD.team_id IS NOT NEW.team_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.source_channel IS NOT NEW.source_channel OR OLD.created_at IS NOT NEW.created_at OR OLD.deal_status IS NOT NEW.deal_status OR (OLD.response_s IS NULL) IS NOT (NEW.response_s IS NULL))
        ON CONFLICT (team_id, owner_id, source_channel, month) DO UPDATE SET leads = lead_totals.leads + excluded.leads, deals = lead_totals.deals + excluded.deals, won = lead_totals.won + excluded.won, responded = lead_totals.responded + excluded.responded;
    INSERT INTO lead_totals (team_id, owner_id, source_channel, month, leads, deals, won, responded)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            NEW.source_channel,
            COALESCE(CAST(strftime('%Y', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) - 1, -1),
            1,
            (CASE WHEN NEW.deal_status IS NULL THEN 0 ELSE 1 END),
            (CASE WHEN NEW.deal_status = 'won' THEN 1 ELSE 0 END),
            (CASE WHEN NEW.response_s IS NULL THEN 0 ELSE 1 END)
        WHERE (OLD.team_id IS NOT NEW.team_id OR OLD.owner_id IS NOT NEW.owner_id OR OLD.source_channel IS NOT NEW.source_channel OR OLD.created_at IS NOT NEW.created_at OR OLD.deal_status IS NOT NEW.deal_status OR (OLD.response_s IS NULL) IS NOT (NEW.response_s IS NULL))
        ON CONFLICT (team_id, owner_id, source_channel, month) DO UPDATE SET leads = lead_totals.leads + excluded.leads, deals = lead_totals.deals + excluded.deals, won = lead_totals.won + excluded.won, responded = lead_totals.responded + excluded.responded;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER deals_totals_insert;
DROP TRIGGER deals_totals_update;
DROP TRIGGER deals_totals_delete;
DROP TRIGGER leads_totals_insert;
DROP TRIGGER leads_totals_update;
DROP TRIGGER leads_totals_delete;
DROP TABLE lead_totals;
DROP TABLE reach_totals;
DROP TABLE open_stage_totals;
DROP TABLE open_deal_totals;
DROP TABLE deal_totals;

-- Running totals of deals and leads by what Stats filters on (team, owner,
-- pipeline, month of creation in UTC) and what it groups by, kept by
-- triggers in every transaction that changes the rows, so reports over a
-- whole organisation, a team, an owner or whole months read a few
-- thousand rows instead of every deal. Ids are 0 for none, months are
-- year * 12 + month - 1 (UTC), -1 for no date. Amounts are summed in two
-- halves as Stats sums them (splitSum): their billions and the rest.
-- Rows whose count falls to 0 stay, all zero; readers skip them.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION utc_month(t TIMESTAMPTZ) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE((EXTRACT(YEAR FROM t AT TIME ZONE 'UTC') * 12 + EXTRACT(MONTH FROM t AT TIME ZONE 'UTC') - 1)::INTEGER, -1)
$$;
-- +goose StatementEnd
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
    cycle_s     DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, owner_id, pipeline_id, month, status, currency)
);
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
);
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
);
CREATE TABLE reach_totals (
    team_id           BIGINT  NOT NULL,
    owner_id          BIGINT  NOT NULL,
    pipeline_id       BIGINT  NOT NULL,
    month             INTEGER NOT NULL, -- of created_at
    furthest_position INTEGER NOT NULL,
    n                 BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, owner_id, pipeline_id, month, furthest_position)
);
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
);
INSERT INTO deal_totals (team_id, owner_id, pipeline_id, month, status, currency, n, value_hi, value_lo, cycle_s)
    SELECT COALESCE(x.team_id, 0),
        COALESCE(x.owner_id, 0),
        COALESCE(x.pipeline_id, 0),
        utc_month(x.created_at),
        x.status,
        x.currency,
        SUM(1),
        SUM((x.amount / 1000000000)),
        SUM((x.amount % 1000000000)),
        SUM(COALESCE(x.cycle_s, 0))
    FROM deals x
    GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), COALESCE(x.pipeline_id, 0), utc_month(x.created_at), x.status, x.currency;
INSERT INTO open_deal_totals (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
    SELECT COALESCE(x.team_id, 0),
        COALESCE(x.owner_id, 0),
        COALESCE(x.pipeline_id, 0),
        utc_month(x.created_at),
        COALESCE(x.stage_id, 0),
        x.currency,
        utc_month(x.expected_close),
        SUM(1),
        SUM((x.amount / 1000000000)),
        SUM((x.amount % 1000000000)),
        SUM(COALESCE((x.amount / 1000000000) * x.probability, 0)),
        SUM(COALESCE((x.amount % 1000000000) * x.probability, 0)),
        SUM((CASE WHEN x.probability IS NULL THEN x.amount / 1000000000 ELSE 0 END)),
        SUM((CASE WHEN x.probability IS NULL THEN x.amount % 1000000000 ELSE 0 END))
    FROM deals x WHERE x.status = 'open'
    GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), COALESCE(x.pipeline_id, 0), utc_month(x.created_at), COALESCE(x.stage_id, 0), x.currency, utc_month(x.expected_close);
INSERT INTO open_stage_totals (stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
    SELECT COALESCE(x.stage_id, 0),
        x.currency,
        utc_month(x.expected_close),
        SUM(1),
        SUM((x.amount / 1000000000)),
        SUM((x.amount % 1000000000)),
        SUM(COALESCE((x.amount / 1000000000) * x.probability, 0)),
        SUM(COALESCE((x.amount % 1000000000) * x.probability, 0)),
        SUM((CASE WHEN x.probability IS NULL THEN x.amount / 1000000000 ELSE 0 END)),
        SUM((CASE WHEN x.probability IS NULL THEN x.amount % 1000000000 ELSE 0 END))
    FROM deals x WHERE x.status = 'open'
    GROUP BY COALESCE(x.stage_id, 0), x.currency, utc_month(x.expected_close);
INSERT INTO reach_totals (team_id, owner_id, pipeline_id, month, furthest_position, n)
    SELECT COALESCE(x.team_id, 0),
        COALESCE(x.owner_id, 0),
        COALESCE(x.pipeline_id, 0),
        utc_month(x.created_at),
        x.furthest_position,
        SUM(1)
    FROM deals x
    GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), COALESCE(x.pipeline_id, 0), utc_month(x.created_at), x.furthest_position;
INSERT INTO lead_totals (team_id, owner_id, source_channel, month, leads, deals, won, responded)
    SELECT COALESCE(x.team_id, 0),
        COALESCE(x.owner_id, 0),
        x.source_channel,
        utc_month(x.created_at),
        SUM(1),
        SUM((CASE WHEN x.deal_status IS NULL THEN 0 ELSE 1 END)),
        SUM((CASE WHEN x.deal_status = 'won' THEN 1 ELSE 0 END)),
        SUM((CASE WHEN x.response_s IS NULL THEN 0 ELSE 1 END))
    FROM leads x
    GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), x.source_channel, utc_month(x.created_at);
-- +goose StatementBegin
CREATE FUNCTION deal_totals_insert_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deal_totals (team_id, owner_id, pipeline_id, month, status, currency, n, value_hi, value_lo, cycle_s)
        SELECT COALESCE(x.team_id, 0),
            COALESCE(x.owner_id, 0),
            COALESCE(x.pipeline_id, 0),
            utc_month(x.created_at),
            x.status,
            x.currency,
            SUM(1),
            SUM((x.amount / 1000000000)),
            SUM((x.amount % 1000000000)),
            SUM(COALESCE(x.cycle_s, 0))
        FROM new_rows x
        GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), COALESCE(x.pipeline_id, 0), utc_month(x.created_at), x.status, x.currency
        ON CONFLICT (team_id, owner_id, pipeline_id, month, status, currency) DO UPDATE SET n = deal_totals.n + excluded.n, value_hi = deal_totals.value_hi + excluded.value_hi, value_lo = deal_totals.value_lo + excluded.value_lo, cycle_s = deal_totals.cycle_s + excluded.cycle_s;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION deal_totals_delete_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deal_totals (team_id, owner_id, pipeline_id, month, status, currency, n, value_hi, value_lo, cycle_s)
        SELECT COALESCE(x.team_id, 0),
            COALESCE(x.owner_id, 0),
            COALESCE(x.pipeline_id, 0),
            utc_month(x.created_at),
            x.status,
            x.currency,
            SUM(-1),
            SUM(-(x.amount / 1000000000)),
            SUM(-(x.amount % 1000000000)),
            SUM(-COALESCE(x.cycle_s, 0))
        FROM old_rows x
        GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), COALESCE(x.pipeline_id, 0), utc_month(x.created_at), x.status, x.currency
        ON CONFLICT (team_id, owner_id, pipeline_id, month, status, currency) DO UPDATE SET n = deal_totals.n + excluded.n, value_hi = deal_totals.value_hi + excluded.value_hi, value_lo = deal_totals.value_lo + excluded.value_lo, cycle_s = deal_totals.cycle_s + excluded.cycle_s;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION deal_totals_update_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The two rows in the order of their keys, so that two transactions
    -- moving deals between the same two rows cannot wait on each other.
    IF ROW(COALESCE(OLD.team_id, 0), COALESCE(OLD.owner_id, 0), COALESCE(OLD.pipeline_id, 0), utc_month(OLD.created_at), OLD.status, OLD.currency) < ROW(COALESCE(NEW.team_id, 0), COALESCE(NEW.owner_id, 0), COALESCE(NEW.pipeline_id, 0), utc_month(NEW.created_at), NEW.status, NEW.currency) THEN
        INSERT INTO deal_totals (team_id, owner_id, pipeline_id, month, status, currency, n, value_hi, value_lo, cycle_s)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            COALESCE(OLD.pipeline_id, 0),
            utc_month(OLD.created_at),
            OLD.status,
            OLD.currency,
            -1,
            -(OLD.amount / 1000000000),
            -(OLD.amount % 1000000000),
            -COALESCE(OLD.cycle_s, 0)
        WHERE true
        ON CONFLICT (team_id, owner_id, pipeline_id, month, status, currency) DO UPDATE SET n = deal_totals.n + excluded.n, value_hi = deal_totals.value_hi + excluded.value_hi, value_lo = deal_totals.value_lo + excluded.value_lo, cycle_s = deal_totals.cycle_s + excluded.cycle_s;
        INSERT INTO deal_totals (team_id, owner_id, pipeline_id, month, status, currency, n, value_hi, value_lo, cycle_s)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            COALESCE(NEW.pipeline_id, 0),
            utc_month(NEW.created_at),
            NEW.status,
            NEW.currency,
            1,
            (NEW.amount / 1000000000),
            (NEW.amount % 1000000000),
            COALESCE(NEW.cycle_s, 0)
        WHERE true
        ON CONFLICT (team_id, owner_id, pipeline_id, month, status, currency) DO UPDATE SET n = deal_totals.n + excluded.n, value_hi = deal_totals.value_hi + excluded.value_hi, value_lo = deal_totals.value_lo + excluded.value_lo, cycle_s = deal_totals.cycle_s + excluded.cycle_s;
    ELSE
        INSERT INTO deal_totals (team_id, owner_id, pipeline_id, month, status, currency, n, value_hi, value_lo, cycle_s)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            COALESCE(NEW.pipeline_id, 0),
            utc_month(NEW.created_at),
            NEW.status,
            NEW.currency,
            1,
            (NEW.amount / 1000000000),
            (NEW.amount % 1000000000),
            COALESCE(NEW.cycle_s, 0)
        WHERE true
        ON CONFLICT (team_id, owner_id, pipeline_id, month, status, currency) DO UPDATE SET n = deal_totals.n + excluded.n, value_hi = deal_totals.value_hi + excluded.value_hi, value_lo = deal_totals.value_lo + excluded.value_lo, cycle_s = deal_totals.cycle_s + excluded.cycle_s;
        INSERT INTO deal_totals (team_id, owner_id, pipeline_id, month, status, currency, n, value_hi, value_lo, cycle_s)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            COALESCE(OLD.pipeline_id, 0),
            utc_month(OLD.created_at),
            OLD.status,
            OLD.currency,
            -1,
            -(OLD.amount / 1000000000),
            -(OLD.amount % 1000000000),
            -COALESCE(OLD.cycle_s, 0)
        WHERE true
        ON CONFLICT (team_id, owner_id, pipeline_id, month, status, currency) DO UPDATE SET n = deal_totals.n + excluded.n, value_hi = deal_totals.value_hi + excluded.value_hi, value_lo = deal_totals.value_lo + excluded.value_lo, cycle_s = deal_totals.cycle_s + excluded.cycle_s;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER deal_totals_insert AFTER INSERT ON deals REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION deal_totals_insert_rows();
CREATE TRIGGER deal_totals_delete AFTER DELETE ON deals REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION deal_totals_delete_rows();
CREATE TRIGGER deal_totals_update AFTER UPDATE OF team_id, owner_id, pipeline_id, created_at, status, currency, amount, cycle_s ON deals FOR EACH ROW
    WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.pipeline_id IS DISTINCT FROM NEW.pipeline_id OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.status IS DISTINCT FROM NEW.status OR OLD.currency IS DISTINCT FROM NEW.currency OR OLD.amount IS DISTINCT FROM NEW.amount OR OLD.cycle_s IS DISTINCT FROM NEW.cycle_s)
    EXECUTE FUNCTION deal_totals_update_row();
-- +goose StatementBegin
CREATE FUNCTION open_deal_totals_insert_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO open_deal_totals (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(x.team_id, 0),
            COALESCE(x.owner_id, 0),
            COALESCE(x.pipeline_id, 0),
            utc_month(x.created_at),
            COALESCE(x.stage_id, 0),
            x.currency,
            utc_month(x.expected_close),
            SUM(1),
            SUM((x.amount / 1000000000)),
            SUM((x.amount % 1000000000)),
            SUM(COALESCE((x.amount / 1000000000) * x.probability, 0)),
            SUM(COALESCE((x.amount % 1000000000) * x.probability, 0)),
            SUM((CASE WHEN x.probability IS NULL THEN x.amount / 1000000000 ELSE 0 END)),
            SUM((CASE WHEN x.probability IS NULL THEN x.amount % 1000000000 ELSE 0 END))
        FROM new_rows x WHERE x.status = 'open'
        GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), COALESCE(x.pipeline_id, 0), utc_month(x.created_at), COALESCE(x.stage_id, 0), x.currency, utc_month(x.expected_close)
        ON CONFLICT (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month) DO UPDATE SET n = open_deal_totals.n + excluded.n, value_hi = open_deal_totals.value_hi + excluded.value_hi, value_lo = open_deal_totals.value_lo + excluded.value_lo, own_weighted_hi = open_deal_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_deal_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_deal_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_deal_totals.stage_value_lo + excluded.stage_value_lo;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION open_deal_totals_delete_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO open_deal_totals (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(x.team_id, 0),
            COALESCE(x.owner_id, 0),
            COALESCE(x.pipeline_id, 0),
            utc_month(x.created_at),
            COALESCE(x.stage_id, 0),
            x.currency,
            utc_month(x.expected_close),
            SUM(-1),
            SUM(-(x.amount / 1000000000)),
            SUM(-(x.amount % 1000000000)),
            SUM(-COALESCE((x.amount / 1000000000) * x.probability, 0)),
            SUM(-COALESCE((x.amount % 1000000000) * x.probability, 0)),
            SUM(-(CASE WHEN x.probability IS NULL THEN x.amount / 1000000000 ELSE 0 END)),
            SUM(-(CASE WHEN x.probability IS NULL THEN x.amount % 1000000000 ELSE 0 END))
        FROM old_rows x WHERE x.status = 'open'
        GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), COALESCE(x.pipeline_id, 0), utc_month(x.created_at), COALESCE(x.stage_id, 0), x.currency, utc_month(x.expected_close)
        ON CONFLICT (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month) DO UPDATE SET n = open_deal_totals.n + excluded.n, value_hi = open_deal_totals.value_hi + excluded.value_hi, value_lo = open_deal_totals.value_lo + excluded.value_lo, own_weighted_hi = open_deal_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_deal_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_deal_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_deal_totals.stage_value_lo + excluded.stage_value_lo;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION open_deal_totals_update_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The two rows in the order of their keys, so that two transactions
    -- moving deals between the same two rows cannot wait on each other.
    IF ROW(COALESCE(OLD.team_id, 0), COALESCE(OLD.owner_id, 0), COALESCE(OLD.pipeline_id, 0), utc_month(OLD.created_at), COALESCE(OLD.stage_id, 0), OLD.currency, utc_month(OLD.expected_close)) < ROW(COALESCE(NEW.team_id, 0), COALESCE(NEW.owner_id, 0), COALESCE(NEW.pipeline_id, 0), utc_month(NEW.created_at), COALESCE(NEW.stage_id, 0), NEW.currency, utc_month(NEW.expected_close)) THEN
        INSERT INTO open_deal_totals (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            COALESCE(OLD.pipeline_id, 0),
            utc_month(OLD.created_at),
            COALESCE(OLD.stage_id, 0),
            OLD.currency,
            utc_month(OLD.expected_close),
            -1,
            -(OLD.amount / 1000000000),
            -(OLD.amount % 1000000000),
            -COALESCE((OLD.amount / 1000000000) * OLD.probability, 0),
            -COALESCE((OLD.amount % 1000000000) * OLD.probability, 0),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount / 1000000000 ELSE 0 END),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount % 1000000000 ELSE 0 END)
        WHERE OLD.status = 'open'
        ON CONFLICT (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month) DO UPDATE SET n = open_deal_totals.n + excluded.n, value_hi = open_deal_totals.value_hi + excluded.value_hi, value_lo = open_deal_totals.value_lo + excluded.value_lo, own_weighted_hi = open_deal_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_deal_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_deal_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_deal_totals.stage_value_lo + excluded.stage_value_lo;
        INSERT INTO open_deal_totals (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            COALESCE(NEW.pipeline_id, 0),
            utc_month(NEW.created_at),
            COALESCE(NEW.stage_id, 0),
            NEW.currency,
            utc_month(NEW.expected_close),
            1,
            (NEW.amount / 1000000000),
            (NEW.amount % 1000000000),
            COALESCE((NEW.amount / 1000000000) * NEW.probability, 0),
            COALESCE((NEW.amount % 1000000000) * NEW.probability, 0),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount / 1000000000 ELSE 0 END),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount % 1000000000 ELSE 0 END)
        WHERE NEW.status = 'open'
        ON CONFLICT (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month) DO UPDATE SET n = open_deal_totals.n + excluded.n, value_hi = open_deal_totals.value_hi + excluded.value_hi, value_lo = open_deal_totals.value_lo + excluded.value_lo, own_weighted_hi = open_deal_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_deal_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_deal_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_deal_totals.stage_value_lo + excluded.stage_value_lo;
    ELSE
        INSERT INTO open_deal_totals (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            COALESCE(NEW.pipeline_id, 0),
            utc_month(NEW.created_at),
            COALESCE(NEW.stage_id, 0),
            NEW.currency,
            utc_month(NEW.expected_close),
            1,
            (NEW.amount / 1000000000),
            (NEW.amount % 1000000000),
            COALESCE((NEW.amount / 1000000000) * NEW.probability, 0),
            COALESCE((NEW.amount % 1000000000) * NEW.probability, 0),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount / 1000000000 ELSE 0 END),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount % 1000000000 ELSE 0 END)
        WHERE NEW.status = 'open'
        ON CONFLICT (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month) DO UPDATE SET n = open_deal_totals.n + excluded.n, value_hi = open_deal_totals.value_hi + excluded.value_hi, value_lo = open_deal_totals.value_lo + excluded.value_lo, own_weighted_hi = open_deal_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_deal_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_deal_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_deal_totals.stage_value_lo + excluded.stage_value_lo;
        INSERT INTO open_deal_totals (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            COALESCE(OLD.pipeline_id, 0),
            utc_month(OLD.created_at),
            COALESCE(OLD.stage_id, 0),
            OLD.currency,
            utc_month(OLD.expected_close),
            -1,
            -(OLD.amount / 1000000000),
            -(OLD.amount % 1000000000),
            -COALESCE((OLD.amount / 1000000000) * OLD.probability, 0),
            -COALESCE((OLD.amount % 1000000000) * OLD.probability, 0),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount / 1000000000 ELSE 0 END),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount % 1000000000 ELSE 0 END)
        WHERE OLD.status = 'open'
        ON CONFLICT (team_id, owner_id, pipeline_id, month, stage_id, currency, close_month) DO UPDATE SET n = open_deal_totals.n + excluded.n, value_hi = open_deal_totals.value_hi + excluded.value_hi, value_lo = open_deal_totals.value_lo + excluded.value_lo, own_weighted_hi = open_deal_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_deal_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_deal_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_deal_totals.stage_value_lo + excluded.stage_value_lo;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER open_deal_totals_insert AFTER INSERT ON deals REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION open_deal_totals_insert_rows();
CREATE TRIGGER open_deal_totals_delete AFTER DELETE ON deals REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION open_deal_totals_delete_rows();
CREATE TRIGGER open_deal_totals_update AFTER UPDATE OF team_id, owner_id, pipeline_id, created_at, status, currency, amount, stage_id, expected_close, probability ON deals FOR EACH ROW
    WHEN ((OLD.status = 'open' OR NEW.status = 'open') AND (OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.pipeline_id IS DISTINCT FROM NEW.pipeline_id OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.status IS DISTINCT FROM NEW.status OR OLD.currency IS DISTINCT FROM NEW.currency OR OLD.amount IS DISTINCT FROM NEW.amount OR OLD.stage_id IS DISTINCT FROM NEW.stage_id OR OLD.expected_close IS DISTINCT FROM NEW.expected_close OR OLD.probability IS DISTINCT FROM NEW.probability))
    EXECUTE FUNCTION open_deal_totals_update_row();
-- +goose StatementBegin
CREATE FUNCTION open_stage_totals_insert_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO open_stage_totals (stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(x.stage_id, 0),
            x.currency,
            utc_month(x.expected_close),
            SUM(1),
            SUM((x.amount / 1000000000)),
            SUM((x.amount % 1000000000)),
            SUM(COALESCE((x.amount / 1000000000) * x.probability, 0)),
            SUM(COALESCE((x.amount % 1000000000) * x.probability, 0)),
            SUM((CASE WHEN x.probability IS NULL THEN x.amount / 1000000000 ELSE 0 END)),
            SUM((CASE WHEN x.probability IS NULL THEN x.amount % 1000000000 ELSE 0 END))
        FROM new_rows x WHERE x.status = 'open'
        GROUP BY COALESCE(x.stage_id, 0), x.currency, utc_month(x.expected_close)
        ON CONFLICT (stage_id, currency, close_month) DO UPDATE SET n = open_stage_totals.n + excluded.n, value_hi = open_stage_totals.value_hi + excluded.value_hi, value_lo = open_stage_totals.value_lo + excluded.value_lo, own_weighted_hi = open_stage_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_stage_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_stage_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_stage_totals.stage_value_lo + excluded.stage_value_lo;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION open_stage_totals_delete_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO open_stage_totals (stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(x.stage_id, 0),
            x.currency,
            utc_month(x.expected_close),
            SUM(-1),
            SUM(-(x.amount / 1000000000)),
            SUM(-(x.amount % 1000000000)),
            SUM(-COALESCE((x.amount / 1000000000) * x.probability, 0)),
            SUM(-COALESCE((x.amount % 1000000000) * x.probability, 0)),
            SUM(-(CASE WHEN x.probability IS NULL THEN x.amount / 1000000000 ELSE 0 END)),
            SUM(-(CASE WHEN x.probability IS NULL THEN x.amount % 1000000000 ELSE 0 END))
        FROM old_rows x WHERE x.status = 'open'
        GROUP BY COALESCE(x.stage_id, 0), x.currency, utc_month(x.expected_close)
        ON CONFLICT (stage_id, currency, close_month) DO UPDATE SET n = open_stage_totals.n + excluded.n, value_hi = open_stage_totals.value_hi + excluded.value_hi, value_lo = open_stage_totals.value_lo + excluded.value_lo, own_weighted_hi = open_stage_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_stage_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_stage_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_stage_totals.stage_value_lo + excluded.stage_value_lo;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION open_stage_totals_update_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The two rows in the order of their keys, so that two transactions
    -- moving deals between the same two rows cannot wait on each other.
    IF ROW(COALESCE(OLD.stage_id, 0), OLD.currency, utc_month(OLD.expected_close)) < ROW(COALESCE(NEW.stage_id, 0), NEW.currency, utc_month(NEW.expected_close)) THEN
        INSERT INTO open_stage_totals (stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(OLD.stage_id, 0),
            OLD.currency,
            utc_month(OLD.expected_close),
            -1,
            -(OLD.amount / 1000000000),
            -(OLD.amount % 1000000000),
            -COALESCE((OLD.amount / 1000000000) * OLD.probability, 0),
            -COALESCE((OLD.amount % 1000000000) * OLD.probability, 0),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount / 1000000000 ELSE 0 END),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount % 1000000000 ELSE 0 END)
        WHERE OLD.status = 'open'
        ON CONFLICT (stage_id, currency, close_month) DO UPDATE SET n = open_stage_totals.n + excluded.n, value_hi = open_stage_totals.value_hi + excluded.value_hi, value_lo = open_stage_totals.value_lo + excluded.value_lo, own_weighted_hi = open_stage_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_stage_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_stage_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_stage_totals.stage_value_lo + excluded.stage_value_lo;
        INSERT INTO open_stage_totals (stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(NEW.stage_id, 0),
            NEW.currency,
            utc_month(NEW.expected_close),
            1,
            (NEW.amount / 1000000000),
            (NEW.amount % 1000000000),
            COALESCE((NEW.amount / 1000000000) * NEW.probability, 0),
            COALESCE((NEW.amount % 1000000000) * NEW.probability, 0),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount / 1000000000 ELSE 0 END),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount % 1000000000 ELSE 0 END)
        WHERE NEW.status = 'open'
        ON CONFLICT (stage_id, currency, close_month) DO UPDATE SET n = open_stage_totals.n + excluded.n, value_hi = open_stage_totals.value_hi + excluded.value_hi, value_lo = open_stage_totals.value_lo + excluded.value_lo, own_weighted_hi = open_stage_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_stage_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_stage_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_stage_totals.stage_value_lo + excluded.stage_value_lo;
    ELSE
        INSERT INTO open_stage_totals (stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(NEW.stage_id, 0),
            NEW.currency,
            utc_month(NEW.expected_close),
            1,
            (NEW.amount / 1000000000),
            (NEW.amount % 1000000000),
            COALESCE((NEW.amount / 1000000000) * NEW.probability, 0),
            COALESCE((NEW.amount % 1000000000) * NEW.probability, 0),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount / 1000000000 ELSE 0 END),
            (CASE WHEN NEW.probability IS NULL THEN NEW.amount % 1000000000 ELSE 0 END)
        WHERE NEW.status = 'open'
        ON CONFLICT (stage_id, currency, close_month) DO UPDATE SET n = open_stage_totals.n + excluded.n, value_hi = open_stage_totals.value_hi + excluded.value_hi, value_lo = open_stage_totals.value_lo + excluded.value_lo, own_weighted_hi = open_stage_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_stage_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_stage_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_stage_totals.stage_value_lo + excluded.stage_value_lo;
        INSERT INTO open_stage_totals (stage_id, currency, close_month, n, value_hi, value_lo, own_weighted_hi, own_weighted_lo, stage_value_hi, stage_value_lo)
        SELECT COALESCE(OLD.stage_id, 0),
            OLD.currency,
            utc_month(OLD.expected_close),
            -1,
            -(OLD.amount / 1000000000),
            -(OLD.amount % 1000000000),
            -COALESCE((OLD.amount / 1000000000) * OLD.probability, 0),
            -COALESCE((OLD.amount % 1000000000) * OLD.probability, 0),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount / 1000000000 ELSE 0 END),
            -(CASE WHEN OLD.probability IS NULL THEN OLD.amount % 1000000000 ELSE 0 END)
        WHERE OLD.status = 'open'
        ON CONFLICT (stage_id, currency, close_month) DO UPDATE SET n = open_stage_totals.n + excluded.n, value_hi = open_stage_totals.value_hi + excluded.value_hi, value_lo = open_stage_totals.value_lo + excluded.value_lo, own_weighted_hi = open_stage_totals.own_weighted_hi + excluded.own_weighted_hi, own_weighted_lo = open_stage_totals.own_weighted_lo + excluded.own_weighted_lo, stage_value_hi = open_stage_totals.stage_value_hi + excluded.stage_value_hi, stage_value_lo = open_stage_totals.stage_value_lo + excluded.stage_value_lo;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER open_stage_totals_insert AFTER INSERT ON deals REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION open_stage_totals_insert_rows();
CREATE TRIGGER open_stage_totals_delete AFTER DELETE ON deals REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION open_stage_totals_delete_rows();
CREATE TRIGGER open_stage_totals_update AFTER UPDATE OF status, currency, amount, stage_id, expected_close, probability ON deals FOR EACH ROW
    WHEN ((OLD.status = 'open' OR NEW.status = 'open') AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.currency IS DISTINCT FROM NEW.currency OR OLD.amount IS DISTINCT FROM NEW.amount OR OLD.stage_id IS DISTINCT FROM NEW.stage_id OR OLD.expected_close IS DISTINCT FROM NEW.expected_close OR OLD.probability IS DISTINCT FROM NEW.probability))
    EXECUTE FUNCTION open_stage_totals_update_row();
-- +goose StatementBegin
CREATE FUNCTION reach_totals_insert_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reach_totals (team_id, owner_id, pipeline_id, month, furthest_position, n)
        SELECT COALESCE(x.team_id, 0),
            COALESCE(x.owner_id, 0),
            COALESCE(x.pipeline_id, 0),
            utc_month(x.created_at),
            x.furthest_position,
            SUM(1)
        FROM new_rows x
        GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), COALESCE(x.pipeline_id, 0), utc_month(x.created_at), x.furthest_position
        ON CONFLICT (team_id, owner_id, pipeline_id, month, furthest_position) DO UPDATE SET n = reach_totals.n + excluded.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION reach_totals_delete_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reach_totals (team_id, owner_id, pipeline_id, month, furthest_position, n)
        SELECT COALESCE(x.team_id, 0),
            COALESCE(x.owner_id, 0),
            COALESCE(x.pipeline_id, 0),
            utc_month(x.created_at),
            x.furthest_position,
            SUM(-1)
        FROM old_rows x
        GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), COALESCE(x.pipeline_id, 0), utc_month(x.created_at), x.furthest_position
        ON CONFLICT (team_id, owner_id, pipeline_id, month, furthest_position) DO UPDATE SET n = reach_totals.n + excluded.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION reach_totals_update_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The two rows in the order of their keys, so that two transactions
    -- moving deals between the same two rows cannot wait on each other.
    IF ROW(COALESCE(OLD.team_id, 0), COALESCE(OLD.owner_id, 0), COALESCE(OLD.pipeline_id, 0), utc_month(OLD.created_at), OLD.furthest_position) < ROW(COALESCE(NEW.team_id, 0), COALESCE(NEW.owner_id, 0), COALESCE(NEW.pipeline_id, 0), utc_month(NEW.created_at), NEW.furthest_position) THEN
        INSERT INTO reach_totals (team_id, owner_id, pipeline_id, month, furthest_position, n)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            COALESCE(OLD.pipeline_id, 0),
            utc_month(OLD.created_at),
            OLD.furthest_position,
            -1
        WHERE true
        ON CONFLICT (team_id, owner_id, pipeline_id, month, furthest_position) DO UPDATE SET n = reach_totals.n + excluded.n;
        INSERT INTO reach_totals (team_id, owner_id, pipeline_id, month, furthest_position, n)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            COALESCE(NEW.pipeline_id, 0),
            utc_month(NEW.created_at),
            NEW.furthest_position,
            1
        WHERE true
        ON CONFLICT (team_id, owner_id, pipeline_id, month, furthest_position) DO UPDATE SET n = reach_totals.n + excluded.n;
    ELSE
        INSERT INTO reach_totals (team_id, owner_id, pipeline_id, month, furthest_position, n)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            COALESCE(NEW.pipeline_id, 0),
            utc_month(NEW.created_at),
            NEW.furthest_position,
            1
        WHERE true
        ON CONFLICT (team_id, owner_id, pipeline_id, month, furthest_position) DO UPDATE SET n = reach_totals.n + excluded.n;
        INSERT INTO reach_totals (team_id, owner_id, pipeline_id, month, furthest_position, n)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            COALESCE(OLD.pipeline_id, 0),
            utc_month(OLD.created_at),
            OLD.furthest_position,
            -1
        WHERE true
        ON CONFLICT (team_id, owner_id, pipeline_id, month, furthest_position) DO UPDATE SET n = reach_totals.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER reach_totals_insert AFTER INSERT ON deals REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reach_totals_insert_rows();
CREATE TRIGGER reach_totals_delete AFTER DELETE ON deals REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reach_totals_delete_rows();
CREATE TRIGGER reach_totals_update AFTER UPDATE OF team_id, owner_id, pipeline_id, created_at, furthest_position ON deals FOR EACH ROW
    WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.pipeline_id IS DISTINCT FROM NEW.pipeline_id OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.furthest_position IS DISTINCT FROM NEW.furthest_position)
    EXECUTE FUNCTION reach_totals_update_row();
-- +goose StatementBegin
CREATE FUNCTION lead_totals_insert_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lead_totals (team_id, owner_id, source_channel, month, leads, deals, won, responded)
        SELECT COALESCE(x.team_id, 0),
            COALESCE(x.owner_id, 0),
            x.source_channel,
            utc_month(x.created_at),
            SUM(1),
            SUM((CASE WHEN x.deal_status IS NULL THEN 0 ELSE 1 END)),
            SUM((CASE WHEN x.deal_status = 'won' THEN 1 ELSE 0 END)),
            SUM((CASE WHEN x.response_s IS NULL THEN 0 ELSE 1 END))
        FROM new_rows x
        GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), x.source_channel, utc_month(x.created_at)
        ON CONFLICT (team_id, owner_id, source_channel, month) DO UPDATE SET leads = lead_totals.leads + excluded.leads, deals = lead_totals.deals + excluded.deals, won = lead_totals.won + excluded.won, responded = lead_totals.responded + excluded.responded;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION lead_totals_delete_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lead_totals (team_id, owner_id, source_channel, month, leads, deals, won, responded)
        SELECT COALESCE(x.team_id, 0),
            COALESCE(x.owner_id, 0),
            x.source_channel,
            utc_month(x.created_at),
            SUM(-1),
            SUM(-(CASE WHEN x.deal_status IS NULL THEN 0 ELSE 1 END)),
            SUM(-(CASE WHEN x.deal_status = 'won' THEN 1 ELSE 0 END)),
            SUM(-(CASE WHEN x.response_s IS NULL THEN 0 ELSE 1 END))
        FROM old_rows x
        GROUP BY COALESCE(x.team_id, 0), COALESCE(x.owner_id, 0), x.source_channel, utc_month(x.created_at)
        ON CONFLICT (team_id, owner_id, source_channel, month) DO UPDATE SET leads = lead_totals.leads + excluded.leads, deals = lead_totals.deals + excluded.deals, won = lead_totals.won + excluded.won, responded = lead_totals.responded + excluded.responded;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION lead_totals_update_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The two rows in the order of their keys, so that two transactions
    -- moving deals between the same two rows cannot wait on each other.
    IF ROW(COALESCE(OLD.team_id, 0), COALESCE(OLD.owner_id, 0), OLD.source_channel, utc_month(OLD.created_at)) < ROW(COALESCE(NEW.team_id, 0), COALESCE(NEW.owner_id, 0), NEW.source_channel, utc_month(NEW.created_at)) THEN
        INSERT INTO lead_totals (team_id, owner_id, source_channel, month, leads, deals, won, responded)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            OLD.source_channel,
            utc_month(OLD.created_at),
            -1,
            -(CASE WHEN OLD.deal_status IS NULL THEN 0 ELSE 1 END),
            -(CASE WHEN OLD.deal_status = 'won' THEN 1 ELSE 0 END),
            -(CASE WHEN OLD.response_s IS NULL THEN 0 ELSE 1 END)
        WHERE true
        ON CONFLICT (team_id, owner_id, source_channel, month) DO UPDATE SET leads = lead_totals.leads + excluded.leads, deals = lead_totals.deals + excluded.deals, won = lead_totals.won + excluded.won, responded = lead_totals.responded + excluded.responded;
        INSERT INTO lead_totals (team_id, owner_id, source_channel, month, leads, deals, won, responded)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            NEW.source_channel,
            utc_month(NEW.created_at),
            1,
            (CASE WHEN NEW.deal_status IS NULL THEN 0 ELSE 1 END),
            (CASE WHEN NEW.deal_status = 'won' THEN 1 ELSE 0 END),
            (CASE WHEN NEW.response_s IS NULL THEN 0 ELSE 1 END)
        WHERE true
        ON CONFLICT (team_id, owner_id, source_channel, month) DO UPDATE SET leads = lead_totals.leads + excluded.leads, deals = lead_totals.deals + excluded.deals, won = lead_totals.won + excluded.won, responded = lead_totals.responded + excluded.responded;
    ELSE
        INSERT INTO lead_totals (team_id, owner_id, source_channel, month, leads, deals, won, responded)
        SELECT COALESCE(NEW.team_id, 0),
            COALESCE(NEW.owner_id, 0),
            NEW.source_channel,
            utc_month(NEW.created_at),
            1,
            (CASE WHEN NEW.deal_status IS NULL THEN 0 ELSE 1 END),
            (CASE WHEN NEW.deal_status = 'won' THEN 1 ELSE 0 END),
            (CASE WHEN NEW.response_s IS NULL THEN 0 ELSE 1 END)
        WHERE true
        ON CONFLICT (team_id, owner_id, source_channel, month) DO UPDATE SET leads = lead_totals.leads + excluded.leads, deals = lead_totals.deals + excluded.deals, won = lead_totals.won + excluded.won, responded = lead_totals.responded + excluded.responded;
        INSERT INTO lead_totals (team_id, owner_id, source_channel, month, leads, deals, won, responded)
        SELECT COALESCE(OLD.team_id, 0),
            COALESCE(OLD.owner_id, 0),
            OLD.source_channel,
            utc_month(OLD.created_at),
            -1,
            -(CASE WHEN OLD.deal_status IS NULL THEN 0 ELSE 1 END),
            -(CASE WHEN OLD.deal_status = 'won' THEN 1 ELSE 0 END),
            -(CASE WHEN OLD.response_s IS NULL THEN 0 ELSE 1 END)
        WHERE true
        ON CONFLICT (team_id, owner_id, source_channel, month) DO UPDATE SET leads = lead_totals.leads + excluded.leads, deals = lead_totals.deals + excluded.deals, won = lead_totals.won + excluded.won, responded = lead_totals.responded + excluded.responded;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER lead_totals_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lead_totals_insert_rows();
CREATE TRIGGER lead_totals_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lead_totals_delete_rows();
CREATE TRIGGER lead_totals_update AFTER UPDATE OF team_id, owner_id, source_channel, created_at, deal_status, response_s ON leads FOR EACH ROW
    WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.source_channel IS DISTINCT FROM NEW.source_channel OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.deal_status IS DISTINCT FROM NEW.deal_status OR (OLD.response_s IS NULL) IS DISTINCT FROM (NEW.response_s IS NULL))
    EXECUTE FUNCTION lead_totals_update_row();

-- +goose Down
DROP TRIGGER deal_totals_insert ON deals;
DROP TRIGGER deal_totals_update ON deals;
DROP TRIGGER deal_totals_delete ON deals;
DROP FUNCTION deal_totals_insert_rows();
DROP FUNCTION deal_totals_delete_rows();
DROP FUNCTION deal_totals_update_row();
DROP TRIGGER open_deal_totals_insert ON deals;
DROP TRIGGER open_deal_totals_update ON deals;
DROP TRIGGER open_deal_totals_delete ON deals;
DROP FUNCTION open_deal_totals_insert_rows();
DROP FUNCTION open_deal_totals_delete_rows();
DROP FUNCTION open_deal_totals_update_row();
DROP TRIGGER open_stage_totals_insert ON deals;
DROP TRIGGER open_stage_totals_update ON deals;
DROP TRIGGER open_stage_totals_delete ON deals;
DROP FUNCTION open_stage_totals_insert_rows();
DROP FUNCTION open_stage_totals_delete_rows();
DROP FUNCTION open_stage_totals_update_row();
DROP TRIGGER reach_totals_insert ON deals;
DROP TRIGGER reach_totals_update ON deals;
DROP TRIGGER reach_totals_delete ON deals;
DROP FUNCTION reach_totals_insert_rows();
DROP FUNCTION reach_totals_delete_rows();
DROP FUNCTION reach_totals_update_row();
DROP TRIGGER lead_totals_insert ON leads;
DROP TRIGGER lead_totals_update ON leads;
DROP TRIGGER lead_totals_delete ON leads;
DROP FUNCTION lead_totals_insert_rows();
DROP FUNCTION lead_totals_delete_rows();
DROP FUNCTION lead_totals_update_row();
DROP TABLE lead_totals;
DROP TABLE reach_totals;
DROP TABLE open_stage_totals;
DROP TABLE open_deal_totals;
DROP TABLE deal_totals;
DROP FUNCTION utc_month(TIMESTAMPTZ);

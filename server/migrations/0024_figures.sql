-- The officers' figures, kept as the events happen (issue 16): counting a
-- million cards and ten million redemptions on every look took seconds.
-- Every write that makes a figure adds to these rows in its own
-- transaction, so they are never behind; `figures_built` records that the
-- rows were counted once from the records (`store::figures::rebuild`), for
-- databases that held events before this table existed and after the demo's
-- bulk load.

-- Per union and China day (days since 1970-01-01 at UTC+8): what happened.
-- The union is the member's (or the case's) when it happened: a member who
-- moves (转会) takes their card along as `cards_moved` / `active_moved`,
-- and a replaced card loses its activation as `active_moved`, so the cards
-- a union holds on a day are the sums up to that day.
CREATE TABLE figure_days (
    union_id BIGINT NOT NULL REFERENCES unions(id),
    day BIGINT NOT NULL,
    issued BIGINT NOT NULL DEFAULT 0,
    activated BIGINT NOT NULL DEFAULT 0,
    cards_moved BIGINT NOT NULL DEFAULT 0,
    active_moved BIGINT NOT NULL DEFAULT 0,
    redemptions BIGINT NOT NULL DEFAULT 0,
    savings_fen BIGINT NOT NULL DEFAULT 0,
    enrolments BIGINT NOT NULL DEFAULT 0,
    claims BIGINT NOT NULL DEFAULT 0,
    claims_fen BIGINT NOT NULL DEFAULT 0,
    signups BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (union_id, day)
);

-- The cards each union holds now (the sums of `figure_days`' card
-- columns): the cards at the end of a day are these less the changes after
-- it, a handful of rows for a recent day instead of every day since the
-- first card.
CREATE TABLE figure_cards (
    union_id BIGINT PRIMARY KEY REFERENCES unions(id),
    held BIGINT NOT NULL DEFAULT 0,
    active BIGINT NOT NULL DEFAULT 0
);

-- Who used the card, per union and day and per union and month, as a
-- compressed bitmap (Roaring) of the members' numbers in that union:
-- "used in a period" counts distinct members, which sums cannot give.
CREATE TABLE use_days (
    union_id BIGINT NOT NULL REFERENCES unions(id),
    day BIGINT NOT NULL,
    members {{BLOB}} NOT NULL,
    PRIMARY KEY (union_id, day)
);
CREATE TABLE use_months (
    union_id BIGINT NOT NULL REFERENCES unions(id),
    month BIGINT NOT NULL,
    members {{BLOB}} NOT NULL,
    PRIMARY KEY (union_id, month)
);

-- A member's number in a union's bitmaps: small and dense per union, so a
-- month of a workplace's members is a few kilobytes. Given at the first use
-- there; a member who moves gets a new one in the new union.
CREATE TABLE use_numbers (
    roster_id BIGINT NOT NULL REFERENCES roster_entries(id),
    union_id BIGINT NOT NULL REFERENCES unions(id),
    seq BIGINT NOT NULL,
    PRIMARY KEY (roster_id, union_id)
);
CREATE TABLE use_number_next (
    union_id BIGINT PRIMARY KEY REFERENCES unions(id),
    next_seq BIGINT NOT NULL
);

CREATE TABLE figures_built (
    id BIGINT PRIMARY KEY,
    built_at BIGINT NOT NULL
);

-- This year's "used" without reading a bitmap, and the small columns of
-- the use tables before their bitmaps (issue 16).
--
-- Each union's months of a year keep who used the card from January up to
-- them (`to_date`); this year, up to a day after the union's last use, is
-- that bitmap's size, now kept beside it (`to_date_used`, in both tables:
-- this month's own count comes from the day row).
--
-- The tables are made again so that the numbers come first. SQLite keeps a
-- row's columns in order, and a bitmap larger than a page goes on in
-- overflow pages: a column after the bitmaps (as `used` was, added by
-- 0032) was read by following every one of those pages. At a million
-- members `use_days` is 200 MB, and the figures read the sizes of hundreds
-- of rows a look.
DROP TABLE use_days;
DROP TABLE use_months;
CREATE TABLE use_days (
    union_id BIGINT NOT NULL REFERENCES unions(id),
    day BIGINT NOT NULL,
    to_date_used BIGINT NOT NULL DEFAULT 0,
    members {{BLOB}} NOT NULL,
    to_date {{BLOB}},
    to_end {{BLOB}},
    PRIMARY KEY (union_id, day)
);
CREATE TABLE use_months (
    union_id BIGINT NOT NULL REFERENCES unions(id),
    month BIGINT NOT NULL,
    used BIGINT NOT NULL DEFAULT 0,
    to_date_used BIGINT NOT NULL DEFAULT 0,
    members {{BLOB}} NOT NULL,
    to_date {{BLOB}},
    to_end {{BLOB}},
    PRIMARY KEY (union_id, month)
);

-- Filled by counting the figures again from the records at the next start
-- (`store::figures::rebuild`).
DELETE FROM figures_built;

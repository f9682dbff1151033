-- This year's "used" without reading a bitmap (issue 16). Each union's
-- months of a year already keep who used the card from January up to them
-- (`to_date`); this year, up to a day after the union's last use, is that
-- bitmap's size. Reading and joining two bitmaps per union (the months up
-- to last month and this month's days) grew with the members: the city's
-- figures for this year took 2.0x as long at a million members as at ten
-- thousand, and the joins were what grew in a profile.
--
-- `to_date_used` is the size of `to_date`, kept beside it with every use,
-- in both tables (this month's own count comes from the day row).
ALTER TABLE use_days ADD COLUMN to_date_used BIGINT NOT NULL DEFAULT 0;
ALTER TABLE use_months ADD COLUMN to_date_used BIGINT NOT NULL DEFAULT 0;

-- Filled by counting the figures again from the records at the next start
-- (`store::figures::rebuild`).
DELETE FROM figures_built;

-- Who used the card over a stretch of days, without joining a bitmap per
-- day and month (issue 16). A city's quarter from mid-month to mid-month
-- joined 30 days' bitmaps of each of its unions at either end, and this
-- year eleven months' more: the work grew with the members in each bitmap.
--
-- Each row of a group (the days of a month, the months of a year) now also
-- holds who used the card from the group's start up to it (`to_date`, kept
-- with every use) and from it to the group's end (`to_end`, made once the
-- union has used a later group, then kept, NULL before). Any period is then
-- a handful of bitmaps per union: the days at its two ends, the months
-- between, the years between (`store::uses`). `used` is the size of a
-- month's bitmap, for the figures' months without reading it.
ALTER TABLE use_days ADD COLUMN to_date {{BLOB}};
ALTER TABLE use_days ADD COLUMN to_end {{BLOB}};
ALTER TABLE use_months ADD COLUMN to_date {{BLOB}};
ALTER TABLE use_months ADD COLUMN to_end {{BLOB}};
ALTER TABLE use_months ADD COLUMN used BIGINT NOT NULL DEFAULT 0;

-- The new columns are filled by counting the figures again from the
-- records at the next start (`store::figures::rebuild`).
DELETE FROM figures_built;

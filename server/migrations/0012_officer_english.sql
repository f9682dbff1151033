-- Officer-written texts in English too (optional; empty: members reading
-- English see the Chinese).
ALTER TABLE aid_plans ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE aid_plans ADD COLUMN summary_en TEXT NOT NULL DEFAULT '';

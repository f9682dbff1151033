-- PostgreSQL only. The two tables that grow with every day of use,
-- `redemptions` and `audit_log`, split by China month (issue 16). Old
-- months can then be moved to slower storage, or detached and archived,
-- without touching this month's; and a reader of a period reads only its
-- months. SQLite keeps them whole: one city's file does not need it.
--
-- The split key is when a row was made (`created_at`, `at`), which never
-- changes: a code confirmed later stays in the month it was given, so the
-- confirmation stays the one conditional update it always was.

-- Makes the parts of `parent` (split on `col`, seconds since the epoch) for
-- the China months from `from_at` to `to_at`, and moves any rows of those
-- months out of the default part into their own. Returns how many it made.
-- The server calls it at start and every hour for the months ahead
-- (`store::partitions`); the default part only holds rows of a month
-- nobody made yet, and never loses one.
CREATE FUNCTION uc_month_partitions(parent TEXT, col TEXT, from_at BIGINT, to_at BIGINT)
RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    -- China keeps one offset all year: a month starts at 00:00 UTC+8.
    month DATE := date_trunc('month', to_timestamp(from_at + 28800) AT TIME ZONE 'UTC')::date;
    last DATE := date_trunc('month', to_timestamp(to_at + 28800) AT TIME ZONE 'UTC')::date;
    lo BIGINT;
    hi BIGINT;
    part TEXT;
    made INTEGER := 0;
BEGIN
    -- Two servers starting at once make each month once.
    PERFORM pg_advisory_xact_lock(hashtext('uc_month_partitions ' || parent));
    WHILE month <= last LOOP
        lo := EXTRACT(EPOCH FROM month::timestamp)::bigint - 28800;
        hi := EXTRACT(EPOCH FROM (month + INTERVAL '1 month')::timestamp)::bigint - 28800;
        part := parent || '_' || to_char(month, 'YYYYMM');
        IF to_regclass(part) IS NULL THEN
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
            EXECUTE format(
                'WITH moved AS (DELETE FROM %I WHERE %I >= %s AND %I < %s RETURNING *) INSERT INTO %I SELECT * FROM moved',
                parent || '_default', col, lo, col, hi, part);
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', parent, part, lo, hi);
            made := made + 1;
        END IF;
        month := month + INTERVAL '1 month';
    END LOOP;
    RETURN made;
END;
$$;

-- ---- redemptions ----
-- A split table's keys hold its split column, so no other table can point
-- at one use by its id alone: a complaint's use is checked by the server
-- (`store::offers::is_card_use_at`), and the codes' uniqueness is kept by
-- `redemption_codes` (migration 0026).
ALTER TABLE complaints DROP CONSTRAINT complaints_redemption_id_fkey;
ALTER TABLE redemptions RENAME TO redemptions_whole;
ALTER INDEX redemptions_pkey RENAME TO redemptions_whole_pkey;
ALTER INDEX redemptions_card RENAME TO redemptions_whole_card;
ALTER INDEX redemptions_merchant RENAME TO redemptions_whole_merchant;
ALTER INDEX redemptions_confirmed RENAME TO redemptions_whole_confirmed;
CREATE SEQUENCE redemption_ids;
CREATE TABLE redemptions (
    id BIGINT NOT NULL DEFAULT nextval('redemption_ids'),
    code TEXT NOT NULL REFERENCES redemption_codes(code),
    offer_id BIGINT NOT NULL REFERENCES offers(id),
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    card_id BIGINT NOT NULL REFERENCES cards(id),
    user_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    cashier_id BIGINT REFERENCES users(id),
    bill_fen BIGINT,
    discount_fen BIGINT,
    pay_fen BIGINT,
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
ALTER SEQUENCE redemption_ids OWNED BY redemptions.id;
CREATE TABLE redemptions_default PARTITION OF redemptions DEFAULT;
CREATE INDEX redemptions_code ON redemptions(code);
CREATE INDEX redemptions_card ON redemptions(card_id, offer_id, status);
CREATE INDEX redemptions_merchant ON redemptions(merchant_id, confirmed_at);
CREATE INDEX redemptions_confirmed ON redemptions(confirmed_at);
SELECT uc_month_partitions('redemptions', 'created_at',
    COALESCE((SELECT MIN(created_at) FROM redemptions_whole), EXTRACT(EPOCH FROM now())::bigint),
    EXTRACT(EPOCH FROM now())::bigint + 92 * 86400);
INSERT INTO redemptions SELECT id, code, offer_id, merchant_id, card_id, user_id, status, created_at,
    expires_at, confirmed_at, cashier_id, bill_fen, discount_fen, pay_fen FROM redemptions_whole;
SELECT setval('redemption_ids', COALESCE((SELECT MAX(id) FROM redemptions), 0) + 1, false);
DROP TABLE redemptions_whole;

-- ---- audit_log ----
ALTER TABLE audit_log RENAME TO audit_log_whole;
ALTER INDEX audit_log_pkey RENAME TO audit_log_whole_pkey;
ALTER INDEX audit_union_at RENAME TO audit_whole_union_at;
CREATE SEQUENCE audit_log_ids;
CREATE TABLE audit_log (
    id BIGINT NOT NULL DEFAULT nextval('audit_log_ids'),
    at BIGINT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    union_id BIGINT REFERENCES unions(id),
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
ALTER SEQUENCE audit_log_ids OWNED BY audit_log.id;
CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT;
CREATE INDEX audit_union_at ON audit_log(union_id, at);
SELECT uc_month_partitions('audit_log', 'at',
    COALESCE((SELECT MIN(at) FROM audit_log_whole), EXTRACT(EPOCH FROM now())::bigint),
    EXTRACT(EPOCH FROM now())::bigint + 92 * 86400);
INSERT INTO audit_log SELECT id, at, actor_id, union_id, action, target, before_json, after_json
    FROM audit_log_whole;
SELECT setval('audit_log_ids', COALESCE((SELECT MAX(id) FROM audit_log), 0) + 1, false);
DROP TABLE audit_log_whole;

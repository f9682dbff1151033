-- Every one-time code ever given, and when (issue 16). A code is given once
-- in the life of the scheme, so its digits find one use. The unique index
-- on `redemptions.code` said so while `redemptions` was one table; on
-- PostgreSQL it is now split by month (migration 0029), and a split table's
-- unique keys must hold the month, so the book keeps the codes' uniqueness
-- for both engines. Issuing writes the code here first
-- (`store::offers::issue_code`); a lookup by code reads its month here and
-- then only that month's part of `redemptions`.
CREATE TABLE redemption_codes (
    code TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
){{WITHOUT_ROWID}};

INSERT INTO redemption_codes (code, created_at) SELECT code, created_at FROM redemptions;

-- Every case file's timeline has one shape (status, when, who, note,
-- amount): a loan's steps may carry an amount too (the sum paid out),
-- like an aid claim's approval.
ALTER TABLE loan_events ADD COLUMN amount_fen BIGINT;

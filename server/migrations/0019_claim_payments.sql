-- Mutual-aid claims paid through the ledger: a line may pay one approved
-- claim, and only one live line may pay it (two officers preparing at once
-- make one batch with it; a failed or withdrawn line frees it again).
ALTER TABLE payment_lines ADD COLUMN aid_claim_id BIGINT REFERENCES aid_claims(id);
CREATE UNIQUE INDEX payment_lines_claim_once ON payment_lines(aid_claim_id)
    WHERE aid_claim_id IS NOT NULL AND status <> 'failed' AND status <> 'cancelled';
-- A claim's view reads how its newest line stands.
CREATE INDEX payment_lines_claim ON payment_lines(aid_claim_id, id);

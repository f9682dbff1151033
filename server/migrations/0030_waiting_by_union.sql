-- The officers' home counts what waits in each queue of their unions
-- (issue 16). The waiting claims' index was ordered by when they were sent,
-- so a district's count read every waiting claim of the city to find its
-- own. These hold only what waits, by union: a count reads its unions'
-- entries, and stops at the badge's cap (`QUEUE_COUNT_CAP`).
CREATE INDEX aid_claims_waiting_union ON aid_claims(union_id)
    WHERE status IN ('submitted', 'under_review', 'documents_requested');
CREATE INDEX loan_applications_waiting_union ON loan_applications(union_id)
    WHERE status IN ('submitted', 'union_approved', 'guaranteed');

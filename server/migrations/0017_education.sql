-- 金秋助学: a union's round for a year (window, amount per level), the
-- applications members send for their children (case files: timeline and
-- documents), and, on the payments ledger, which award a line pays.
CREATE TABLE education_rounds (
    id {{ID}},
    union_id BIGINT NOT NULL REFERENCES unions(id),
    year BIGINT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    bachelor_fen BIGINT NOT NULL,
    college_fen BIGINT NOT NULL,
    vocational_fen BIGINT NOT NULL,
    set_by BIGINT REFERENCES users(id),
    set_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX education_rounds_union_year ON education_rounds(union_id, year);

CREATE TABLE education_applications (
    id {{ID}},
    round_id BIGINT NOT NULL REFERENCES education_rounds(id),
    roster_id BIGINT NOT NULL REFERENCES roster_entries(id),
    union_id BIGINT NOT NULL REFERENCES unions(id),
    status TEXT NOT NULL,
    student_name TEXT NOT NULL,
    school TEXT NOT NULL,
    level TEXT NOT NULL,
    admitted_on TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT
);
CREATE INDEX education_applications_queue ON education_applications(status, id);
CREATE INDEX education_applications_roster ON education_applications(roster_id);
-- One award per student per year: a refused application may be sent again.
CREATE UNIQUE INDEX education_applications_one_per_student
    ON education_applications(round_id, roster_id, student_name) WHERE status <> 'rejected';

CREATE TABLE education_events (
    id {{ID}},
    application_id BIGINT NOT NULL REFERENCES education_applications(id),
    status TEXT NOT NULL,
    at BIGINT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    note TEXT,
    amount_fen BIGINT
);
CREATE INDEX education_events_application ON education_events(application_id);

CREATE TABLE education_documents (
    id {{ID}},
    application_id BIGINT NOT NULL REFERENCES education_applications(id),
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX education_documents_application ON education_documents(application_id);

-- An award is paid by one live line at a time, even when two officers
-- prepare batches at once; a failed line frees it for a retry.
ALTER TABLE payment_lines ADD COLUMN education_id BIGINT REFERENCES education_applications(id);
CREATE UNIQUE INDEX payment_lines_award_once ON payment_lines(education_id)
    WHERE education_id IS NOT NULL AND status <> 'failed' AND status <> 'cancelled';

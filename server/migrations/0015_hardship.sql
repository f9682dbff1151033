-- Hardship files (困难职工档案): one row per file a member (or an officer
-- for them) sends; its timeline and documents in the case-file shape. The
-- household's figures are kept as sent, with the line they were judged
-- against, so the proposal reads the same later.
CREATE TABLE hardship_files (
    id {{ID}},
    roster_id BIGINT NOT NULL REFERENCES roster_entries(id),
    union_id BIGINT NOT NULL REFERENCES unions(id),
    status TEXT NOT NULL,
    household_size BIGINT NOT NULL,
    monthly_income_fen BIGINT NOT NULL,
    causes TEXT NOT NULL,
    note TEXT NOT NULL,
    line_fen BIGINT NOT NULL,
    proposed_category TEXT,
    category TEXT,
    valid_until TEXT,
    filed_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    submitted_at BIGINT,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    -- When the member was told the file ends soon (once per file).
    renewal_told_at BIGINT
);
CREATE INDEX hardship_files_queue ON hardship_files(status, submitted_at);
CREATE INDEX hardship_files_roster ON hardship_files(roster_id);
-- At most one file waiting per member, even when two requests race.
CREATE UNIQUE INDEX hardship_files_one_open ON hardship_files(roster_id)
    WHERE status IN ('draft', 'submitted');

CREATE TABLE hardship_file_events (
    id {{ID}},
    file_id BIGINT NOT NULL REFERENCES hardship_files(id),
    status TEXT NOT NULL,
    at BIGINT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    note TEXT,
    amount_fen BIGINT
);
CREATE INDEX hardship_file_events_file ON hardship_file_events(file_id);

CREATE TABLE hardship_documents (
    id {{ID}},
    file_id BIGINT NOT NULL REFERENCES hardship_files(id),
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX hardship_documents_file ON hardship_documents(file_id);

-- Each district's minimum-living line (低保标准), set by the officers over
-- it; a member is judged against the nearest line above their union.
CREATE TABLE poverty_lines (
    union_id BIGINT PRIMARY KEY REFERENCES unions(id),
    minimum_fen BIGINT NOT NULL,
    set_by BIGINT REFERENCES users(id),
    set_at BIGINT NOT NULL
);

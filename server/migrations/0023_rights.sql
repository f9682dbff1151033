-- Rights cases (维权, 12351 in the app). A case belongs to the union that
-- handles it: the union over the employer's workplace union, or the
-- district union where the employer is. `arbitration_filed` is kept on the
-- row (set by the step) so the deadline warning is one indexed filter.
CREATE TABLE rights_cases (
    id {{ID}},
    union_id BIGINT NOT NULL REFERENCES unions(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    employer_name TEXT NOT NULL,
    credit_code TEXT,
    district TEXT,
    address TEXT NOT NULL,
    facts TEXT NOT NULL,
    amount_fen BIGINT,
    workers BIGINT NOT NULL,
    dispute_on TEXT,
    join_code TEXT NOT NULL,
    lawyer_id BIGINT REFERENCES users(id),
    referred_to TEXT,
    referred_phone TEXT,
    decline_reason TEXT,
    recovered_fen BIGINT NOT NULL DEFAULT 0,
    arbitration_filed INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX rights_cases_union ON rights_cases(union_id, status, id);
CREATE INDEX rights_cases_lawyer ON rights_cases(lawyer_id, status, id);

-- The workers on a case: the reporter and the co-workers who joined. A
-- person is on a case once (by ID number); members are tied to their
-- account, others find their cases by phone and ID number.
CREATE TABLE rights_case_workers (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES rights_cases(id),
    user_id BIGINT REFERENCES users(id),
    name TEXT NOT NULL,
    id_enc TEXT NOT NULL,
    id_hash TEXT NOT NULL,
    id_masked TEXT NOT NULL,
    phone_enc TEXT NOT NULL,
    phone_hash TEXT NOT NULL,
    phone_masked TEXT NOT NULL,
    reporter INTEGER NOT NULL,
    joined_at BIGINT NOT NULL,
    UNIQUE (case_id, id_hash)
);
CREATE INDEX rights_workers_user ON rights_case_workers(user_id);
CREATE INDEX rights_workers_id ON rights_case_workers(id_hash, phone_hash);

-- The timeline: triage, assignment, joining and each recorded step.
CREATE TABLE rights_case_steps (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES rights_cases(id),
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    recovered_fen BIGINT NOT NULL DEFAULT 0,
    by_user BIGINT REFERENCES users(id),
    by_name TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX rights_steps_case ON rights_case_steps(case_id, id);

CREATE TABLE rights_documents (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES rights_cases(id),
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX rights_documents_case ON rights_documents(case_id);

-- Counselling: slots a counsellor publishes, and members' bookings. What
-- is said is never stored. One live booking per slot and per member
-- (partial unique keys); a booking whose time has passed is marked `past`
-- before the member books again.
CREATE TABLE counselling_slots (
    id {{ID}},
    counsellor_id BIGINT NOT NULL REFERENCES users(id),
    union_id BIGINT NOT NULL REFERENCES unions(id),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    mode TEXT NOT NULL,
    centre_id BIGINT REFERENCES service_centres(id),
    created_at BIGINT NOT NULL,
    withdrawn_at BIGINT
);
CREATE INDEX counselling_slots_start ON counselling_slots(starts_at);
CREATE INDEX counselling_slots_counsellor ON counselling_slots(counsellor_id, starts_at);

CREATE TABLE counselling_bookings (
    id {{ID}},
    slot_id BIGINT NOT NULL REFERENCES counselling_slots(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL,
    booked_at BIGINT NOT NULL,
    cancelled_at BIGINT,
    reminded_at BIGINT
);
CREATE UNIQUE INDEX counselling_one_per_slot ON counselling_bookings(slot_id) WHERE status = 'booked';
CREATE UNIQUE INDEX counselling_one_per_member ON counselling_bookings(user_id) WHERE status = 'booked';
CREATE INDEX counselling_bookings_user ON counselling_bookings(user_id, id);

-- 转会: the workplace the member names (API.md's `workplace`).
ALTER TABLE transfer_requests ADD COLUMN workplace TEXT NOT NULL DEFAULT '';

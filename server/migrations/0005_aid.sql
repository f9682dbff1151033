-- Mutual medical aid: plans (one row per plan term), enrolments, claims with
-- their timeline and documents. Records belong to the roster entry, not the
-- account: a workplace union may enrol a member who has no account yet.

-- The payout rule and eligibility are JSON the shared crate reads
-- (unioncard_api::aid::PayoutRule, PlanEligibility), so a new plan is data.
CREATE TABLE aid_plans (
    id {{ID}},
    union_id BIGINT NOT NULL REFERENCES unions(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    contribution_fen BIGINT NOT NULL,
    payer TEXT NOT NULL,
    workplace_share_bp BIGINT NOT NULL DEFAULT 0,
    term_months BIGINT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    window_from TEXT NOT NULL,
    window_to TEXT NOT NULL,
    waiting_days BIGINT NOT NULL,
    claim_deadline_days BIGINT NOT NULL,
    eligibility_json TEXT NOT NULL,
    rule_json TEXT NOT NULL,
    yearly_cap_fen BIGINT,
    status TEXT NOT NULL DEFAULT 'active',
    created_at BIGINT NOT NULL
);

-- One enrolment per plan term per member: the unique key answers a second
-- attempt (or two at once) with 409. `used_fen` is what approved claims
-- have taken of the yearly cap; it only grows by a conditional update that
-- keeps it under the cap.
CREATE TABLE aid_enrolments (
    id {{ID}},
    plan_id BIGINT NOT NULL REFERENCES aid_plans(id),
    roster_id BIGINT NOT NULL REFERENCES roster_entries(id),
    union_id BIGINT NOT NULL REFERENCES unions(id),
    cover_from TEXT NOT NULL,
    cover_to TEXT NOT NULL,
    waiting_ends_on TEXT NOT NULL,
    member_pays_fen BIGINT NOT NULL,
    used_fen BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (plan_id, roster_id)
);
CREATE INDEX aid_enrolments_roster ON aid_enrolments(roster_id);

CREATE TABLE aid_claims (
    id {{ID}},
    enrolment_id BIGINT NOT NULL REFERENCES aid_enrolments(id),
    roster_id BIGINT NOT NULL REFERENCES roster_entries(id),
    union_id BIGINT NOT NULL REFERENCES unions(id),
    status TEXT NOT NULL,
    admitted_on TEXT NOT NULL,
    discharged_on TEXT NOT NULL,
    hospital_name TEXT NOT NULL,
    hospital_grade TEXT,
    stay_number BIGINT NOT NULL DEFAULT 1,
    hospital_days BIGINT NOT NULL DEFAULT 0,
    total_cost_fen BIGINT NOT NULL DEFAULT 0,
    insurance_paid_fen BIGINT NOT NULL DEFAULT 0,
    self_pay_fen BIGINT NOT NULL DEFAULT 0,
    disease_group TEXT,
    estimate_fen BIGINT NOT NULL DEFAULT 0,
    approved_fen BIGINT,
    created_at BIGINT NOT NULL,
    -- First sent: the officers' queue is oldest first by this.
    submitted_at BIGINT,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT
);
CREATE INDEX aid_claims_enrolment ON aid_claims(enrolment_id);
CREATE INDEX aid_claims_queue ON aid_claims(status, submitted_at);

-- The timeline: every status a claim moved to, by whom, with the note.
CREATE TABLE aid_claim_events (
    id {{ID}},
    claim_id BIGINT NOT NULL REFERENCES aid_claims(id),
    status TEXT NOT NULL,
    at BIGINT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    note TEXT,
    amount_fen BIGINT
);
CREATE INDEX aid_claim_events_claim ON aid_claim_events(claim_id);

-- Documents live in the data folder under random names (uploads.rs).
CREATE TABLE aid_documents (
    id {{ID}},
    claim_id BIGINT NOT NULL REFERENCES aid_claims(id),
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX aid_documents_claim ON aid_documents(claim_id);

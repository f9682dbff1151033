-- Training: courses, sessions, sign-ups with a waiting list.

-- What eligibility needs to know about a member, from the roster.
ALTER TABLE roster_entries ADD COLUMN migrant_worker BIGINT NOT NULL DEFAULT 0;
ALTER TABLE roster_entries ADD COLUMN unemployed BIGINT NOT NULL DEFAULT 0;

CREATE TABLE courses (
    id {{ID}},
    union_id BIGINT NOT NULL REFERENCES unions(id),
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    provider TEXT NOT NULL,
    description TEXT NOT NULL,
    fee_fen BIGINT NOT NULL DEFAULT 0,
    eligibility TEXT NOT NULL DEFAULT 'all',
    certificate TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    search_text TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX courses_category ON courses(category, id);

-- `confirmed` and `waiting` are kept on the session row: every sign-up and
-- cancellation first updates this row, which serialises them per session on
-- both engines, so seats are never over-booked and positions never repeat.
CREATE TABLE training_sessions (
    id {{ID}},
    course_id BIGINT NOT NULL REFERENCES courses(id),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    place TEXT NOT NULL,
    address TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    signup_deadline BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    confirmed BIGINT NOT NULL DEFAULT 0,
    waiting BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX training_sessions_course ON training_sessions(course_id, starts_at);

CREATE TABLE signups (
    id {{ID}},
    session_id BIGINT NOT NULL REFERENCES training_sessions(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL,
    position BIGINT,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    cancelled_at BIGINT,
    attended BIGINT,
    certificate_no TEXT
);
-- One live sign-up per member per session (cancelled ones do not count).
CREATE UNIQUE INDEX signups_live ON signups(session_id, user_id) WHERE status <> 'cancelled';
CREATE INDEX signups_user ON signups(user_id, status);

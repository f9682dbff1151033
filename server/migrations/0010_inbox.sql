-- The member's inbox: one row per message, both languages stored, read
-- state per message. Messages are written in the transaction of the
-- decision they tell of.
CREATE TABLE messages (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body_zh TEXT NOT NULL,
    body_en TEXT NOT NULL,
    link TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    read_at BIGINT
);

-- A page of one member's inbox, newest first (keyset on id).
CREATE INDEX messages_by_user ON messages (user_id, id);
-- The bell's count: only the unread rows are in this index.
CREATE INDEX messages_unread ON messages (user_id) WHERE read_at IS NULL;

-- Training reminders: a seat is reminded once, the day before its session.
ALTER TABLE signups ADD COLUMN reminded_at BIGINT;
CREATE INDEX training_sessions_starts ON training_sessions (starts_at);

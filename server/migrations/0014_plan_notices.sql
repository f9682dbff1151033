-- "An aid plan closes soon" is told to each member once, when they next
-- look at their inbox (the bell asks on 首页), not broadcast to a million
-- inboxes at once: the row records that this account was considered for
-- this plan (`sent` 0 when it may not join), its key makes that once.
CREATE TABLE plan_notices (
    user_id BIGINT NOT NULL REFERENCES users(id),
    plan_id BIGINT NOT NULL REFERENCES aid_plans(id),
    sent BIGINT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (user_id, plan_id)
);

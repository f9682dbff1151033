-- Whether each enrolment's contribution has reached the plan. The workplace
-- union collects the members' parts, adds its own share, pays the plan and
-- records it: one conditional update per union and plan, from 'due' only.
ALTER TABLE aid_enrolments ADD COLUMN contribution_status TEXT NOT NULL DEFAULT 'due';
ALTER TABLE aid_enrolments ADD COLUMN contribution_paid_on TEXT;
ALTER TABLE aid_enrolments ADD COLUMN contribution_recorded_by BIGINT;
-- The collection queue: due enrolments per union and plan.
CREATE INDEX aid_enrolments_collection ON aid_enrolments(contribution_status, union_id, plan_id);

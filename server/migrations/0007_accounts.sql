-- An account an administrator has disabled (an officer who left): it can no
-- longer sign in, and its sessions end at once.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;

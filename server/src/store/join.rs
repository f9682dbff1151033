//! Joining the union: join requests and their review, roster entries found by ID.

//! Accounts: users, passwords, sign-up against the roster, staff accounts and their access, administrators' unions and officers.

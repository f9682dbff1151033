//! HTTP tests: each starts the real server on a random loopback port over a
//! fresh database with the demo data, and speaks HTTP to it. Every test runs
//! on SQLite and on PostgreSQL (`TEST_POSTGRES_URL`, set by `cargo xtask test`).

mod fixtures;
mod support;

mod aid;
mod allowances;
mod auth;
mod campaigns;
mod card;
mod case_file;
mod centres;
mod counselling;
mod education;
mod hardening;
mod hardship;
mod history;
mod inbox;
mod instances;
mod join;
mod loans;
mod manage;
mod offers;
mod partitions;
mod payments;
mod platform;
mod races;
mod replica;
mod rights;
mod roster;
mod search;
mod staff;
mod statuses;
mod training;
mod transfers;

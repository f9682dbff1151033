//! Guaranteed micro-loans: drafts, applications, partners, the review pipeline, repayment schedules.

//! Mutual medical aid: plans, enrolments, claims, their documents and review.

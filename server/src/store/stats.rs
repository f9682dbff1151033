//! The officers' figures: cards issued, activated and used, per union and period.

//! Discount offers: one-time codes, redemptions, a member's savings, the cashier's day.

//! One module per screen, named as the user names it.

pub mod account;
pub mod home;
pub mod not_found;
pub mod offers;
pub mod services;

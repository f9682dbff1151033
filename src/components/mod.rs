//! Widgets used by more than one screen.

pub mod account_access;
pub mod card_face;
pub mod case_file;
pub mod choice;
pub mod field;
pub mod hotline;
pub mod later;
pub mod lazy;
pub mod qr;
pub mod reveal_phone;
pub mod shell;
pub mod skip_link;
pub mod status;
pub mod tab_bar;
pub mod tile;
pub mod top_bar;
pub mod union_picker;

//! Service cards: activation, the e-card secret, freezing, the staff card lookup.

//! Partner merchants: the directory, cashiers, complaints, signing and pausing merchants.

//! The audit record's tests, one binary: the format (canonical encoding, golden hash, JSON form)
//! and verification (every kind of tampering). `support` seals test chains.

mod format;
mod support;
mod verify;

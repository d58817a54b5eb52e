//! The central audit server's integration tests: the real `varde-server` binary on loopback,
//! driven over HTTP as a workstation and as an admin would, on SQLite and on PostgreSQL.

mod admin;
mod ingest;
mod refusals;
mod support;

//! Test support shared by the server's and the workstation's integration tests: real processes on
//! loopback, never mocks. A throw-away PostgreSQL cluster ([`PgCluster`]) and a `varde-server`
//! process ([`ServerProcess`]) that can be killed and restarted, for both storage backends; and
//! an independent FHIR validator ([`validate_fhir_bundle`]).

mod certificate;
mod fhir;
mod net;
mod postgres;
mod server;

pub use certificate::{self_signed_certificate, SelfSigned};
pub use fhir::validate_fhir_bundle;
pub use net::{free_port, wait_for_http_ok, wait_for_port};
pub use postgres::PgCluster;
pub use server::{server_binary, ServerProcess};

/// The server's two storage backends; every server test runs against both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded SQLite file in the data directory.
    Sqlite,
    /// A PostgreSQL database in a throw-away cluster.
    Postgres,
}

/// Both backends, SQLite first.
pub fn backends() -> [Backend; 2] {
    [Backend::Sqlite, Backend::Postgres]
}

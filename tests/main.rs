//! The core's integration tests, one binary so the core is linked once: the CLI driven as a user
//! would, the API directly, the public corpus through intake, field reading through `varde
//! analyze`, the pipeline's worker, queue and isolation, and the worker's sandbox. `support` holds
//! the shared helpers.

mod backup;
mod cli;
mod core_api;
mod corpus;
mod extraction;
mod fhir;
mod keys;
mod pipeline;
mod preview;
mod privacy;
mod sandbox;
mod schema;
mod support;

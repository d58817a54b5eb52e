//! The document pipeline: a document added to a case is validated by content, its text extracted
//! (the PDF's own text layer, otherwise OCR), classified by a local ONNX model, and an AI signal
//! recorded for the reviewer — all on this machine.
//!
//! Parsers of untrusted files (PDF, image decoders, OCR) run only inside an isolated worker
//! process with time and memory limits; see `worker`. This crate depends on nothing of the core
//! (no store, vault or api), so code that handles hostile files cannot reach keys or the database.

pub mod analysis;
#[doc(hidden)]
pub mod bindings;
pub mod classify;
pub mod digest;
pub mod fields;
pub mod formats;
pub mod intake;
pub mod media;
pub mod mrz;
mod onnx;
pub mod preview;

pub mod samples;
pub mod text;
pub mod worker;

/// This pipeline's version, named in what its readings are exported with.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub use media::MediaType;

/// A file of the test corpus (`tests/corpus`), for unit tests.
#[cfg(test)]
pub(crate) fn test_corpus(path: &str) -> Vec<u8> {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(path);
    std::fs::read(&file).unwrap_or_else(|e| {
        panic!(
            "test corpus file {} is missing ({e}); tests/corpus is part of the repository",
            file.display()
        )
    })
}

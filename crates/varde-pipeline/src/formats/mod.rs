//! Byte-level readers of the container formats, shared by intake and text so the two cannot
//! drift apart: they say what a file declares and run decoders safely, and decide nothing.

pub mod tiff;

use std::panic::{catch_unwind, AssertUnwindSafe};

/// A decoder panicked on the data it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecoderCrashed;

/// Runs a decoder, turning a panic into [`DecoderCrashed`]: image and PDF decoders have panicked
/// on malformed data, and a hostile file must be a clean refusal, not a dead worker.
pub fn guarded<T>(decode: impl FnOnce() -> T) -> Result<T, DecoderCrashed> {
    catch_unwind(AssertUnwindSafe(decode)).map_err(|_| DecoderCrashed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_decoder_is_an_error_and_a_working_one_its_result() {
        assert_eq!(guarded(|| 7), Ok(7));
        let crashed = guarded(|| -> u8 { panic!("index out of bounds in a decoder") });
        assert_eq!(crashed, Err(DecoderCrashed));
    }
}

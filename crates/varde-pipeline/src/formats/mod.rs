//! Byte-level readers of the container formats, shared by intake and text so the two cannot
//! drift apart: they say what a file declares and run decoders safely, and decide nothing.

pub mod bytes;
pub mod jpeg;
pub mod png;
pub mod tiff;
pub mod webp;

use std::panic::{catch_unwind, AssertUnwindSafe};

/// What an image file's own structure says, read before any decoder sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageHeader {
    /// Width and height as the header declares them.
    pub dimensions: Option<(u32, u32)>,
    /// Animation frames, when the format says; otherwise 1.
    pub frames: usize,
    /// Bytes after the image's end marker.
    pub trailing: usize,
    /// Why the structure is broken, if it is.
    pub problem: Option<String>,
    /// Pixels per inch, horizontally and vertically, when the file states it.
    pub resolution: Option<(f64, f64)>,
}

impl ImageHeader {
    fn new() -> Self {
        ImageHeader {
            dimensions: None,
            frames: 1,
            trailing: 0,
            problem: None,
            resolution: None,
        }
    }
}

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

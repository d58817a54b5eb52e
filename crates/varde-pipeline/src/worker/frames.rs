//! The wire format between parent and worker: frames of a u32 big-endian length and a body. A
//! frame's length is checked against the reader's cap before anything is allocated, so a worker
//! that announces a huge answer cannot make the parent reserve the memory for it.

use std::io::{self, Read, Write};

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FrameError {
    #[error("a frame of {len} bytes is over the {max}-byte cap")]
    TooLarge { len: usize, max: usize },
    #[error("the stream broke: {0}")]
    Io(#[from] io::Error),
}

pub(crate) fn write_frame(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    let len = u32::try_from(body.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "frame over 4 GiB"))?;
    w.write_all(&len.to_be_bytes())?;
    w.write_all(body)?;
    w.flush()
}

/// Reads one frame of at most `max` bytes; `Ok(None)` at a clean end of stream.
pub(crate) fn read_frame(r: &mut impl Read, max: usize) -> Result<Option<Vec<u8>>, FrameError> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > max {
        return Err(FrameError::TooLarge { len, max });
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_round_trips() {
        let mut wire = Vec::new();
        write_frame(&mut wire, b"hello").unwrap();
        let mut r = wire.as_slice();
        assert_eq!(read_frame(&mut r, 5).unwrap().unwrap(), b"hello");
        assert!(read_frame(&mut r, 5).unwrap().is_none(), "clean end");
    }

    #[test]
    fn an_announced_length_over_the_cap_is_refused_before_the_body_is_read() {
        // Only the length is on the wire: reading the body would fail with an end of stream,
        // so a `TooLarge` shows the cap was checked first.
        let wire = (1u32 << 30).to_be_bytes();
        match read_frame(&mut wire.as_slice(), 1024) {
            Err(FrameError::TooLarge { len, max }) => assert_eq!((len, max), (1 << 30, 1024)),
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }
}

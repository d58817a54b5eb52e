//! Lowercase hexadecimal: the only text form of hashes, keys and signatures in audit records.
//!
//! Decoding is strict. Only `0-9` and `a-f` are accepted and the length must be exact, so
//! every value has exactly one spelling and can be compared as a string.

/// The digits, indexed by nibble value.
const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Why a string is not the lowercase hex form of a fixed-size value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    /// The string has the wrong number of characters.
    #[error("has {found} characters, expected {expected} lowercase hex characters")]
    Length {
        /// How many characters the value needs.
        expected: usize,
        /// How many it has.
        found: usize,
    },
    /// A character is not one of `0-9a-f` (uppercase is rejected too).
    #[error("has a character that is not a lowercase hex digit at byte {index}")]
    Digit {
        /// The byte offset of the first bad character.
        index: usize,
    },
}

/// Encodes bytes as lowercase hex, two characters per byte.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Decodes exactly `N` bytes from `2 * N` lowercase hex characters.
pub fn decode_array<const N: usize>(text: &str) -> Result<[u8; N], HexError> {
    let input = text.as_bytes();
    if input.len() != 2 * N {
        return Err(HexError::Length {
            expected: 2 * N,
            found: text.chars().count(),
        });
    }
    let mut out = [0u8; N];
    for (i, (slot, pair)) in out.iter_mut().zip(input.chunks_exact(2)).enumerate() {
        let high = nibble(pair[0]).ok_or(HexError::Digit { index: 2 * i })?;
        let low = nibble(pair[1]).ok_or(HexError::Digit { index: 2 * i + 1 })?;
        *slot = (high << 4) | low;
    }
    Ok(out)
}

/// The value of one lowercase hex digit.
fn nibble(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_every_byte_value_and_decodes_it_back() {
        let bytes: [u8; 256] = std::array::from_fn(|i| u8::try_from(i).unwrap());
        let text = encode(&bytes);
        assert_eq!(&text[..8], "00010203");
        assert_eq!(&text[text.len() - 4..], "feff");
        assert_eq!(decode_array::<256>(&text), Ok(bytes));
    }

    #[test]
    fn rejects_uppercase_digits() {
        assert_eq!(decode_array::<2>("abCd"), Err(HexError::Digit { index: 2 }));
    }

    #[test]
    fn rejects_non_hex_characters() {
        assert_eq!(decode_array::<1>("0g"), Err(HexError::Digit { index: 1 }));
        assert_eq!(decode_array::<1>("é"), Err(HexError::Digit { index: 0 }));
    }

    #[test]
    fn rejects_wrong_length() {
        assert_eq!(
            decode_array::<2>("abc"),
            Err(HexError::Length {
                expected: 4,
                found: 3
            })
        );
        assert_eq!(
            decode_array::<2>("abcdef"),
            Err(HexError::Length {
                expected: 4,
                found: 6
            })
        );
    }
}

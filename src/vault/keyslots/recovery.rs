//! The recovery code: 160 random bits in Crockford base32, shown once, the secret of the recovery
//! slot. Typing variations (case, dashes, spaces, O/0 and I/L/1) are forgiven.

use zeroize::Zeroizing;

use crate::vault::crypto;
use crate::vault::VaultError;

/// The one-time recovery code shown at `init`: 160 random bits in Crockford base32, grouped.
pub struct RecoveryCode(Zeroizing<String>);

impl RecoveryCode {
    pub(super) fn generate() -> Result<RecoveryCode, VaultError> {
        const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let bytes = crypto::random_bytes::<20>()?;
        let mut bits: u64 = 0;
        let mut nbits = 0;
        let mut out = Zeroizing::new(String::new());
        for b in bytes {
            bits = (bits << 8) | u64::from(b);
            nbits += 8;
            while nbits >= 5 {
                nbits -= 5;
                if !out.is_empty() && out.len() % 5 == 4 {
                    out.push('-');
                }
                out.push(ALPHABET[((bits >> nbits) & 31) as usize] as char);
            }
        }
        Ok(RecoveryCode(out))
    }

    /// The code as the user reads and types it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Ignores case, dashes and spaces, and the letters people confuse with digits.
    pub(super) fn normalize(input: &str) -> Zeroizing<String> {
        Zeroizing::new(
            input
                .chars()
                .filter(|c| !matches!(c, '-' | ' '))
                .map(|c| match c.to_ascii_uppercase() {
                    'O' => '0',
                    'I' | 'L' => '1',
                    other => other,
                })
                .collect(),
        )
    }
}

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(**redacted**)")
    }
}

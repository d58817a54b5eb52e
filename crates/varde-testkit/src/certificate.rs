//! A self-signed TLS certificate for a test server, made by the `openssl` command as an
//! on-premise IT person would make one (scripts/setup.sh installs it).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A certificate and key in PEM files, and the certificate's SHA-256 fingerprint as
/// `openssl x509 -fingerprint` prints it (`AB:CD:…`, the form people paste as a pin).
pub struct SelfSigned {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub fingerprint: String,
}

/// Writes `name.cert.pem` and `name.key.pem` (P-256, valid 30 days, for 127.0.0.1) into `dir`.
pub fn self_signed_certificate(dir: &Path, name: &str) -> SelfSigned {
    let cert = dir.join(format!("{name}.cert.pem"));
    let key = dir.join(format!("{name}.key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ])
        .args([
            "-nodes",
            "-days",
            "30",
            "-subj",
            "/CN=varde-audit.clinic.test",
        ])
        .args([
            "-addext",
            "subjectAltName=DNS:varde-audit.clinic.test,IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("the openssl command runs (scripts/setup.sh installs it)");
    assert!(
        made.status.success(),
        "openssl req: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    let printed = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(&cert)
        .output()
        .expect("openssl x509 runs");
    let text = String::from_utf8_lossy(&printed.stdout);
    let fingerprint = text
        .trim()
        .split_once('=')
        .map(|(_, f)| f.to_string())
        .unwrap_or_else(|| panic!("no fingerprint in {text:?}"));
    SelfSigned {
        cert,
        key,
        fingerprint,
    }
}

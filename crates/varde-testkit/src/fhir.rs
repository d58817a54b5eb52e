//! FHIR validation by an independent implementation: `tests/fhir/validate.py`, which parses a
//! Bundle and each of its resources with the `fhir.resources` R4B models, run in the project's
//! virtual environment (`.deps/fhir-venv`, made by `scripts/setup.sh`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/varde-testkit is two levels below the repository root")
        .to_path_buf()
}

/// Validates the Bundle in `json`; `Ok` holds the validator's "TYPE COUNT" lines, `Err` its
/// message naming the first invalid element. Panics if the validator is not installed.
pub fn validate_fhir_bundle(json: &[u8], expected_types: &[&str]) -> Result<String, String> {
    let root = repo_root();
    let python = root.join(".deps/fhir-venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh (it installs fhir.resources)",
        python.display()
    );
    let dir = tempfile::tempdir().expect("a scratch directory");
    let file = dir.path().join("bundle.json");
    std::fs::write(&file, json).expect("write the bundle");
    let out = Command::new(python)
        .arg(root.join("tests/fhir/validate.py"))
        .arg(&file)
        .args(expected_types)
        .output()
        .expect("run the FHIR validator");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

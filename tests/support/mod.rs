//! Helpers for the integration tests: a throw-away data directory, the `varde` binary run as a
//! user would run it, and synthetic (computed, never real) national ID numbers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const ADMIN_PW: &str = "admin passphrase 1";
pub const CLIN_PW: &str = "clinician passphrase 2";
pub const CLIN2_PW: &str = "other clinician passphrase";
pub const REV_PW: &str = "reviewer passphrase 3";
pub const AUD_PW: &str = "auditor passphrase 4";

/// A subject name no other string in Varde contains, to search for in files and logs.
pub const SUBJECT_NAME: &str = "Kjellfrid Qvistbakken";

/// The public test corpus the repository carries (`tests/corpus`, with its manifest).
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// One data directory and the `varde` binary.
pub struct Varde {
    pub dir: tempfile::TempDir,
    pub extra_args: Vec<String>,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn fails_with(self, code: i32, message_part: &str) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        assert!(
            self.stderr.contains(message_part),
            "expected stderr to contain {message_part:?}\nstderr: {}",
            self.stderr
        );
        self
    }
}

/// `varde --json analyze FILE`: one file analysed on its own, outside any store.
pub fn analyze_file(file: &Path) -> Run {
    let mut c = Command::new(env!("CARGO_BIN_EXE_varde"));
    c.arg("--json").arg("analyze").arg(file);
    output_to_run(c.output().unwrap())
}

/// A file the repository carries under `tests/` (`fixtures/…`, `corpus/…`).
pub fn test_file(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(path)
}

pub fn output_to_run(o: Output) -> Run {
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

impl Varde {
    /// Adds `file` to case `case_id` as the clinician, lets the worker analyse it, and returns
    /// the document as the reviewer sees it (`doc show --json`).
    pub fn analysed_document(&self, case_id: &str, file: &Path) -> serde_json::Value {
        let added = self
            .clinician(&["--json", "doc", "add", case_id, file.to_str().unwrap()])
            .ok()
            .json();
        let doc_id = added["id"].as_str().unwrap().to_string();
        assert_eq!(self.reviewer(&["--json", "worker"]).ok().json()["done"], 1);
        self.reviewer(&["--json", "doc", "show", case_id, &doc_id])
            .ok()
            .json()
    }

    pub fn new() -> Varde {
        Varde {
            dir: tempfile::tempdir().unwrap(),
            extra_args: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_varde"));
        c.arg("--data-dir").arg(self.data_dir());
        c.args(&self.extra_args);
        c.env_remove("VARDE_PASSWORD")
            .env_remove("VARDE_NEW_PASSWORD")
            .env_remove("VARDE_USER")
            .env_remove("VARDE_DATA_DIR")
            .env_remove("VARDE_LOG")
            .env_remove("VARDE_RECOVERY_CODE");
        c
    }

    /// Runs `varde` as `user` with `password` (both may be absent).
    pub fn run_as(&self, user: Option<(&str, &str)>, args: &[&str]) -> Run {
        self.run_with(user, None, args)
    }

    pub fn run_with(
        &self,
        user: Option<(&str, &str)>,
        new_password: Option<&str>,
        args: &[&str],
    ) -> Run {
        let mut c = self.command();
        if let Some((name, pw)) = user {
            c.arg("--user").arg(name).env("VARDE_PASSWORD", pw);
        }
        if let Some(pw) = new_password {
            c.env("VARDE_NEW_PASSWORD", pw);
        }
        c.args(args);
        output_to_run(c.output().expect("run varde"))
    }

    pub fn admin(&self, args: &[&str]) -> Run {
        self.run_as(Some(("admin", ADMIN_PW)), args)
    }
    pub fn clinician(&self, args: &[&str]) -> Run {
        self.run_as(Some(("clara", CLIN_PW)), args)
    }
    pub fn clinician2(&self, args: &[&str]) -> Run {
        self.run_as(Some(("conrad", CLIN2_PW)), args)
    }
    pub fn reviewer(&self, args: &[&str]) -> Run {
        self.run_as(Some(("rita", REV_PW)), args)
    }
    pub fn auditor(&self, args: &[&str]) -> Run {
        self.run_as(Some(("aud", AUD_PW)), args)
    }

    /// `varde init` with an admin; returns the recovery code.
    pub fn init(&self) -> String {
        let mut c = self.command();
        c.args(["--json", "init", "--admin", "admin"])
            .env("VARDE_PASSWORD", ADMIN_PW);
        let run = output_to_run(c.output().unwrap()).ok();
        run.json()["recovery_code"].as_str().unwrap().to_string()
    }

    /// init plus a clinician, a second clinician, a reviewer and an auditor.
    pub fn with_team() -> Varde {
        let v = Varde::new();
        v.init();
        for (name, role, pw) in [
            ("clara", "clinician", CLIN_PW),
            ("conrad", "clinician", CLIN2_PW),
            ("rita", "reviewer", REV_PW),
            ("aud", "auditor", AUD_PW),
        ] {
            v.run_with(
                Some(("admin", ADMIN_PW)),
                Some(pw),
                &["user", "add", name, "--role", role],
            )
            .ok();
        }
        v
    }

    /// A clinical case created by clara; returns its id.
    pub fn create_case(&self) -> String {
        self.create_case_with(&["--subject-dob", "1990-01-01"])
    }

    pub fn create_case_with(&self, extra: &[&str]) -> String {
        let mut args = vec![
            "--json",
            "case",
            "create",
            "--kind",
            "clinical",
            "--subject-name",
            SUBJECT_NAME,
            "--consent",
            "--policy-version",
            "2026-01",
        ];
        args.extend_from_slice(extra);
        let run = self.clinician(&args).ok();
        run.json()["id"].as_str().unwrap().to_string()
    }

    pub fn version_of(&self, case_id: &str) -> i64 {
        self.reviewer(&["--json", "case", "show", case_id])
            .ok()
            .json()["version"]
            .as_i64()
            .unwrap()
    }

    /// Writes a file into the test's scratch directory (outside the data directory).
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Every file below the data directory, with its bytes.
    pub fn data_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push((p.clone(), std::fs::read(&p).unwrap()));
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.data_dir(), &mut out);
        out
    }
}

/// A synthetic fødselsnummer (today's rule) for `ddmmyy` and a three-digit individual number,
/// with its control digits computed; `None` if that combination has no valid control digits.
pub fn synthetic_fnr(ddmmyy: &str, individual: u32) -> Option<String> {
    let base: Vec<u32> = format!("{ddmmyy}{individual:03}")
        .chars()
        .map(|c| c.to_digit(10).unwrap())
        .collect();
    let k = |weights: &[u32], digits: &[u32]| -> Option<u32> {
        let s: u32 = weights.iter().zip(digits).map(|(w, d)| w * d).sum();
        match 11 - s % 11 {
            11 => Some(0),
            10 => None,
            v => Some(v),
        }
    };
    let k1 = k(&[3, 7, 6, 1, 8, 9, 4, 5, 2], &base)?;
    let mut with_k1 = base.clone();
    with_k1.push(k1);
    let k2 = k(&[5, 4, 3, 2, 7, 6, 5, 4, 3, 2], &with_k1)?;
    with_k1.push(k2);
    Some(
        with_k1
            .iter()
            .map(|d| char::from_digit(*d, 10).unwrap())
            .collect(),
    )
}

/// The first synthetic number for `ddmmyy` from individual number `from` upwards.
pub fn first_valid_fnr(ddmmyy: &str, from: u32) -> String {
    (from..from + 200)
        .find_map(|i| synthetic_fnr(ddmmyy, i))
        .expect("some individual number has valid control digits")
}

/// A valid one-page PDF with `lines` as its text layer.
pub fn pdf(lines: &[&str]) -> Vec<u8> {
    varde::pipeline::samples::text_pdf(lines)
}

/// A valid small PNG (a grey square with a stripe whose position varies with `seed`).
pub fn png(seed: u32) -> Vec<u8> {
    let mut img = image::GrayImage::from_pixel(64, 64, image::Luma([200]));
    for y in 0..64 {
        img.put_pixel(seed % 64, y, image::Luma([0]));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A clinical case of the test subject, with consent, for the core API.
pub fn clinical_case() -> varde::api::NewCase {
    varde::api::NewCase {
        kind: Some(varde::domain::CaseKind::Clinical),
        subject_name: SUBJECT_NAME.into(),
        consent_given: true,
        policy_version: Some("1".into()),
        ..varde::api::NewCase::default()
    }
}

/// The core API on a data directory, with document workers started from the `varde` binary.
pub fn core_at(dir: &Path) -> varde::Varde {
    varde::Varde::at(dir).with_worker_program(Path::new(env!("CARGO_BIN_EXE_varde")))
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    haystack.windows(n.len()).any(|w| w == n)
}

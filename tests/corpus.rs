//! Every file of the intake corpus (`tests/corpus`, real public files: valid, odd,
//! malformed, encrypted and hostile) through `intake::validate`, as the worker would see it: each
//! file in its own thread, under `catch_unwind` and a time limit, so one bad file can neither hang
//! nor crash the run. Every file must agree with the manifest's `expect`, except the documented
//! disagreements below, and every rejection must carry a specific error.
//!
//! The corpus is part of the repository, with its manifest and the provenance of every file.

use std::panic::catch_unwind;
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use varde::pipeline::digest::{hex, sha256};
use varde::pipeline::intake::{validate, IntakeError, Limits};

use crate::support::corpus_dir;

const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Files where Varde deliberately differs from the manifest, and why.
const DISAGREEMENTS: &[(&str, &str)] = &[
    (
        "image-valid/pillow-hopper.gif",
        "GIF is not an accepted type: the issue accepts PDF, JPEG, PNG, WebP and TIFF and refuses \
         anything else (and the image crate is built without GIF)",
    ),
    (
        "image-valid/image-interlaced.gif",
        "GIF is not an accepted type (as above)",
    ),
    (
        "image-valid/image-pal8rle.bmp",
        "BMP is not an accepted type (as above; built without BMP)",
    ),
    (
        "image-valid/image-Info_R8_G8_B8_Top_Down.bmp",
        "BMP is not an accepted type (as above)",
    ),
    (
        "ocr-groundtruth/tesseract-phototest.txt",
        "an OCR ground-truth text, not a document: plain text is refused",
    ),
    (
        "ocr-groundtruth/tesseract-eurotext.txt",
        "an OCR ground-truth text (as above)",
    ),
    (
        "ocr-groundtruth/tesseract-8087_054.3B.txt",
        "an OCR ground-truth text (as above)",
    ),
    (
        "ocr-groundtruth/ocrmypdf-linn.txt",
        "an OCR ground-truth text (as above)",
    ),
    (
        "ocr-groundtruth/pypdf-crazyones.txt",
        "an OCR ground-truth text (as above)",
    ),
    (
        "image-malformed/pillow-png_decompression_dos.png",
        "a 1x1 PNG whose zTXt chunks inflate 1000:1. Nothing here inflates PNG text chunks (the \
         png crate keeps them compressed and the pixels are all that is decoded), so the bomb is \
         inert; the manifest's note allows dropping them. Refusing it would need a capped inflater \
         as a direct dependency (flate2 or fdeflate, both already built)",
    ),
];

/// For rejected files, the codes that name the problem the manifest describes.
const EXPECTED_CODES: &[(&str, &[&str])] = &[
    ("pdf-valid/ocrmypdf-hugemono.pdf", &["pixel_budget"]),
    ("pdf-valid/ocrmypdf-livecycle.pdf", &["unsupported_type"]),
    ("pdf-malformed/ocrmypdf-invalid.pdf", &["malformed"]),
    (
        "pdf-malformed/qpdf-bad1-not-a-pdf.pdf",
        &["unsupported_type"],
    ),
    ("pdf-malformed/qpdf-empty-zero-pages.pdf", &["no_pages"]),
    ("pdf-malformed/qpdf-issue-141a.pdf", &["malformed"]),
    ("pdf-malformed/pdfjs-bug1020226.pdf", &["malformed"]),
    ("pdf-malformed/pdfjs-REDHAT-1531897-0.pdf", &["malformed"]),
    (
        "pdf-malformed/pdfjs-poppler-395-0-fuzzed.pdf",
        &["malformed", "no_pages"],
    ),
    (
        "pdf-malformed/pdfjs-poppler-742-0-fuzzed.pdf",
        &["active_content", "malformed"],
    ),
    ("pdf-malformed/pdfjs-poppler-85140-0.pdf", &["malformed"]),
    ("pdf-malformed/pdfjs-poppler-67295-0.pdf", &["malformed"]),
    ("pdf-malformed/pdfjs-poppler-91414-0-53.pdf", &["malformed"]),
    (
        "pdf-malformed/pdfjs-GHOSTSCRIPT-698804-1-fuzzed.pdf",
        &["malformed"],
    ),
    ("pdf-malformed/pdfjs-bug1980958.pdf", &["malformed"]),
    ("pdf-malformed/pdfjs-issue15590.pdf", &["active_content"]),
    ("pdf-malformed/pdfjs-bomb_giant.pdf", &["malformed"]),
    ("pdf-malformed/corkami-zipjpg-polyglot.pdf", &["polyglot"]),
    (
        "pdf-malformed/corkami-chimera-tar-polyglot.pdf",
        &["polyglot"],
    ),
    (
        "pdf-encrypted/ocrmypdf-skew-encrypted.pdf",
        &["encrypted_pdf"],
    ),
    (
        "pdf-encrypted/pypdf-r4-aes-user-password.pdf",
        &["encrypted_pdf"],
    ),
    (
        "pdf-encrypted/pypdf-r6-both-passwords.pdf",
        &["encrypted_pdf"],
    ),
    ("pdf-encrypted/pdfjs-issue6010_2.pdf", &["encrypted_pdf"]),
    ("pdf-encrypted/pdfjs-saslprep-r6.pdf", &["encrypted_pdf"]),
    ("pdf-encrypted/pdfjs-issue21579.pdf", &["encrypted_pdf"]),
    (
        "pdf-encrypted/qpdf-enc-XI-R6-V5-U_view-O_master.pdf",
        &["encrypted_pdf"],
    ),
    (
        "pdf-encrypted/qpdf-encrypted-40-bit-R3.pdf",
        &["encrypted_pdf"],
    ),
    (
        "pdf-encrypted/qpdf-bad-encryption-length.pdf",
        &["encrypted_pdf", "malformed"],
    ),
    (
        "pdf-encrypted/sf-libreoffice-writer-password.pdf",
        &["encrypted_pdf"],
    ),
    ("image-malformed/jpegdec-empty.jpg", &["empty"]),
    ("image-malformed/jpegdec-missing-sof.jpg", &["malformed"]),
    ("image-malformed/jpegdec-missing-sos.jpg", &["malformed"]),
    ("image-malformed/jpegdec-null_height.jpg", &["malformed"]),
    ("image-malformed/jpegdec-max_size.jpg", &["pixel_budget"]),
    ("image-malformed/pillow-truncated_jpeg.jpg", &["malformed"]),
    ("image-malformed/pillow-truncated_image.png", &["malformed"]),
    (
        "image-malformed/pillow-truncated_end_chunk.png",
        &["malformed"],
    ),
    ("image-malformed/pillow-broken.png", &["malformed"]),
    ("image-malformed/png-xcrn0g04.png", &["malformed"]),
    ("image-malformed/png-xhdn0g08.png", &["malformed"]),
    ("image-malformed/png-xdtn0g01.png", &["malformed"]),
    (
        "image-malformed/pillow-broken_data_stream.png",
        &["malformed"],
    ),
    (
        "image-malformed/pillow-unknown_compression_method.png",
        &["malformed"],
    ),
    (
        "image-malformed/pillow-decompression_bomb.gif",
        &["unsupported_type"],
    ),
    (
        "image-malformed/pillow-decompression_bomb_extents.gif",
        &["unsupported_type"],
    ),
    (
        "image-malformed/pillow-zero_width.gif",
        &["unsupported_type"],
    ),
    (
        "image-malformed/image-zero-loop-count.gif",
        &["unsupported_type"],
    ),
    (
        "image-malformed/image-Bad_reallybig.bmp",
        &["unsupported_type"],
    ),
    (
        "image-malformed/image-Bad_shortfile.bmp",
        &["unsupported_type"],
    ),
    ("image-malformed/pillow-seek_too_large.tif", &["malformed"]),
    ("image-malformed/pillow-oom-225817ca.tif", &["malformed"]),
    (
        "image-malformed/tiff-fuzz-oom_crash-000000.tif",
        &["malformed"],
    ),
    (
        "image-malformed/tiff-fuzz-inf_loop-000028.tif",
        &["malformed"],
    ),
];

const CODES: &[&str] = &[
    "empty",
    "too_large",
    "unsupported_type",
    "type_mismatch",
    "polyglot",
    "encrypted_pdf",
    "active_content",
    "pixel_budget",
    "no_pages",
    "too_many_pages",
    "malformed",
];

/// How one file went.
enum Outcome {
    Accepted(String),
    Rejected { code: &'static str, message: String },
    Panicked(String),
    Hung,
}

/// Validates one file in its own thread, under `catch_unwind` and the time limit.
fn run_one(path: PathBuf, name: String) -> Outcome {
    let (tx, rx) = mpsc::channel();
    thread::Builder::new()
        .name(name.clone())
        .spawn(move || {
            let bytes = std::fs::read(&path).expect("corpus file is readable");
            let result = catch_unwind(|| validate(&bytes, Some(&name), None, &Limits::default()));
            let outcome = match result {
                Ok(Ok(intake)) => Outcome::Accepted(format!(
                    "{} pages={} dims={:?} warnings={:?}",
                    intake.media_type.mime(),
                    intake.pages,
                    intake.dimensions,
                    intake.warnings
                )),
                Ok(Err(e)) => Outcome::Rejected {
                    code: e.code(),
                    message: e.to_string(),
                },
                Err(payload) => Outcome::Panicked(
                    payload
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default(),
                ),
            };
            let _ = tx.send(outcome);
        })
        .expect("thread starts");
    match rx.recv_timeout(TIME_LIMIT) {
        Ok(outcome) => outcome,
        // A hung thread is left behind; the run goes on.
        Err(mpsc::RecvTimeoutError::Timeout) => Outcome::Hung,
        Err(mpsc::RecvTimeoutError::Disconnected) => Outcome::Panicked("the thread died".into()),
    }
}

/// A rejection that names its problem: a known code, a message that says more than the code, and
/// not the fallback for a parser that crashed.
fn specific(code: &str, message: &str) -> Result<(), String> {
    if !CODES.contains(&code) {
        return Err(format!("unknown code {code}"));
    }
    if message.trim().len() < 15 {
        return Err(format!("message too short: {message:?}"));
    }
    if message.contains("crashed") {
        return Err(format!(
            "a parser crashed, which is not a specific error: {message}"
        ));
    }
    Ok(())
}

#[test]
fn every_corpus_file_agrees_with_the_manifest_or_is_a_documented_disagreement() {
    let dir = corpus_dir();
    let manifest_path = dir.join("manifest.json");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap_or_else(|e| {
        panic!(
            "the intake corpus is missing: cannot read {} ({e}); it is part of the repository",
            manifest_path.display()
        )
    });
    let entries: Vec<serde_json::Value> =
        serde_json::from_str(&manifest).expect("manifest.json is a JSON array");
    assert!(!entries.is_empty(), "the manifest lists no files");

    let listed: Vec<&str> = entries.iter().filter_map(|e| e["path"].as_str()).collect();
    let named = DISAGREEMENTS
        .iter()
        .map(|(p, _)| *p)
        .chain(EXPECTED_CODES.iter().map(|(p, _)| *p));
    for path in named {
        assert!(
            listed.contains(&path),
            "{path} is named in this test but not in the manifest"
        );
    }

    let started = Instant::now();
    let mut failures = Vec::new();
    let mut agree = 0;
    let mut disagree = 0;
    for entry in &entries {
        let path = entry["path"].as_str().expect("entry has a path");
        let expect = entry["expect"].as_str().expect("entry has an expectation");
        let file = dir.join(path);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let outcome = run_one(file, name);
        let accepted = match &outcome {
            Outcome::Accepted(summary) => {
                println!("accept  {path}: {summary}");
                true
            }
            Outcome::Rejected { code, message } => {
                println!("reject  {path}: [{code}] {message}");
                if let Err(why) = specific(code, message) {
                    failures.push(format!("{path}: rejection is not specific: {why}"));
                }
                if let Some((_, codes)) = EXPECTED_CODES.iter().find(|(p, _)| *p == path) {
                    if !codes.contains(code) {
                        failures.push(format!(
                            "{path}: rejected as {code}, expected one of {codes:?}: {message}"
                        ));
                    }
                }
                false
            }
            Outcome::Panicked(text) => {
                failures.push(format!("{path}: validate panicked: {text}"));
                continue;
            }
            Outcome::Hung => {
                failures.push(format!("{path}: validate took longer than {TIME_LIMIT:?}"));
                continue;
            }
        };
        let agrees = accepted == (expect == "accept");
        let documented = DISAGREEMENTS.iter().any(|(p, _)| *p == path);
        match (agrees, documented) {
            (true, false) => agree += 1,
            (false, true) => disagree += 1,
            (true, true) => failures.push(format!(
                "{path}: listed as a disagreement but agrees with the manifest"
            )),
            (false, false) => failures.push(format!(
                "{path}: manifest expects {expect}, Varde {}",
                if accepted { "accepts it" } else { "rejects it" }
            )),
        }
    }
    println!(
        "corpus: {agree} of {} agree with the manifest; {disagree} documented disagreements ({:.1} s)",
        entries.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_crash_an_unknown_code_or_a_bare_message_is_not_a_specific_rejection() {
    let crashed = "the PDF is damaged: the PDF parser crashed on it";
    assert!(specific("malformed", crashed).is_err());
    assert!(specific("internal", "the file could not be checked").is_err());
    assert!(specific("malformed", "").is_err());
    let e = validate(b"", Some("x.pdf"), None, &Limits::default()).unwrap_err();
    assert!(matches!(e, IntakeError::Empty));
    assert!(specific(e.code(), &e.to_string()).is_ok());
}

/// The same corpus through the door users take: `varde analyze --validate-only`, which validates
/// in the isolated worker process. Every file gets the same accept/reject and code as in-process,
/// and none crashes, exhausts memory or times out the worker.
#[test]
fn every_corpus_file_gets_the_same_outcome_through_the_isolated_worker() {
    let dir = corpus_dir();
    let manifest = std::fs::read_to_string(dir.join("manifest.json"))
        .expect("the intake corpus (tests/corpus) is part of the repository");
    let entries: Vec<serde_json::Value> = serde_json::from_str(&manifest).unwrap();
    let mut checked = 0;
    for entry in &entries {
        let rel = entry["path"].as_str().unwrap();
        let path = dir.join(rel);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let in_process = run_one(path.clone(), name);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_varde"))
            .args(["--json", "analyze", "--validate-only", "--timeout", "60"])
            .arg(&path)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{rel}: no JSON on stdout ({e})"));
        match (&in_process, out.status.code()) {
            (Outcome::Accepted(_), Some(0)) => assert!(json["sha256"].is_string(), "{rel}"),
            (Outcome::Rejected { code, .. }, Some(7)) => {
                assert_eq!(json["error"]["code"], *code, "{rel}: {json}")
            }
            _ => panic!(
                "{rel}: in-process and isolated outcomes differ (exit {:?}): {json}",
                out.status.code()
            ),
        }
        checked += 1;
    }
    assert_eq!(checked, entries.len());
    println!("corpus through the isolated worker: {checked} files, same outcome as in-process");
}

/// Every file under `dir`, as paths relative to `root` with `/` separators.
fn files_under(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        if path.is_dir() {
            files_under(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).unwrap();
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The clone carries the corpus it tests with: each listed file byte for byte as the manifest
/// describes it, no unlisted file, and a provenance line (source, licence, checksum) for each.
#[test]
fn the_corpus_in_the_repository_is_the_manifest_byte_for_byte_with_a_provenance_line_per_file() {
    const OWN_FILES: [&str; 4] = [
        "manifest.json",
        "SOURCES.md",
        "PROVENANCE.md",
        "provenance.py",
    ];
    let dir = corpus_dir();
    let entries: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let provenance = std::fs::read_to_string(dir.join("PROVENANCE.md")).unwrap();
    let mut listed = Vec::new();
    for e in &entries {
        let rel = e["path"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(rel)).unwrap_or_else(|err| panic!("{rel}: {err}"));
        assert_eq!(Some(bytes.len() as u64), e["bytes"].as_u64(), "{rel}: size");
        let sha = hex(&sha256(&bytes));
        assert_eq!(Some(sha.as_str()), e["sha256"].as_str(), "{rel}: sha256");
        let line = provenance
            .lines()
            .find(|l| l.starts_with(&format!("| `{rel}` |")))
            .unwrap_or_else(|| panic!("PROVENANCE.md has no line for {rel}: run provenance.py"));
        let licence = e["source"]["licence"].as_str().unwrap().replace('|', "/");
        assert!(
            line.contains(&sha) && line.contains(&licence),
            "{rel}: PROVENANCE.md is stale, run tests/corpus/provenance.py"
        );
        listed.push(rel.to_string());
    }
    let mut present = Vec::new();
    files_under(&dir, &dir, &mut present);
    present.retain(|p| !OWN_FILES.contains(&p.as_str()));
    present.sort();
    listed.sort();
    assert_eq!(
        present, listed,
        "files in tests/corpus not in the manifest, or missing"
    );
}

//! The document pipeline as a user meets it: `varde analyze` on real files, documents validated
//! before they are stored, the durable job queue (retries, dead jobs, kill -9), and isolation of
//! parsers that crash, hang or run out of memory.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::*;

fn corpus(rel: &str) -> PathBuf {
    let p = corpus_dir().join(rel);
    assert!(
        p.exists(),
        "corpus file {} is missing from the repository",
        p.display()
    );
    p
}

fn analyze(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut c = Command::new(env!("CARGO_BIN_EXE_varde"));
    c.arg("--json").arg("analyze").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    output_to_run(c.output().unwrap())
}

#[test]
fn analyze_reads_a_pdf_text_layer_without_ocr_and_classifies_it() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("lab.pdf");
    std::fs::write(&f, varde::pipeline::samples::lab_report_pdf()).unwrap();
    let a = analyze(&[f.to_str().unwrap()], &[]).ok().json();
    assert_eq!(a["mime"], "application/pdf");
    assert_eq!(a["pages"], 1);
    assert_eq!(a["text_source"], "pdf-text");
    assert!(a["ocr_confidence"].is_null());
    assert!(a["text"].as_str().unwrap().contains("Hemoglobin"));
    assert_eq!(a["timings_ms"]["ocr"], 0);
    for key in ["validate", "extract", "ocr", "classify", "total"] {
        assert!(a["timings_ms"][key].is_u64(), "{key}");
    }
    assert!(a["fields"].is_object() && a["observations"].is_array() && a["warnings"].is_array());
    let c = &a["classification"];
    assert_eq!(c["label"], "lab_report", "{c}");
    assert!(c["model"]
        .as_str()
        .unwrap()
        .starts_with("varde-doc-classifier@"));
    assert_eq!(c["threshold"], 0.7);
    let conf = c["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&conf));
    let expected = if conf >= 0.7 {
        "approve"
    } else {
        "manual_review"
    };
    assert_eq!(c["suggestion"], expected);
}

#[test]
fn analyze_ocrs_a_scanned_page_in_norwegian_and_english() {
    let a = analyze(
        &[corpus("ocr-groundtruth/ocrmypdf-linn.png")
            .to_str()
            .unwrap()],
        &[],
    )
    .ok()
    .json();
    assert_eq!(a["text_source"], "ocr");
    let conf = a["ocr_confidence"].as_f64().unwrap();
    assert!(conf > 0.5, "{conf}");
    let truth = std::fs::read_to_string(corpus("ocr-groundtruth/ocrmypdf-linn.txt")).unwrap();
    let text = a["text"].as_str().unwrap().to_lowercase();
    let words: Vec<String> = truth
        .split_whitespace()
        .filter(|w| w.len() > 3)
        .map(|w| w.to_lowercase())
        .collect();
    let found = words.iter().filter(|w| text.contains(w.as_str())).count();
    assert!(
        found * 10 >= words.len() * 8,
        "only {found} of {} words recognised",
        words.len()
    );
    assert!(a["timings_ms"]["ocr"].as_u64().unwrap() > 0);
}

#[test]
fn analyze_refuses_bad_files_with_exit_7_and_a_specific_code() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pdf");
    std::fs::write(&empty, b"").unwrap();
    let zip = dir.path().join("archive.pdf");
    std::fs::write(&zip, b"PK\x03\x04\x14\x00\x00\x00\x08\x00rest of a zip").unwrap();
    let renamed = dir.path().join("scan.png");
    std::fs::write(&renamed, varde::pipeline::samples::text_pdf(&["x"])).unwrap();
    for (file, code) in [
        (empty.clone(), "empty"),
        (zip.clone(), "unsupported_type"),
        (renamed.clone(), "type_mismatch"),
        (
            corpus("pdf-encrypted/pypdf-r4-aes-user-password.pdf"),
            "encrypted_pdf",
        ),
    ] {
        let run = analyze(&[file.to_str().unwrap()], &[]);
        assert_eq!(run.code, 7, "{}: {}", file.display(), run.stdout);
        let e = run.json();
        assert_eq!(e["error"]["code"], code, "{}", file.display());
        assert!(!e["error"]["message"].as_str().unwrap().is_empty());
    }
    let enc = analyze(
        &[corpus("pdf-encrypted/pypdf-r4-aes-user-password.pdf")
            .to_str()
            .unwrap()],
        &[],
    );
    assert!(enc.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("the PDF is password-protected; remove the password and add it again"));
}

#[test]
fn without_a_model_a_document_gets_no_ai_signal_and_goes_to_manual_review() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("lab.pdf");
    std::fs::write(&f, varde::pipeline::samples::lab_report_pdf()).unwrap();
    let empty_models = dir.path().join("no-models");
    std::fs::create_dir(&empty_models).unwrap();
    let a = analyze(
        &[f.to_str().unwrap()],
        &[("VARDE_MODEL_DIR", empty_models.to_str().unwrap())],
    )
    .ok()
    .json();
    let c = &a["classification"];
    assert!(c["label"].is_null());
    assert_eq!(c["suggestion"], "manual_review");
    assert!(c["unavailable"]
        .as_str()
        .unwrap()
        .contains("model was not found"));
    let b = analyze(
        &[f.to_str().unwrap()],
        &[("VARDE_ORT_DYLIB", "/nonexistent/libonnxruntime.so")],
    )
    .ok()
    .json();
    assert!(b["classification"]["unavailable"]
        .as_str()
        .unwrap()
        .contains("ONNX Runtime"));
    assert_eq!(
        b["text_source"], "pdf-text",
        "the rest of the pipeline still works"
    );
}

#[test]
fn a_parser_that_crashes_hangs_or_floods_memory_fails_only_its_document() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("lab.pdf");
    std::fs::write(&f, varde::pipeline::samples::lab_report_pdf()).unwrap();
    let path = f.to_str().unwrap();
    for (fault, code, words) in [
        ("panic", "parser_crashed", "panicked"),
        ("abort", "parser_crashed", "signal 6"),
        ("oom", "out_of_memory", "MiB of memory"),
    ] {
        let run = analyze(&[path], &[("VARDE_WORKER_FAULT", fault)]);
        assert_eq!(run.code, 7, "{fault}: {}", run.stderr);
        let e = run.json();
        assert_eq!(e["error"]["code"], code, "{fault}: {e}");
        assert!(
            e["error"]["message"].as_str().unwrap().contains(words),
            "{fault}: {e}"
        );
    }
    let start = Instant::now();
    let run = analyze(&[path, "--timeout", "2"], &[("VARDE_WORKER_FAULT", "hang")]);
    assert_eq!(run.json()["error"]["code"], "timeout");
    assert!(start.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_refused_file_is_not_stored_and_the_case_is_unchanged() {
    let v = Varde::with_team();
    let id = v.create_case();
    let fake = v.file("scan.jpg", &pdf(&["x"]));
    let run = v
        .clinician(&["--json", "doc", "add", &id, fake.to_str().unwrap()])
        .fails_with(7, "JPEG");
    assert_eq!(run.json()["error"]["code"], "type_mismatch");
    let enc = corpus("pdf-encrypted/pypdf-r4-aes-user-password.pdf");
    v.clinician(&["doc", "add", &id, enc.to_str().unwrap()])
        .fails_with(7, "password-protected");
    let shown = v.reviewer(&["--json", "case", "show", &id]).ok().json();
    assert_eq!(shown["documents"].as_array().unwrap().len(), 0);
    assert_eq!(shown["version"], 1);
    assert!(v
        .data_files()
        .iter()
        .all(|(p, _)| !p.to_string_lossy().contains("/blobs/")));
    let log = v.auditor(&["audit", "export"]).ok().stdout;
    assert!(log
        .lines()
        .any(|l| l.contains("\"document.add\"") && l.contains("encrypted_pdf")));
}

#[test]
fn documents_are_analysed_by_the_job_queue_and_the_case_gets_an_ai_signal() {
    let v = Varde::with_team();
    let id = v.create_case();
    let f = v.file("lab.pdf", &varde::pipeline::samples::lab_report_pdf());
    let added = v
        .clinician(&["--json", "doc", "add", &id, f.to_str().unwrap()])
        .ok()
        .json();
    let job_id = added["job_id"].as_str().unwrap().to_string();
    let doc_id = added["id"].as_str().unwrap().to_string();
    let queued = v
        .reviewer(&["--json", "jobs", "list", "--status", "queued"])
        .ok()
        .json();
    assert_eq!(queued[0]["id"], job_id.as_str());
    v.reviewer(&["jobs", "list"]).ok();
    v.reviewer(&["jobs", "list", "--status", "stuck"])
        .fails_with(2, "queued, processing, done, failed, dead");
    v.clinician(&["jobs", "list"]).fails_with(6, "job queue");
    let report = v.reviewer(&["--json", "worker"]).ok().json();
    assert_eq!(report["done"], 1);
    let doc = v
        .reviewer(&["--json", "doc", "show", &id, &doc_id])
        .ok()
        .json();
    assert_eq!(doc["analysis"]["classification"]["label"], "lab_report");
    assert_eq!(doc["jobs"][0]["status"], "done");
    assert_eq!(doc["jobs"][0]["progress"], 100);
    let case = v.reviewer(&["--json", "case", "show", &id]).ok().json();
    assert!(case["ai"]["suggestion"].is_string(), "{case}");
    assert_eq!(
        case["ai"]["labels"],
        serde_json::json!(["lab_report"]),
        "{case}"
    );
    assert!(case["ai"]["model"]
        .as_str()
        .unwrap()
        .starts_with("varde-doc-classifier@"));
    // Each step is audited, without content.
    let log = v.auditor(&["audit", "export"]).ok().stdout;
    for action in [
        "pipeline.validate",
        "pipeline.extract",
        "pipeline.classify",
        "job.done",
    ] {
        assert!(
            log.lines()
                .any(|l| l.contains(&format!("\"{action}\"")) && l.contains(&doc_id)),
            "{action}"
        );
    }
    assert!(!log.contains("Hemoglobin"));
    // The decision records the AI suggestion beside the human one.
    let version = case["version"].as_i64().unwrap().to_string();
    v.reviewer(&["review", "start", &id, "--expected-version", &version])
        .ok();
    let next = (case["version"].as_i64().unwrap() + 1).to_string();
    v.reviewer(&[
        "review",
        "reject",
        &id,
        "--expected-version",
        &next,
        "--reason",
        "need ID",
    ])
    .ok();
    let timeline = v.reviewer(&["--json", "case", "timeline", &id]).ok().json();
    let reject = timeline
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "review.reject")
        .unwrap();
    assert_eq!(reject["context"]["ai_suggestion"], case["ai"]["suggestion"]);
    assert_eq!(reject["context"]["human_decision"], "rejected");
}

#[test]
fn doc_add_wait_returns_the_analysis() {
    let v = Varde::with_team();
    let id = v.create_case();
    let f = v.file(
        "scan.png",
        &std::fs::read(corpus("ocr-groundtruth/ocrmypdf-linn.png")).unwrap(),
    );
    let doc = v
        .clinician(&["--json", "doc", "add", &id, f.to_str().unwrap(), "--wait"])
        .ok()
        .json();
    assert_eq!(doc["analysis"]["text_source"], "ocr");
    assert_eq!(doc["jobs"][0]["status"], "done");
}

#[test]
fn a_job_that_keeps_failing_goes_dead_and_a_user_can_retry_it() {
    let v = Varde::with_team();
    let id = v.create_case();
    let f = v.file(
        "scan.png",
        &std::fs::read(corpus("ocr-groundtruth/ocrmypdf-linn.png")).unwrap(),
    );
    v.clinician(&["doc", "add", &id, f.to_str().unwrap()]).ok();
    // The worker hangs on every document: each attempt times out, then backoff, then dead.
    let mut c = v.command();
    c.args(["--user", "rita", "--json", "worker", "--timeout", "1"])
        .env("VARDE_PASSWORD", REV_PW)
        .env("VARDE_WORKER_FAULT", "hang");
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["dead"], 1);
    assert_eq!(report["retried"], 2);
    let dead = v
        .reviewer(&["--json", "jobs", "list", "--status", "dead"])
        .ok()
        .json();
    let job = &dead[0];
    assert_eq!(job["attempts"], 3);
    assert!(job["last_error"]
        .as_str()
        .unwrap()
        .contains("longer than 1 s"));
    let job_id = job["id"].as_str().unwrap();
    v.reviewer(&["jobs", "retry", job_id]).ok();
    v.reviewer(&["jobs", "retry", job_id])
        .fails_with(7, "only a dead job");
    assert_eq!(v.reviewer(&["--json", "worker"]).ok().json()["done"], 1);
}

#[test]
fn killing_varde_during_a_batch_loses_no_document_and_duplicates_no_result() {
    let v = Varde::with_team();
    let id = v.create_case();
    let linn = std::fs::read(corpus("ocr-groundtruth/ocrmypdf-linn.png")).unwrap();
    let mut docs = Vec::new();
    for i in 0..6 {
        let f = if i % 2 == 0 {
            v.file(
                &format!("lab{i}.pdf"),
                &pdf(&["Laboratoriesvar", &format!("CRP {i} mg/L")]),
            )
        } else {
            // Distinct images: one changed byte in a PNG's ancillary data keeps it valid.
            let mut img = image::load_from_memory(&linn).unwrap().to_luma8();
            img.put_pixel(0, 0, image::Luma([i as u8]));
            let mut out = std::io::Cursor::new(Vec::new());
            img.write_to(&mut out, image::ImageFormat::Png).unwrap();
            v.file(&format!("scan{i}.png"), &out.into_inner())
        };
        let added = v
            .clinician(&["--json", "doc", "add", &id, f.to_str().unwrap()])
            .ok()
            .json();
        docs.push(added["id"].as_str().unwrap().to_string());
    }
    let mut c = v.command();
    c.args(["--user", "rita", "worker", "--workers", "2"])
        .env("VARDE_PASSWORD", REV_PW);
    let mut child = c.spawn().unwrap();
    // Kill it while it is working: once at least one job is done and others are not.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let jobs = v.reviewer(&["--json", "jobs", "list"]).ok().json();
        let done = jobs
            .as_array()
            .unwrap()
            .iter()
            .filter(|j| j["status"] == "done")
            .count();
        if done >= 1 || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let after_kill = v.reviewer(&["--json", "jobs", "list"]).ok().json();
    let unfinished = after_kill
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["status"] != "done")
        .count();
    assert!(
        unfinished > 0,
        "the kill came too late to prove anything: {after_kill}"
    );

    let report = v.reviewer(&["--json", "worker"]).ok().json();
    assert_eq!(
        report["done"].as_u64().unwrap() as usize,
        unfinished,
        "{report}"
    );
    let jobs = v.reviewer(&["--json", "jobs", "list"]).ok().json();
    assert_eq!(jobs.as_array().unwrap().len(), 6);
    assert!(
        jobs.as_array()
            .unwrap()
            .iter()
            .all(|j| j["status"] == "done"),
        "{jobs}"
    );
    for doc in &docs {
        let d = v.reviewer(&["--json", "doc", "show", &id, doc]).ok().json();
        assert!(d["analysis"].is_object(), "document {doc} has no analysis");
        assert_eq!(d["jobs"].as_array().unwrap().len(), 1);
    }
    v.auditor(&["audit", "verify"]).ok();
}

#[test]
fn analyze_reads_norwegian_scans_in_every_accepted_format() {
    // Synthetic scans made by tests/fixtures/make_scans.py: PNG, JPEG, WebP, TIFF, and a
    // two-page scanned PDF whose pages are JPEG images.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for (file, mime, pages) in [
        ("nb-lab-scan.png", "image/png", 1),
        ("nb-lab-scan.jpg", "image/jpeg", 1),
        ("nb-lab-scan.webp", "image/webp", 1),
        ("nb-lab-scan.tif", "image/tiff", 1),
        ("nb-lab-scan.pdf", "application/pdf", 2),
    ] {
        let a = analyze(&[dir.join(file).to_str().unwrap()], &[])
            .ok()
            .json();
        assert_eq!(a["mime"], mime, "{file}");
        assert_eq!(a["pages"], pages, "{file}");
        assert_eq!(a["text_source"], "ocr", "{file}");
        assert!(a["ocr_confidence"].as_f64().unwrap() > 0.8, "{file}");
        let text = a["text"].as_str().unwrap();
        for word in ["Hemoglobin", "forhøyet", "Prøvetatt", "Tromsø"] {
            assert!(text.contains(word), "{file}: {word} not read in {text:?}");
        }
        if pages == 2 {
            assert_eq!(
                text.matches('\u{c}').count(),
                1,
                "pages are separated by a form feed"
            );
            assert!(text.contains("Side 2 av 2"));
        }
    }
}

#[test]
fn the_worker_never_sees_the_parents_password_or_other_environment() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("lab.pdf");
    std::fs::write(&f, varde::pipeline::samples::lab_report_pdf()).unwrap();
    let run = analyze(
        &[f.to_str().unwrap()],
        &[
            ("VARDE_WORKER_FAULT", "env"),
            ("VARDE_PASSWORD", "secret passphrase"),
            ("HOME_SECRET_TOKEN", "x"),
        ],
    );
    let names = run.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(names.contains("OMP_THREAD_LIMIT"), "{names}");
    assert!(!names.contains("VARDE_PASSWORD"), "{names}");
    assert!(!names.contains("HOME_SECRET_TOKEN"), "{names}");
}

#[test]
fn a_valid_document_whose_text_cannot_be_read_goes_to_manual_review_with_the_reason() {
    // One page of 8400x8400 pt (about 3 m square): even at 150 dpi it is over the pixel limit.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("poster.pdf");
    let content = "0 0 m 8000 8000 l S";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 8400 8400] /Contents 4 0 R >>".to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        ),
    ];
    std::fs::write(&f, varde::pipeline::samples::pdf_from_objects(&objects, "")).unwrap();
    let a = analyze(&[f.to_str().unwrap()], &[]).ok().json();
    assert!(a["text_source"].is_null());
    assert_eq!(a["text"], "");
    let c = &a["classification"];
    assert_eq!(c["suggestion"], "manual_review");
    assert!(c["label"].is_null());
    let warnings = a["warnings"].to_string();
    assert!(
        warnings.contains("page 1: it is 8400x8400 pt") && warnings.contains("megapixels"),
        "{warnings}"
    );
}

#[test]
fn a_scanned_jbig2_pdf_is_rendered_and_read_and_each_page_decision_recorded() {
    let a = analyze(
        &[corpus("pdf-valid/ocrmypdf-jbig2.pdf").to_str().unwrap()],
        &[],
    )
    .ok()
    .json();
    assert_eq!(a["text_source"], "ocr");
    assert!(a["text"].as_str().unwrap().contains("LinnSequencer"));
    let reads = a["page_reads"].as_array().unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0]["reason"], "no_text_layer");
    assert_eq!(reads[0]["ocr"], true);
    assert_eq!(reads[0]["shown"], "ocr");
    assert_eq!(reads[0]["dpi"], 300);
}

#[test]
fn a_hidden_text_layer_over_a_scan_is_not_shown_and_sends_the_document_to_manual_review() {
    use varde::pipeline::samples::{gray_jpeg, scan_pdf, Layer};
    let scan = image::open(corpus("ocr-groundtruth/ocrmypdf-linn.png"))
        .unwrap()
        .to_luma8();
    let crop = image::imageops::crop_imm(&scan, 0, 100, 2550, 350).to_image();
    let jpeg = gray_jpeg(&crop);
    let hidden = [
        "Pasient: Ola Hansen",
        "Fødselsnummer 01015012345",
        "Diagnose: diabetes mellitus type 2",
    ];
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("henvisning.pdf");
    std::fs::write(
        &f,
        scan_pdf(&jpeg, crop.dimensions(), 300, &hidden, Layer::Invisible),
    )
    .unwrap();
    let a = analyze(&[f.to_str().unwrap()], &[]).ok().json();
    let text = a["text"].as_str().unwrap();
    assert!(text.contains("LinnSequencer"), "{text:?}");
    assert!(!text.contains("Hansen") && !text.contains("01015012345"));
    assert_eq!(a["page_reads"][0]["reason"], "invisible_text_layer");
    let c = &a["classification"];
    assert_eq!(c["suggestion"], "manual_review");
    assert!(
        c["concerns"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("text_layer_differs")),
        "{c}"
    );
    let warnings = a["warnings"].to_string();
    assert!(
        warnings.contains("the hidden text layer differs from what the page shows"),
        "{warnings}"
    );
    assert!(!warnings.contains("Hansen"), "no document text in warnings");
}

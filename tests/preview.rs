//! Page previews for the viewer, through the core API: drawn by the sandboxed worker, checked
//! like reading the document, audited once per viewing, refused clearly.

use crate::support::*;
use varde::api::AuditQuery;
use varde::domain::Role;
use varde::{Error, ErrorKind, Varde as Core};

fn case_with(core: &Core, file_name: &str, bytes: &[u8]) -> (String, String) {
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();
    let case = clara.create_case(clinical_case()).unwrap();
    let added = clara.add_document(&case.id, file_name, bytes).unwrap();
    (case.id, added.document.id)
}

fn team(dir: &std::path::Path) -> Core {
    let core = core_at(dir);
    let (mut admin, _) = core.init("admin", ADMIN_PW).unwrap();
    admin.add_user("clara", Role::Clinician, CLIN_PW).unwrap();
    admin.add_user("conrad", Role::Clinician, CLIN2_PW).unwrap();
    core
}

fn views_by(core: &Core, user: &str) -> Vec<String> {
    let mut admin = core.sign_in("admin", ADMIN_PW).unwrap();
    admin
        .audit_entries(&AuditQuery {
            actor: Some(user.into()),
            limit: 500,
            ..Default::default()
        })
        .unwrap()
        .items
        .into_iter()
        .filter(|e| e.action == "document.view")
        .map(|e| e.outcome)
        .collect()
}

fn decode(png: &[u8]) -> image::RgbImage {
    image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .expect("a preview is a PNG")
        .to_rgb8()
}

#[test]
fn a_pdf_is_shown_page_by_page_as_the_worker_draws_it_and_the_viewing_is_audited_once() {
    let dir = tempfile::tempdir().unwrap();
    let core = team(dir.path());
    let pdf = varde::pipeline::samples::text_pages_pdf(&[
        &["Henvisning", "side 1"],
        &["Kreatinin 80 umol/L"],
        &["side 3"],
    ]);
    let (case_id, doc_id) = case_with(&core, "henvisning.pdf", &pdf);
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();

    let first = clara.page_preview(&case_id, &doc_id, 1, 500, None).unwrap();
    assert_eq!((first.page, first.pages), (1, 3));
    assert_eq!(first.width, 512, "widths are rounded up to a step of 32");
    let image = decode(&first.png);
    assert_eq!(image.dimensions(), (first.width, first.height));
    assert!(first.height > first.width, "an A4 page is drawn upright");
    assert!(
        image.pixels().any(|p| p.0[0] < 100),
        "the page's text is drawn"
    );
    // Paging and thumbnails are the same viewing: one audit entry.
    let second = clara.page_preview(&case_id, &doc_id, 2, 500, None).unwrap();
    assert_ne!(second.png, first.png);
    let thumb = clara.page_preview(&case_id, &doc_id, 3, 120, None).unwrap();
    assert_eq!(thumb.width, 128);
    let again = clara.page_preview(&case_id, &doc_id, 1, 500, None).unwrap();
    assert_eq!(again.png, first.png);
    assert_eq!(views_by(&core, "clara"), ["success"]);

    let past_end = clara
        .page_preview(&case_id, &doc_id, 4, 500, None)
        .unwrap_err();
    assert_eq!(past_end.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        past_end.to_string(),
        "page 4 does not exist; the document has 3"
    );
    // The worker still holds the document: the next page is drawn.
    assert!(clara.page_preview(&case_id, &doc_id, 2, 800, None).is_ok());
}

#[test]
fn a_preview_is_refused_to_a_user_who_may_not_read_the_case_and_the_refusal_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let core = team(dir.path());
    let (case_id, doc_id) = case_with(&core, "note.pdf", &pdf(&["Epikrise"]));
    let mut conrad = core.sign_in("conrad", CLIN2_PW).unwrap();
    let err = conrad
        .page_preview(&case_id, &doc_id, 1, 600, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err}");
    assert!(views_by(&core, "conrad").iter().all(|o| o != "success"));
    // Break-glass opens it, and is recorded.
    let shown = conrad
        .page_preview(
            &case_id,
            &doc_id,
            1,
            600,
            Some("emergency: patient in A&E now"),
        )
        .unwrap();
    assert_eq!(shown.pages, 1);
    assert!(views_by(&core, "conrad").iter().any(|o| o == "success"));
}

#[test]
fn an_image_is_previewed_without_being_enlarged_and_another_document_replaces_the_open_one() {
    let dir = tempfile::tempdir().unwrap();
    let core = team(dir.path());
    let (case_id, image_id) = case_with(&core, "scan.png", &png(7));
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();
    let shown = clara
        .page_preview(&case_id, &image_id, 1, 900, None)
        .unwrap();
    assert_eq!((shown.width, shown.height, shown.pages), (64, 64, 1));
    let image = decode(&shown.png);
    assert_eq!(
        image.get_pixel(7, 10).0,
        [0, 0, 0],
        "the stripe is where it is"
    );
    assert_eq!(image.get_pixel(20, 10).0, [200, 200, 200]);

    let other = clara
        .add_document(&case_id, "note.pdf", &pdf(&["Epikrise"]))
        .unwrap();
    let pdf_page = clara
        .page_preview(&case_id, &other.document.id, 1, 300, None)
        .unwrap();
    assert_eq!(pdf_page.width, 320);
    // Back to the first: sent to the worker again, drawn the same.
    let again = clara
        .page_preview(&case_id, &image_id, 1, 900, None)
        .unwrap();
    assert_eq!(again.png, shown.png);
}

#[test]
fn a_document_whose_blob_is_missing_is_not_previewed_and_the_error_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let core = team(dir.path());
    let (case_id, doc_id) = case_with(&core, "note.pdf", &pdf(&["Epikrise"]));
    for entry in walk(&dir.path().join("blobs")) {
        std::fs::remove_file(entry).unwrap();
    }
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();
    let err = clara
        .page_preview(&case_id, &doc_id, 1, 600, None)
        .unwrap_err();
    assert!(matches!(err, Error::Vault(_)), "{err:?}");
    assert!(views_by(&core, "clara").iter().all(|o| o != "success"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

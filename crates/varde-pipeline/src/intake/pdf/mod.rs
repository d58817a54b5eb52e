//! PDFs: loaded with lopdf, the page tree walked, every content stream inflated under a budget,
//! images held to the pixel budget, active content refused; a damaged cross-reference table is
//! rebuilt (`repair`) and the rebuilt copy is what is admitted.

use std::collections::{BTreeMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::*;

/// ISO 32000-1 Annex C: no conforming file has more indirect objects than this.
const MAX_OBJECT_NUMBER: u32 = 8_388_607;
/// Content streams may inflate to this much in all before the PDF counts as a bomb.
pub(super) const MAX_CONTENT_BYTES: usize = 256 * MIB as usize;

/// Whether zlib `data` inflates to more than `limit` bytes, reading at most `limit + 1` of its
/// output. A stream that fails to inflate is not judged here (lopdf's lenient reader decides).
pub(super) fn inflates_beyond(data: &[u8], limit: usize) -> bool {
    use std::io::Read;
    let mut sink = std::io::sink();
    let mut reader = flate2::read::ZlibDecoder::new(data).take(limit as u64 + 1);
    std::io::copy(&mut reader, &mut sink).is_ok_and(|n| n > limit as u64)
}
const MAX_TREE_DEPTH: usize = 64;

/// Why an inspection stopped: a refusal stands; damage, or encryption lopdf could not
/// undo, may be repaired by rebuilding the cross-reference table.
enum Problem {
    Refused(IntakeError),
    Damaged(String),
    Undecryptable,
}

impl From<IntakeError> for Problem {
    fn from(e: IntakeError) -> Self {
        Problem::Refused(e)
    }
}

/// What an inspection of a loaded document found.
struct Facts {
    pages: usize,
    /// Whether any page draws anything.
    has_content: bool,
    warnings: Vec<String>,
}

/// "Recoverable" means: lopdf cannot use the file as written (no readable cross-reference
/// table, or objects missing at the offsets it gives), but every object can be found by its
/// `N G obj` header, the catalog by the trailer's /Root or its /Type, and the result passes
/// every check a sound file must pass — and at least one page draws something. A repair that
/// yields only blank pages is refused: the blank may be the damage, and a clinical document
/// must not be silently lost.
pub(super) fn check(
    bytes: &[u8],
    header_at: usize,
    limits: &Limits,
    intake: &mut Admitted,
) -> Result<(), IntakeError> {
    let body = &bytes[header_at..];
    intake.dimensions = None;
    if header_at > 0 {
        intake.warnings.push(format!(
            "{} before the %PDF header (ignored)",
            plural(header_at, "byte")
        ));
    }
    // Objects lopdf cannot parse are skipped silently, so the raw syntax is read as well.
    if let Some(what) = raw_active_content(body) {
        return Err(IntakeError::ActivePdfContent { what: what.into() });
    }
    let (reason, encrypted) = match load(body).and_then(|doc| inspect(&doc, limits)) {
        Ok(facts) => {
            intake.pages = facts.pages;
            intake.warnings.extend(facts.warnings);
            intake.layout = Layout::Pdf { repaired: None };
            return Ok(());
        }
        Err(Problem::Refused(e)) => return Err(e),
        Err(Problem::Damaged(reason)) => (reason, false),
        Err(Problem::Undecryptable) => ("its encryption could not be undone".into(), true),
    };
    let otherwise = || match encrypted {
        true => IntakeError::EncryptedPdf,
        false => malformed(MediaType::Pdf, reason.clone()),
    };
    let repaired = rebuild_xref(body).ok_or_else(otherwise)?;
    let facts = match load(&repaired).and_then(|doc| inspect(&doc, limits)) {
        Ok(facts) if facts.has_content => facts,
        Ok(_) => {
            let reason = format!("{reason}, and rebuilding it recovers only blank pages");
            return Err(malformed(MediaType::Pdf, reason));
        }
        Err(Problem::Refused(e)) => return Err(e),
        Err(Problem::Damaged(_) | Problem::Undecryptable) => return Err(otherwise()),
    };
    let note = match encrypted {
        true => "its encryption dictionary was read through a rebuilt copy",
        false => "its cross-reference table could not be read as written and was rebuilt",
    };
    intake.pages = facts.pages;
    intake.warnings.push(note.into());
    intake.warnings.extend(facts.warnings);
    intake.layout = Layout::Pdf {
        repaired: Some(repaired),
    };
    Ok(())
}

fn load(body: &[u8]) -> Result<Document, Problem> {
    match guarded(|| Document::load_mem(body)) {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(e)) => Err(Problem::Damaged(load_error_text(&e))),
        Err(_) => Err(Problem::Damaged("the PDF parser crashed on it".into())),
    }
}

/// lopdf's errors in words that carry no document content.
fn load_error_text(e: &lopdf::Error) -> String {
    match e {
        lopdf::Error::Xref(_) | lopdf::Error::MissingXrefEntry => {
            "its cross-reference table cannot be read".into()
        }
        lopdf::Error::Parse(p) => format!("it cannot be parsed ({p})"),
        lopdf::Error::InvalidOffset(_) | lopdf::Error::IndirectObject { .. } => {
            "its cross-reference table points at the wrong places".into()
        }
        _ => "its structure cannot be read".into(),
    }
}

fn inspect(doc: &Document, limits: &Limits) -> Result<Facts, Problem> {
    let mut warnings = Vec::new();
    // lopdf opens an encrypted file with the empty user password when it can and then drops
    // /Encrypt from the trailer; an /Encrypt still there means a password is needed.
    if doc.trailer.has(b"Encrypt") {
        return Err(IntakeError::EncryptedPdf.into());
    }
    if doc.encryption_state.is_some() {
        warnings.push(
            "encrypted with an owner password only: it opens without a password, and its \
             permission flags (print, copy, change) are not enforced"
                .into(),
        );
    }
    let catalog = doc
        .catalog()
        .map_err(|_| Problem::Damaged("its document catalog is missing".into()))?;
    if resolve(doc, catalog.get(b"NeedsRendering").ok()).and_then(|o| o.as_bool().ok())
        == Some(true)
    {
        return Err(IntakeError::UnsupportedType {
            found: "a dynamic XFA form, not a regular PDF (its pages are empty placeholders; \
                    print it to a regular PDF and add that)"
                .into(),
        }
        .into());
    }
    if let Some(what) = active_content(doc) {
        return Err(IntakeError::ActivePdfContent { what: what.into() }.into());
    }
    check_images(doc, limits)?;

    let tree = page_tree(doc, catalog, limits)?;
    if tree.pages.is_empty() {
        return Err(IntakeError::NoPages.into());
    }
    if tree.looped {
        warnings.push("the page tree refers back to itself; the loop was ignored".into());
    }
    if let Some(count) = tree.declared_count.filter(|&c| c != tree.pages.len()) {
        warnings.push(format!(
            "the page tree declares {count} pages; {} were found",
            tree.pages.len()
        ));
    }
    let has_content = check_contents(doc, &tree.pages, &mut warnings)?;
    if has_embedded_files(doc, catalog) {
        warnings.push("carries embedded files (attachments); they are kept but not opened".into());
    }
    Ok(Facts {
        pages: tree.pages.len(),
        has_content,
        warnings,
    })
}

fn resolve<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a Object> {
    doc.dereference(object?).ok().map(|(_, o)| o)
}

// --- Images inside the PDF

/// Image XObjects are held to the same pixel budget as image files: rendering one would
/// allocate that much.
fn check_images(doc: &Document, limits: &Limits) -> Result<(), Problem> {
    for object in doc.objects.values() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Image") {
            continue;
        }
        let number =
            |key: &[u8]| resolve(doc, stream.dict.get(key).ok()).and_then(|o| o.as_i64().ok());
        if let (Some(width), Some(height)) = (number(b"Width"), number(b"Height")) {
            let (width, height) = (width.max(0) as u64, height.max(0) as u64);
            if width.saturating_mul(height) > limits.max_pixels {
                return Err(IntakeError::PixelBudget {
                    width,
                    height,
                    max_pixels: limits.max_pixels,
                }
                .into());
            }
        }
    }
    Ok(())
}

mod active;
mod pages;
mod repair;

pub(super) use active::outside_streams;
use active::*;
use pages::*;
use repair::*;

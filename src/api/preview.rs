//! Page previews for the viewer: a document's pages drawn as PNGs by a sandboxed worker, so the
//! window shows documents without ever parsing one.
//!
//! Access is checked on every page asked for, exactly as for reading the document. The view is
//! audited once per document per [`VIEW_AUDIT_WINDOW`]: paging through a document and its
//! thumbnails is one viewing, not an audit entry per page. One preview worker is kept warm per
//! session, holding the document being viewed; drawn pages are cached in memory only (never on
//! disk), up to [`CACHE_BYTES`], for [`VIEW_AUDIT_WINDOW`], and all of it ends with the session.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{Error, Result, Session};
use crate::audit::actions;
use crate::pipeline::intake::Limits;
use crate::pipeline::preview::{PreviewRequest, MAX_PREVIEW_WIDTH, MIN_PREVIEW_WIDTH};
use crate::pipeline::worker::{PipelineError, Worker, WorkerLimits};

/// How long one audited viewing of a document lasts, and how long its drawn pages are kept.
pub const VIEW_AUDIT_WINDOW: Duration = Duration::from_secs(10 * 60);
/// Memory the drawn pages of a session may hold.
pub const CACHE_BYTES: usize = 64 * 1024 * 1024;
/// Widths are rounded up to a multiple of this, so a window resized by a few pixels reuses what
/// was drawn (the viewer scales the image down to fit).
const WIDTH_STEP: u32 = 32;
/// Time one preview may take in the worker (a page's own render limit is 30 s).
const PREVIEW_TIMEOUT: Duration = Duration::from_secs(60);

/// One page drawn for the viewer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PagePreview {
    /// 1-based.
    pub page: u32,
    pub pages: u32,
    pub width: u32,
    pub height: u32,
    #[serde(skip)]
    pub png: Arc<Vec<u8>>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct PageKey {
    document_id: String,
    page: u32,
    width: u32,
}

/// A session's preview worker and the pages it drew.
#[derive(Default)]
pub(super) struct Previews {
    worker: Option<Worker>,
    /// The one case whose documents the worker may see: another case's gets a fresh worker.
    worker_case: Option<String>,
    /// The document the worker holds open.
    open: Option<String>,
    /// When each document's viewing was last audited.
    audited: HashMap<String, Instant>,
    drawn: HashMap<PageKey, (PagePreview, Instant)>,
    /// Least recently used first.
    order: VecDeque<PageKey>,
    bytes: usize,
}

impl Previews {
    fn cached(&mut self, key: &PageKey) -> Option<PagePreview> {
        let (preview, at) = self.drawn.get(key)?;
        if at.elapsed() > VIEW_AUDIT_WINDOW {
            self.remove(key);
            return None;
        }
        let preview = preview.clone();
        self.order.retain(|k| k != key);
        self.order.push_back(key.clone());
        Some(preview)
    }

    fn keep(&mut self, key: PageKey, preview: PagePreview) {
        self.remove(&key);
        self.bytes += preview.png.len();
        self.drawn.insert(key.clone(), (preview, Instant::now()));
        self.order.push_back(key);
        while self.bytes > CACHE_BYTES {
            let Some(oldest) = self.order.front().cloned() else {
                break;
            };
            self.remove(&oldest);
        }
    }

    fn remove(&mut self, key: &PageKey) {
        if let Some((preview, _)) = self.drawn.remove(key) {
            self.bytes -= preview.png.len();
            self.order.retain(|k| k != key);
        }
    }

    /// Whether viewing `document_id` now starts a new audited viewing (and marks it so).
    fn view_due(&mut self, document_id: &str) -> bool {
        let now = Instant::now();
        match self.audited.get(document_id) {
            Some(at) if now.duration_since(*at) <= VIEW_AUDIT_WINDOW => false,
            _ => {
                self.audited
                    .retain(|_, at| now.duration_since(*at) <= VIEW_AUDIT_WINDOW);
                self.audited.insert(document_id.to_string(), now);
                true
            }
        }
    }
}

impl Session {
    /// Page `page` (1-based) of a document drawn about `width` pixels wide (rounded up a little,
    /// never wider than the page image of an image file), as a PNG. Checked like
    /// [`Session::read_document`] and audited as a view.
    pub fn page_preview(
        &mut self,
        case_id: &str,
        document_id: &str,
        page: u32,
        width: u32,
        break_glass: Option<&str>,
    ) -> Result<PagePreview> {
        let action = actions::DOCUMENT_VIEW;
        let (doc, grant) = self.readable_document(case_id, document_id, break_glass, action)?;
        let width = width
            .clamp(MIN_PREVIEW_WIDTH, MAX_PREVIEW_WIDTH)
            .div_ceil(WIDTH_STEP)
            .saturating_mul(WIDTH_STEP)
            .min(MAX_PREVIEW_WIDTH);
        let key = PageKey {
            document_id: doc.id.clone(),
            page,
            width,
        };
        let preview = match self.previews.cached(&key) {
            Some(preview) => preview,
            None => {
                let preview = self.draw_preview(&doc, page, width)?;
                self.previews.keep(key, preview.clone());
                preview
            }
        };
        if self.previews.view_due(&doc.id) {
            if let Err(e) = self.record_read(&doc, grant, break_glass, action) {
                // Nothing is shown unaudited: the next page asked for tries the audit again.
                self.previews.audited.remove(&doc.id);
                return Err(e);
            }
        }
        Ok(preview)
    }

    fn draw_preview(
        &mut self,
        doc: &crate::records::Document,
        page: u32,
        width: u32,
    ) -> Result<PagePreview> {
        let limits = Limits::with_max_bytes(self.config.upload_limit_bytes());
        let req = PreviewRequest {
            page: page as usize,
            width,
            max_bytes: limits.max_bytes,
            max_pixels: limits.max_pixels,
            max_pages: limits.max_pages,
            file_name: Some(doc.file_name.clone()),
        };
        // The worker keeps the document it drew last: send it again only for another one, or to
        // a worker started afresh.
        let mut bytes = None;
        for attempt in 0..2 {
            let other_case = self.previews.worker_case.as_deref() != Some(doc.case_id.as_str());
            if other_case || self.previews.worker.as_ref().is_none_or(Worker::is_retired) {
                self.previews.open = None;
                let limits = WorkerLimits {
                    timeout: PREVIEW_TIMEOUT,
                    ..WorkerLimits::default()
                };
                // The old worker (another case's) is gone before the new one starts.
                self.previews.worker = None;
                self.previews.worker = Some(self.spawn_worker(limits).map_err(worker_error)?);
                self.previews.worker_case = Some(doc.case_id.clone());
            }
            let holds_it = self.previews.open.as_deref() == Some(doc.id.as_str());
            if !holds_it && bytes.is_none() {
                bytes = Some(self.decrypt_document(doc)?);
            }
            let worker = self.previews.worker.as_mut().expect("started above");
            let sent = if holds_it { None } else { bytes.as_deref() };
            match worker.preview(&req, sent) {
                Ok(drawn) => {
                    self.previews.open = Some(doc.id.clone());
                    return Ok(PagePreview {
                        page,
                        pages: u32::try_from(drawn.pages).unwrap_or(u32::MAX),
                        width: drawn.width,
                        height: drawn.height,
                        png: Arc::new(drawn.png),
                    });
                }
                // The worker lost the document (it was replaced): send it once more.
                Err(PipelineError::Refused(r)) if r.code == "not_open" && attempt == 0 => {
                    self.previews.open = None;
                }
                Err(PipelineError::Refused(r)) => {
                    // A document just sent may have been refused as a whole: send it again next
                    // time. One already open stays open (the refusal is about this page).
                    if sent.is_some() {
                        self.previews.open = None;
                    }
                    return Err(Error::Rejected {
                        code: r.code,
                        message: r.message,
                    });
                }
                Err(e) => {
                    self.previews.worker = None;
                    self.previews.open = None;
                    return Err(worker_error(e));
                }
            }
        }
        Err(Error::Worker(
            "the preview worker lost the document twice".into(),
        ))
    }
}

fn worker_error(e: PipelineError) -> Error {
    Error::Worker(e.to_string())
}

//! PDF pages drawn as the reviewer sees them, by hayro: a memory-safe rasterizer (pure Rust,
//! `#![forbid(unsafe_code)]`) that decodes every image encoding a scanner writes (CCITT, JBIG2,
//! JPEG 2000, DCT, Flate with predictors) and draws vector outlines and fonts.
//!
//! A document's pages are surveyed and rendered on a thread of their own, so a page that takes
//! longer than [`PAGE_RENDER_TIMEOUT`] can be given up with a clear reason while the worker's
//! watchdog still bounds the whole document. A render cannot be interrupted: once one is given
//! up the thread is abandoned, the document's remaining pages are not rendered, and the worker
//! process retires after answering (see [`render_abandoned`]).
//!
//! Limits: each page's pixels are checked against the request's `max_pixels` before anything
//! is allocated, and a document's rendered pixels against [`MAX_DOCUMENT_PIXELS`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use hayro::hayro_interpret::font::GlyphRun;
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::{
    interpret_page, BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image,
    ImageDrawProps, InterpreterCache, InterpreterSettings, SoftMask,
};
use hayro::hayro_syntax::Pdf;
use hayro::kurbo::{BezPath, Rect};
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::vello_cpu::Pixmap;
use hayro::{PixmapSettings, RenderCache, RenderSettings};
use image::{GrayImage, RgbImage};

use super::TextError;
use crate::formats::guarded;

/// The resolution pages are rendered at for OCR, unless the page is one image of its own.
pub const RENDER_DPI: f64 = 300.0;
/// Below this, OCR of body text degrades badly: a page that does not fit the pixel limit even
/// here is refused rather than read badly.
pub const MIN_RENDER_DPI: f64 = 150.0;
/// A page that is one image is rendered at that image's resolution, up to this.
pub const MAX_RENDER_DPI: f64 = 600.0;
/// Wall-clock time one page may take to draw (an A4 page at 300 dpi takes about 0.15 s).
pub const PAGE_RENDER_TIMEOUT: Duration = Duration::from_secs(30);
/// Pixels one document may render in all (about 170 A4 pages at 300 dpi).
pub const MAX_DOCUMENT_PIXELS: u64 = 1_500_000_000;
/// The rasterizer's canvas sides are 16-bit.
const MAX_SIDE: f64 = u16::MAX as f64;

/// What a page's error says when the renderer panicked on it.
const CRASHED: &str = "the renderer crashed on it";

/// Set once a render was given up: its thread may still be running, so this process should not
/// take another document.
static ABANDONED: AtomicBool = AtomicBool::new(false);

/// Whether a page render was given up in this process, leaving a thread that cannot be stopped.
pub fn render_abandoned() -> bool {
    ABANDONED.load(Ordering::Relaxed)
}

/// What a page draws, found by interpreting it without painting anything.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PageSurvey {
    /// The page's size as shown (its crop box, turned by /Rotate), in points.
    pub width_pt: f64,
    pub height_pt: f64,
    /// Glyphs drawn visibly, and glyphs in text render mode 3 (invisible: another tool's OCR
    /// layer, or text hidden from the reader).
    pub visible_glyphs: usize,
    pub invisible_glyphs: usize,
    /// Vector paths drawn (text can be drawn as outlines).
    pub paths: usize,
    /// The share of the page covered by images, 0..1.
    pub image_cover: f64,
    /// The resolution of the page's largest image (its finer axis) where it covers nearly all
    /// of the page.
    pub page_image_dpi: Option<f64>,
}

impl PageSurvey {
    /// Whether the page draws anything at all.
    pub fn draws_anything(&self) -> bool {
        self.visible_glyphs + self.invisible_glyphs + self.paths > 0 || self.image_cover > 0.0
    }

    /// The resolution to render this page at for OCR: a page that is one scanned image at that
    /// image's own resolution (no resampling), any other at [`RENDER_DPI`].
    pub fn ocr_dpi(&self) -> f64 {
        self.page_image_dpi
            .map_or(RENDER_DPI, |dpi| dpi.clamp(MIN_RENDER_DPI, MAX_RENDER_DPI))
    }

    fn pixels_at(&self, dpi: f64) -> (f64, f64) {
        (
            (self.width_pt * dpi / 72.0).ceil(),
            (self.height_pt * dpi / 72.0).ceil(),
        )
    }
}

/// A device that records what is drawn and paints nothing.
struct Surveyor {
    page: Rect,
    survey: PageSurvey,
    image_area: f64,
    /// The largest image's area on the page and its resolution.
    largest: Option<(f64, f64)>,
}

impl<'a> Device<'a> for Surveyor {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {
        self.survey.paths += 1;
    }
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, _: DrawProps<'a>, mode: &DrawMode) {
        let glyphs = run.glyphs().len();
        match mode {
            DrawMode::Invisible => self.survey.invisible_glyphs += glyphs,
            _ => self.survey.visible_glyphs += glyphs,
        }
    }
    fn draw_image(&mut self, image: Image<'a, '_>, props: ImageDrawProps<'a>) {
        // An image is drawn from its pixel grid: the transform maps (0, 0, w, h) onto the page,
        // and its columns tell how long one pixel is along each of the image's axes.
        let (width, height) = (f64::from(image.width()), f64::from(image.height()));
        let drawn = props
            .transform
            .transform_rect_bbox(Rect::new(0.0, 0.0, width, height))
            .intersect(self.page);
        let area = drawn.width().max(0.0) * drawn.height().max(0.0);
        self.image_area += area;
        let [a, b, c, d, _, _] = props.transform.as_coeffs();
        let (across, down) = (a.hypot(b), c.hypot(d));
        if area > self.largest.map_or(0.0, |(largest, _)| largest) && across > 0.0 && down > 0.0 {
            // The finer axis: a fax's 204x98 dpi page is drawn at 204 dpi, losing nothing.
            self.largest = Some((area, (72.0 / across).max(72.0 / down)));
        }
    }
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

enum Command {
    Survey(usize),
    Render { index: usize, dpi: f64 },
    Preview { index: usize, scale: f64 },
}

type Reply = Result<Rendered, String>;

enum Rendered {
    Survey(PageSurvey),
    Page(GrayImage),
    Color(RgbImage),
}

/// A PDF opened by the renderer, on its own thread.
pub struct Renderer {
    commands: Sender<Command>,
    replies: Receiver<Reply>,
    /// Each page's size in points, as drawn (rotation applied).
    sizes: Vec<(f64, f64)>,
    /// Pixels left of the document's budget.
    budget: u64,
    /// The page whose render was given up, after which nothing more is rendered.
    abandoned_at: Option<usize>,
    timeout: Duration,
}

impl Renderer {
    /// Opens `bytes` in the renderer. An error says why the renderer cannot read the file.
    pub fn open(bytes: Vec<u8>, timeout: Duration) -> Result<Renderer, String> {
        let (commands, inbox) = mpsc::channel::<Command>();
        let (outbox, replies) = mpsc::channel::<Reply>();
        let (opened_tx, opened) = mpsc::channel::<Result<Vec<(f64, f64)>, String>>();
        std::thread::Builder::new()
            .name("pdf-render".into())
            .spawn(move || serve(bytes, &inbox, &outbox, &opened_tx))
            .map_err(|e| format!("could not start the renderer: {e}"))?;
        let sizes = opened
            .recv_timeout(timeout)
            .map_err(|_| "the renderer could not open the document in time".to_string())??;
        Ok(Renderer {
            commands,
            replies,
            sizes,
            budget: MAX_DOCUMENT_PIXELS,
            abandoned_at: None,
            timeout,
        })
    }

    /// The same renderer with a document budget of `pixels` instead of [`MAX_DOCUMENT_PIXELS`].
    pub fn with_budget(mut self, pixels: u64) -> Renderer {
        self.budget = pixels;
        self
    }

    /// The same renderer giving each page `timeout` instead of the one it was opened with.
    pub fn with_timeout(mut self, timeout: Duration) -> Renderer {
        self.timeout = timeout;
        self
    }

    /// The number of pages the renderer sees.
    pub fn pages(&self) -> usize {
        self.sizes.len()
    }

    /// What page `number` (1-based) draws.
    pub fn survey(&mut self, number: usize) -> Result<PageSurvey, TextError> {
        match self.ask(number, Command::Survey(number - 1))? {
            Rendered::Survey(survey) => Ok(survey),
            _ => unreachable!("a survey is answered with a survey"),
        }
    }

    /// Page `number` drawn in 8-bit gray on white at `dpi`, or lower (down to
    /// [`MIN_RENDER_DPI`]) when `dpi` would exceed `max_pixels`. Returns the image and its dpi.
    pub fn render(
        &mut self,
        number: usize,
        survey: &PageSurvey,
        dpi: f64,
        max_pixels: u64,
        warnings: &mut Vec<String>,
    ) -> Result<(GrayImage, u32), TextError> {
        let fitted = fit_dpi(survey, dpi, max_pixels).ok_or_else(|| {
            let (width, height) = survey.pixels_at(MIN_RENDER_DPI);
            TextError::PageTooLarge {
                page: number,
                width_pt: survey.width_pt.round() as u64,
                height_pt: survey.height_pt.round() as u64,
                megapixels: (width * height / 1e6).ceil() as u64,
                max_megapixels: max_pixels / 1_000_000,
            }
        })?;
        if fitted < dpi.round() - 1.0 {
            warnings.push(format!(
                "page {number}: rendered at {fitted:.0} dpi, not {dpi:.0}, to stay within the pixel limit"
            ));
        }
        let (width, height) = survey.pixels_at(fitted);
        let pixels = (width * height) as u64;
        if pixels > self.budget {
            return Err(TextError::DocumentRenderBudget {
                page: number,
                max_megapixels: MAX_DOCUMENT_PIXELS / 1_000_000,
            });
        }
        self.budget -= pixels;
        match self.ask(
            number,
            Command::Render {
                index: number - 1,
                dpi: fitted,
            },
        )? {
            Rendered::Page(image) => Ok((image, fitted.round() as u32)),
            _ => unreachable!("a render is answered with a page"),
        }
    }

    /// Page `number` in colour on white, `width` pixels wide, for the viewer; narrower where
    /// that width would exceed `max_pixels` (a very tall page). Outside the document's budget:
    /// previews are small and drawn one at a time, on demand.
    pub fn preview(
        &mut self,
        number: usize,
        width: u32,
        max_pixels: u64,
    ) -> Result<RgbImage, TextError> {
        let unreadable = |reason: &str| TextError::Render {
            page: number,
            reason: reason.into(),
        };
        let &(width_pt, height_pt) = number
            .checked_sub(1)
            .and_then(|index| self.sizes.get(index))
            .ok_or_else(|| unreadable("the document has no such page"))?;
        if !(width_pt > 0.0 && height_pt > 0.0 && width_pt.is_finite() && height_pt.is_finite()) {
            return Err(unreadable("its page size is not valid"));
        }
        let by_width = f64::from(width.max(1)) / width_pt;
        let by_pixels = (max_pixels as f64 / (width_pt * height_pt)).sqrt();
        let by_side = MAX_SIDE / width_pt.max(height_pt);
        let scale = by_width.min(by_pixels).min(by_side);
        match self.ask(
            number,
            Command::Preview {
                index: number - 1,
                scale,
            },
        )? {
            Rendered::Color(image) => Ok(image),
            _ => unreachable!("a preview is answered with a colour page"),
        }
    }

    fn ask(&mut self, number: usize, command: Command) -> Result<Rendered, TextError> {
        if let Some(stopped) = self.abandoned_at {
            return Err(TextError::Render {
                page: number,
                reason: format!("rendering stopped at page {stopped}, which took too long"),
            });
        }
        let gone = || TextError::Render {
            page: number,
            reason: CRASHED.into(),
        };
        self.commands.send(command).map_err(|_| gone())?;
        match self.replies.recv_timeout(self.timeout) {
            Ok(Ok(rendered)) => Ok(rendered),
            Ok(Err(reason)) => Err(TextError::Render {
                page: number,
                reason,
            }),
            Err(RecvTimeoutError::Timeout) => {
                self.abandoned_at = Some(number);
                ABANDONED.store(true, Ordering::Relaxed);
                Err(TextError::RenderTimedOut {
                    page: number,
                    secs: self.timeout.as_secs(),
                })
            }
            Err(RecvTimeoutError::Disconnected) => Err(gone()),
        }
    }
}

/// The highest resolution at most `dpi` and at least [`MIN_RENDER_DPI`] at which the page fits
/// `max_pixels` and the canvas; `None` if it fits at none.
fn fit_dpi(survey: &PageSurvey, dpi: f64, max_pixels: u64) -> Option<f64> {
    let area_in2 = survey.width_pt / 72.0 * (survey.height_pt / 72.0);
    let longest_in = survey.width_pt.max(survey.height_pt) / 72.0;
    if !(area_in2.is_finite() && area_in2 > 0.0) {
        return None;
    }
    let by_pixels = (max_pixels as f64 / area_in2).sqrt();
    let by_side = MAX_SIDE / longest_in;
    // The floor keeps the rounded-up canvas within the limit.
    let fitted = dpi.min(by_pixels).min(by_side).floor();
    (fitted >= MIN_RENDER_DPI).then_some(fitted)
}

/// The render thread: opens the document, then answers commands until the channel closes.
fn serve(
    bytes: Vec<u8>,
    inbox: &Receiver<Command>,
    outbox: &Sender<Reply>,
    opened: &Sender<Result<Vec<(f64, f64)>, String>>,
) {
    let pdf = match guarded(|| Pdf::new(bytes)) {
        Ok(Ok(pdf)) => pdf,
        Ok(Err(e)) => {
            let _ = opened.send(Err(format!("the renderer cannot read it ({e:?})")));
            return;
        }
        Err(_) => {
            let _ = opened.send(Err(format!("the renderer cannot read it ({CRASHED})")));
            return;
        }
    };
    let pages = pdf.pages();
    let sizes = pages
        .iter()
        .map(|page| {
            let (width, height) = page.render_dimensions();
            (f64::from(width), f64::from(height))
        })
        .collect();
    if opened.send(Ok(sizes)).is_err() {
        return;
    }
    let settings = InterpreterSettings::default();
    let cache = RenderCache::new();
    let interpreter_cache = InterpreterCache::new();
    while let Ok(command) = inbox.recv() {
        let reply = match command {
            Command::Survey(index) => guarded(|| {
                pages
                    .get(index)
                    .map(|page| Rendered::Survey(survey_page(page, &interpreter_cache, &settings)))
            }),
            Command::Render { index, dpi } => guarded(|| {
                pages.get(index).map(|page| {
                    Rendered::Page(to_gray(draw_page(page, &cache, &settings, dpi / 72.0)))
                })
            }),
            Command::Preview { index, scale } => guarded(|| {
                pages
                    .get(index)
                    .map(|page| Rendered::Color(to_rgb(draw_page(page, &cache, &settings, scale))))
            }),
        };
        let reply = match reply {
            Ok(Some(rendered)) => Ok(rendered),
            Ok(None) => Err("the renderer does not find this page".to_string()),
            Err(_) => Err(CRASHED.to_string()),
        };
        if outbox.send(reply).is_err() {
            return;
        }
    }
}

fn survey_page<'a>(
    page: &'a hayro::hayro_syntax::page::Page<'a>,
    cache: &InterpreterCache<'a>,
    settings: &InterpreterSettings,
) -> PageSurvey {
    let (width, height) = page.render_dimensions();
    let (width_pt, height_pt) = (f64::from(width), f64::from(height));
    let bounds = Rect::new(0.0, 0.0, width_pt, height_pt);
    let mut context = Context::new(
        page.initial_transform(true).to_kurbo(),
        bounds,
        cache,
        page.xref(),
        settings.clone(),
    );
    let mut surveyor = Surveyor {
        page: bounds,
        survey: PageSurvey {
            width_pt,
            height_pt,
            ..PageSurvey::default()
        },
        image_area: 0.0,
        largest: None,
    };
    interpret_page(page, &mut context, &mut surveyor);
    let page_area = width_pt * height_pt;
    let mut survey = surveyor.survey;
    if page_area > 0.0 {
        survey.image_cover = (surveyor.image_area / page_area).min(1.0);
        // Area-based, so it holds however the image is turned on the page.
        survey.page_image_dpi = surveyor
            .largest
            .filter(|(area, _)| area / page_area >= 0.9)
            .map(|(_, dpi)| dpi);
    }
    survey
}

/// Page drawn on white at `scale` pixels per point.
fn draw_page<'a>(
    page: &'a hayro::hayro_syntax::page::Page<'a>,
    cache: &RenderCache<'a>,
    settings: &InterpreterSettings,
    scale: f64,
) -> Pixmap {
    let scale = scale as f32;
    hayro::render(
        page,
        cache,
        settings,
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: scale,
            y_scale: scale,
            bg_color: WHITE,
        },
    )
}

// Opaque on a white background, so premultiplied and straight colour are the same.

fn to_gray(pixmap: Pixmap) -> GrayImage {
    let (width, height) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    let gray = pixmap
        .data_as_u8_slice()
        .chunks_exact(4)
        .map(|p| super::images::luma(p[0], p[1], p[2]))
        .collect();
    GrayImage::from_raw(width, height, gray).expect("one value per pixel")
}

fn to_rgb(pixmap: Pixmap) -> RgbImage {
    let (width, height) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    let rgb = pixmap
        .data_as_u8_slice()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    RgbImage::from_raw(width, height, rgb).expect("three values per pixel")
}

//! The MRZ reader for scans and photos: finds the machine-readable zone on a page image
//! ([`locate`]) and reads it glyph by glyph with a model trained for OCR-B and the 37-character
//! MRZ alphabet ([`model`]), where Tesseract's general-purpose reading confuses `<` with `K`,
//! `O` with `0` and loses fillers (measured in `models/README.md`).
//!
//! It only reads characters: which line is which field, check digits and repairs are the text
//! side's job (`fields::mrz`), which sees these lines in the page text in place of Tesseract's.
//! A page whose upright image has no MRZ is searched again turned a quarter either way and
//! upside down when asked (a passport booklet photographed sideways).

pub mod cells;
pub mod locate;
pub mod model;

use image::GrayImage;

pub use model::{Glyph, GlyphModel};

#[derive(Debug, Clone, thiserror::Error)]
pub enum MrzError {
    #[error("the MRZ glyph model was not found (looked in: {searched}); run `make setup`")]
    Missing { searched: String },
    #[error("the MRZ glyph model could not be loaded: {0}")]
    Model(String),
    #[error("the MRZ glyph model failed: {0}")]
    Inference(String),
}

/// One located MRZ line in pixels of the image searched: the ink's left and right edges (the
/// first and last glyph), the glyphs' top and bottom at the left end, the number of characters,
/// and its slant (dy/dx; a scan is rarely quite straight), which the cells follow.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineBox {
    pub x_left: f32,
    pub x_right: f32,
    pub y_top: f32,
    pub y_bottom: f32,
    pub chars: usize,
    pub slope: f32,
}

impl LineBox {
    /// The width of one character cell.
    pub fn pitch(&self) -> f32 {
        (self.x_right - self.x_left) / self.chars as f32
    }
}

/// How the page was turned before its MRZ was found, clockwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Turn {
    None,
    Quarter,
    Half,
    ThreeQuarters,
}

/// An MRZ read off a page image.
#[derive(Clone, Debug, PartialEq)]
pub struct MrzText {
    /// The lines as read, top to bottom.
    pub lines: Vec<String>,
    /// The lowest glyph probability of each line.
    pub line_confidence: Vec<f32>,
    /// The mean glyph probability over the zone.
    pub mean_confidence: f32,
    /// Where the lines are, in pixels of the page as given when `turn` is `None`.
    pub boxes: Vec<LineBox>,
    pub turn: Turn,
}

impl MrzText {
    /// The zone's rectangle `[x0, y0, x1, y1]` on the page as given (upright pages only).
    pub fn rect(&self) -> Option<[f32; 4]> {
        if self.turn != Turn::None {
            return None;
        }
        let first = self.boxes.first()?;
        let last = self.boxes.last()?;
        let x0 = self.boxes.iter().map(|b| b.x_left).fold(f32::MAX, f32::min);
        let x1 = self
            .boxes
            .iter()
            .map(|b| b.x_right)
            .fold(f32::MIN, f32::max);
        Some([x0, first.y_top, x1, last.y_bottom])
    }
}

/// Below this mean glyph probability an upright reading is compared with the page upside down.
const SURE_UPRIGHT: f32 = 0.8;

/// Reads the MRZ of `page`, if it has one; turned pages are searched only if `turned`. The
/// locator cannot tell a zone from the same zone upside down, so where two turns both find one,
/// the glyph model's confidence decides.
pub fn read(
    model: &mut GlyphModel,
    page: &GrayImage,
    turned: bool,
) -> Result<Option<MrzText>, MrzError> {
    if let Some(found) = read_upright(model, page, Turn::None)? {
        if found.mean_confidence >= SURE_UPRIGHT {
            return Ok(Some(found));
        }
        let flipped = read_upright(model, &image::imageops::rotate180(page), Turn::Half)?;
        return Ok(better(Some(found), flipped));
    }
    if !turned {
        return Ok(None);
    }
    let quarter = read_upright(model, &image::imageops::rotate90(page), Turn::Quarter)?;
    let three = read_upright(
        model,
        &image::imageops::rotate270(page),
        Turn::ThreeQuarters,
    )?;
    Ok(better(quarter, three))
}

/// The reading the model is surer of.
fn better(a: Option<MrzText>, b: Option<MrzText>) -> Option<MrzText> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.mean_confidence > a.mean_confidence {
            b
        } else {
            a
        }),
        (a, b) => a.or(b),
    }
}

fn read_upright(
    model: &mut GlyphModel,
    page: &GrayImage,
    turn: Turn,
) -> Result<Option<MrzText>, MrzError> {
    let boxes = locate::find_lines(page);
    if boxes.is_empty() {
        return Ok(None);
    }
    let mut lines = Vec::new();
    let mut line_confidence = Vec::new();
    let mut mean = Vec::new();
    for line in &boxes {
        let glyphs = model.classify(&cells::cells(page, line))?;
        lines.push(glyphs.iter().map(|g| g.char).collect::<String>());
        line_confidence.push(glyphs.iter().map(|g| g.confidence).fold(1.0, f32::min));
        mean.extend(glyphs.iter().map(|g| g.confidence));
    }
    Ok(Some(MrzText {
        lines,
        line_confidence,
        mean_confidence: mean.iter().sum::<f32>() / mean.len().max(1) as f32,
        boxes,
        turn,
    }))
}

/// The glyph model of a worker, loaded on first use; a missing model is remembered, so a
/// worker without one reads pages with Tesseract alone and says so once.
#[derive(Default)]
pub struct MrzSlot {
    model: Option<Result<GlyphModel, MrzError>>,
}

impl MrzSlot {
    pub fn get(&mut self) -> Result<&mut GlyphModel, MrzError> {
        self.model
            .get_or_insert_with(GlyphModel::load)
            .as_mut()
            .map_err(|e| e.clone())
    }
}

#[cfg(test)]
mod tests;

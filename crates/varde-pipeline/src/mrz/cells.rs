//! The glyph model's input: each character cell of a located line, resampled to 16 × 24 and
//! contrast-normalised, exactly as `models/train/mrz/` cut them for training ("cell contract 1"
//! in `models/README.md`; change both together).

use image::GrayImage;

use super::LineBox;

pub const CELL_WIDTH: usize = 16;
pub const CELL_HEIGHT: usize = 24;
pub const CELL_VALUES: usize = CELL_WIDTH * CELL_HEIGHT;
/// A cell reaches this fraction of the cap height above and below the line's ink.
const VERTICAL_MARGIN: f32 = 0.15;
/// Below this ink range a cell is blank: all zeros, not stretched noise.
const MIN_INK_RANGE: f32 = 0.08;

/// The line's cells, one after another, `CELL_VALUES` floats each.
pub fn cells(page: &GrayImage, line: &LineBox) -> Vec<f32> {
    let pitch = line.pitch();
    let h = line.y_bottom - line.y_top;
    let (y0, y1) = (
        line.y_top - VERTICAL_MARGIN * h,
        line.y_bottom + VERTICAL_MARGIN * h,
    );
    let mut out = Vec::with_capacity(line.chars * CELL_VALUES);
    for i in 0..line.chars {
        let x0 = line.x_left + i as f32 * pitch;
        // A slanted line's cells step up or down with it (an extension of the contract, which
        // cuts level lines: the model was trained on lines turned up to 1.5° in level cells).
        let dy = line.slope * (x0 + pitch / 2.0 - line.x_left);
        let mut cell = resample(page, (x0, y0 + dy, x0 + pitch, y1 + dy));
        normalise(&mut cell);
        out.extend_from_slice(&cell);
    }
    out
}

/// The rectangle `(x0, y0, x1, y1)` of `page` averaged into `CELL_WIDTH × CELL_HEIGHT` values of
/// ink (1 − gray/255): each value is the mean over the area it covers, partly covered pixels
/// weighted by their share; outside the page counts as white.
fn resample(page: &GrayImage, (x0, y0, x1, y1): (f32, f32, f32, f32)) -> [f32; CELL_VALUES] {
    let sx = (x1 - x0) / CELL_WIDTH as f32;
    let sy = (y1 - y0) / CELL_HEIGHT as f32;
    let (w, h) = (page.width() as i64, page.height() as i64);
    let gray = |x: i64, y: i64| -> f32 {
        if x < 0 || y < 0 || x >= w || y >= h {
            255.0
        } else {
            f32::from(page.as_raw()[(y * w + x) as usize])
        }
    };
    let mut out = [0f32; CELL_VALUES];
    for v in 0..CELL_HEIGHT {
        let (ty0, ty1) = (y0 + v as f32 * sy, y0 + (v + 1) as f32 * sy);
        for u in 0..CELL_WIDTH {
            let (tx0, tx1) = (x0 + u as f32 * sx, x0 + (u + 1) as f32 * sx);
            let (mut sum, mut area) = (0f32, 0f32);
            for py in ty0.floor() as i64..ty1.ceil() as i64 {
                let wy = (ty1.min(py as f32 + 1.0) - ty0.max(py as f32)).max(0.0);
                for px in tx0.floor() as i64..tx1.ceil() as i64 {
                    let wx = (tx1.min(px as f32 + 1.0) - tx0.max(px as f32)).max(0.0);
                    sum += gray(px, py) * wx * wy;
                    area += wx * wy;
                }
            }
            let mean = if area > 0.0 { sum / area } else { 255.0 };
            out[v * CELL_WIDTH + u] = 1.0 - mean / 255.0;
        }
    }
    out
}

/// Stretches the cell's ink to 0..1, or blanks it when there is too little contrast.
fn normalise(cell: &mut [f32; CELL_VALUES]) {
    let lo = cell.iter().copied().fold(f32::MAX, f32::min);
    let hi = cell.iter().copied().fold(f32::MIN, f32::max);
    if hi - lo < MIN_INK_RANGE {
        cell.fill(0.0);
    } else {
        cell.iter_mut().for_each(|v| *v = (*v - lo) / (hi - lo));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_the_area_mean_of_what_it_covers_with_white_outside_the_page() {
        // Left half black, right half white: a cell over the middle column pair is half ink.
        let page = GrayImage::from_fn(4, 4, |x, _| image::Luma([if x < 2 { 0 } else { 255 }]));
        let all = resample(&page, (0.0, 0.0, 4.0, 4.0));
        assert!((all[0] - 1.0).abs() < 1e-6 && all[CELL_WIDTH - 1].abs() < 1e-6);
        let outside = resample(&page, (10.0, 10.0, 12.0, 12.0));
        assert!(outside.iter().all(|v| v.abs() < 1e-6));
        let straddling = resample(&page, (1.0, 0.0, 3.0, 4.0));
        let mean: f32 = straddling.iter().sum::<f32>() / CELL_VALUES as f32;
        assert!((mean - 0.5).abs() < 1e-3, "{mean}");
    }

    #[test]
    fn a_cell_without_contrast_is_blank_and_one_with_contrast_is_stretched() {
        let mut flat = [0.3f32; CELL_VALUES];
        normalise(&mut flat);
        assert!(flat.iter().all(|&v| v == 0.0));
        let mut faint = [0.2f32; CELL_VALUES];
        faint[0] = 0.6;
        normalise(&mut faint);
        assert_eq!((faint[0], faint[1]), (1.0, 0.0));
    }
}

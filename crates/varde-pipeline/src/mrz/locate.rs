//! Finding the MRZ on a page image, without reading it: its lines are rows of evenly spaced
//! glyphs of one height (OCR-B is monospaced), 30, 36 or 44 to a line, in a block of two or
//! three lines that start at the same x. Proportional text, tables and photos fail those tests.
//!
//! The page is searched at most [`SEARCH_SIDE`] pixels on its longer side (an MRZ glyph is still
//! 15 px tall there on a 300 dpi passport page), binarised against its local mean so that tinted
//! and washed-out backgrounds keep their glyphs, and split into connected components.

use image::GrayImage;

use super::LineBox;

/// The longer side of the image the search works on.
pub const SEARCH_SIDE: u32 = 1600;
/// The steepest slant (dy/dx, about 3.4°) a line may have.
const MAX_SLOPE: f32 = 0.06;
/// The characters per line of each MRZ format: TD1; TD2 and MRV-B; TD3 and MRV-A.
const LINE_LENGTHS: [usize; 3] = [30, 36, 44];

/// A connected run of ink: its bounding box (`x1`, `y1` exclusive).
#[derive(Clone, Copy, Debug)]
struct Blob {
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
}

impl Blob {
    fn width(&self) -> u32 {
        self.x1 - self.x0
    }
    fn height(&self) -> u32 {
        self.y1 - self.y0
    }
    fn center_x(&self) -> f32 {
        (self.x0 + self.x1) as f32 / 2.0
    }
    fn center_y(&self) -> f32 {
        (self.y0 + self.y1) as f32 / 2.0
    }
}

/// The MRZ lines of `page`, top to bottom, in `page`'s pixels; empty if it has none.
pub fn find_lines(page: &GrayImage) -> Vec<LineBox> {
    let factor = page.width().max(page.height()).div_ceil(SEARCH_SIDE).max(1);
    let small = shrink(page, factor);
    let ink = binarise(&small);
    let blobs = blobs(&ink, small.width(), small.height());
    let lines: Vec<LineBox> = rows(&blobs, small.height())
        .iter()
        .flat_map(|row| segments(row, &blobs))
        .filter_map(|segment| line_of(&segment, &blobs))
        .collect();
    let f = factor as f32;
    best_block(lines)
        .into_iter()
        .map(|l| LineBox {
            x_left: l.x_left * f,
            x_right: l.x_right * f,
            y_top: l.y_top * f,
            y_bottom: l.y_bottom * f,
            chars: l.chars,
            slope: l.slope,
        })
        .collect()
}

/// `image` averaged down by a whole `factor`.
fn shrink(image: &GrayImage, factor: u32) -> GrayImage {
    if factor == 1 {
        return image.clone();
    }
    let (w, h) = (
        image.width().div_ceil(factor),
        image.height().div_ceil(factor),
    );
    let mut sums = vec![(0u32, 0u32); (w * h) as usize];
    for (x, y, p) in image.enumerate_pixels() {
        let cell = &mut sums[((y / factor) * w + x / factor) as usize];
        cell.0 += u32::from(p.0[0]);
        cell.1 += 1;
    }
    let pixels = sums.iter().map(|&(s, n)| (s / n.max(1)) as u8).collect();
    GrayImage::from_raw(w, h, pixels).expect("one value per pixel")
}

/// Ink: pixels clearly darker than the mean of their neighbourhood (a window about a twentieth
/// of the shorter side, so a glyph never fills it).
fn binarise(image: &GrayImage) -> Vec<bool> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let mut integral = vec![0u64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(image.as_raw()[y * w + x]);
            integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
        }
    }
    let r = (w.min(h) / 20).clamp(7, 60);
    let mut ink = vec![false; w * h];
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let sum = integral[y1 * (w + 1) + x1] + integral[y0 * (w + 1) + x0]
                - integral[y0 * (w + 1) + x1]
                - integral[y1 * (w + 1) + x0];
            let mean = sum as f32 / ((y1 - y0) * (x1 - x0)) as f32;
            let p = f32::from(image.as_raw()[y * w + x]);
            ink[y * w + x] = p < mean - (0.12 * mean).max(12.0);
        }
    }
    ink
}

/// Connected components (8-neighbourhood) of `ink`, by union-find over pixel labels.
fn blobs(ink: &[bool], width: u32, height: u32) -> Vec<Blob> {
    let (w, h) = (width as usize, height as usize);
    let mut label = vec![0u32; w * h];
    let mut parent: Vec<u32> = vec![0];
    fn root(parent: &mut [u32], mut a: u32) -> u32 {
        while parent[a as usize] != a {
            parent[a as usize] = parent[parent[a as usize] as usize];
            a = parent[a as usize];
        }
        a
    }
    for y in 0..h {
        for x in 0..w {
            if !ink[y * w + x] {
                continue;
            }
            let mut neighbours = [0u32; 4];
            if x > 0 {
                neighbours[0] = label[y * w + x - 1];
            }
            if y > 0 {
                neighbours[1] = label[(y - 1) * w + x];
                if x > 0 {
                    neighbours[2] = label[(y - 1) * w + x - 1];
                }
                if x + 1 < w {
                    neighbours[3] = label[(y - 1) * w + x + 1];
                }
            }
            let mut mine = 0;
            for n in neighbours.into_iter().filter(|&n| n != 0) {
                let n = root(&mut parent, n);
                if mine == 0 {
                    mine = n;
                } else if n != mine {
                    let (lo, hi) = (mine.min(n), mine.max(n));
                    parent[hi as usize] = lo;
                    mine = lo;
                }
            }
            if mine == 0 {
                mine = parent.len() as u32;
                parent.push(mine);
            }
            label[y * w + x] = mine;
        }
    }
    let mut boxes: Vec<Option<Blob>> = vec![None; parent.len()];
    for y in 0..h {
        for x in 0..w {
            let l = label[y * w + x];
            if l == 0 {
                continue;
            }
            let r = root(&mut parent, l) as usize;
            let (x, y) = (x as u32, y as u32);
            let b = boxes[r].get_or_insert(Blob {
                x0: x,
                y0: y,
                x1: x + 1,
                y1: y + 1,
            });
            b.x0 = b.x0.min(x);
            b.y0 = b.y0.min(y);
            b.x1 = b.x1.max(x + 1);
            b.y1 = b.y1.max(y + 1);
        }
    }
    boxes.into_iter().flatten().collect()
}

/// Blobs of glyph size grouped into rows: each glyph is linked to the nearest one on its right
/// that is close (within 1.8 heights), of a similar height and level with it. The test is
/// local, so a line scanned at a slant stays one row. Long flat blobs (a run of fillers `<<<<`
/// printed so close it joined up) are added to the row they sit in afterwards: they must count
/// for the line's extent, not for its pitch.
fn rows(blobs: &[Blob], page_height: u32) -> Vec<Vec<usize>> {
    let min_h = 5;
    let max_h = (page_height / 8).max(min_h + 1);
    let glyph = |b: &Blob| (min_h..=max_h).contains(&b.height()) && b.width() <= 2 * b.height();
    let mut order: Vec<usize> = (0..blobs.len()).filter(|&i| glyph(&blobs[i])).collect();
    order.sort_by_key(|&i| blobs[i].x0);

    let mut parent: Vec<usize> = (0..blobs.len()).collect();
    fn root(parent: &mut [usize], mut a: usize) -> usize {
        while parent[a] != a {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        a
    }
    for (k, &i) in order.iter().enumerate() {
        let a = &blobs[i];
        let h = a.height() as f32;
        let mut nearest: Option<(f32, usize)> = None;
        for &j in &order[k + 1..] {
            let b = &blobs[j];
            if b.x0 as f32 > a.x1 as f32 + 1.8 * h {
                break;
            }
            let dx = b.center_x() - a.center_x();
            let level = (b.center_y() - a.center_y()).abs() <= 0.3 * h.max(b.height() as f32);
            let similar = (0.45..=2.2).contains(&(b.height() as f32 / h));
            if dx > 0.0 && level && similar && nearest.is_none_or(|(d, _)| dx < d) {
                nearest = Some((dx, j));
            }
        }
        if let Some((_, j)) = nearest {
            let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
            parent[ri.max(rj)] = ri.min(rj);
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for &i in &order {
        groups.entry(root(&mut parent, i)).or_default().push(i);
    }
    let mut rows: Vec<Vec<usize>> = groups.into_values().filter(|m| m.len() >= 12).collect();
    for (i, b) in blobs.iter().enumerate() {
        if b.width() <= 2 * b.height() || b.height() < 2 {
            continue;
        }
        if let Some(row) = rows.iter_mut().find(|row| {
            let h = cap_height(row, blobs);
            let fit = Fit::of(row.iter().map(|&j| &blobs[j]));
            (b.center_y() - fit.at(b.center_x())).abs() <= 0.3 * h
                && (0.3 * h..=0.9 * h).contains(&(b.height() as f32))
        }) {
            row.push(i);
        }
    }
    rows
}

/// A straight line through blobs' centres (least squares): a text line's slant.
#[derive(Clone, Copy, Debug)]
struct Fit {
    slope: f32,
    intercept: f32,
}

impl Fit {
    fn of<'a>(blobs: impl Iterator<Item = &'a Blob>) -> Fit {
        let points: Vec<(f32, f32)> = blobs.map(|b| (b.center_x(), b.center_y())).collect();
        let n = points.len().max(1) as f32;
        let (mx, my) = points
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p.0 / n, y + p.1 / n));
        let (sxy, sxx) = points.iter().fold((0.0, 0.0), |(xy, xx), p| {
            (xy + (p.0 - mx) * (p.1 - my), xx + (p.0 - mx) * (p.0 - mx))
        });
        let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
        Fit {
            slope,
            intercept: my - slope * mx,
        }
    }

    fn at(&self, x: f32) -> f32 {
        self.slope * x + self.intercept
    }
}

/// A row split where the gap between neighbours is far wider than a glyph (two cards side by
/// side, or a label and a value), each part sorted left to right.
fn segments(row: &[usize], blobs: &[Blob]) -> Vec<Vec<usize>> {
    let mut sorted = row.to_vec();
    sorted.sort_by_key(|&i| blobs[i].x0);
    let h = cap_height(row, blobs);
    let mut out: Vec<Vec<usize>> = vec![Vec::new()];
    let mut right = 0u32;
    for i in sorted {
        let current = out.last_mut().expect("never empty");
        if !current.is_empty() && blobs[i].x0 as f32 > right as f32 + 2.5 * h {
            out.push(vec![i]);
        } else {
            current.push(i);
        }
        right = right.max(blobs[i].x1);
    }
    out.retain(|s| s.len() >= 12);
    out
}

/// The segment as an MRZ line, if it is one: evenly spaced glyphs whose count fits a format.
fn line_of(segment: &[usize], blobs: &[Blob]) -> Option<LineBox> {
    let h = cap_height(segment, blobs);
    let glyphs: Vec<&Blob> = segment
        .iter()
        .map(|&i| &blobs[i])
        .filter(|b| b.width() as f32 <= 1.5 * h)
        .collect();
    let steps: Vec<f32> = glyphs
        .windows(2)
        .map(|w| w[1].center_x() - w[0].center_x())
        .filter(|&d| d > 0.0 && d < 1.8 * h)
        .collect();
    if steps.len() < 10 {
        return None;
    }
    let pitch = median(steps.clone());
    if !(0.6 * h..=1.6 * h).contains(&pitch) {
        return None;
    }
    let regular = steps
        .iter()
        .filter(|&&d| (d - pitch).abs() <= 0.25 * pitch)
        .count();
    if (regular as f32) < 0.6 * steps.len() as f32 {
        return None;
    }
    let segment = trim_strays(segment, blobs, pitch);
    let x_left = segment.iter().map(|&i| blobs[i].x0).min()? as f32;
    let x_right = segment.iter().map(|&i| blobs[i].x1).max()? as f32;
    // The span is (n − 1) pitches plus one glyph's ink, about 0.7 of a pitch.
    let estimate = (x_right - x_left) / pitch + 0.3;
    let chars = *LINE_LENGTHS.iter().min_by(|a, b| {
        (**a as f32 - estimate)
            .abs()
            .total_cmp(&(**b as f32 - estimate).abs())
    })?;
    if (chars as f32 - estimate).abs() > (0.08 * chars as f32).max(2.5) {
        return None;
    }
    let tall: Vec<&Blob> = glyphs
        .iter()
        .copied()
        .filter(|b| b.height() as f32 >= 0.85 * h)
        .collect();
    if tall.len() < 5 {
        return None;
    }
    // A slant the model cannot read through is not worth cutting.
    let slope = Fit::of(tall.iter().copied()).slope;
    if slope.abs() > MAX_SLOPE {
        return None;
    }
    // The union of the glyphs' ink (digits stand a little taller than capitals), robust to a
    // stray blob: the 10th and 90th percentiles of the tall glyphs' tops and bottoms, each
    // brought level with the line's left end.
    let level = |y: u32, b: &Blob| y as f32 - slope * (b.center_x() - x_left);
    Some(LineBox {
        x_left,
        x_right,
        y_top: percentile(tall.iter().map(|b| level(b.y0, b)).collect(), 0.1),
        y_bottom: percentile(tall.iter().map(|b| level(b.y1, b)).collect(), 0.9),
        chars,
        slope,
    })
}

/// The segment without blobs at its ends that stand apart from the rest (a card's edge, a
/// pattern's line): glyphs of a line are never more than about half a pitch apart.
fn trim_strays<'a>(segment: &'a [usize], blobs: &[Blob], pitch: f32) -> &'a [usize] {
    let apart = |a: usize, b: usize| blobs[b].x0 as f32 - blobs[a].x1 as f32 > 1.2 * pitch;
    let mut s = segment;
    while s.len() > 2 && apart(s[0], s[1]) {
        s = &s[1..];
    }
    while s.len() > 2 && apart(s[s.len() - 2], s[s.len() - 1]) {
        s = &s[..s.len() - 1];
    }
    s
}

/// The MRZ among candidate lines: consecutive lines of one length that start together, two of
/// them (three for TD1, 30 characters); the lowest such block on the page.
fn best_block(mut lines: Vec<LineBox>) -> Vec<LineBox> {
    lines.sort_by(|a, b| a.y_top.total_cmp(&b.y_top));
    let mut best: Vec<LineBox> = Vec::new();
    let mut chain: Vec<LineBox> = Vec::new();
    for line in lines {
        let joins = chain.last().is_some_and(|prev: &LineBox| {
            let h = prev.y_bottom - prev.y_top;
            let gap = line.y_top - prev.y_bottom;
            prev.chars == line.chars
                && (line.x_left - prev.x_left).abs() <= 0.5 * prev.pitch()
                && (line.pitch() / prev.pitch() - 1.0).abs() <= 0.12
                && gap > 0.0
                && gap <= 2.5 * h
        });
        if !joins {
            chain.clear();
        }
        chain.push(line);
        let wanted = if line.chars == 30 { 3 } else { 2 };
        if chain.len() >= wanted {
            best = chain[chain.len() - wanted..].to_vec();
        }
    }
    best
}

/// The height of the row's capitals and digits (fillers `<` are shorter).
fn cap_height(members: &[usize], blobs: &[Blob]) -> f32 {
    let mut heights: Vec<f32> = members.iter().map(|&i| blobs[i].height() as f32).collect();
    heights.sort_by(f32::total_cmp);
    heights[(heights.len() * 3 / 4).min(heights.len() - 1)]
}

fn median(values: Vec<f32>) -> f32 {
    percentile(values, 0.5)
}

fn percentile(mut values: Vec<f32>, p: f32) -> f32 {
    values.sort_by(f32::total_cmp);
    values[((values.len() - 1) as f32 * p).round() as usize]
}

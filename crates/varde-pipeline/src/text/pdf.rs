//! A PDF's text, page by page: the text layer where a page has one (pdf-extract), otherwise
//! the page's largest image, found through its resources and drawn size, decoded and OCRed.

use super::*;

pub(super) fn extract_pdf(
    bytes: &[u8],
    ocr: &mut OcrSlot,
    max_pixels: u64,
    out: &mut ExtractedText,
) -> Result<(), TextError> {
    let mut doc = guarded(|| Document::load_mem(bytes))
        .map_err(|_| TextError::Pdf(CRASHED.into()))?
        .map_err(|e| TextError::Pdf(e.to_string()))?;
    if doc.is_encrypted() {
        // Only documents that open without a password (an owner password alone) get here.
        doc.decrypt("").map_err(|e| {
            TextError::Pdf(format!(
                "encrypted, and not openable without a password: {e}"
            ))
        })?;
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(TextError::Pdf("the document has no pages".into()));
    }
    let mut failures = PageFailures::default();
    for (&number, &page_id) in &pages {
        let number_usize = number as usize;
        let text = match page_text_layer(&doc, number) {
            Ok(text) => text,
            Err(reason) => {
                out.warnings.push(format!(
                    "page {number}: its text layer could not be read ({reason}); reading its image instead"
                ));
                String::new()
            }
        };
        // Whitespace only is no text layer: pdf-extract gives "" for pages it cannot make sense of.
        if has_text(&text) {
            out.pages.push(PageText {
                number: number_usize,
                text: text.trim().to_owned(),
                source: TextSource::PdfText,
                ocr_confidence: None,
                words: Vec::new(),
            });
            continue;
        }
        let image =
            guarded(|| pdf_page_image(&doc, page_id, number_usize, max_pixels, &mut out.warnings))
                .unwrap_or_else(|_| {
                    Err(TextError::PageImage {
                        page: number_usize,
                        reason: CRASHED.into(),
                    })
                });
        let image = match image {
            Ok(image) => image,
            Err(error) => {
                failures.page(out, number_usize, error)?;
                continue;
            }
        };
        match image {
            Some((image, dpi)) => match ocr_page(ocr, number_usize, image, dpi, out) {
                Ok(page) => out.pages.push(page),
                Err(error) => failures.page(out, number_usize, error)?,
            },
            None => {
                out.warnings
                    .push(format!("page {number}: no text and no image"));
                out.pages.push(PageText {
                    number: number_usize,
                    text: String::new(),
                    source: TextSource::PdfText,
                    ocr_confidence: None,
                    words: Vec::new(),
                });
            }
        }
    }
    failures.finish(out)
}

/// One page's text layer. pdf-extract can panic on malformed input (missing MediaBox, bad
/// content references): that becomes an error for this page, not the end of the worker.
pub(super) fn page_text_layer(doc: &Document, number: u32) -> Result<String, String> {
    let mut text = String::new();
    let result = guarded(|| {
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        pdf_extract::output_doc_page(doc, &mut output, number)
    });
    match result {
        Ok(Ok(())) => Ok(text),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the text extractor failed on this page".into()),
    }
}

/// A page entry, looked up the page tree as PDF inheritance allows.
pub(super) fn inherited<'a>(
    doc: &'a Document,
    page: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    let mut node = page;
    // The depth bound stops /Parent cycles.
    for _ in 0..64 {
        if let Ok(value) = node.get(key) {
            return doc.dereference(value).ok().map(|(_, v)| v);
        }
        node = node
            .get_deref(b"Parent", doc)
            .and_then(Object::as_dict)
            .ok()?;
    }
    None
}

pub(super) fn pdf_number(obj: &Object) -> Option<f64> {
    match obj {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// The largest image on the page, decoded, upright per /Rotate, with square pixels and its dpi.
pub(super) fn pdf_page_image(
    doc: &Document,
    page_id: ObjectId,
    number: usize,
    max_pixels: u64,
    warnings: &mut Vec<String>,
) -> Result<Option<(GrayImage, u32)>, TextError> {
    let page_error = |reason: String| TextError::PageImage {
        page: number,
        reason,
    };
    let page = doc
        .get_dictionary(page_id)
        .map_err(|e| page_error(format!("page object: {e}")))?;

    let mut images = Vec::new();
    if let Some(Object::Dictionary(resources)) = inherited(doc, page, b"Resources") {
        collect_images(doc, resources, 0, &mut HashSet::new(), &mut images);
    }
    let Some((name, stream)) = images.into_iter().max_by_key(|(_, s)| claimed_pixels(s)) else {
        return Ok(None);
    };
    let image = decode_pdf_image(doc, stream, number, max_pixels, warnings)?;

    // Resolution per axis from where the page draws the image; failing that, as if it filled
    // the MediaBox (area-based, so it holds whichever way the image is turned).
    let (width, height) = (f64::from(image.width()), f64::from(image.height()));
    let resolution = match name.and_then(|name| drawn_size(doc, page_id, name)) {
        Some((w_pt, h_pt)) if w_pt > 1.0 && h_pt > 1.0 => {
            Some((width * 72.0 / w_pt, height * 72.0 / h_pt))
        }
        _ => {
            let media_box: Option<Vec<f64>> = inherited(doc, page, b"MediaBox")
                .and_then(|o| o.as_array().ok())
                .map(|a| a.iter().filter_map(pdf_number).collect());
            match media_box.as_deref() {
                Some([x0, y0, x1, y1]) if (x1 - x0).abs() > 1.0 && (y1 - y0).abs() > 1.0 => {
                    let page_in2 = ((x1 - x0) / 72.0).abs() * ((y1 - y0) / 72.0).abs();
                    let dpi = (width * height / page_in2).sqrt();
                    Some((dpi, dpi))
                }
                _ => None,
            }
        }
    };
    let resolution = resolution.unwrap_or_else(|| {
        warnings.push(format!(
            "page {number}: its image has no usable size on the page; assuming {DEFAULT_DPI} dpi"
        ));
        (f64::from(DEFAULT_DPI), f64::from(DEFAULT_DPI))
    });
    let (image, dpi) = square_pixels(image, resolution, max_pixels, number, warnings);

    let rotate = inherited(doc, page, b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    let image = match rotate {
        90 => image::imageops::rotate90(&image),
        180 => image::imageops::rotate180(&image),
        270 => image::imageops::rotate270(&image),
        _ => image,
    };
    Ok(Some((image, dpi)))
}

/// Where the page's own content draws XObject `name`: the lengths, in points, of the image's
/// x and y axes on the page (its rotation aside). `None` if the page does not draw it directly.
pub(super) fn drawn_size(doc: &Document, page_id: ObjectId, name: &[u8]) -> Option<(f64, f64)> {
    const IDENTITY: [f64; 6] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let content = doc.get_page_content(page_id).ok()?;
    let content = lopdf::content::Content::decode(&content).ok()?;
    let mut ctm = IDENTITY;
    let mut saved = Vec::new();
    for op in &content.operations {
        match op.operator.as_str() {
            "q" => saved.push(ctm),
            "Q" => ctm = saved.pop().unwrap_or(IDENTITY),
            "cm" => {
                let m: Vec<f64> = op.operands.iter().filter_map(pdf_number).collect();
                if let [a, b, c, d, e, f] = m[..] {
                    let [ca, cb, cc, cd, ce, cf] = ctm;
                    ctm = [
                        a * ca + b * cc,
                        a * cb + b * cd,
                        c * ca + d * cc,
                        c * cb + d * cd,
                        e * ca + f * cc + ce,
                        e * cb + f * cd + cf,
                    ];
                }
            }
            "Do" if op.operands.first().and_then(|o| o.as_name().ok()) == Some(name) => {
                let size = (ctm[0].hypot(ctm[1]), ctm[2].hypot(ctm[3]));
                return (size.0.is_finite() && size.1.is_finite()).then_some(size);
            }
            _ => {}
        }
    }
    None
}

/// Makes pixels square for OCR: a page scanned at different horizontal and vertical resolutions
/// (a standard-mode fax is 204x98 dpi) has its coarser axis repeated up to the finer one, as a
/// viewer would show it. Returns the image and its dpi.
pub(super) fn square_pixels(
    image: GrayImage,
    (dpi_x, dpi_y): (f64, f64),
    max_pixels: u64,
    number: usize,
    warnings: &mut Vec<String>,
) -> (GrayImage, u32) {
    let finer = dpi_x.max(dpi_y);
    let to_dpi = |v: f64| v.round().clamp(1.0, 10_000.0) as u32;
    if !(finer.is_finite() && dpi_x > 0.0 && dpi_y > 0.0) || finer / dpi_x.min(dpi_y) < 1.1 {
        return (image, to_dpi((dpi_x * dpi_y).sqrt()));
    }
    let (width, height) = image.dimensions();
    let new_width = ((f64::from(width) * finer / dpi_x).round() as u32).max(1);
    let new_height = ((f64::from(height) * finer / dpi_y).round() as u32).max(1);
    if u64::from(new_width) * u64::from(new_height) > max_pixels {
        warnings.push(format!(
            "page {number}: pixels are {dpi_x:.0}x{dpi_y:.0} dpi, not square, and squaring them would exceed the pixel limit; OCR may suffer"
        ));
        return (image, to_dpi((dpi_x * dpi_y).sqrt()));
    }
    // Nearest-neighbour: a stretch of at most a few times, and it keeps bilevel scans bilevel.
    let source = image.as_raw();
    let columns: Vec<usize> = (0..new_width)
        .map(|x| (u64::from(x) * u64::from(width) / u64::from(new_width)) as usize)
        .collect();
    let mut pixels = Vec::with_capacity(new_width as usize * new_height as usize);
    for y in 0..new_height {
        let row =
            (u64::from(y) * u64::from(height) / u64::from(new_height)) as usize * width as usize;
        pixels.extend(columns.iter().map(|&x| source[row + x]));
    }
    let squared = GrayImage::from_raw(new_width, new_height, pixels).expect("one value per pixel");
    (squared, to_dpi(finer))
}

pub(super) fn claimed_pixels(stream: &Stream) -> u64 {
    let side = |key: &[u8]| {
        stream
            .dict
            .get(key)
            .and_then(Object::as_i64)
            .ok()
            .and_then(|v| u64::try_from(v).ok())
            .unwrap_or(0)
    };
    side(b"Width").saturating_mul(side(b"Height"))
}

/// Image XObjects of a resource dictionary, including those inside form XObjects; those the
/// page names directly come with their name.
pub(super) fn collect_images<'a>(
    doc: &'a Document,
    resources: &'a Dictionary,
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    images: &mut Vec<(Option<&'a [u8]>, &'a Stream)>,
) {
    let Ok(Object::Dictionary(xobjects)) = resources
        .get(b"XObject")
        .and_then(|o| doc.dereference(o).map(|(_, o)| o))
    else {
        return;
    };
    for (name, value) in xobjects.iter() {
        let Ok((id, Object::Stream(stream))) = doc.dereference(value) else {
            continue;
        };
        if let Some(id) = id {
            if !seen.insert(id) {
                continue;
            }
        }
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => images.push(((depth == 0).then_some(name.as_slice()), stream)),
            Ok(b"Form") if depth < MAX_FORM_DEPTH => {
                if let Ok(Object::Dictionary(inner)) = stream
                    .dict
                    .get(b"Resources")
                    .and_then(|o| doc.dereference(o).map(|(_, o)| o))
                {
                    collect_images(doc, inner, depth + 1, seen, images);
                }
            }
            _ => {}
        }
    }
}

/// Long filter names; the abbreviations are meant for inline images but cost nothing to accept.
pub(super) fn filter_name(name: &[u8]) -> &[u8] {
    match name {
        b"Fl" => b"FlateDecode",
        b"LZW" => b"LZWDecode",
        b"A85" => b"ASCII85Decode",
        b"AHx" => b"ASCIIHexDecode",
        b"RL" => b"RunLengthDecode",
        b"DCT" => b"DCTDecode",
        b"CCF" => b"CCITTFaxDecode",
        other => other,
    }
}

//! The page tree (loops, impossible counts, depth) and each page's content streams.

use super::*;

pub(super) struct PageTree {
    pub(super) pages: Vec<ObjectId>,
    pub(super) declared_count: Option<usize>,
    pub(super) looped: bool,
}

/// Walks the page tree from the catalog, never trusting /Count: every leaf must be a page
/// object that exists.
pub(super) fn page_tree(
    doc: &Document,
    catalog: &Dictionary,
    limits: &Limits,
) -> Result<PageTree, Problem> {
    let root = catalog
        .get(b"Pages")
        .and_then(Object::as_reference)
        .map_err(|_| Problem::Damaged("its catalog has no page tree".into()))?;
    let root_dict = doc
        .get_object(root)
        .and_then(Object::as_dict)
        .map_err(|_| {
            Problem::Damaged(format!(
                "its page tree (object {} {}) is missing",
                root.0, root.1
            ))
        })?;
    let declared_count = match root_dict.get(b"Count") {
        Err(_) => None,
        Ok(count) => {
            let count = resolve(doc, Some(count)).and_then(|o| o.as_i64().ok());
            // Integers beyond 2^31 - 1 exceed the limits every PDF reader implements.
            match count {
                Some(n) if (0..=i64::from(i32::MAX)).contains(&n) => Some(n as usize),
                Some(n) => {
                    return Err(Problem::Damaged(format!(
                        "its page tree is invalid (it declares {n} pages)"
                    )))
                }
                None => {
                    return Err(Problem::Damaged(
                        "its page tree is invalid (its page count is not a number)".into(),
                    ))
                }
            }
        }
    };
    let mut tree = PageTree {
        pages: Vec::new(),
        declared_count,
        looped: false,
    };
    let mut seen = HashSet::new();
    let mut stack = vec![(root, 0usize)];
    while let Some((id, depth)) = stack.pop() {
        if !seen.insert(id) {
            tree.looped = true;
            continue;
        }
        if depth > MAX_TREE_DEPTH {
            return Err(Problem::Damaged(
                "its page tree is nested too deeply".into(),
            ));
        }
        let node = doc.get_object(id).and_then(Object::as_dict).map_err(|_| {
            Problem::Damaged(format!(
                "its page tree refers to object {} {}, which is missing or not a dictionary",
                id.0, id.1
            ))
        })?;
        let kind = node.get_type().ok();
        if kind == Some(b"Pages") || (kind.is_none() && node.has(b"Kids")) {
            let kids = resolve(doc, node.get(b"Kids").ok())
                .and_then(|o| o.as_array().ok())
                .ok_or_else(|| Problem::Damaged("a node of its page tree has no /Kids".into()))?;
            for kid in kids.iter().rev() {
                let kid = kid.as_reference().map_err(|_| {
                    Problem::Damaged("its page tree holds an entry that is not a reference".into())
                })?;
                stack.push((kid, depth + 1));
            }
        } else if kind == Some(b"Page") || kind.is_none() {
            if tree.pages.len() == limits.max_pages {
                return Err(IntakeError::TooManyPages {
                    pages: limits.max_pages + 1,
                    max: limits.max_pages,
                }
                .into());
            }
            tree.pages.push(id);
        } else {
            return Err(Problem::Damaged(format!(
                "its page tree holds an object of type /{}",
                pdf_name(kind.unwrap_or_default())
            )));
        }
    }
    Ok(tree)
}

/// Decompresses every page's content streams; says whether any page draws anything.
pub(super) fn check_contents(
    doc: &Document,
    pages: &[ObjectId],
    warnings: &mut Vec<String>,
) -> Result<bool, Problem> {
    let mut seen = HashSet::new();
    let mut total = 0usize;
    let mut has_content = false;
    let mut unverified = false;
    for (index, &page_id) in pages.iter().enumerate() {
        let number = index + 1;
        let page = doc
            .get_dictionary(page_id)
            .map_err(|_| Problem::Damaged(format!("page {number} is missing")))?;
        let Ok(contents) = page.get(b"Contents") else {
            continue; // A page without /Contents is blank, which is legal.
        };
        let streams: Vec<&Object> = match contents {
            Object::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in streams {
            if let Ok(id) = item.as_reference() {
                if !seen.insert(id) {
                    continue;
                }
            }
            let stream = resolve(doc, Some(item))
                .and_then(|o| o.as_stream().ok())
                .ok_or_else(|| {
                    Problem::Damaged(format!("page {number}'s content stream is missing"))
                })?;
            let remaining = MAX_CONTENT_BYTES.saturating_sub(total);
            let data = match inflate_content(doc, stream, number, remaining)? {
                Inflated::Unchecked => {
                    unverified = true;
                    has_content |= !stream.content.is_empty();
                    continue;
                }
                Inflated::Data(data) => data,
            };
            total = total.saturating_add(data.len());
            if total > MAX_CONTENT_BYTES {
                return Err(malformed(
                    MediaType::Pdf,
                    format!(
                        "its content streams inflate to more than {}",
                        size_text(MAX_CONTENT_BYTES as u64)
                    ),
                )
                .into());
            }
            has_content |= data.iter().any(|b| !b.is_ascii_whitespace());
        }
    }
    if unverified {
        warnings.push(
            "some content streams use an encoding that was not checked (ASCIIHex or RunLength)"
                .into(),
        );
    }
    Ok(has_content)
}

/// A content stream's bytes, or that its encoding cannot be checked.
enum Inflated {
    /// Legal, but lopdf cannot decode it (ASCIIHex, RunLength, Crypt).
    Unchecked,
    Data(Vec<u8>),
}

/// Decodes page `number`'s content `stream` within `remaining` bytes of the budget.
fn inflate_content(
    doc: &Document,
    stream: &lopdf::Stream,
    number: usize,
    remaining: usize,
) -> Result<Inflated, Problem> {
    let filters: Vec<Vec<u8>> = stream
        .filters()
        .map(|f| f.into_iter().map(<[u8]>::to_vec).collect())
        .unwrap_or_default();
    let mut unchecked = false;
    for filter in &filters {
        match filter.as_slice() {
            b"FlateDecode" | b"LZWDecode" | b"ASCII85Decode" => {}
            // Legal, but lopdf cannot decode these.
            b"ASCIIHexDecode" | b"RunLengthDecode" | b"Crypt" => unchecked = true,
            // Image codecs on a content stream: nonsense, and a known bomb.
            other => {
                let reason = format!(
                    "page {number}'s content stream is encoded with /{}, which is \
                     not a content encoding",
                    pdf_name(other)
                );
                return Err(malformed(MediaType::Pdf, reason).into());
            }
        }
    }
    if unchecked {
        return Ok(Inflated::Unchecked);
    }
    // lopdf inflates without a limit: inflate a plain Flate stream ourselves first, within
    // what is left of the budget, so a bomb is refused before it allocates. Anything else (or
    // a stream our strict inflater rejects) goes to lopdf, whose lenient reading of damaged
    // streams the corpus relies on.
    if filters == [b"FlateDecode".to_vec()]
        && stream.dict.get(b"DecodeParms").is_err()
        && doc.encryption_state.is_none()
        && inflates_beyond(&stream.content, remaining)
    {
        return Err(malformed(
            MediaType::Pdf,
            format!(
                "its content streams inflate to more than {} (a decompression bomb)",
                size_text(MAX_CONTENT_BYTES as u64)
            ),
        )
        .into());
    }
    let inflated = guarded(|| stream.decompressed_content());
    // lopdf's inflater swallows errors and returns what it got, often nothing.
    match inflated {
        Ok(Ok(data)) if !(data.is_empty() && !filters.is_empty() && !stream.content.is_empty()) => {
            Ok(Inflated::Data(data))
        }
        // lopdf 0.42 cannot read encryption dictionaries with indirect entries and then
        // decrypts to noise; a rebuilt copy inlines them.
        _ if doc.encryption_state.is_some() => Err(Problem::Undecryptable),
        _ => {
            let reason = format!("page {number}'s content stream does not decompress");
            Err(malformed(MediaType::Pdf, reason).into())
        }
    }
}

pub(super) fn has_embedded_files(doc: &Document, catalog: &Dictionary) -> bool {
    let names = resolve(doc, catalog.get(b"Names").ok()).and_then(|o| o.as_dict().ok());
    names.is_some_and(|n| n.has(b"EmbeddedFiles"))
        || doc.objects.values().any(|o| match o {
            Object::Dictionary(d) => d.has(b"EF") && d.get_type().ok() == Some(b"Filespec"),
            Object::Stream(s) => s.dict.get_type().ok() == Some(b"EmbeddedFile"),
            _ => false,
        })
}

//! Rebuilding a damaged cross-reference table from the `N G obj` headers in the file.

use super::*;

/// A copy of the file with a fresh cross-reference table appended, built by finding every
/// `N G obj` header; its trailer points at the catalog named by the old trailers (or the
/// object whose type is /Catalog) and keeps their /Encrypt and /ID, which decryption needs.
/// A stream whose /Length does not end at its `endstream` gets a corrected copy appended.
pub(super) fn rebuild_xref(body: &[u8]) -> Option<Vec<u8>> {
    let objects = find_objects(body);
    if objects.is_empty() {
        return None;
    }
    let root = last_reference(body, b"/Root", &objects).or_else(|| find_catalog(body, &objects))?;
    let mut out = body.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets = BTreeMap::new();
    for (&number, found) in &objects {
        let offset = match fixed_stream(&body[found.start..found.end]) {
            Some(copy) => {
                let at = out.len();
                out.extend_from_slice(&copy);
                at
            }
            None => found.start,
        };
        offsets.insert(number, (found.generation, offset));
    }
    let encrypt = last_reference(body, b"/Encrypt", &objects);
    if let Some((number, generation)) = encrypt {
        if let Some(copy) = inlined_object(body, number, &objects) {
            offsets.insert(number, (generation, out.len()));
            out.extend_from_slice(&copy);
        }
    }
    let xref_at = out.len();
    out.extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
    let numbers: Vec<u32> = offsets.keys().copied().collect();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        out.extend_from_slice(format!("{} {}\n", numbers[i], j - i + 1).as_bytes());
        for number in &numbers[i..=j] {
            let (generation, offset) = offsets[number];
            out.extend_from_slice(format!("{offset:010} {generation:05} n \n").as_bytes());
        }
        i = j + 1;
    }
    let size = numbers.last().copied().unwrap_or(0) + 1;
    let mut trailer = format!("/Size {size} /Root {} {} R", root.0, root.1);
    if let Some((number, generation)) = encrypt {
        trailer.push_str(&format!(" /Encrypt {number} {generation} R"));
    }
    out.extend_from_slice(format!("trailer\n<< {trailer}").as_bytes());
    if let Some(id) = last_id(body) {
        out.extend_from_slice(b" /ID ");
        out.extend_from_slice(id);
    }
    out.extend_from_slice(format!(" >>\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    Some(out)
}

/// A copy of the stream object `object` (its bytes up to the next object) with a corrected
/// /Length, if its declared length does not end at `endstream` (readers that rebuild the
/// table find the end the same way).
pub(super) fn fixed_stream(object: &[u8]) -> Option<Vec<u8>> {
    let keyword = stream_keyword(object)?;
    if find(object, b"endobj").is_some_and(|e| e < keyword) {
        return None;
    }
    let dict = &object[..keyword];
    let mut data_start = keyword + b"stream".len();
    if object.get(data_start) == Some(&b'\r') {
        data_start += 1;
    }
    if object.get(data_start) == Some(&b'\n') {
        data_start += 1;
    }
    let end = data_start + find(&object[data_start..], b"endstream")?;
    let (value_at, value_end, declared) = direct_length(dict)?;
    // Right when only an end-of-line lies between the declared end and `endstream`.
    let declared_end = data_start.checked_add(declared)?;
    if declared_end <= end
        && object[declared_end..end]
            .iter()
            .all(u8::is_ascii_whitespace)
    {
        return None;
    }
    let mut data_end = end;
    for eol in [b'\n', b'\r'] {
        if data_end > data_start && object[data_end - 1] == eol {
            data_end -= 1;
        }
    }
    let mut copy = Vec::with_capacity(dict.len() + (data_end - data_start) + 32);
    copy.extend_from_slice(&dict[..value_at]);
    copy.extend_from_slice((data_end - data_start).to_string().as_bytes());
    copy.extend_from_slice(&dict[value_end..]);
    copy.extend_from_slice(b"stream\n");
    copy.extend_from_slice(&object[data_start..data_end]);
    copy.extend_from_slice(b"\nendstream\nendobj\n");
    Some(copy)
}

/// A copy of object `number` with the objects it refers to written in place (two levels
/// deep), for the encryption dictionary, which lopdf reads without resolving references.
pub(super) fn inlined_object(body: &[u8], number: u32, objects: &Objects) -> Option<Vec<u8>> {
    let generation = objects.get(&number)?.generation;
    let text = object_body(body, number, objects)?;
    let inlined = inline_references(body, text, objects, 2);
    if inlined == text {
        return None;
    }
    let mut copy = format!("{number} {generation} obj\n").into_bytes();
    copy.extend_from_slice(&inlined);
    copy.extend_from_slice(b"\nendobj\n");
    Some(copy)
}

/// What lies between `N G obj` and `endobj`, for small objects that are not streams.
pub(super) fn object_body<'a>(body: &'a [u8], number: u32, objects: &Objects) -> Option<&'a [u8]> {
    let found = objects.get(&number)?;
    let text = &body[found.start..found.end.min(found.start + 8192)];
    let open = find(text, b"obj")? + 3;
    let close = find(text, b"endobj")?;
    let inner = text.get(open..close)?;
    (stream_keyword(inner).is_none()).then_some(inner)
}

pub(super) fn inline_references(
    body: &[u8],
    text: &[u8],
    objects: &Objects,
    depth: usize,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut pos = 0;
    while pos < text.len() {
        let starts_token = pos == 0 || !text[pos - 1].is_ascii_alphanumeric();
        let reference = (starts_token && text[pos].is_ascii_digit())
            .then(|| reference_span(text, pos))
            .flatten();
        if let (Some((number, end)), true) = (reference, depth > 0) {
            if let Some(inner) = object_body(body, number, objects) {
                out.extend_from_slice(&inline_references(body, inner, objects, depth - 1));
                pos = end;
                continue;
            }
        }
        out.push(text[pos]);
        pos += 1;
    }
    out
}

/// `N G R` starting at `at`: the object number and where the reference ends.
pub(super) fn reference_span(text: &[u8], at: usize) -> Option<(u32, usize)> {
    let (number, _) = reference_at(text, at)?;
    let r = at + find(&text[at..], b"R")?;
    Some((number, r + 1))
}

/// Where the `stream` keyword (not `endstream`, and followed by an end-of-line) starts.
pub(super) fn stream_keyword(head: &[u8]) -> Option<usize> {
    let mut pos = 0;
    while let Some(i) = find(&head[pos..], b"stream") {
        let at = pos + i;
        let after_end = at >= 3 && &head[at - 3..at] == b"end";
        if !after_end && matches!(head.get(at + 6), Some(b'\r' | b'\n')) {
            return Some(at);
        }
        pos = at + 6;
    }
    None
}

/// The span and value of a direct /Length in a stream dictionary.
pub(super) fn direct_length(dict: &[u8]) -> Option<(usize, usize, usize)> {
    let mut pos = 0;
    while let Some(i) = find(&dict[pos..], b"/Length") {
        let after = pos + i + b"/Length".len();
        pos = after;
        if dict.get(after).is_some_and(u8::is_ascii_alphanumeric) {
            continue; // /Length1 and the like belong to fonts.
        }
        let value_at = skip_space(dict, after);
        let mut value_end = value_at;
        while dict.get(value_end).is_some_and(u8::is_ascii_digit) {
            value_end += 1;
        }
        // `N G R` is a reference, resolved by the reader itself.
        if value_end == value_at
            || dict
                .get(skip_space(dict, value_end))
                .is_some_and(u8::is_ascii_digit)
        {
            return None;
        }
        let value = std::str::from_utf8(&dict[value_at..value_end])
            .ok()?
            .parse()
            .ok()?;
        return Some((value_at, value_end, value));
    }
    None
}

/// An object found by its header: it runs to the next header (so that searching inside
/// objects stays linear in the file's size).
pub(super) struct Found {
    generation: u16,
    start: usize,
    end: usize,
}

pub(super) type Objects = BTreeMap<u32, Found>;

/// Every `N G obj` header; a later definition wins, as in an incremental update.
pub(super) fn find_objects(body: &[u8]) -> Objects {
    let mut headers = Vec::new();
    let mut pos = 0;
    while let Some(i) = find(&body[pos..], b"obj") {
        let at = pos + i;
        pos = at + 3;
        if body.get(at + 3).is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        if let Some(header) = object_header_before(body, at) {
            headers.push(header);
        }
    }
    let mut objects = BTreeMap::new();
    for (i, &(number, generation, start)) in headers.iter().enumerate() {
        let end = headers.get(i + 1).map_or(body.len(), |next| next.2);
        if (1..=MAX_OBJECT_NUMBER).contains(&number) {
            objects.insert(
                number,
                Found {
                    generation,
                    start,
                    end,
                },
            );
        }
    }
    objects
}

/// Reads `N G ` backwards from the `obj` keyword at `at`.
pub(super) fn object_header_before(body: &[u8], at: usize) -> Option<(u32, u16, usize)> {
    let mut pos = at;
    let back_over = |pos: &mut usize, pred: fn(u8) -> bool| -> usize {
        let end = *pos;
        while *pos > 0 && pred(body[*pos - 1]) {
            *pos -= 1;
        }
        end - *pos
    };
    if back_over(&mut pos, |b| b.is_ascii_whitespace()) == 0 {
        return None;
    }
    let generation_end = pos;
    if back_over(&mut pos, |b| b.is_ascii_digit()) == 0 {
        return None;
    }
    let generation: u16 = std::str::from_utf8(&body[pos..generation_end])
        .ok()?
        .parse()
        .ok()?;
    if back_over(&mut pos, |b| b.is_ascii_whitespace()) == 0 {
        return None;
    }
    let number_end = pos;
    if back_over(&mut pos, |b| b.is_ascii_digit()) == 0 {
        return None;
    }
    if pos > 0 && !(body[pos - 1].is_ascii_whitespace() || b"()<>[]{}/%".contains(&body[pos - 1])) {
        return None;
    }
    let number: u32 = std::str::from_utf8(&body[pos..number_end])
        .ok()?
        .parse()
        .ok()?;
    Some((number, generation, pos))
}

/// The last `key N G R` in the file that names an object that exists.
pub(super) fn last_reference(body: &[u8], key: &[u8], objects: &Objects) -> Option<(u32, u16)> {
    let mut found = None;
    let mut pos = 0;
    while let Some(i) = find(&body[pos..], key) {
        let at = pos + i + key.len();
        pos = at;
        if let Some(reference) = reference_at(body, at) {
            if objects
                .get(&reference.0)
                .is_some_and(|f| f.generation == reference.1)
            {
                found = Some(reference);
            }
        }
    }
    found
}

pub(super) fn find_catalog(body: &[u8], objects: &Objects) -> Option<(u32, u16)> {
    objects.iter().find_map(|(&number, found)| {
        let text = &body[found.start..found.end.min(found.start + 4096)];
        let text = &text[..find(text, b"endobj").unwrap_or(text.len())];
        let catalog =
            find(text, b"/Type/Catalog").is_some() || find(text, b"/Type /Catalog").is_some();
        catalog.then_some((number, found.generation))
    })
}

/// The last `/ID [ … ]` array, verbatim.
pub(super) fn last_id(body: &[u8]) -> Option<&[u8]> {
    let mut found = None;
    let mut pos = 0;
    while let Some(i) = find(&body[pos..], b"/ID") {
        let at = skip_space(body, pos + i + 3);
        pos = pos + i + 3;
        if body.get(at) == Some(&b'[') {
            let tail = &body[at..(at + 300).min(body.len())];
            if let Some(close) = find(tail, b"]") {
                found = Some(&tail[..=close]);
            }
        }
    }
    found
}

/// Parses `N G R` at `at` (after optional whitespace).
pub(super) fn reference_at(body: &[u8], at: usize) -> Option<(u32, u16)> {
    let mut pos = skip_space(body, at);
    let digits = |pos: &mut usize| -> Option<u64> {
        let start = *pos;
        while body.get(*pos).is_some_and(u8::is_ascii_digit) {
            *pos += 1;
        }
        std::str::from_utf8(&body[start..*pos]).ok()?.parse().ok()
    };
    let number = u32::try_from(digits(&mut pos)?).ok()?;
    pos = skip_space(body, pos);
    let generation = u16::try_from(digits(&mut pos)?).ok()?;
    pos = skip_space(body, pos);
    (body.get(pos) == Some(&b'R')).then_some((number, generation))
}

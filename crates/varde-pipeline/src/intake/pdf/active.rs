//! Active content: JavaScript and launch actions, in parsed objects and in the raw syntax
//! (lopdf skips objects it cannot parse), and the file outside its streams.

use super::*;

/// JavaScript or a launch action anywhere in the file — in the catalog's /OpenAction, /AA
/// triggers, annotations, form fields or the /JavaScript name tree: all are action
/// dictionaries, found among the document's objects (object streams included).
pub(super) fn active_content(doc: &Document) -> Option<&'static str> {
    doc.objects.values().find_map(|o| active_in(o, 0))
}

pub(super) fn active_in(object: &Object, depth: usize) -> Option<&'static str> {
    if depth > MAX_TREE_DEPTH {
        return None;
    }
    match object {
        Object::Dictionary(d) => active_in_dict(d, depth),
        Object::Stream(s) => active_in_dict(&s.dict, depth),
        Object::Array(items) => items.iter().find_map(|o| active_in(o, depth + 1)),
        _ => None,
    }
}

pub(super) fn active_in_dict(dict: &Dictionary, depth: usize) -> Option<&'static str> {
    if dict.has(b"JS") {
        return Some("JavaScript");
    }
    match dict.get(b"S").and_then(Object::as_name) {
        Ok(b"JavaScript") => return Some("JavaScript"),
        Ok(b"Launch") => return Some("a launch action"),
        _ => {}
    }
    dict.iter()
        .find_map(|(_, value)| active_in(value, depth + 1))
}

/// The same, in the raw syntax outside streams: `/S /JavaScript`, `/S /Launch`, `/JS (…)`.
pub(super) fn raw_active_content(body: &[u8]) -> Option<&'static str> {
    for part in outside_streams(body) {
        let mut at = 0;
        while let Some(i) = find(&part[at..], b"/") {
            let name_at = at + i;
            let (name, after) = name_token(part, name_at + 1);
            if name == b"JS" {
                let next = skip_space(part, after);
                if matches!(part.get(next), Some(b'(' | b'<' | b'0'..=b'9')) {
                    return Some("JavaScript");
                }
            } else if name == b"S" {
                let next = skip_space(part, after);
                if part.get(next) == Some(&b'/') {
                    match name_token(part, next + 1).0 {
                        b"JavaScript" => return Some("JavaScript"),
                        b"Launch" => return Some("a launch action"),
                        _ => {}
                    }
                }
            }
            at = after.max(name_at + 1);
        }
    }
    None
}

pub(super) fn name_token(bytes: &[u8], from: usize) -> (&[u8], usize) {
    let end = bytes[from.min(bytes.len())..]
        .iter()
        .position(|&b| b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b))
        .map_or(bytes.len(), |n| from + n);
    (&bytes[from.min(end)..end], end)
}

/// A name from the file, fit for a message: short, printable ASCII.
pub(super) fn pdf_name(name: &[u8]) -> String {
    name.iter()
        .take(32)
        .map(|&b| if b.is_ascii_graphic() { b as char } else { '?' })
        .collect()
}

pub(super) fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// The file without the data of its streams (compressed data is not syntax).
pub(in crate::intake) fn outside_streams(body: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut pos = 0;
    while let Some(i) = find(&body[pos..], b"stream") {
        let at = pos + i;
        let after = at + b"stream".len();
        let is_keyword = !(at >= 3 && &body[at - 3..at] == b"end")
            && matches!(body.get(after), Some(b'\r' | b'\n'));
        if !is_keyword {
            parts.push(&body[pos..after]);
            pos = after;
            continue;
        }
        parts.push(&body[pos..at]);
        match find(&body[after..], b"endstream") {
            Some(j) => pos = after + j + b"endstream".len(),
            None => return parts,
        }
    }
    parts.push(&body[pos..]);
    parts
}

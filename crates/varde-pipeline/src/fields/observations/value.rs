//! Values as printed: numbers with a decimal comma or point, and censored results (`<5`, `>90`).

/// A number written with a decimal comma or point: up to six digits, up to four decimals.
pub(super) fn parse_number(s: &str) -> Option<f64> {
    let (int, frac) = match s.find([',', '.']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    if int.is_empty() || int.len() > 6 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(f) = frac {
        if f.is_empty() || f.len() > 4 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    format!("{int}.{}", frac.unwrap_or("0")).parse().ok()
}

/// The number at the start of `s` (digits with one decimal comma or point between digits), its
/// value and its length in bytes.
pub(super) fn leading_number(s: &str) -> Option<(f64, usize)> {
    let end = s
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || (matches!(c, ',' | '.') && s[i + 1..].starts_with(|d: char| d.is_ascii_digit())))
        })
        .map_or(s.len(), |(i, _)| i);
    parse_number(&s[..end]).map(|v| (v, end))
}

/// The comparator a token starts with (`<`, `>`, `≤`, `≥`; `≤` counts as `<`), and the rest.
pub(super) fn comparator(token: &str) -> (Option<char>, &str) {
    match token.chars().next() {
        Some(c @ ('<' | '>')) => (Some(c), &token[1..]),
        Some('≤') => (Some('<'), &token['≤'.len_utf8()..]),
        Some('≥') => (Some('>'), &token['≥'.len_utf8()..]),
        _ => (None, token),
    }
}

/// The leading number of `token` (with an optional comparator) and what follows it.
pub(super) fn split_value(token: &str) -> Option<(Option<char>, f64, &str)> {
    let (comparator, rest) = comparator(token);
    let (value, end) = leading_number(rest)?;
    Some((comparator, value, &rest[end..]))
}

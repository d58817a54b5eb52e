//! Machine-readable zones (ICAO 9303 TD1, TD2, TD3): found in noisy OCR text, check digits
//! verified, fields with their spans.

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MrzFormat {
    Td1,
    Td2,
    Td3,
}

impl MrzFormat {
    pub(super) fn line_len(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 => 36,
            MrzFormat::Td3 => 44,
        }
    }

    pub(super) fn lines(self) -> usize {
        if self == MrzFormat::Td1 {
            3
        } else {
            2
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            MrzFormat::Td1 => "TD1",
            MrzFormat::Td2 => "TD2",
            MrzFormat::Td3 => "TD3",
        }
    }
}

/// A cleaned MRZ line: its characters and, for each, the byte offset of the text it came from.
#[derive(Clone, Debug)]
pub(super) struct MrzLine {
    pub(super) chars: Vec<char>,
    pub(super) origin: Vec<usize>,
    /// Byte offset just past each character's source.
    pub(super) origin_end: Vec<usize>,
    /// Byte offset just past the source line's last character.
    pub(super) end: usize,
}

impl MrzLine {
    /// Uppercases, drops spaces, reads `«`-like marks as `<`; `None` if anything else is left
    /// that cannot be in an MRZ, or the length is far from every format's.
    pub(super) fn clean(line: &Line) -> Option<MrzLine> {
        let mut chars = Vec::new();
        let mut origin = Vec::new();
        let mut origin_end = Vec::new();
        for (i, c) in line.text.char_indices() {
            let source_len = c.len_utf8();
            let c = match c {
                c if c.is_whitespace() => continue,
                '«' | '‹' | 'く' | '〈' | '＜' => '<',
                c if c.is_ascii_alphanumeric() || c == '<' => c.to_ascii_uppercase(),
                _ => return None,
            };
            chars.push(c);
            origin.push(line.byte_start + i);
            origin_end.push(line.byte_start + i + source_len);
        }
        if !(26..=48).contains(&chars.len()) || !chars.contains(&'<') {
            return None;
        }
        Some(MrzLine {
            chars,
            origin,
            origin_end,
            end: line.byte_start + line.text.trim_end().len(),
        })
    }

    /// The byte span of `range` in the text, or `None` if empty.
    pub(super) fn span(&self, range: std::ops::Range<usize>) -> Option<(usize, usize)> {
        if range.is_empty() {
            return None;
        }
        Some((self.origin[range.start], self.origin_end[range.end - 1]))
    }

    /// Reads `K` as `<` in a run of fillers that reaches the end of the line (OCR often sees
    /// `<<` as `K`). The run's first character is left alone (it may end a name, `ERIK<<<`), and
    /// so is a `K` right after the first `<<` of a name line (a given name `K`).
    pub(super) fn repair_trailing_k(&mut self, name_line: bool) {
        let mut run_start = self.chars.len();
        while run_start > 0 && matches!(self.chars[run_start - 1], '<' | 'K') {
            run_start -= 1;
        }
        let run = &self.chars[run_start..];
        if run.iter().filter(|&&c| c == '<').count() < 3 {
            return;
        }
        let protected = if name_line {
            find_double_filler(&self.chars).map(|i| i + 2)
        } else {
            None
        };
        for i in run_start + 1..self.chars.len() {
            if self.chars[i] == 'K' && Some(i) != protected {
                self.chars[i] = '<';
            }
        }
    }

    /// Makes the line `len` long by adding or removing fillers: at the end of a name line, or
    /// in the last run of two or more fillers of a data line (the check digits then judge).
    pub(super) fn fit(&mut self, len: usize, name_line: bool) -> bool {
        if self.chars.len() == len {
            return true;
        }
        let (at, run_len) = if name_line {
            let mut start = self.chars.len();
            while start > 0 && self.chars[start - 1] == '<' {
                start -= 1;
            }
            (start, self.chars.len() - start)
        } else {
            match last_filler_run(&self.chars) {
                Some(r) => r,
                None => return false,
            }
        };
        if self.chars.len() > len {
            let excess = self.chars.len() - len;
            if excess > run_len.saturating_sub(1) && !(name_line && excess <= run_len) {
                return false;
            }
            self.chars.drain(at..at + excess);
            self.origin.drain(at..at + excess);
            self.origin_end.drain(at..at + excess);
        } else {
            let missing = len - self.chars.len();
            if missing > 3 || (!name_line && run_len == 0) {
                return false;
            }
            // Added fillers point at the empty span where they were missing.
            let origin = self.origin.get(at).copied().unwrap_or(self.end);
            for _ in 0..missing {
                self.chars.insert(at, '<');
                self.origin.insert(at, origin);
                self.origin_end.insert(at, origin);
            }
        }
        true
    }
}

pub(super) fn find_double_filler(chars: &[char]) -> Option<usize> {
    // Skip the document code and issuing state.
    (5..chars.len().saturating_sub(1)).find(|&i| chars[i] == '<' && chars[i + 1] == '<')
}

/// (start, length) of the last run of at least two fillers.
pub(super) fn last_filler_run(chars: &[char]) -> Option<(usize, usize)> {
    let mut i = chars.len();
    while i > 0 {
        if chars[i - 1] == '<' {
            let end = i;
            while i > 0 && chars[i - 1] == '<' {
                i -= 1;
            }
            if end - i >= 2 {
                return Some((i, end - i));
            }
        } else {
            i -= 1;
        }
    }
    None
}

/// ICAO 9303 check digit: weights 7, 3, 1; digits as themselves, A–Z as 10–35, `<` as 0.
pub(super) fn check_digit(chars: &[char]) -> Option<u32> {
    let mut sum = 0;
    for (i, &c) in chars.iter().enumerate() {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            '<' => 0,
            _ => return None,
        };
        sum += v * [7, 3, 1][i % 3];
    }
    Some(sum % 10)
}

/// `O` read as `0`: only for fields that hold digits.
pub(super) fn numeric(c: char) -> char {
    if c == 'O' {
        '0'
    } else {
        c
    }
}

pub(super) fn check_ok(data: &[char], check: char) -> bool {
    let expected = check_digit(data);
    let check = numeric(check);
    let given = if check == '<' {
        Some(0)
    } else {
        check.to_digit(10)
    };
    expected.is_some() && expected == given
}

/// A parsed MRZ before it becomes fields.
#[derive(Debug)]
pub(super) struct Mrz {
    pub(super) format: MrzFormat,
    pub(super) span: (usize, usize),
    pub(super) fields: Vec<(FieldKey, RawField)>,
    pub(super) any_check_failed: bool,
    /// The personal number's characters, for the national ID search.
    pub(super) personal_number: Option<String>,
}

impl Mrz {
    pub(super) fn into_fields(self, out: &mut FieldSet) {
        let mut warnings = Vec::new();
        if self.any_check_failed {
            warnings.push(FieldWarning::MrzCheckFailed);
        }
        out.set(
            FieldKey::Mrz,
            RawField {
                value: self.format.name().to_string(),
                span: Some(self.span),
                warnings,
            },
        );
        for (key, field) in self.fields {
            out.set(key, field);
        }
    }
}

pub(super) fn find_mrz(index: &TextIndex, today: Date) -> Option<Mrz> {
    // Runs of MRZ-like lines; blank lines between them do not break a run (OCR adds them).
    let mut runs: Vec<Vec<MrzLine>> = vec![Vec::new()];
    for line in &index.lines {
        if line.text.trim().is_empty() {
            continue;
        }
        match MrzLine::clean(line) {
            Some(l) => runs.last_mut().expect("never empty").push(l),
            None => {
                if !runs.last().expect("never empty").is_empty() {
                    runs.push(Vec::new());
                }
            }
        }
    }
    for run in &runs {
        for start in 0..run.len() {
            for format in [MrzFormat::Td3, MrzFormat::Td2, MrzFormat::Td1] {
                let Some(lines) = run.get(start..start + format.lines()) else {
                    continue;
                };
                let near = |l: &MrzLine| l.chars.len().abs_diff(format.line_len()) <= 3;
                if !lines.iter().all(near) {
                    continue;
                }
                if let Some(mrz) = parse_mrz(format, lines.to_vec(), today) {
                    return Some(mrz);
                }
            }
        }
    }
    None
}

pub(super) fn parse_mrz(format: MrzFormat, mut lines: Vec<MrzLine>, today: Date) -> Option<Mrz> {
    let len = format.line_len();
    let name_line = match format {
        MrzFormat::Td1 => 2,
        _ => 0,
    };
    for (i, line) in lines.iter_mut().enumerate() {
        line.repair_trailing_k(i == name_line);
        if !line.fit(len, i == name_line) {
            return None;
        }
    }
    let first = lines[0].chars[0];
    let allowed: &[char] = match format {
        MrzFormat::Td3 => &['P', 'V'],
        MrzFormat::Td2 => &['P', 'V', 'I', 'A', 'C'],
        MrzFormat::Td1 => &['I', 'A', 'C'],
    };
    if !allowed.contains(&first) {
        return None;
    }

    // (line, start) of each field, per format.
    struct Layout {
        doc: (usize, usize, usize),
        birth: (usize, usize),
        sex: (usize, usize),
        expiry: (usize, usize),
        nationality: (usize, usize),
        personal: Option<(usize, usize, usize, Option<usize>)>,
        composite: (usize, usize),
        composite_parts: Vec<(usize, usize, usize)>,
        name: (usize, usize, usize),
    }
    let layout = match format {
        MrzFormat::Td3 => Layout {
            doc: (1, 0, 9),
            birth: (1, 13),
            sex: (1, 20),
            expiry: (1, 21),
            nationality: (1, 10),
            personal: Some((1, 28, 14, Some(42))),
            composite: (1, 43),
            composite_parts: vec![(1, 0, 10), (1, 13, 20), (1, 21, 43)],
            name: (0, 5, 44),
        },
        MrzFormat::Td2 => Layout {
            doc: (1, 0, 9),
            birth: (1, 13),
            sex: (1, 20),
            expiry: (1, 21),
            nationality: (1, 10),
            personal: Some((1, 28, 7, None)),
            composite: (1, 35),
            composite_parts: vec![(1, 0, 10), (1, 13, 20), (1, 21, 35)],
            name: (0, 5, 36),
        },
        MrzFormat::Td1 => Layout {
            doc: (0, 5, 9),
            birth: (1, 0),
            sex: (1, 7),
            expiry: (1, 8),
            nationality: (1, 15),
            personal: Some((0, 15, 15, None)),
            composite: (1, 29),
            composite_parts: vec![(0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)],
            name: (2, 0, 30),
        },
    };

    let slice = |l: usize, s: usize, n: usize| -> Vec<char> { lines[l].chars[s..s + n].to_vec() };
    let digits = |l: usize, s: usize, n: usize| -> Option<Vec<char>> {
        let v: Vec<char> = slice(l, s, n).into_iter().map(numeric).collect();
        v.iter().all(char::is_ascii_digit).then_some(v)
    };
    let text = |v: &[char]| -> String { v.iter().collect() };
    let country = |l: usize, s: usize| -> Option<String> {
        let v: String = slice(l, s, 3)
            .into_iter()
            .map(|c| if c == '0' { 'O' } else { c })
            .collect::<String>()
            .trim_end_matches('<')
            .to_string();
        (!v.is_empty() && v.chars().all(|c| c.is_ascii_uppercase())).then_some(v)
    };

    // The dates must be digits, or this is not an MRZ.
    let birth = digits(layout.birth.0, layout.birth.1, 6)?;
    let expiry = digits(layout.expiry.0, layout.expiry.1, 6)?;
    let issuing_state = country(0, 2)?;
    let nationality = country(layout.nationality.0, layout.nationality.1)?;
    let sex_char = lines[layout.sex.0].chars[layout.sex.1];
    if !matches!(sex_char, 'M' | 'F' | '<' | 'X') {
        return None;
    }

    let mut fields: Vec<(FieldKey, RawField)> = Vec::new();
    let mut any_failed = false;
    let mut push = |key: FieldKey,
                    value: String,
                    span: Option<(usize, usize)>,
                    warnings: Vec<FieldWarning>| {
        fields.push((
            key,
            RawField {
                value,
                span,
                warnings,
            },
        ));
    };

    let doc_type: String = text(&slice(0, 0, 2)).trim_end_matches('<').to_string();
    push(
        FieldKey::DocumentType,
        doc_type,
        lines[0].span(0..2),
        vec![],
    );
    push(
        FieldKey::IssuingState,
        issuing_state,
        lines[0].span(2..5),
        vec![],
    );

    // Name: surname, `<<`, given names separated by `<`.
    let (nl, ns, ne) = layout.name;
    let name_chars = &lines[nl].chars[ns..ne];
    let raw: String = name_chars.iter().collect();
    let raw_trimmed = raw.trim_end_matches('<');
    let (surname, given) = match raw_trimmed.split_once("<<") {
        Some((s, g)) => (s, g),
        None => (raw_trimmed, ""),
    };
    let words = |s: &str| -> String {
        s.split('<')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let name_warnings = |s: &str| -> Vec<FieldWarning> {
        if s.chars().any(|c| c.is_ascii_digit()) {
            vec![FieldWarning::UnreadableCharacters]
        } else {
            vec![]
        }
    };
    if !surname.is_empty() {
        push(
            FieldKey::Surname,
            words(surname),
            lines[nl].span(ns..ns + surname.len()),
            name_warnings(surname),
        );
    }
    if !words(given).is_empty() {
        let given_start = ns + surname.len() + 2;
        push(
            FieldKey::GivenNames,
            words(given),
            lines[nl].span(given_start..ns + raw_trimmed.len()),
            name_warnings(given),
        );
    }

    // Document number and its check digit.
    let (dl, ds, dn) = layout.doc;
    let doc_chars = slice(dl, ds, dn);
    let doc_ok = check_ok(&doc_chars, lines[dl].chars[ds + dn]);
    any_failed |= !doc_ok;
    let doc_number = text(&doc_chars).trim_end_matches('<').to_string();
    push(
        FieldKey::DocumentNumber,
        doc_number.clone(),
        lines[dl].span(ds..ds + doc_number.len()),
        if doc_ok {
            vec![]
        } else {
            vec![FieldWarning::MrzCheckFailed]
        },
    );
    push(
        FieldKey::Nationality,
        nationality,
        lines[layout.nationality.0].span(layout.nationality.1..layout.nationality.1 + 3),
        vec![],
    );

    // Birth date: a two-digit year after this year's is last century.
    let (bl, bs) = layout.birth;
    let birth_ok = check_ok(&birth, numeric(lines[bl].chars[bs + 6]));
    any_failed |= !birth_ok;
    let this_yy = (today.year() % 100) as u32;
    let (yy, mm, dd) = yymmdd(&birth);
    let birth_year = if yy > this_yy { 1900 + yy } else { 2000 + yy } as i32;
    let mut w = if birth_ok {
        vec![]
    } else {
        vec![FieldWarning::MrzCheckFailed]
    };
    let birth_value = match ymd(birth_year, mm, dd) {
        Some(d) => iso_date(d),
        None => {
            w.push(FieldWarning::InvalidDate);
            text(&birth)
        }
    };
    push(
        FieldKey::BirthDate,
        birth_value,
        lines[bl].span(bs..bs + 6),
        w,
    );

    let sex = match sex_char {
        'M' => "M",
        'F' => "F",
        _ => "X",
    };
    push(
        FieldKey::Sex,
        sex.to_string(),
        lines[layout.sex.0].span(layout.sex.1..layout.sex.1 + 1),
        vec![],
    );

    // Expiry: always this century.
    let (el, es) = layout.expiry;
    let expiry_ok = check_ok(&expiry, numeric(lines[el].chars[es + 6]));
    any_failed |= !expiry_ok;
    let (yy, mm, dd) = yymmdd(&expiry);
    let mut w = if expiry_ok {
        vec![]
    } else {
        vec![FieldWarning::MrzCheckFailed]
    };
    let expiry_value = match ymd(2000 + yy as i32, mm, dd) {
        Some(d) => {
            if d < today {
                w.push(FieldWarning::Expired);
            }
            iso_date(d)
        }
        None => {
            w.push(FieldWarning::InvalidDate);
            text(&expiry)
        }
    };
    push(
        FieldKey::ExpiryDate,
        expiry_value,
        lines[el].span(es..es + 6),
        w,
    );

    // Optional personal number; TD3 has its own check digit (`<` when the field is empty).
    let mut personal_number = None;
    if let Some((pl, ps, pn, check_at)) = layout.personal {
        let chars = slice(pl, ps, pn);
        let value = text(&chars).trim_end_matches('<').to_string();
        let ok = match check_at {
            Some(at) => check_ok(&chars, lines[pl].chars[at]),
            None => true,
        };
        any_failed |= !ok;
        if !value.is_empty() && !value.chars().all(|c| c == '<') {
            push(
                FieldKey::PersonalNumber,
                value.clone(),
                lines[pl].span(ps..ps + value.len()),
                if ok {
                    vec![]
                } else {
                    vec![FieldWarning::MrzCheckFailed]
                },
            );
            personal_number = Some(value);
        }
    }

    let composite: Vec<char> = layout
        .composite_parts
        .iter()
        .flat_map(|&(l, s, e)| lines[l].chars[s..e].iter().copied())
        .collect();
    let composite_ok = check_ok(
        &composite_numeric(&composite, format),
        lines[layout.composite.0].chars[layout.composite.1],
    );
    any_failed |= !composite_ok;

    let span = (
        lines[0].origin[0],
        lines.last().expect("two or three lines").end,
    );
    Some(Mrz {
        format,
        span,
        fields,
        any_check_failed: any_failed,
        personal_number,
    })
}

/// The composite's characters with `O`→`0` in the positions that are dates or check digits.
pub(super) fn composite_numeric(chars: &[char], format: MrzFormat) -> Vec<char> {
    // Positions (in the concatenated composite string) that hold digits only.
    let numeric_ranges: &[std::ops::Range<usize>] = match format {
        // doc(9) cd | birth(6) cd | expiry(6) cd | personal(14) cd
        MrzFormat::Td3 => &[9..10, 10..17, 17..24, 38..39],
        MrzFormat::Td2 => &[9..10, 10..17, 17..24],
        // line1[5..30] (doc 9, cd, opt 15) | birth(6) cd | expiry(6) cd | opt2
        MrzFormat::Td1 => &[9..10, 25..32, 32..39],
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if numeric_ranges.iter().any(|r| r.contains(&i)) {
                numeric(c)
            } else {
                c
            }
        })
        .collect()
}

pub(super) fn yymmdd(d: &[char]) -> (u32, u32, u32) {
    let n = |a: char, b: char| a.to_digit(10).unwrap_or(0) * 10 + b.to_digit(10).unwrap_or(0);
    (n(d[0], d[1]), n(d[2], d[3]), n(d[4], d[5]))
}

pub(super) fn ymd(year: i32, month: u32, day: u32) -> Option<Date> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

//! Field extraction: structured facts read from a document's text, for the reviewer to check
//! against the case — pure functions, no I/O, no clock (the caller passes `today`).
//!
//! - **MRZ** (ICAO 9303 TD3 2×44, TD2 2×36, TD1 3×30), tolerant of OCR noise: spaces inside
//!   lines, lower case, `«`/`‹`/`く` for `<`, `K` for `<` in a trailing filler run, lines a few
//!   fillers too long or short. Digits are never guessed from letters except `O`→`0` in the
//!   numeric fields (dates, check digits) and `0`→`O` in the three-letter country codes, where
//!   the field's alphabet leaves no doubt. Check digits (7-3-1) are verified; a failing one adds
//!   `mrz_check_failed` to its field and to the `mrz` field.
//! - **National ID** (fødselsnummer, D-, H-nummer): 11 digits (or `DDMMYY NNNNN`) that
//!   `domain::national_id` accepts, on any document — a lab report's patient number is what ties
//!   it to the case. A Norwegian passport's MRZ personal number counts too.
//! - **Visual-zone dates** on identity documents: `Utløpsdato`/`Date of expiry`, `Fødselsdato`/
//!   `Date of birth` with a `DD.MM.YYYY` date on the same or the next line; they fill a missing MRZ
//!   date, or add `visual_zone_mismatch` when they disagree with it.
//! - **Observations** (lab values, vitals), one per result line: `name value [unit] [reference]
//!   [flag]`. Precision over recall — a wrongly flagged value is worse than a missed one — so a
//!   line counts only if its name is a known analyte or vital, or it has a known unit *and* a
//!   reference range; names that are dates, pages, phones, addresses or IDs are refused, as are
//!   lines with numbers left over. Blood pressure `142/91` gives two observations (systolic,
//!   diastolic). Vitals without a reference in the document are flagged against standard adult
//!   ranges (`ref_source: "standard_adult"`, see [`STANDARD_ADULT_RANGES`]).
//!
//! Identity fields (everything from the MRZ and the visual zone) are only read when an MRZ is
//! found or the label is `passport`, `national_id` or `drivers_license`; observations only for
//! `lab_report` and `discharge_summary`, or when at least [`MIN_TABLE_ROWS`] lines are clearly
//! lab-table rows (value, known unit and reference range).
//!
//! Offsets (`start`, `end`) are in UTF-16 code units of the analysed text (the UI slices a
//! JavaScript string with them). Fields are `key → {value, start, end, warnings}`.

use serde_json::{json, Map, Value};
use time::{Date, Month};

use varde_domain::national_id::NationalId;

/// What extraction found in one document's text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extraction {
    pub fields: Map<String, Value>,
    pub observations: Vec<Value>,
}

/// Lab-table rows (value, known unit, reference range) that make a document's observations worth
/// reading whatever its label.
pub const MIN_TABLE_ROWS: usize = 3;

const IDENTITY_LABELS: [&str; 3] = ["passport", "national_id", "drivers_license"];
const CLINICAL_LABELS: [&str; 2] = ["lab_report", "discharge_summary"];

/// Extracts fields and observations from `text`; `label` is the classifier's label, if any.
pub fn extract(text: &str, label: Option<&str>, today: Date) -> Extraction {
    let index = TextIndex::new(text);
    let mut fields = Fields::default();

    let mrz = find_mrz(&index, today);
    let identity = mrz.is_some() || label.is_some_and(|l| IDENTITY_LABELS.contains(&l));
    let mrz_personal_number = mrz.as_ref().and_then(|m| m.personal_number.clone());
    if let Some(mrz) = mrz {
        mrz.into_fields(&mut fields);
    }
    if identity {
        visual_zone_dates(&index, today, &mut fields);
    }
    national_ids(&index, today, mrz_personal_number, &mut fields);

    let parsed: Vec<ParsedLine> = index
        .lines
        .iter()
        .filter_map(|line| parse_observation_line(line.text).map(|obs| (line, obs)))
        .map(|(line, observations)| ParsedLine {
            start: index.utf16(line.byte_start),
            end: index.utf16(line.byte_start + line.text.len()),
            observations,
        })
        .collect();
    let table_rows = parsed
        .iter()
        .filter(|p| p.observations.iter().any(|o| o.is_table_row))
        .count();
    let clinical =
        label.is_some_and(|l| CLINICAL_LABELS.contains(&l)) || table_rows >= MIN_TABLE_ROWS;
    let observations = if clinical {
        parsed
            .iter()
            .flat_map(|p| p.observations.iter().map(|o| o.to_json(p.start, p.end)))
            .collect()
    } else {
        Vec::new()
    };

    Extraction {
        fields: fields.into_json(&index),
        observations,
    }
}

// ---------------------------------------------------------------------------------------------
// Text, lines and UTF-16 offsets

struct Line<'a> {
    text: &'a str,
    byte_start: usize,
}

/// The text split into lines (at `\n`, `\r` and form feeds), with UTF-16 offsets at line starts so
/// that converting an offset costs one line's length, not the document's.
struct TextIndex<'a> {
    text: &'a str,
    lines: Vec<Line<'a>>,
    /// (byte offset, UTF-16 offset) of each line start.
    starts: Vec<(usize, usize)>,
}

impl<'a> TextIndex<'a> {
    fn new(text: &'a str) -> TextIndex<'a> {
        let mut lines = Vec::new();
        let mut starts = Vec::new();
        let mut line_start = 0;
        let mut utf16 = 0;
        let mut line_utf16 = 0;
        for (i, c) in text.char_indices() {
            if matches!(c, '\n' | '\r' | '\x0c') {
                lines.push(Line {
                    text: &text[line_start..i],
                    byte_start: line_start,
                });
                starts.push((line_start, line_utf16));
                line_start = i + c.len_utf8();
                line_utf16 = utf16 + c.len_utf16();
            }
            utf16 += c.len_utf16();
        }
        lines.push(Line {
            text: &text[line_start..],
            byte_start: line_start,
        });
        starts.push((line_start, line_utf16));
        TextIndex {
            text,
            lines,
            starts,
        }
    }

    /// The UTF-16 offset of byte offset `byte` (a char boundary).
    fn utf16(&self, byte: usize) -> usize {
        let i = self.starts.partition_point(|&(b, _)| b <= byte) - 1;
        let (line_byte, line_utf16) = self.starts[i];
        line_utf16 + self.text[line_byte..byte].encode_utf16().count()
    }
}

// ---------------------------------------------------------------------------------------------
// Fields

/// A field before its offsets are converted: byte span in the text.
#[derive(Clone, Debug)]
struct Field {
    value: String,
    span: Option<(usize, usize)>,
    warnings: Vec<&'static str>,
}

#[derive(Default)]
struct Fields(Vec<(&'static str, Field)>);

impl Fields {
    fn get_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.0.iter_mut().find(|(k, _)| *k == key).map(|(_, f)| f)
    }

    fn set(&mut self, key: &'static str, field: Field) {
        match self.get_mut(key) {
            Some(existing) => *existing = field,
            None => self.0.push((key, field)),
        }
    }

    fn into_json(self, index: &TextIndex) -> Map<String, Value> {
        self.0
            .into_iter()
            .map(|(key, f)| {
                let (start, end) = match f.span {
                    Some((s, e)) => (json!(index.utf16(s)), json!(index.utf16(e))),
                    None => (Value::Null, Value::Null),
                };
                let value = json!({
                    "value": f.value,
                    "start": start,
                    "end": end,
                    "warnings": f.warnings,
                });
                (key.to_string(), value)
            })
            .collect()
    }
}

fn add_warning(warnings: &mut Vec<&'static str>, code: &'static str) {
    if !warnings.contains(&code) {
        warnings.push(code);
    }
}

fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

// ---------------------------------------------------------------------------------------------
// MRZ

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MrzFormat {
    Td1,
    Td2,
    Td3,
}

impl MrzFormat {
    fn line_len(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 => 36,
            MrzFormat::Td3 => 44,
        }
    }

    fn lines(self) -> usize {
        if self == MrzFormat::Td1 {
            3
        } else {
            2
        }
    }

    fn name(self) -> &'static str {
        match self {
            MrzFormat::Td1 => "TD1",
            MrzFormat::Td2 => "TD2",
            MrzFormat::Td3 => "TD3",
        }
    }
}

/// A cleaned MRZ line: its characters and, for each, the byte offset of the text it came from.
#[derive(Clone, Debug)]
struct MrzLine {
    chars: Vec<char>,
    origin: Vec<usize>,
    /// Byte offset just past each character's source.
    origin_end: Vec<usize>,
    /// Byte offset just past the source line's last character.
    end: usize,
}

impl MrzLine {
    /// Uppercases, drops spaces, reads `«`-like marks as `<`; `None` if anything else is left
    /// that cannot be in an MRZ, or the length is far from every format's.
    fn clean(line: &Line) -> Option<MrzLine> {
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
    fn span(&self, range: std::ops::Range<usize>) -> Option<(usize, usize)> {
        if range.is_empty() {
            return None;
        }
        Some((self.origin[range.start], self.origin_end[range.end - 1]))
    }

    /// Reads `K` as `<` in a run of fillers that reaches the end of the line (OCR often sees
    /// `<<` as `K`). The run's first character is left alone (it may end a name, `ERIK<<<`), and
    /// so is a `K` right after the first `<<` of a name line (a given name `K`).
    fn repair_trailing_k(&mut self, name_line: bool) {
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
    fn fit(&mut self, len: usize, name_line: bool) -> bool {
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

fn find_double_filler(chars: &[char]) -> Option<usize> {
    // Skip the document code and issuing state.
    (5..chars.len().saturating_sub(1)).find(|&i| chars[i] == '<' && chars[i + 1] == '<')
}

/// (start, length) of the last run of at least two fillers.
fn last_filler_run(chars: &[char]) -> Option<(usize, usize)> {
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
fn check_digit(chars: &[char]) -> Option<u32> {
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
fn numeric(c: char) -> char {
    if c == 'O' {
        '0'
    } else {
        c
    }
}

fn check_ok(data: &[char], check: char) -> bool {
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
struct Mrz {
    format: MrzFormat,
    span: (usize, usize),
    fields: Vec<(&'static str, Field)>,
    any_check_failed: bool,
    /// The personal number's characters, for the national ID search.
    personal_number: Option<String>,
}

impl Mrz {
    fn into_fields(self, out: &mut Fields) {
        let mut warnings = Vec::new();
        if self.any_check_failed {
            warnings.push("mrz_check_failed");
        }
        out.set(
            "mrz",
            Field {
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

fn find_mrz(index: &TextIndex, today: Date) -> Option<Mrz> {
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

fn parse_mrz(format: MrzFormat, mut lines: Vec<MrzLine>, today: Date) -> Option<Mrz> {
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

    let mut fields: Vec<(&'static str, Field)> = Vec::new();
    let mut any_failed = false;
    let mut push = |key: &'static str,
                    value: String,
                    span: Option<(usize, usize)>,
                    warnings: Vec<&'static str>| {
        fields.push((
            key,
            Field {
                value,
                span,
                warnings,
            },
        ));
    };

    let doc_type: String = text(&slice(0, 0, 2)).trim_end_matches('<').to_string();
    push("document_type", doc_type, lines[0].span(0..2), vec![]);
    push("issuing_state", issuing_state, lines[0].span(2..5), vec![]);

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
    let name_warnings = |s: &str| -> Vec<&'static str> {
        if s.chars().any(|c| c.is_ascii_digit()) {
            vec!["unreadable_characters"]
        } else {
            vec![]
        }
    };
    if !surname.is_empty() {
        push(
            "surname",
            words(surname),
            lines[nl].span(ns..ns + surname.len()),
            name_warnings(surname),
        );
    }
    if !words(given).is_empty() {
        let given_start = ns + surname.len() + 2;
        push(
            "given_names",
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
        "document_number",
        doc_number.clone(),
        lines[dl].span(ds..ds + doc_number.len()),
        if doc_ok {
            vec![]
        } else {
            vec!["mrz_check_failed"]
        },
    );
    push(
        "nationality",
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
        vec!["mrz_check_failed"]
    };
    let birth_value = match ymd(birth_year, mm, dd) {
        Some(d) => iso_date(d),
        None => {
            w.push("invalid_date");
            text(&birth)
        }
    };
    push("birth_date", birth_value, lines[bl].span(bs..bs + 6), w);

    let sex = match sex_char {
        'M' => "M",
        'F' => "F",
        _ => "X",
    };
    push(
        "sex",
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
        vec!["mrz_check_failed"]
    };
    let expiry_value = match ymd(2000 + yy as i32, mm, dd) {
        Some(d) => {
            if d < today {
                w.push("expired");
            }
            iso_date(d)
        }
        None => {
            w.push("invalid_date");
            text(&expiry)
        }
    };
    push("expiry_date", expiry_value, lines[el].span(es..es + 6), w);

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
                "personal_number",
                value.clone(),
                lines[pl].span(ps..ps + value.len()),
                if ok { vec![] } else { vec!["mrz_check_failed"] },
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
fn composite_numeric(chars: &[char], format: MrzFormat) -> Vec<char> {
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

fn yymmdd(d: &[char]) -> (u32, u32, u32) {
    let n = |a: char, b: char| a.to_digit(10).unwrap_or(0) * 10 + b.to_digit(10).unwrap_or(0);
    (n(d[0], d[1]), n(d[2], d[3]), n(d[4], d[5]))
}

fn ymd(year: i32, month: u32, day: u32) -> Option<Date> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

// ---------------------------------------------------------------------------------------------
// Visual zone dates

/// `DD.MM.YYYY` (also with `/` or `-`) anywhere in `s`: the date and its byte range in `s`.
fn find_dmy(s: &str) -> Option<(Date, usize, usize)> {
    let b = s.as_bytes();
    (0..b.len()).find_map(|i| {
        let w = b.get(i..i + 10)?;
        let digit = |j: usize| w[j].is_ascii_digit();
        let sep = w[2];
        if (i > 0 && b[i - 1].is_ascii_digit())
            || b.get(i + 10).is_some_and(u8::is_ascii_digit)
            || !matches!(sep, b'.' | b'/' | b'-')
            || w[5] != sep
            || ![0, 1, 3, 4, 6, 7, 8, 9].iter().all(|&j| digit(j))
        {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            std::str::from_utf8(&w[r]).ok()?.parse().ok()
        };
        let date = ymd(num(6..10)? as i32, num(3..5)?, num(0..2)?)?;
        Some((date, i, i + 10))
    })
}

fn visual_zone_dates(index: &TextIndex, today: Date, fields: &mut Fields) {
    const EXPIRY: [&str; 5] = [
        "utløpsdato",
        "date of expiry",
        "gyldig til",
        "expiry date",
        "expires",
    ];
    const BIRTH: [&str; 3] = ["fødselsdato", "date of birth", "født"];
    for (key, labels) in [("expiry_date", &EXPIRY[..]), ("birth_date", &BIRTH[..])] {
        let found = index.lines.iter().enumerate().find_map(|(i, line)| {
            let lower = line.text.to_lowercase();
            let at = labels.iter().find_map(|l| lower.find(l))?;
            // The date follows the label on its line, or is alone on the next non-blank one.
            // `lower` may differ in length from the line only for exotic letters; fall back to 0.
            let after = line.text.get(at..).unwrap_or(line.text);
            let same = find_dmy(after).map(|(d, s, e)| {
                let base = line.byte_start + (line.text.len() - after.len());
                (d, base + s, base + e)
            });
            same.or_else(|| {
                let next = index.lines[i + 1..]
                    .iter()
                    .find(|l| !l.text.trim().is_empty())?;
                find_dmy(next.text).map(|(d, s, e)| (d, next.byte_start + s, next.byte_start + e))
            })
        });
        let Some((date, start, end)) = found else {
            continue;
        };
        match fields.get_mut(key) {
            Some(existing) => {
                if existing.value != iso_date(date) {
                    add_warning(&mut existing.warnings, "visual_zone_mismatch");
                }
            }
            None => {
                let mut warnings = Vec::new();
                if key == "expiry_date" && date < today {
                    warnings.push("expired");
                }
                fields.set(
                    key,
                    Field {
                        value: iso_date(date),
                        span: Some((start, end)),
                        warnings,
                    },
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// National ID numbers

/// 11-digit runs (or `DDMMYY NNNNN`) not inside longer digit runs: (digits, byte start, end).
fn national_id_candidates(line: &str) -> Vec<(String, usize, usize)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let run = j - i;
        if run == 11 {
            out.push((line[i..j].to_string(), i, j));
        } else if run == 6 && b.get(j) == Some(&b' ') {
            let k = j + 1;
            let mut m = k;
            while m < b.len() && b[m].is_ascii_digit() {
                m += 1;
            }
            if m - k == 5 {
                out.push((format!("{}{}", &line[i..j], &line[k..m]), i, m));
                j = m;
            }
        }
        i = j;
    }
    out
}

fn national_ids(
    index: &TextIndex,
    today: Date,
    mrz_personal_number: Option<String>,
    fields: &mut Fields,
) {
    let mut found: Vec<(String, Option<(usize, usize)>)> = Vec::new();
    for line in &index.lines {
        for (digits, s, e) in national_id_candidates(line.text) {
            if NationalId::parse(&digits, today).is_ok() {
                found.push((digits, Some((line.byte_start + s, line.byte_start + e))));
            }
        }
    }
    // A Norwegian passport's MRZ personal number is the fødselsnummer.
    if let Some(pn) = mrz_personal_number {
        let pn = pn.trim_end_matches('<');
        if pn.len() == 11 && NationalId::parse(pn, today).is_ok() {
            let span = fields.get_mut("personal_number").and_then(|f| f.span);
            found.push((pn.to_string(), span));
        }
    }
    let Some((first, span)) = found.first().cloned() else {
        return;
    };
    let mut warnings = Vec::new();
    if found.iter().any(|(d, _)| *d != first) {
        warnings.push("multiple_national_ids");
    }
    fields.set(
        "national_id",
        Field {
            value: first,
            span,
            warnings,
        },
    );
}

// ---------------------------------------------------------------------------------------------
// Observations

struct ParsedLine {
    start: usize,
    end: usize,
    observations: Vec<Observation>,
}

#[derive(Clone, Debug, PartialEq)]
struct Observation {
    name: String,
    value: f64,
    /// `<` or `>` when the result is censored (`<5`, `>90`).
    comparator: Option<char>,
    unit: Option<String>,
    ref_low: Option<f64>,
    ref_high: Option<f64>,
    ref_source: Option<&'static str>,
    flag: Option<&'static str>,
    /// Value, known unit and reference range: a lab-table row.
    is_table_row: bool,
}

impl Observation {
    fn to_json(&self, start: usize, end: usize) -> Value {
        json!({
            "name": self.name,
            "value": self.value,
            "comparator": self.comparator.map(String::from),
            "unit": self.unit,
            "ref_low": self.ref_low,
            "ref_high": self.ref_high,
            "ref_source": self.ref_source,
            "flag": self.flag,
            "start": start,
            "end": end,
        })
    }
}

/// Analytes and vitals recognised by name (lower case, specimen prefix like `S-`/`B-` removed).
const KNOWN_NAMES: &[&str] = &[
    "hemoglobin",
    "hb",
    "hgb",
    "haemoglobin",
    "crp",
    "kreatinin",
    "creatinine",
    "egfr",
    "hba1c",
    "glukose",
    "glucose",
    "natrium",
    "na",
    "sodium",
    "kalium",
    "k",
    "potassium",
    "leukocytter",
    "lpk",
    "wbc",
    "leukocytes",
    "trombocytter",
    "tpk",
    "plt",
    "platelets",
    "alat",
    "alt",
    "asat",
    "ast",
    "alp",
    "gt",
    "ggt",
    "ldh",
    "bilirubin",
    "albumin",
    "tsh",
    "ft4",
    "ft3",
    "t4",
    "ferritin",
    "jern",
    "transferrin",
    "b12",
    "kobalamin",
    "folat",
    "folate",
    "vitamin d",
    "urea",
    "karbamid",
    "urinsyre",
    "kolesterol",
    "cholesterol",
    "ldl",
    "hdl",
    "triglyserider",
    "triglycerides",
    "inr",
    "ck",
    "troponin",
    "tnt",
    "tni",
    "nt-probnp",
    "bnp",
    "psa",
    "sr",
    "senkningsreaksjon",
    "mcv",
    "mch",
    "mchc",
    "hematokrit",
    "hct",
    "evf",
    "erytrocytter",
    "epk",
    "rbc",
    "nøytrofile",
    "neutrophils",
    "lymfocytter",
    "lymphocytes",
    "monocytter",
    "eosinofile",
    "basofile",
    "magnesium",
    "kalsium",
    "calcium",
    "fosfat",
    "phosphate",
    "amylase",
    "lipase",
    "d-dimer",
    "fibrinogen",
    "laktat",
    "lactate",
    "ph",
    "pco2",
    "po2",
    "base excess",
    "bikarbonat",
    "hco3",
    "blodtrykk",
    "bt",
    "bp",
    "blood pressure",
    "puls",
    "pulse",
    "hr",
    "heart rate",
    "hjertefrekvens",
    "temp",
    "temperatur",
    "temperature",
    "spo2",
    "o2-metning",
    "metning",
    "saturation",
    "respirasjonsfrekvens",
    "rf",
    "resp",
    "respiratory rate",
    "vekt",
    "weight",
    "bmi",
];

/// Vitals and their standard adult ranges, used only when the document gives no reference:
/// blood pressure below 140/90 (Norwegian hypertension threshold) and at least 90/60, pulse
/// 50–100 /min, temperature 36.0–37.9 °C (fever from 38.0), SpO2 at least 95 %, respiratory rate
/// 12–20 /min. (aliases, low, high, plausible min, plausible max)
pub const STANDARD_ADULT_RANGES: &[(&[&str], f64, f64, f64, f64)] = &[
    (&["systolic"], 90.0, 139.0, 50.0, 300.0),
    (&["diastolic"], 60.0, 89.0, 20.0, 200.0),
    (
        &["puls", "pulse", "hr", "heart rate", "hjertefrekvens"],
        50.0,
        100.0,
        20.0,
        250.0,
    ),
    (
        &["temp", "temperatur", "temperature"],
        36.0,
        37.9,
        30.0,
        45.0,
    ),
    (
        &["spo2", "o2-metning", "metning", "saturation"],
        95.0,
        100.0,
        50.0,
        100.0,
    ),
    (
        &["respirasjonsfrekvens", "rf", "resp", "respiratory rate"],
        12.0,
        20.0,
        4.0,
        80.0,
    ),
];

const BLOOD_PRESSURE: [&str; 4] = ["blodtrykk", "bt", "bp", "blood pressure"];

/// Words that make a line something other than a result (dates, pages, contact details, IDs,
/// addresses, ages).
const REFUSED_NAME_WORDS: &[&str] = &[
    "side",
    "page",
    "sida",
    "telefon",
    "tlf",
    "tel",
    "phone",
    "mobil",
    "fax",
    "dato",
    "date",
    "født",
    "fødselsdato",
    "fødselsnummer",
    "fnr",
    "pnr",
    "personnummer",
    "postnr",
    "postboks",
    "adresse",
    "address",
    "gate",
    "gata",
    "vei",
    "veien",
    "vegen",
    "rom",
    "seng",
    "kl",
    "klokken",
    "org",
    "orgnr",
    "konto",
    "kontonr",
    "id",
    "hpr",
    "nr",
    "nummer",
    "no",
    "alder",
    "age",
    "år",
    "rekvisisjon",
    "prøvenr",
    "svar",
    "versjon",
];

/// Known units (compared case-insensitively, `µ`/`μ`/`u` alike).
const KNOWN_UNITS: &[&str] = &[
    "%",
    "g/dl",
    "g/l",
    "mg/l",
    "mg/dl",
    "mmol/l",
    "µmol/l",
    "nmol/l",
    "pmol/l",
    "mmol/mol",
    "u/l",
    "iu/l",
    "ie/l",
    "e/l",
    "miu/l",
    "mie/l",
    "mu/l",
    "ku/l",
    "ng/ml",
    "µg/l",
    "ng/l",
    "pg/ml",
    "µg/ml",
    "fl",
    "pg",
    "10^9/l",
    "x10^9/l",
    "×10^9/l",
    "10*9/l",
    "10^12/l",
    "x10^12/l",
    "×10^12/l",
    "10*12/l",
    "ml/min",
    "ml/min/1,73m²",
    "ml/min/1.73m²",
    "ml/min/1,73m2",
    "ml/min/1.73m2",
    "ml/min/1,73",
    "ml/min/1.73",
    "mmhg",
    "/min",
    "slag/min",
    "bpm",
    "°c",
    "mm/t",
    "mm/h",
    "kg",
    "kg/m²",
    "kg/m2",
    "kpa",
    "mosm/kg",
    "s",
];

fn normalise_unit(u: &str) -> String {
    u.to_lowercase()
        .replace(['μ', 'u'], "µ")
        .replace("µ/l", "u/l")
        .replace("iµ", "iu")
        .replace("mµ", "mu")
        .replace("kµ", "ku")
}

fn known_unit(token: &str) -> bool {
    let t = normalise_unit(token);
    KNOWN_UNITS.iter().any(|u| normalise_unit(u) == t)
}

/// The name lower-cased, with a specimen prefix (`S-`, `B-`, `P-`, `U-`, `fB-`, `Pt-`, `aB-`, `vB-`)
/// and punctuation removed, padded with spaces for whole-word search.
fn name_key(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut words: Vec<String> = Vec::new();
    for word in
        lower.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ':' | '[' | ']'))
    {
        if word.is_empty() {
            continue;
        }
        let word = match word.split_once('-') {
            Some((prefix, rest))
                if !rest.is_empty()
                    && ["s", "b", "p", "u", "fb", "pt", "ab", "vb", "sp", "f"]
                        .contains(&prefix) =>
            {
                rest
            }
            _ => word,
        };
        words.push(word.to_string());
    }
    format!(" {} ", words.join(" "))
}

fn has_alias(key: &str, aliases: &[&str]) -> bool {
    aliases.iter().any(|a| key.contains(&format!(" {a} ")))
}

/// A number written with a decimal comma or point: up to six digits, up to four decimals.
fn parse_number(s: &str) -> Option<f64> {
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

/// The leading number of `s` (with an optional `<`/`>` comparator) and what follows it.
fn split_value(token: &str) -> Option<(Option<char>, f64, &str)> {
    let (comparator, rest) = match token.chars().next()? {
        c @ ('<' | '>') => (Some(c), &token[1..]),
        '≤' => (Some('<'), &token['≤'.len_utf8()..]),
        '≥' => (Some('>'), &token['≥'.len_utf8()..]),
        _ => (None, token),
    };
    let end = rest
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || (matches!(c, ',' | '.')
                    && rest[i + 1..].starts_with(|d: char| d.is_ascii_digit())))
        })
        .map_or(rest.len(), |(i, _)| i);
    let value = parse_number(&rest[..end])?;
    Some((comparator, value, &rest[end..]))
}

#[derive(Debug, PartialEq)]
struct Reference {
    low: Option<f64>,
    high: Option<f64>,
}

/// A reference at the start of `s`: `13,4 – 17,0`, `(60-105)`, `<5`, `(< 5)`, `>60`, with an
/// optional `ref.`/`Referanseområde:` before it. Returns it and the rest.
fn parse_reference(s: &str) -> Option<(Reference, &str)> {
    let mut rest = s.trim_start();
    let lower = rest.to_lowercase();
    for prefix in [
        "referanseområde",
        "referanse",
        "ref.område",
        "ref.",
        "ref",
        "normal",
    ] {
        if lower.starts_with(prefix) && lower.len() >= prefix.len() {
            rest = rest[prefix.len()..].trim_start_matches([':', ' ']);
            break;
        }
    }
    let opened = rest.starts_with(['(', '[']);
    if opened {
        rest = rest[1..].trim_start();
    }
    let number = |s: &str| -> Option<(f64, usize)> {
        let end = s
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_digit() || matches!(c, ',' | '.')))
            .map_or(s.len(), |(i, _)| i);
        parse_number(&s[..end]).map(|v| (v, end))
    };
    let (reference, mut rest) = if let Some(c) = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '<' | '>' | '≤' | '≥'))
    {
        let after = rest[c.len_utf8()..].trim_start_matches('=').trim_start();
        let (v, n) = number(after)?;
        let r = if matches!(c, '<' | '≤') {
            Reference {
                low: None,
                high: Some(v),
            }
        } else {
            Reference {
                low: Some(v),
                high: None,
            }
        };
        (r, &after[n..])
    } else {
        let (low, n) = number(rest)?;
        let after = rest[n..].trim_start();
        let sep = after.chars().next()?;
        if !matches!(sep, '-' | '–' | '—') {
            return None;
        }
        let after = after[sep.len_utf8()..].trim_start();
        let (high, n) = number(after)?;
        if high < low {
            return None;
        }
        (
            Reference {
                low: Some(low),
                high: Some(high),
            },
            &after[n..],
        )
    };
    if opened {
        rest = rest.trim_start().strip_prefix([')', ']'])?;
    }
    Some((reference, rest))
}

/// An explicit abnormal marker: `H`, `L`, `*`, `høy`, `lav`, `forhøyet`, arrows.
fn parse_flag(token: &str) -> Option<Option<&'static str>> {
    match token.to_lowercase().trim_matches(['(', ')']) {
        "h" | "hh" | "h*" | "high" | "høy" | "forhøyet" | "↑" => Some(Some("high")),
        "l" | "ll" | "l*" | "low" | "lav" | "redusert" | "↓" => Some(Some("low")),
        "*" => Some(None),
        _ => None,
    }
}

fn flag_from_range(
    value: f64,
    comparator: Option<char>,
    low: Option<f64>,
    high: Option<f64>,
) -> Option<&'static str> {
    if low.is_none() && high.is_none() {
        return None;
    }
    match comparator {
        None => {
            if low.is_some_and(|l| value < l) {
                Some("low")
            } else if high.is_some_and(|h| value > h) {
                Some("high")
            } else {
                Some("normal")
            }
        }
        // The true value is below `value`: only a bound on one side can be judged.
        Some('<') => {
            if low.is_some_and(|l| value <= l) {
                Some("low")
            } else if low.is_none() && high.is_some_and(|h| value <= h) {
                Some("normal")
            } else {
                None
            }
        }
        // The true value is above `value`.
        _ => {
            if high.is_some_and(|h| value >= h) {
                Some("high")
            } else if high.is_none() && low.is_some_and(|l| value >= l) {
                Some("normal")
            } else {
                None
            }
        }
    }
}

/// Parses one line into observations: segments separated by `, ` or `; ` before a letter are
/// read separately (`BT 142/91 mmHg, puls 88, temp 38,4`).
fn parse_observation_line(line: &str) -> Option<Vec<Observation>> {
    let mut out = Vec::new();
    let mut segment_start = 0;
    let bytes = line.as_bytes();
    let mut cuts = Vec::new();
    for i in 0..bytes.len().saturating_sub(2) {
        if matches!(bytes[i], b',' | b';')
            && bytes[i + 1] == b' '
            && line[i + 2..].starts_with(|c: char| c.is_alphabetic())
        {
            cuts.push(i);
        }
    }
    cuts.push(line.len());
    for cut in cuts {
        let segment = &line[segment_start..cut];
        if let Some(mut obs) = parse_segment(segment) {
            out.append(&mut obs);
        }
        segment_start = (cut + 2).min(line.len());
    }
    (!out.is_empty()).then_some(out)
}

fn parse_segment(segment: &str) -> Option<Vec<Observation>> {
    // The value is the first whitespace-separated token that starts with a number.
    let mut value_at = None;
    let mut pos = 0;
    for token in segment.split_whitespace() {
        let at = pos + segment[pos..].find(token)?;
        pos = at + token.len();
        if token.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '<' | '>' | '≤' | '≥'))
        {
            value_at = Some(at);
            break;
        }
    }
    let value_at = value_at?;
    let mut name = segment[..value_at].trim().trim_end_matches(':');
    // `Ved innkomst: BT 142/91` — the name is what follows the last colon.
    if let Some((_, after)) = name.rsplit_once(':') {
        name = after.trim();
    }
    let name = name
        .trim_start_matches(['-', '*', '•', '·'])
        .trim_end_matches([':', '.', '='])
        .trim();
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2
        || !name.starts_with(char::is_alphabetic)
        || name.chars().count() > 48
        || name.split_whitespace().count() > 6
    {
        return None;
    }
    let key = name_key(name);
    if key
        .split_whitespace()
        .any(|w| REFUSED_NAME_WORDS.contains(&w))
    {
        return None;
    }
    let known_name = has_alias(&key, KNOWN_NAMES);
    let rest = &segment[value_at..];
    let value_token = rest.split_whitespace().next()?;

    // Blood pressure: `142/91`.
    if has_alias(&key, &BLOOD_PRESSURE) {
        let (sys, dia) = value_token.split_once('/')?;
        let (sys, dia) = (
            parse_number(sys)?,
            parse_number(dia.trim_end_matches([',', ';']))?,
        );
        let after = rest[value_token.len()..].trim_start();
        let unit_ok = after.is_empty()
            || after
                .split_whitespace()
                .next()
                .is_some_and(|u| known_unit(u.trim_end_matches([',', ';'])))
            || !after.chars().any(|c| c.is_ascii_digit());
        if !unit_ok || after.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let norwegian = key.contains(" blodtrykk ") || key.contains(" bt ");
        let (s_name, d_name) = if norwegian {
            ("systolisk", "diastolisk")
        } else {
            ("systolic", "diastolic")
        };
        let make = |part: &str, range: &str, v: f64| -> Option<Observation> {
            let (_, low, high, min, max) = STANDARD_ADULT_RANGES
                .iter()
                .find(|r| r.0.contains(&range))?;
            if !(*min..=*max).contains(&v) {
                return None;
            }
            Some(Observation {
                name: format!("{name} {part}"),
                value: v,
                comparator: None,
                unit: Some("mmHg".into()),
                ref_low: Some(*low),
                ref_high: Some(*high),
                ref_source: Some("standard_adult"),
                flag: flag_from_range(v, None, Some(*low), Some(*high)),
                is_table_row: false,
            })
        };
        return Some(vec![
            make(s_name, "systolic", sys)?,
            make(d_name, "diastolic", dia)?,
        ]);
    }

    let (comparator, value, glued) = split_value(value_token)?;
    let mut rest = rest[value_token.len()..].trim_start();
    // A unit glued to the number (`93%`, `48mg/L`) or the next token.
    let mut unit = None;
    let mut unit_known = false;
    if !glued.is_empty() {
        let glued = glued.trim_end_matches([',', ';']);
        if !known_unit(glued) {
            return None;
        }
        unit = Some(glued.to_string());
        unit_known = true;
    } else if let Some(token) = rest.split_whitespace().next() {
        let bare = token.trim_end_matches([',', ';']);
        let is_other = parse_flag(bare).is_some()
            || bare.starts_with(|c: char| c.is_ascii_digit() || "<>≤≥([".contains(c))
            || bare.to_lowercase().starts_with("ref");
        // A known unit; or, after a known analyte, a unit-like word as written (OCR may have
        // lost a `µ`; the reviewer sees the source line). Any other word is left as trailing
        // text.
        if !is_other && (known_unit(bare) || (known_name && bare.contains('/'))) {
            unit_known = known_unit(bare);
            unit = Some(bare.to_string());
            rest = rest[token.len()..].trim_start();
        }
    }

    let mut flag_explicit: Option<Option<&'static str>> = None;
    let mut take_flag = |rest: &mut &str| {
        if let Some(token) = rest.split_whitespace().next() {
            if let Some(f) = parse_flag(token) {
                flag_explicit = Some(f);
                *rest = rest[token.len()..].trim_start();
            }
        }
    };
    take_flag(&mut rest);
    let reference = match parse_reference(rest) {
        Some((r, after)) => {
            rest = after.trim_start();
            Some(r)
        }
        None => None,
    };
    take_flag(&mut rest);
    // Numbers left over make the line ambiguous (a second column, a date, a phone number).
    if rest.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if !(known_name || unit_known && reference.is_some()) {
        return None;
    }

    let (mut ref_low, mut ref_high) = reference.as_ref().map_or((None, None), |r| (r.low, r.high));
    let mut ref_source = reference.as_ref().map(|_| "document");
    let vital = STANDARD_ADULT_RANGES
        .iter()
        .skip(2)
        .find(|(aliases, ..)| has_alias(&key, aliases));
    if let Some((_, low, high, min, max)) = vital {
        if !(*min..=*max).contains(&value) {
            return None;
        }
        if reference.is_none() {
            ref_low = Some(*low);
            ref_high = Some(*high);
            ref_source = Some("standard_adult");
        }
    }
    let computed = flag_from_range(value, comparator, ref_low, ref_high);
    // The lab's own marker wins over the computed flag (its range may be age- or sex-specific).
    let flag = match flag_explicit {
        Some(Some(f)) => Some(f),
        _ => computed,
    };
    Some(vec![Observation {
        name: name.to_string(),
        value,
        comparator,
        unit,
        ref_low,
        ref_high,
        ref_source,
        flag,
        is_table_row: unit_known && reference.is_some(),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 22);

    /// ICAO 9303 part 4 specimen (TD3).
    const ICAO_TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    /// A Norwegian-style passport, check digits computed (synthetic fødselsnummer 150385 40189).
    const NOR_TD3: &str = "P<NORSOERLI<<KARI<ANNE<<<<<<<<<<<<<<<<<<<<<<\nFH12345674NOR8503150F310312015038540189<<<40";

    fn field<'a>(e: &'a Extraction, key: &str) -> &'a Value {
        e.fields
            .get(key)
            .unwrap_or_else(|| panic!("no field {key} in {:?}", e.fields))
    }
    fn value(e: &Extraction, key: &str) -> String {
        field(e, key)["value"].as_str().unwrap().to_string()
    }
    fn warnings(e: &Extraction, key: &str) -> Vec<String> {
        field(e, key)["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap().to_string())
            .collect()
    }
    fn utf16_slice(text: &str, start: u64, end: u64) -> String {
        let units: Vec<u16> = text.encode_utf16().collect();
        String::from_utf16(&units[start as usize..end as usize]).unwrap()
    }
    fn obs(lines: &[&str]) -> Vec<Value> {
        extract(&lines.join("\n"), Some("lab_report"), TODAY).observations
    }
    fn one(line: &str) -> Value {
        let o = obs(&[line]);
        assert_eq!(o.len(), 1, "{line}: {o:?}");
        o[0].clone()
    }

    #[test]
    fn check_digits_follow_icao_7_3_1() {
        let c = |s: &str| check_digit(&s.chars().collect::<Vec<_>>());
        assert_eq!(c("L898902C3"), Some(6));
        assert_eq!(c("740812"), Some(2));
        assert_eq!(c("120415"), Some(9));
        assert_eq!(c("ZE184226B<<<<<"), Some(1));
        assert_eq!(c("a"), None);
    }

    #[test]
    fn reads_the_icao_td3_specimen() {
        // 2012 expiry: expired by the test's today; 1974 birth (74 > 26).
        let e = extract(ICAO_TD3, None, TODAY);
        assert_eq!(value(&e, "mrz"), "TD3");
        assert_eq!(value(&e, "document_type"), "P");
        assert_eq!(value(&e, "issuing_state"), "UTO");
        assert_eq!(value(&e, "surname"), "ERIKSSON");
        assert_eq!(value(&e, "given_names"), "ANNA MARIA");
        assert_eq!(value(&e, "document_number"), "L898902C3");
        assert_eq!(value(&e, "nationality"), "UTO");
        assert_eq!(value(&e, "birth_date"), "1974-08-12");
        assert_eq!(value(&e, "sex"), "F");
        assert_eq!(value(&e, "expiry_date"), "2012-04-15");
        assert_eq!(value(&e, "personal_number"), "ZE184226B");
        assert_eq!(warnings(&e, "expiry_date"), ["expired"]);
        assert!(warnings(&e, "mrz").is_empty());
        assert!(warnings(&e, "document_number").is_empty());
        assert!(!e.fields.contains_key("national_id"));
        // Offsets point at the source characters.
        let f = field(&e, "surname");
        let (s, en) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
        assert_eq!(&ICAO_TD3[s as usize..en as usize], "ERIKSSON");
    }

    #[test]
    fn reads_a_norwegian_passport_and_its_fodselsnummer() {
        let e = extract(NOR_TD3, Some("passport"), TODAY);
        assert_eq!(value(&e, "surname"), "SOERLI");
        assert_eq!(value(&e, "given_names"), "KARI ANNE");
        assert_eq!(value(&e, "birth_date"), "1985-03-15");
        assert_eq!(value(&e, "expiry_date"), "2031-03-12");
        assert!(warnings(&e, "expiry_date").is_empty());
        assert_eq!(value(&e, "personal_number"), "15038540189");
        assert_eq!(value(&e, "national_id"), "15038540189");
        assert!(warnings(&e, "mrz").is_empty());
    }

    /// A Norwegian TD3 line 2 with `doc` and `birth`, its check digits computed.
    fn nor_line2(doc: &str, birth: &str) -> String {
        let cd = |s: &[char]| char::from_digit(check_digit(s).unwrap(), 10).unwrap();
        let mut c: Vec<char> = "FH12345674NOR8503150F310312015038540189<<<40"
            .chars()
            .collect();
        c[0..9].copy_from_slice(&doc.chars().collect::<Vec<_>>());
        c[9] = cd(&c[0..9]);
        c[13..19].copy_from_slice(&birth.chars().collect::<Vec<_>>());
        c[19] = cd(&c[13..19]);
        let comp: Vec<char> = c[0..10]
            .iter()
            .chain(&c[13..20])
            .chain(&c[21..43])
            .copied()
            .collect();
        c[43] = cd(&comp);
        c.into_iter().collect()
    }
    const NOR_LINE1: &str = "P<NORSOERLI<<KARI<<<<<<<<<<<<<<<<<<<<<<<<<<<<";

    #[test]
    fn birth_years_after_this_year_are_last_century() {
        let text = |b: &str| format!("{NOR_LINE1}\n{}", nor_line2("FH1234567", b));
        let e = extract(&text("260101"), None, TODAY);
        assert_eq!(value(&e, "birth_date"), "2026-01-01");
        assert!(warnings(&e, "mrz").is_empty(), "{:?}", e.fields);
        let e = extract(&text("270101"), None, TODAY);
        assert_eq!(value(&e, "birth_date"), "1927-01-01");
        let e = extract(&text("850230"), None, TODAY);
        assert_eq!(warnings(&e, "birth_date"), ["invalid_date"]);
    }

    #[test]
    fn tolerates_ocr_noise() {
        // Lower case, spaces inside the lines, « and く for <, K in the filler run, O for 0 in
        // the dates and check digits, 0 for O in the country code, a blank line between.
        let noisy = "p<nor SOERLI«<KARI<ANNE<<<<<<<<<<<<<<<<<<<<<K<\n\n\
                     FH12345674 N0R 85O3150F 31O312O 15038540189<<く4O";
        let e = extract(noisy, None, TODAY);
        assert_eq!(value(&e, "surname"), "SOERLI");
        assert_eq!(value(&e, "given_names"), "KARI ANNE");
        assert_eq!(value(&e, "nationality"), "NOR");
        assert_eq!(value(&e, "birth_date"), "1985-03-15");
        assert_eq!(value(&e, "expiry_date"), "2031-03-12");
        assert!(warnings(&e, "mrz").is_empty(), "{:?}", e.fields);
        // A filler too many at the end of the name line and one missing in line 2.
        let text = "P<NORSOERLI<<KARI<ANNE<<<<<<<<<<<<<<<<<<<<<<<<\nFH12345674NOR8503150F310312015038540189<<40";
        let e = extract(text, None, TODAY);
        assert!(warnings(&e, "mrz").is_empty(), "{:?}", e.fields);
        assert_eq!(value(&e, "personal_number"), "15038540189");
    }

    #[test]
    fn o_is_not_read_as_zero_in_the_document_number() {
        // Document number FH1034567 read as FH1O34567: its check fails, nothing is guessed.
        let line2 = nor_line2("FH1034567", "850315");
        let e = extract(&format!("{NOR_LINE1}\n{line2}"), None, TODAY);
        assert!(warnings(&e, "mrz").is_empty());
        let noisy = format!("{NOR_LINE1}\n{}", line2.replacen("FH10", "FH1O", 1));
        let e = extract(&noisy, None, TODAY);
        assert_eq!(value(&e, "document_number"), "FH1O34567");
        assert_eq!(warnings(&e, "document_number"), ["mrz_check_failed"]);
        assert_eq!(warnings(&e, "mrz"), ["mrz_check_failed"]);
    }

    #[test]
    fn a_broken_check_digit_is_flagged_on_its_field() {
        let text = ICAO_TD3.replace("7408122F", "7408123F");
        let e = extract(&text, None, TODAY);
        assert_eq!(warnings(&e, "birth_date"), ["mrz_check_failed"]);
        assert!(warnings(&e, "document_number").is_empty());
        assert_eq!(warnings(&e, "mrz"), ["mrz_check_failed"]);
        // A changed digit that only the composite covers.
        let text = ICAO_TD3.replace("<<<<<10", "<<<<<11");
        let e = extract(&text, None, TODAY);
        assert_eq!(warnings(&e, "mrz"), ["mrz_check_failed"]);
        assert!(warnings(&e, "birth_date").is_empty());
    }

    #[test]
    fn reads_td1_and_td2() {
        // ICAO 9303 part 5 TD1 specimen.
        let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
        let e = extract(td1, None, TODAY);
        assert_eq!(value(&e, "mrz"), "TD1");
        assert_eq!(value(&e, "document_number"), "D23145890");
        assert_eq!(value(&e, "surname"), "ERIKSSON");
        assert_eq!(value(&e, "given_names"), "ANNA MARIA");
        assert_eq!(value(&e, "birth_date"), "1974-08-12");
        assert!(warnings(&e, "mrz").is_empty(), "{:?}", e.fields);
        // ICAO 9303 part 6 TD2 specimen.
        let td2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6";
        let e = extract(td2, None, TODAY);
        assert_eq!(value(&e, "mrz"), "TD2");
        assert_eq!(value(&e, "document_number"), "D23145890");
        assert_eq!(value(&e, "expiry_date"), "2012-04-15");
        assert!(warnings(&e, "mrz").is_empty(), "{:?}", e.fields);
    }

    #[test]
    fn no_mrz_in_ordinary_text() {
        let e = extract(
            "Laboratoriesvar\nHemoglobin 11,2 g/dL\nABC<<DEF 123\n<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
            None,
            TODAY,
        );
        assert!(!e.fields.contains_key("mrz"), "{:?}", e.fields);
    }

    #[test]
    fn offsets_are_utf16_code_units() {
        // Emoji and å before the MRZ: UTF-16 offsets differ from byte and char offsets.
        let text = format!("Pass 😀 for Åse\n{NOR_TD3}");
        let e = extract(&text, None, TODAY);
        let f = field(&e, "given_names");
        assert_eq!(
            utf16_slice(
                &text,
                f["start"].as_u64().unwrap(),
                f["end"].as_u64().unwrap()
            ),
            "KARI<ANNE"
        );
        let text = "Prøvesvar 😀\nCRP 48 mg/L <5";
        let o = extract(text, Some("lab_report"), TODAY).observations;
        assert_eq!(
            utf16_slice(
                text,
                o[0]["start"].as_u64().unwrap(),
                o[0]["end"].as_u64().unwrap()
            ),
            "CRP 48 mg/L <5"
        );
    }

    #[test]
    fn national_ids_are_validated_and_deduplicated() {
        let e = extract(
            "Pasient: Demo, fnr 150385 40189, tlf 22334455",
            Some("lab_report"),
            TODAY,
        );
        assert_eq!(value(&e, "national_id"), "15038540189");
        assert!(warnings(&e, "national_id").is_empty());
        let f = field(&e, "national_id");
        assert_eq!(
            f["end"].as_u64().unwrap() - f["start"].as_u64().unwrap(),
            12
        );
        // An invalid control digit, a number inside a longer run: nothing.
        let e = extract("fnr 15038540188, konto 1503854018912", None, TODAY);
        assert!(!e.fields.contains_key("national_id"));
        // Two different valid numbers: the first, with a warning; the same twice: no warning.
        let e = extract("15038540189 og 01019040034 og 15038540189", None, TODAY);
        assert_eq!(value(&e, "national_id"), "15038540189");
        assert_eq!(warnings(&e, "national_id"), ["multiple_national_ids"]);
        let e = extract("15038540189 og 150385 40189", None, TODAY);
        assert!(warnings(&e, "national_id").is_empty());
    }

    #[test]
    fn visual_zone_dates_fill_or_contradict_the_mrz() {
        let e = extract(
            "PASS / PASSPORT\nUtløpsdato/Date of expiry\n12.03.2021\nFødselsdato/Date of birth 15.03.1985",
            Some("passport"),
            TODAY,
        );
        assert_eq!(value(&e, "expiry_date"), "2021-03-12");
        assert_eq!(warnings(&e, "expiry_date"), ["expired"]);
        assert_eq!(value(&e, "birth_date"), "1985-03-15");
        let text = format!("Utløpsdato/Date of expiry 12.03.2032\n{NOR_TD3}");
        let e = extract(&text, None, TODAY);
        assert_eq!(value(&e, "expiry_date"), "2031-03-12");
        assert_eq!(warnings(&e, "expiry_date"), ["visual_zone_mismatch"]);
        // Not an identity document: no dates read.
        let e = extract("Utløpsdato 12.03.2031", Some("other"), TODAY);
        assert!(e.fields.is_empty());
    }

    #[test]
    fn reads_norwegian_lab_lines() {
        let o = one("Hemoglobin (Hb)   11,2  g/dL   13,4 – 17,0");
        assert_eq!(o["name"], "Hemoglobin (Hb)");
        assert_eq!(o["value"], 11.2);
        assert_eq!(o["unit"], "g/dL");
        assert_eq!(
            (o["ref_low"].as_f64(), o["ref_high"].as_f64()),
            (Some(13.4), Some(17.0))
        );
        assert_eq!(o["flag"], "low");
        assert_eq!(o["ref_source"], "document");

        let o = one("CRP 48 mg/L <5");
        assert_eq!(
            (
                o["value"].as_f64(),
                o["ref_low"].is_null(),
                o["ref_high"].as_f64()
            ),
            (Some(48.0), true, Some(5.0))
        );
        assert_eq!(o["flag"], "high");

        let o = one("Kreatinin 95 µmol/L (60-105)");
        assert_eq!(o["flag"], "normal");
        assert_eq!(o["unit"], "µmol/L");

        let o = one("eGFR >90 mL/min/1,73m²");
        assert_eq!(o["value"], 90.0);
        assert_eq!(o["comparator"], ">");
        assert_eq!(o["unit"], "mL/min/1,73m²");
        assert!(o["flag"].is_null());

        let o = one("HbA1c 53 mmol/mol 20-42 H");
        assert_eq!(o["flag"], "high");
        assert_eq!(o["ref_high"], 42.0);

        let o = one("S-Kalium 3,1 mmol/L ref. 3,5-5,0 L");
        assert_eq!(
            (o["value"].as_f64(), o["flag"].as_str()),
            (Some(3.1), Some("low"))
        );
        let o = one("Natrium 139 mmol/L Referanseområde: 137–145");
        assert_eq!(o["flag"], "normal");
        let o = one("Hemoglobin 11.9 g/dL (13.4 - 17.0) lav");
        assert_eq!(o["flag"], "low");
        let o = one("CRP 42 mg/L (< 5) forhøyet");
        assert_eq!(
            (o["ref_high"].as_f64(), o["flag"].as_str()),
            (Some(5.0), Some("high"))
        );
        let o = one("CRP <5 mg/L <5");
        assert_eq!(
            (o["comparator"].as_str(), o["flag"].as_str()),
            (Some("<"), Some("normal"))
        );
    }

    #[test]
    fn reads_english_lab_lines() {
        let o = one("Haemoglobin 142 g/L 130-170");
        assert_eq!(o["flag"], "normal");
        let o = one("Potassium: 5.9 mmol/L (3.5-5.0) H");
        assert_eq!(o["flag"], "high");
        let o = one("White cell count 12.1 x10^9/L 4.0-11.0");
        assert_eq!(o["flag"], "high");
        assert_eq!(o["name"], "White cell count");
    }

    #[test]
    fn the_labs_marker_wins_over_the_computed_flag() {
        let o = one("Kreatinin 100 µmol/L 60-105 H");
        assert_eq!(o["flag"], "high");
        // `*` only says "abnormal": the range decides the direction.
        let o = one("Ferritin 8 µg/L 15-200 *");
        assert_eq!(o["flag"], "low");
    }

    #[test]
    fn reads_vitals_with_standard_adult_ranges() {
        let o = obs(&["Blodtrykk 142/91 mmHg"]);
        assert_eq!(o.len(), 2);
        assert_eq!(o[0]["name"], "Blodtrykk systolisk");
        assert_eq!(
            (o[0]["value"].as_f64(), o[0]["flag"].as_str()),
            (Some(142.0), Some("high"))
        );
        assert_eq!(o[1]["name"], "Blodtrykk diastolisk");
        assert_eq!(
            (o[1]["value"].as_f64(), o[1]["flag"].as_str()),
            (Some(91.0), Some("high"))
        );
        assert_eq!(o[0]["ref_source"], "standard_adult");
        assert_eq!(o[0]["start"], o[1]["start"]);

        let o = one("Puls 88 /min");
        assert_eq!(
            (o["unit"].as_str(), o["flag"].as_str()),
            (Some("/min"), Some("normal"))
        );
        let o = one("Temp 38,4 °C");
        assert_eq!(
            (o["value"].as_f64(), o["flag"].as_str()),
            (Some(38.4), Some("high"))
        );
        let o = one("SpO2 93 %");
        assert_eq!(o["flag"], "low");
        let o = one("SpO2 93%");
        assert_eq!(o["unit"], "%");
        // A range in the document replaces the standard one.
        let o = one("SpO2 93 % (92-100)");
        assert_eq!(
            (o["flag"].as_str(), o["ref_source"].as_str()),
            (Some("normal"), Some("document"))
        );
        // Several on one line, as discharge summaries write them.
        let o = extract(
            "Ved innkomst: BT 142/91 mmHg, puls 88, temp 38,4, SpO2 93 %",
            Some("discharge_summary"),
            TODAY,
        )
        .observations;
        let names: Vec<&str> = o.iter().map(|o| o["name"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            ["BT systolisk", "BT diastolisk", "puls", "temp", "SpO2"]
        );
        // Implausible vitals are not read.
        assert!(obs(&["Puls 880 /min", "Temp 384 °C"]).is_empty());
    }

    #[test]
    fn refuses_dates_phones_ids_pages_and_addresses() {
        let lines = [
            "Prøvetatt: 20.11.2026",
            "Rekvirent: Demo legekontor   Prøvetatt: 2026-11-20",
            "Side 1 av 2",
            "Telefon 22 33 44 55",
            "Tlf: 22334455",
            "Fødselsnummer: 150385 40189",
            "Storgata 12, 0150 Oslo",
            "Postboks 1000 Sentrum",
            "Alder 45 år",
            "Kl 12:30",
            "Rom 12 %",
            "Analyse Resultat Enhet Referanseområde",
            "Rabatt 10 %",
            "Hemoglobin 11,2 12,0 13,4",
            "Vurdering: forhøyet CRP, lav hemoglobin.",
            "Org.nr 987 654 321",
            "CRP 48 mg/L 12.03.2026",
        ];
        let o = obs(&lines);
        assert!(o.is_empty(), "{o:#?}");
    }

    #[test]
    fn observations_only_for_clinical_documents_or_clear_lab_tables() {
        let text = "Hemoglobin 11,2 g/dL 13,4-17,0\nCRP 48 mg/L";
        assert!(extract(text, Some("passport"), TODAY)
            .observations
            .is_empty());
        assert!(extract(text, None, TODAY).observations.is_empty());
        assert_eq!(
            extract(text, Some("discharge_summary"), TODAY)
                .observations
                .len(),
            2
        );
        let table = "Hemoglobin 11,2 g/dL 13,4-17,0\nKreatinin 95 µmol/L 60-105\nNatrium 139 mmol/L 137-145";
        assert_eq!(extract(table, Some("other"), TODAY).observations.len(), 3);
    }

    #[test]
    fn empty_and_odd_text_gives_nothing() {
        for text in [
            "", "\x0c\x0c", "\n\r\n", "«««", "P<", "123/", "CRP", "CRP <", "BT 142/",
        ] {
            let e = extract(text, Some("lab_report"), TODAY);
            assert!(e.fields.is_empty() && e.observations.is_empty(), "{text:?}");
        }
    }
}

//! An MRZ's lines → its fields. Each field is read by its type: digits in dates and check
//! digits, letters in names and country codes, both in document numbers. A character is
//! corrected only where the field's check digit then confirms it, or, in a field no check
//! digit covers, where the field's alphabet leaves no choice (a digit in a name); every
//! correction is recorded on its field. A damaged field is flagged, not fatal: the zone is
//! kept when at least [`MIN_CHECKS_PASSED`] of its check digits hold.

use time::Date;
use varde_domain::document::{FieldKey, FieldWarning};
use varde_domain::national_id::{BirthDate, NationalId};

use super::super::iso_date;
use super::century::{birth_date, expiry_date, yymmdd};
use super::check::{check_alphanumeric, check_numeric, digit_for, letter_for, passes};
use super::check::{Checked, Verdict};
use super::layout::{Layout, MrzFormat, Optional, Pos};
use super::line::MrzLine;
use super::zone::{cells, Cell, Printed, Zone};
use super::Mrz;

/// Check digits (document number, dates, composite) that must hold for a run of lines to count
/// as an MRZ: one misread character breaks at most its own field's and the composite's.
pub(in crate::fields) const MIN_CHECKS_PASSED: usize = 2;

/// A name part's words (`ANNA<MARIA` → `ANNA`, `MARIA`).
fn words(s: &str) -> Vec<&str> {
    s.split('<').filter(|w| !w.is_empty()).collect()
}

/// Lines → fields, or `None` if the lines do not make a zone of `format`.
pub(in crate::fields) fn parse_mrz(
    format: MrzFormat,
    mut lines: Vec<MrzLine>,
    evidence: &[Date],
    today: Date,
) -> Option<Mrz> {
    for (i, line) in lines.iter_mut().enumerate() {
        line.restore_filler_ks();
        if !line.fit(format.line_len(), i == format.name_line()) {
            return None;
        }
    }
    if !format.fits_document_code(lines[0].chars[0]) {
        return None;
    }
    let mut layout = format.layout();
    let mut zone = Zone {
        lines,
        today,
        evidence: evidence.to_vec(),
        fields: Vec::new(),
        passed: 0,
        failed: false,
        repaired: false,
    };
    zone.read_plain(FieldKey::DocumentType, layout.document_code);
    zone.read_country(FieldKey::IssuingState, layout.issuing_state);
    zone.read_name(layout.name);
    zone.read_country(FieldKey::Nationality, layout.nationality);
    zone.read_sex(layout.sex);
    // Dates first: their repairs need only their own check digits, and the composite that
    // confirms a document number's repair covers them.
    zone.note_national_id(layout.optional[0]);
    let expiry = zone.read_expiry(layout.expiry);
    zone.read_birth(layout.birth, expiry);
    zone.locate_long_document_number(format, &mut layout);
    zone.read_document_number(&layout);
    let personal_number = zone.read_optional(&layout);
    zone.check_composite(&layout);
    if zone.passed < MIN_CHECKS_PASSED {
        return None;
    }
    let first = &zone.lines[0];
    let span = (
        first.origin[0],
        zone.lines.last().expect("two or three lines").end,
    );
    Some(Mrz {
        format,
        span,
        fields: zone.fields,
        any_check_failed: zone.failed,
        any_repair: zone.repaired,
        personal_number,
    })
}

impl Zone {
    fn read_plain(&mut self, key: FieldKey, pos: Pos) {
        let cells = cells(pos);
        let value: String = self.chars(&cells).into_iter().collect();
        let value = value.trim_end_matches('<').to_string();
        let printed = Printed::unchecked(cells, value.len());
        self.push(key, value, &printed, Verdict::Unchecked, vec![]);
    }

    /// A three-letter code, `<`-padded: digits are read as the letters they are confused with.
    fn read_country(&mut self, key: FieldKey, pos: Pos) {
        let cells = cells(pos);
        let read = self.chars(&cells);
        let letters: Vec<char> = read.iter().map(|&c| letter_for(c).unwrap_or(c)).collect();
        let value: String = letters
            .iter()
            .collect::<String>()
            .trim_end_matches('<')
            .into();
        let valid = !value.is_empty() && value.chars().all(|c| c.is_ascii_uppercase());
        let (value, warnings) = if valid {
            self.set(&cells, &letters);
            (value, vec![])
        } else {
            let raw: String = read.iter().collect();
            (raw, vec![FieldWarning::UnreadableCharacters])
        };
        let printed = Printed::unchecked(cells, value.len());
        self.push(key, value, &printed, Verdict::Unchecked, warnings);
    }

    fn read_sex(&mut self, pos: Pos) {
        let printed = Printed::unchecked(cells(pos), 1);
        let (value, warnings) = match self.at(printed.cells[0]) {
            'M' => ("M".to_string(), vec![]),
            'F' => ("F".to_string(), vec![]),
            '<' | 'X' => ("X".to_string(), vec![]),
            other => (other.to_string(), vec![FieldWarning::UnreadableCharacters]),
        };
        self.push(FieldKey::Sex, value, &printed, Verdict::Unchecked, warnings);
    }

    /// Surname, `<<`, given names separated by `<`. Digits are read as letters (no check digit
    /// covers names, but a name holds no digits); a digit without a letter twin is flagged.
    fn read_name(&mut self, pos: Pos) {
        let all = cells(pos);
        let letters: Vec<char> = self
            .chars(&all)
            .into_iter()
            .map(|c| letter_for(c).unwrap_or(c))
            .collect();
        self.set(&all, &letters);
        let raw: String = letters.iter().collect();
        let trimmed = raw.trim_end_matches('<');
        let (surname, given) = trimmed.split_once("<<").unwrap_or((trimmed, ""));
        let warnings = |s: &str| match s.chars().any(|c| c.is_ascii_digit()) {
            true => vec![FieldWarning::UnreadableCharacters],
            false => vec![],
        };
        let given_start = surname.len() + 2;
        let has_given = !words(given).is_empty();
        // Corrections in the trailing fillers belong to the last name on the line.
        let surname_cells = if has_given {
            all[..surname.len()].to_vec()
        } else {
            all.clone()
        };
        if !surname.is_empty() {
            let printed = Printed::unchecked(surname_cells, surname.len());
            let value = words(surname).join(" ");
            self.push(
                FieldKey::Surname,
                value,
                &printed,
                Verdict::Unchecked,
                warnings(surname),
            );
        }
        if has_given {
            let printed = Printed::unchecked(all[given_start..].to_vec(), given.len());
            let value = words(given).join(" ");
            self.push(
                FieldKey::GivenNames,
                value,
                &printed,
                Verdict::Unchecked,
                warnings(given),
            );
        }
    }

    /// A TD1 document number longer than nine characters (ICAO 9303 part 5) has `<` where its
    /// check digit would be and continues in the optional data up to the next `<`, the last
    /// character before it being the check digit; the optional data then starts after that `<`.
    /// Moves the layout's document number and check digit (and optional data) there.
    fn locate_long_document_number(&self, format: MrzFormat, layout: &mut Layout) {
        let pos = layout.document_number;
        let check = pos.start + pos.len;
        let continues = format == MrzFormat::Td1
            && self.at((pos.line, check)) == '<'
            && self.at((pos.line, check + 1)) != '<';
        if !continues {
            return;
        }
        let line = &self.lines[pos.line].chars;
        let end = (check + 1..line.len())
            .find(|&c| line[c] == '<')
            .unwrap_or(line.len());
        layout.document_number_continues = Some(Pos {
            line: pos.line,
            start: check + 1,
            len: end - 1 - (check + 1),
        });
        layout.document_check = Pos {
            line: pos.line,
            start: end - 1,
            len: 1,
        };
        let optional = &mut layout.optional[0].data;
        optional.start = (end + 1).min(line.len());
        optional.len = line.len() - optional.start;
    }

    /// Whether the composite check digit holds with `chars` written at `cells` (it always does
    /// in a zone without one, a visa).
    fn composite_holds_with(&self, layout: &Layout, cells: &[Cell], chars: &[char]) -> bool {
        let Some((check, parts)) = &layout.composite else {
            return true;
        };
        let mut lines: Vec<Vec<char>> = self.lines.iter().map(|l| l.chars.clone()).collect();
        for (&(l, c), &ch) in cells.iter().zip(chars) {
            lines[l][c] = ch;
        }
        let data: Vec<char> = parts
            .iter()
            .flat_map(|p| lines[p.line][p.range()].iter().copied())
            .collect();
        let check = lines[check.line][check.start];
        passes(&data, digit_for(check).unwrap_or(check), false)
    }

    /// A run with its own check digit, any substitution confirmed by the composite as well.
    fn checked_run(
        &mut self,
        layout: &Layout,
        data: &[Cell],
        check: Cell,
        filler: bool,
    ) -> Checked {
        let all: Vec<Cell> = data.iter().copied().chain([check]).collect();
        let confirm = |candidate: &[char], check_char: char| {
            let chars: Vec<char> = candidate.iter().copied().chain([check_char]).collect();
            self.composite_holds_with(layout, &all, &chars)
        };
        let checked = check_alphanumeric(&self.chars(data), self.at(check), filler, confirm);
        self.apply(data, check, &checked);
        checked
    }

    /// The document number and its check digit.
    fn read_document_number(&mut self, layout: &Layout) {
        let mut data = cells(layout.document_number);
        data.extend(
            layout
                .document_number_continues
                .map(cells)
                .unwrap_or_default(),
        );
        let check = (layout.document_check.line, layout.document_check.start);
        let checked = self.checked_run(layout, &data, check, false);
        self.tally(checked.verdict);
        let value: String = self.chars(&data).into_iter().collect();
        let value = value.trim_end_matches('<').to_string();
        let printed = Printed {
            value_len: value.len(),
            cells: data,
            check: Some(check),
        };
        self.push(
            FieldKey::DocumentNumber,
            value,
            &printed,
            checked.verdict,
            vec![],
        );
    }

    /// A national ID number in the first optional data field, as read, is evidence for the
    /// birth century (a Norwegian passport's fødselsnummer).
    fn note_national_id(&mut self, optional: Optional) {
        let value: String = self.chars(&cells(optional.data)).into_iter().collect();
        if let Ok(id) = NationalId::parse(value.trim_end_matches('<'), self.today) {
            if let BirthDate::Exact(date) = id.birth_date() {
                self.evidence.push(date);
            }
        }
    }

    /// The first optional data field, shown as the personal number when not empty; only TD3's
    /// has a check digit.
    fn read_optional(&mut self, layout: &Layout) -> Option<String> {
        let optional = layout.optional[0];
        let data = cells(optional.data);
        let verdict = match optional.check {
            Some(check) => {
                let check = (check.line, check.start);
                self.checked_run(layout, &data, check, true).verdict
            }
            None => Verdict::Unchecked,
        };
        // Not tallied: an empty field passes trivially, so it says nothing about the zone.
        if verdict == Verdict::Failed {
            self.failed = true;
        }
        let value: String = self.chars(&data).into_iter().collect();
        let value = value.trim_end_matches('<').to_string();
        if value.is_empty() {
            return None;
        }
        let printed = Printed {
            value_len: value.len(),
            cells: data,
            check: optional.check.map(|c| (c.line, c.start)),
        };
        self.push(
            FieldKey::PersonalNumber,
            value.clone(),
            &printed,
            verdict,
            vec![],
        );
        Some(value)
    }

    /// A date and its check digit: `(yy, mm, dd)` when its characters are digits.
    fn checked_date(&mut self, pos: Pos) -> (Printed, Verdict, Option<(u32, u32, u32)>) {
        let data = cells(pos);
        let check = (pos.line, pos.start + pos.len);
        let checked = check_numeric(&self.chars(&data), self.at(check));
        self.apply(&data, check, &checked);
        self.tally(checked.verdict);
        let digits = yymmdd(&self.chars(&data));
        let printed = Printed {
            cells: data,
            check: Some(check),
            value_len: 6,
        };
        (printed, checked.verdict, digits)
    }

    fn push_date(&mut self, key: FieldKey, printed: Printed, verdict: Verdict, date: Option<Date>) {
        let mut warnings = vec![];
        let value = match date {
            Some(d) => {
                if key == FieldKey::ExpiryDate && d < self.today {
                    warnings.push(FieldWarning::Expired);
                }
                iso_date(d)
            }
            None => {
                warnings.push(FieldWarning::InvalidDate);
                self.chars(&printed.cells).into_iter().collect()
            }
        };
        self.push(key, value, &printed, verdict, warnings);
    }

    fn read_expiry(&mut self, pos: Pos) -> Option<Date> {
        let (printed, verdict, digits) = self.checked_date(pos);
        let date = digits.and_then(|d| expiry_date(d, self.today));
        self.push_date(FieldKey::ExpiryDate, printed, verdict, date);
        date
    }

    fn read_birth(&mut self, pos: Pos, expiry: Option<Date>) {
        let (printed, verdict, digits) = self.checked_date(pos);
        let date = digits.and_then(|d| birth_date(d, &self.evidence, expiry, self.today));
        self.push_date(FieldKey::BirthDate, printed, verdict, date);
    }

    /// The composite check digit over the (repaired) runs it covers; visas have none.
    fn check_composite(&mut self, layout: &Layout) {
        if layout.composite.is_none() {
            return;
        }
        self.tally(if self.composite_holds_with(layout, &[], &[]) {
            Verdict::Confirmed
        } else {
            Verdict::Failed
        });
    }
}

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
use super::check::{check_alphanumeric, check_numeric, digit_for, letter_for, passes, Verdict};
use super::layout::{Layout, MrzFormat, Optional, Pos};
use super::line::MrzLine;
use super::zone::{cells, Printed, Zone};
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
    zone.read_document_number(format, &mut layout);
    zone.read_country(FieldKey::Nationality, layout.nationality);
    let personal_number = zone.read_optional(layout.optional[0]);
    let expiry = zone.read_expiry(layout.expiry);
    zone.read_birth(layout.birth, expiry);
    zone.read_sex(layout.sex);
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

    /// The document number and its check digit. A TD1 number longer than nine characters
    /// (ICAO 9303 part 5) has `<` where its check digit would be and continues in the optional
    /// data up to the next `<`, the last character before it being the check digit; the
    /// optional data then starts after that `<`.
    fn read_document_number(&mut self, format: MrzFormat, layout: &mut Layout) {
        let pos = layout.document_number;
        let mut data = cells(pos);
        let mut check = (pos.line, pos.start + pos.len);
        let continues = format == MrzFormat::Td1
            && self.at(check) == '<'
            && self.at((pos.line, check.1 + 1)) != '<';
        if continues {
            let line = &self.lines[pos.line].chars;
            let from = check.1 + 1;
            let end = (from..line.len())
                .find(|&c| line[c] == '<')
                .unwrap_or(line.len());
            data.extend((from..end - 1).map(|c| (pos.line, c)));
            check = (pos.line, end - 1);
            let optional = &mut layout.optional[0].data;
            optional.start = (end + 1).min(line.len());
            optional.len = line.len() - optional.start;
        }
        let checked = check_alphanumeric(&self.chars(&data), self.at(check), false);
        self.apply(&data, check, &checked);
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

    /// The first optional data field, shown as the personal number when not empty; only TD3's
    /// has a check digit. A national ID number in it is evidence for the birth century.
    fn read_optional(&mut self, optional: Optional) -> Option<String> {
        let data = cells(optional.data);
        let verdict = match optional.check {
            Some(check) => {
                let check = (check.line, check.start);
                let checked = check_alphanumeric(&self.chars(&data), self.at(check), true);
                self.apply(&data, check, &checked);
                checked.verdict
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
        if let Ok(id) = NationalId::parse(&value, self.today) {
            if let BirthDate::Exact(date) = id.birth_date() {
                self.evidence.push(date);
            }
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
        let Some((check, parts)) = &layout.composite else {
            return;
        };
        let data: Vec<char> = parts.iter().flat_map(|&p| self.chars(&cells(p))).collect();
        let check = self.at((check.line, check.start));
        let check = digit_for(check).unwrap_or(check);
        let ok = passes(&data, check, false);
        self.tally(if ok {
            Verdict::Confirmed
        } else {
            Verdict::Failed
        });
    }
}

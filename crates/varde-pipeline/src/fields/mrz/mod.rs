//! Machine-readable zones (ICAO 9303: TD3 passports, TD2 and TD1 cards, MRV-A and MRV-B visas)
//! found in noisy OCR text: lines cleaned and fitted ([`line`]), each format's field positions
//! ([`layout`]), check digits and the repairs they confirm ([`check`]), the century of two-digit
//! years ([`century`]), lines read into fields ([`parse`]) and a reading made a field with its
//! repairs and confidence ([`zone`]).

mod century;
mod check;
mod layout;
mod line;
mod parse;
#[cfg(test)]
mod tests;
mod zone;

use time::Date;
use varde_domain::document::{FieldKey, FieldWarning};

use super::text_index::TextIndex;
use super::{confidence, FieldSet, RawField};

pub(in crate::fields) use century::{birth_date, expiry_date, ymd};
#[cfg(test)]
pub(in crate::fields) use check::check_digit;
use layout::MrzFormat;
use line::MrzLine;
use parse::parse_mrz;

/// A parsed MRZ before it becomes fields.
#[derive(Debug)]
pub(in crate::fields) struct Mrz {
    format: MrzFormat,
    span: (usize, usize),
    fields: Vec<(FieldKey, RawField)>,
    any_check_failed: bool,
    any_repair: bool,
    /// The personal number's characters, for the national ID search.
    pub(in crate::fields) personal_number: Option<String>,
}

impl Mrz {
    /// The zone's own field (its format; `mrz_check_failed` if any check digit failed), then
    /// the fields read from it.
    pub(in crate::fields) fn into_fields(self, out: &mut FieldSet) {
        let confidence = match (self.any_check_failed, self.any_repair) {
            (true, _) => confidence::FAILED,
            (false, true) => confidence::CHECKED_AFTER_REPAIR,
            (false, false) => confidence::CHECKED,
        };
        let mut zone = RawField::new(self.format.name().to_string(), Some(self.span), confidence);
        if self.any_check_failed {
            zone.warnings.push(FieldWarning::MrzCheckFailed);
        }
        out.set(FieldKey::Mrz, zone);
        for (key, field) in self.fields {
            out.set(key, field);
        }
    }
}

/// The first run of lines that reads as an MRZ. `birth_evidence` are full birth dates stated
/// elsewhere in the document (see [`century`]).
pub(in crate::fields) fn find_mrz(
    index: &TextIndex,
    birth_evidence: &[Date],
    today: Date,
) -> Option<Mrz> {
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
    runs.iter().find_map(|run| {
        (0..run.len()).find_map(|start| {
            MrzFormat::ALL.into_iter().find_map(|format| {
                let lines = run.get(start..start + format.lines())?;
                let near = |l: &MrzLine| l.chars.len().abs_diff(format.line_len()) <= 3;
                // A zone always has fillers somewhere (at least the name's `<<`).
                let has_filler = lines.iter().any(|l| l.chars.contains(&'<'));
                if !lines.iter().all(near) || !has_filler {
                    return None;
                }
                parse_mrz(format, lines.to_vec(), birth_evidence, today)
            })
        })
    })
}

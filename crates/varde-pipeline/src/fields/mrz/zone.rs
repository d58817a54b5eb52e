//! The zone being read: its lines, the birth-date evidence, the fields read so far and the
//! tally of its check digits; and how one reading becomes a field (its span, its repairs, its
//! warnings and its confidence on the scale of [`confidence`](super::super::confidence)).

use time::Date;
use varde_domain::document::{FieldKey, FieldWarning, Repair};

use super::super::{confidence, RawField};
use super::check::{Checked, Verdict};
use super::layout::Pos;
use super::line::MrzLine;

/// (line, column) of one character.
pub(super) type Cell = (usize, usize);

pub(super) fn cells(p: Pos) -> Vec<Cell> {
    p.range().map(|column| (p.line, column)).collect()
}

/// The lines being read, and what has been read from them.
pub(super) struct Zone {
    pub(super) lines: Vec<MrzLine>,
    pub(super) today: Date,
    /// Full birth dates stated elsewhere, for the century.
    pub(super) evidence: Vec<Date>,
    pub(super) fields: Vec<(FieldKey, RawField)>,
    pub(super) passed: usize,
    pub(super) failed: bool,
    pub(super) repaired: bool,
}

/// How one field was printed and read, for [`Zone::push`].
pub(super) struct Printed {
    /// The characters of the field as printed (repairs are indexed into these).
    pub(super) cells: Vec<Cell>,
    /// Its check digit, if it has one.
    pub(super) check: Option<Cell>,
    /// How many leading characters of `cells` the value's span covers.
    pub(super) value_len: usize,
}

impl Printed {
    pub(super) fn unchecked(cells: Vec<Cell>, value_len: usize) -> Printed {
        Printed {
            cells,
            check: None,
            value_len,
        }
    }
}

impl Zone {
    pub(super) fn chars(&self, cells: &[Cell]) -> Vec<char> {
        cells.iter().map(|&(l, c)| self.lines[l].chars[c]).collect()
    }

    pub(super) fn set(&mut self, cells: &[Cell], chars: &[char]) {
        for (&(l, c), &ch) in cells.iter().zip(chars) {
            self.lines[l].chars[c] = ch;
        }
    }

    pub(super) fn at(&self, (l, c): Cell) -> char {
        self.lines[l].chars[c]
    }

    /// The field's corrections: every character now different from what the text had; the
    /// check digit counts as the character just after the field.
    pub(super) fn repairs(&self, printed: &Printed) -> Vec<Repair> {
        let all = printed.cells.iter().chain(&printed.check);
        all.enumerate()
            .filter_map(|(i, &(l, c))| {
                let line = &self.lines[l];
                (line.read[c] != line.chars[c]).then(|| Repair {
                    at: i as u32,
                    read: line.read[c].to_string(),
                    corrected: line.chars[c].to_string(),
                })
            })
            .collect()
    }

    pub(super) fn push(
        &mut self,
        key: FieldKey,
        value: String,
        printed: &Printed,
        verdict: Verdict,
        mut warnings: Vec<FieldWarning>,
    ) {
        let repairs = self.repairs(printed);
        let doubtful = warnings.iter().any(|w| {
            matches!(
                w,
                FieldWarning::UnreadableCharacters | FieldWarning::InvalidDate
            )
        });
        let confidence = match (verdict, repairs.is_empty()) {
            _ if doubtful => confidence::FAILED,
            (Verdict::Failed, _) => confidence::FAILED,
            (Verdict::Confirmed, true) => confidence::CHECKED,
            (Verdict::Confirmed, false) => confidence::CHECKED_AFTER_REPAIR,
            (Verdict::Unchecked, true) => confidence::UNCHECKED,
            (Verdict::Unchecked, false) => confidence::UNCHECKED_REPAIRED,
        };
        if verdict == Verdict::Failed {
            warnings.insert(0, FieldWarning::MrzCheckFailed);
        }
        if !repairs.is_empty() {
            warnings.push(FieldWarning::MrzRepaired);
            self.repaired = true;
        }
        let span_cells = &printed.cells[..printed.value_len.min(printed.cells.len())];
        let span = match (span_cells.first(), span_cells.last()) {
            (Some(&(l, s)), Some(&(_, e))) => self.lines[l].span(s..e + 1),
            _ => None,
        };
        let mut field = RawField::new(value, span, confidence);
        field.warnings = warnings;
        field.repairs = repairs;
        self.fields.push((key, field));
    }

    /// Counts a check digit's verdict towards the zone's.
    pub(super) fn tally(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Confirmed => self.passed += 1,
            Verdict::Failed => self.failed = true,
            Verdict::Unchecked => {}
        }
    }

    /// A checked run written back (so the composite sees the repairs) and tallied.
    pub(super) fn apply(&mut self, data: &[Cell], check: Cell, checked: &Checked) {
        if checked.verdict == Verdict::Confirmed {
            self.set(data, &checked.data);
            self.set(&[check], &[checked.check]);
        }
    }
}

//! Units: how a printed spelling is compared (`µ`/`μ`/`u` alike, `x`/`×`, `^`/`*`, superscripts,
//! case and spaces ignored) and the UCUM code it stands for, by the analyte's vocabulary entry
//! or, for any other analyte, by the generic table below.

use super::vocabulary::{vocabulary, Entry, UnitVariant};

/// A unit spelling in comparable form.
pub(super) fn spelling_key(unit: &str) -> String {
    let mut out = String::new();
    for c in unit.trim().chars().flat_map(char::to_lowercase) {
        match c {
            ' ' => {}
            'μ' | 'µ' => out.push('u'),
            '×' => out.push('x'),
            '^' => out.push('*'),
            '⁹' => out.push_str("*9"),
            '¹' => out.push('1'),
            '²' => out.push('2'),
            'º' => out.push('°'),
            _ => out.push(c),
        }
    }
    // `10*9` and `10**9` (a superscript after a caret) alike, and `x10*9/l` as `10*9/l`.
    let out = out.replace("**", "*");
    match out.strip_prefix('x') {
        Some(rest) if rest.starts_with("10") => rest.to_string(),
        _ => out,
    }
}

/// Units of analytes the vocabulary does not code, with their UCUM codes.
const GENERIC_UNITS: &[(&str, &str)] = &[
    ("%", "%"),
    ("g/dl", "g/dL"),
    ("g/l", "g/L"),
    ("mg/l", "mg/L"),
    ("mg/dl", "mg/dL"),
    ("mmol/l", "mmol/L"),
    ("umol/l", "umol/L"),
    ("nmol/l", "nmol/L"),
    ("pmol/l", "pmol/L"),
    ("mmol/mol", "mmol/mol"),
    ("u/l", "U/L"),
    ("e/l", "U/L"),
    ("iu/l", "[IU]/L"),
    ("ie/l", "[IU]/L"),
    ("miu/l", "m[IU]/L"),
    ("mie/l", "m[IU]/L"),
    ("mu/l", "mU/L"),
    ("ku/l", "kU/L"),
    ("ng/ml", "ng/mL"),
    ("ug/l", "ug/L"),
    ("ng/l", "ng/L"),
    ("pg/ml", "pg/mL"),
    ("ug/ml", "ug/mL"),
    ("fl", "fL"),
    ("pg", "pg"),
    ("10*9/l", "10*9/L"),
    ("10*12/l", "10*12/L"),
    ("ml/min", "mL/min"),
    ("mmhg", "mm[Hg]"),
    ("/min", "/min"),
    ("°c", "Cel"),
    ("mm/t", "mm/h"),
    ("mm/h", "mm/h"),
    ("kg", "kg"),
    ("cm", "cm"),
    ("kg/m2", "kg/m2"),
    ("kpa", "kPa"),
    ("mosm/kg", "mosm/kg"),
    ("s", "s"),
];

/// The UCUM code of a unit spelling no vocabulary entry claims.
fn generic_ucum(printed: &str) -> Option<&'static str> {
    let key = spelling_key(printed);
    GENERIC_UNITS
        .iter()
        .find(|(spelling, _)| *spelling == key)
        .map(|(_, ucum)| *ucum)
}

/// Whether `token` is a unit Varde knows, whichever analyte it belongs to.
pub(super) fn known_unit(token: &str) -> bool {
    generic_ucum(token).is_some() || vocabulary().knows_unit(token)
}

/// A printed unit read for an analyte: its UCUM code and, for a coded analyte, the vocabulary's
/// unit it is (whose code and default range then apply).
pub(super) struct ReadUnit<'v> {
    pub(super) ucum: String,
    pub(super) variant: Option<&'v UnitVariant>,
}

/// The unit `printed` is for `entry` (its own spellings first, so an OCR-dropped `µ` in
/// creatinine's `mol/L` is still `umol/L`), else the generic table, else as printed.
pub(super) fn read_unit<'v>(entry: Option<&'v Entry>, printed: &str) -> ReadUnit<'v> {
    if let Some(variant) = entry.and_then(|e| e.unit_spelled(printed)) {
        return ReadUnit {
            ucum: variant.ucum.clone(),
            variant: Some(variant),
        };
    }
    ReadUnit {
        ucum: generic_ucum(printed).map_or_else(|| printed.to_string(), str::to_string),
        variant: None,
    }
}

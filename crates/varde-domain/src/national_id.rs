//! Norwegian national identity numbers: fødselsnummer, D-nummer and H-nummer.
//!
//! A number is 11 digits, `DDMMYY iii k1 k2`: birth date, individual number, two control digits.
//! - D-nummer (Skatteetaten, for people without a fødselsnummer): day + 40, so 41–71.
//! - H-nummer (the health services' help number for patients without either): month + 40.
//! - Today's rule (Skatteetaten, «Fødselsnummer»): k1 and k2 are mod-11 checks with weights
//!   3 7 6 1 8 9 4 5 2 and 5 4 3 2 7 6 5 4 3 2; the individual number together with YY gives the
//!   century, and the third individual digit gives legal sex (odd male, even female).
//! - Rule for numbers issued from 1 January 2032 (Skatteetaten, «Nytt fødselsnummer fra 2032»):
//!   the k1 check may leave remainder 0–3 (so k1 may take up to four values), k2 is unchanged, and
//!   neither century nor sex is encoded, so the birth date is only a hint.
//!
//! Pure: no I/O and no clock; the caller passes `today`. The number is personal health
//! information, so neither `Debug`, `Display` nor any error message shows its digits.

use std::fmt;

use serde::Serialize;
use thiserror::Error;
use time::{Date, Month};

const LEN: usize = 11;

/// Weights over `DDMMYYiii k1`. With k1 weighted 1, "k1 = 11 − s mod 11 (11→0, 10 invalid)" is
/// the same as "the weighted sum is divisible by 11", which also states the 2032 rule directly.
const K1_WEIGHTS: [u32; 10] = [3, 7, 6, 1, 8, 9, 4, 5, 2, 1];
/// Weights over `DDMMYYiii k1 k2`; the same check under both rules.
const K2_WEIGHTS: [u32; 11] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1];

/// Which kind of number it is, read from the date offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NationalIdKind {
    Fodselsnummer,
    /// Day + 40.
    DNumber,
    /// Month + 40.
    HNumber,
}

impl fmt::Display for NationalIdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NationalIdKind::Fodselsnummer => "fødselsnummer",
            NationalIdKind::DNumber => "D-nummer",
            NationalIdKind::HNumber => "H-nummer",
        })
    }
}

/// Which control-digit rule the number satisfies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlRule {
    /// The rule in force today; century and legal sex are encoded.
    Current,
    /// The rule for numbers issued from 1 January 2032; nothing but the date is encoded.
    From2032,
}

/// The birth date a number gives: exact under today's rule, a best guess under the 2032 rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "precision", content = "date", rename_all = "snake_case")]
pub enum BirthDate {
    Exact(Date),
    Hint(Date),
}

impl BirthDate {
    /// The date, whether exact or a hint.
    pub fn date(self) -> Date {
        match self {
            BirthDate::Exact(date) | BirthDate::Hint(date) => date,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalSex {
    Female,
    Male,
}

/// A validated number. `Debug` and `Display` never print the digits (they are PHI).
#[derive(Clone, PartialEq, Eq)]
pub struct NationalId {
    /// Exactly 11 ASCII digits.
    digits: String,
    kind: NationalIdKind,
    rule: ControlRule,
    birth_date: BirthDate,
    legal_sex: Option<LegalSex>,
}

/// Why a number was refused. Messages say what to fix and never contain the number's digits;
/// they read as the reason after a prefix naming the number ("invalid national ID number: …").
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NationalIdError {
    #[error("it must have 11 digits; {}", given(.found))]
    WrongLength { found: usize },
    #[error("it may contain only digits (one space after the first six is allowed)")]
    NotDigits,
    #[error(
        "the first six digits are not a valid date (DDMMYY; a D-nummer adds 40 to the day, \
         an H-nummer adds 40 to the month)"
    )]
    InvalidDate,
    #[error(
        "the individual number (digits 7 to 9) was not issued for this birth year, and the first \
         control digit does not fit the newer rule either (mistyped digit?)"
    )]
    NoCentury,
    #[error("the control digits do not match (mistyped digit?)")]
    ControlDigitMismatch,
}

/// The count for `WrongLength`; capped so the message never shows a run of three digits.
fn given(found: &usize) -> String {
    match found {
        1 => "1 was given".to_owned(),
        0..=99 => format!("{found} were given"),
        _ => "more than 99 were given".to_owned(),
    }
}

impl NationalId {
    /// Validates `input` (surrounding whitespace and one space after the date part are allowed).
    /// `today` places a 2032-rule birth date in the right century.
    pub fn parse(input: &str, today: Date) -> Result<NationalId, NationalIdError> {
        let ascii = normalize(input)?;
        let d = ascii.map(|b| b - b'0');
        let (kind, day, month) = split_date(&d).ok_or(NationalIdError::InvalidDate)?;
        let yy = d[4] * 10 + d[5];
        let individual = u16::from(d[6]) * 100 + u16::from(d[7]) * 10 + u16::from(d[8]);

        let century = current_rule_century(individual, yy);
        // Today's rule gives the exact date; one after today cannot have been issued under it
        // (the number may still be a 2032-rule one, whose date is only a hint).
        let exact = century
            .and_then(|c| calendar_date(c + i32::from(yy), month, day))
            .filter(|date| *date <= today);
        let hint = hint_birth_date(yy, month, day, today);
        // The 2032 candidates (1900s, 2000s) cover every leap day today's centuries can give.
        if exact.is_none() && hint.is_none() {
            return Err(NationalIdError::InvalidDate);
        }

        let k1_remainder = weighted_remainder(&d[..10], &K1_WEIGHTS);
        let k2_ok = weighted_remainder(&d, &K2_WEIGHTS) == 0;
        // Today's rule first: every number valid today stays valid, and it says more.
        let (rule, birth_date, legal_sex) = match (exact, hint) {
            (Some(date), _) if k1_remainder == 0 && k2_ok => {
                let sex = if d[8] % 2 == 1 {
                    LegalSex::Male
                } else {
                    LegalSex::Female
                };
                (ControlRule::Current, BirthDate::Exact(date), Some(sex))
            }
            (_, Some(date)) if k1_remainder <= 3 && k2_ok => {
                (ControlRule::From2032, BirthDate::Hint(date), None)
            }
            _ if century.is_none() && k1_remainder > 3 => return Err(NationalIdError::NoCentury),
            _ => return Err(NationalIdError::ControlDigitMismatch),
        };

        Ok(NationalId {
            digits: ascii.iter().map(|&b| char::from(b)).collect(),
            kind,
            rule,
            birth_date,
            legal_sex,
        })
    }

    /// The 11 digits. PHI: do not log.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    pub fn kind(&self) -> NationalIdKind {
        self.kind
    }

    pub fn rule(&self) -> ControlRule {
        self.rule
    }

    pub fn birth_date(&self) -> BirthDate {
        self.birth_date
    }

    /// Whether the number can belong to someone born on `date_of_birth`: the same date under
    /// today's rule; under the 2032 rule, whose date is only a hint (the century is not
    /// encoded), the same day and month.
    pub fn is_consistent_with_birth_date(&self, date_of_birth: Date) -> bool {
        match self.birth_date {
            BirthDate::Exact(date) => date == date_of_birth,
            BirthDate::Hint(date) => {
                (date.day(), date.month()) == (date_of_birth.day(), date_of_birth.month())
            }
        }
    }

    /// Legal sex; `None` under the 2032 rule, which no longer encodes it.
    pub fn legal_sex(&self) -> Option<LegalSex> {
        self.legal_sex
    }

    /// The date part followed by five asterisks, for display.
    pub fn masked(&self) -> String {
        format!("{}*****", &self.digits[..6])
    }
}

impl fmt::Debug for NationalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NationalId({}, ***********)", self.kind)
    }
}

impl fmt::Display for NationalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ***********", self.kind)
    }
}

/// Trims, drops one space after the date part (as numbers are often written), and checks that
/// exactly 11 ASCII digits remain.
fn normalize(input: &str) -> Result<[u8; LEN], NationalIdError> {
    let bytes = input.trim().as_bytes();
    let joined;
    let bytes = if bytes.get(6) == Some(&b' ') && bytes[..6].iter().all(u8::is_ascii_digit) {
        joined = [&bytes[..6], &bytes[7..]].concat();
        &joined[..]
    } else {
        bytes
    };
    if !bytes.iter().all(u8::is_ascii_digit) {
        return Err(NationalIdError::NotDigits);
    }
    bytes
        .try_into()
        .map_err(|_| NationalIdError::WrongLength { found: bytes.len() })
}

/// The kind, and day and month with the D-/H-nummer offset removed; `None` if out of range.
fn split_date(d: &[u8; LEN]) -> Option<(NationalIdKind, u8, u8)> {
    let day = d[0] * 10 + d[1];
    let month = d[2] * 10 + d[3];
    match (day, month) {
        (1..=31, 1..=12) => Some((NationalIdKind::Fodselsnummer, day, month)),
        (41..=71, 1..=12) => Some((NationalIdKind::DNumber, day - 40, month)),
        (1..=31, 41..=52) => Some((NationalIdKind::HNumber, day, month - 40)),
        _ => None,
    }
}

fn weighted_remainder(digits: &[u8], weights: &[u32]) -> u32 {
    let sum: u32 = digits
        .iter()
        .zip(weights)
        .map(|(&d, &w)| u32::from(d) * w)
        .sum();
    sum % 11
}

/// The century today's rule assigns to an individual number and YY; `None` for combinations it
/// never issues.
fn current_rule_century(individual: u16, yy: u8) -> Option<i32> {
    match (individual, yy) {
        (0..=499, _) => Some(1900),
        (500..=749, 54..=99) => Some(1800),
        (500..=999, 0..=39) => Some(2000),
        (900..=999, 40..=99) => Some(1900),
        _ => None,
    }
}

/// The 2032 rule's birth-date guess: the most recent of 20YY and 19YY that is a real date not
/// after `today`, else the earliest real one. `None` if neither is a real date.
fn hint_birth_date(yy: u8, month: u8, day: u8, today: Date) -> Option<Date> {
    let mut earliest = None;
    for century in [2000, 1900] {
        if let Some(date) = calendar_date(century + i32::from(yy), month, day) {
            if date <= today {
                return Some(date);
            }
            earliest = Some(date);
        }
    }
    earliest
}

fn calendar_date(year: i32, month: u8, day: u8) -> Option<Date> {
    let month = Month::try_from(month).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 01 - 15);

    /// Appends control digits to nine digits, straight from the published formulas: k1 chosen so
    /// the k1 sum leaves `k1_remainder` (0 is today's rule; 0–3 are the 2032 variants), k2 by the
    /// unchanged rule. `None` when a control digit would be 10.
    fn with_controls(first9: &str, k1_remainder: u32) -> Option<String> {
        assert_eq!(first9.len(), 9);
        let mut d: Vec<u32> = first9.bytes().map(|b| u32::from(b - b'0')).collect();
        let s1: u32 = d
            .iter()
            .zip([3, 7, 6, 1, 8, 9, 4, 5, 2])
            .map(|(x, w)| x * w)
            .sum();
        let k1 = (11 + k1_remainder - s1 % 11) % 11;
        if k1 == 10 {
            return None;
        }
        d.push(k1);
        let s2: u32 = d
            .iter()
            .zip([5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
            .map(|(x, w)| x * w)
            .sum();
        let k2 = match 11 - s2 % 11 {
            11 => 0,
            10 => return None,
            k => k,
        };
        d.push(k2);
        Some(
            d.iter()
                .map(|x| char::from_digit(*x, 10).unwrap())
                .collect(),
        )
    }

    /// A number valid under today's rule for `date6` and an individual number in `individuals`.
    fn current(date6: &str, individuals: std::ops::RangeInclusive<u16>) -> String {
        individuals
            .filter_map(|i| with_controls(&format!("{date6}{i:03}"), 0))
            .next()
            .expect("some individual number in the range has valid control digits")
    }

    /// The four numbers the 2032 rule allows for `date6`, for the first individual number in
    /// `individuals` where all four k1 variants have a valid k2.
    fn all_2032(date6: &str, individuals: std::ops::RangeInclusive<u16>) -> Vec<String> {
        individuals
            .filter_map(|i| {
                (0..=3)
                    .map(|r| with_controls(&format!("{date6}{i:03}"), r))
                    .collect::<Option<Vec<_>>>()
            })
            .next()
            .expect("some individual number has all four variants")
    }

    fn parse(s: &str) -> Result<NationalId, NationalIdError> {
        NationalId::parse(s, TODAY)
    }

    #[test]
    fn helper_matches_hand_checked_literals() {
        assert_eq!(current("010190", 0..=499), "01019000083");
        assert_eq!(current("150360", 500..=749), "15036050281");
        assert_eq!(
            all_2032("150545", 750..=899),
            ["15054575030", "15054575049", "15054575057", "15054575065"]
        );
    }

    #[test]
    fn hand_checked_literal_is_valid_fodselsnummer() {
        let id = parse("01019000083").unwrap();
        assert_eq!(id.kind(), NationalIdKind::Fodselsnummer);
        assert_eq!(id.rule(), ControlRule::Current);
        assert_eq!(id.birth_date(), BirthDate::Exact(date!(1990 - 01 - 01)));
        assert_eq!(id.legal_sex(), Some(LegalSex::Female));
        assert_eq!(id.as_str(), "01019000083");
        assert_eq!(id.masked(), "010190*****");
    }

    #[test]
    fn each_century_band_gives_exact_date_and_sex() {
        let cases = [
            ("150360", 500..=749, date!(1860 - 03 - 15)),
            ("150360", 0..=499, date!(1960 - 03 - 15)),
            ("150345", 900..=999, date!(1945 - 03 - 15)),
            ("150312", 500..=999, date!(2012 - 03 - 15)),
            ("150312", 0..=499, date!(1912 - 03 - 15)),
        ];
        for (date6, individuals, expected) in cases {
            let number = current(date6, individuals);
            let id = parse(&number).unwrap();
            assert_eq!(id.rule(), ControlRule::Current, "{date6}");
            assert_eq!(id.birth_date(), BirthDate::Exact(expected));
            let sex = if (number.as_bytes()[8] - b'0') % 2 == 1 {
                LegalSex::Male
            } else {
                LegalSex::Female
            };
            assert_eq!(id.legal_sex(), Some(sex));
        }
    }

    #[test]
    fn third_individual_digit_gives_legal_sex() {
        for i in 0..=499u16 {
            if let Some(number) = with_controls(&format!("010190{i:03}"), 0) {
                let expected = if i % 2 == 1 {
                    LegalSex::Male
                } else {
                    LegalSex::Female
                };
                assert_eq!(parse(&number).unwrap().legal_sex(), Some(expected));
            }
        }
    }

    #[test]
    fn d_nummer_has_day_plus_40() {
        let id = parse(&current("550190", 0..=499)).unwrap();
        assert_eq!(id.kind(), NationalIdKind::DNumber);
        assert_eq!(id.birth_date(), BirthDate::Exact(date!(1990 - 01 - 15)));
        assert!(parse(&current("710190", 0..=499)).is_ok());
        assert_eq!(
            parse(&current("720190", 0..=499)),
            Err(NationalIdError::InvalidDate)
        );
    }

    #[test]
    fn h_nummer_has_month_plus_40() {
        let id = parse(&current("155290", 0..=499)).unwrap();
        assert_eq!(id.kind(), NationalIdKind::HNumber);
        assert_eq!(id.birth_date(), BirthDate::Exact(date!(1990 - 12 - 15)));
        assert!(id.legal_sex().is_some());
    }

    #[test]
    fn d_and_h_offsets_together_are_refused() {
        assert_eq!(
            parse(&current("554190", 0..=499)),
            Err(NationalIdError::InvalidDate)
        );
    }

    #[test]
    fn leap_day_only_in_leap_years() {
        let id = parse(&current("290200", 500..=999)).unwrap();
        assert_eq!(id.birth_date(), BirthDate::Exact(date!(2000 - 02 - 29)));
        let id = parse(&current("290296", 0..=499)).unwrap();
        assert_eq!(id.birth_date(), BirthDate::Exact(date!(1996 - 02 - 29)));
        let id = parse(&current("290256", 500..=749)).unwrap();
        assert_eq!(id.birth_date(), BirthDate::Exact(date!(1856 - 02 - 29)));
        // 1901 and 2001 are not leap years: no candidate century makes this a date.
        assert_eq!(
            parse(&current("290201", 0..=499)),
            Err(NationalIdError::InvalidDate)
        );
    }

    #[test]
    fn leap_day_1900_is_not_exact_but_fits_2032_rule_as_2000() {
        // Today's rule puts individual 000–499 in 1900, which had no 29 February; the 2032 rule
        // does not tie the century to the individual number, and 29.02.2000 exists.
        let id = parse(&current("290200", 0..=499)).unwrap();
        assert_eq!(id.rule(), ControlRule::From2032);
        assert_eq!(id.birth_date(), BirthDate::Hint(date!(2000 - 02 - 29)));
        assert_eq!(id.legal_sex(), None);
    }

    #[test]
    fn all_four_2032_k1_variants_are_accepted() {
        // 750–899 with YY 40–99 is never issued under today's rule, so only the 2032 rule applies.
        let variants = all_2032("150545", 750..=899);
        let k1s: std::collections::HashSet<_> = variants.iter().map(|n| &n[9..10]).collect();
        assert_eq!(k1s.len(), 4);
        for number in &variants {
            let id = parse(number).unwrap();
            assert_eq!(id.rule(), ControlRule::From2032);
            assert_eq!(id.birth_date(), BirthDate::Hint(date!(1945 - 05 - 15)));
            assert_eq!(id.legal_sex(), None);
            assert_eq!(id.kind(), NationalIdKind::Fodselsnummer);
        }
    }

    #[test]
    fn today_rule_wins_when_both_match() {
        let variants = all_2032("010190", 0..=499);
        assert_eq!(parse(&variants[0]).unwrap().rule(), ControlRule::Current);
        for number in &variants[1..] {
            let id = parse(number).unwrap();
            assert_eq!(id.rule(), ControlRule::From2032);
            assert_eq!(id.birth_date(), BirthDate::Hint(date!(1990 - 01 - 01)));
        }
    }

    #[test]
    fn k1_remainder_above_3_is_refused() {
        for r in 4..=10 {
            if let Some(number) = with_controls("010190123", r) {
                assert_eq!(parse(&number), Err(NationalIdError::ControlDigitMismatch));
            }
        }
    }

    #[test]
    fn from_2032_hint_is_latest_century_not_in_future() {
        let variants = all_2032("150545", 750..=899);
        let hint = |today| NationalId::parse(&variants[1], today).unwrap().birth_date();
        assert_eq!(
            hint(date!(2030 - 01 - 01)),
            BirthDate::Hint(date!(1945 - 05 - 15))
        );
        assert_eq!(
            hint(date!(2045 - 05 - 15)),
            BirthDate::Hint(date!(2045 - 05 - 15))
        );
        assert_eq!(
            hint(date!(2046 - 01 - 01)),
            BirthDate::Hint(date!(2045 - 05 - 15))
        );
        // A child born after 2032 with a low individual number: a 2000s hint.
        let child = all_2032("010133", 0..=499);
        let id = NationalId::parse(&child[2], date!(2034 - 06 - 01)).unwrap();
        assert_eq!(id.birth_date(), BirthDate::Hint(date!(2033 - 01 - 01)));
    }

    #[test]
    fn hint_uses_20th_century_if_only_it_has_the_date() {
        // Both centuries in the future: the earlier one.
        assert_eq!(
            hint_birth_date(45, 5, 15, date!(1800 - 01 - 01)),
            Some(date!(1945 - 05 - 15))
        );
        assert_eq!(hint_birth_date(1, 2, 29, TODAY), None);
    }

    #[test]
    fn wrong_length_reports_count() {
        assert_eq!(
            parse("0101900005"),
            Err(NationalIdError::WrongLength { found: 10 })
        );
        assert_eq!(
            parse("010190000500"),
            Err(NationalIdError::WrongLength { found: 12 })
        );
        assert_eq!(parse(""), Err(NationalIdError::WrongLength { found: 0 }));
        assert_eq!(
            parse("010190 0005"),
            Err(NationalIdError::WrongLength { found: 10 })
        );
        assert_eq!(
            NationalIdError::WrongLength { found: 10 }.to_string(),
            "it must have 11 digits; 10 were given"
        );
    }

    #[test]
    fn non_digits_are_refused() {
        for input in [
            "0101900005a",
            "01019O00050",
            "010190-00050",
            "010190  00050",
            "01019 000050",
            "0101 9000050",
            "010190 000 50",
            "０1019000050",
            "+1019000050",
        ] {
            assert_eq!(parse(input), Err(NationalIdError::NotDigits), "{input}");
        }
    }

    #[test]
    fn invalid_dates_are_refused() {
        for date6 in [
            "000190", "320190", "400190", "010090", "011390", "310490", "015390",
        ] {
            assert_eq!(
                parse(&current(date6, 0..=499)),
                Err(NationalIdError::InvalidDate),
                "{date6}"
            );
        }
    }

    #[test]
    fn no_century_when_combination_unissued_and_k1_fails_2032() {
        // 500–749 with YY 40–53 and 750–899 with YY 40–99 are not issued under today's rule.
        for first9 in ["150545800", "150545600"] {
            let number = with_controls(first9, 5).unwrap();
            assert_eq!(parse(&number), Err(NationalIdError::NoCentury), "{first9}");
        }
    }

    #[test]
    fn wrong_control_digits_are_refused() {
        let mut number = current("010190", 0..=499).into_bytes();
        number[10] = b'0' + (number[10] - b'0' + 1) % 10;
        let number = String::from_utf8(number).unwrap();
        assert_eq!(parse(&number), Err(NationalIdError::ControlDigitMismatch));
    }

    #[test]
    fn every_single_digit_typo_is_refused() {
        // k2 weights every digit by a non-zero factor mod 11, under both rules.
        let mut valid = vec![
            current("010190", 0..=499),
            current("550190", 0..=499),
            current("155290", 0..=499),
            current("290200", 500..=999),
            current("150360", 500..=749),
        ];
        valid.extend(all_2032("150545", 750..=899));
        for number in valid {
            assert!(parse(&number).is_ok());
            for pos in 0..LEN {
                for digit in b'0'..=b'9' {
                    let mut typo = number.clone().into_bytes();
                    if typo[pos] == digit {
                        continue;
                    }
                    typo[pos] = digit;
                    let typo = String::from_utf8(typo).unwrap();
                    assert!(parse(&typo).is_err(), "typo at position {pos} accepted");
                }
            }
        }
    }

    #[test]
    fn error_messages_contain_no_digit_runs() {
        let long = "1234567890".repeat(13);
        let inputs = [
            "01019000051".to_owned(),
            "1234567890".to_owned(),
            "123456789012".to_owned(),
            "12345678901a".to_owned(),
            "32019000050".to_owned(),
            with_controls("150545800", 5).unwrap(),
            long,
        ];
        for input in &inputs {
            let err = parse(input).unwrap_err();
            let message = err.to_string();
            let digits: Vec<char> = input.chars().filter(char::is_ascii_digit).collect();
            for window in digits.windows(3) {
                let window: String = window.iter().collect();
                assert!(!message.contains(&window), "{message}");
            }
            // Stronger: no run of three digits at all.
            let longest_run = message
                .split(|c: char| !c.is_ascii_digit())
                .map(str::len)
                .max()
                .unwrap_or(0);
            assert!(longest_run < 3, "{message}");
        }
    }

    #[test]
    fn debug_and_display_hide_the_digits() {
        let id = parse(&current("550190", 0..=499)).unwrap();
        let debug = format!("{id:?}");
        let display = id.to_string();
        assert_eq!(debug, "NationalId(D-nummer, ***********)");
        assert_eq!(display, "D-nummer ***********");
        for shown in [debug, display] {
            assert!(!shown.chars().any(|c| c.is_ascii_digit()), "{shown}");
        }
    }

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        let id = parse(" \t01019000083\n").unwrap();
        assert_eq!(id.as_str(), "01019000083");
    }

    #[test]
    fn one_space_after_date_part_is_accepted() {
        let id = parse("010190 00083").unwrap();
        assert_eq!(id.as_str(), "01019000083");
        assert_eq!(id.masked(), "010190*****");
    }

    #[test]
    fn a_birth_date_after_today_is_refused_under_todays_rule() {
        // 2026-06-01 is after TODAY: today's rule cannot have issued it. Its controls satisfy the
        // 2032 rule too (remainder 0 is one of its four), which places the hint in the past.
        let number = current("010626", 500..=999);
        let id = parse(&number).unwrap();
        assert_eq!(id.rule(), ControlRule::From2032);
        assert_eq!(id.birth_date(), BirthDate::Hint(date!(1926 - 06 - 01)));
        assert_eq!(id.legal_sex(), None);
        // The same number once the day has come is today's rule again.
        let later = NationalId::parse(&number, date!(2026 - 06 - 01)).unwrap();
        assert_eq!(later.rule(), ControlRule::Current);
        assert_eq!(later.birth_date(), BirthDate::Exact(date!(2026 - 06 - 01)));
    }

    #[test]
    fn consistency_with_a_birth_date_is_exact_under_todays_rule_and_day_month_under_2032() {
        let id = parse(&current("150360", 0..=499)).unwrap();
        assert!(id.is_consistent_with_birth_date(date!(1960 - 03 - 15)));
        assert!(!id.is_consistent_with_birth_date(date!(1860 - 03 - 15)));
        assert!(!id.is_consistent_with_birth_date(date!(1960 - 03 - 16)));
        let hint = parse(&all_2032("150545", 750..=899)[1]).unwrap();
        assert_eq!(hint.rule(), ControlRule::From2032);
        assert!(hint.is_consistent_with_birth_date(date!(1945 - 05 - 15)));
        assert!(hint.is_consistent_with_birth_date(date!(2045 - 05 - 15)));
        assert!(hint.is_consistent_with_birth_date(date!(1845 - 05 - 15)));
        assert!(!hint.is_consistent_with_birth_date(date!(1945 - 05 - 16)));
    }

    #[test]
    fn error_messages_read_as_the_reason_after_a_prefix_naming_the_number() {
        for err in [
            NationalIdError::WrongLength { found: 9 },
            NationalIdError::NotDigits,
            NationalIdError::InvalidDate,
            NationalIdError::NoCentury,
            NationalIdError::ControlDigitMismatch,
        ] {
            let message = err.to_string();
            assert!(!message.contains("national ID number"), "{message}");
        }
        assert_eq!(
            NationalIdError::WrongLength { found: 9 }.to_string(),
            "it must have 11 digits; 9 were given"
        );
    }
}

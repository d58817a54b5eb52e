//! Which century an MRZ's two-digit years are in.
//!
//! Birth: the MRZ writes `YYMMDD`; the century is taken, in this order, from
//! 1. another reading of the same day in the document with a four-digit year (the visual
//!    zone's date of birth) or a national ID number whose today's-rule century gives it, for
//!    the same day, month and two-digit year;
//! 2. otherwise the latest of 20YY and 19YY that is neither after today nor on or after the
//!    document's expiry date (nobody holds a document that expired before they were born);
//! 3. otherwise 19YY.
//!
//! So a birth date is never in the future, and someone born 1921–1926 reads as such whenever
//! the document says so anywhere; without that evidence `21`–`26` stays the arithmetic guess
//! 2021–2026 (a child), which the reviewer sees next to the visual zone.
//!
//! Expiry: 20YY, unless that is more than [`EXPIRY_YEARS_AHEAD`] years from today (no document
//! is valid that long), then 19YY.

use time::{Date, Month};

/// No travel document is issued for longer than this many years.
pub(in crate::fields) const EXPIRY_YEARS_AHEAD: i32 = 20;

pub(in crate::fields) fn ymd(year: i32, month: u32, day: u32) -> Option<Date> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// The birth date `yy-mm-dd` is; `None` if it is not a real date in either century.
pub(in crate::fields) fn birth_date(
    (yy, mm, dd): (u32, u32, u32),
    evidence: &[Date],
    expiry: Option<Date>,
    today: Date,
) -> Option<Date> {
    let same_day = |d: &&Date| {
        (
            u32::from(d.day()),
            u32::from(u8::from(d.month())),
            d.year() % 100,
        ) == (dd, mm, yy as i32)
    };
    if let Some(&stated) = evidence.iter().filter(|d| **d <= today).find(same_day) {
        return Some(stated);
    }
    let candidates: Vec<Date> = [2000, 1900]
        .iter()
        .filter_map(|century| ymd(century + yy as i32, mm, dd))
        .collect();
    let possible = |d: &&Date| **d <= today && expiry.is_none_or(|e| **d < e);
    candidates
        .iter()
        .find(possible)
        .or(candidates.last())
        .copied()
}

/// The expiry date `yy-mm-dd` is; `None` if it is not a real date.
pub(in crate::fields) fn expiry_date((yy, mm, dd): (u32, u32, u32), today: Date) -> Option<Date> {
    let this_century = 2000 + yy as i32;
    let year = if this_century > today.year() + EXPIRY_YEARS_AHEAD {
        this_century - 100
    } else {
        this_century
    };
    ymd(year, mm, dd)
}

/// `YYMMDD` digits as numbers.
pub(in crate::fields) fn yymmdd(d: &[char]) -> Option<(u32, u32, u32)> {
    let n = |a: char, b: char| Some(a.to_digit(10)? * 10 + b.to_digit(10)?);
    Some((n(d[0], d[1])?, n(d[2], d[3])?, n(d[4], d[5])?))
}

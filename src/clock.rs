//! Timestamps as Varde writes them: UTC, RFC 3339, millisecond precision, fixed width, so that
//! text order is time order in the database and in the audit log.

use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// The current time in UTC.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// `2026-11-22T07:01:02.123Z`.
pub fn format(ts: OffsetDateTime) -> String {
    let fmt =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    ts.to_offset(UtcOffset::UTC)
        .format(&fmt)
        .expect("a UTC timestamp always formats")
}

/// `2026-11-22`.
pub fn format_date(d: time::Date) -> String {
    d.format(format_description!("[year]-[month]-[day]"))
        .expect("a date always formats")
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<time::Date> {
    time::Date::parse(s.trim(), format_description!("[year]-[month]-[day]")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn timestamps_are_fixed_width_utc_and_round_trip() {
        let t = datetime!(2026-11-22 07:01:02.123456 +01:00);
        let s = format(t);
        assert_eq!(s, "2026-11-22T06:01:02.123Z");
        let parsed = OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339);
        assert_eq!(parsed.unwrap(), datetime!(2026-11-22 06:01:02.123 UTC));
    }

    #[test]
    fn dates_parse_strictly() {
        assert!(parse_date("1990-02-28").is_some());
        assert!(parse_date("1990-02-30").is_none());
        assert!(parse_date("28.02.1990").is_none());
    }
}

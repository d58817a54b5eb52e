//! Retention: when a closed case becomes due for automatic purge.

use time::{Duration, OffsetDateTime};

/// A case is purged `retention_days` after it closed (approved or rejected). Open cases are never due.
pub fn purge_after(
    closed_at: Option<OffsetDateTime>,
    retention_days: u32,
) -> Option<OffsetDateTime> {
    closed_at.map(|at| at + Duration::days(i64::from(retention_days)))
}

/// Whether a case whose purge date is `purge_after` is due at `now`.
pub fn is_due(purge_after: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    purge_after.is_some_and(|at| at <= now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_closed_case_is_due_after_the_retention_period_and_not_before() {
        let closed = datetime!(2026-01-01 12:00 UTC);
        let due = purge_after(Some(closed), 365).unwrap();
        assert_eq!(due, datetime!(2027-01-01 12:00 UTC));
        assert!(!is_due(Some(due), datetime!(2027-01-01 11:59 UTC)));
        assert!(is_due(Some(due), datetime!(2027-01-01 12:00 UTC)));
    }

    #[test]
    fn an_open_case_is_never_due() {
        assert_eq!(purge_after(None, 0), None);
        assert!(!is_due(None, datetime!(2100-01-01 0:00 UTC)));
    }
}

//! Calendar dates and times of instants, in UTC, without a date library.

use std::time::{SystemTime, UNIX_EPOCH};

const MICROS_A_DAY: i64 = 86_400_000_000;

/// An instant's date and time of day in UTC, to the microsecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utc {
    /// The year (proleptic Gregorian).
    pub year: i64,
    /// 1 to 12.
    pub month: i64,
    /// 1 to 31.
    pub day: i64,
    /// 0 to 23.
    pub hour: i64,
    /// 0 to 59.
    pub minute: i64,
    /// 0 to 59.
    pub second: i64,
    /// Microseconds into the second.
    pub micro: i64,
}

impl Utc {
    /// The date and time of `instant`.
    pub fn of(instant: SystemTime) -> Utc {
        let micros = match instant.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_micros()).unwrap_or(i64::MAX),
            Err(before) => -i64::try_from(before.duration().as_micros()).unwrap_or(i64::MAX),
        };
        let (days, rest) = (
            micros.div_euclid(MICROS_A_DAY),
            micros.rem_euclid(MICROS_A_DAY),
        );
        let (year, month, day) = civil_date(days);
        let seconds = rest / 1_000_000;
        Utc {
            year,
            month,
            day,
            hour: seconds / 3600,
            minute: seconds / 60 % 60,
            second: seconds % 60,
            micro: rest % 1_000_000,
        }
    }

    /// The date and time now.
    pub fn now() -> Utc {
        Utc::of(SystemTime::now())
    }

    /// RFC 3339 to the microsecond: `2026-12-06T14:03:53.120000Z`.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second, self.micro
        )
    }

    /// A TMX basic ISO date: `20261206T140353Z`.
    pub fn tmx(&self) -> String {
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// The date (year, month, day) `days` after 1970-01-01 (Howard Hinnant's
/// algorithm, proleptic Gregorian calendar).
fn civil_date(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(micros: i64) -> Utc {
        let offset = Duration::from_micros(micros.unsigned_abs());
        Utc::of(if micros >= 0 {
            UNIX_EPOCH + offset
        } else {
            UNIX_EPOCH - offset
        })
    }

    #[test]
    fn instants_have_their_calendar_dates() {
        assert_eq!(at(0).rfc3339(), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(-1).rfc3339(), "1969-12-31T23:59:59.999999Z");
        // A leap day, and the day after it.
        assert_eq!(
            at(951_782_400_000_000).rfc3339(),
            "2000-02-29T00:00:00.000000Z"
        );
        assert_eq!(
            at(951_868_800_000_000).rfc3339(),
            "2000-03-01T00:00:00.000000Z"
        );
        let instant = at(1_796_565_833_123_456);
        assert_eq!(instant.rfc3339(), "2026-12-06T14:03:53.123456Z");
        assert_eq!(instant.tmx(), "20261206T140353Z");
    }
}

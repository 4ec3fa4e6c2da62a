//! Calendar dates without a clock or a time-zone database: a `Date` is a day
//! number, so promotions, tier windows, expiry and survey waits are exact
//! integer arithmetic. The browser layer passes "today" in; the core never
//! asks for it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A day in the proleptic Gregorian calendar, counted from 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

impl Date {
    /// `None` for a day that does not exist (2026-02-30) or a year outside 1..=9999.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// The date of a Unix timestamp in milliseconds, in UTC.
    pub fn from_unix_ms(ms: f64) -> Date {
        Date((ms / 86_400_000.0).floor() as i32)
    }

    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Parses "YYYY-MM-DD"; a full timestamp ("2026-03-31T10:00:00Z") is read for its date part.
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() < 10
            || b.get(4) != Some(&b'-')
            || b.get(7) != Some(&b'-')
            || !matches!(b.get(10), None | Some(b'T' | b' '))
        {
            return None;
        }
        let num = |s: &str| if s.bytes().all(|c| c.is_ascii_digit()) { s.parse().ok() } else { None };
        Date::from_ymd(num(text.get(0..4)?)? as i32, num(text.get(5..7)?)?, num(text.get(8..10)?)?)
    }

    pub fn add_days(self, days: i32) -> Date {
        Date(self.0.saturating_add(days))
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i32 {
        later.0 - self.0
    }

    /// The same day `months` later, clamped to the month's end (Jan 31 + 1 month = Feb 28/29).
    pub fn add_months(self, months: i32) -> Date {
        let (y, m, d) = self.ymd();
        let total = y * 12 + (m as i32 - 1) + months;
        let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        let day = d.min(days_in_month(year, month));
        Date(days_from_civil(year, month, day))
    }

    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// January 1st of this date's year.
    pub fn start_of_year(self) -> Date {
        Date(days_from_civil(self.year(), 1, 1))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected a date such as \"2026-03-31\", found {}",
                crate::message::Quoted(&text)
            ))
        })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date", "examples": ["2026-03-31"] })
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for every
// Gregorian date, no tables, no floats.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(Date::parse("1970-01-01"), Some(Date(0)));
        assert_eq!(Date::parse("2000-03-01"), Some(Date(11_017)));
        assert_eq!(Date::parse("2026-11-25T14:00:00Z").unwrap().to_string(), "2026-11-25");
        assert_eq!(Date::from_unix_ms(1_764_079_200_000.0).to_string(), "2025-11-25");
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let start = Date::parse("1900-01-01").unwrap();
        for n in 0..146_097 {
            let d = start.add_days(n);
            let (y, m, day) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, day), Some(d));
        }
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in ["2026-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "31.03.2026", "2026-3-1", "2026-03-01x", ""]
        {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some());
    }

    #[test]
    fn months_clamp_to_the_month_end() {
        let d = |s| Date::parse(s).unwrap();
        assert_eq!(d("2026-01-31").add_months(1), d("2026-02-28"));
        assert_eq!(d("2024-01-31").add_months(1), d("2024-02-29"));
        assert_eq!(d("2026-11-15").add_months(3), d("2027-02-15"));
        assert_eq!(d("2026-03-31").add_months(-13), d("2025-02-28"));
        assert_eq!(d("2026-07-04").start_of_year(), d("2026-01-01"));
        assert_eq!(d("2026-03-01").days_until(d("2026-03-31")), 30);
    }
}

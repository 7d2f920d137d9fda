//! Dates as people write them (dd/mm/yyyy HH:MM, local time), and the
//! dates given to `--since` / `--until`.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// The time zone dates are shown in: the machine's (TZ, /etc/localtime).
fn zone() -> TimeZone {
    TimeZone::try_system().unwrap_or(TimeZone::UTC)
}

/// `seconds` since the epoch as "dd/mm/yyyy HH:MM" in local time.
pub fn local(seconds: i64) -> String {
    match Timestamp::from_second(seconds) {
        Ok(ts) => ts
            .to_zoned_datetime(zone())
            .strftime("%d/%m/%Y %H:%M")
            .to_string(),
        Err(_) => seconds.to_string(),
    }
}

/// The month of `seconds` since the epoch, local time, as "yyyy-mm"
/// (sorts in time order; see [`month_label`]).
pub fn month(seconds: i64) -> String {
    match Timestamp::from_second(seconds) {
        Ok(ts) => ts.to_zoned_datetime(zone()).strftime("%Y-%m").to_string(),
        Err(_) => String::new(),
    }
}

/// A [`month`] as people write it: "mm/yyyy".
pub fn month_label(key: &str) -> String {
    match key.split_once('-') {
        Some((y, m)) => format!("{m}/{y}"),
        None => key.to_string(),
    }
}

/// An RFC 3339 time (review.toml's `time`) as seconds since the epoch.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    s.trim().parse::<Timestamp>().ok().map(|t| t.as_second())
}

/// An RFC 3339 time shown as [`local`], or the text itself when it is not one.
pub fn local_rfc3339(s: &str) -> String {
    parse_rfc3339(s).map(local).unwrap_or_else(|| s.to_string())
}

/// A day given as `yyyy-mm-dd` or `dd/mm/yyyy`.
pub fn parse_day(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    let parts: Vec<&str> = s.split('/').collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// The first second of `day`, local time.
pub fn start_of(day: Date) -> i64 {
    day.to_zoned_datetime(zone())
        .map(|z| z.timestamp().as_second())
        .unwrap_or(i64::MIN)
}

/// The last second of `day`, local time.
pub fn end_of(day: Date) -> i64 {
    match day.checked_add(1.day()) {
        Ok(next) => start_of(next) - 1,
        Err(_) => i64::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways_of_writing_a_day_are_read() {
        let want = Date::new(2026, 3, 9).ok();
        assert_eq!(parse_day("2026-03-09"), want);
        assert_eq!(parse_day("09/03/2026"), want);
        assert_eq!(parse_day("9/3/2026"), want);
        assert_eq!(parse_day("31/02/2026"), None);
        assert_eq!(parse_day("yesterday"), None);
    }

    #[test]
    fn a_day_spans_from_its_first_to_its_last_second() {
        let d = Date::new(2026, 6, 15).unwrap();
        assert_eq!(end_of(d) - start_of(d), 86_399);
    }
}

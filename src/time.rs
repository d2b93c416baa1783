//! Times as an operator reads them: in their own zone, with the zone shown, and ages.

use chrono::{DateTime, FixedOffset, Local, TimeZone, Utc};

/// The zone times are shown in: the machine's local zone, or a fixed offset (tests, `TZ`-less
/// machines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    #[default]
    Local,
    Fixed(FixedOffset),
}

impl Zone {
    pub fn utc() -> Self {
        Zone::Fixed(FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!("0 is in range")))
    }

    /// `2026-11-26 14:02 +01:00`: the offset in force at that moment (summer time included).
    pub fn minutes(self, t: DateTime<Utc>) -> String {
        self.format(t, "%Y-%m-%d %H:%M %:z")
    }

    /// `14:02:31`, for events of this session.
    pub fn clock(self, t: DateTime<Utc>) -> String {
        self.format(t, "%H:%M:%S")
    }

    /// The local date of `t` in this zone (no string formatting: cheap enough per user).
    pub fn date(self, t: DateTime<Utc>) -> chrono::NaiveDate {
        match self {
            Zone::Local => t.with_timezone(&Local).date_naive(),
            Zone::Fixed(offset) => t.with_timezone(&offset).date_naive(),
        }
    }

    /// The first instant of `day` in this zone (where midnight is skipped by a clock change, the
    /// first time the clocks show on that day).
    pub fn day_start(self, day: chrono::NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_time(chrono::NaiveTime::MIN);
        match self {
            Zone::Local => (0..=24)
                .find_map(|h| {
                    Local
                        .from_local_datetime(&(midnight + chrono::Duration::hours(h)))
                        .earliest()
                })
                .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc)),
            Zone::Fixed(offset) => (midnight - offset).and_utc(),
        }
    }

    pub fn format(self, t: DateTime<Utc>, fmt: &str) -> String {
        match self {
            Zone::Local => t.with_timezone(&Local).format(fmt).to_string(),
            Zone::Fixed(offset) => t.with_timezone(&offset).format(fmt).to_string(),
        }
    }
}

/// "7d 3h", "5h", "12m": how long ago, in the largest unit that fits (days with their hours).
pub fn age(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds().max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        // Days and hours: enough to tell "more than a week" at a glance.
        s if s < 86_400 * 60 => match (s / 86_400, (s % 86_400) / 3600) {
            (d, 0) => format!("{d}d"),
            (d, h) => format!("{d}d {h}h"),
        },
        s if s < 86_400 * 730 => format!("{}mo", s / (86_400 * 30)),
        s => format!("{}y", s / (86_400 * 365)),
    }
}

/// `90m`, `24h`, `7d`, `2w`: a whole number and one unit (s, m, h, d, w). The one parser for
/// every duration an operator types.
pub fn parse_duration(text: &str) -> Result<chrono::Duration, String> {
    let text = text.trim();
    let bad = || {
        format!("expected a number and a unit (s, m, h, d, w) such as 24h or 7d, got \"{text}\"")
    };
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (number, unit) = text.split_at(split);
    let n: i64 = number.parse().map_err(|_| bad())?;
    let secs = match unit.trim() {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(bad()),
    };
    n.checked_mul(secs)
        .and_then(chrono::Duration::try_seconds)
        .ok_or_else(|| format!("\"{text}\" is too long"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_fixed_zone_shows_its_offset() {
        let t = Utc.with_ymd_and_hms(2026, 11, 26, 9, 39, 5).unwrap();
        let paris = Zone::Fixed(FixedOffset::east_opt(3600).unwrap());
        assert_eq!(paris.minutes(t), "2026-11-26 10:39 +01:00");
        assert_eq!(paris.clock(t), "10:39:05");
        assert_eq!(Zone::utc().minutes(t), "2026-11-26 09:39 +00:00");
    }

    #[test]
    fn durations_take_one_unit() {
        assert_eq!(parse_duration("24h"), Ok(chrono::Duration::hours(24)));
        assert_eq!(parse_duration("7d"), Ok(chrono::Duration::days(7)));
        assert_eq!(parse_duration("2w"), Ok(chrono::Duration::days(14)));
        assert_eq!(parse_duration("90m"), Ok(chrono::Duration::minutes(90)));
        assert_eq!(parse_duration("45s"), Ok(chrono::Duration::seconds(45)));
        for bad in ["", "h", "24", "1.5h", "-3d", "3y", "99999999999999999999d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ages_use_the_largest_unit() {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
        let ago = |s: i64| age(now, now - chrono::Duration::seconds(s));
        assert_eq!(ago(5), "5s");
        assert_eq!(ago(125), "2m");
        assert_eq!(ago(3 * 3600 + 5), "3h");
        assert_eq!(ago(8 * 86_400), "8d");
        assert_eq!(ago(7 * 86_400 + 3 * 3600 + 59), "7d 3h");
        assert_eq!(ago(-5), "0s");
    }
}

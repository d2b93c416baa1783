//! The shape of the pending pile: counts by sign-up day and hour, age, email domain, phone
//! country code, likely delivery medium, and disabled users. It counts and keeps no users, so
//! `cogtui stats` stays flat in memory however large the pool.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use serde_json::json;

use crate::cognito::User;
use crate::time::Zone;

/// The age buckets, youngest first: label, and the `/` filter that selects the bucket.
pub const AGE_BUCKETS: [(&str, &str); 5] = [
    ("<1h", "age<1h"),
    ("1-24h", "age>1h age<24h"),
    ("1-7d", "age>24h age<7d"),
    ("7-30d", "age>7d age<30d"),
    (">30d", "age>30d"),
];

/// The count maps of [`Stats`]: one more, or one fewer (an entry that reaches zero goes, as if
/// it had never been counted).
trait CountMap<K> {
    fn bump(&mut self, key: K, add: bool);
}

macro_rules! count_map {
    ($map:ident, $($bound:path),+) => {
        impl<K: $($bound +)+> CountMap<K> for $map<K, usize> {
            fn bump(&mut self, key: K, add: bool) {
                if add {
                    *self.entry(key).or_default() += 1;
                } else if let Some(n) = self.get_mut(&key) {
                    *n -= 1;
                    if *n == 0 {
                        self.remove(&key);
                    }
                }
            }
        }
    };
}
count_map!(BTreeMap, Ord);
count_map!(HashMap, std::hash::Hash, Eq);

fn bucket(age: Duration) -> usize {
    match age {
        a if a < Duration::hours(1) => 0,
        a if a < Duration::hours(24) => 1,
        a if a < Duration::days(7) => 2,
        a if a < Duration::days(30) => 3,
        _ => 4,
    }
}

/// Country calling codes of one or two digits; every other code is taken as three digits.
const TWO_DIGIT_CODES: &[&str] = &[
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
    "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65",
    "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
];

/// `+447700900123` → `+44`; `+15551234567` → `+1`.
pub fn country_code(phone: &str) -> Option<String> {
    let digits = phone.strip_prefix('+')?;
    if !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() < 4 {
        return None;
    }
    let len = match &digits[..1] {
        "1" | "7" => 1,
        _ if TWO_DIGIT_CODES.contains(&&digits[..2]) => 2,
        _ => 3,
    };
    Some(format!("+{}", &digits[..len]))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Medium {
    Email,
    Sms,
    None,
}

impl Medium {
    pub fn label(self) -> &'static str {
        match self {
            Medium::Email => "email",
            Medium::Sms => "sms",
            Medium::None => "none",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub total: usize,
    pub by_age: [usize; 5],
    /// Sign-ups per local date.
    pub by_day: BTreeMap<NaiveDate, usize>,
    /// Sign-ups per hour (the hour's start, UTC) in the last 48 hours.
    pub by_hour: BTreeMap<DateTime<Utc>, usize>,
    pub by_domain: HashMap<String, usize>,
    pub by_country: HashMap<String, usize>,
    pub by_medium: BTreeMap<Medium, usize>,
    pub disabled: usize,
    /// Sign-ups per minute in the last 48 hours, overall and by email domain: the waves are
    /// found in a sliding 60-minute window over these.
    pub by_minute: BTreeMap<DateTime<Utc>, usize>,
    pub by_domain_minute: HashMap<String, BTreeMap<DateTime<Utc>, usize>>,
}

/// The busiest 60 minutes of the last 48 hours, overall or from one email domain.
#[derive(Debug, Clone, PartialEq)]
pub struct Wave {
    /// The first and the last sign-up in the window.
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub count: usize,
    /// The domain the window's sign-ups come from, when one domain makes the wave.
    pub domain: Option<String>,
    /// Sign-ups an hour outside the window, when there is history to compare with (at least six
    /// hours of it); `None`: no baseline yet.
    pub usual: Option<f64>,
}

impl Wave {
    /// Far above the usual rate: at least 10 sign-ups and five times the baseline. Without a
    /// baseline nothing is called a wave (a freshly seeded pool is not one).
    pub fn stands_out(&self) -> bool {
        self.count >= WAVE_MIN
            && self
                .usual
                .is_some_and(|u| self.count as f64 >= 5.0 * u.max(1.0))
    }

    /// The `/` filter that shows the wave's users: its domain and its span of sign-up times.
    pub fn filter(&self, now: DateTime<Utc>) -> String {
        let minutes = |t: DateTime<Utc>| (now - t).num_minutes();
        let span = format!(
            "age>{}m age<{}m",
            minutes(self.end).max(1) - 1,
            minutes(self.start) + 1
        );
        match &self.domain {
            Some(domain) => format!("@{domain} {span}"),
            None => span,
        }
    }
}

/// A wave has at least this many sign-ups in its 60 minutes.
pub const WAVE_MIN: usize = 10;

impl Wave {
    /// "Busiest 60 minutes 20:48–21:13: 15 sign-ups from spam.example, against 0.4 an hour
    /// usually: a likely bot wave" (or "no baseline yet").
    pub fn describe(&self, zone: Zone) -> String {
        let from = self
            .domain
            .as_deref()
            .map(|d| format!(" from {}", crate::text::sanitize(d)))
            .unwrap_or_default();
        let span = format!(
            "{}–{}",
            zone.format(self.start, "%m-%d %H:%M"),
            zone.format(self.end, "%H:%M")
        );
        // "0.0 an hour" reads as a fault: a baseline under one in twenty hours is next to none.
        let rate = |usual: f64| {
            if usual < 0.05 {
                "next to none".to_string()
            } else {
                format!("{usual:.1} an hour")
            }
        };
        match self.usual {
            Some(usual) if self.stands_out() => format!(
                "Busiest 60 minutes {span}: {} sign-ups{from}, against {} usually: a likely bot wave",
                self.count,
                rate(usual)
            ),
            Some(usual) => format!(
                "Busiest 60 minutes {span}: {} sign-ups{from}, against {} usually",
                self.count,
                rate(usual)
            ),
            None => format!(
                "Busiest 60 minutes {span}: {} sign-ups{from} (no baseline yet: too little history to compare with)",
                self.count
            ),
        }
    }
}

/// The 60-minute window with the most sign-ups in a per-minute series: its first and last
/// sign-up and its count (two pointers over the minutes).
fn busiest_hour(
    series: &BTreeMap<DateTime<Utc>, usize>,
) -> Option<(DateTime<Utc>, DateTime<Utc>, usize)> {
    let minutes: Vec<(DateTime<Utc>, usize)> = series.iter().map(|(t, n)| (*t, *n)).collect();
    let mut best: Option<(DateTime<Utc>, DateTime<Utc>, usize)> = None;
    let (mut left, mut sum) = (0, 0);
    for right in 0..minutes.len() {
        sum += minutes[right].1;
        while minutes[right].0 - minutes[left].0 >= Duration::minutes(60) {
            sum -= minutes[left].1;
            left += 1;
        }
        if best.is_none_or(|(_, _, n)| sum > n) {
            best = Some((minutes[left].0, minutes[right].0, sum));
        }
    }
    best
}

impl Stats {
    /// Counts one user. `verifies_phone` is what the pool verifies, when known: with it the
    /// medium is definite (phone first), without it a user with a phone counts as SMS.
    pub fn add(
        &mut self,
        user: &User,
        now: DateTime<Utc>,
        zone: Zone,
        verifies: Option<(bool, bool)>,
    ) {
        self.count(user, now, zone, verifies, true);
    }

    /// Takes back a user counted by [`Stats::add`] with the same `now`, `zone` and `verifies`
    /// (a fresher copy of the user replaced it), so a view can follow a listing page by page
    /// instead of counting every loaded user again.
    pub fn remove(
        &mut self,
        user: &User,
        now: DateTime<Utc>,
        zone: Zone,
        verifies: Option<(bool, bool)>,
    ) {
        self.count(user, now, zone, verifies, false);
    }

    fn count(
        &mut self,
        user: &User,
        now: DateTime<Utc>,
        zone: Zone,
        verifies: Option<(bool, bool)>,
        add: bool,
    ) {
        let step = |n: &mut usize| {
            *n = if add { *n + 1 } else { n.saturating_sub(1) };
        };
        step(&mut self.total);
        if !user.enabled {
            step(&mut self.disabled);
        }
        if let Some(created) = user.created {
            step(&mut self.by_age[bucket(now - created)]);
            self.by_day.bump(zone.date(created), add);
            if now - created < Duration::hours(48)
                && let Some(minute) = created.with_second(0).and_then(|t| t.with_nanosecond(0))
            {
                if let Some(hour) = minute.with_minute(0) {
                    self.by_hour.bump(hour, add);
                }
                self.by_minute.bump(minute, add);
                if let Some((_, domain)) = user.email().and_then(|e| e.rsplit_once('@')) {
                    let domain = domain.to_lowercase();
                    let series = self.by_domain_minute.entry(domain.clone()).or_default();
                    series.bump(minute, add);
                    if series.is_empty() {
                        self.by_domain_minute.remove(&domain);
                    }
                }
            }
        }
        if let Some((_, domain)) = user.email().and_then(|e| e.rsplit_once('@')) {
            // No allocation for a domain already counted (most addresses are lowercase).
            match self.by_domain.get_mut(domain) {
                Some(n) if add || *n > 1 => step(n),
                Some(_) => {
                    self.by_domain.remove(domain);
                }
                None => self.by_domain.bump(domain.to_lowercase(), add),
            }
        }
        if let Some(code) = user.phone().and_then(country_code) {
            self.by_country.bump(code, add);
        }
        let (phone, email) = verifies.unwrap_or((true, true));
        let verifies = crate::delivery::Verifies { email, phone };
        let medium = match crate::delivery::destination(Some(verifies), user.email(), user.phone())
        {
            crate::delivery::Destination::Phone(_) => Medium::Sms,
            crate::delivery::Destination::Email(_) => Medium::Email,
            _ => Medium::None,
        };
        self.by_medium.bump(medium, add);
    }

    /// The `n` largest of a count map, largest first (ties by name).
    pub fn top(map: &HashMap<String, usize>, n: usize) -> Vec<(String, usize)> {
        let mut all: Vec<(String, usize)> = map.iter().map(|(k, v)| (k.clone(), *v)).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all.truncate(n);
        all
    }

    /// The busiest 60 minutes of the last 48 hours (a sliding window, not clock hours: a wave
    /// across 20:48–21:13 is one wave), overall and from each email domain: a domain's wave
    /// that stands out first, else the overall one; `None` without 10 sign-ups in any hour.
    pub fn wave(&self, now: DateTime<Utc>) -> Option<Wave> {
        // Hours of history to compare with: the 48 hours, or since the oldest sign-up when
        // every sign-up is in them (a young pool).
        let recent: usize = self.by_minute.values().sum();
        let all_recent = recent + self.undated() >= self.total;
        let history = match self.by_minute.keys().next() {
            Some(oldest) if all_recent => ((now - *oldest).num_minutes() as f64 / 60.0).min(48.0),
            _ => 48.0,
        };
        let wave_in = |series: &BTreeMap<DateTime<Utc>, usize>, domain: Option<&str>| {
            let (start, end, count) = busiest_hour(series)?;
            let rest = series.values().sum::<usize>() - count;
            let outside = history - 1.0;
            Some(Wave {
                start,
                end,
                count,
                domain: domain.map(str::to_string),
                usual: (outside >= 6.0).then(|| rest as f64 / outside),
            })
        };
        let overall = wave_in(&self.by_minute, None)?;
        let mut domains: Vec<Wave> = self
            .by_domain_minute
            .iter()
            .filter_map(|(d, series)| wave_in(series, Some(d)))
            .filter(Wave::stands_out)
            .collect();
        domains.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.domain.cmp(&b.domain)));
        let wave = domains.into_iter().next().unwrap_or(overall);
        (wave.count >= WAVE_MIN).then_some(wave)
    }

    /// Users counted without a sign-up time.
    fn undated(&self) -> usize {
        self.total.saturating_sub(self.by_age.iter().sum())
    }

    /// The JSON of `cogtui stats --format json`.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "total": self.total,
            "by_age": AGE_BUCKETS.iter().zip(self.by_age).map(|((label, _), count)| json!({"bucket": label, "count": count})).collect::<Vec<_>>(),
            "by_day": self.by_day.iter().map(|(d, c)| json!({"date": d.to_string(), "count": c})).collect::<Vec<_>>(),
            "by_domain": Self::top(&self.by_domain, usize::MAX).into_iter().map(|(d, c)| json!({"domain": d, "count": c})).collect::<Vec<_>>(),
            "by_country": Self::top(&self.by_country, usize::MAX).into_iter().map(|(d, c)| json!({"country_code": d, "count": c})).collect::<Vec<_>>(),
            "by_medium": self.by_medium.iter().map(|(m, c)| json!({"medium": m.label(), "count": c})).collect::<Vec<_>>(),
            "disabled": self.disabled,
        })
    }

    /// The text of `cogtui stats --format text`.
    pub fn to_text(&self, complete: bool, zone: Zone, now: DateTime<Utc>) -> String {
        let pct = |n: usize| {
            if self.total == 0 {
                0.0
            } else {
                100.0 * n as f64 / self.total as f64
            }
        };
        let mut out = format!(
            "{} users{}, {} disabled\n\nBy age\n",
            self.total,
            if complete {
                ""
            } else {
                " (listing incomplete)"
            },
            self.disabled
        );
        for ((label, _), count) in AGE_BUCKETS.iter().zip(self.by_age) {
            out.push_str(&format!("  {label:<10} {count:>8}  {:>5.1}%\n", pct(count)));
        }
        out.push_str("\nSign-ups per day (latest 14)\n");
        for (day, count) in self
            .by_day
            .iter()
            .rev()
            .take(14)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            out.push_str(&format!("  {day} {count:>8}\n"));
        }
        if let Some(w) = self.wave(now) {
            out.push_str(&format!("\n{}\n", w.describe(zone)));
        }
        out.push_str("\nTop email domains\n");
        for (domain, count) in Self::top(&self.by_domain, 10) {
            out.push_str(&format!(
                "  {:<32} {count:>8}  {:>5.1}%\n",
                crate::text::cell(&domain, 32),
                pct(count)
            ));
        }
        if !self.by_country.is_empty() {
            out.push_str("\nPhone country codes\n");
            for (code, count) in Self::top(&self.by_country, 10) {
                out.push_str(&format!("  {code:<6} {count:>8}  {:>5.1}%\n", pct(count)));
            }
        }
        out.push_str("\nLikely delivery medium\n");
        for (medium, count) in &self.by_medium {
            out.push_str(&format!(
                "  {:<6} {count:>8}  {:>5.1}%\n",
                medium.label(),
                pct(*count)
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::collections::BTreeMap as Map;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
    }

    fn user(name: &str, hours_ago: i64, email: &str, phone: Option<&str>) -> User {
        let mut attributes = Map::from([("email".to_string(), email.to_string())]);
        if let Some(p) = phone {
            attributes.insert("phone_number".into(), p.into());
        }
        User {
            username: name.into(),
            status: "UNCONFIRMED".into(),
            enabled: true,
            created: Some(now() - Duration::hours(hours_ago)),
            modified: None,
            attributes: attributes.into(),
        }
    }

    #[test]
    fn counts_by_age_day_domain_country_and_medium() {
        let mut s = Stats::default();
        let z = Zone::utc();
        s.add(&user("a", 0, "a@x.com", None), now(), z, None);
        s.add(
            &user("b", 5, "b@X.com", Some("+447700900123")),
            now(),
            z,
            None,
        );
        s.add(
            &user("c", 30, "c@y.org", Some("+15551234567")),
            now(),
            z,
            None,
        );
        s.add(
            &user("d", 24 * 10, "d@y.org", None),
            now(),
            z,
            Some((false, true)),
        );
        let mut off = user("e", 24 * 40, "e@z.net", None);
        off.enabled = false;
        s.add(&off, now(), z, None);
        assert_eq!(s.total, 5);
        assert_eq!(s.by_age, [1, 1, 1, 1, 1]);
        assert_eq!(s.disabled, 1);
        assert_eq!(
            Stats::top(&s.by_domain, 2),
            [("x.com".to_string(), 2), ("y.org".to_string(), 2)]
        );
        assert_eq!(s.by_country["+44"], 1);
        assert_eq!(s.by_country["+1"], 1);
        assert_eq!(s.by_medium[&Medium::Sms], 2);
        assert_eq!(s.by_medium[&Medium::Email], 3);
        assert_eq!(s.by_day.len(), 4);
        let v = s.to_json();
        assert_eq!(v["total"], 5);
        assert_eq!(v["by_age"][4], json!({"bucket": ">30d", "count": 1}));
        assert_eq!(v["by_domain"][0], json!({"domain": "x.com", "count": 2}));
        assert_eq!(v["disabled"], 1);
    }

    fn at(name: &str, minutes_ago: i64, email: &str) -> User {
        let mut u = user(name, 0, email, None);
        u.created = Some(now() - Duration::minutes(minutes_ago));
        u
    }

    /// A calm pool: one sign-up every two hours for 60 days, from ordinary domains.
    fn calm() -> Stats {
        let mut s = Stats::default();
        for h in (0..60 * 24).step_by(2) {
            s.add(
                &user(&format!("n{h}"), h + 1, &format!("n{h}@x.com"), None),
                now(),
                Zone::utc(),
                None,
            );
        }
        s
    }

    #[test]
    fn a_wave_across_two_clock_hours_is_one_wave_from_its_domain() {
        // 15 sign-ups from one domain in 26 minutes, 20:48 to 21:13 the evening before: clock
        // hours would split them 8/7.
        let mut s = calm();
        let start = now() - Duration::hours(15) - Duration::minutes(12);
        for i in 0..15 {
            let mut u = at(&format!("w{i}"), 0, &format!("w{i}@spam.example"));
            u.created = Some(start + Duration::minutes(i * 26 / 14));
            s.add(&u, now(), Zone::utc(), None);
        }
        let wave = s.wave(now()).expect("a wave");
        assert_eq!(wave.count, 15);
        assert_eq!(wave.domain.as_deref(), Some("spam.example"));
        assert!(wave.stands_out(), "{wave:?}");
        assert_eq!(wave.start, start);
        assert_eq!(wave.end, start + Duration::minutes(26));
        assert!(wave.usual.is_some_and(|u| u < 1.0), "{wave:?}");
        let text = wave.describe(Zone::utc());
        assert!(
            text.contains("15 sign-ups from spam.example") && text.contains("a likely bot wave"),
            "{text}"
        );
        // spam.example had no sign-ups besides: "next to none", never "0.0 an hour".
        assert_eq!(wave.usual, Some(0.0));
        assert!(text.contains("against next to none usually"), "{text}");
        // Its filter shows exactly its users.
        assert_eq!(wave.filter(now()), "@spam.example age>885m age<913m");
    }

    #[test]
    fn a_fresh_pool_has_no_baseline_and_no_wave() {
        let mut s = Stats::default();
        for i in 0..12 {
            s.add(
                &at(&format!("u{i}"), 10 + i, "u@example.com"),
                now(),
                Zone::utc(),
                None,
            );
        }
        let busiest = s.wave(now()).expect("12 sign-ups in an hour");
        assert_eq!(busiest.usual, None);
        assert!(
            !busiest.stands_out(),
            "a freshly seeded pool is not a bot wave"
        );
        assert!(busiest.describe(Zone::utc()).contains("no baseline yet"));
        assert_eq!(calm().wave(now()), None, "no 60 minutes hold 10");
    }

    #[test]
    fn country_codes_take_one_two_or_three_digits() {
        assert_eq!(country_code("+447700900123").as_deref(), Some("+44"));
        assert_eq!(country_code("+15551234567").as_deref(), Some("+1"));
        assert_eq!(country_code("+35312345678").as_deref(), Some("+353"));
        assert_eq!(country_code("07700").as_deref(), None);
    }
}

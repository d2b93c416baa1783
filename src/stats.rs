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
}

/// An hour far above the usual rate: a likely bot wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wave {
    pub hour: DateTime<Utc>,
    pub count: usize,
    /// The mean sign-ups per hour over the 48 hours.
    pub usual: usize,
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
                && let Some(hour) = created
                    .with_minute(0)
                    .and_then(|t| t.with_second(0))
                    .and_then(|t| t.with_nanosecond(0))
            {
                self.by_hour.bump(hour, add);
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

    /// The busiest of the last 48 hours when it holds at least 10 sign-ups and five times the
    /// mean hourly rate.
    pub fn wave(&self) -> Option<Wave> {
        let (hour, count) = self.by_hour.iter().max_by_key(|(h, c)| (**c, **h))?;
        let sum: usize = self.by_hour.values().sum();
        let usual = sum / 48;
        (*count >= 10 && *count >= 5 * usual.max(1)).then_some(Wave {
            hour: *hour,
            count: *count,
            usual,
        })
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
    pub fn to_text(&self, complete: bool, zone: Zone) -> String {
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
        if let Some(w) = self.wave() {
            out.push_str(&format!(
                "\nBusiest hour: {} with {} sign-ups, against {} an hour usually: a likely bot wave\n",
                zone.format(w.hour, "%F %H:00"),
                w.count,
                w.usual
            ));
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

    #[test]
    fn a_wave_is_an_hour_far_above_the_usual_rate() {
        let mut s = Stats::default();
        let z = Zone::utc();
        for i in 0..20 {
            s.add(
                &user(&format!("w{i}"), 3, "w@bot.example", None),
                now(),
                z,
                None,
            );
        }
        for h in 0..40 {
            s.add(&user(&format!("n{h}"), h, "n@x.com", None), now(), z, None);
        }
        let wave = s.wave().unwrap();
        assert_eq!(wave.count, 21);
        assert_eq!(wave.hour, now() - Duration::hours(3));
        let mut calm = Stats::default();
        for h in 0..40 {
            calm.add(&user(&format!("n{h}"), h, "n@x.com", None), now(), z, None);
        }
        assert_eq!(calm.wave(), None);
    }

    #[test]
    fn country_codes_take_one_two_or_three_digits() {
        assert_eq!(country_code("+447700900123").as_deref(), Some("+44"));
        assert_eq!(country_code("+15551234567").as_deref(), Some("+1"));
        assert_eq!(country_code("+35312345678").as_deref(), Some("+353"));
        assert_eq!(country_code("07700").as_deref(), None);
    }
}

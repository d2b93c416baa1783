//! The `/` filter on loaded users: words that must all appear (in the username, email, phone or
//! name), and time terms, because support questions are about time: `age>7d` (signed up more
//! than a week ago), `age<24h`, `created:2026-11-25` (a local date). `grace age<2d` combines them.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::time::{Zone, parse_duration};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocalFilter {
    /// Lowercased words; each must appear in the user's text.
    pub words: Vec<String>,
    /// `age>D`: signed up at least this long ago.
    pub older_than: Option<Duration>,
    /// `age<D`: signed up less than this long ago.
    pub newer_than: Option<Duration>,
    /// `created:YYYY-MM-DD`: signed up on this local date.
    pub created_on: Option<NaiveDate>,
}

impl LocalFilter {
    /// Parses the filter; a time term that does not parse is an error that names it.
    pub fn parse(input: &str) -> Result<Self, String> {
        match Self::parse_lenient(input) {
            (filter, None) => Ok(filter),
            (_, Some(e)) => Err(e),
        }
    }

    /// As the operator types: terms that do not parse (yet) are left out, and the first such
    /// problem is returned to show beside the input.
    pub fn parse_lenient(input: &str) -> (Self, Option<String>) {
        let mut filter = LocalFilter::default();
        let mut problem = None;
        for token in input.split_whitespace() {
            if let Err(e) = filter.add(token) {
                problem.get_or_insert(e);
            }
        }
        (filter, problem)
    }

    fn add(&mut self, token: &str) -> Result<(), String> {
        let filter = self;
        {
            let lower = token.to_lowercase();
            if let Some(rest) = lower.strip_prefix("age>") {
                let d = parse_duration(rest.trim_start_matches('='))
                    .map_err(|e| format!("{token}: {e}"))?;
                filter.older_than = Some(d);
            } else if let Some(rest) = lower.strip_prefix("age<") {
                let d = parse_duration(rest.trim_start_matches('='))
                    .map_err(|e| format!("{token}: {e}"))?;
                filter.newer_than = Some(d);
            } else if let Some(rest) = lower.strip_prefix("created:") {
                let date = NaiveDate::parse_from_str(rest, "%Y-%m-%d")
                    .map_err(|_| format!("{token}: expected a date such as created:2026-11-25"))?;
                filter.created_on = Some(date);
            } else {
                filter.words.push(lower);
            }
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && !self.has_time()
    }

    pub fn has_time(&self) -> bool {
        self.older_than.is_some() || self.newer_than.is_some() || self.created_on.is_some()
    }

    /// Whether a user with this text and creation time passes, at `now` in `zone`.
    pub fn matches(
        &self,
        haystack: &str,
        created: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        zone: Zone,
    ) -> bool {
        if !self.words.iter().all(|w| haystack.contains(w.as_str())) {
            return false;
        }
        if !self.has_time() {
            return true;
        }
        let Some(created) = created else {
            return false;
        };
        let age = now - created;
        self.older_than.is_none_or(|d| age >= d)
            && self.newer_than.is_none_or(|d| age < d)
            && self
                .created_on
                .is_none_or(|day| zone.format(created, "%F") == day.to_string())
    }
}

/// `--older-than` / `--newer-than` of the headless commands: the same meaning as `age>` / `age<`.
pub fn within(
    created: Option<DateTime<Utc>>,
    older_than: Option<Duration>,
    newer_than: Option<Duration>,
    now: DateTime<Utc>,
) -> bool {
    let filter = LocalFilter {
        older_than,
        newer_than,
        ..LocalFilter::default()
    };
    filter.matches("", created, now, Zone::Local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
    }

    #[test]
    fn words_and_time_terms_combine() {
        let f = LocalFilter::parse("Grace age<2d").unwrap();
        assert_eq!(f.words, vec!["grace"]);
        assert_eq!(f.newer_than, Some(Duration::days(2)));
        let day_ago = Some(now() - Duration::days(1));
        let week_ago = Some(now() - Duration::days(8));
        let z = Zone::utc();
        assert!(f.matches("grace.smith", day_ago, now(), z));
        assert!(!f.matches("grace.smith", week_ago, now(), z));
        assert!(!f.matches("olu", day_ago, now(), z));
        let old = LocalFilter::parse("age>7d").unwrap();
        assert!(old.matches("x", week_ago, now(), z));
        assert!(!old.matches("x", day_ago, now(), z));
        assert!(
            !old.matches("x", None, now(), z),
            "no creation time: not old"
        );
        let on = LocalFilter::parse("created:2026-11-25").unwrap();
        assert!(on.matches("x", day_ago, now(), z));
        assert!(!on.matches("x", week_ago, now(), z));
        // A local date: 00:30 on the 26th in Paris is 23:30 on the 25th in UTC.
        let paris = Zone::Fixed(chrono::FixedOffset::east_opt(3600).unwrap());
        let late = Some(Utc.with_ymd_and_hms(2026, 11, 25, 23, 30, 0).unwrap());
        assert!(on.matches("x", late, now(), z));
        assert!(!on.matches("x", late, now(), paris));
    }

    #[test]
    fn bad_time_terms_say_which() {
        assert!(
            LocalFilter::parse("age>7")
                .unwrap_err()
                .starts_with("age>7:")
        );
        assert!(
            LocalFilter::parse("created:yesterday")
                .unwrap_err()
                .contains("2026-11-25")
        );
        assert!(LocalFilter::parse("").unwrap().is_empty());
    }
}

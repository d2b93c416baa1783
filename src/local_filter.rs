//! The `/` filter on loaded users: words that must all appear (in the username, email, phone or
//! name), and time terms, because support questions are about time: `age>7d` (signed up more
//! than a week ago), `age<24h`, `created:2026-11-25` (a local date) or a range of them
//! (`created:2026-11-01..2026-11-07`, open at either end). `grace age<2d` combines them.

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
    /// `created:YYYY-MM-DD` (from and to the same day), `created:A..B`, `created:A..`,
    /// `created:..B`: signed up on these local dates, both ends included.
    pub created_from: Option<NaiveDate>,
    pub created_to: Option<NaiveDate>,
}

/// A phone number typed the way people say it (`07227 076888`, `+44 7227 076888`,
/// `0044 7227…`): its digits in E.164, to find it among numbers Cognito keeps as `+447227076888`.
/// A national number (one leading 0) takes `usual_country` (`+44`), the most common code among
/// the loaded numbers; without one, its digits after the 0 are searched as they are. `None`
/// when the text is not a phone number. The second part says how it was read, for the screen.
pub fn phone_number(input: &str, usual_country: Option<&str>) -> Option<(String, Option<String>)> {
    let text = input.trim();
    if text.is_empty()
        || !text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '+'))
        || text[1..].contains('+')
    {
        return None;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 {
        return None;
    }
    if text.starts_with('+') {
        return Some((format!("+{digits}"), None));
    }
    if let Some(rest) = digits.strip_prefix("00") {
        return Some((format!("+{rest}"), Some(format!("read as +{rest}"))));
    }
    match (digits.strip_prefix('0'), usual_country) {
        (Some(rest), Some(code)) => Some((
            format!("{code}{rest}"),
            Some(format!(
                "read as {code}{rest} ({code}: the usual country code of the loaded numbers)"
            )),
        )),
        (Some(rest), None) => Some((
            rest.to_string(),
            Some(format!("a national number: searched as …{rest}")),
        )),
        // Spaces or dashes in a number written without a leading 0 or +: its digits.
        (None, _) if digits.len() != text.len() => Some((digits, None)),
        (None, _) => None,
    }
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
                let (from, to) = created_range(rest).ok_or_else(|| {
                    format!(
                        "{token}: expected a date such as created:2026-11-25, or a range such as \
                         created:2026-11-01..2026-11-07 (either end may be left open)"
                    )
                })?;
                if let (Some(from), Some(to)) = (from, to)
                    && from > to
                {
                    return Err(format!("{token}: the range ends before it starts"));
                }
                filter.created_from = from;
                filter.created_to = to;
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
        self.older_than.is_some()
            || self.newer_than.is_some()
            || self.created_from.is_some()
            || self.created_to.is_some()
    }

    /// Whether a user with this text and creation time passes, at `now` in `zone`.
    pub fn matches(
        &self,
        haystack: &str,
        created: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        zone: Zone,
    ) -> bool {
        self.words.iter().all(|w| haystack.contains(w.as_str()))
            && self.window(now, zone).contains(created)
    }

    /// The time terms as one span of creation times, worked out once for a pass over many
    /// users: each user then costs two comparisons, not a time-zone conversion.
    pub fn window(&self, now: DateTime<Utc>, zone: Zone) -> TimeWindow {
        let mut window = TimeWindow {
            any: !self.has_time(),
            from: None,
            until: None,
        };
        let one = Duration::nanoseconds(1);
        // age >= d: created at or before now - d.
        if let Some(d) = self.older_than {
            window.before(now - d + one);
        }
        // age < d: created after now - d.
        if let Some(d) = self.newer_than {
            window.after(now - d + one);
        }
        if let Some(from) = self.created_from {
            window.after(zone.day_start(from));
        }
        if let Some(next) = self.created_to.and_then(|to| to.succ_opt()) {
            window.before(zone.day_start(next));
        }
        window
    }
}

/// Creation times from `from` (included) to `until` (excluded); `any` lets through every user,
/// also one without a creation time (no time terms: the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    any: bool,
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
}

impl Default for TimeWindow {
    fn default() -> Self {
        Self {
            any: true,
            from: None,
            until: None,
        }
    }
}

impl TimeWindow {
    fn after(&mut self, t: DateTime<Utc>) {
        self.from = Some(self.from.map_or(t, |f| f.max(t)));
    }

    fn before(&mut self, t: DateTime<Utc>) {
        self.until = Some(self.until.map_or(t, |u| u.min(t)));
    }

    /// No time terms: every user is inside, and nobody's creation time needs reading.
    pub fn is_any(&self) -> bool {
        self.any
    }

    pub fn contains(&self, created: Option<DateTime<Utc>>) -> bool {
        if self.any {
            return true;
        }
        created
            .is_some_and(|c| self.from.is_none_or(|f| c >= f) && self.until.is_none_or(|u| c < u))
    }
}

/// `2026-11-25`, `2026-11-01..2026-11-07`, `2026-11-01..`, `..2026-11-07`: the first and last
/// day; `None` when it is none of these (or `..` alone).
fn created_range(text: &str) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    match text.split_once("..") {
        None => date(text).map(|day| (Some(day), Some(day))),
        Some(("", "")) => None,
        Some((from, to)) => {
            let from = if from.is_empty() {
                None
            } else {
                Some(date(from)?)
            };
            let to = if to.is_empty() { None } else { Some(date(to)?) };
            Some((from, to))
        }
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
    fn created_takes_a_range_of_local_dates_open_at_either_end() {
        let z = Zone::utc();
        let on = |day: u32| Some(Utc.with_ymd_and_hms(2026, 11, day, 23, 59, 0).unwrap());
        let week = LocalFilter::parse("created:2026-11-01..2026-11-07").unwrap();
        assert!(week.matches("x", on(1), now(), z));
        assert!(
            week.matches("x", on(7), now(), z),
            "the last day is included"
        );
        assert!(!week.matches("x", on(8), now(), z));
        let since = LocalFilter::parse("created:2026-11-20..").unwrap();
        assert!(since.matches("x", on(25), now(), z));
        assert!(!since.matches("x", on(19), now(), z));
        let until = LocalFilter::parse("bot created:..2026-11-02").unwrap();
        assert!(until.matches("bot1", on(1), now(), z));
        assert!(!until.matches("bot1", on(3), now(), z));
        assert!(
            !until.matches("x", on(1), now(), z),
            "and the words still count"
        );
        for bad in [
            "created:..",
            "created:2026-11-07..2026-11-01",
            "created:2026-11-01..soon",
        ] {
            assert!(
                LocalFilter::parse(bad).unwrap_err().starts_with(bad),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_local_day_starts_at_local_midnight() {
        let filter = LocalFilter::parse("created:2026-11-25").unwrap();
        let tokyo = Zone::Fixed(chrono::FixedOffset::east_opt(9 * 3600).unwrap());
        let at = |h: u32, m: u32| Some(Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap());
        // Midnight of the 25th in Tokyo is 15:00 UTC on the 24th.
        assert!(!filter.matches("x", at(14, 59), now(), tokyo));
        assert!(filter.matches("x", at(15, 0), now(), tokyo));
        // The local zone agrees with the local date of each time, whatever it is here.
        for hour in 0..48 {
            let t = Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).unwrap() + Duration::hours(hour);
            assert_eq!(
                filter.matches("x", Some(t), now(), Zone::Local),
                Zone::Local.date(t).to_string() == "2026-11-25",
                "{t}"
            );
        }
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

#[cfg(test)]
mod phone_tests {
    use super::phone_number;

    #[test]
    fn numbers_are_read_by_their_digits_with_the_usual_country_code() {
        assert_eq!(
            phone_number("07227 076888", Some("+44")),
            Some((
                "+447227076888".to_string(),
                Some(
                    "read as +447227076888 (+44: the usual country code of the loaded numbers)"
                        .to_string()
                )
            ))
        );
        assert_eq!(
            phone_number("+44 7227-076888", None)
                .map(|p| p.0)
                .as_deref(),
            Some("+447227076888")
        );
        assert_eq!(
            phone_number("0044 7227 076888", None)
                .map(|p| p.0)
                .as_deref(),
            Some("+447227076888")
        );
        assert_eq!(
            phone_number("07227076888", None).map(|p| p.0).as_deref(),
            Some("7227076888")
        );
        assert_eq!(phone_number("pending-0001", Some("+44")), None);
        assert_eq!(
            phone_number("0001", Some("+44")),
            None,
            "too short to be a number"
        );
        assert_eq!(
            phone_number("123456", Some("+44")),
            None,
            "digits alone stay a word"
        );
    }
}

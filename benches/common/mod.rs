//! What the benchmarks share: a pool, users shaped like a self sign-up's, and the process's
//! resident memory.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use cogtui::cognito::{User, UserPage};
use cogtui::tui::app::{App, Msg, PoolView};

/// The benchmarks' clock.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
}

/// `COGTUI_BENCH_USERS`, else `default`.
pub fn user_count(default: usize) -> usize {
    std::env::var("COGTUI_BENCH_USERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// Resident memory of this process, in bytes (Linux).
pub fn rss() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<usize>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

pub fn pool() -> PoolView {
    PoolView {
        name: "bench".into(),
        user_pool_id: "eu-west-1_Bench1".into(),
        region: "eu-west-1".into(),
        client_metadata: BTreeMap::new(),
        required_metadata: Vec::new(),
        analytics_endpoint_id: None,
        endpoint_url: None,
        ticket_metadata_key: None,
        read_only: false,
        max_users: usize::MAX,
    }
}

const FIRST: [&str; 8] = [
    "amelia", "oliver", "isla", "george", "ava", "noah", "mia", "arthur",
];

/// User number `i`: an email, a sub and email_verified (what a self sign-up has, the profile the
/// memory target is set for), or with `eight` the eight attributes of a pool with phone and
/// names.
pub fn user(i: usize, eight: bool) -> User {
    let name = format!("{}.user{i}", FIRST[i % FIRST.len()]);
    let mut user = User {
        username: name.clone(),
        status: "UNCONFIRMED".into(),
        enabled: true,
        created: Some(now() - Duration::seconds((i * 37 % 5_000_000) as i64)),
        modified: None,
        attributes: BTreeMap::from([
            ("email".to_string(), format!("{name}@example.com")),
            (
                "sub".to_string(),
                format!("{i:08x}-6f1e-4c3a-9b2d-{:012x}", i * 7919),
            ),
            ("email_verified".to_string(), "false".to_string()),
        ])
        .into(),
    };
    if eight {
        for (k, v) in [
            ("phone_number", format!("+4477009{:05}", i % 100_000)),
            ("given_name", FIRST[i % FIRST.len()].to_string()),
            ("family_name", format!("Person{}", i % 5000)),
            ("locale", "en-GB".to_string()),
            ("phone_number_verified", "false".to_string()),
        ] {
            user.attributes.insert(k.to_string(), v);
        }
    }
    user
}

/// Hands users `from..to` to the app as pages of 60 of listing `generation`, made as they are
/// handed over (as from the network: the process holds only what the app keeps, so RSS measures
/// the app). The listing stays open after the last page.
pub fn feed(app: &mut App, generation: u64, from: usize, to: usize, eight: bool) {
    let mut first = from;
    while first < to {
        let end = (first + 60).min(to);
        app.update(Msg::Page {
            generation,
            result: Ok(UserPage {
                users: (first..end).map(|i| user(i, eight)).collect(),
                next_token: Some(format!("t{end}")),
                slowed_to: None,
            }),
        });
        first = end;
    }
}

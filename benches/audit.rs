//! The audit part of opening a dialog, on a desk's year: a million records in the file store,
//! a file a month. `cargo bench --bench audit` (COGTUI_BENCH_RECORDS for another count) prints
//! the time of the guard's question (one user's attempts in the last 25 hours) and of the UI's
//! month, and exits 1 when the guard's question takes over 50 ms. Under `cargo test` (no
//! `--bench`) it runs over 20,000 records as a smoke test, with no budget (a debug build).
//!
//! The DynamoDB store answers the same question with one Query (and the claim with one
//! PutItem): `tests/team.rs` counts the round trips a dialog's opening makes.

use std::time::Instant;

use chrono::{Datelike, Duration, Utc};
use cogtui::audit::{AuditLog, Event, Operator, Outcome, Record};

const TARGET_MS: f64 = 50.0;

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let total: usize = std::env::var("COGTUI_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benching { 1_000_000 } else { 20_000 });
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("audit.jsonl");
    let now = Utc::now();
    let started = Instant::now();
    // A year, evenly: 5,000 users, intent and outcome of each send, written as month files the
    // way the store writes them (one append per line would take minutes here).
    let log = AuditLog::shared(&path);
    let mut files: std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> = Default::default();
    for i in 0..total {
        let at = now - Duration::seconds((i as i64 * 365 * 86_400) / total as i64);
        let record = Record {
            id: format!("r{}", i / 2),
            event: if i % 2 == 0 {
                Event::Intent
            } else {
                Event::Outcome
            },
            time: at,
            operator: Operator {
                user: "agent".into(),
                arn: Some("arn:aws:sts::123456789012:assumed-role/support/alice".into()),
            },
            pool: "prod".into(),
            user_pool_id: "eu-west-1_Bench".into(),
            username: format!("user{:05}", (i / 2) % 5_000),
            action: "resend".into(),
            ticket: Some(format!("T-{}", i / 2)),
            client_metadata: [("source".to_string(), "support-desk".to_string())].into(),
            outcome: (i % 2 == 1).then_some(Outcome::Sent),
            destination: (i % 2 == 1).then(|| "u***@e***.com".to_string()),
            delivery_medium: (i % 2 == 1).then(|| "EMAIL".to_string()),
            attribute_name: (i % 2 == 1).then(|| "email".to_string()),
            error_code: None,
            reason: None,
            details: Default::default(),
            version: "bench".into(),
        };
        let file = files.entry(log.month_path(at)).or_default();
        serde_json::to_writer(&mut *file, &record).expect("json");
        file.push(b'\n');
    }
    let mut bytes = 0;
    for (file, text) in &files {
        bytes += text.len();
        std::fs::write(file, text).expect("write");
    }
    println!(
        "{total} records in {} month files ({} MB), written in {:.1} s",
        files.len(),
        bytes / 1_000_000,
        started.elapsed().as_secs_f64()
    );
    drop(files);

    // The worst day: the first of a month, when the last 25 hours reach back into the month
    // before, so a whole month file (a twelfth of the year) and the new one are read.
    let month_start = now
        .date_naive()
        .with_day(1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .unwrap_or(now);
    let since = month_start - cogtui::audit::RECENT;
    let mut times = Vec::new();
    for round in 0..7 {
        let user = format!("user{:05}", round * 700);
        let started = Instant::now();
        let attempts = log
            .attempts_of("eu-west-1_Bench", &user, false, Some(since))
            .expect("read");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(attempts);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "the guard's question (one user, the last 25 hours, on the 1st of a month: two month files): median {median:.1} ms, slowest {:.1} ms (target {TARGET_MS} ms)",
        times[times.len() - 1]
    );
    let started = Instant::now();
    let month = log
        .by_user(
            "eu-west-1_Bench",
            false,
            Some(now - cogtui::audit::UI_HISTORY),
        )
        .expect("read");
    println!(
        "the UI's month (every user, 31 days, parsed): {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    std::hint::black_box(month);
    if benching && median > TARGET_MS {
        eprintln!("over the {TARGET_MS} ms budget");
        std::process::exit(1);
    }
}

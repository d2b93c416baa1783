//! The real binary against the emulator's fault mode: every listing gives each user exactly once
//! or a clear error with the rows so far, and a write that gets no answer is reported as "may
//! have been sent", reached the emulator once, and is never retried.

mod common;

use common::text;

use std::collections::HashMap;
use std::process::Output;

use common::{TestPool, cogtui, count_calls, inject_faults};
use serde_json::json;

/// A pool of 130 UNCONFIRMED users (three pages) and a config for it.
async fn pool_of_130() -> (TestPool, Vec<String>, tempfile::TempDir, std::path::PathBuf) {
    let pool = TestPool::new(false).await;
    let names = pool.sign_up_many("u", 130).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml("")).unwrap();
    (pool, names, dir, config)
}

/// How often each username was printed by `list --format json`.
fn listed(out: &Output) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for line in text(&out.stdout).lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        *seen
            .entry(row["username"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    seen
}

fn assert_each_once(out: &Output, names: &[String], fault: &str) {
    assert!(
        out.status.success(),
        "{fault}: {}\n{}",
        text(&out.stderr),
        text(&out.stdout)
    );
    let seen = listed(out);
    assert_eq!(seen.len(), names.len(), "{fault}: every user");
    assert!(
        seen.values().all(|n| *n == 1),
        "{fault}: a user printed twice: {seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn listing_survives_server_errors_throttling_resets_latency_and_hangs() {
    for (fault, extra) in [
        ("error500", json!({})),
        ("throttle", json!({})),
        ("reset", json!({})),
        ("latency", json!({"latency_ms": 400})),
        ("hang", json!({"hang_s": 30})),
    ] {
        let (pool, names, _dir, config) = pool_of_130().await;
        let mut rule = json!({"operation": "ListUsers", "pool": pool.pool_id, "fault": fault,
                              "calls": [2, 3]});
        if fault == "latency" {
            rule["calls"] = json!(null);
        }
        if fault == "hang" {
            // One attempt times out after a second; the retry must fit the call's 3 s budget.
            rule["calls"] = json!([2]);
        }
        for (k, v) in extra.as_object().unwrap() {
            rule[k] = v.clone();
        }
        inject_faults(json!([rule]));
        let out = cogtui(&config, &["--timeout", "1", "list", "--format", "json"]);
        assert_each_once(&out, &names, fault);
        // The failed pages were asked again (the SDK retries reads), the others once.
        let calls = count_calls(&pool.pool_id, "ListUsers");
        let expected = match fault {
            "latency" => 3,
            "hang" => 4,
            _ => 5,
        };
        assert_eq!(calls, expected, "{fault}: ListUsers calls");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_on_two_pages_is_listed_once() {
    let (pool, names, _dir, config) = pool_of_130().await;
    inject_faults(json!([
        {"operation": "ListUsers", "pool": pool.pool_id, "fault": "duplicate_user", "calls": [2, 3]}
    ]));
    let out = cogtui(&config, &["list", "--format", "json"]);
    assert_each_once(&out, &names, "duplicate_user");
    let out = cogtui(&config, &["list", "--format", "csv"]);
    let rows = text(&out.stdout).lines().count();
    assert_eq!(rows, names.len() + 1, "CSV: a header and each user once");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeated_pagination_token_stops_the_listing_with_the_rows_so_far() {
    let (pool, _names, _dir, config) = pool_of_130().await;
    inject_faults(json!([
        {"operation": "ListUsers", "pool": pool.pool_id, "fault": "repeat_token", "calls": [2]}
    ]));
    let out = cogtui(&config, &["list", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("PaginationLoop"), "{stderr}");
    assert!(
        stderr.contains("stopped after 120 users in 2 pages"),
        "{stderr}"
    );
    let seen = listed(&out);
    assert_eq!(seen.len(), 120, "the two pages before the loop are kept");
    assert_eq!(
        count_calls(&pool.pool_id, "ListUsers"),
        2,
        "no third call with a repeated token"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_listing_that_keeps_failing_says_how_far_it_got() {
    let (pool, _names, _dir, config) = pool_of_130().await;
    inject_faults(json!([
        {"operation": "ListUsers", "pool": pool.pool_id, "fault": "error500", "calls": [3, 4, 5, 6, 7, 8]}
    ]));
    let out = cogtui(&config, &["list", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("InternalErrorException"), "{stderr}");
    assert!(stderr.contains("after 120 users in 2 pages"), "{stderr}");
    assert_eq!(listed(&out).len(), 120);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resend_without_an_answer_may_have_been_sent_and_is_not_retried() {
    for fault in ["hang", "error500", "reset"] {
        let pool = TestPool::new(false).await;
        pool.sign_up("wendy", "wendy@example.com", None).await;
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        std::fs::write(&config, pool.config_toml("")).unwrap();
        inject_faults(json!([
            {"operation": "ResendConfirmationCode", "pool": pool.pool_id, "fault": fault, "hang_s": 20}
        ]));
        let out = cogtui(&config, &["--timeout", "1", "resend", "wendy"]);
        assert_eq!(out.status.code(), Some(1), "{fault}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains("may have been sent"), "{fault}: {stderr}");
        assert!(!stderr.contains("try again"), "{fault}: {stderr}");
        assert!(
            stderr.contains("at: "),
            "{fault}: the time is given: {stderr}"
        );
        assert_eq!(
            count_calls(&pool.pool_id, "ResendConfirmationCode"),
            1,
            "{fault}: reached the emulator exactly once"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_disabled_user_gets_a_hint_about_the_account_not_the_secret() {
    let pool = TestPool::new(false).await;
    pool.sign_up("dora", "dora@example.com", None).await;
    pool.disable("dora").await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml("")).unwrap();
    let out = cogtui(&config, &["resend", "dora"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("disabled"), "{stderr}");
    assert!(!stderr.contains("secret"), "{stderr}");
}

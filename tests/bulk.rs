//! Bulk work headless against the emulator: prune and resend --stdin on a few hundred users,
//! with faults injected mid-run, confirmations, reruns and the audit log.

mod common;

use common::{pool_config, text};

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use common::TestPool;

const DAY: f64 = 86_400.0;

fn cogtui(config: &Path, args: &[&str]) -> Output {
    common::run_cogtui(config, None, None, args)
}

/// Runs cogtui with `input` on stdin (and no terminal).
fn cogtui_stdin(config: &Path, args: &[&str], input: &str) -> Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cogtui"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE")
        .env("XDG_DATA_HOME", config.with_extension("data"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn audit_outcomes(config: &Path, action: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(config.with_file_name("audit.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["event"] == "outcome" && r["action"] == action)
        .collect()
}

async fn remaining(pool: &TestPool) -> Vec<String> {
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = pool
            .admin
            .list_users()
            .user_pool_id(&pool.pool_id)
            .set_pagination_token(token)
            .send()
            .await
            .unwrap();
        names.extend(
            page.users()
                .iter()
                .map(|u| u.username().unwrap().to_string()),
        );
        token = page.pagination_token().map(str::to_string);
        if token.is_none() {
            return names;
        }
    }
}

#[tokio::test]
async fn prune_lists_first_asks_and_deletes_only_old_pending_users_through_faults() {
    let pool = TestPool::new(false).await;
    let old = pool.sign_up_many("old", 250).await;
    let new = pool.sign_up_many("new", 50).await;
    pool.sign_up("old.confirmed", "oc@example.com", None).await;
    pool.confirm("old.confirmed").await;
    let mut ages: Vec<(&str, f64)> = old.iter().map(|u| (u.as_str(), 40.0 * DAY)).collect();
    ages.push(("old.confirmed", 40.0 * DAY));
    common::backdate(&pool.pool_id, &ages);
    let (_dir, config) = pool_config(&pool, "");

    let out = cogtui(&config, &["prune", "--older-than", "30d", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    assert_eq!(listed.lines().count(), 250, "{listed}");
    assert!(listed.lines().all(|l| l.starts_with("would delete old")));
    assert!(text(&out.stderr).contains("dry run: nothing deleted"));
    // No terminal and no --yes: nothing happens.
    let out = cogtui(&config, &["prune", "--older-than", "30d"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("nothing deleted: there is no terminal"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(remaining(&pool).await.len(), 301);
    assert_eq!(common::count_calls(&pool.pool_id, "AdminDeleteUser"), 0);

    // A server error and a throttle mid-run: deletes are idempotent, so the SDK retries them.
    common::inject_faults(serde_json::json!([
        {"operation": "AdminDeleteUser", "pool": pool.pool_id, "fault": "error500", "calls": [20]},
        {"operation": "AdminDeleteUser", "pool": pool.pool_id, "fault": "throttle", "calls": [40]},
    ]));
    let out = cogtui(
        &config,
        &[
            "prune",
            "--older-than",
            "30d",
            "--yes",
            "--limit",
            "100",
            "--rate",
            "50",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("deleted 100\n"), "{stderr}");
    assert!(stderr.contains("audit log: "), "{stderr}");
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("to delete old"))
            .count(),
        100
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("deleted old"))
            .count(),
        100
    );
    assert_eq!(
        common::count_calls(&pool.pool_id, "AdminDeleteUser"),
        102,
        "the two faulted deletes were retried once each"
    );
    // A rerun continues with what is left.
    let out = cogtui(
        &config,
        &["prune", "--older-than", "30d", "--yes", "--rate", "50"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("deleted 150\n"),
        "{}",
        text(&out.stderr)
    );
    let left = remaining(&pool).await;
    assert_eq!(left.len(), 51);
    assert!(
        left.contains(&"old.confirmed".to_string()),
        "only pending users go"
    );
    assert!(new.iter().all(|n| left.contains(n)), "young users stay");

    let deleted = audit_outcomes(&config, "delete");
    assert_eq!(deleted.len(), 250);
    assert!(deleted.iter().all(|r| r["outcome"] == "done"));
    assert!(
        deleted[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("prune: older than 30d, status unconfirmed"),
        "{}",
        deleted[0]
    );
}

#[tokio::test]
async fn resend_stdin_sends_to_each_user_skips_the_limited_and_never_retries_a_send() {
    let pool = TestPool::new(false).await;
    let users = pool.sign_up_many("bulk", 200).await;
    let (_dir, config) = pool_config(&pool, "");
    // One user already had five codes this hour.
    for _ in 0..5 {
        assert!(cogtui(&config, &["resend", &users[0]]).status.success());
    }
    let listed = cogtui(&config, &["list", "--format", "json"]);
    let input: String = text(&listed.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!("{}\n", v["username"].as_str().unwrap())
        })
        .collect();
    assert_eq!(input.lines().count(), 200);

    let out = cogtui_stdin(&config, &["resend", "--stdin", "--dry-run"], &input);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 199);
    assert!(text(&out.stderr).contains("dry run: 199 would get a code, 1 skipped"));
    let out = cogtui_stdin(&config, &["resend", "--stdin"], &input);
    assert_eq!(out.status.code(), Some(2), "no terminal, no --yes");
    assert_eq!(common::recorded_requests(&pool.client_id).len(), 5);

    // Throttled once mid-run: a send is never retried, so that user fails and the run goes on.
    common::inject_faults(serde_json::json!([
        {"operation": "ResendConfirmationCode", "pool": pool.pool_id, "fault": "throttle", "calls": [10]},
    ]));
    let out = cogtui_stdin(
        &config,
        &[
            "resend", "--stdin", "--yes", "--ticket", "OUTAGE-1", "--rate", "50",
        ],
        &input,
    );
    assert_eq!(out.status.code(), Some(1), "one failure: exit 1");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("sent 198 · skipped 1 · failed 1"),
        "{stderr}"
    );
    assert!(stderr.contains("TooManyRequestsException"), "{stderr}");
    assert!(
        stderr.contains(&format!("skipped {}: five resends", users[0])),
        "{stderr}"
    );
    assert_eq!(
        common::count_calls(&pool.pool_id, "ResendConfirmationCode"),
        5 + 199,
        "each user called once, the throttled one not retried"
    );
    let sent = audit_outcomes(&config, "resend");
    assert_eq!(
        sent.iter().filter(|r| r["ticket"] == "OUTAGE-1").count(),
        199
    );
}

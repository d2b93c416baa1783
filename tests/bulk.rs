//! Bulk work headless against the emulator: prune and resend --stdin on a few hundred users,
//! with faults injected mid-run, confirmations, reruns and the audit log.

mod common;

use common::{pool_config, text};

use std::path::Path;

use common::TestPool;
use common::{cogtui, cogtui_stdin};

const DAY: f64 = 86_400.0;

fn audit_outcomes(config: &Path, action: &str) -> Vec<serde_json::Value> {
    common::audit_lines(config)
        .into_iter()
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

    // Mid-run: a delete whose answer is lost (the emulator deletes, then drops the connection),
    // a server error and a throttle. No delete is ever sent twice: the lost answer is settled by
    // a fresh look, the other two fail and stay for the next run.
    common::inject_faults(serde_json::json!([
        {"operation": "AdminDeleteUser", "pool": pool.pool_id, "fault": "lose_answer", "calls": [10]},
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
    assert_eq!(out.status.code(), Some(1), "two failures: exit 1");
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(
            "250 users match (older than 30d, status UNCONFIRMED); this run deletes the oldest 100"
        ),
        "the count comes first, and says how many matched: {stderr}"
    );
    assert!(stderr.contains("deleted 98 · failed 2\n"), "{stderr}");
    assert!(
        stderr.contains("still there: a fresh look found the user"),
        "{stderr}"
    );
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
        98
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.ends_with("(deleted: confirmed by a fresh look)"))
            .count(),
        1,
        "{stdout}"
    );
    assert_eq!(
        common::count_calls(&pool.pool_id, "AdminDeleteUser"),
        100,
        "no delete was sent twice"
    );
    // A rerun continues with what is left.
    let out = cogtui(
        &config,
        &["prune", "--older-than", "30d", "--yes", "--rate", "50"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("deleted 152\n"),
        "{}",
        text(&out.stderr)
    );
    // `--status all` lists the confirmed account too, and never deletes it.
    let out = cogtui(
        &config,
        &[
            "prune",
            "--older-than",
            "30d",
            "--status",
            "all",
            "--yes",
            "--rate",
            "50",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("0 users match")
            && text(&out.stderr).contains("1 listed users are not pending"),
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
    assert_eq!(
        deleted.len(),
        252,
        "250 deletes and the two failed attempts"
    );
    assert_eq!(
        deleted.iter().filter(|r| r["outcome"] == "done").count(),
        250
    );
    assert_eq!(
        deleted.iter().filter(|r| r["outcome"] == "failed").count(),
        2
    );
    assert!(
        deleted[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("prune: older than 30d, status UNCONFIRMED"),
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
        stderr.contains(&format!("skipped {}: 5 resends in the last hour", users[0])),
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
    // The same run again, as the summary invites after a failure: only the user whose send
    // failed gets a code; who got one in the last 15 minutes is skipped and listed.
    let out = cogtui_stdin(
        &config,
        &["resend", "--stdin", "--yes", "--rate", "50"],
        &input,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("sent 1 · skipped 199"), "{stderr}");
    assert!(stderr.contains("less than 15 minutes ago"), "{stderr}");
    assert_eq!(
        common::count_calls(&pool.pool_id, "ResendConfirmationCode"),
        5 + 199 + 1
    );
    // --again sends anyway (but never past the hourly limit).
    let out = cogtui_stdin(
        &config,
        &["resend", "--stdin", "--again", "--dry-run"],
        &input,
    );
    assert!(
        text(&out.stderr).contains("dry run: 199 would get a code, 1 skipped"),
        "{}",
        text(&out.stderr)
    );
}

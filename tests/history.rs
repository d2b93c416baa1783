//! The audit log as a user meets it: `resend` records, `history` reads back, the sixth resend in
//! an hour never leaves the machine, two processes share one file. Real binary, real emulator.

mod common;

use common::{pool_config, text};

use common::TestPool;
use common::{audit_lines, cogtui};

fn resends_recorded(pool: &TestPool, username: &str) -> usize {
    common::recorded_requests(&pool.client_id)
        .iter()
        .filter(|r| r["Username"] == username)
        .count()
}

#[tokio::test]
async fn every_resend_writes_intent_then_outcome_and_history_reads_them_back() {
    let pool = TestPool::new(false).await;
    pool.sign_up("ida", "ida@example.com", None).await;
    let (_dir, config) = pool_config(&pool, "ticket_metadata_key = \"ticket\"\n");

    let out = cogtui(&config, &["resend", "ida", "--ticket", "INC-7"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let sent = common::recorded_requests(&pool.client_id);
    assert_eq!(
        sent.last().unwrap()["ClientMetadata"]["ticket"],
        "INC-7",
        "the ticket reaches the trigger under ticket_metadata_key"
    );
    let lines = audit_lines(&config);
    assert_eq!(lines.len(), 2);
    let (intent, outcome) = (&lines[0], &lines[1]);
    assert_eq!(intent["event"], "intent");
    assert_eq!(intent["outcome"], serde_json::Value::Null);
    assert_eq!(outcome["event"], "outcome");
    assert_eq!(intent["id"], outcome["id"]);
    for record in [intent, outcome] {
        assert_eq!(record["action"], "resend");
        assert_eq!(record["pool"], "test");
        assert_eq!(record["user_pool_id"], pool.pool_id.as_str());
        assert_eq!(record["username"], "ida");
        assert_eq!(record["ticket"], "INC-7");
        assert_eq!(record["client_metadata"]["ticket"], "INC-7");
        assert!(!record["operator"]["user"].as_str().unwrap().is_empty());
        // moto's STS answers GetCallerIdentity for any credentials.
        assert!(
            record["operator"]["arn"]
                .as_str()
                .unwrap()
                .starts_with("arn:aws:"),
            "{record}"
        );
        assert_eq!(record["version"], env!("CARGO_PKG_VERSION"));
    }
    assert_eq!(outcome["outcome"], "sent");
    assert_eq!(outcome["destination"], "i***@e***.com");
    assert_eq!(outcome["delivery_medium"], "EMAIL");
    assert_eq!(outcome["attribute_name"], "email");

    // A user who is not there is refused before any call: nothing to record.
    let out = cogtui(&config, &["resend", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(audit_lines(&config).len(), 2);
    // A failure is recorded as one, with its code.
    common::inject_faults(serde_json::json!([
        {"operation": "ResendConfirmationCode", "pool": pool.pool_id, "fault": "throttle", "calls": [1]}
    ]));
    let out = cogtui(&config, &["resend", "ida", "--ticket", "INC-7"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let lines = audit_lines(&config);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[3]["outcome"], "failed");
    assert_eq!(lines[3]["error_code"], "TooManyRequestsException");

    let out = cogtui(&config, &["history", "ida", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "one line per action, for ida only");
    assert_eq!(rows[0]["outcome"], "sent");
    assert_eq!(rows[1]["outcome"], "failed");
    assert_eq!(rows[0]["ticket"], "INC-7");

    let out = cogtui(&config, &["history", "--format", "table"]);
    let table = text(&out.stdout);
    assert!(table.starts_with("TIME"), "{table}");
    assert!(
        table.contains("INC-7") && table.contains("i***@e***.com"),
        "{table}"
    );
    assert!(table.contains("TooManyRequestsException"), "{table}");

    let out = cogtui(&config, &["history", "--format", "csv", "--since", "1h"]);
    assert_eq!(
        text(&out.stdout).lines().count(),
        3,
        "{}",
        text(&out.stdout)
    );
    let out = cogtui(&config, &["history", "--since", "soon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("24h or 7d"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn the_sixth_resend_within_an_hour_never_reaches_cognito() {
    let pool = TestPool::new(false).await;
    pool.sign_up("joe", "joe@example.com", None).await;
    let (_dir, config) = pool_config(&pool, "");
    // Five separate processes: the count comes from the file, not from memory.
    for i in 1..=5 {
        let ticket = format!("T-{i}");
        let out = cogtui(&config, &["resend", "joe", "--ticket", &ticket]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    assert_eq!(resends_recorded(&pool, "joe"), 5);

    let out = cogtui(&config, &["resend", "joe"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: HourlyLimitReached: 5 resends in the last hour ("),
        "{stderr}"
    );
    let first = stderr.lines().next().unwrap();
    let times = &first[first.find('(').unwrap() + 1..first.find(')').unwrap()];
    assert_eq!(
        times.split(", ").count(),
        5,
        "the five times are named: {first}"
    );
    assert!(first.contains("): Cognito refuses more until "), "{first}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        resends_recorded(&pool, "joe"),
        5,
        "the sixth never left the machine"
    );
    assert_eq!(
        audit_lines(&config).len(),
        10,
        "a refused send is not an attempt"
    );

    let out = cogtui(&config, &["resend", "joe", "--force"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("LimitExceededException"), "{stderr}");
    assert!(
        stderr.contains("next: a resend to joe is possible at "),
        "Cognito's refusal says when, from the audit log: {stderr}"
    );
    assert_eq!(resends_recorded(&pool, "joe"), 6, "--force sends anyway");

    let out = cogtui(&config, &["diagnose", "--user", "joe", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let resends = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "user_resends")
        .unwrap()
        .clone();
    assert_eq!(resends["status"], "fail");
    assert!(
        resends["summary"]
            .as_str()
            .unwrap()
            .starts_with("5 resends in the last hour, 5 in the last 24 hours"),
        "{resends}"
    );
    assert!(
        resends["detail"].as_str().unwrap().contains("T-5"),
        "{resends}"
    );
}

#[tokio::test]
async fn two_processes_sending_at_once_write_one_clean_history() {
    let pool = TestPool::new(false).await;
    let users = ["ka", "kb", "kc", "kd", "ke", "kf"];
    for u in users {
        pool.sign_up(u, &format!("{u}@example.com"), None).await;
    }
    let (_dir, config) = pool_config(&pool, "");
    let runs: Vec<_> = [&users[..3], &users[3..]]
        .into_iter()
        .map(|batch| {
            let config = config.clone();
            let batch: Vec<String> = batch.iter().map(|s| s.to_string()).collect();
            std::thread::spawn(move || {
                for user in batch {
                    let out = cogtui(&config, &["resend", &user]);
                    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
                }
            })
        })
        .collect();
    for run in runs {
        run.join().unwrap();
    }
    let lines = audit_lines(&config);
    assert_eq!(lines.len(), 12);
    let out = cogtui(&config, &["history", "--format", "json"]);
    let rows: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r["outcome"] == "sent"), "{rows:?}");
}

#[tokio::test]
async fn nothing_is_sent_without_an_audit_record() {
    let pool = TestPool::new(false).await;
    pool.sign_up("lou", "lou@example.com", None).await;
    let dir = tempfile::tempdir().unwrap();
    // The audit log's folder is a file: the intent cannot be written.
    std::fs::write(dir.path().join("blocked"), "").unwrap();
    let config = dir.path().join("config.toml");
    let body = pool.config_toml("").replace(
        "audit_log = \"audit.jsonl\"",
        "audit_log = \"blocked/audit.jsonl\"",
    );
    std::fs::write(&config, body).unwrap();
    let out = cogtui(&config, &["resend", "lou"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("AuditLogUnavailable: nothing was sent"),
        "{stderr}"
    );
    assert!(stderr.contains("blocked/audit.jsonl"), "{stderr}");
    assert_eq!(resends_recorded(&pool, "lou"), 0);
}

#[tokio::test]
async fn a_torn_line_in_the_log_is_skipped_with_a_warning() {
    let pool = TestPool::new(false).await;
    pool.sign_up("max", "max@example.com", None).await;
    let (_dir, config) = pool_config(&pool, "");
    let audit = config.with_file_name("audit.jsonl");
    std::fs::write(&audit, "{\"id\":\"x\",\"event\":\"inte").unwrap();
    let out = cogtui(&config, &["resend", "max"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = cogtui(&config, &["history", "--format", "json"]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout).lines().count(), 1);
    assert!(
        text(&out.stderr).contains("audit.jsonl:1: skipped"),
        "{}",
        text(&out.stderr)
    );
}

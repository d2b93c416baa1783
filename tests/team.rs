//! A desk, not a person: the audit stores (the file, and DynamoDB in the emulator) under one
//! suite, claims between processes, a colleague's sends, the shared store's refusal without an
//! AWS identity, and `audit import` run twice.

mod common;

use chrono::{Datelike, Duration, Utc};
use cogtui::audit::{AuditLog, Claim, Event, Operator, Outcome, Record};
use common::TestPool;

const POOL: &str = "eu-west-1_Desk";

fn record(id: &str, username: &str, event: Event, ago: Duration, who: &str) -> Record {
    Record {
        id: id.into(),
        event,
        time: Utc::now() - ago,
        operator: Operator {
            user: "laptop".into(),
            arn: Some(format!(
                "arn:aws:sts::123456789012:assumed-role/support/{who}"
            )),
        },
        pool: "desk".into(),
        user_pool_id: POOL.into(),
        username: username.into(),
        action: "resend".into(),
        ticket: Some("T-1".into()),
        client_metadata: Default::default(),
        outcome: (event == Event::Outcome).then_some(Outcome::Sent),
        destination: None,
        delivery_medium: Some("EMAIL".into()),
        attribute_name: None,
        error_code: None,
        reason: None,
        details: Default::default(),
        version: "test".into(),
    }
}

fn table_config(name: &str) -> cogtui::config::AuditTable {
    cogtui::config::AuditTable {
        table: name.into(),
        region: "eu-west-1".into(),
        profile: None,
        endpoint_url: Some(common::endpoint()),
        retain_days: Some(400),
    }
}

/// The audit store's client takes its credentials from the standard chain: the emulator's test
/// keys, set once for this test binary before any test reads the environment (every test calls
/// this first, and the `Once` makes the others wait).
fn creds() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: no other thread of this binary reads the environment before this returns:
        // every test starts by calling `creds()`, which waits on the `Once`.
        unsafe {
            std::env::set_var("AWS_ACCESS_KEY_ID", "test");
            std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
        }
    });
}

/// A new table in the emulator, created as `cogtui audit init` does.
fn table(name: &str) -> AuditLog {
    let log = AuditLog::dynamodb(&table_config(&format!("{name}-{}", std::process::id())));
    log.table()
        .expect("a table")
        .create()
        .expect("create the table");
    log
}

/// The same questions to either store, the same answers.
fn suite(log: &AuditLog) {
    // A send: its intent and outcome; the outcome written twice is there once.
    let intent = record("r1", "Jane", Event::Intent, Duration::minutes(5), "alice");
    let outcome = record("r1", "Jane", Event::Outcome, Duration::minutes(5), "alice");
    log.append(&intent).unwrap();
    log.append(&outcome).unwrap();
    // A send last month, and one to another user.
    log.append(&record(
        "old",
        "jane",
        Event::Outcome,
        Duration::days(35),
        "bob",
    ))
    .unwrap();
    log.append(&record(
        "r2",
        "omar",
        Event::Outcome,
        Duration::minutes(2),
        "bob",
    ))
    .unwrap();

    let recent = Some(Utc::now() - cogtui::audit::RECENT);
    let jane = log.attempts_of(POOL, "jane", false, recent).unwrap();
    assert_eq!(
        jane.len(),
        1,
        "one attempt, its intent and outcome paired: {jane:#?}"
    );
    assert_eq!(jane[0].outcome(), Some(Outcome::Sent));
    assert_eq!(
        log.attempts_of(POOL, "jane", true, recent).unwrap().len(),
        0,
        "a case-sensitive pool tells jane from Jane"
    );
    // The hourly guard's window does not reach last month; `history --since 40d` does.
    let (month, _) = log
        .read_since(Some(Utc::now() - Duration::days(40)), |_| true)
        .unwrap();
    let ids: Vec<&str> = month.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["old", "r1", "r1", "r2"], "oldest first");
    let (day, _) = log
        .read_since(Some(Utc::now() - Duration::days(1)), |r| {
            r.username == "omar"
        })
        .unwrap();
    assert_eq!(day.len(), 1);
    let by_user = log.by_user(POOL, false, recent).unwrap();
    assert_eq!(by_user.of("JANE").len(), 1);
    assert_eq!(by_user.of("omar").len(), 1);

    // Claims: one holder at a time, renewed by the holder, free once released.
    let claim = |who: &str| Claim {
        operator: format!("arn:aws:sts::123456789012:assumed-role/support/{who}"),
        name: who.into(),
        ticket: Some("T-1001".into()),
        since: Utc::now(),
        until: Utc::now() + cogtui::audit::CLAIM_FOR,
    };
    assert_eq!(log.claim(POOL, "jane", claim("alice")).unwrap(), None);
    let held = log
        .claim(POOL, "JANE", claim("bob"))
        .unwrap()
        .expect("alice holds jane");
    assert_eq!(
        (held.name.as_str(), held.ticket.as_deref()),
        ("alice", Some("T-1001"))
    );
    assert_eq!(
        log.claim(POOL, "jane", claim("alice")).unwrap(),
        None,
        "a renewal"
    );
    log.release(POOL, "jane", &claim("bob").operator).unwrap();
    assert!(
        log.claim(POOL, "jane", claim("bob")).unwrap().is_some(),
        "bob cannot let go of alice's claim"
    );
    log.release(POOL, "jane", &claim("alice").operator).unwrap();
    assert_eq!(log.claim(POOL, "jane", claim("bob")).unwrap(), None);
}

#[test]
fn the_file_store_answers_the_suite() {
    creds();
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::shared(dir.path().join("audit.jsonl"));
    suite(&log);
    assert!(
        log.files(None).len() >= 2,
        "a file a month: {:?}",
        log.files(None)
    );
}

#[test]
fn the_dynamodb_store_answers_the_suite() {
    creds();
    suite(&table("suite"));
}

#[tokio::test]
async fn the_shared_store_refuses_an_action_without_an_aws_identity() {
    creds();
    let pool = TestPool::new(false).await;
    pool.sign_up("nobody.knows", "n@example.com", None).await;
    let session = cogtui::cognito::session::PoolSession::new(pool_config(&pool), pool.api(), None);
    let log = table("noident");
    let anonymous = cogtui::ops::Auditor::new(log.clone(), Operator::from_os(), false);
    let done = anonymous
        .perform(
            &session,
            cogtui::ops::Request::new(
                "nobody.knows",
                cogtui::ops::Action::Resend(Default::default()),
            ),
            cogtui::time::Zone::utc(),
        )
        .await;
    let error = done.result.expect_err("refused");
    assert_eq!(error.kind, cogtui::cognito::ErrorKind::AuditUnavailable);
    assert!(
        error.message.contains("GetCallerIdentity"),
        "{}",
        error.message
    );
    assert!(
        common::recorded_requests(&pool.client_id).is_empty(),
        "nothing sent"
    );
    let (records, _) = log.read(|_| true).unwrap();
    assert!(records.is_empty(), "nothing recorded");
}

fn pool_config(pool: &TestPool) -> cogtui::config::PoolConfig {
    cogtui::config::PoolConfig::minimal("test", &pool.pool_id, &pool.client_id, "eu-west-1")
}

/// Two agents, each with their own AWS identity (assumed-role sessions), on one table.
async fn two_agents(
    pool: &TestPool,
    table_name: &str,
) -> (tempfile::TempDir, [std::path::PathBuf; 2]) {
    let dir = tempfile::tempdir().unwrap();
    let mut configs = Vec::new();
    let credentials = common::assumed_role_profiles(&["alice", "bob"]).await;
    for who in ["alice", "bob"] {
        let home = dir.path().join(who);
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(home.join("credentials"), &credentials).unwrap();
        let config = home.join("config.toml");
        std::fs::write(
            &config,
            format!(
                "[pools.test]\nuser_pool_id = \"{}\"\nclient_id = \"{}\"\nendpoint_url = \"{}\"\n\
                 profile = \"{who}\"\n\n[audit]\nstore = \"dynamodb\"\ntable = \"{table_name}\"\n\
                 region = \"eu-west-1\"\nendpoint_url = \"{}\"\nprofile = \"{who}\"\n",
                pool.pool_id,
                pool.client_id,
                common::endpoint(),
                common::endpoint()
            ),
        )
        .unwrap();
        configs.push(config);
    }
    (dir, [configs[0].clone(), configs[1].clone()])
}

fn agent(config: &std::path::Path, args: &[&str]) -> std::process::Command {
    let home = config.parent().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cogtui"));
    cmd.arg("--config")
        .arg(config)
        .arg("--log-file")
        .arg(home.join("cogtui.log"))
        .args(args)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_PROFILE")
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("AWS_CONFIG_FILE", home.join("none"));
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn two_agents_sending_to_one_user_at_once_send_once_and_the_other_is_told_who() {
    creds();
    let pool = TestPool::new(false).await;
    pool.sign_up("rita.race", "rita@example.com", None).await;
    let name = format!("race-{}", std::process::id());
    AuditLog::dynamodb(&table_config(&name))
        .table()
        .unwrap()
        .create()
        .unwrap();
    let (_dir, [alice, bob]) = two_agents(&pool, &name).await;
    let mut first = agent(&alice, &["resend", "rita.race", "--ticket", "T-1001"]);
    let mut second = agent(&bob, &["resend", "rita.race", "--ticket", "T-1002"]);
    // Both at once: each process claims, then sends.
    let (a, b) = (
        first
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
        second
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let sent: Vec<bool> = [&a, &b].iter().map(|o| o.status.success()).collect();
    assert_eq!(
        sent.iter().filter(|s| **s).count(),
        1,
        "exactly one sends: {sent:?}\n{}\n{}",
        common::text(&a.stderr),
        common::text(&b.stderr)
    );
    let refused = if sent[0] { &b } else { &a };
    let told = common::text(&refused.stderr);
    assert!(
        told.contains("ColleagueOnUser")
            && (told.contains("has had this user open") || told.contains("sent a code at")),
        "{told}"
    );
    assert_eq!(common::recorded_requests(&pool.client_id).len(), 1);
    // A deliberate --force goes on (the code before it becomes invalid: said in the hint).
    let loser = if sent[0] { &bob } else { &alice };
    let forced = agent(loser, &["resend", "rita.race", "--force"])
        .output()
        .unwrap();
    assert!(forced.status.success(), "{}", common::text(&forced.stderr));
    assert_eq!(common::recorded_requests(&pool.client_id).len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_colleagues_five_sends_this_hour_block_the_sixth() {
    creds();
    let pool = TestPool::new(false).await;
    pool.sign_up("five.times", "five@example.com", None).await;
    let name = format!("five-{}", std::process::id());
    let log = AuditLog::dynamodb(&table_config(&name));
    log.table().unwrap().create().unwrap();
    for minutes in [20, 30, 40, 50, 55] {
        for event in [Event::Intent, Event::Outcome] {
            let mut r = record(
                &format!("bob-{minutes}"),
                "five.times",
                event,
                Duration::minutes(minutes),
                "bob",
            );
            r.user_pool_id = pool.pool_id.clone();
            log.append(&r).unwrap();
        }
    }
    let (_dir, [alice, _]) = two_agents(&pool, &name).await;
    let out = agent(&alice, &["resend", "five.times"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", common::text(&out.stderr));
    assert!(
        common::text(&out.stderr).contains("HourlyLimitReached"),
        "{}",
        common::text(&out.stderr)
    );
    assert!(common::recorded_requests(&pool.client_id).is_empty());
}

#[test]
fn an_import_run_twice_adds_nothing() {
    creds();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("audit.jsonl");
    let personal = AuditLog::new(&file);
    for i in 0..60 {
        let r = record(
            &format!("i{i}"),
            &format!("user{}", i % 7),
            if i % 2 == 0 {
                Event::Intent
            } else {
                Event::Outcome
            },
            Duration::hours(i),
            "alice",
        );
        personal.append(&r).unwrap();
    }
    let name = format!("import-{}", std::process::id());
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[pools.p]\nuser_pool_id = \"{POOL}\"\nclient_id = \"c\"\n\n[audit]\nstore = \"dynamodb\"\n\
             table = \"{name}\"\nregion = \"eu-west-1\"\nendpoint_url = \"{}\"\n",
            common::endpoint()
        ),
    )
    .unwrap();
    let init = common::cogtui(&config, &["audit", "init"]);
    assert!(init.status.success(), "{}", common::text(&init.stderr));
    let files: Vec<String> = personal
        .files(None)
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut args = vec!["audit", "import"];
    args.extend(files.iter().map(String::as_str));
    for _ in 0..2 {
        let out = common::cogtui(&config, &args);
        assert!(out.status.success(), "{}", common::text(&out.stderr));
        assert!(common::text(&out.stdout).contains("imported 60 records"));
    }
    let export = common::cogtui(&config, &["audit", "export"]);
    assert!(export.status.success(), "{}", common::text(&export.stderr));
    assert_eq!(
        common::text(&export.stdout).lines().count(),
        60,
        "nothing twice"
    );
    let recent = common::cogtui(&config, &["audit", "export", "--since", "10h"]);
    assert_eq!(
        common::text(&recent.stdout).lines().count(),
        10,
        "{}",
        common::text(&recent.stdout)
    );
    // A line that is not a record: named with its file and line, and nothing written.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"id\":1}\n").unwrap();
    let out = common::cogtui(&config, &["audit", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::text(&out.stderr).contains("bad.jsonl:1:"),
        "{}",
        common::text(&out.stderr)
    );
}

#[test]
fn opening_a_dialog_costs_the_shared_store_two_round_trips() {
    creds();
    let log = table("trips");
    let name = log.table().unwrap().name.clone();
    let pool = cogtui::config::PoolConfig::minimal("desk", POOL, "c", "eu-west-1");
    for i in 0..40 {
        log.append(&record(
            &format!("t{i}"),
            "tess",
            Event::Outcome,
            Duration::minutes(i),
            "bob",
        ))
        .unwrap();
    }
    let alice = cogtui::ops::Auditor::new(
        log,
        Operator {
            user: "laptop".into(),
            arn: Some("arn:aws:sts::123456789012:assumed-role/support/alice".into()),
        },
        false,
    );
    let before = common::requests_for(&name).len();
    let colleague = alice
        .open_user(&pool, "tess", None, false, cogtui::time::Zone::utc(), None)
        .unwrap();
    assert!(
        colleague
            .as_deref()
            .is_some_and(|c| c.starts_with("bob sent a code at ")),
        "{colleague:?}"
    );
    let calls: Vec<String> = common::requests_for(&name)[before..]
        .iter()
        .map(|r| r["operation"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        calls,
        ["PutItem", "Query"],
        "the claim, then the user's records"
    );
}

#[test]
fn history_over_every_month_streams_month_by_month_and_pairs_across_a_month_end() {
    creds();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let log = AuditLog::shared(&path);
    // An intent written just before a month ended, its outcome just after; then a month of
    // sends, and an intent whose outcome never came.
    let month_end = Utc::now()
        .date_naive()
        .with_day(1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    let mut intent = record("edge", "eve", Event::Intent, Duration::zero(), "alice");
    intent.time = month_end - Duration::seconds(2);
    let mut outcome = record("edge", "eve", Event::Outcome, Duration::zero(), "alice");
    outcome.time = month_end + Duration::seconds(1);
    log.append(&intent).unwrap();
    log.append(&outcome).unwrap();
    for i in 0..5 {
        for event in [Event::Intent, Event::Outcome] {
            let mut r = record(&format!("old{i}"), "otto", event, Duration::zero(), "bob");
            r.time = month_end - Duration::days(40) + Duration::hours(i);
            log.append(&r).unwrap();
        }
    }
    log.append(&record(
        "open",
        "una",
        Event::Intent,
        Duration::minutes(1),
        "alice",
    ))
    .unwrap();
    assert!(log.files(None).len() >= 2, "{:?}", log.files(None));
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "audit_log = \"audit.jsonl\"\n[pools.p]\nuser_pool_id = \"{POOL}\"\nclient_id = \"c\"\n"
        ),
    )
    .unwrap();
    let json = common::cogtui(&config, &["history", "--format", "json"]);
    assert!(json.status.success(), "{}", common::text(&json.stderr));
    let lines: Vec<serde_json::Value> = common::text(&json.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["old0", "old1", "old2", "old3", "old4", "edge", "open"],
        "each attempt once, in order; the one across the month end paired"
    );
    assert_eq!(lines[5]["outcome"], "sent");
    assert_eq!(lines[6]["outcome"], serde_json::Value::Null);
    // Rotation: last month's sends are found by `history --since`, not by the hourly guard.
    let since = common::cogtui(
        &config,
        &["history", "otto", "--since", "90d", "--format", "json"],
    );
    assert_eq!(common::text(&since.stdout).lines().count(), 5);
    assert!(
        log.attempts_of(
            POOL,
            "otto",
            false,
            Some(Utc::now() - cogtui::audit::RECENT)
        )
        .unwrap()
        .is_empty()
    );
    let csv = common::cogtui(&config, &["history", "--format", "csv"]);
    let text = common::text(&csv.stdout);
    assert_eq!(
        text.matches("time,pool,username").count(),
        1,
        "one header: {text}"
    );
    assert_eq!(text.lines().count(), 8);
}

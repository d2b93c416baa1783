//! The delivery evidence through the real SDKs against the emulator: SES v2, SNS and CloudWatch
//! Logs, each test in a region of its own (the services' state is per account and region, and
//! the tests run at once), the pool itself in the tests' region.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    CloudWatchLogsConfigurationType, EmailConfigurationType, EmailSendingAccountType,
    EventSourceName, LogConfigurationType, LogLevel, SmsConfigurationType, VerifiedAttributeType,
};
use common::TestPool;
use serde_json::json;

/// A pool whose email goes out through SES in `region`, whose SMS go through SNS in `region`,
/// and whose delivery errors are logged to a log group there.
async fn pool_in(region: &str, email: bool, phone: bool) -> (TestPool, String) {
    let admin = common::admin_client();
    let mut create = admin
        .create_user_pool()
        .pool_name(format!("evidence-{region}-{}", std::process::id()))
        .email_configuration(
            EmailConfigurationType::builder()
                .email_sending_account(EmailSendingAccountType::Developer)
                .source_arn(format!(
                    "arn:aws:ses:{region}:123456789012:identity/example.com"
                ))
                .build(),
        )
        .sms_configuration(
            SmsConfigurationType::builder()
                .sns_caller_arn("arn:aws:iam::123456789012:role/sms")
                .sns_region(region)
                .build(),
        );
    if email {
        create = create.auto_verified_attributes(VerifiedAttributeType::Email);
    }
    if phone {
        create = create.auto_verified_attributes(VerifiedAttributeType::PhoneNumber);
    }
    let pool_id = create
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let group = format!("/cogtui-tests/{region}/{}", std::process::id());
    admin
        .set_log_delivery_configuration()
        .user_pool_id(&pool_id)
        .log_configurations(
            LogConfigurationType::builder()
                .log_level(LogLevel::Error)
                .event_source(EventSourceName::UserNotification)
                .cloud_watch_logs_configuration(
                    CloudWatchLogsConfigurationType::builder()
                        .log_group_arn(format!(
                            "arn:aws:logs:{region}:123456789012:log-group:{group}"
                        ))
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let pool = TestPool::with_client(admin, pool_id, "evidence", false).await;
    (pool, group)
}

/// `diagnose --user` as JSON: the checks by id.
fn diagnose(config: &std::path::Path, user: &str) -> serde_json::Value {
    let out = common::cogtui(config, &["diagnose", "--user", user, "--format", "json"]);
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut by_id = serde_json::Map::new();
    for check in v["checks"].as_array().unwrap() {
        by_id.insert(check["id"].as_str().unwrap().to_string(), check.clone());
    }
    serde_json::Value::Object(by_id)
}

fn status<'a>(checks: &'a serde_json::Value, id: &str) -> &'a str {
    checks[id]["status"]
        .as_str()
        .unwrap_or_else(|| panic!("no check {id} in {checks:#}"))
}

fn summary<'a>(checks: &'a serde_json::Value, id: &str) -> &'a str {
    checks[id]["summary"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn each_users_evidence_is_shown_and_a_healthy_user_shows_ok_or_info() {
    let region = "ap-south-1";
    let (pool, _group) = pool_in(region, true, true).await;
    common::delivery_state(
        "/_cogtui/ses",
        json!({"region": region, "sandbox": false, "verified": ["example.com"],
               "suppressed": {"bea@example.com": "BOUNCE"}}),
    );
    common::delivery_state(
        "/_cogtui/sns",
        json!({"region": region, "opted_out": ["+447700900161"],
               "failing": {"+447700900162": "Phone carrier has blocked this message"}}),
    );
    pool.sign_up("bea", "bea@example.com", None).await;
    pool.sign_up("sam", "sam@example.com", Some("+447700900161"))
        .await;
    pool.sign_up("dan", "dan@example.com", Some("+447700900162"))
        .await;
    pool.sign_up("hal", "hal@example.com", None).await;
    let (_dir, config) = common::pool_config(&pool, "");
    // dan's code goes by SMS, and the carrier rejects it: SNS and Cognito log the failure.
    let sent = common::cogtui(&config, &["resend", "dan"]);
    assert!(sent.status.success(), "{}", common::text(&sent.stderr));

    let bea = diagnose(&config, "bea");
    assert_eq!(status(&bea, "ses_suppressed"), "fail");
    assert!(
        summary(&bea, "ses_suppressed").contains("(BOUNCE since 20"),
        "the reason and the date: {}",
        summary(&bea, "ses_suppressed")
    );
    assert!(summary(&bea, "ses_suppressed").contains("SES will not send to this address"));
    assert_eq!(status(&bea, "ses_account"), "ok", "out of the sandbox");
    assert_eq!(status(&bea, "ses_identity"), "ok");

    let sam = diagnose(&config, "sam");
    assert_eq!(status(&sam, "sms_opted_out"), "fail");
    assert!(summary(&sam, "sms_opted_out").contains("+447700900161 has opted out of SMS"));

    let dan = diagnose(&config, "dan");
    assert_eq!(status(&dan, "delivery_errors"), "fail");
    let errors = format!(
        "{} {}",
        summary(&dan, "delivery_errors"),
        dan["delivery_errors"]["detail"]
    );
    assert!(
        errors.contains("since the last send"),
        "the window starts at the audit log's send: {errors}"
    );
    assert!(
        errors.contains("Phone carrier has blocked this message"),
        "the provider's response: {errors}"
    );
    assert!(
        errors.contains("DirectPublishToPhoneNumber/Failure") && errors.contains("/cogtui-tests/"),
        "both logs searched and found: {errors}"
    );

    let hal = diagnose(&config, "hal");
    for id in [
        "ses_account",
        "ses_identity",
        "ses_suppressed",
        "ses_sandbox_recipient",
        "delivery_errors",
        "sns_account",
    ] {
        assert!(
            matches!(status(&hal, id), "ok" | "info" | "warn"),
            "{id}: {:#}",
            hal[id]
        );
    }
    assert!(
        summary(&hal, "delivery_errors").starts_with("No delivery error logged"),
        "{}",
        summary(&hal, "delivery_errors")
    );
    assert!(hal.get("sms_opted_out").is_none(), "hal has no phone");
}

#[tokio::test]
async fn in_the_sandboxes_only_verified_addresses_domains_and_numbers_get_a_code() {
    let region = "ca-central-1";
    let (pool, _) = pool_in(region, true, false).await;
    common::delivery_state(
        "/_cogtui/ses",
        json!({"region": region, "sandbox": true, "verified": ["example.org"],
               "unverified": ["example.com"], "sent_last_24h": 10}),
    );
    pool.sign_up("in.domain", "jane@example.org", None).await;
    pool.sign_up("outside", "joe@elsewhere.example", None).await;
    let (_dir, config) = common::pool_config(&pool, "");
    let inside = diagnose(&config, "in.domain");
    assert_eq!(status(&inside, "ses_account"), "fail", "the sandbox");
    assert_eq!(
        status(&inside, "ses_identity"),
        "fail",
        "{}",
        summary(&inside, "ses_identity")
    );
    assert_eq!(status(&inside, "ses_sandbox_recipient"), "ok");
    assert!(summary(&inside, "ses_sandbox_recipient").contains("(example.org)"));
    let outside = diagnose(&config, "outside");
    assert_eq!(status(&outside, "ses_sandbox_recipient"), "fail");

    let region = "sa-east-1";
    let (pool, _) = pool_in(region, false, true).await;
    common::delivery_state(
        "/_cogtui/sns",
        json!({"region": region, "sandbox": true, "verified": ["+447700900171"],
               "pending": ["+447700900172"]}),
    );
    pool.sign_up("known", "k@example.com", Some("+447700900171"))
        .await;
    pool.sign_up("pending", "p@example.com", Some("+447700900172"))
        .await;
    let (_dir, config) = common::pool_config(&pool, "");
    let known = diagnose(&config, "known");
    assert_eq!(status(&known, "sns_account"), "fail");
    assert_eq!(status(&known, "sms_sandbox_recipient"), "ok");
    let pending = diagnose(&config, "pending");
    assert_eq!(status(&pending, "sms_sandbox_recipient"), "fail");
    assert!(summary(&pending, "sms_sandbox_recipient").contains("still pending"));
}

#[tokio::test]
async fn each_new_call_denied_is_unknown_and_names_its_iam_action() {
    let region = "eu-north-1";
    let (pool, _) = pool_in(region, true, true).await;
    let denied =
        |operation: &str| json!({"operation": operation, "region": region, "fault": "denied"});
    common::inject_faults(json!([
        denied("GetAccount"),
        denied("GetEmailIdentity"),
        denied("GetSuppressedDestination"),
        denied("CheckIfPhoneNumberIsOptedOut"),
        denied("GetSMSSandboxAccountStatus"),
        denied("FilterLogEvents"),
    ]));
    pool.sign_up("denise", "denise@example.com", Some("+447700900181"))
        .await;
    let (_dir, config) = common::pool_config(&pool, "");
    let checks = diagnose(&config, "denise");
    for (id, action) in [
        ("ses_account", "ses:GetAccount"),
        ("ses_identity", "ses:GetEmailIdentity"),
        ("ses_suppressed", "ses:GetSuppressedDestination"),
        ("ses_sandbox_recipient", "ses:GetAccount"),
        ("sms_opted_out", "sns:CheckIfPhoneNumberIsOptedOut"),
        ("sms_sandbox_recipient", "sns:GetSMSSandboxAccountStatus"),
        ("sns_account", "sns:GetSMSSandboxAccountStatus"),
        ("delivery_errors", "logs:FilterLogEvents"),
    ] {
        assert_eq!(status(&checks, id), "unknown", "{id}: {:#}", checks[id]);
        assert!(
            summary(&checks, id).contains(action),
            "{id} names {action}: {}",
            summary(&checks, id)
        );
    }
    // Nothing else broke: the pool's own checks and the user's are there as ever.
    assert_eq!(status(&checks, "user_status"), "ok");

    // The sandbox's numbers, and the spend limit, denied on their own.
    let region = "ap-northeast-3";
    let (pool, _) = pool_in(region, false, true).await;
    common::delivery_state("/_cogtui/sns", json!({"region": region, "sandbox": true}));
    common::inject_faults(json!([
        {"operation": "ListSMSSandboxPhoneNumbers", "region": region, "fault": "denied"},
    ]));
    pool.sign_up("nina", "n@example.com", Some("+447700900182"))
        .await;
    let (_dir, config) = common::pool_config(&pool, "");
    let checks = diagnose(&config, "nina");
    assert_eq!(status(&checks, "sms_sandbox_recipient"), "unknown");
    assert!(summary(&checks, "sms_sandbox_recipient").contains("sns:ListSMSSandboxPhoneNumbers"));
}

#[tokio::test]
async fn the_fixes_take_an_address_off_the_list_and_opt_a_number_in_once_audited() {
    let region = "eu-south-1";
    let (pool, _) = pool_in(region, true, true).await;
    // A number of this run's own: SNS remembers an opt-in for 30 days.
    let number = format!("+4477{:08}", std::process::id() % 100_000_000);
    common::delivery_state(
        "/_cogtui/ses",
        json!({"region": region, "sandbox": false, "verified": ["example.com"],
               "suppressed": {"fay@example.com": "COMPLAINT"}}),
    );
    common::delivery_state(
        "/_cogtui/sns",
        json!({"region": region, "opted_out": [number]}),
    );
    pool.sign_up("fay", "fay@example.com", None).await;
    pool.sign_up("otto", "otto@example.com", Some(&number))
        .await;
    let (_dir, config) = common::pool_config(&pool, "");

    let dry = common::cogtui(&config, &["unsuppress", "fay", "--dry-run"]);
    assert!(dry.status.success(), "{}", common::text(&dry.stderr));
    assert!(
        common::text(&dry.stdout).contains("is on the SES suppression list"),
        "{}",
        common::text(&dry.stdout)
    );
    assert_eq!(status(&diagnose(&config, "fay"), "ses_suppressed"), "fail");
    let fixed = common::cogtui(&config, &["unsuppress", "fay", "--ticket", "T-9"]);
    assert!(fixed.status.success(), "{}", common::text(&fixed.stderr));
    assert!(common::text(&fixed.stdout).contains("off the SES suppression list"));
    assert_eq!(status(&diagnose(&config, "fay"), "ses_suppressed"), "ok");
    let again = common::cogtui(&config, &["unsuppress", "fay"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        common::text(&again.stderr).contains("is not on the SES suppression list"),
        "{}",
        common::text(&again.stderr)
    );

    let opted = common::cogtui(&config, &["sms-opt-in", "otto"]);
    assert!(opted.status.success(), "{}", common::text(&opted.stderr));
    assert_eq!(status(&diagnose(&config, "otto"), "sms_opted_out"), "ok");
    // STOP again: SNS allows one opt-in in 30 days, and the audit log says when the last was.
    common::delivery_state(
        "/_cogtui/sns",
        json!({"region": region, "opted_out": [number]}),
    );
    let soon = common::cogtui(&config, &["sms-opt-in", "otto"]);
    assert_eq!(soon.status.code(), Some(1));
    assert!(
        common::text(&soon.stderr).contains("OptInTooSoon"),
        "{}",
        common::text(&soon.stderr)
    );
    let records = common::audit_lines(&config);
    let actions: Vec<(&str, &str)> = records
        .iter()
        .filter(|r| r["event"] == "outcome")
        .map(|r| {
            (
                r["action"].as_str().unwrap(),
                r["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        vec![("unsuppress", "done"), ("sms-opt-in", "done")],
        "refusals write nothing; each fix is recorded: {records:#?}"
    );
    assert!(
        records
            .iter()
            .any(|r| r["action"] == "unsuppress" && r["ticket"] == "T-9"),
        "{records:#?}"
    );

    // Read-only: refused before anything is read or written.
    common::delivery_state(
        "/_cogtui/ses",
        json!({"region": region, "suppressed": {"fay@example.com": "BOUNCE"}}),
    );
    let refused = common::cogtui(&config, &["--read-only", "unsuppress", "fay"]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(status(&diagnose(&config, "fay"), "ses_suppressed"), "fail");
}

#[tokio::test]
async fn resend_watch_prints_the_logged_error_and_exits_1() {
    let region = "me-south-1";
    let (pool, _) = pool_in(region, false, true).await;
    common::delivery_state(
        "/_cogtui/sns",
        json!({"region": region, "failing": {"+447700900195": "Unknown error attempting to reach phone"}}),
    );
    pool.sign_up("wes", "wes@example.com", Some("+447700900195"))
        .await;
    pool.sign_up("quiet", "q@example.com", Some("+447700900196"))
        .await;
    let (_dir, config) = common::pool_config(&pool, "");
    let failed = common::cogtui(&config, &["resend", "wes", "--watch", "30s"]);
    assert_eq!(
        failed.status.code(),
        Some(1),
        "{}",
        common::text(&failed.stderr)
    );
    let out = common::text(&failed.stdout);
    assert!(out.contains("Code sent by SMS"), "{out}");
    assert!(
        out.contains("watch: ✘ delivery error logged at")
            && out.contains("Unknown error attempting to reach phone"),
        "{out}"
    );
    let quiet = common::cogtui(
        &config,
        &["resend", "quiet", "--watch", "1s", "--format", "json"],
    );
    assert!(quiet.status.success(), "{}", common::text(&quiet.stderr));
    let lines: Vec<serde_json::Value> = common::text(&quiet.stdout)
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let last = lines.last().expect("a watch line");
    assert_eq!(last["over"], true);
    assert!(
        last["watch"]
            .as_str()
            .unwrap()
            .starts_with("no delivery error logged in the"),
        "{lines:?}"
    );
}

#[tokio::test]
async fn cognitos_own_email_counts_what_cogtui_sent_today() {
    let admin = common::admin_client();
    let pool_id = admin
        .create_user_pool()
        .pool_name(format!("quota-{}", std::process::id()))
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .email_configuration(
            EmailConfigurationType::builder()
                .email_sending_account(EmailSendingAccountType::CognitoDefault)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let pool = TestPool::with_client(admin, pool_id, "quota", false).await;
    for name in ["q1", "q2", "q3"] {
        pool.sign_up(name, &format!("{name}@example.com"), None)
            .await;
    }
    let (_dir, config) = common::pool_config(&pool, "");
    for name in ["q1", "q2", "q3"] {
        let out = common::cogtui(&config, &["resend", name]);
        assert!(out.status.success(), "{}", common::text(&out.stderr));
    }
    let checks = diagnose(&config, "q1");
    assert_eq!(status(&checks, "cognito_email_quota"), "info");
    assert!(
        summary(&checks, "cognito_email_quota")
            .starts_with("At least 3 of 50 emails today: sign-ups and other tools count too"),
        "{}",
        summary(&checks, "cognito_email_quota")
    );
    assert_eq!(
        status(&checks, "ses_suppressed"),
        "info",
        "not this account's list"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dialog_shows_the_evidence_then_watches_the_send_and_shows_the_logged_error() {
    let region = "af-south-1";
    let (pool, _) = pool_in(region, false, true).await;
    common::delivery_state(
        "/_cogtui/sns",
        json!({"region": region, "failing": {"+447700900197": "Phone carrier has blocked this message"}}),
    );
    pool.sign_up("wanda", "wanda@example.com", Some("+447700900197"))
        .await;
    let (_dir, config) = common::pool_config(&pool, "");
    let mut tui = common::pty::Tui::start(&config);
    tui.wait_for("wanda");
    tui.send("\r");
    tui.wait_for("Resend confirmation code");
    // Asked of SES, SNS and the logs as the dialog opens: nothing logged yet.
    tui.wait_for("Evidence");
    tui.wait_gone("asking SES, SNS and the delivery logs");
    // One look at the user serves the Status line and the evidence.
    assert_eq!(common::count_calls(&pool.pool_id, "AdminGetUser"), 1);
    tui.send("s");
    tui.wait_for("Send a new confirmation code to wanda");
    tui.send("y");
    tui.wait_for("Code sent by SMS");
    let screen = tui.wait_for("Watch      ✘ delivery error logged at");
    assert!(
        // The SNS failure log and Cognito's own, written a moment apart: either is the last.
        screen.contains("Phone carrier has blocked this"),
        "{screen}"
    );
    tui.send("\x1b");
    tui.wait_gone("Resend confirmation code");
    tui.send("q");
}

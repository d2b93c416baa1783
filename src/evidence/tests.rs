use std::collections::HashMap;

use super::*;

fn denied(operation: Operation, code: &str) -> ApiError {
    ApiError::service(operation, code, Some("not authorized"))
}

fn account(production: bool, sent: f64) -> SesAccount {
    SesAccount {
        production,
        sending_enabled: true,
        enforcement: Some("HEALTHY".into()),
        max_24h: 200.0,
        sent_24h: sent,
    }
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("time")
        .with_timezone(&Utc)
}

#[test]
fn a_number_that_replied_stop_fails_and_says_what_to_do() {
    let check = sms_opted_out("+447700900149", Ok(true));
    assert_eq!(check.status, Status::Fail);
    assert!(check.summary.contains("+447700900149"), "{}", check.summary);
    assert!(check.summary.contains("replied STOP"), "{}", check.summary);
    assert!(check.detail.contains("once in 30 days"), "{}", check.detail);
    assert_eq!(sms_opted_out("+447700900123", Ok(false)).status, Status::Ok);
}

#[test]
fn a_failure_on_the_medium_the_code_does_not_take_is_information() {
    let stop = || sms_opted_out("+447700900149", Ok(true));
    assert_eq!(weigh(stop(), Some(true), "email").status, Status::Fail);
    assert_eq!(
        weigh(stop(), None, "email").status,
        Status::Fail,
        "unknown: the worst is said"
    );
    let by_email = weigh(stop(), Some(false), "email");
    assert_eq!(by_email.status, Status::Info);
    assert!(
        by_email.summary.contains("goes by email"),
        "{}",
        by_email.summary
    );
    let suppressed = ses_suppressed(
        "jane@example.com",
        Ok(Some(Suppressed {
            reason: "BOUNCE".into(),
            since: None,
        })),
    );
    assert_eq!(weigh(suppressed, Some(false), "SMS").status, Status::Info);
}

#[test]
fn the_sns_account_fails_in_the_sandbox_and_warns_at_the_default_spend_limit() {
    let attrs = |limit: Option<&str>| {
        Ok(limit
            .map(|l| HashMap::from([("MonthlySpendLimit".to_string(), l.to_string())]))
            .unwrap_or_default())
    };
    assert_eq!(
        sns_account(Ok(true), attrs(Some("100"))).status,
        Status::Fail
    );
    let default = sns_account(Ok(false), attrs(None));
    assert_eq!(default.status, Status::Warn);
    assert!(default.summary.contains("1 USD"), "{}", default.summary);
    assert_eq!(sns_account(Ok(false), attrs(Some("50"))).status, Status::Ok);
    let unknown = sns_account(
        Err(denied(Operation::SmsSandbox, "AuthorizationError")),
        attrs(None),
    );
    assert_eq!(unknown.status, Status::Unknown);
    assert!(unknown.summary.contains("sns:GetSMSSandboxAccountStatus"));
}

#[test]
fn the_ses_account_fails_in_the_sandbox_paused_or_shut_down_and_warns_near_its_quota() {
    let region = "eu-west-1";
    let sandbox = ses_account(region, Ok(account(false, 0.0)));
    assert_eq!(sandbox.status, Status::Fail);
    assert!(sandbox.summary.contains("sandbox"), "{}", sandbox.summary);
    assert_eq!(
        ses_account(region, Ok(account(true, 10.0))).status,
        Status::Ok
    );
    assert_eq!(
        ses_account(region, Ok(account(true, 180.0))).status,
        Status::Warn,
        "90 % of the quota"
    );
    let full = ses_account(region, Ok(account(true, 200.0)));
    assert_eq!(full.status, Status::Fail);
    assert!(full.summary.contains("used up"), "{}", full.summary);
    let paused = ses_account(
        region,
        Ok(SesAccount {
            sending_enabled: false,
            ..account(true, 0.0)
        }),
    );
    assert_eq!(paused.status, Status::Fail);
    assert!(paused.summary.contains("paused"), "{}", paused.summary);
    let with = |enforcement: &str| {
        ses_account(
            region,
            Ok(SesAccount {
                enforcement: Some(enforcement.into()),
                ..account(true, 0.0)
            }),
        )
        .status
    };
    assert_eq!(with("PROBATION"), Status::Warn);
    assert_eq!(with("SHUTDOWN"), Status::Fail);
    let unknown = ses_account(
        region,
        Err(denied(Operation::SesAccount, "AccessDeniedException")),
    );
    assert_eq!(unknown.status, Status::Unknown);
    assert!(
        unknown.summary.contains("ses:GetAccount"),
        "{}",
        unknown.summary
    );
}

#[test]
fn the_sender_identity_must_exist_be_verified_and_should_sign() {
    let identity = |verified, dkim: &str| {
        Ok(Some(SesIdentity {
            verified,
            dkim: Some(dkim.into()),
        }))
    };
    assert_eq!(ses_identity("example.com", Ok(None)).status, Status::Fail);
    let unverified = ses_identity("example.org", identity(false, "SUCCESS"));
    assert_eq!(unverified.status, Status::Fail);
    assert!(unverified.summary.contains("not verified"));
    assert_eq!(
        ses_identity("example.com", identity(true, "PENDING")).status,
        Status::Warn
    );
    assert_eq!(
        ses_identity("example.com", identity(true, "SUCCESS")).status,
        Status::Ok
    );
    assert_eq!(
        source_identity("arn:aws:ses:eu-west-1:1:identity/example.com"),
        Some("example.com")
    );
    assert_eq!(source_identity("arn:aws:ses:eu-west-1:1:identity/"), None);
}

#[test]
fn a_suppressed_address_fails_with_the_reason_and_the_date() {
    let check = ses_suppressed(
        "jane@example.com",
        Ok(Some(Suppressed {
            reason: "BOUNCE".into(),
            since: Some(at("2026-05-19T10:00:00Z")),
        })),
    );
    assert_eq!(check.status, Status::Fail);
    assert!(
        check.summary.contains("BOUNCE since 2026-05-19"),
        "{}",
        check.summary
    );
    assert!(check.summary.contains("SES will not send to this address"));
    assert_eq!(
        ses_suppressed("jane@example.com", Ok(None)).status,
        Status::Ok
    );
    let unknown = ses_suppressed(
        "j***@example.com",
        Err(denied(Operation::SesSuppressed, "AccessDeniedException")),
    );
    assert_eq!(unknown.status, Status::Unknown);
    assert!(unknown.summary.contains("ses:GetSuppressedDestination"));
}

#[test]
fn in_the_ses_sandbox_only_verified_addresses_or_domains_get_mail() {
    let shown = "jane@example.org";
    assert_eq!(
        ses_sandbox_recipient(shown, Ok(false), Ok(None)).status,
        Status::Ok
    );
    let by_domain = ses_sandbox_recipient(shown, Ok(true), Ok(Some("example.org".into())));
    assert_eq!(by_domain.status, Status::Ok);
    assert!(by_domain.summary.contains("example.org"));
    assert_eq!(
        ses_sandbox_recipient(shown, Ok(true), Ok(None)).status,
        Status::Fail
    );
    let unknown = ses_sandbox_recipient(
        shown,
        Ok(true),
        Err(denied(Operation::SesIdentity, "AccessDeniedException")),
    );
    assert!(unknown.summary.contains("ses:GetEmailIdentity"));
}

#[test]
fn in_the_sms_sandbox_only_verified_numbers_get_a_code() {
    let number = "+447700900123";
    let numbers = |status: &str| {
        Ok(Some(HashMap::from([(
            number.to_string(),
            status.to_string(),
        )])))
    };
    assert_eq!(
        sms_sandbox_recipient(number, number, Ok(None)).status,
        Status::Ok
    );
    assert_eq!(
        sms_sandbox_recipient(number, number, numbers("Verified")).status,
        Status::Ok
    );
    let pending = sms_sandbox_recipient(number, number, numbers("Pending"));
    assert_eq!(pending.status, Status::Fail);
    assert!(pending.summary.contains("pending"), "{}", pending.summary);
    assert_eq!(
        sms_sandbox_recipient(number, number, Ok(Some(HashMap::new()))).status,
        Status::Fail
    );
    let unknown = sms_sandbox_recipient(
        number,
        number,
        Err(denied(Operation::SmsSandboxNumbers, "AuthorizationError")),
    );
    assert!(unknown.summary.contains("sns:ListSMSSandboxPhoneNumbers"));
}

#[test]
fn cognitos_own_email_quota_is_counted_honestly_from_the_audit_log() {
    let info = cognito_email_quota(Ok(3));
    assert_eq!(info.status, Status::Info);
    assert!(
        info.summary.contains("At least 3 of 50") && info.summary.contains("count too"),
        "{}",
        info.summary
    );
    assert_eq!(cognito_email_quota(Ok(40)).status, Status::Warn);
    assert_eq!(cognito_email_quota(Ok(50)).status, Status::Fail);
    assert_eq!(
        cognito_email_quota(Err("permission denied".into())).status,
        Status::Unknown
    );
    let pool = PoolSettings {
        auto_verified: vec!["email".into()],
        email_sending_account: Some("COGNITO_DEFAULT".into()),
        ..PoolSettings::default()
    };
    let warning = quota_warning(&pool, 45, 10).expect("10 do not fit in the 5 left");
    assert!(warning.contains("at most 5 of these 10"), "{warning}");
    assert_eq!(quota_warning(&pool, 45, 5), None);
    let own_ses = PoolSettings {
        email_sending_account: Some("DEVELOPER".into()),
        ..pool
    };
    assert_eq!(quota_warning(&own_ses, 45, 10), None);
}

#[test]
fn the_emails_caused_are_the_sent_email_resends_and_invitations_of_the_region_in_24_hours() {
    use crate::audit::{Event, Operator, Outcome, Record};
    let now = at("2026-12-05T12:00:00Z");
    let record = |pool: &str, action: &str, medium: Option<&str>, outcome, hours: i64| Record {
        id: format!("{pool}{action}{hours}"),
        event: Event::Outcome,
        time: now - Duration::hours(hours),
        operator: Operator::default(),
        pool: "p".into(),
        user_pool_id: pool.into(),
        username: "u".into(),
        action: action.into(),
        ticket: None,
        client_metadata: Default::default(),
        outcome: Some(outcome),
        destination: None,
        delivery_medium: medium.map(str::to_string),
        attribute_name: None,
        error_code: None,
        reason: None,
        details: if action == "invite" {
            [("mediums".to_string(), "EMAIL,SMS".to_string())].into()
        } else {
            Default::default()
        },
        version: "test".into(),
    };
    let records = vec![
        record("eu-west-1_a", "resend", Some("EMAIL"), Outcome::Sent, 1),
        record("eu-west-1_b", "resend", Some("EMAIL"), Outcome::Unknown, 2),
        record("eu-west-1_a", "invite", None, Outcome::Sent, 3),
        record("eu-west-1_a", "resend", Some("SMS"), Outcome::Sent, 1),
        record("eu-west-1_a", "resend", Some("EMAIL"), Outcome::Failed, 1),
        record("eu-west-1_a", "resend", Some("EMAIL"), Outcome::Sent, 30),
        record("us-east-1_a", "resend", Some("EMAIL"), Outcome::Sent, 1),
        record("eu-west-1_a", "delete", None, Outcome::Done, 1),
    ];
    assert_eq!(emails_caused(&records, "eu-west-1", now), 3);
}

#[test]
fn the_log_groups_are_the_pools_notification_log_and_sns_failures_in_the_sms_region() {
    let pool = PoolSettings {
        auto_verified: vec!["email".into(), "phone_number".into()],
        sns_region: Some("us-east-1".into()),
        arn: Some("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_x".into()),
        ..PoolSettings::default()
    };
    let logs = vec![
        LogDestination {
            event_source: "userNotification".into(),
            level: "ERROR".into(),
            target: "arn:aws:logs:eu-west-1:123456789012:log-group:/cognito/demo:*".into(),
        },
        LogDestination {
            event_source: "userAuthEvents".into(),
            level: "INFO".into(),
            target: "arn:aws:logs:eu-west-1:123456789012:log-group:/auth".into(),
        },
    ];
    let targets = log_targets(&pool, &logs, "eu-west-1");
    assert_eq!(
        targets,
        vec![
            LogTarget {
                group: "/cognito/demo".into(),
                region: "eu-west-1".into()
            },
            LogTarget {
                group: "sns/us-east-1/123456789012/DirectPublishToPhoneNumber/Failure".into(),
                region: "us-east-1".into()
            }
        ]
    );
    let email_only = PoolSettings {
        auto_verified: vec!["email".into()],
        ..pool
    };
    assert_eq!(log_targets(&email_only, &logs, "eu-west-1").len(), 1);
}

#[test]
fn a_log_line_is_read_for_what_it_says() {
    let sns = r#"{"notification":{"timestamp":"2026-12-05"},"delivery":{"destination":"+447700900123","providerResponse":"Phone carrier has blocked this message","dwellTimeMs":42},"status":"FAILURE"}"#;
    assert_eq!(
        event_message(sns),
        "SMS failed: Phone carrier has blocked this message"
    );
    let cognito = r#"{"eventTimestamp":"1764931200000","eventSource":"USER_NOTIFICATION","logLevel":"ERROR","message":{"details":"Message failed to deliver to jane@example.com: Address blacklisted."},"logSourceId":{"userPoolId":"eu-west-1_x"}}"#;
    assert_eq!(
        event_message(cognito),
        "Message failed to deliver to jane@example.com: Address blacklisted."
    );
    let coded = r#"{"errorCode":"EmailDeliveryFailure","message":"Message rejected"}"#;
    assert_eq!(
        event_message(coded),
        "EmailDeliveryFailure: Message rejected"
    );
    assert_eq!(
        event_message("plain\ntext \x1b[31m"),
        "plain text \\x1b[31m"
    );
    assert_eq!(
        filter_pattern(&["abc".into(), "jane@example.com".into()]),
        "?\"abc\" ?\"jane@example.com\""
    );
}

#[test]
fn delivery_errors_show_each_event_or_say_plainly_what_was_searched() {
    let zone = Zone::utc();
    let now = at("2026-12-05T12:00:00Z");
    let target = LogTarget {
        group: "/cognito/demo".into(),
        region: "eu-west-1".into(),
    };
    let window = Window::since_last_send(Some(at("2026-12-05T11:00:00Z")), now);
    assert_eq!(window.since, at("2026-12-05T10:59:00Z"));
    let keep = |t: &str| t.to_string();
    let event = LogEvent {
        at: at("2026-12-05T11:00:05Z"),
        group: target.group.clone(),
        message: r#"{"errorCode":"SMSDeliveryFailure","message":"to +447700900123"}"#.into(),
    };
    let found = delivery_errors(
        std::slice::from_ref(&target),
        vec![(target.clone(), Ok(vec![event.clone()]))],
        window,
        zone,
        &keep,
    );
    assert_eq!(found.status, Status::Fail);
    assert!(
        found
            .summary
            .starts_with("1 delivery error logged since the last send"),
        "{}",
        found.summary
    );
    assert!(
        found
            .detail
            .contains("11:00 +00:00 /cognito/demo: SMSDeliveryFailure"),
        "{}",
        found.detail
    );
    let masked = delivery_errors(
        std::slice::from_ref(&target),
        vec![(target.clone(), Ok(vec![event]))],
        window,
        zone,
        &|t: &str| t.replace("+447700900123", "+*********123"),
    );
    assert!(
        !masked.detail.contains("+447700900123"),
        "{}",
        masked.detail
    );
    let none = delivery_errors(
        std::slice::from_ref(&target),
        vec![(target.clone(), Ok(vec![]))],
        Window::since_last_send(None, now),
        zone,
        &keep,
    );
    assert_eq!(none.status, Status::Ok);
    assert!(
        none.summary.contains("in the last 24 hours"),
        "{}",
        none.summary
    );
    assert!(none.detail.contains("/cognito/demo"), "{}", none.detail);
    let missing = delivery_errors(
        std::slice::from_ref(&target),
        vec![(
            target.clone(),
            Err(ApiError::service(
                Operation::LogEvents,
                "ResourceNotFoundException",
                Some("The specified log group does not exist."),
            )),
        )],
        window,
        zone,
        &keep,
    );
    assert_eq!(missing.status, Status::Unknown);
    assert!(
        missing.summary.contains("does not exist"),
        "{}",
        missing.summary
    );
    let denied_check = delivery_errors(
        std::slice::from_ref(&target),
        vec![(
            target.clone(),
            Err(denied(Operation::LogEvents, "AccessDeniedException")),
        )],
        window,
        zone,
        &keep,
    );
    assert_eq!(denied_check.status, Status::Unknown);
    assert!(denied_check.summary.contains("logs:FilterLogEvents"));
    let nothing = delivery_errors(&[], vec![], window, zone, &keep);
    assert_eq!(nothing.status, Status::Info);
}

#[test]
fn the_terms_are_the_users_identifiers_that_a_pattern_can_quote() {
    let user = User {
        username: "jane.doe".into(),
        status: "UNCONFIRMED".into(),
        enabled: true,
        created: None,
        modified: None,
        attributes: [
            ("sub", "0f1e-22"),
            ("email", "jane@example.com"),
            ("phone_number", "+447700900123"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect::<crate::cognito::Attributes>(),
    };
    assert_eq!(
        search_terms(&user),
        vec!["0f1e-22", "jane.doe", "jane@example.com", "+447700900123"]
    );
}

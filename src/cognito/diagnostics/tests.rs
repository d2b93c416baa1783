use std::collections::BTreeMap;

use chrono::TimeZone;

use super::*;
use crate::cognito::Operation;

fn healthy() -> PoolSettings {
    PoolSettings {
        auto_verified: vec!["email".into()],
        email_sending_account: Some("DEVELOPER".into()),
        email_source_arn: Some("arn:aws:ses:eu-west-1:1:identity/example.com".into()),
        email_from: Some("Example <no-reply@example.com>".into()),
        default_email_option: Some("CONFIRM_WITH_CODE".into()),
        ..PoolSettings::default()
    }
}

fn facts(pool: PoolSettings) -> PoolFacts {
    PoolFacts {
        pool: Ok(pool),
        client: Ok(ClientSettings::default()),
        logs: Ok(vec![LogDestination {
            event_source: "userNotification".into(),
            level: "ERROR".into(),
            target: "arn:aws:logs:eu-west-1:1:log-group:cognito".into(),
        }]),
    }
}

fn status_of(checks: &[Check], id: &str) -> Status {
    checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {checks:?}"))
        .status
}

#[test]
fn a_healthy_pool_passes_every_check() {
    let checks = pool_checks(&facts(healthy()), false);
    let ids: Vec<&str> = checks.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [
            "auto_verify",
            "email_sender",
            "email_option",
            "message_lambda",
            "sms",
            "email_failure",
            "user_existence",
            "client_secret",
            "delivery_logs"
        ]
    );
    for check in &checks {
        assert_eq!(check.status, Status::Ok, "{check:?}");
        assert!(!check.summary.is_empty() && !check.source.is_empty());
    }
    assert!(checks[1].summary.contains("no-reply@example.com"));
}

#[test]
fn an_sms_only_pool_has_no_email_noise() {
    let sms_only = PoolSettings {
        auto_verified: vec!["phone_number".into()],
        email_sending_account: Some("COGNITO_DEFAULT".into()),
        default_email_option: Some("CONFIRM_WITH_LINK".into()),
        sms_role: Some("arn:aws:iam::1:role/sns".into()),
        ..PoolSettings::default()
    };
    let checks = pool_checks(&facts(sms_only), true);
    for id in ["email_sender", "email_option"] {
        assert_eq!(status_of(&checks, id), Status::Info, "{id}");
    }
    assert!(
        checks
            .iter()
            .all(|c| c.status < Status::Warn || !c.id.starts_with("email")),
        "{checks:?}"
    );
}

#[test]
fn each_problem_is_found_with_its_status() {
    let troubled = PoolSettings {
        auto_verified: vec![],
        email_sending_account: Some("COGNITO_DEFAULT".into()),
        default_email_option: Some("CONFIRM_WITH_LINK".into()),
        custom_email_sender: Some("arn:aws:lambda:eu-west-1:1:function:send".into()),
        email_failure: Some("SES identity not verified".into()),
        ..PoolSettings::default()
    };
    let mut f = facts(troubled);
    f.client = Ok(ClientSettings {
        has_secret: true,
        prevent_user_existence_errors: Some("ENABLED".into()),
    });
    f.logs = Ok(vec![]);
    let checks = pool_checks(&f, false);
    assert_eq!(status_of(&checks, "auto_verify"), Status::Fail);
    // The custom email sender decides delivery: Cognito's sender and the SES failure do not
    // apply, and say so instead of contradicting it.
    assert_eq!(status_of(&checks, "email_sender"), Status::Info);
    assert_eq!(status_of(&checks, "email_option"), Status::Warn);
    assert_eq!(status_of(&checks, "message_lambda"), Status::Warn);
    assert_eq!(status_of(&checks, "email_failure"), Status::Info);
    for id in ["email_sender", "email_failure"] {
        let check = checks.iter().find(|c| c.id == id).unwrap();
        assert!(
            check.summary.starts_with("Not applying:")
                && check
                    .summary
                    .contains("a custom email sender Lambda delivers email"),
            "{check:?}"
        );
    }
    assert_eq!(status_of(&checks, "user_existence"), Status::Info);
    assert_eq!(status_of(&checks, "client_secret"), Status::Fail);
    assert_eq!(status_of(&checks, "delivery_logs"), Status::Info);
    let sender = checks.iter().find(|c| c.id == "email_sender").unwrap();
    assert!(sender.summary.contains("50 emails a day"), "{sender:?}");
    assert!(sender.detail.contains("no-reply@verificationemail.com"));
    // No sending account at all is Cognito's default too.
    let default = pool_checks(
        &facts(PoolSettings {
            email_sending_account: None,
            ..healthy()
        }),
        false,
    );
    assert_eq!(status_of(&default, "email_sender"), Status::Warn);
}

#[test]
fn sms_problems_depend_on_what_the_pool_verifies() {
    let phones = PoolSettings {
        auto_verified: vec!["phone_number".into(), "email".into()],
        ..healthy()
    };
    let checks = pool_checks(&facts(phones.clone()), false);
    assert_eq!(status_of(&checks, "sms"), Status::Fail);
    assert!(checks[0].summary.contains("SMS to users with a phone"));
    let sandbox = PoolSettings {
        sms_role: Some("arn:aws:iam::1:role/sms".into()),
        sms_failure: Some("SNSSandbox".into()),
        ..phones.clone()
    };
    assert_eq!(
        status_of(&pool_checks(&facts(sandbox), false), "sms"),
        Status::Warn
    );
    let policy = PoolSettings {
        sms_role: Some("arn:aws:iam::1:role/sms".into()),
        sms_failure: Some("InvalidSmsRoleAccessPolicyException".into()),
        ..phones.clone()
    };
    let checks = pool_checks(&facts(policy), false);
    assert_eq!(status_of(&checks, "sms"), Status::Fail);
    let configured = PoolSettings {
        sms_role: Some("arn:aws:iam::1:role/sms".into()),
        ..phones
    };
    assert_eq!(
        status_of(&pool_checks(&facts(configured), false), "sms"),
        Status::Ok
    );
    // A custom-message trigger is worth knowing, not a problem.
    let lambda = PoolSettings {
        custom_message: Some("arn:aws:lambda:eu-west-1:1:function:msg".into()),
        ..healthy()
    };
    assert_eq!(
        status_of(&pool_checks(&facts(lambda), false), "message_lambda"),
        Status::Info
    );
}

#[test]
fn a_denied_call_makes_its_checks_unknown_and_names_the_iam_action() {
    let denied = |op| ApiError::service(op, "AccessDeniedException", Some("not allowed"));
    let f = PoolFacts {
        pool: Err(denied(Operation::DescribePool)),
        client: Err(denied(Operation::DescribeClient)),
        logs: Err(denied(Operation::LogDelivery)),
    };
    let checks = pool_checks(&f, true);
    assert_eq!(checks.len(), 9);
    for check in &checks {
        assert_eq!(check.status, Status::Unknown, "{check:?}");
    }
    assert!(checks[0].summary.contains("cognito-idp:DescribeUserPool"));
    assert!(
        checks[7]
            .summary
            .contains("cognito-idp:DescribeUserPoolClient")
    );
    assert!(
        checks[8]
            .summary
            .contains("cognito-idp:GetLogDeliveryConfiguration")
    );
}

fn user(status: &str, attrs: &[(&str, &str)]) -> User {
    User {
        username: "jane".into(),
        status: status.into(),
        enabled: true,
        created: Some(Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()),
        modified: None,
        attributes: attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<crate::cognito::Attributes>(),
    }
}

#[test]
fn the_destination_is_definite_phone_first() {
    let both = PoolSettings {
        auto_verified: vec!["email".into(), "phone_number".into()],
        ..healthy()
    };
    let u = user(
        "UNCONFIRMED",
        &[("email", "j@e.com"), ("phone_number", "+4477")],
    );
    assert_eq!(destination(&both, &u), Some(("phone_number", "+4477")));
    assert_eq!(destination(&healthy(), &u), Some(("email", "j@e.com")));
    let phone_only = PoolSettings {
        auto_verified: vec!["phone_number".into()],
        ..healthy()
    };
    let emailer = user("UNCONFIRMED", &[("email", "j@e.com")]);
    assert_eq!(destination(&phone_only, &emailer), None);
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
    let checks = user_checks(&Ok(phone_only), &Ok(emailer), &[], now, Zone::utc());
    assert_eq!(status_of(&checks, "user_destination"), Status::Fail);
    assert_eq!(status_of(&checks, "user_status"), Status::Ok);
    assert_eq!(status_of(&checks, "user_resends"), Status::Ok);
    let age = checks.iter().find(|c| c.id == "user_age").unwrap();
    assert!(age.summary.starts_with("Signed up 6d 3h ago"), "{age:?}");
}

#[test]
fn user_checks_flag_disabled_invited_and_rate_limited_users() {
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
    let mut disabled = user("FORCE_CHANGE_PASSWORD", &[("email", "j@e.com")]);
    disabled.enabled = false;
    let record = |id: String, event, minutes_ago: i64| crate::audit::Record {
        id,
        event,
        time: now - Duration::minutes(minutes_ago),
        operator: crate::audit::Operator {
            user: "alice".into(),
            arn: None,
        },
        pool: "prod".into(),
        user_pool_id: "eu-west-1_A".into(),
        username: "jane".into(),
        action: "resend".into(),
        ticket: None,
        client_metadata: BTreeMap::new(),
        outcome: (event == crate::audit::Event::Outcome).then_some(crate::audit::Outcome::Sent),
        destination: Some("j***@e***.com".into()),
        delivery_medium: None,
        attribute_name: None,
        error_code: None,
        reason: None,
        details: BTreeMap::new(),
        version: "test".into(),
    };
    let mut records = Vec::new();
    for (i, ago) in [50, 40, 30, 20, 10].iter().enumerate() {
        records.push(record(i.to_string(), crate::audit::Event::Intent, *ago));
        records.push(record(i.to_string(), crate::audit::Event::Outcome, *ago));
    }
    let attempts = crate::audit::attempts(records);
    let checks = user_checks(&Ok(healthy()), &Ok(disabled), &attempts, now, Zone::utc());
    assert_eq!(status_of(&checks, "user_status"), Status::Warn);
    assert_eq!(status_of(&checks, "user_enabled"), Status::Fail);
    let resends = checks.iter().find(|c| c.id == "user_resends").unwrap();
    assert_eq!(resends.status, Status::Fail);
    assert_eq!(
        resends.summary,
        "5 resends in the last hour, 5 in the last 24 hours: Cognito refuses more until 12:10"
    );
    assert!(
        resends.detail.starts_with("11:50 (alice) → j***@e***.com"),
        "{resends:?}"
    );
}

#[test]
fn the_reply_explains_a_link_and_the_default_sender() {
    let troubled = PoolSettings {
        email_sending_account: Some("COGNITO_DEFAULT".into()),
        default_email_option: Some("CONFIRM_WITH_LINK".into()),
        ..healthy()
    };
    let checks = pool_checks(&facts(troubled), false);
    let notes = reply_notes(&checks, true);
    assert_eq!(notes.len(), 2);
    assert!(notes[0].contains("link rather than a code"));
    assert!(notes[1].contains("no-reply@verificationemail.com"));
    assert!(
        reply_notes(&checks, false).is_empty(),
        "an SMS reply needs no email notes"
    );
    assert!(reply_notes(&pool_checks(&facts(healthy()), false), true).is_empty());
}

//! `cogtui diagnose` against emulator pools seeded to trigger each check.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    CloudWatchLogsConfigurationType, CustomEmailLambdaVersionConfigType,
    CustomEmailSenderLambdaVersionType, DefaultEmailOptionType, EmailConfigurationType,
    EmailSendingAccountType, EventSourceName, LambdaConfigType, LogConfigurationType, LogLevel,
    PreventUserExistenceErrorTypes, SmsConfigurationType, VerificationMessageTemplateType,
    VerifiedAttributeType,
};
use common::TestPool;
use std::collections::HashMap;

/// The statuses by check id, from `diagnose --format json`.
fn diagnose(
    pool: &TestPool,
    extra: &str,
    args: &[&str],
) -> (HashMap<String, String>, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, pool.config_toml(extra)).unwrap();
    let mut all = vec!["diagnose", "--format", "json"];
    all.extend(args);
    let out = common::run_cogtui(&config, None, None, &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["pool"], "test");
    assert_eq!(v["user_pool_id"], pool.pool_id.as_str());
    let statuses = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            for field in ["id", "status", "summary", "detail", "source"] {
                assert!(c[field].is_string(), "{field} missing in {c}");
            }
            (
                c["id"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (statuses, v)
}

fn summary<'a>(v: &'a serde_json::Value, id: &str) -> &'a str {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .and_then(|c| c["summary"].as_str())
        .unwrap_or_else(|| panic!("no check {id}"))
}

/// A pool and client created with the given settings (the emulator echoes them back).
async fn pool_with(
    configure: impl FnOnce(
        aws_sdk_cognitoidentityprovider::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
    ) -> aws_sdk_cognitoidentityprovider::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
    secret: bool,
    hide_existence: bool,
) -> TestPool {
    let admin = common::admin_client();
    let created = configure(
        admin
            .create_user_pool()
            .pool_name(format!("diag-{}", std::process::id())),
    )
    .send()
    .await
    .unwrap();
    let pool_id = created.user_pool().unwrap().id().unwrap().to_string();
    let mut client = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("diag")
        .generate_secret(secret);
    if hide_existence {
        client = client.prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled);
    }
    let client = client.send().await.unwrap();
    let client = client.user_pool_client().unwrap();
    TestPool {
        pool_id,
        client_id: client.client_id().unwrap().to_string(),
        secret: None,
        admin,
    }
}

#[tokio::test]
async fn a_troubled_pool_shows_each_of_its_problems() {
    let pool = pool_with(
        |b| {
            b.email_configuration(
                EmailConfigurationType::builder()
                    .email_sending_account(EmailSendingAccountType::CognitoDefault)
                    .build(),
            )
            .verification_message_template(
                VerificationMessageTemplateType::builder()
                    .default_email_option(DefaultEmailOptionType::ConfirmWithLink)
                    .build(),
            )
            .lambda_config(
                LambdaConfigType::builder()
                    .custom_email_sender(
                        CustomEmailLambdaVersionConfigType::builder()
                            .lambda_version(CustomEmailSenderLambdaVersionType::V10)
                            .lambda_arn("arn:aws:lambda:eu-west-1:1:function:send")
                            .build()
                            .unwrap(),
                    )
                    .kms_key_id("arn:aws:kms:eu-west-1:1:key/k")
                    .build(),
            )
        },
        true,
        true,
    )
    .await;
    common::set_pool_fields(
        &pool.pool_id,
        serde_json::json!({"EmailConfigurationFailure": "SES identity not verified"}),
    );
    let (s, v) = diagnose(&pool, "", &[]);
    assert_eq!(s["auto_verify"], "fail");
    // The custom email sender decides: Cognito's sender and SES are marked as not applying.
    assert_eq!(s["email_sender"], "info");
    assert_eq!(s["email_option"], "warn");
    assert_eq!(s["message_lambda"], "warn");
    assert_eq!(s["email_failure"], "info");
    assert!(summary(&v, "email_sender").starts_with("Not applying:"));
    assert_eq!(s["user_existence"], "info");
    assert_eq!(s["client_secret"], "fail");
    assert_eq!(s["delivery_logs"], "info");
    assert_eq!(s["sms"], "ok");
    assert!(summary(&v, "email_failure").contains("SES identity not verified"));
    assert!(summary(&v, "email_sender").contains("50 emails a day"));
}

#[tokio::test]
async fn sms_problems_and_a_healthy_setup_are_told_apart() {
    // Phones verified, no SMS configuration.
    let no_sms = pool_with(
        |b| b.auto_verified_attributes(VerifiedAttributeType::PhoneNumber),
        false,
        false,
    )
    .await;
    let (s, _) = diagnose(&no_sms, "", &[]);
    assert_eq!(s["sms"], "fail");
    assert_eq!(s["auto_verify"], "ok");

    // The SNS sandbox.
    let sandbox = pool_with(
        |b| {
            b.auto_verified_attributes(VerifiedAttributeType::PhoneNumber)
                .sms_configuration(
                    SmsConfigurationType::builder()
                        .sns_caller_arn("arn:aws:iam::1:role/sms")
                        .build(),
                )
        },
        false,
        false,
    )
    .await;
    common::set_pool_fields(
        &sandbox.pool_id,
        serde_json::json!({"SmsConfigurationFailure": "SNSSandbox"}),
    );
    let (s, v) = diagnose(&sandbox, "", &[]);
    assert_eq!(s["sms"], "warn");
    assert!(summary(&v, "sms").contains("sandbox"));

    // Everything set up: own SES identity, SMS role, a custom-message trigger, delivery logs.
    let healthy = pool_with(
        |b| {
            b.auto_verified_attributes(VerifiedAttributeType::Email)
                .email_configuration(
                    EmailConfigurationType::builder()
                        .email_sending_account(EmailSendingAccountType::Developer)
                        .source_arn("arn:aws:ses:eu-west-1:1:identity/example.com")
                        .from("Support <help@example.com>")
                        .build(),
                )
                .lambda_config(
                    LambdaConfigType::builder()
                        .custom_message("arn:aws:lambda:eu-west-1:1:function:msg")
                        .build(),
                )
        },
        false,
        false,
    )
    .await;
    common::admin_client()
        .set_log_delivery_configuration()
        .user_pool_id(&healthy.pool_id)
        .log_configurations(
            LogConfigurationType::builder()
                .log_level(LogLevel::Error)
                .event_source(EventSourceName::UserNotification)
                .cloud_watch_logs_configuration(
                    CloudWatchLogsConfigurationType::builder()
                        .log_group_arn("arn:aws:logs:eu-west-1:1:log-group:cognito")
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let (s, v) = diagnose(&healthy, "", &[]);
    for id in [
        "auto_verify",
        "email_sender",
        "email_option",
        "sms",
        "email_failure",
        "user_existence",
        "client_secret",
        "delivery_logs",
    ] {
        assert_eq!(s[id], "ok", "{id}: {v}");
    }
    assert_eq!(s["message_lambda"], "info");
    assert!(summary(&v, "email_sender").contains("help@example.com"));
    assert!(summary(&v, "delivery_logs").contains("log-group:cognito"));
}

#[tokio::test]
async fn user_checks_say_where_the_code_goes() {
    let pool = TestPool::new(true).await;
    pool.sign_up("nia", "nia@example.com", Some("+447700900123"))
        .await;
    pool.sign_up("oz", "oz@example.com", None).await;
    pool.disable("oz").await;
    let dir = tempfile::tempdir().unwrap();
    let secret = pool.write_secret_file(dir.path());
    let extra = format!("client_secret_file = \"{}\"\n", secret.display());
    let (s, v) = diagnose(&pool, &extra, &["--user", "nia"]);
    assert_eq!(s["client_secret"], "ok");
    assert_eq!(s["user_status"], "ok");
    assert_eq!(s["user_enabled"], "ok");
    assert_eq!(s["user_destination"], "ok");
    assert_eq!(s["user_resends"], "ok");
    assert_eq!(s["user_age"], "info");
    assert_eq!(
        summary(&v, "user_destination"),
        "The code goes by SMS to +447700900123",
        "phone first when the pool verifies both"
    );
    let (s, _) = diagnose(&pool, &extra, &["--user", "oz"]);
    assert_eq!(s["user_enabled"], "fail");
    let (s, v) = diagnose(&pool, &extra, &["--user", "ghost"]);
    assert_eq!(s["user_status"], "fail");
    assert_eq!(summary(&v, "user_status"), "No such user in this pool");
}

#[tokio::test]
async fn a_number_that_replied_stop_is_told_from_sns_itself() {
    let pool = TestPool::new(false).await;
    // The emulator's SNS (moto) keeps these numbers on its opted-out list, as SNS keeps a
    // number that replied STOP.
    pool.sign_up("stopper", "stopper@example.com", Some("+447700900149"))
        .await;
    pool.sign_up("listener", "listener@example.com", Some("+447700900123"))
        .await;
    pool.sign_up("mailer", "mailer@example.com", None).await;
    let (s, v) = diagnose(&pool, "", &["--user", "stopper"]);
    assert_eq!(s["sms_opted_out"], "fail", "{v}");
    assert!(summary(&v, "sms_opted_out").contains("+447700900149 has opted out of SMS"));
    let (s, _) = diagnose(&pool, "", &["--user", "listener"]);
    assert_eq!(s["sms_opted_out"], "ok");
    // No phone, nothing to ask SNS.
    let (s, _) = diagnose(&pool, "", &["--user", "mailer"]);
    assert!(!s.contains_key("sms_opted_out"));
    // Redacted: asked about the real number, shown masked.
    let (s, v) = diagnose(&pool, "", &["--redact", "--user", "stopper"]);
    assert_eq!(s["sms_opted_out"], "fail");
    assert!(!summary(&v, "sms_opted_out").contains("900149"), "{v}");
}

#[tokio::test]
async fn the_sns_account_behind_a_pool_that_sends_sms_is_checked() {
    let pool = TestPool::new(false).await;
    let sns = aws_sdk_sns::Client::from_conf(
        aws_sdk_sns::Config::builder()
            .behavior_version(aws_sdk_sns::config::BehaviorVersion::latest())
            .region(aws_sdk_sns::config::Region::new(common::REGION))
            .endpoint_url(common::endpoint())
            .credentials_provider(aws_sdk_sns::config::Credentials::new(
                "test", "test", None, None, "test",
            ))
            .build(),
    );
    let limit = |usd: &'static str| {
        sns.set_sms_attributes()
            .attributes("MonthlySpendLimit", usd)
            .send()
    };
    // The default spend limit: one dollar a month stops SMS silently once spent.
    limit("1").await.unwrap();
    let (s, v) = diagnose(&pool, "", &[]);
    assert_eq!(s["sns_account"], "warn", "{v}");
    assert!(summary(&v, "sns_account").contains("1 USD a month"));
    limit("50").await.unwrap();
    let (s, v) = diagnose(&pool, "", &[]);
    assert_eq!(s["sns_account"], "ok", "{v}");
    assert!(summary(&v, "sns_account").contains("out of the sandbox, 50 USD a month"));
    limit("1").await.unwrap();
}

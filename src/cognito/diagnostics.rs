//! Why a code may not arrive: checks computed from what DescribeUserPool,
//! DescribeUserPoolClient, GetLogDeliveryConfiguration, AdminGetUser and the audit log say.
//! Everything here is a pure function of those answers, so tests feed them directly.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::{ApiError, ErrorKind, User};
use crate::audit::{self, Attempt};
use crate::time::Zone;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Info,
    Unknown,
    Warn,
    Fail,
}

/// The checks worst first (failures, warnings, unknowns, then the rest), as `D` and
/// `cogtui diagnose` both show them; ties keep their order.
pub fn worst_first(checks: &[Check]) -> Vec<&Check> {
    let mut ordered: Vec<&Check> = checks.iter().collect();
    ordered.sort_by_key(|c| std::cmp::Reverse(c.status));
    ordered
}

/// "2 fail, 1 warn, 0 unknown, 3 info, 4 ok": the one-line count above the checks.
pub fn counts(checks: &[Check]) -> String {
    [
        Status::Fail,
        Status::Warn,
        Status::Unknown,
        Status::Info,
        Status::Ok,
    ]
    .iter()
    .map(|s| {
        format!(
            "{} {}",
            checks.iter().filter(|c| c.status == *s).count(),
            s.label()
        )
    })
    .collect::<Vec<_>>()
    .join(", ")
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Info => "info",
            Status::Unknown => "unknown",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub id: &'static str,
    pub status: Status,
    pub summary: String,
    /// What it means for a user waiting for a code, and what to do.
    pub detail: String,
    /// The field (or call) the check read.
    pub source: String,
    /// A few words for the resend dialog's one-line digest.
    #[serde(skip)]
    pub short: String,
}

impl Check {
    pub(crate) fn new(id: &'static str, status: Status, source: &str, short: &str) -> Self {
        Self {
            id,
            status,
            summary: String::new(),
            detail: String::new(),
            source: source.into(),
            short: short.into(),
        }
    }

    pub(crate) fn says(mut self, summary: impl Into<String>, detail: impl Into<String>) -> Self {
        self.summary = summary.into();
        self.detail = detail.into();
        self
    }

    /// The call behind the check failed or was denied: say which IAM action it needs.
    pub(crate) fn unknown(id: &'static str, source: &str, error: &ApiError) -> Self {
        let action = error.operation.iam_action();
        let summary = if matches!(
            error.kind,
            ErrorKind::AccessDenied | ErrorKind::NotAuthorized
        ) {
            format!("Not allowed to read this: needs {action}")
        } else {
            format!("Could not read this ({}): needs {action}", error.code)
        };
        Check::new(id, Status::Unknown, source, "").says(
            summary,
            format!(
                "{} answered {}: {}",
                error.operation.api_name(),
                error.code,
                crate::text::sanitize(&error.message)
            ),
        )
    }
}

/// What DescribeUserPool says about delivery.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PoolSettings {
    /// `email`, `phone_number`.
    pub auto_verified: Vec<String>,
    pub email_sending_account: Option<String>,
    pub email_source_arn: Option<String>,
    pub email_from: Option<String>,
    pub default_email_option: Option<String>,
    pub custom_message: Option<String>,
    pub custom_email_sender: Option<String>,
    pub custom_sms_sender: Option<String>,
    /// `SmsConfiguration.SnsCallerArn`, when the pool has an SMS configuration.
    pub sms_role: Option<String>,
    /// `SmsConfiguration.SnsRegion`: where SNS sends the pool's SMS (else the pool's region).
    pub sns_region: Option<String>,
    pub sms_failure: Option<String>,
    pub email_failure: Option<String>,
    /// `UsernameConfiguration.CaseSensitive`: when false, `Jane` and `jane` are one user.
    pub case_sensitive: Option<bool>,
    /// The pool's ARN (its account names SNS's delivery-status log group).
    pub arn: Option<String>,
}

impl PoolSettings {
    /// The auto-verified attributes, for [`crate::delivery::destination`].
    pub fn verifies(&self) -> crate::delivery::Verifies {
        crate::delivery::Verifies {
            email: self.verifies_email(),
            phone: self.verifies_phone(),
        }
    }

    pub fn verifies_phone(&self) -> bool {
        self.auto_verified.iter().any(|a| a == "phone_number")
    }

    pub fn verifies_email(&self) -> bool {
        self.auto_verified.iter().any(|a| a == "email")
    }
}

/// What DescribeUserPoolClient says (never the secret itself: only whether there is one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientSettings {
    pub has_secret: bool,
    pub prevent_user_existence_errors: Option<String>,
}

/// One GetLogDeliveryConfiguration entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogDestination {
    pub event_source: String,
    pub level: String,
    /// A CloudWatch log group, S3 bucket or Firehose stream ARN.
    pub target: String,
}

/// The three describe answers for one pool, fetched once per session (and on refresh).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolFacts {
    pub pool: Result<PoolSettings, ApiError>,
    pub client: Result<ClientSettings, ApiError>,
    pub logs: Result<Vec<LogDestination>, ApiError>,
}

const DEFAULT_SENDER: &str = "no-reply@verificationemail.com";

/// The pool-wide checks, in the order a support agent reads them.
pub fn pool_checks(facts: &PoolFacts, secret_configured: bool) -> Vec<Check> {
    let mut checks = Vec::new();
    match &facts.pool {
        Ok(pool) => {
            let mut pool_checks = vec![
                auto_verify(pool),
                email_sender(pool),
                email_option(pool),
                message_lambda(pool),
                sms(pool),
                email_failure(pool),
            ];
            weigh(&mut pool_checks, pool);
            checks.extend(pool_checks);
        }
        Err(e) => {
            for (id, source) in [
                ("auto_verify", "DescribeUserPool.AutoVerifiedAttributes"),
                (
                    "email_sender",
                    "DescribeUserPool.EmailConfiguration.EmailSendingAccount",
                ),
                (
                    "email_option",
                    "DescribeUserPool.VerificationMessageTemplate.DefaultEmailOption",
                ),
                ("message_lambda", "DescribeUserPool.LambdaConfig"),
                ("sms", "DescribeUserPool.SmsConfiguration"),
                (
                    "email_failure",
                    "DescribeUserPool.EmailConfigurationFailure",
                ),
            ] {
                checks.push(Check::unknown(id, source, e));
            }
        }
    }
    match &facts.client {
        Ok(client) => {
            checks.push(user_existence(client));
            checks.push(client_secret(client, secret_configured));
        }
        Err(e) => {
            checks.push(Check::unknown(
                "user_existence",
                "DescribeUserPoolClient.PreventUserExistenceErrors",
                e,
            ));
            checks.push(Check::unknown(
                "client_secret",
                "DescribeUserPoolClient.ClientSecret",
                e,
            ));
        }
    }
    checks.push(match &facts.logs {
        Ok(logs) => delivery_logs(logs),
        Err(e) => Check::unknown(
            "delivery_logs",
            "GetLogDeliveryConfiguration.LogConfigurations",
            e,
        ),
    });
    checks
}

fn auto_verify(pool: &PoolSettings) -> Check {
    let check = |status, short| {
        Check::new(
            "auto_verify",
            status,
            "DescribeUserPool.AutoVerifiedAttributes",
            short,
        )
    };
    match (pool.verifies_phone(), pool.verifies_email()) {
        (false, false) => check(Status::Fail, "no auto verification").says(
            "Neither email nor phone is verified: every resend fails",
            "Cognito answers \"Auto verification not turned on\" to every ResendConfirmationCode, \
             so no user can get a code. Turn on verification of email or phone \
             (AutoVerifiedAttributes) in the pool's sign-up settings.",
        ),
        (true, true) => check(Status::Ok, "").says(
            "Codes go by SMS to users with a phone number, by email to the others",
            "With both attributes verified, Cognito sends to the phone number when the user has \
             one: a user who waits for an email may have been sent an SMS.",
        ),
        (true, false) => check(Status::Ok, "").says(
            "Codes go by SMS to the phone number",
            "Users without a phone number cannot get a code.",
        ),
        (false, true) => check(Status::Ok, "").says(
            "Codes go by email",
            "Users without an email address cannot get a code.",
        ),
    }
}

/// Says which setting decides delivery and marks the others as not applying, so the checks do
/// not contradict each other: a custom sender Lambda replaces Cognito's sender and SES for its
/// medium; a pool that verifies no email sends none (its email checks are noise), and one that
/// verifies no phone sends no SMS.
fn weigh(checks: &mut [Check], pool: &PoolSettings) {
    // A pool that verifies nothing sends nothing (auto_verify fails): nothing to weigh by.
    let any = pool.verifies_email() || pool.verifies_phone();
    let by_email = pool.verifies_email() || !any;
    let by_sms = pool.verifies_phone() || !any;
    for check in checks.iter_mut() {
        let why = match check.id {
            "email_sender" | "email_failure" if pool.custom_email_sender.is_some() => {
                Some("a custom email sender Lambda delivers email: Cognito's sender and SES do not")
            }
            "email_sender" | "email_option" | "email_failure" if !by_email => {
                Some("the pool verifies no email address: codes go by SMS")
            }
            "sms" if pool.custom_sms_sender.is_some() => {
                Some("a custom SMS sender Lambda delivers SMS: SNS settings do not")
            }
            "sms" if !by_sms && check.status < Status::Fail => {
                Some("the pool verifies no phone number: codes go by email")
            }
            _ => None,
        };
        if let Some(why) = why
            && check.status != Status::Ok
        {
            check.status = Status::Info;
            check.short.clear();
            check.summary = format!("Not applying: {} ({why})", check.summary);
        }
    }
}

fn email_sender(pool: &PoolSettings) -> Check {
    let source = "DescribeUserPool.EmailConfiguration.EmailSendingAccount";
    match pool.email_sending_account.as_deref() {
        Some("DEVELOPER") => {
            let identity = pool
                .email_from
                .clone()
                .or_else(|| pool.email_source_arn.clone())
                .unwrap_or_else(|| "(no identity named)".into());
            Check::new("email_sender", Status::Ok, source, "").says(
                format!(
                    "Email goes through the pool's own SES identity: {}",
                    crate::text::sanitize(&identity)
                ),
                format!(
                    "SES sends with its own quotas and reputation ({}). A recipient on the SES \
                     suppression list (after a bounce or complaint) never gets mail.",
                    crate::text::sanitize(
                        pool.email_source_arn.as_deref().unwrap_or("no SourceArn")
                    )
                ),
            )
        }
        other => Check::new(
            "email_sender",
            Status::Warn,
            source,
            "Cognito sender: 50 emails/day",
        )
        .says(
            format!(
                "Cognito's default sender ({}): 50 emails a day for the whole account",
                other.unwrap_or("COGNITO_DEFAULT")
            ),
            format!(
                "Past 50 emails in a day (for the whole AWS account, not adjustable) Cognito sends \
                 no more and reports no error: a code resent on a busy day may go nowhere. Mail \
                 comes from {DEFAULT_SENDER} and is often filed as junk: ask the user to check \
                 the spam folder. Fix: send through SES (EmailSendingAccount = DEVELOPER)."
            ),
        ),
    }
}

fn email_option(pool: &PoolSettings) -> Check {
    let source = "DescribeUserPool.VerificationMessageTemplate.DefaultEmailOption";
    match pool.default_email_option.as_deref() {
        Some("CONFIRM_WITH_LINK") => Check::new(
            "email_option",
            Status::Warn,
            source,
            "email has a link, not a code",
        )
        .says(
            "Users get a confirmation link by email, not a code",
            "The email holds a link to click: a user looking for a code will not find one. Tell \
             them to open the link; it expires like a code does.",
        ),
        other => Check::new("email_option", Status::Ok, source, "").says(
            format!(
                "Users get a code by email ({})",
                other.unwrap_or("CONFIRM_WITH_CODE")
            ),
            "The email holds a code the user types into the app.",
        ),
    }
}

fn message_lambda(pool: &PoolSettings) -> Check {
    let source = "DescribeUserPool.LambdaConfig";
    let senders: Vec<&str> = [
        pool.custom_email_sender.as_ref().map(|_| "email"),
        pool.custom_sms_sender.as_ref().map(|_| "SMS"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !senders.is_empty() {
        let arns: Vec<String> = [&pool.custom_email_sender, &pool.custom_sms_sender]
            .into_iter()
            .flatten()
            .map(|a| crate::text::sanitize(a).into_owned())
            .collect();
        return Check::new(
            "message_lambda",
            Status::Warn,
            source,
            "own Lambda delivers",
        )
        .says(
            format!(
                "Your own Lambda delivers the {} messages: check its logs",
                senders.join(" and ")
            ),
            format!(
                "Cognito hands the code to a custom sender trigger ({}), and delivery is up to \
                 it: it decides, and Cognito's own sender, SES or SNS settings for its medium do \
                 not apply. A \"sent\" answer only means the trigger was called; its CloudWatch \
                 logs say whether the message went out.",
                arns.join(", ")
            ),
        );
    }
    match &pool.custom_message {
        Some(arn) => Check::new(
            "message_lambda",
            Status::Info,
            source,
            "custom-message Lambda",
        )
        .says(
            "A custom-message Lambda shapes the message and receives the ClientMetadata",
            format!(
                "The trigger ({}) writes the text of each message; a failure in it shows up as \
                     a Lambda exception on resend. It is the only place the ClientMetadata sent \
                     by cogtui is used.",
                crate::text::sanitize(arn)
            ),
        ),
        None => Check::new("message_lambda", Status::Ok, source, "").says(
            "No Lambda trigger shapes or sends the messages",
            "Cognito's own templates are used; ClientMetadata is not used by anything.",
        ),
    }
}

fn sms(pool: &PoolSettings) -> Check {
    let failure_source = "DescribeUserPool.SmsConfigurationFailure";
    if let Some(failure) = pool.sms_failure.as_deref().filter(|f| !f.is_empty()) {
        let text = crate::text::sanitize(failure).into_owned();
        return if failure.contains("SNSSandbox") {
            Check::new(
                "sms",
                Status::Warn,
                failure_source,
                "SNS sandbox: few numbers",
            )
            .says(
                "The account is in the SNS SMS sandbox: only verified numbers get SMS",
                "In the sandbox, SNS delivers only to at most 10 verified destination numbers (and \
                 $1 a month): any other user gets no SMS and no error. Move the account out of \
                 the SMS sandbox in the SNS console.",
            )
        } else {
            Check::new("sms", Status::Fail, failure_source, "SMS failing").says(
                format!("SMS sending fails: {text}"),
                format!(
                    "Cognito reports that it cannot send SMS ({text}); users who get codes by SMS \
                     get nothing. For InvalidSmsRoleAccessPolicyException give the SMS role \
                     sns:Publish; for InvalidSmsRoleTrustRelationshipException let it trust \
                     cognito-idp.amazonaws.com with the configured external id."
                ),
            )
        };
    }
    let source = "DescribeUserPool.SmsConfiguration";
    match (&pool.sms_role, pool.verifies_phone()) {
        (None, true) => Check::new("sms", Status::Fail, source, "no SMS configuration").says(
            "Phone numbers are verified but the pool has no SMS configuration",
            "Codes for users with a phone number cannot be sent by SMS. Give the pool an SMS \
             configuration (an IAM role Cognito uses to publish to SNS).",
        ),
        (Some(role), _) => Check::new("sms", Status::Ok, source, "").says(
            "SMS goes through SNS",
            format!(
                "Cognito publishes SMS with the role {}.",
                crate::text::sanitize(role)
            ),
        ),
        (None, false) => Check::new("sms", Status::Ok, source, "").says(
            "SMS is not used: the pool does not verify phone numbers",
            "Codes go by email only.",
        ),
    }
}

fn email_failure(pool: &PoolSettings) -> Check {
    let source = "DescribeUserPool.EmailConfigurationFailure";
    match pool.email_failure.as_deref().filter(|f| !f.is_empty()) {
        Some(failure) => {
            let text = crate::text::sanitize(failure).into_owned();
            Check::new("email_failure", Status::Fail, source, "email failing").says(
                format!("Email sending fails: {text}"),
                format!(
                    "Cognito reports a problem with the pool's email configuration ({text}): \
                     users who get codes by email may get nothing. Fix the SES identity or its \
                     sending authorization."
                ),
            )
        }
        None => Check::new("email_failure", Status::Ok, source, "")
            .says("No email configuration failure reported", ""),
    }
}

fn user_existence(client: &ClientSettings) -> Check {
    let source = "DescribeUserPoolClient.PreventUserExistenceErrors";
    match client.prevent_user_existence_errors.as_deref() {
        Some("ENABLED") => Check::new(
            "user_existence",
            Status::Info,
            source,
            "success even for unknown users",
        )
        .says(
            "A masked destination comes back even for users that do not exist",
            "The app client hides whether a user exists, so a resend to a mistyped username \
             \"succeeds\" and sends nothing: check the username against the list before \
             telling the user a code is on its way.",
        ),
        other => Check::new("user_existence", Status::Ok, source, "").says(
            format!(
                "Unknown users get UserNotFoundException ({})",
                other.unwrap_or("LEGACY")
            ),
            "A resend to a username that does not exist fails visibly.",
        ),
    }
}

fn client_secret(client: &ClientSettings, configured: bool) -> Check {
    let source = "DescribeUserPoolClient.ClientSecret";
    match (client.has_secret, configured) {
        (true, false) => Check::new(
            "client_secret",
            Status::Fail,
            source,
            "secret not configured",
        )
        .says(
            "The app client has a secret and none is configured: every resend fails",
            "Cognito needs a SECRET_HASH from clients with a secret. Configure the secret for \
                 this pool: client_secret_env, client_secret_file or fetch_client_secret = true.",
        ),
        (false, true) => Check::new("client_secret", Status::Warn, source, "secret not needed")
            .says(
                "A secret is configured but the app client has none",
                "Cognito rejects a SECRET_HASH from a client without a secret: remove the \
                 secret setting from this pool, or check client_id.",
            ),
        (true, true) => Check::new("client_secret", Status::Ok, source, "").says(
            "The client secret is configured",
            "Each resend carries its secret hash.",
        ),
        (false, false) => Check::new("client_secret", Status::Ok, source, "")
            .says("The app client has no secret", "No secret hash is needed."),
    }
}

fn delivery_logs(logs: &[LogDestination]) -> Check {
    let source = "GetLogDeliveryConfiguration.LogConfigurations";
    match logs.iter().find(|l| l.event_source == "userNotification") {
        Some(log) => Check::new("delivery_logs", Status::Ok, source, "").says(
            format!(
                "Delivery errors are logged ({}) to {}",
                crate::text::sanitize(&log.level),
                crate::text::sanitize(&log.target)
            ),
            "When SES or SNS refuses a message, the reason is recorded there: the only \
             per-message evidence Cognito keeps.",
        ),
        None => Check::new(
            "delivery_logs",
            Status::Info,
            source,
            "delivery errors not logged",
        )
        .says(
            "Delivery errors are not logged",
            "Without user notification logging, a message SES or SNS refused leaves no \
                 trace. Turn on log delivery for userNotification at ERROR level to CloudWatch \
                 Logs (SetLogDeliveryConfiguration).",
        ),
    }
}

/// Where Cognito will send this user's code, from the pool's verified attributes and the user's
/// own: `(attribute, value)`, or `None` when it cannot send at all.
pub fn destination<'a>(pool: &PoolSettings, user: &'a User) -> Option<(&'static str, &'a str)> {
    crate::delivery::destination(Some(pool.verifies()), user.email(), user.phone()).attribute()
}

/// The checks on one user: status, enabled, where the code goes, recent resends, age.
pub fn user_checks(
    pool: &Result<PoolSettings, ApiError>,
    user: &Result<User, ApiError>,
    attempts: &[Attempt],
    now: DateTime<Utc>,
    zone: Zone,
) -> Vec<Check> {
    let mut checks = Vec::new();
    match user {
        Ok(user) => {
            checks.push(user_status(user));
            checks.push(if user.enabled {
                Check::new("user_enabled", Status::Ok, "AdminGetUser.Enabled", "")
                    .says("The account is enabled", "")
            } else {
                Check::new(
                    "user_enabled",
                    Status::Fail,
                    "AdminGetUser.Enabled",
                    "disabled",
                )
                .says(
                    "The account is disabled: Cognito sends it nothing",
                    "An administrator must enable it first (AdminEnableUser).",
                )
            });
            checks.push(match pool {
                Ok(pool) => user_destination(pool, user),
                Err(e) => Check::unknown(
                    "user_destination",
                    "DescribeUserPool.AutoVerifiedAttributes",
                    e,
                ),
            });
        }
        Err(e) if e.kind == ErrorKind::UserNotFound => checks.push(
            Check::new("user_status", Status::Fail, "AdminGetUser", "no such user").says(
                "No such user in this pool",
                "Check the username (an email or phone alias, or the sub, also works where the \
                 pool allows it), and that this is the right pool.",
            ),
        ),
        Err(e) => checks.push(Check::unknown("user_status", "AdminGetUser.UserStatus", e)),
    }
    checks.push(user_resends(attempts, now, zone));
    if let Ok(User {
        created: Some(created),
        ..
    }) = user
    {
        checks.push(
            Check::new("user_age", Status::Info, "AdminGetUser.UserCreateDate", "").says(
                format!(
                    "Signed up {} ago ({})",
                    crate::time::age(now, *created),
                    zone.minutes(*created)
                ),
                "A code is valid for 24 hours; a user who signed up long ago needs a new one.",
            ),
        );
    }
    checks
}

fn user_status(user: &User) -> Check {
    let source = "AdminGetUser.UserStatus";
    let status = crate::text::sanitize(&user.status).into_owned();
    match user.status.as_str() {
        "UNCONFIRMED" => Check::new("user_status", Status::Ok, source, "")
            .says("UNCONFIRMED: waiting for a confirmation code", ""),
        "CONFIRMED" => Check::new("user_status", Status::Info, source, "confirmed").says(
            "CONFIRMED: there is no code to send",
            "If they cannot sign in, a password reset is the next step.",
        ),
        "FORCE_CHANGE_PASSWORD" => Check::new(
            "user_status",
            Status::Warn,
            source,
            "invited, not signed up",
        )
        .says(
            "FORCE_CHANGE_PASSWORD: invited by an administrator, needs a new invitation",
            "A confirmation code does not apply: resend the invitation (AdminCreateUser with \
                 MessageAction=RESEND), which issues a new temporary password.",
        ),
        _ => Check::new("user_status", Status::Warn, source, "not unconfirmed").says(
            format!("{status}: only UNCONFIRMED users get confirmation codes"),
            "",
        ),
    }
}

fn user_destination(pool: &PoolSettings, user: &User) -> Check {
    let source = "DescribeUserPool.AutoVerifiedAttributes + the user's attributes";
    match destination(pool, user) {
        Some(("phone_number", phone)) => Check::new("user_destination", Status::Ok, source, "")
            .says(
                format!("The code goes by SMS to {}", crate::text::sanitize(phone)),
                if user.email().is_some() && pool.verifies_email() {
                    "The pool verifies phones first: the user's email gets nothing."
                } else {
                    ""
                },
            ),
        Some((_, email)) => Check::new("user_destination", Status::Ok, source, "").says(
            format!("The code goes by email to {}", crate::text::sanitize(email)),
            "",
        ),
        None => Check::new("user_destination", Status::Fail, source, "nowhere to send").says(
            "Cognito has nowhere to send a code: the user lacks every verified attribute",
            "Add the address the pool verifies (email or phone number) to the user first.",
        ),
    }
}

fn user_resends(attempts: &[Attempt], now: DateTime<Utc>, zone: Zone) -> Check {
    let source = "audit log";
    let hour = audit::resends_within(attempts, now, Duration::hours(1));
    let day = audit::resends_within(attempts, now, Duration::hours(24));
    let listed = |list: &[&Attempt]| {
        list.iter()
            .rev()
            .map(|a| audit::summary(a, now, zone))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let summary = format!(
        "{} resend{} in the last hour, {} in the last 24 hours",
        hour.len(),
        plural(hour.len()),
        day.len()
    );
    if let Some(until) = audit::hourly_limit_until(attempts, now) {
        return Check::new("user_resends", Status::Fail, source, "hourly limit reached").says(
            format!(
                "{summary}: Cognito refuses more until {}",
                zone.format(until, "%H:%M")
            ),
            listed(&day),
        );
    }
    if day.is_empty() {
        Check::new("user_resends", Status::Ok, source, "").says(summary, "")
    } else {
        Check::new("user_resends", Status::Info, source, "").says(
            summary,
            format!(
                "Each resend makes the earlier codes invalid: the user must use the newest. {}",
                listed(&day)
            ),
        )
    }
}

/// Sentences to add to the ticket reply when a check explains a likely failure.
pub fn reply_notes(checks: &[Check], medium_is_email: bool) -> Vec<String> {
    let failing = |id: &str| {
        checks
            .iter()
            .any(|c| c.id == id && c.status >= Status::Warn)
    };
    let mut notes = Vec::new();
    if medium_is_email && failing("email_option") {
        notes.push(
            "The email contains a confirmation link rather than a code: please open the link to \
             confirm your account."
                .to_string(),
        );
    }
    if medium_is_email && failing("email_sender") {
        notes.push(format!(
            "It comes from {DEFAULT_SENDER}, which some mail services file as junk."
        ));
    }
    notes
}

#[cfg(test)]
mod tests;

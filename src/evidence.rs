//! Evidence one service further than Cognito: why *this* user gets nothing when the pool itself
//! is fine. SES (the account's sandbox, quota and enforcement, the sender identity, the
//! suppression list, verified recipients), SNS (the SMS sandbox, the spend limit, numbers that
//! replied STOP) and the delivery logs (the pool's `userNotification` errors and SNS's
//! delivery-status failures for the user's number).
//!
//! Each check is a pure function of the services' answers (unit-tested below); [`Evidence`]
//! asks the services, concurrently, each call under the same timeouts as the Cognito client. A
//! call that is denied or fails makes its check `unknown`, naming the IAM action: nothing else
//! depends on it.

use std::collections::HashMap;

use aws_config::Region;
use aws_config::SdkConfig;
use aws_sdk_cloudwatchlogs as logs;
use aws_sdk_sesv2 as sesv2;
use aws_sdk_sns as sns;
use chrono::{DateTime, Duration, Utc};

use crate::cognito::diagnostics::{Check, LogDestination, PoolSettings, Status};
use crate::cognito::sdk::{Endpoint, load_sdk_config, map_sdk_error};
use crate::cognito::{ApiError, Operation, User};
use crate::time::Zone;

/// The emails a day Cognito's own account (`COGNITO_DEFAULT`) sends for one AWS account.
pub const COGNITO_EMAILS_A_DAY: usize = 50;
/// How far back the delivery logs are read when the audit log knows no send.
pub const DEFAULT_WINDOW: Duration = Duration::hours(24);
/// How long a send is watched for, and how often the logs are read meanwhile.
pub const WATCH_FOR: std::time::Duration = std::time::Duration::from_secs(120);
pub const WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(15);
/// The most events shown of one search.
const MAX_EVENTS: usize = 20;
/// How many pages of one log group are read at most.
const MAX_PAGES: usize = 5;

/// The clients of the services past Cognito, for one pool (its profile, endpoint, timeouts).
#[derive(Debug, Clone)]
pub struct Evidence {
    base: SdkConfig,
    pool_region: String,
    sns: sns::Client,
}

/// What SES v2 GetAccount says.
#[derive(Debug, Clone, PartialEq)]
pub struct SesAccount {
    pub production: bool,
    pub sending_enabled: bool,
    /// HEALTHY, PROBATION or SHUTDOWN.
    pub enforcement: Option<String>,
    pub max_24h: f64,
    pub sent_24h: f64,
}

/// What SES v2 GetEmailIdentity says of an identity that exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SesIdentity {
    pub verified: bool,
    /// SUCCESS, PENDING, FAILED, TEMPORARY_FAILURE, NOT_STARTED.
    pub dkim: Option<String>,
}

/// An address on the account's suppression list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    /// BOUNCE or COMPLAINT.
    pub reason: String,
    pub since: Option<DateTime<Utc>>,
}

/// One log group to search for a user's delivery errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogTarget {
    pub group: String,
    pub region: String,
}

/// One delivery error found in a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEvent {
    pub at: DateTime<Utc>,
    pub group: String,
    /// What the event says (the provider's response for an SMS), one line.
    pub message: String,
}

/// What a watch of the delivery logs after a send has seen so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watched {
    /// Nothing logged `elapsed` into the watch; `over` once the watch has ended.
    Quiet {
        elapsed: std::time::Duration,
        /// How long the watch lasts.
        of: std::time::Duration,
        over: bool,
    },
    /// Delivery errors logged since the send (the watch ends).
    Found(Vec<LogEvent>),
    /// Nothing can be watched: no log group, or none can be read (the watch ends).
    Cannot(String),
}

impl Watched {
    pub fn is_over(&self) -> bool {
        !matches!(self, Watched::Quiet { over: false, .. })
    }

    /// The same with the events' text masked (under `--redact`, before it leaves the backend).
    pub fn masked(self, mask: &dyn Fn(&str) -> String) -> Self {
        match self {
            Watched::Found(events) => Watched::Found(
                events
                    .into_iter()
                    .map(|e| LogEvent {
                        message: mask(&e.message),
                        ..e
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    /// One line for the dialog and the command: "no delivery error logged for 1m 30s".
    pub fn line(&self, zone: Zone, mask: &dyn Fn(&str) -> String) -> String {
        let span = |d: std::time::Duration| {
            let secs = d.as_secs();
            match (secs / 60, secs % 60) {
                (0, s) => format!("{s}s"),
                (m, 0) => format!("{m}m"),
                (m, s) => format!("{m}m {s:02}s"),
            }
        };
        match self {
            Watched::Quiet {
                elapsed,
                of,
                over: false,
            } => format!(
                "no delivery error logged for {} (watching {})",
                span(*elapsed),
                span(*of)
            ),
            Watched::Quiet {
                elapsed,
                over: true,
                ..
            } => format!(
                "no delivery error logged in the {} after the send",
                span(*elapsed)
            ),
            Watched::Found(events) => {
                let last = events.last();
                format!(
                    "✘ delivery error logged{}: {}",
                    last.map(|e| format!(" at {}", zone.clock(e.at)))
                        .unwrap_or_default(),
                    last.map(|e| mask(&event_message(&e.message)))
                        .unwrap_or_default()
                )
            }
            Watched::Cannot(why) => format!("cannot watch the delivery logs: {why}"),
        }
    }
}

/// The span searched: since the user's last send (from the audit log), else the last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub since: DateTime<Utc>,
    pub from_last_send: bool,
}

impl Window {
    /// From a minute before the last send the audit log knows of, else [`DEFAULT_WINDOW`].
    pub fn since_last_send(last_send: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Self {
        match last_send {
            Some(at) => Window {
                since: at - Duration::minutes(1),
                from_last_send: true,
            },
            None => Window {
                since: now - DEFAULT_WINDOW,
                from_last_send: false,
            },
        }
    }

    /// "since the last send", "in the last 24 hours": for a summary.
    fn short(&self) -> &'static str {
        if self.from_last_send {
            "since the last send"
        } else {
            "in the last 24 hours"
        }
    }

    /// The same with the time the window starts.
    fn describe(&self, zone: Zone) -> String {
        format!("{} (from {})", self.short(), zone.minutes(self.since))
    }
}

/// The pool's sending account is its own SES (`DEVELOPER`), not Cognito's.
pub fn sends_through_ses(pool: &PoolSettings) -> bool {
    pool.email_sending_account.as_deref() == Some("DEVELOPER")
}

/// The region of an ARN (`arn:aws:ses:eu-west-1:…`), its fourth field.
fn arn_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}

/// The account of an ARN, its fifth field.
fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// The SES identity of a `SourceArn` (`…:identity/example.com` → `example.com`).
pub fn source_identity(source_arn: &str) -> Option<&str> {
    source_arn
        .split_once(":identity/")
        .map(|(_, name)| name)
        .filter(|n| !n.is_empty())
}

/// The region the pool's email goes out of: its `SourceArn`'s, else the pool's.
pub fn ses_region(pool: &PoolSettings, pool_region: &str) -> String {
    pool.email_source_arn
        .as_deref()
        .and_then(arn_region)
        .unwrap_or(pool_region)
        .to_string()
}

/// The log groups that can hold this pool's delivery errors: its `userNotification` log group
/// and, for a pool that sends SMS, SNS's delivery-status failure log of its SMS region.
pub fn log_targets(
    pool: &PoolSettings,
    logs: &[LogDestination],
    pool_region: &str,
) -> Vec<LogTarget> {
    let mut targets: Vec<LogTarget> = logs
        .iter()
        .filter(|l| l.event_source == "userNotification")
        .filter_map(|l| {
            let (_, name) = l.target.split_once(":log-group:")?;
            Some(LogTarget {
                group: name.trim_end_matches(":*").to_string(),
                region: arn_region(&l.target).unwrap_or(pool_region).to_string(),
            })
        })
        .collect();
    if pool.verifies_phone()
        && let Some(account) = pool.arn.as_deref().and_then(arn_account)
    {
        let region = pool.sns_region.as_deref().unwrap_or(pool_region);
        targets.push(LogTarget {
            group: format!("sns/{region}/{account}/DirectPublishToPhoneNumber/Failure"),
            region: region.to_string(),
        });
    }
    targets
}

/// What identifies the user in a log line: sub, username, email, phone number.
pub fn search_terms(user: &User) -> Vec<String> {
    let mut terms: Vec<String> = [
        user.attr("sub"),
        Some(user.username.as_str()),
        user.email(),
        user.phone(),
    ]
    .into_iter()
    .flatten()
    // A filter pattern quotes each term: one with a quote or a space cannot be asked for.
    .filter(|t| !t.is_empty() && !t.contains(['"', ' ', '\\']))
    .map(str::to_string)
    .collect();
    terms.dedup();
    terms
}

/// `?"a" ?"b"`: CloudWatch Logs' "any of these terms".
pub fn filter_pattern(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("?\"{t}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One line from a log event: the provider's response of an SNS delivery failure, the message
/// of a Cognito notification error, else the text itself.
pub fn event_message(raw: &str) -> String {
    let text = match serde_json::from_str::<serde_json::Value>(raw) {
        Ok(value) => {
            let pick = |path: &[&str]| {
                let mut at = &value;
                for key in path {
                    at = at.get(key)?;
                }
                Some(match at {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
            };
            // Cognito's documented shape: {"message": {"details": "…"}}, fields may be null.
            let message = pick(&["message", "details"]).or_else(|| pick(&["message"]));
            match (
                pick(&["delivery", "providerResponse"]),
                pick(&["errorCode"]),
                message,
            ) {
                (Some(provider), _, _) => format!("SMS failed: {provider}"),
                (None, Some(code), Some(message)) => format!("{code}: {message}"),
                (None, None, Some(message)) => message,
                (None, Some(code), None) => code,
                _ => raw.to_string(),
            }
        }
        Err(_) => raw.to_string(),
    };
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::text::truncate(&crate::text::sanitize(&line), 240).into_owned()
}

impl Evidence {
    /// Connects as the pool does (profile, endpoint, timeouts); SNS in the region it sends SMS
    /// from (`SmsConfiguration.SnsRegion`, else the pool's).
    pub async fn connect(endpoint: &Endpoint, sns_region: Option<&str>) -> Self {
        let base = load_sdk_config(endpoint).await;
        let sns_region = sns_region.unwrap_or(&endpoint.region);
        Self {
            sns: sns_client(&base, sns_region),
            pool_region: endpoint.region.clone(),
            base,
        }
    }

    fn ses(&self, region: &str) -> sesv2::Client {
        ses_client(&self.base, region)
    }

    fn logs(&self, region: &str) -> logs::Client {
        logs::Client::from_conf(
            logs::config::Builder::from(&self.base)
                .region(Region::new(region.to_string()))
                .build(),
        )
    }

    /// The account-level checks: `ses_account` and `ses_identity` for a pool that sends email
    /// through its own SES, `cognito_email_quota` for one that sends through Cognito's
    /// (`emails_caused`: what the audit log says cogtui sent by email in the last 24 hours),
    /// `sns_account` for one that sends SMS.
    pub async fn pool_checks(
        &self,
        pool: &PoolSettings,
        emails_caused: Result<usize, String>,
    ) -> Vec<Check> {
        let ses_region = ses_region(pool, &self.pool_region);
        let ses = self.ses(&ses_region);
        let email = async {
            if !pool.verifies_email() {
                return Vec::new();
            }
            if !sends_through_ses(pool) {
                return vec![cognito_email_quota(emails_caused.clone())];
            }
            let identity = pool.email_source_arn.as_deref().and_then(source_identity);
            let (account, identity_answer) = tokio::join!(get_account(&ses), async {
                match identity {
                    Some(name) => Some(get_identity(&ses, name).await),
                    None => None,
                }
            });
            let mut checks = vec![ses_account(&ses_region, account)];
            if let (Some(name), Some(answer)) = (identity, identity_answer) {
                checks.push(ses_identity(name, answer));
            }
            checks
        };
        let sms = async {
            if !pool.verifies_phone() {
                return Vec::new();
            }
            let (sandbox, attributes) = tokio::join!(sms_sandbox(&self.sns), async {
                self.sns
                    .get_sms_attributes()
                    .attributes("MonthlySpendLimit")
                    .attributes("DefaultSMSType")
                    .send()
                    .await
                    .map(|out| out.attributes().cloned().unwrap_or_default())
                    .map_err(|e| map_sdk_error(Operation::SmsAttributes, e, |_| None))
            });
            vec![sns_account(sandbox, attributes)]
        };
        let (mut checks, sms) = tokio::join!(email, sms);
        checks.extend(sms);
        checks
    }

    /// The checks on this user that other services answer. `redact`: addresses are asked
    /// about as they are and shown masked. The code's medium weighs them: a number that
    /// replied STOP does not matter to a code that goes by email.
    pub async fn user_checks(
        &self,
        pool: &PoolSettings,
        logs: Result<&[LogDestination], &ApiError>,
        user: &User,
        redact: bool,
        window: Window,
        zone: Zone,
    ) -> Vec<Check> {
        let by_sms = crate::cognito::diagnostics::destination(pool, user)
            .map(|(attribute, _)| attribute == "phone_number");
        let by_email = by_sms.map(|sms| !sms);
        let email =
            async {
                let Some(address) = user.email() else {
                    return Vec::new();
                };
                let shown = shown_email(address, redact);
                if !sends_through_ses(pool) {
                    return vec![Check::new(
                    "ses_suppressed",
                    Status::Info,
                    "DescribeUserPool.EmailConfiguration",
                    "",
                )
                .says(
                    format!(
                        "{shown}: the pool sends through Cognito's own email account, whose \
                         suppression list cannot be read"
                    ),
                    "With EmailSendingAccount = DEVELOPER the pool's own SES account sends, \
                     and cogtui can show (and clear) a bounce or complaint on the address.",
                )];
                }
                let ses = self.ses(&ses_region(pool, &self.pool_region));
                let (suppressed, account, recipient) = tokio::join!(
                    get_suppressed(&ses, address),
                    get_account(&ses),
                    verified_recipient(&ses, address)
                );
                vec![
                    weigh(ses_suppressed(&shown, suppressed), by_email, "SMS"),
                    weigh(
                        ses_sandbox_recipient(&shown, account.map(|a| !a.production), recipient),
                        by_email,
                        "SMS",
                    ),
                ]
            };
        let phone = async {
            let Some(number) = user.phone() else {
                return Vec::new();
            };
            let shown = shown_phone(number, redact);
            let (opted_out, sandbox) = tokio::join!(is_opted_out(&self.sns, number), async {
                match sms_sandbox(&self.sns).await {
                    Ok(true) => sms_sandbox_numbers(&self.sns).await.map(Some),
                    Ok(false) => Ok(None),
                    Err(e) => Err(e),
                }
            });
            vec![
                weigh(sms_opted_out(&shown, opted_out), by_sms, "email"),
                weigh(
                    sms_sandbox_recipient(&shown, number, sandbox),
                    by_sms,
                    "email",
                ),
            ]
        };
        let terms = search_terms(user);
        let errors = async {
            match logs {
                Ok(logs) => {
                    let targets = log_targets(pool, logs, &self.pool_region);
                    let found = self.search(&targets, &terms, window.since).await;
                    delivery_errors(&targets, found, window, zone, &masker(user, redact))
                }
                // Which log group to read is not known.
                Err(e) => Check::unknown("delivery_errors", "GetLogDeliveryConfiguration", e),
            }
        };
        let (mut checks, phone, errors) = tokio::join!(email, phone, errors);
        checks.extend(phone);
        checks.push(errors);
        checks
    }

    /// The events in each log group since `since` that name one of the terms, oldest first.
    pub async fn search(
        &self,
        targets: &[LogTarget],
        terms: &[String],
        since: DateTime<Utc>,
    ) -> Vec<(LogTarget, Result<Vec<LogEvent>, ApiError>)> {
        let searches = targets.iter().map(|target| async move {
            (target.clone(), self.search_one(target, terms, since).await)
        });
        futures::future::join_all(searches).await
    }

    /// Watches the delivery logs for this user's send: a read right away, then every `every`
    /// until `span` has passed, an error is logged, or `stop` is asked; each read reported.
    #[allow(clippy::too_many_arguments)]
    pub async fn watch(
        &self,
        targets: &[LogTarget],
        terms: &[String],
        since: DateTime<Utc>,
        span: std::time::Duration,
        every: std::time::Duration,
        stop: &crate::ops::bulk::Stop,
        mut report: impl FnMut(Watched),
    ) -> Watched {
        if targets.is_empty() {
            let why = Watched::Cannot(
                "the pool logs no delivery errors to CloudWatch (see D: delivery_logs)".into(),
            );
            report(why.clone());
            return why;
        }
        let start = tokio::time::Instant::now();
        loop {
            let found = self.search(targets, terms, since).await;
            let mut events = Vec::new();
            let mut failures = Vec::new();
            for (target, result) in found {
                match result {
                    Ok(found) => events.extend(found),
                    Err(e) => failures.push(format!("{}: {}", target.group, e.hint())),
                }
            }
            events.sort_by_key(|e| e.at);
            let elapsed = start.elapsed();
            let seen = if !events.is_empty() {
                Watched::Found(events)
            } else if failures.len() == targets.len() {
                Watched::Cannot(failures.join("; "))
            } else {
                Watched::Quiet {
                    elapsed: std::time::Duration::from_secs(elapsed.as_secs()),
                    of: span,
                    over: elapsed >= span,
                }
            };
            report(seen.clone());
            if seen.is_over() || stop.requested() {
                return seen;
            }
            let next = start + span.min(elapsed + every);
            while tokio::time::Instant::now() < next {
                if stop.requested() {
                    return seen;
                }
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        }
    }

    async fn search_one(
        &self,
        target: &LogTarget,
        terms: &[String],
        since: DateTime<Utc>,
    ) -> Result<Vec<LogEvent>, ApiError> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let client = self.logs(&target.region);
        let mut events = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let out = client
                .filter_log_events()
                .log_group_name(&target.group)
                .start_time(since.timestamp_millis())
                .filter_pattern(filter_pattern(terms))
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| map_sdk_error(Operation::LogEvents, e, |_| None))?;
            for event in out.events() {
                let raw = event.message().unwrap_or_default();
                // The pattern is the service's; the match is checked here too.
                if !terms.iter().any(|t| raw.contains(t.as_str())) {
                    continue;
                }
                let at = event
                    .timestamp()
                    .and_then(DateTime::<Utc>::from_timestamp_millis)
                    .unwrap_or(since);
                events.push(LogEvent {
                    at,
                    group: target.group.clone(),
                    message: raw.to_string(),
                });
            }
            match out.next_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_string()),
                _ => break,
            }
        }
        events.sort_by_key(|e| e.at);
        Ok(events)
    }
}

/// An SES v2 client of `region` from the pool's SDK config (its credentials, endpoint, timeouts).
pub(crate) fn ses_client(base: &SdkConfig, region: &str) -> sesv2::Client {
    sesv2::Client::from_conf(
        sesv2::config::Builder::from(base)
            .region(Region::new(region.to_string()))
            .build(),
    )
}

/// An SNS client of `region` from the pool's SDK config.
pub(crate) fn sns_client(base: &SdkConfig, region: &str) -> sns::Client {
    sns::Client::from_conf(
        sns::config::Builder::from(base)
            .region(Region::new(region.to_string()))
            .build(),
    )
}

/// Takes an address off the account's SES suppression list. Never retried.
pub(crate) async fn unsuppress(
    base: &SdkConfig,
    region: &str,
    address: &str,
) -> Result<(), ApiError> {
    ses_client(base, region)
        .delete_suppressed_destination()
        .email_address(address)
        .customize()
        .config_override(
            sesv2::config::Builder::default()
                .retry_config(aws_config::retry::RetryConfig::disabled()),
        )
        .send()
        .await
        .map(|_| ())
        .map_err(|e| map_sdk_error(Operation::SesUnsuppress, e, |_| None))
}

/// Opts a number back in to SMS (SNS allows it once in 30 days). Never retried.
pub(crate) async fn sms_opt_in(
    base: &SdkConfig,
    region: &str,
    number: &str,
) -> Result<(), ApiError> {
    sns_client(base, region)
        .opt_in_phone_number()
        .phone_number(number)
        .customize()
        .config_override(
            sns::config::Builder::default()
                .retry_config(aws_config::retry::RetryConfig::disabled()),
        )
        .send()
        .await
        .map(|_| ())
        .map_err(|e| map_sdk_error(Operation::SmsOptIn, e, |_| None))
}

/// Whether the number is on SNS's opted-out list now.
pub(crate) async fn opted_out(
    base: &SdkConfig,
    region: &str,
    number: &str,
) -> Result<bool, ApiError> {
    is_opted_out(&sns_client(base, region), number).await
}

async fn is_opted_out(client: &sns::Client, number: &str) -> Result<bool, ApiError> {
    client
        .check_if_phone_number_is_opted_out()
        .phone_number(number)
        .send()
        .await
        .map(|out| out.is_opted_out())
        .map_err(|e| map_sdk_error(Operation::SmsOptOut, e, |_| None))
}

/// Whether the address is on the account's suppression list now.
pub(crate) async fn suppressed(
    base: &SdkConfig,
    region: &str,
    address: &str,
) -> Result<bool, ApiError> {
    get_suppressed(&ses_client(base, region), address)
        .await
        .map(|entry| entry.is_some())
}

async fn get_account(ses: &sesv2::Client) -> Result<SesAccount, ApiError> {
    let out = ses
        .get_account()
        .send()
        .await
        .map_err(|e| map_sdk_error(Operation::SesAccount, e, |_| None))?;
    let quota = out.send_quota();
    Ok(SesAccount {
        production: out.production_access_enabled(),
        sending_enabled: out.sending_enabled(),
        enforcement: out.enforcement_status().map(str::to_string),
        max_24h: quota.map_or(0.0, |q| q.max24_hour_send()),
        sent_24h: quota.map_or(0.0, |q| q.sent_last24_hours()),
    })
}

/// `Ok(None)`: SES has no such identity.
async fn get_identity(ses: &sesv2::Client, name: &str) -> Result<Option<SesIdentity>, ApiError> {
    match ses.get_email_identity().email_identity(name).send().await {
        Ok(out) => Ok(Some(SesIdentity {
            verified: out.verified_for_sending_status(),
            dkim: out
                .dkim_attributes()
                .and_then(|d| d.status())
                .map(|s| s.as_str().to_string()),
        })),
        Err(e) => {
            let error = map_sdk_error(Operation::SesIdentity, e, |_| None);
            if error.code == "NotFoundException" {
                Ok(None)
            } else {
                Err(error)
            }
        }
    }
}

/// `Ok(None)`: not on the list.
async fn get_suppressed(
    ses: &sesv2::Client,
    address: &str,
) -> Result<Option<Suppressed>, ApiError> {
    match ses
        .get_suppressed_destination()
        .email_address(address)
        .send()
        .await
    {
        Ok(out) => Ok(out.suppressed_destination().map(|d| Suppressed {
            reason: d.reason().as_str().to_string(),
            since: DateTime::<Utc>::from_timestamp(d.last_update_time().secs(), 0),
        })),
        Err(e) => {
            let error = map_sdk_error(Operation::SesSuppressed, e, |_| None);
            if error.code == "NotFoundException" {
                Ok(None)
            } else {
                Err(error)
            }
        }
    }
}

/// Which verified identity covers the address (itself, or its domain); `None`: neither.
async fn verified_recipient(
    ses: &sesv2::Client,
    address: &str,
) -> Result<Option<String>, ApiError> {
    let domain = address.rsplit_once('@').map(|(_, d)| d.to_string());
    let (own, by_domain) = tokio::join!(get_identity(ses, address), async {
        match &domain {
            Some(d) => get_identity(ses, d).await,
            None => Ok(None),
        }
    });
    if own?.is_some_and(|i| i.verified) {
        return Ok(Some(address.to_string()));
    }
    Ok(by_domain?.filter(|i| i.verified).and(domain))
}

async fn sms_sandbox(client: &sns::Client) -> Result<bool, ApiError> {
    client
        .get_sms_sandbox_account_status()
        .send()
        .await
        .map(|out| out.is_in_sandbox())
        .map_err(|e| map_sdk_error(Operation::SmsSandbox, e, |_| None))
}

/// The sandbox's numbers and their status (Verified, Pending).
async fn sms_sandbox_numbers(client: &sns::Client) -> Result<HashMap<String, String>, ApiError> {
    let mut numbers = HashMap::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let out = client
            .list_sms_sandbox_phone_numbers()
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| map_sdk_error(Operation::SmsSandboxNumbers, e, |_| None))?;
        for n in out.phone_numbers() {
            if let Some(number) = n.phone_number() {
                let status = n.status().map_or("", |s| s.as_str());
                numbers.insert(number.to_string(), status.to_string());
            }
        }
        match out.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => break,
        }
    }
    Ok(numbers)
}

fn shown_email(address: &str, redact: bool) -> String {
    if redact {
        crate::text::mask_email(address)
    } else {
        crate::text::sanitize(address).into_owned()
    }
}

fn shown_phone(number: &str, redact: bool) -> String {
    if redact {
        crate::text::mask_phone(number)
    } else {
        crate::text::sanitize(number).into_owned()
    }
}

/// Under `--redact`, the user's address and number in a log line are shown masked.
pub fn masker(user: &User, redact: bool) -> impl Fn(&str) -> String + use<> {
    let pairs: Vec<(String, String)> = if redact {
        [
            user.email()
                .map(|e| (e.to_string(), crate::text::mask_email(e))),
            user.phone()
                .map(|p| (p.to_string(), crate::text::mask_phone(p))),
        ]
        .into_iter()
        .flatten()
        .collect()
    } else {
        Vec::new()
    };
    move |text: &str| {
        let mut text = text.to_string();
        for (real, masked) in &pairs {
            text = text.replace(real.as_str(), masked);
        }
        text
    }
}

/// `ses_account`: the SES account the pool's email goes through (its `SourceArn`'s region).
pub fn ses_account(region: &str, answer: Result<SesAccount, ApiError>) -> Check {
    let source = "SES GetAccount";
    let account = match answer {
        Ok(account) => account,
        Err(e) => return Check::unknown("ses_account", source, &e),
    };
    let used = if account.max_24h > 0.0 {
        account.sent_24h / account.max_24h
    } else {
        0.0
    };
    let quota = format!(
        "{} of {} emails sent in the last 24 hours",
        account.sent_24h, account.max_24h
    );
    let fail = |short: &str, summary: String, detail: &str| {
        Check::new("ses_account", Status::Fail, source, short).says(summary, detail.to_string())
    };
    if !account.sending_enabled {
        return fail(
            "SES sending paused",
            format!("Sending is paused for the SES account in {region}: no email goes out"),
            "SES (or an administrator) paused sending for the whole account. Resume it \
             (PutAccountSendingAttributes) once the cause is fixed.",
        );
    }
    match account.enforcement.as_deref() {
        Some("SHUTDOWN") => {
            return fail(
                "SES account shut down",
                format!("The SES account in {region} is shut down: no email goes out"),
                "AWS stopped the account's sending after its bounce or complaint rates. Only \
                 AWS Support can restore it.",
            );
        }
        Some("PROBATION") => {
            return Check::new("ses_account", Status::Warn, source, "SES on probation").says(
                format!("The SES account in {region} is on probation ({quota})"),
                "AWS watches the account's bounce and complaint rates; if they do not improve, \
                 it shuts sending down. Codes still go out for now.",
            );
        }
        _ => {}
    }
    if !account.production {
        return fail(
            "SES sandbox",
            format!(
                "The SES account in {region} is in the sandbox: only verified addresses get a code"
            ),
            "Every other user's code is dropped by SES. Request production access (SES console, \
             Account dashboard), or verify the test addresses.",
        );
    }
    if used >= 1.0 {
        return fail(
            "SES quota used up",
            format!("The SES 24-hour quota is used up: {quota}"),
            "SES sends nothing more until the oldest sends fall out of the 24-hour window. Ask \
             AWS for a higher quota.",
        );
    }
    if used >= 0.9 {
        return Check::new("ses_account", Status::Warn, source, "SES quota nearly used").says(
            format!("The SES 24-hour quota is nearly used: {quota}"),
            "At the quota SES stops sending; a bulk resend now may pass it.",
        );
    }
    Check::new("ses_account", Status::Ok, source, "").says(
        format!("SES in {region} sends: out of the sandbox, healthy, {quota}"),
        "",
    )
}

/// `ses_identity`: the identity of the pool's `SourceArn` may send, and signs with DKIM.
pub fn ses_identity(name: &str, answer: Result<Option<SesIdentity>, ApiError>) -> Check {
    let source = "SES GetEmailIdentity";
    let name = crate::text::sanitize(name);
    match answer {
        Err(e) => Check::unknown("ses_identity", source, &e),
        Ok(None) => Check::new("ses_identity", Status::Fail, source, "no SES identity").says(
            format!("SES has no identity {name}: the pool's email cannot be sent"),
            "The pool's SourceArn names an identity that does not exist in that account and \
             region. Create and verify it in SES, or point the pool at one that exists.",
        ),
        Ok(Some(identity)) if !identity.verified => {
            Check::new("ses_identity", Status::Fail, source, "sender not verified").says(
                format!("The SES identity {name} is not verified for sending"),
                "SES refuses to send from an unverified identity: no user gets a code. Finish \
                 the verification (the DNS records of a domain, the link of an address).",
            )
        }
        Ok(Some(identity)) if identity.dkim.as_deref() != Some("SUCCESS") => {
            let dkim = identity.dkim.as_deref().unwrap_or("not set up");
            Check::new("ses_identity", Status::Warn, source, "no DKIM").says(
                format!("{name} is verified, but its DKIM is {dkim}"),
                "Mail without a DKIM signature lands in junk folders more often: ask users to \
                 look there, and publish the identity's DKIM records.",
            )
        }
        Ok(Some(_)) => Check::new("ses_identity", Status::Ok, source, "").says(
            format!("{name} is verified for sending and signs with DKIM"),
            "",
        ),
    }
}

/// `cognito_email_quota`: Cognito's own email account sends 50 a day for the AWS account;
/// cogtui knows only its own share.
pub fn cognito_email_quota(caused: Result<usize, String>) -> Check {
    let source = "the audit log (emails cogtui caused in 24 hours)";
    let caused = match caused {
        Ok(n) => n,
        Err(e) => {
            return Check::new("cognito_email_quota", Status::Unknown, source, "").says(
                "Cannot count today's emails: the audit log cannot be read",
                crate::text::sanitize(&e).into_owned(),
            );
        }
    };
    let summary = format!(
        "At least {caused} of {COGNITO_EMAILS_A_DAY} emails today: sign-ups and other tools count too"
    );
    let detail = "Cognito's own email account (COGNITO_DEFAULT) sends 50 emails a day for the \
                  whole AWS account, then drops the rest without an error. Sending through \
                  your own SES identity (DEVELOPER) lifts the limit.";
    let status = if caused >= COGNITO_EMAILS_A_DAY {
        Status::Fail
    } else if caused * 10 >= COGNITO_EMAILS_A_DAY * 8 {
        Status::Warn
    } else {
        Status::Info
    };
    Check::new("cognito_email_quota", status, source, "daily email quota").says(summary, detail)
}

/// Counts the emails cogtui caused in the last 24 hours for pools of `region` (resends and
/// invitations by email that were sent, or may have been).
pub fn emails_caused<'a>(
    records: impl IntoIterator<Item = &'a crate::audit::Record>,
    region: &str,
    now: DateTime<Utc>,
) -> usize {
    let prefix = format!("{region}_");
    records
        .into_iter()
        .filter(|r| r.event == crate::audit::Event::Outcome)
        .filter(|r| now - r.time < Duration::hours(24))
        .filter(|r| r.user_pool_id.starts_with(&prefix))
        .filter(|r| {
            matches!(
                r.outcome,
                Some(crate::audit::Outcome::Sent | crate::audit::Outcome::Unknown)
            )
        })
        .filter(|r| match r.action.as_str() {
            "resend" => r.delivery_medium.as_deref().is_none_or(|m| m == "EMAIL"),
            "invite" => r
                .details
                .get("mediums")
                .is_some_and(|m| m.split(',').any(|m| m == "EMAIL")),
            _ => false,
        })
        .count()
}

/// [`emails_caused`] from the audit log (the last day's month files only).
pub fn emails_caused_in(
    log: Option<&crate::audit::AuditLog>,
    region: &str,
    now: DateTime<Utc>,
) -> Result<usize, String> {
    let Some(log) = log else {
        return Err("no audit log: set audit_log in the config file".into());
    };
    let (records, _) = log
        .read_since(Some(now - Duration::hours(24)), |r| {
            r.event == crate::audit::Event::Outcome
        })
        .map_err(|e| e.to_string())?;
    Ok(emails_caused(records.iter(), region, now))
}

/// The last code or invitation sent to the user (or perhaps sent) in the last day, as the
/// audit log has it: where the delivery logs are read from.
pub fn last_send(
    log: Option<&crate::audit::AuditLog>,
    user_pool_id: &str,
    username: &str,
    case_sensitive: bool,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    log?.attempts_of(
        user_pool_id,
        username,
        case_sensitive,
        Some(now - crate::audit::RECENT),
    )
    .ok()?
    .iter()
    .filter(|a| matches!(a.intent.action.as_str(), "resend" | "invite") && a.may_have_sent())
    .map(crate::audit::Attempt::at)
    .filter(|at| now - *at < DEFAULT_WINDOW)
    .max()
}

/// The warning before a bulk resend by Cognito's own email that would pass the day's
/// remainder; `None` when it fits (or the pool sends through its own SES).
pub fn quota_warning(pool: &PoolSettings, caused: usize, sending: usize) -> Option<String> {
    if sends_through_ses(pool) || !pool.verifies_email() {
        return None;
    }
    let left = COGNITO_EMAILS_A_DAY.saturating_sub(caused);
    (sending > left).then(|| {
        format!(
            "Cognito's own email sends {COGNITO_EMAILS_A_DAY} a day for the account; cogtui \
             already caused {caused} today, so at most {left} of these {sending} codes by email \
             can arrive"
        )
    })
}

/// `ses_suppressed`: SES keeps an address that bounced or complained off every email.
pub fn ses_suppressed(shown: &str, answer: Result<Option<Suppressed>, ApiError>) -> Check {
    let source = "SES GetSuppressedDestination";
    match answer {
        Err(e) => Check::unknown("ses_suppressed", source, &e),
        Ok(None) => Check::new("ses_suppressed", Status::Ok, source, "")
            .says(format!("{shown} is not on the SES suppression list"), ""),
        Ok(Some(entry)) => {
            let reason = crate::text::sanitize(&entry.reason);
            let since = entry
                .since
                .map(|t| format!(" since {}", t.format("%Y-%m-%d")))
                .unwrap_or_default();
            Check::new(
                "ses_suppressed",
                Status::Fail,
                source,
                "address suppressed by SES",
            )
            .says(
                format!(
                    "{shown} is on the SES suppression list ({reason}{since}): SES will not send to this address"
                ),
                "An earlier email bounced (or the user marked one as spam), so SES drops every \
                 email to the address, codes included, and Cognito reports no error. If the \
                 address works now (the mailbox was full, a typo was fixed), remove it from the \
                 list (u in the dialog, `cogtui unsuppress USER`) and send again.",
            )
        }
    }
}

/// `ses_sandbox_recipient`: in the SES sandbox only verified identities get mail.
pub fn ses_sandbox_recipient(
    shown: &str,
    sandbox: Result<bool, ApiError>,
    verified_by: Result<Option<String>, ApiError>,
) -> Check {
    let source = "SES GetAccount, GetEmailIdentity";
    match sandbox {
        Err(e) => Check::unknown("ses_sandbox_recipient", source, &e),
        Ok(false) => Check::new("ses_sandbox_recipient", Status::Ok, source, "")
            .says("SES is out of the sandbox: any address can get a code", ""),
        Ok(true) => match verified_by {
            Err(e) => Check::unknown("ses_sandbox_recipient", source, &e),
            Ok(Some(identity)) => Check::new("ses_sandbox_recipient", Status::Ok, source, "").says(
                format!(
                    "{shown} is a verified recipient ({}): it gets mail in the SES sandbox",
                    crate::text::sanitize(&identity)
                ),
                "",
            ),
            Ok(None) => Check::new(
                "ses_sandbox_recipient",
                Status::Fail,
                source,
                "not a verified recipient",
            )
            .says(
                format!("{shown} is not verified, and SES is in the sandbox: no code reaches it"),
                "In the SES sandbox mail goes only to verified addresses and domains. Verify \
                 the address (or its domain) in SES, or request production access.",
            ),
        },
    }
}

/// `sms_opted_out`: SNS keeps a number that replied STOP (or was opted out by an operator) off
/// every SMS, codes included.
pub fn sms_opted_out(shown_phone: &str, answer: Result<bool, ApiError>) -> Check {
    let source = "SNS CheckIfPhoneNumberIsOptedOut";
    let shown = crate::text::sanitize(shown_phone);
    match answer {
        Ok(true) => Check::new("sms_opted_out", Status::Fail, source, "replied STOP").says(
            format!(
                "{shown} has opted out of SMS: SNS will not send it a code (the user replied STOP)"
            ),
            "The user replied STOP to an SMS from this account (or was opted out). Cognito hands \
             SNS the code and SNS drops it without an error. Opting the number back in \
             (o in the dialog, `cogtui sms-opt-in USER`) is allowed once in 30 days; until then \
             send the code by email.",
        ),
        Ok(false) => Check::new("sms_opted_out", Status::Ok, source, "")
            .says(format!("{shown} has not opted out of SMS"), ""),
        Err(e) => Check::unknown("sms_opted_out", source, &e),
    }
}

/// `sms_sandbox_recipient`: in the SMS sandbox only verified numbers get a message. `numbers`
/// is `None` when the account is out of the sandbox.
pub fn sms_sandbox_recipient(
    shown: &str,
    number: &str,
    numbers: Result<Option<HashMap<String, String>>, ApiError>,
) -> Check {
    let source = "SNS GetSMSSandboxAccountStatus, ListSMSSandboxPhoneNumbers";
    match numbers {
        Err(e) => Check::unknown("sms_sandbox_recipient", source, &e),
        Ok(None) => Check::new("sms_sandbox_recipient", Status::Ok, source, "").says(
            "SNS is out of the SMS sandbox: any number can get a code",
            "",
        ),
        Ok(Some(numbers)) => match numbers.get(number).map(String::as_str) {
            Some("Verified") => Check::new("sms_sandbox_recipient", Status::Ok, source, "").says(
                format!("{shown} is a verified sandbox number: it gets SMS"),
                "",
            ),
            other => Check::new(
                "sms_sandbox_recipient",
                Status::Fail,
                source,
                "not a sandbox number",
            )
            .says(
                format!(
                    "{shown} is {} in the SMS sandbox: no code reaches it",
                    if other.is_some() {
                        "still pending"
                    } else {
                        "not verified"
                    }
                ),
                "In the SMS sandbox SNS sends only to verified numbers. Verify the number in \
                 SNS (Text messaging, Sandbox destination phone numbers), or request production \
                 access.",
            ),
        },
    }
}

/// `delivery_errors`: what the delivery logs hold for this user in the window.
pub fn delivery_errors(
    targets: &[LogTarget],
    found: Vec<(LogTarget, Result<Vec<LogEvent>, ApiError>)>,
    window: Window,
    zone: Zone,
    mask: &dyn Fn(&str) -> String,
) -> Check {
    let source = "CloudWatch Logs FilterLogEvents";
    if targets.is_empty() {
        return Check::new("delivery_errors", Status::Info, source, "").says(
            "No delivery log to search: the pool logs no userNotification errors to CloudWatch",
            "Turn on the pool's log delivery (userNotification, ERROR) and, for SMS, SNS \
             delivery status logging: the next failed send then says why here.",
        );
    }
    let searched: Vec<String> = targets.iter().map(|t| t.group.clone()).collect();
    let mut events = Vec::new();
    let mut failures = Vec::new();
    for (target, result) in found {
        match result {
            Ok(found) => events.extend(found),
            Err(e) => failures.push((target, e)),
        }
    }
    events.sort_by_key(|e| e.at);
    let window_text = window.describe(zone);
    if !events.is_empty() {
        let total = events.len();
        let shown: Vec<String> = events
            .iter()
            .rev()
            .take(MAX_EVENTS)
            .rev()
            .map(|e| {
                format!(
                    "{} {}: {}",
                    zone.minutes(e.at),
                    e.group,
                    mask(&event_message(&e.message))
                )
            })
            .collect();
        let last = events.last().map(|e| mask(&event_message(&e.message)));
        return Check::new(
            "delivery_errors",
            Status::Fail,
            source,
            "delivery error logged",
        )
        .says(
            format!(
                "{total} delivery error{} logged {}: {}",
                if total == 1 { "" } else { "s" },
                window.short(),
                last.unwrap_or_default()
            ),
            format!("{}\nSearched {window_text}.", shown.join("\n")),
        );
    }
    if let Some((target, e)) = failures.first() {
        let mut check = if e.code == "ResourceNotFoundException" {
            Check::new("delivery_errors", Status::Unknown, source, "").says(
                format!(
                    "Log group {} does not exist: nothing to read there",
                    target.group
                ),
                "SNS writes its failure log only once delivery status logging is on (SNS, Text \
                 messaging, Edit preferences); Cognito writes the userNotification log group \
                 the pool's log delivery names.",
            )
        } else {
            Check::unknown("delivery_errors", source, e)
        };
        check.detail = format!(
            "{}\nSearched {window_text}: {}",
            check.detail,
            searched.join(", ")
        );
        return check;
    }
    Check::new("delivery_errors", Status::Ok, source, "").says(
        format!("No delivery error logged {}", window.short()),
        format!(
            "Searched {} {window_text} for the user's sub, username, email and phone number.",
            searched.join(", ")
        ),
    )
}

/// `sns_account`: the SNS account the pool's SMS go through. In the SMS sandbox only verified
/// numbers get a message; the monthly spend limit (1 USD unless raised) stops every SMS once
/// spent, silently for Cognito.
pub fn sns_account(
    sandbox: Result<bool, ApiError>,
    attributes: Result<HashMap<String, String>, ApiError>,
) -> Check {
    let source = "SNS GetSMSSandboxAccountStatus, GetSMSAttributes";
    match (sandbox, attributes) {
        (Ok(true), _) => Check::new("sns_account", Status::Fail, source, "SMS sandbox").says(
            "The SNS account is in the SMS sandbox: only verified numbers get a code",
            "Every other user's code is dropped. Verify test numbers in SNS, or request \
             production access for SMS (SNS console, Text messaging (SMS), Exit SMS sandbox).",
        ),
        (Err(e), _) => Check::unknown("sns_account", source, &e),
        (Ok(false), Err(e)) => Check::unknown("sns_account", source, &e),
        (Ok(false), Ok(attributes)) => {
            // Unset, the limit is SNS's default: 1 USD a month.
            let limit = attributes
                .get("MonthlySpendLimit")
                .and_then(|l| l.trim().parse::<f64>().ok())
                .unwrap_or(1.0);
            let kind = attributes
                .get("DefaultSMSType")
                .map_or("Promotional", String::as_str);
            if limit <= 1.0 {
                Check::new("sns_account", Status::Warn, source, "SMS spend limit 1 USD").says(
                    format!("SMS spend limit: {limit} USD a month (the default)"),
                    "Once spent, SNS sends no more SMS this month and Cognito reports no error: \
                     a busy month silently stops codes by SMS. Raise MonthlySpendLimit (and the \
                     account's quota with AWS Support).",
                )
            } else {
                Check::new("sns_account", Status::Ok, source, "").says(
                    format!(
                        "SMS can go out: out of the sandbox, {limit} USD a month, {kind} by default"
                    ),
                    "",
                )
            }
        }
    }
}

/// Whether the evidence found what a fix is for (`ses_suppressed`: `u`; `sms_opted_out`:
/// `o`), also when the code goes by the other medium.
pub fn fixable(checks: &[Check], id: &str) -> bool {
    checks.iter().any(|c| {
        c.id == id && matches!(c.status, Status::Fail | Status::Info) && !c.short.is_empty()
    })
}

/// A failing check on a medium the code does not go by: said, but not a failure. `applies`:
/// whether the code goes by this check's medium (`None`: not known, the worst is said);
/// `other`: the medium it goes by instead.
pub fn weigh(check: Check, applies: Option<bool>, other: &str) -> Check {
    if applies == Some(false) && matches!(check.status, Status::Fail | Status::Warn) {
        let Check {
            id,
            summary,
            detail,
            source,
            short,
            ..
        } = check;
        // The short text stays: the fix is still offered (a number that replied STOP may
        // matter to the next code).
        return Check::new(id, Status::Info, &source, &short).says(
            format!("{summary} (the code goes by {other}: this does not apply)"),
            detail,
        );
    }
    check
}

#[cfg(test)]
mod tests;

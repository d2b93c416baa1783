//! The one guarded path for everything that reaches a user: check the history, write the intent
//! to the audit log, make the Cognito call(s) with no automatic retry, write the outcome. The TUI
//! and the headless commands all come through here; nothing is done without an audit record, and
//! nothing is done in read-only mode.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::audit::{self, Attempt, AuditLog, Event, Operator, Outcome, Record};
use crate::cognito::session::PoolSession;
use crate::cognito::{
    ApiError, CognitoApi, Delivery, DeliveryMedium, ErrorKind, Operation, ResendOptions,
};
use crate::config::PoolConfig;
use crate::time::Zone;

/// Where actions are recorded, and by whom they are done.
#[derive(Debug, Clone)]
pub struct Auditor {
    pub log: AuditLog,
    pub operator: Operator,
    /// `--read-only` (or the pool's `read_only`): every action is refused before any call.
    pub read_only: bool,
}

/// The contact attributes an operator may fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    Email,
    Phone,
}

impl Contact {
    pub fn attribute(self) -> &'static str {
        match self {
            Contact::Email => "email",
            Contact::Phone => "phone_number",
        }
    }

    /// An address that Cognito would take: `local@domain.tld`, or E.164 (`+` and 8–15 digits).
    pub fn validate(self, value: &str) -> Result<String, String> {
        let value = value.trim();
        match self {
            Contact::Email => {
                let ok = value.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty()
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && domain.contains('.')
                        && !domain.contains('@')
                }) && !value.chars().any(|c| c.is_whitespace() || c.is_control());
                if ok {
                    Ok(value.to_string())
                } else {
                    Err(format!(
                        "\"{value}\" is not an email address (name@example.com)"
                    ))
                }
            }
            Contact::Phone => {
                let digits = value.strip_prefix('+').unwrap_or_default();
                let ok = !digits.starts_with('0')
                    && (8..=15).contains(&digits.len())
                    && digits.chars().all(|c| c.is_ascii_digit());
                if ok {
                    Ok(value.to_string())
                } else {
                    Err(format!(
                        "\"{value}\" is not an E.164 phone number: + then the country code and \
                         number, digits only (e.g. +447700900123)"
                    ))
                }
            }
        }
    }
}

/// What an operator asks to be done to one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// ResendConfirmationCode.
    Resend(ResendOptions),
    /// AdminCreateUser with MessageAction=RESEND, by these mediums.
    Invite {
        mediums: Vec<DeliveryMedium>,
        client_metadata: BTreeMap<String, String>,
    },
    /// AdminConfirmSignUp, then the verified flags (so a later password reset works).
    Confirm {
        reason: String,
        verify_email: bool,
        verify_phone: bool,
    },
    /// AdminUpdateUserAttributes on `email` or `phone_number`.
    SetContact { contact: Contact, value: String },
    /// AdminDeleteUser: irreversible.
    Delete { reason: Option<String> },
}

impl Action {
    /// The `action` name in the audit log.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Resend(_) => "resend",
            Action::Invite { .. } => "invite",
            Action::Confirm { .. } => "confirm",
            Action::SetContact { .. } => "set-contact",
            Action::Delete { .. } => "delete",
        }
    }

    pub fn operation(&self) -> Operation {
        match self {
            Action::Resend(_) => Operation::Resend,
            Action::Invite { .. } => Operation::Invite,
            Action::Confirm { .. } => Operation::Confirm,
            Action::SetContact { .. } => Operation::UpdateAttributes,
            Action::Delete { .. } => Operation::Delete,
        }
    }

    fn metadata(&self) -> BTreeMap<String, String> {
        match self {
            Action::Resend(options) => options.client_metadata.clone(),
            Action::Invite {
                client_metadata, ..
            } => client_metadata.clone(),
            _ => BTreeMap::new(),
        }
    }

    fn reason(&self) -> Option<String> {
        match self {
            Action::Confirm { reason, .. } => Some(reason.clone()),
            Action::Delete { reason } => reason.clone(),
            _ => None,
        }
    }

    fn details(&self) -> BTreeMap<String, String> {
        let mut details = BTreeMap::new();
        match self {
            Action::Invite { mediums, .. } => {
                let names: Vec<String> = mediums.iter().map(ToString::to_string).collect();
                details.insert("mediums".into(), names.join(","));
            }
            Action::Confirm {
                verify_email,
                verify_phone,
                ..
            } => {
                let verified: Vec<&str> = [
                    verify_email.then_some("email_verified"),
                    verify_phone.then_some("phone_number_verified"),
                ]
                .into_iter()
                .flatten()
                .collect();
                details.insert("verify".into(), verified.join(","));
            }
            Action::SetContact { contact, value } => {
                details.insert("attribute".into(), contact.attribute().into());
                details.insert("value".into(), value.clone());
            }
            Action::Resend(_) | Action::Delete { .. } => {}
        }
        details
    }
}

/// One action on one user, as the operator asked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub username: String,
    pub ticket: Option<String>,
    pub action: Action,
    /// Resend even when the history holds five resends in the last hour.
    pub force: bool,
}

/// One resend as the operator asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resend {
    pub username: String,
    pub ticket: Option<String>,
    pub options: ResendOptions,
    /// Send even when the history holds five resends in the last hour.
    pub force: bool,
}

/// What Cognito answered to a successful action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Where the code went.
    Delivered(Delivery),
    /// An invitation went out by these mediums.
    Invited(Vec<DeliveryMedium>),
    /// The change was made.
    Done,
}

/// What came of an action, and when the answer came.
#[derive(Debug)]
pub struct Done<T> {
    pub at: DateTime<Utc>,
    pub result: Result<T, ApiError>,
    /// The outcome could not be recorded (the intent was): the operator should know.
    pub audit_warning: Option<String>,
    /// The attempts on this user the audit log held before this one.
    pub before: Vec<Attempt>,
}

impl<T> Done<T> {
    /// After Cognito's own LimitExceededException: when the audit log says the next resend is
    /// possible, if it holds the five that count.
    pub fn next_possible(&self) -> Option<DateTime<Utc>> {
        audit::hourly_limit_until(&self.before, self.at)
    }

    fn refused(error: ApiError, before: Vec<Attempt>) -> Self {
        Done {
            at: Utc::now(),
            result: Err(error),
            audit_warning: None,
            before,
        }
    }
}

/// The ClientMetadata actually sent: the ticket goes under the pool's `ticket_metadata_key`.
pub fn metadata_with_ticket(
    pool: &PoolConfig,
    metadata: &BTreeMap<String, String>,
    ticket: Option<&str>,
) -> BTreeMap<String, String> {
    let mut metadata = metadata.clone();
    if let (Some(key), Some(ticket)) = (&pool.ticket_metadata_key, ticket)
        && !ticket.trim().is_empty()
    {
        metadata.insert(key.clone(), ticket.trim().to_string());
    }
    metadata
}

/// The refusal when the last hour already holds five resends (the history is read at send
/// time, so sends from other processes count too).
pub fn hourly_limit_error(
    attempts: &[Attempt],
    now: DateTime<Utc>,
    zone: Zone,
) -> Option<ApiError> {
    let until = audit::hourly_limit_until(attempts, now)?;
    let times: Vec<String> = audit::resends_within(attempts, now, chrono::Duration::hours(1))
        .iter()
        .map(|a| zone.format(a.at(), "%H:%M:%S"))
        .collect();
    Some(ApiError::local(
        Operation::Resend,
        ErrorKind::HourlyLimit,
        format!(
            "{} resends in the last hour ({}): Cognito refuses more until {}",
            times.len(),
            times.join(", "),
            zone.format(until, "%H:%M:%S")
        ),
    ))
}

/// The refusal in read-only mode, before anything is read or called.
pub fn read_only_error(operation: Operation) -> ApiError {
    ApiError::local(
        operation,
        ErrorKind::ReadOnly,
        format!(
            "read-only: {} was not called (it changes a user or sends a message)",
            operation.api_name()
        ),
    )
}

impl Auditor {
    fn record(&self, id: &str, event: Event, pool: &PoolConfig, request: &Request) -> Record {
        Record {
            id: id.to_string(),
            event,
            time: Utc::now(),
            operator: self.operator.clone(),
            pool: pool.name.clone(),
            user_pool_id: pool.user_pool_id.clone(),
            username: request.username.clone(),
            action: request.action.name().into(),
            ticket: request.ticket.clone().filter(|t| !t.trim().is_empty()),
            client_metadata: request.action.metadata(),
            outcome: None,
            destination: None,
            delivery_medium: None,
            attribute_name: None,
            error_code: None,
            reason: request.action.reason(),
            details: request.action.details(),
            version: audit::VERSION.into(),
        }
    }

    fn unavailable(&self, operation: Operation, e: audit::AuditError) -> ApiError {
        ApiError::local(
            operation,
            ErrorKind::AuditUnavailable,
            format!(
                "nothing was {}: cannot record it in the {e}",
                match operation {
                    Operation::Resend | Operation::Invite => "sent",
                    _ => "done",
                }
            ),
        )
    }

    /// Sends one ResendConfirmationCode through the guarded path.
    pub async fn resend<A: CognitoApi>(
        &self,
        session: &PoolSession<A>,
        resend: Resend,
        zone: Zone,
    ) -> Done<Delivery> {
        let request = Request {
            username: resend.username,
            ticket: resend.ticket,
            action: Action::Resend(resend.options),
            force: resend.force,
        };
        let done = self.perform(session, request, zone).await;
        Done {
            at: done.at,
            result: done.result.and_then(|answer| match answer {
                Answer::Delivered(delivery) => Ok(delivery),
                _ => Err(ApiError::local(
                    Operation::Resend,
                    ErrorKind::Other,
                    "no delivery details in the answer",
                )),
            }),
            audit_warning: done.audit_warning,
            before: done.before,
        }
    }

    /// Does one action through the guarded path: read-only refusal, the hourly limit for
    /// resends, the intent, the call(s), the outcome.
    pub async fn perform<A: CognitoApi>(
        &self,
        session: &PoolSession<A>,
        mut request: Request,
        zone: Zone,
    ) -> Done<Answer> {
        let operation = request.action.operation();
        if self.read_only || session.pool.read_only {
            return Done::refused(read_only_error(operation), Vec::new());
        }
        let pool = &session.pool;
        let before = match self.log.attempts_for(&pool.user_pool_id, &request.username) {
            Ok((attempts, _)) => attempts,
            Err(e) => return Done::refused(self.unavailable(operation, e), Vec::new()),
        };
        if matches!(request.action, Action::Resend(_))
            && !request.force
            && let Some(error) = hourly_limit_error(&before, Utc::now(), zone)
        {
            return Done::refused(error, before);
        }
        // The ticket rides in the metadata of the actions that carry any.
        match &mut request.action {
            Action::Resend(options) => {
                options.client_metadata =
                    metadata_with_ticket(pool, &options.client_metadata, request.ticket.as_deref());
            }
            Action::Invite {
                client_metadata, ..
            } => {
                *client_metadata =
                    metadata_with_ticket(pool, client_metadata, request.ticket.as_deref());
            }
            _ => {}
        }
        let id = audit::new_id(Utc::now());
        let intent = self.record(&id, Event::Intent, pool, &request);
        if let Err(e) = self.log.append(&intent) {
            return Done::refused(self.unavailable(operation, e), before);
        }
        let mut outcome = self.record(&id, Event::Outcome, pool, &request);
        let result = self.call(session, &request, &mut outcome).await;
        let at = Utc::now();
        outcome.time = at;
        match &result {
            Ok(Answer::Delivered(delivery)) => {
                outcome.outcome = Some(Outcome::Sent);
                outcome.destination = Some(delivery.destination.clone());
                outcome.delivery_medium = Some(delivery.medium.to_string());
                outcome.attribute_name = Some(delivery.attribute_name.clone());
            }
            Ok(Answer::Invited(_)) => outcome.outcome = Some(Outcome::Sent),
            Ok(Answer::Done) => outcome.outcome = Some(Outcome::Done),
            Err(error) => {
                outcome.outcome = Some(if error.outcome_unknown() {
                    Outcome::Unknown
                } else {
                    Outcome::Failed
                });
                outcome.error_code = Some(error.code.clone());
            }
        }
        let audit_warning = self.log.append(&outcome).err().map(|e| {
            tracing::error!(error = %e, "the outcome of an action could not be recorded");
            format!("the outcome was not recorded (the intent was): {e}")
        });
        Done {
            at,
            result,
            audit_warning,
            before,
        }
    }

    /// The Cognito call(s) of one action; `outcome` gets the details of a partial success.
    async fn call<A: CognitoApi>(
        &self,
        session: &PoolSession<A>,
        request: &Request,
        outcome: &mut Record,
    ) -> Result<Answer, ApiError> {
        let username = &request.username;
        let api = &session.api;
        tracing::info!(pool = %session.pool.name, username = %username, action = request.action.name(), "action");
        match &request.action {
            Action::Resend(options) => session
                .resend(username, options.clone())
                .await
                .map(Answer::Delivered),
            Action::Invite {
                mediums,
                client_metadata,
            } => api
                .invite(username, mediums, client_metadata)
                .await
                .map(|()| Answer::Invited(mediums.clone())),
            Action::Confirm {
                verify_email,
                verify_phone,
                ..
            } => {
                api.confirm(username).await?;
                outcome.details.insert("confirmed".into(), "yes".into());
                let flags: Vec<(String, String)> = [
                    verify_email.then_some("email_verified"),
                    verify_phone.then_some("phone_number_verified"),
                ]
                .into_iter()
                .flatten()
                .map(|flag| (flag.to_string(), "true".to_string()))
                .collect();
                if !flags.is_empty() {
                    api.update_attributes(username, &flags)
                        .await
                        .map_err(|mut e| {
                            e.message = format!(
                                "the user IS confirmed, but the verified flags were not set: {}",
                                e.message
                            );
                            e
                        })?;
                }
                Ok(Answer::Done)
            }
            Action::SetContact { contact, value } => api
                .update_attributes(
                    username,
                    &[(contact.attribute().to_string(), value.clone())],
                )
                .await
                .map(|()| Answer::Done),
            Action::Delete { .. } => api.delete(username).await.map(|()| Answer::Done),
        }
    }
}

/// Who acts: the OS user, and the AWS principal when STS answers within a few seconds.
pub async fn operator<A: CognitoApi>(api: &A) -> Operator {
    let arn = tokio::time::timeout(std::time::Duration::from_secs(3), api.caller_arn())
        .await
        .ok()
        .flatten();
    Operator {
        arn,
        ..Operator::from_os()
    }
}

/// Cognito answers "User is already confirmed." to a resend for any user who is not
/// UNCONFIRMED, invited users included. Look the user up and say what applies.
pub async fn explain_not_unconfirmed<A: CognitoApi>(
    api: &A,
    username: &str,
    error: ApiError,
) -> ApiError {
    if error.kind != ErrorKind::AlreadyConfirmed {
        return error;
    }
    let Ok(user) = api.get_user(username).await else {
        return error;
    };
    let name = crate::text::sanitize(username);
    match user.status.as_str() {
        "FORCE_CHANGE_PASSWORD" => ApiError::local(
            Operation::Resend,
            ErrorKind::UnsupportedUserState,
            format!(
                "{name} is FORCE_CHANGE_PASSWORD (created by an administrator, never signed in): \
                 there is no confirmation code; send a new invitation with `cogtui invite {name}` \
                 (or Enter on the user in the UI)"
            ),
        ),
        "CONFIRMED" => ApiError {
            message: format!("{name} is CONFIRMED: nothing to resend ({})", error.message),
            ..error
        },
        other => ApiError {
            message: format!(
                "{name} is {}: only UNCONFIRMED users get confirmation codes",
                crate::text::sanitize(other)
            ),
            ..error
        },
    }
}

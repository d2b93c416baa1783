//! The one guarded path for everything that reaches a user: check the history, write the intent
//! to the audit log, make one Cognito call with no automatic retry, write the outcome. The TUI and
//! the headless commands both come through here; nothing is sent without an audit record.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::audit::{self, Attempt, AuditLog, Event, Operator, Outcome, Record};
use crate::cognito::session::PoolSession;
use crate::cognito::{ApiError, CognitoApi, Delivery, ErrorKind, Operation, ResendOptions};
use crate::config::PoolConfig;
use crate::time::Zone;

/// Where actions are recorded, and by whom they are done.
#[derive(Debug, Clone)]
pub struct Auditor {
    pub log: AuditLog,
    pub operator: Operator,
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

impl Auditor {
    fn record(
        &self,
        id: &str,
        event: Event,
        pool: &PoolConfig,
        resend: &Resend,
        metadata: &BTreeMap<String, String>,
    ) -> Record {
        Record {
            id: id.to_string(),
            event,
            time: Utc::now(),
            operator: self.operator.clone(),
            pool: pool.name.clone(),
            user_pool_id: pool.user_pool_id.clone(),
            username: resend.username.clone(),
            action: "resend".into(),
            ticket: resend.ticket.clone().filter(|t| !t.trim().is_empty()),
            client_metadata: metadata.clone(),
            outcome: None,
            destination: None,
            delivery_medium: None,
            attribute_name: None,
            error_code: None,
            version: audit::VERSION.into(),
        }
    }

    fn unavailable(&self, e: audit::AuditError) -> ApiError {
        ApiError::local(
            Operation::Resend,
            ErrorKind::AuditUnavailable,
            format!("nothing was sent: cannot record it in the {e}"),
        )
    }

    /// Sends one ResendConfirmationCode through the guarded path.
    pub async fn resend<A: CognitoApi>(
        &self,
        session: &PoolSession<A>,
        resend: Resend,
        zone: Zone,
    ) -> Done<Delivery> {
        let pool = &session.pool;
        let refused = |error: ApiError, before: Vec<Attempt>| Done {
            at: Utc::now(),
            result: Err(error),
            audit_warning: None,
            before,
        };
        let before = match self.log.attempts_for(&pool.user_pool_id, &resend.username) {
            Ok((attempts, _)) => attempts,
            Err(e) => return refused(self.unavailable(e), Vec::new()),
        };
        if !resend.force
            && let Some(error) = hourly_limit_error(&before, Utc::now(), zone)
        {
            return refused(error, before);
        }
        let metadata = metadata_with_ticket(
            pool,
            &resend.options.client_metadata,
            resend.ticket.as_deref(),
        );
        let id = audit::new_id(Utc::now());
        let intent = self.record(&id, Event::Intent, pool, &resend, &metadata);
        if let Err(e) = self.log.append(&intent) {
            return refused(self.unavailable(e), before);
        }
        let options = ResendOptions {
            client_metadata: metadata.clone(),
            ..resend.options.clone()
        };
        let result = session.resend(&resend.username, options).await;
        let at = Utc::now();
        let mut outcome = self.record(&id, Event::Outcome, pool, &resend, &metadata);
        outcome.time = at;
        match &result {
            Ok(delivery) => {
                outcome.outcome = Some(Outcome::Sent);
                outcome.destination = Some(delivery.destination.clone());
                outcome.delivery_medium = Some(delivery.medium.to_string());
                outcome.attribute_name = Some(delivery.attribute_name.clone());
            }
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
            tracing::error!(error = %e, "the outcome of a resend could not be recorded");
            format!("the outcome was not recorded (the intent was): {e}")
        });
        Done {
            at,
            result,
            audit_warning,
            before,
        }
    }
}

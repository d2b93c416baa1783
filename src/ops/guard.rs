//! The one path from an operation to Cognito: read-only refusal, the fresh look, the operation's
//! own rule, the audit intent, exactly one call (never retried), the outcome, and a second look
//! that settles a write whose answer was lost.
//!
//! The Cognito write methods take a [`Permit`], and only this module can make one: a screen or a
//! command that wants to change a user has to come through here, so it cannot skip a rule.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::{Action, Answer, Request};
use crate::audit::{self, Attempt, AuditLog, Event, Operator, Outcome, Record};
use crate::cognito::session::PoolSession;
use crate::cognito::{ApiError, CognitoApi, CognitoWrite, ErrorKind, Operation, User};
use crate::time::Zone;

/// Proof that a write comes through the guard. Its field is private: nothing outside this
/// module can make one, so nothing outside it can call a write method.
pub struct Permit(());

/// Where actions are recorded, and by whom they are done.
#[derive(Debug, Clone)]
pub struct Auditor {
    pub log: AuditLog,
    pub operator: Operator,
    /// `--read-only` (or `COGTUI_READ_ONLY`): every action is refused before any call.
    pub read_only: bool,
    /// Intents whose call is out and whose outcome is not written yet (by record id): if the
    /// operator leaves at once, they are written as `unknown` on the way out.
    in_flight: Arc<Mutex<HashMap<String, Record>>>,
}

/// What came of an action, and when the answer came.
#[derive(Debug)]
pub struct Done<T> {
    pub at: DateTime<Utc>,
    /// The user acted on, as Cognito names them (the real username behind an alias or another
    /// case), once a look found them.
    pub username: String,
    pub result: Result<T, ApiError>,
    /// The outcome could not be recorded (the intent was): the operator must know.
    pub audit_warning: Option<String>,
    /// A write that got no answer, settled by a look afterwards ("deleted: confirmed by a fresh
    /// look", "still there").
    pub settled: Option<String>,
    /// The attempts on this user the audit log held before this one.
    pub before: Vec<Attempt>,
    /// The action as it went out (defaults filled in from the look), once it did.
    pub performed: Option<super::Action>,
}

impl<T> Done<T> {
    /// After Cognito's own LimitExceededException: when the audit log says the next resend is
    /// possible, if it holds the five that count.
    pub fn next_possible(&self) -> Option<DateTime<Utc>> {
        audit::hourly_limit_until(&self.before, self.at)
    }

    /// Whether the operation refused on a rule, before any write was made.
    pub fn refused(&self) -> bool {
        self.result.as_ref().is_err_and(ApiError::is_refusal)
    }

    fn refusal(username: &str, error: ApiError, before: Vec<Attempt>) -> Self {
        Done {
            at: Utc::now(),
            username: username.to_string(),
            result: Err(error),
            audit_warning: None,
            settled: None,
            before,
            performed: None,
        }
    }
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
    pub fn new(log: AuditLog, operator: Operator, read_only: bool) -> Self {
        Self {
            log,
            operator,
            read_only,
            in_flight: Arc::default(),
        }
    }

    /// The same auditor (its log, its calls in flight) acting as another operator: a pool
    /// reached with another AWS profile is another principal.
    pub fn as_operator(&self, operator: Operator) -> Self {
        Self {
            operator,
            ..self.clone()
        }
    }

    /// Writes `unknown` for every call still out (the operator left without waiting): the
    /// history then says the message may have gone, and the hourly count includes it.
    pub fn abandon_in_flight(&self) -> usize {
        let pending: Vec<Record> = match self.in_flight.lock() {
            Ok(mut map) => map.drain().map(|(_, r)| r).collect(),
            Err(_) => return 0,
        };
        let mut written = 0;
        for mut record in pending {
            record.time = Utc::now();
            record.outcome = Some(Outcome::Unknown);
            record.error_code = Some("Abandoned".into());
            record.details.insert(
                "note".into(),
                "cogtui was closed before Cognito answered".into(),
            );
            if self.log.append(&record).is_ok() {
                written += 1;
            }
        }
        written
    }

    /// Whether a call is out right now.
    pub fn busy(&self) -> bool {
        self.in_flight.lock().is_ok_and(|m| !m.is_empty())
    }

    fn record(
        &self,
        id: &str,
        event: Event,
        pool: &crate::config::PoolConfig,
        request: &Request,
    ) -> Record {
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

    /// Does one action: every rule of its operation, then at most one write of each kind.
    pub async fn perform<A: CognitoWrite>(
        &self,
        session: &PoolSession<A>,
        mut request: Request,
        zone: Zone,
    ) -> Done<Answer> {
        let operation = request.action.operation();
        let name = request.username.clone();
        if self.read_only || session.pool.read_only {
            return Done::refusal(&name, read_only_error(operation), Vec::new());
        }
        if let Err(problem) = request.action.validate() {
            return Done::refusal(&name, problem, Vec::new());
        }
        // A desk's shared store names who acted by their AWS identity, not by the laptop.
        if self.log.is_desk_table() && self.operator.arn.is_none() {
            return Done::refusal(
                &name,
                ApiError::local(
                    operation,
                    ErrorKind::AuditUnavailable,
                    "nothing was done: the desk's shared audit store names everyone by their AWS \
                     identity, and STS GetCallerIdentity did not answer for these credentials; \
                     check them (`aws sts get-caller-identity --profile …`; `aws sso login` for \
                     SSO profiles) and try again",
                ),
                Vec::new(),
            );
        }
        // The list may be hours old: look at the user as Cognito has them now.
        let fresh = session.api.get_user(&request.username).await;
        let fresh = match fresh {
            Ok(user) => Some(user),
            Err(e) if e.kind == ErrorKind::UserNotFound => {
                return Done::refusal(&name, gone(operation, &name), Vec::new());
            }
            // A resend needs no look: Cognito itself refuses users who are not UNCONFIRMED, and
            // a desk may not be allowed AdminGetUser. Every other write does.
            Err(_) if matches!(request.action, Action::Resend(_)) => None,
            Err(e) => {
                let error = ApiError {
                    message: format!(
                        "could not look at {} before the change, so nothing was done: {}",
                        crate::text::sanitize(&name),
                        e.message
                    ),
                    ..e
                };
                return Done::refusal(&name, error, Vec::new());
            }
        };
        if let Some(user) = &fresh {
            if let Err(refusal) = request
                .action
                .resolve(user)
                .and_then(|()| request.applies_to(user))
            {
                return Done::refusal(&user.username, refusal, Vec::new());
            }
            // Records and the call use the name Cognito keeps (not an alias, not another case).
            request.username = user.username.clone();
        }
        // The delivery fixes look at their list too: nothing to fix is nothing done.
        if let Err(refusal) = super::delivery_fix::on_the_list(&session.api, &request.action).await
        {
            return Done::refusal(&request.username, refusal, Vec::new());
        }
        let pool = &session.pool;
        // A desk: a colleague with this user open refuses without a deliberate override. The
        // claim comes before the look at the history: a colleague whose claim has gone wrote
        // their records first, so two agents at once never both miss each other.
        if let Err(refusal) = self.claim(pool, &request, zone) {
            return Done::refusal(&request.username, refusal, Vec::new());
        }
        // The rules look back an hour at most (an opt-in, 30 days): the months that holds are
        // read, not the year.
        let span =
            super::delivery_fix::history_span(&request.action).unwrap_or(crate::audit::RECENT);
        let before = match self.log.attempts_of(
            &pool.user_pool_id,
            &request.username,
            session.case_sensitive,
            Some(Utc::now() - span),
        ) {
            Ok(attempts) => attempts,
            Err(e) => {
                let error = self.unavailable(operation, e);
                return self.refused(pool, &request, error, Vec::new());
            }
        };
        if let Err(refusal) = request.allowed_by_history(&before, Utc::now(), zone) {
            return self.refused(pool, &request, refusal, before);
        }
        request.action.add_ticket(pool, request.ticket.as_deref());
        if let Err(problem) = request.action.check_metadata(pool) {
            return self.refused(pool, &request, problem, before);
        }
        // A message a colleague sent in the last 15 minutes is named too.
        if let Err(refusal) = self.colleague_sent_check(&request, &before, zone) {
            return self.refused(pool, &request, refusal, before);
        }
        let id = audit::new_id(Utc::now());
        let intent = self.record(&id, Event::Intent, pool, &request);
        if let Err(e) = self.log.append(&intent) {
            let error = self.unavailable(operation, e);
            return self.refused(pool, &request, error, before);
        }
        let mut outcome = self.record(&id, Event::Outcome, pool, &request);
        if let Ok(mut map) = self.in_flight.lock() {
            map.insert(id.clone(), outcome.clone());
        }
        tracing::info!(pool = %pool.name, username = %request.username, action = request.action.name(), "action");
        let permit = Permit(());
        let result = request
            .action
            .call(session, &permit, &request.username, &mut outcome)
            .await;
        let mut settled = None;
        let result = match result {
            Err(e) if e.outcome_unknown() => {
                // No answer: a look tells whether a change happened. A message can't be told.
                let look = session.api.get_user(&request.username).await;
                match request.action.settle(look) {
                    Some(Ok(note)) => {
                        settled = Some(note.clone());
                        outcome.details.insert("settled".into(), note);
                        Ok(Answer::Done)
                    }
                    Some(Err(note)) => {
                        settled = Some(note.clone());
                        outcome.details.insert("settled".into(), note.clone());
                        Err(ApiError {
                            kind: ErrorKind::Other,
                            message: format!("{} ({note})", e.message),
                            ..e
                        })
                    }
                    None => Err(e),
                }
            }
            other => other,
        };
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
        let appended = self.log.append(&outcome);
        if let Ok(mut map) = self.in_flight.lock() {
            map.remove(&id);
        }
        if !request.keep_claim {
            let _ = self
                .log
                .release(&pool.user_pool_id, &request.username, &self.operator.key());
        }
        let audit_warning = appended.err().map(|e| {
            tracing::error!(error = %e, "the outcome of an action could not be recorded");
            format!(
                "the outcome for {} was not recorded (the intent was): {e}",
                crate::text::sanitize(&request.username)
            )
        });
        Done {
            at,
            username: request.username,
            result,
            audit_warning,
            settled,
            before,
            performed: Some(request.action),
        }
    }
}

impl Auditor {
    /// Opening a user (a dialog), and again while it stays open: claims them for this operator
    /// (`since`: when the dialog first did, so a renewal keeps it), and says who else is on
    /// them — a colleague's live claim, and a message a colleague sent in the last 15 minutes.
    /// `Ok(None)`: nobody.
    pub fn open_user(
        &self,
        pool: &crate::config::PoolConfig,
        username: &str,
        ticket: Option<String>,
        case_sensitive: bool,
        zone: Zone,
        since: Option<DateTime<Utc>>,
    ) -> Result<Option<String>, audit::AuditError> {
        let now = Utc::now();
        let claim = audit::Claim {
            operator: self.operator.key(),
            name: self.operator.name(),
            ticket,
            since: since.unwrap_or(now),
            until: now + audit::CLAIM_FOR,
        };
        let held = self.log.claim(&pool.user_pool_id, username, claim)?;
        let before = self.log.attempts_of(
            &pool.user_pool_id,
            username,
            case_sensitive,
            Some(now - audit::RECENT),
        )?;
        let sent = self
            .colleague_sent(&before, now)
            .map(|recent| sent_text(recent, now, zone));
        Ok(match (held, sent) {
            (Some(held), Some(sent)) => Some(format!("{}; {sent}", claim_text(&held, zone))),
            (Some(held), None) => Some(claim_text(&held, zone)),
            (None, sent) => sent,
        })
    }

    /// Closing the user's dialog: the claim goes (a colleague's stays).
    pub fn close_user(
        &self,
        pool: &crate::config::PoolConfig,
        username: &str,
    ) -> Result<(), audit::AuditError> {
        self.log
            .release(&pool.user_pool_id, username, &self.operator.key())
    }

    /// A message a colleague sent the user in the last 15 minutes.
    fn colleague_sent<'a>(&self, before: &'a [Attempt], now: DateTime<Utc>) -> Option<&'a Attempt> {
        before.iter().rev().find(|a| {
            matches!(a.intent.action.as_str(), "resend" | "invite")
                && a.may_have_sent()
                && a.intent.operator.key() != self.operator.key()
                && now - a.at() < chrono::Duration::minutes(super::resend::RECENT_MINUTES)
        })
    }

    /// Claims the user for this operator: a colleague's live claim refuses, unless the request
    /// overrides.
    fn claim(
        &self,
        pool: &crate::config::PoolConfig,
        request: &Request,
        zone: Zone,
    ) -> Result<(), ApiError> {
        let operation = request.action.operation();
        let now = Utc::now();
        let claim = audit::Claim {
            operator: self.operator.key(),
            name: self.operator.name(),
            ticket: request.ticket.clone(),
            since: request.claimed_since.unwrap_or(now),
            until: now + audit::CLAIM_FOR,
        };
        let held = self
            .log
            .claim(&pool.user_pool_id, &request.username, claim)
            .map_err(|e| self.unavailable(operation, e))?;
        match held {
            Some(held) if !request.over_colleague => {
                Err(colleague(operation, &claim_text(&held, zone)))
            }
            _ => Ok(()),
        }
    }

    /// A message a colleague sent the user in the last 15 minutes refuses another, unless the
    /// request overrides.
    fn colleague_sent_check(
        &self,
        request: &Request,
        before: &[Attempt],
        zone: Zone,
    ) -> Result<(), ApiError> {
        let now = Utc::now();
        if request.over_colleague || !request.action.sends() {
            return Ok(());
        }
        match self.colleague_sent(before, now) {
            Some(recent) => Err(colleague(
                request.action.operation(),
                &sent_text(recent, now, zone),
            )),
            None => Ok(()),
        }
    }

    /// A refusal after the claim: the claim goes with it, unless the dialog keeps it.
    fn refused(
        &self,
        pool: &crate::config::PoolConfig,
        request: &Request,
        error: ApiError,
        before: Vec<Attempt>,
    ) -> Done<Answer> {
        if !request.keep_claim {
            let _ = self
                .log
                .release(&pool.user_pool_id, &request.username, &self.operator.key());
        }
        Done::refusal(&request.username, error, before)
    }
}

/// "alice has had this user open since 14:02 (T-1001)".
pub fn claim_text(held: &audit::Claim, zone: Zone) -> String {
    format!(
        "{} has had this user open since {}{}",
        crate::text::sanitize(&held.name),
        zone.format(held.since, "%H:%M"),
        held.ticket
            .as_deref()
            .map(|t| format!(" ({})", crate::text::sanitize(t)))
            .unwrap_or_default()
    )
}

/// "bob sent a code 4 minutes ago (T-1002)".
pub fn sent_text(attempt: &Attempt, now: DateTime<Utc>, zone: Zone) -> String {
    let what = if attempt.intent.action == "invite" {
        "an invitation"
    } else {
        "a code"
    };
    format!(
        "{} sent {what} at {} ({} ago){}",
        crate::text::sanitize(&attempt.intent.operator.name()),
        zone.format(attempt.at(), "%H:%M"),
        crate::time::age(now, attempt.at()),
        attempt
            .intent
            .ticket
            .as_deref()
            .map(|t| format!(" for {}", crate::text::sanitize(t)))
            .unwrap_or_default()
    )
}

fn colleague(operation: Operation, who: &str) -> ApiError {
    ApiError::local(
        operation,
        ErrorKind::ColleagueOnUser,
        format!("{who}: nothing was done"),
    )
}

/// The user is no longer in the pool (deleted by a colleague, a prune): nothing to do.
fn gone(operation: Operation, username: &str) -> ApiError {
    ApiError::local(
        operation,
        ErrorKind::UserGone,
        format!(
            "{} is not in the pool (deleted since the list was read, by a colleague or a prune; \
             or never there): nothing was done",
            crate::text::sanitize(username)
        ),
    )
}

/// A look afterwards, as the settle functions of the operations take it.
pub type Look = Result<User, ApiError>;

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

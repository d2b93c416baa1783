//! ResendConfirmationCode: the rules for sending a user a new confirmation code.

use chrono::{DateTime, Duration, Utc};

use super::guard::Permit;
use super::{Answer, Request, wrong_state};
use crate::audit::{self, Attempt, Outcome};
use crate::cognito::session::PoolSession;
use crate::cognito::{
    ApiError, CognitoWrite, ErrorKind, Operation, ResendOptions, Status, User, UserStatus,
};
use crate::time::Zone;

/// A bulk resend leaves alone a user who got a code (or may have) this recently: a second code
/// invalidates the first, which may be on its way.
pub const RECENT_MINUTES: i64 = 15;

/// Only UNCONFIRMED users get a confirmation code, and Cognito refuses a disabled account.
pub fn applies_to(user: &User) -> Result<(), ApiError> {
    if user.status.kind() == Status::Confirmed {
        return Err(ApiError {
            code: "AlreadyConfirmed".into(),
            ..ApiError::local(
                Operation::Resend,
                ErrorKind::AlreadyConfirmed,
                format!(
                    "{} is CONFIRMED: nothing to resend. {}",
                    crate::text::sanitize(&user.username),
                    super::advice(&user.status, &user.username)
                ),
            )
        });
    }
    if !user.is_unconfirmed() {
        return Err(wrong_state(Operation::Resend, user, "UNCONFIRMED"));
    }
    if !user.enabled {
        return Err(ApiError::local(
            Operation::Resend,
            ErrorKind::UserDisabled,
            format!(
                "{} is disabled: Cognito sends a disabled account nothing; nothing was sent",
                crate::text::sanitize(&user.username)
            ),
        ));
    }
    Ok(())
}

/// Five in a rolling hour (unless forced); in a bulk run, none in the last 15 minutes.
pub fn allowed_by_history(
    before: &[Attempt],
    now: DateTime<Utc>,
    zone: Zone,
    force: bool,
    skip_recent: bool,
) -> Result<(), ApiError> {
    if !force && let Some(error) = hourly_limit_error(before, now, zone) {
        return Err(error);
    }
    if skip_recent && let Some(at) = recent_code(before, now) {
        return Err(ApiError::local(
            Operation::Resend,
            ErrorKind::RecentCode,
            format!(
                "a code went out (or may have) at {}, less than {RECENT_MINUTES} minutes ago: \
                 a new one would invalidate it (--again sends anyway)",
                zone.format(at, "%H:%M:%S")
            ),
        ));
    }
    Ok(())
}

/// When the newest code of the last 15 minutes went out (sent, or no answer), if any.
pub fn recent_code(attempts: &[Attempt], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    attempts
        .iter()
        .filter(|a| a.intent.action == crate::ops::ActionName::Resend.as_str())
        .filter(|a| matches!(a.outcome(), Some(Outcome::Sent | Outcome::Unknown) | None))
        .map(Attempt::at)
        .filter(|at| now - *at < Duration::minutes(RECENT_MINUTES))
        .max()
}

/// The refusal when the last hour already holds five resends (the history is read at send
/// time, so sends from other processes count too).
pub fn hourly_limit_error(
    attempts: &[Attempt],
    now: DateTime<Utc>,
    zone: Zone,
) -> Option<ApiError> {
    let until = audit::hourly_limit_until(attempts, now)?;
    let times: Vec<String> = audit::resends_within(attempts, now, Duration::hours(1))
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

pub(super) async fn call<A: CognitoWrite>(
    session: &PoolSession<A>,
    permit: &Permit,
    username: &str,
    options: &ResendOptions,
) -> Result<Answer, ApiError> {
    let request = session.resend_request(username, options.clone());
    tracing::info!(pool = %session.pool.name, username, "ResendConfirmationCode");
    session
        .api
        .resend(permit, &request)
        .await
        .map(Answer::Delivered)
}

/// One user a bulk resend was asked for: the name, and the status the list showed (none when
/// the names came from standard input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub username: String,
    pub seen_status: Option<UserStatus>,
    /// The list showed the account disabled: Cognito sends it nothing.
    pub seen_disabled: bool,
}

/// What a bulk resend sends, and how it compares names.
#[derive(Debug, Clone, Default)]
pub struct Bulk {
    pub options: ResendOptions,
    pub ticket: Option<String>,
    /// Send to users who got a code in the last 15 minutes too.
    pub again: bool,
    /// Whether the pool tells `Jane` from `jane`.
    pub case_sensitive: bool,
}

/// A bulk resend before its confirmation: who will get a code, and who is left out and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub send: Vec<Request>,
    pub skip: Vec<Skip>,
}

/// A user a bulk resend leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub username: String,
    /// A few words, the same for every user left out for this reason (to group them).
    pub reason: String,
    /// The whole reason, with this user's times.
    pub why: String,
}

impl Plan {
    /// `(username, why)` for each user left out.
    pub fn skipped(&self) -> Vec<(String, String)> {
        self.skip
            .iter()
            .map(|s| (s.username.clone(), s.why.clone()))
            .collect()
    }
}

/// Sorts the candidates by the rules known before any call (status shown, the hourly limit,
/// a code in the last 15 minutes unless `again`, the same user twice), so the confirmation
/// counts exactly the users who will be acted on. The fresh look at send time still decides.
pub fn plan_bulk(
    candidates: Vec<Candidate>,
    attempts: impl Fn(&str) -> Vec<Attempt>,
    bulk: &Bulk,
    now: DateTime<Utc>,
    zone: Zone,
) -> Plan {
    let mut plan = Plan::default();
    let mut seen = std::collections::HashSet::new();
    for candidate in candidates {
        let key = if bulk.case_sensitive {
            candidate.username.clone()
        } else {
            candidate.username.to_lowercase()
        };
        let skip = |reason: String, why: String| Skip {
            username: candidate.username.clone(),
            reason,
            why,
        };
        if !seen.insert(key) {
            plan.skip
                .push(skip("named twice".into(), "named twice: sent once".into()));
            continue;
        }
        if let Some(status) = &candidate.seen_status
            && status.kind() != Status::Unconfirmed
        {
            let why = format!("{status}: no code to resend");
            plan.skip.push(skip(why.clone(), why));
            continue;
        }
        if candidate.seen_disabled {
            plan.skip.push(skip(
                "disabled".into(),
                "disabled: Cognito sends a disabled account nothing".into(),
            ));
            continue;
        }
        let history = attempts(&candidate.username);
        if let Err(e) = allowed_by_history(&history, now, zone, false, !bulk.again) {
            let reason = match e.kind {
                ErrorKind::HourlyLimit => "5 resends in the last hour".to_string(),
                _ => format!("a code in the last {RECENT_MINUTES} minutes"),
            };
            plan.skip.push(skip(reason, e.message));
            continue;
        }
        let mut request = Request::new(
            candidate.username,
            super::Action::Resend(bulk.options.clone()),
        )
        .ticket(bulk.ticket.clone())
        .seen(candidate.seen_status);
        request.skip_recent = !bulk.again;
        plan.send.push(request);
    }
    plan
}

/// For names that came without a status (standard input): a look at each user before the count
/// is asked, so the users who will not get a code (gone, confirmed, invited, disabled) are listed
/// with the rest of the skips and the count is exactly who will be sent to. A look that fails
/// (no AdminGetUser permission) leaves the user in: the send's own look decides then.
pub async fn look_first<A: crate::cognito::CognitoApi>(api: &A, plan: &mut Plan) {
    let mut keep = Vec::with_capacity(plan.send.len());
    for mut request in std::mem::take(&mut plan.send) {
        let refusal = match api.get_user(&request.username).await {
            Ok(user) => match applies_to(&user) {
                Ok(()) => {
                    request.seen_status = Some(user.status.clone());
                    None
                }
                Err(e) => Some((
                    match e.kind {
                        ErrorKind::UserDisabled => "disabled".to_string(),
                        _ => format!("{}: no code to resend", user.status),
                    },
                    e.message,
                )),
            },
            Err(e) if e.kind == ErrorKind::UserNotFound => Some((
                "not in the pool".to_string(),
                format!(
                    "{} is not in the pool (deleted, or never there)",
                    crate::text::sanitize(&request.username)
                ),
            )),
            Err(_) => None,
        };
        match refusal {
            Some((reason, why)) => plan.skip.push(Skip {
                username: request.username,
                reason,
                why,
            }),
            None => keep.push(request),
        }
    }
    plan.send = keep;
}

/// Cognito answers "User is already confirmed." to a resend for any user who is not
/// UNCONFIRMED, invited users included: when the guard could not look first, say what applies.
pub async fn explain_not_unconfirmed<A: crate::cognito::CognitoApi>(
    api: &A,
    username: &str,
    error: ApiError,
) -> ApiError {
    if error.kind != ErrorKind::AlreadyConfirmed {
        return error;
    }
    match api.get_user(username).await {
        Ok(user) => match applies_to(&user) {
            Err(refusal) => refusal,
            Ok(()) => error,
        },
        Err(_) => error,
    }
}

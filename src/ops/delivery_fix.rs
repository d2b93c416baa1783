//! The two fixes the delivery evidence calls for: take the user's address off SES's suppression
//! list (DeleteSuppressedDestination), opt the user's number back in to SMS (OptInPhoneNumber).
//! Neither sends anything; both let the next code arrive. Their rules:
//!
//! - the user exists and has the address (email) or number (phone) — any status: a confirmed
//!   user's password-reset mail is suppressed just as well;
//! - a look at the list first: an address that is not suppressed, a number that has not opted
//!   out, is left alone (an opt-in spends SNS's once-in-30-days allowance);
//! - an opt-in of the same user within 30 days (from the audit log) is refused before SNS
//!   refuses it, with the date of the last one.

use chrono::{DateTime, Duration, Utc};

use super::guard::Permit;
use super::{Action, Answer};
use crate::audit::Attempt;
use crate::cognito::{ApiError, CognitoApi, CognitoWrite, ErrorKind, Operation, User};
use crate::time::Zone;

/// SNS lets a number be opted in once in this long.
pub const OPT_IN_EVERY: Duration = Duration::days(30);

/// The user has what the fix is for; `Ok` with the address or number.
pub fn applies_to(user: &User, action: &Action) -> Result<String, ApiError> {
    let (operation, value, what) = match action {
        Action::Unsuppress { .. } => (Operation::SesUnsuppress, user.email(), "email address"),
        Action::SmsOptIn { .. } => (Operation::SmsOptIn, user.phone(), "phone number"),
        _ => return Ok(String::new()),
    };
    value.map(str::to_string).ok_or_else(|| {
        ApiError::local(
            operation,
            ErrorKind::UnsupportedUserState,
            format!(
                "{} has no {what}: nothing was done",
                crate::text::sanitize(&user.username)
            ),
        )
    })
}

/// A look at the list before the write: the address is suppressed, the number opted out.
pub async fn on_the_list<A: CognitoApi>(api: &A, action: &Action) -> Result<(), ApiError> {
    let (listed, operation, not_listed) = match action {
        Action::Unsuppress { region, address } => (
            api.suppressed(region, address).await,
            Operation::SesUnsuppress,
            "is not on the SES suppression list",
        ),
        Action::SmsOptIn { region, number } => (
            api.opted_out(region, number).await,
            Operation::SmsOptIn,
            "has not opted out of SMS",
        ),
        _ => return Ok(()),
    };
    match listed {
        Ok(true) => Ok(()),
        Ok(false) => Err(ApiError::local(
            operation,
            ErrorKind::UnsupportedUserState,
            format!("{} {not_listed}: nothing was done", shown(action)),
        )),
        Err(e) => Err(ApiError {
            message: format!(
                "could not look at the list before the change, so nothing was done: {}",
                e.message
            ),
            ..e
        }),
    }
}

/// SNS allows one opt-in of a number in 30 days: the audit log's last one says when the next.
pub fn allowed_by_history(
    before: &[Attempt],
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<(), ApiError> {
    let last = before
        .iter()
        .filter(|a| a.intent.action == super::ActionName::SmsOptIn.as_str())
        .filter(|a| !matches!(a.outcome(), Some(crate::audit::Outcome::Failed)))
        .map(Attempt::at)
        .filter(|at| now - *at < OPT_IN_EVERY)
        .max();
    match last {
        None => Ok(()),
        Some(at) => Err(ApiError::local(
            Operation::SmsOptIn,
            ErrorKind::OptInTooSoon,
            format!(
                "this number was opted in on {}; SNS allows one opt-in in 30 days, so the next \
                 is possible from {}: nothing was done (send the code by email meanwhile)",
                zone.minutes(at),
                zone.minutes(at + OPT_IN_EVERY)
            ),
        )),
    }
}

/// How far back the audit log is read for this fix's rule.
pub fn history_span(action: &Action) -> Option<Duration> {
    matches!(action, Action::SmsOptIn { .. }).then_some(OPT_IN_EVERY + Duration::days(1))
}

pub(super) async fn call<A: CognitoWrite>(
    api: &A,
    permit: &Permit,
    action: &Action,
) -> Result<Answer, ApiError> {
    match action {
        Action::Unsuppress { region, address } => api.unsuppress(permit, region, address).await,
        Action::SmsOptIn { region, number } => api.sms_opt_in(permit, region, number).await,
        _ => Ok(()),
    }
    .map(|()| Answer::Done)
}

/// The address or number as shown (masked: the fix is on screen and in notes).
pub fn shown(action: &Action) -> String {
    match action {
        Action::Unsuppress { address, .. } => crate::text::mask_email(address),
        Action::SmsOptIn { number, .. } => crate::text::mask_phone(number),
        _ => String::new(),
    }
}

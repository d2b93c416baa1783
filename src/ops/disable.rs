//! AdminDisableUser and AdminEnableUser: stopping a wave of bot sign-ups without deleting
//! anyone (a disabled user cannot sign in, confirm, or get a code; enabling undoes it).

use super::guard::{Look, Permit};
use super::{Answer, wrong_state};
use crate::cognito::{ApiError, CognitoWrite, ErrorKind, Operation, User};

/// Disabling is for pending users (never confirmed, never signed in) that are enabled;
/// enabling for disabled ones. A confirmed account is not this tool's to switch off.
pub fn applies_to(user: &User, enable: bool) -> Result<(), ApiError> {
    let operation = operation(enable);
    if !user.status.kind().is_pending() {
        return Err(wrong_state(
            operation,
            user,
            "UNCONFIRMED or FORCE_CHANGE_PASSWORD",
        ));
    }
    if user.enabled != enable {
        return Ok(());
    }
    Err(ApiError::local(
        operation,
        ErrorKind::UnsupportedUserState,
        format!(
            "{} is already {}: nothing was done",
            crate::text::sanitize(&user.username),
            if enable { "enabled" } else { "disabled" }
        ),
    ))
}

/// A reason is required: it goes to the audit log (e.g. "bot wave from spam.example").
pub(super) fn validate(reason: &str, enable: bool) -> Result<(), ApiError> {
    if reason.trim().is_empty() {
        return Err(ApiError::local(
            operation(enable),
            ErrorKind::InvalidParameter,
            "a reason is required: why is the account switched? (it goes to the audit log)",
        ));
    }
    Ok(())
}

pub fn operation(enable: bool) -> Operation {
    if enable {
        Operation::Enable
    } else {
        Operation::Disable
    }
}

pub(super) async fn call<A: CognitoWrite>(
    api: &A,
    permit: &Permit,
    username: &str,
    enable: bool,
) -> Result<Answer, ApiError> {
    api.set_enabled(permit, username, enable)
        .await
        .map(|()| Answer::Done)
}

pub(super) fn settle(look: Look, enable: bool) -> Option<Result<String, String>> {
    let state = if enable { "enabled" } else { "disabled" };
    match look {
        Ok(user) if user.enabled == enable => Some(Ok(format!("{state}: a fresh look shows it"))),
        Ok(_) => Some(Err(format!("not {state}: a fresh look shows it unchanged"))),
        Err(_) => None,
    }
}

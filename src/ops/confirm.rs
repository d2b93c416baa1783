//! AdminConfirmSignUp by hand, with the verified flags a later password reset needs.

use super::guard::{Look, Permit};
use super::{Answer, wrong_state};
use crate::cognito::{ApiError, CognitoWrite, ErrorKind, Operation, User};

/// Only UNCONFIRMED users are confirmed; `--verify-phone` needs a phone number.
pub fn applies_to(user: &User, verify_phone: bool) -> Result<(), ApiError> {
    if !user.is_unconfirmed() {
        return Err(wrong_state(Operation::Confirm, user, "UNCONFIRMED"));
    }
    if verify_phone && user.phone().is_none() {
        return Err(ApiError::local(
            Operation::Confirm,
            ErrorKind::InvalidParameter,
            format!(
                "{} has no phone number to mark verified: nothing was done",
                crate::text::sanitize(&user.username)
            ),
        ));
    }
    Ok(())
}

/// A confirmation without a code needs a reason: how the person's identity was checked.
pub(super) fn validate(reason: &str) -> Result<(), ApiError> {
    if reason.trim().is_empty() {
        return Err(ApiError::local(
            Operation::Confirm,
            ErrorKind::InvalidParameter,
            "a reason is required: how was the user's identity checked? (it goes to the audit log)",
        ));
    }
    Ok(())
}

pub fn flags(verify_email: bool, verify_phone: bool) -> Vec<&'static str> {
    [
        verify_email.then_some("email_verified"),
        verify_phone.then_some("phone_number_verified"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub(super) async fn call<A: CognitoWrite>(
    api: &A,
    permit: &Permit,
    username: &str,
    verify_email: bool,
    verify_phone: bool,
    outcome: &mut crate::audit::Record,
) -> Result<Answer, ApiError> {
    api.confirm(permit, username).await?;
    outcome.details.insert("confirmed".into(), "yes".into());
    let flags: Vec<(String, String)> = flags(verify_email, verify_phone)
        .into_iter()
        .map(|flag| (flag.to_string(), "true".to_string()))
        .collect();
    if !flags.is_empty() {
        api.update_attributes(permit, username, &flags)
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

pub(super) fn settle(look: Look) -> Option<Result<String, String>> {
    match look {
        Ok(user) if user.status.kind() == crate::cognito::Status::Confirmed => {
            Some(Ok("confirmed: a fresh look shows CONFIRMED".into()))
        }
        Ok(user) => Some(Err(format!(
            "not confirmed: a fresh look shows {}",
            user.status
        ))),
        Err(_) => None,
    }
}

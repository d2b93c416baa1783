//! AdminCreateUser with MessageAction=RESEND: a new invitation for a user an administrator
//! created who never signed in.

use std::collections::BTreeMap;

use super::guard::Permit;
use super::{Answer, wrong_state};
use crate::cognito::{ApiError, CognitoWrite, DeliveryMedium, ErrorKind, Operation, Status, User};

/// Only FORCE_CHANGE_PASSWORD users are invited; a disabled account gets nothing; each medium
/// needs its address.
pub fn applies_to(user: &User, mediums: &[DeliveryMedium]) -> Result<(), ApiError> {
    if user.status.kind() != Status::ForceChangePassword {
        return Err(wrong_state(
            Operation::Invite,
            user,
            "FORCE_CHANGE_PASSWORD",
        ));
    }
    if !user.enabled {
        return Err(ApiError::local(
            Operation::Invite,
            ErrorKind::UserDisabled,
            format!(
                "{} is disabled: enable the account before inviting again; nothing was sent",
                crate::text::sanitize(&user.username)
            ),
        ));
    }
    for medium in mediums {
        let (has, what) = match medium {
            DeliveryMedium::Sms => (user.phone().is_some(), "phone number"),
            _ => (user.email().is_some(), "email address"),
        };
        if !has {
            return Err(ApiError::local(
                Operation::Invite,
                ErrorKind::InvalidParameter,
                format!(
                    "{} has no {what} to send the invitation to by {medium}: nothing was sent",
                    crate::text::sanitize(&user.username)
                ),
            ));
        }
    }
    Ok(())
}

/// The API's default medium is SMS: always say which. Email when the user has one, else SMS.
pub fn default_mediums(user: &User) -> Option<Vec<DeliveryMedium>> {
    if user.email().is_some() {
        Some(vec![DeliveryMedium::Email])
    } else if user.phone().is_some() {
        Some(vec![DeliveryMedium::Sms])
    } else {
        None
    }
}

pub(super) async fn call<A: CognitoWrite>(
    api: &A,
    permit: &Permit,
    username: &str,
    mediums: &[DeliveryMedium],
    client_metadata: &BTreeMap<String, String>,
) -> Result<Answer, ApiError> {
    api.invite(permit, username, mediums, client_metadata)
        .await
        .map(|()| Answer::Invited(mediums.to_vec()))
}

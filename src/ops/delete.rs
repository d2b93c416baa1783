//! AdminDeleteUser: only ever a pending user, never a real account.

use chrono::{DateTime, Utc};

use super::guard::{Look, Permit};
use super::{Answer, wrong_state};
use crate::cognito::{ApiError, CognitoWrite, ErrorKind, Operation, Status, User};

/// UNCONFIRMED users, or FORCE_CHANGE_PASSWORD ones when `invited` was asked for; with a cutoff,
/// only users created before it. A CONFIRMED user is never deleted here, whatever was asked.
pub fn applies_to(
    user: &User,
    invited: bool,
    created_before: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    let pending =
        user.is_unconfirmed() || (invited && user.status.kind() == Status::ForceChangePassword);
    if !pending {
        let wanted = if invited {
            "UNCONFIRMED or FORCE_CHANGE_PASSWORD"
        } else {
            "UNCONFIRMED"
        };
        return Err(wrong_state(Operation::Delete, user, wanted));
    }
    if let (Some(cutoff), Some(created)) = (created_before, user.created)
        && created > cutoff
    {
        return Err(ApiError::local(
            Operation::Delete,
            ErrorKind::ChangedSinceList,
            format!(
                "{} signed up after the cutoff: not deleted",
                crate::text::sanitize(&user.username)
            ),
        ));
    }
    Ok(())
}

/// A deletion needs a reason, like a confirmation: it goes to the audit log (a prune gives its
/// criteria).
pub(super) fn validate(reason: Option<&str>) -> Result<(), ApiError> {
    if reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(ApiError::local(
            Operation::Delete,
            ErrorKind::InvalidParameter,
            "a reason is required: why is the user deleted? (it goes to the audit log)",
        ));
    }
    Ok(())
}

pub(super) async fn call<A: CognitoWrite>(
    api: &A,
    permit: &Permit,
    username: &str,
) -> Result<Answer, ApiError> {
    api.delete(permit, username).await.map(|()| Answer::Done)
}

pub(super) fn settle(look: Look) -> Option<Result<String, String>> {
    match look {
        Err(e) if e.kind == ErrorKind::UserNotFound => {
            Some(Ok("deleted: confirmed by a fresh look".into()))
        }
        Ok(_) => Some(Err("still there: a fresh look found the user".into())),
        Err(_) => None,
    }
}

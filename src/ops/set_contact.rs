//! AdminUpdateUserAttributes on `email` or `phone_number`: fixing a pending user's address.

use super::guard::{Look, Permit};
use super::{Answer, wrong_state};
use crate::cognito::{ApiError, CognitoWrite, ErrorKind, Operation, User};

/// The contact attributes an operator may fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    Email,
    Phone,
}

/// What `--redact` shows instead of an address (`j***@e***.com`, `+*******1234`): never a value
/// to write back.
pub const MASK: &str = "***";

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
        if value.contains(MASK) {
            return Err(format!(
                "\"{value}\" is a masked address (as --redact shows it): type the whole new address"
            ));
        }
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

/// Only a pending user's address is fixed here: changing an active account's recovery address
/// is a takeover path.
pub fn applies_to(user: &User) -> Result<(), ApiError> {
    if !user.is_unconfirmed() {
        return Err(wrong_state(
            Operation::UpdateAttributes,
            user,
            "UNCONFIRMED",
        ));
    }
    Ok(())
}

pub(super) fn validate(contact: Contact, value: &str) -> Result<String, ApiError> {
    contact
        .validate(value)
        .map_err(|e| ApiError::local(Operation::UpdateAttributes, ErrorKind::InvalidParameter, e))
}

pub(super) async fn call<A: CognitoWrite>(
    api: &A,
    permit: &Permit,
    username: &str,
    contact: Contact,
    value: &str,
) -> Result<Answer, ApiError> {
    api.update_attributes(
        permit,
        username,
        &[(contact.attribute().to_string(), value.trim().to_string())],
    )
    .await
    .map(|()| Answer::Done)
}

pub(super) fn settle(look: Look, contact: Contact, value: &str) -> Option<Result<String, String>> {
    match look {
        Ok(user) if user.attr(contact.attribute()) == Some(value.trim()) => Some(Ok(format!(
            "changed: a fresh look shows the new {}",
            contact.attribute()
        ))),
        Ok(_) => Some(Err(format!(
            "unchanged: a fresh look still shows the old {}",
            contact.attribute()
        ))),
        Err(_) => None,
    }
}

//! Operations on users. Each operation has one module that owns every rule deciding whether and
//! how it reaches Cognito: which statuses it applies to, what its input must be, what the audit
//! history allows, how a lost answer is settled. The guard runs those rules around exactly one
//! call; the bulk runner runs many single operations, paced and stoppable. The TUI and the
//! headless commands only gather input and show what comes back.
//!
//! | operation     | applies to (fresh look)                              | module          |
//! |---------------|------------------------------------------------------|-----------------|
//! | resend        | UNCONFIRMED, enabled; 5 an hour; bulk skips a code in the last 15 min | `resend`  |
//! | invite        | FORCE_CHANGE_PASSWORD, enabled, has the medium's address | `invite`    |
//! | confirm       | UNCONFIRMED (a reason is required)                   | `confirm`       |
//! | set-contact   | UNCONFIRMED; a valid address, never a masked one     | `set_contact`   |
//! | delete, prune | UNCONFIRMED (or FORCE_CHANGE_PASSWORD when asked), created before the cutoff | `delete`, `prune` |
//! | disable, enable | a pending user, enabled (disable) or disabled (enable); a reason | `disable` |
//! | unsuppress, sms-opt-in | a user with the address (number) that is on SES's suppression list (SNS's opted-out list now); one opt-in in 30 days | `delivery_fix` |

pub mod bulk;
pub mod confirm;
pub mod delete;
pub mod delivery_fix;
pub mod disable;
pub mod guard;
pub mod invite;
pub mod metadata;
pub mod prune;
pub mod resend;
pub mod set_contact;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

pub use guard::{Auditor, Done, operator, read_only_error};
pub use set_contact::Contact;

use crate::audit::Attempt;
use crate::cognito::session::PoolSession;
use crate::cognito::{
    ApiError, CognitoWrite, Delivery, DeliveryMedium, ErrorKind, Operation, ResendOptions, Status,
    User, UserStatus,
};
use crate::config::PoolConfig;
use crate::time::Zone;

/// What an operator asks to be done to one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// ResendConfirmationCode.
    Resend(ResendOptions),
    /// AdminCreateUser with MessageAction=RESEND, by these mediums (none given: email when the
    /// user has one, else SMS).
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
    /// AdminDisableUser (`enable: false`) or AdminEnableUser (`true`), with why.
    SetEnabled { enable: bool, reason: String },
    /// SES v2 DeleteSuppressedDestination of the user's email, in the region the pool's email
    /// goes out of. `address` is filled from the look at the user (whatever a front end says).
    Unsuppress { region: String, address: String },
    /// SNS OptInPhoneNumber of the user's number, in the pool's SMS region; `number` is filled
    /// from the look.
    SmsOptIn { region: String, number: String },
    /// AdminDeleteUser: irreversible.
    Delete {
        reason: Option<String>,
        /// FORCE_CHANGE_PASSWORD users may be deleted too (they were asked for).
        invited: bool,
        /// Only users created before this (a prune's cutoff).
        created_before: Option<DateTime<Utc>>,
    },
}

/// The action's name in the audit log and on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionName {
    Resend,
    Invite,
    Confirm,
    SetContact,
    Delete,
    Disable,
    Enable,
    Unsuppress,
    SmsOptIn,
}

impl ActionName {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionName::Resend => "resend",
            ActionName::Invite => "invite",
            ActionName::Confirm => "confirm",
            ActionName::SetContact => "set-contact",
            ActionName::Delete => "delete",
            ActionName::Disable => "disable",
            ActionName::Enable => "enable",
            ActionName::Unsuppress => "unsuppress",
            ActionName::SmsOptIn => "sms-opt-in",
        }
    }
}

impl Action {
    pub fn kind(&self) -> ActionName {
        match self {
            Action::Resend(_) => ActionName::Resend,
            Action::Invite { .. } => ActionName::Invite,
            Action::Confirm { .. } => ActionName::Confirm,
            Action::SetContact { .. } => ActionName::SetContact,
            Action::Delete { .. } => ActionName::Delete,
            Action::SetEnabled { enable: true, .. } => ActionName::Enable,
            Action::SetEnabled { enable: false, .. } => ActionName::Disable,
            Action::Unsuppress { .. } => ActionName::Unsuppress,
            Action::SmsOptIn { .. } => ActionName::SmsOptIn,
        }
    }

    /// The `action` name in the audit log.
    pub fn name(&self) -> &'static str {
        self.kind().as_str()
    }

    pub fn operation(&self) -> Operation {
        match self {
            Action::Resend(_) => Operation::Resend,
            Action::Invite { .. } => Operation::Invite,
            Action::Confirm { .. } => Operation::Confirm,
            Action::SetContact { .. } => Operation::UpdateAttributes,
            Action::Delete { .. } => Operation::Delete,
            Action::SetEnabled { enable, .. } => disable::operation(*enable),
            Action::Unsuppress { .. } => Operation::SesUnsuppress,
            Action::SmsOptIn { .. } => Operation::SmsOptIn,
        }
    }

    /// Whether it sends the user a message (paced slower in bulk).
    pub fn sends(&self) -> bool {
        matches!(self, Action::Resend(_) | Action::Invite { .. })
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
            Action::Confirm { reason, .. } | Action::SetEnabled { reason, .. } => {
                Some(reason.clone())
            }
            Action::Delete { reason, .. } => reason.clone(),
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
                details.insert(
                    "verify".into(),
                    confirm::flags(*verify_email, *verify_phone).join(","),
                );
            }
            Action::SetContact { contact, value } => {
                details.insert("attribute".into(), contact.attribute().into());
                details.insert("value".into(), value.clone());
            }
            Action::Unsuppress { region, address } => {
                details.insert("region".into(), region.clone());
                details.insert("address".into(), address.clone());
            }
            Action::SmsOptIn { region, number } => {
                details.insert("region".into(), region.clone());
                details.insert("number".into(), number.clone());
            }
            Action::Resend(_) | Action::Delete { .. } | Action::SetEnabled { .. } => {}
        }
        details
    }

    /// Fills in what depends on the user as they are now (the invitation's default medium, the
    /// verified flags of the addresses the user has).
    fn resolve(&mut self, user: &User) -> Result<(), ApiError> {
        match self {
            Action::Invite { mediums, .. } if mediums.is_empty() => {
                *mediums = invite::default_mediums(user).ok_or_else(|| {
                    ApiError::local(
                        Operation::Invite,
                        ErrorKind::InvalidParameter,
                        format!(
                            "{} has neither an email nor a phone number to send the invitation to",
                            crate::text::sanitize(&user.username)
                        ),
                    )
                })?;
            }
            Action::Confirm { verify_email, .. } => *verify_email &= user.email().is_some(),
            Action::Unsuppress { .. } | Action::SmsOptIn { .. } => {
                let value = delivery_fix::applies_to(user, self)?;
                if let Action::Unsuppress { address: v, .. } | Action::SmsOptIn { number: v, .. } =
                    self
                {
                    *v = value;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The input alone, before anything is read or called.
    fn validate(&self) -> Result<(), ApiError> {
        match self {
            Action::Confirm { reason, .. } => confirm::validate(reason),
            Action::SetContact { contact, value } => {
                set_contact::validate(*contact, value).map(|_| ())
            }
            Action::SetEnabled { enable, reason } => disable::validate(reason, *enable),
            Action::Delete { reason, .. } => delete::validate(reason.as_deref()),
            Action::Resend(_)
            | Action::Invite { .. }
            | Action::Unsuppress { .. }
            | Action::SmsOptIn { .. } => Ok(()),
        }
    }

    /// The ClientMetadata as it will be sent (the ticket under its key) meets the pool's rules.
    fn check_metadata(&self, pool: &PoolConfig) -> Result<(), ApiError> {
        let sent = match self {
            Action::Resend(options) => &options.client_metadata,
            Action::Invite {
                client_metadata, ..
            } => client_metadata,
            _ => return Ok(()),
        };
        metadata::check_sent(sent, metadata::Rules::of(pool)).map_err(|problem| {
            ApiError::local(
                self.operation(),
                ErrorKind::InvalidParameter,
                format!("ClientMetadata: {}: nothing was sent", problem.message()),
            )
        })
    }

    /// The ticket rides in the metadata of the actions that carry any.
    fn add_ticket(&mut self, pool: &PoolConfig, ticket: Option<&str>) {
        match self {
            Action::Resend(options) => {
                options.client_metadata =
                    metadata_with_ticket(pool, &options.client_metadata, ticket);
            }
            Action::Invite {
                client_metadata, ..
            } => *client_metadata = metadata_with_ticket(pool, client_metadata, ticket),
            _ => {}
        }
    }

    /// The operation's call(s); `outcome` gets the details of a partial success.
    async fn call<A: CognitoWrite>(
        &self,
        session: &PoolSession<A>,
        permit: &guard::Permit,
        username: &str,
        outcome: &mut crate::audit::Record,
    ) -> Result<Answer, ApiError> {
        match self {
            Action::Resend(options) => resend::call(session, permit, username, options).await,
            Action::Invite {
                mediums,
                client_metadata,
            } => invite::call(&session.api, permit, username, mediums, client_metadata).await,
            Action::Confirm {
                verify_email,
                verify_phone,
                ..
            } => {
                confirm::call(
                    &session.api,
                    permit,
                    username,
                    *verify_email,
                    *verify_phone,
                    outcome,
                )
                .await
            }
            Action::SetContact { contact, value } => {
                set_contact::call(&session.api, permit, username, *contact, value).await
            }
            Action::Delete { .. } => delete::call(&session.api, permit, username).await,
            Action::SetEnabled { enable, .. } => {
                disable::call(&session.api, permit, username, *enable).await
            }
            Action::Unsuppress { .. } | Action::SmsOptIn { .. } => {
                delivery_fix::call(&session.api, permit, self).await
            }
        }
    }

    /// After a write without an answer, what a look at the user says happened: `Ok(note)` it
    /// did, `Err(note)` it did not, `None` the look cannot tell (a message may have gone).
    fn settle(&self, look: guard::Look) -> Option<Result<String, String>> {
        match self {
            // A look at the user cannot tell; the list can, next time the evidence is read.
            Action::Resend(_)
            | Action::Invite { .. }
            | Action::Unsuppress { .. }
            | Action::SmsOptIn { .. } => None,
            Action::Confirm { .. } => confirm::settle(look),
            Action::SetContact { contact, value } => set_contact::settle(look, *contact, value),
            Action::Delete { .. } => delete::settle(look),
            Action::SetEnabled { enable, .. } => disable::settle(look, *enable),
        }
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
    /// The status the operator saw in the list: a user whose status has changed since is left
    /// alone (they confirmed, an administrator reset them).
    pub seen_status: Option<UserStatus>,
    /// A bulk run: a user who got a code (or may have) in the last 15 minutes is skipped.
    pub skip_recent: bool,
    /// Go on although a colleague has the user open, or sent them a message in the last 15
    /// minutes (the operator was shown who, and chose to).
    pub over_colleague: bool,
    /// Keep the claim on the user after the call (the dialog stays open and lets go itself).
    pub keep_claim: bool,
    /// When the dialog first claimed the user: the claim the call renews keeps that time, so a
    /// colleague still reads "open since" the dialog opened.
    pub claimed_since: Option<chrono::DateTime<chrono::Utc>>,
}

impl Request {
    pub fn new(username: impl Into<String>, action: Action) -> Self {
        Self {
            username: username.into(),
            ticket: None,
            action,
            force: false,
            seen_status: None,
            skip_recent: false,
            over_colleague: false,
            keep_claim: false,
            claimed_since: None,
        }
    }

    pub fn ticket(mut self, ticket: Option<String>) -> Self {
        self.ticket = ticket.filter(|t| !t.trim().is_empty());
        self
    }

    pub fn seen(mut self, status: Option<UserStatus>) -> Self {
        self.seen_status = status;
        self
    }

    /// The operation's rule over the user as Cognito has them now.
    fn applies_to(&self, user: &User) -> Result<(), ApiError> {
        let operation = self.action.operation();
        if let Some(seen) = &self.seen_status
            && *seen != user.status
        {
            return Err(ApiError::local(
                operation,
                ErrorKind::ChangedSinceList,
                format!(
                    "{} is now {} (the list showed {}): nothing was done",
                    crate::text::sanitize(&user.username),
                    crate::text::sanitize(&user.status),
                    crate::text::sanitize(seen)
                ),
            ));
        }
        match &self.action {
            Action::Resend(_) => resend::applies_to(user),
            Action::Invite { mediums, .. } => invite::applies_to(user, mediums),
            Action::Confirm { verify_phone, .. } => confirm::applies_to(user, *verify_phone),
            Action::SetContact { .. } => set_contact::applies_to(user),
            Action::Delete {
                invited,
                created_before,
                ..
            } => delete::applies_to(user, *invited, *created_before),
            Action::SetEnabled { enable, .. } => disable::applies_to(user, *enable),
            Action::Unsuppress { .. } | Action::SmsOptIn { .. } => {
                delivery_fix::applies_to(user, &self.action).map(|_| ())
            }
        }
    }

    /// What the audit history allows (the resend's hourly limit and 15-minute skip).
    fn allowed_by_history(
        &self,
        before: &[Attempt],
        now: DateTime<Utc>,
        zone: Zone,
    ) -> Result<(), ApiError> {
        match &self.action {
            Action::Resend(_) => {
                resend::allowed_by_history(before, now, zone, self.force, self.skip_recent)
            }
            Action::SmsOptIn { .. } => delivery_fix::allowed_by_history(before, now, zone),
            _ => Ok(()),
        }
    }
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

/// What applies instead, by the user's status (one piece of advice per status).
pub fn advice(status: &UserStatus, username: &str) -> String {
    let name = crate::text::sanitize(username);
    match status.kind() {
        Status::Unconfirmed => format!(
            "They signed up themselves: `cogtui resend {name}` (Enter in the UI) sends a \
             confirmation code."
        ),
        Status::ForceChangePassword => format!(
            "An administrator created them: `cogtui invite {name}` (Enter in the UI) sends a new \
             invitation."
        ),
        Status::Confirmed => {
            "They have confirmed; if they cannot sign in, a password reset is next.".into()
        }
        Status::ResetRequired => {
            "They must reset their password: \"Forgot password\" sends a reset code.".into()
        }
        Status::ExternalProvider => "They sign in through an external identity provider.".into(),
        Status::Other => String::new(),
    }
}

/// The user's status does not allow the operation: say what does.
fn wrong_state(operation: Operation, user: &User, wanted: &str) -> ApiError {
    ApiError::local(
        operation,
        ErrorKind::UnsupportedUserState,
        format!(
            "{} is {}, not {wanted}: nothing was done. {}",
            crate::text::sanitize(&user.username),
            crate::text::sanitize(&user.status),
            advice(&user.status, &user.username)
        )
        .trim_end()
        .to_string(),
    )
}

#[cfg(test)]
mod tests;

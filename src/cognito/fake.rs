//! An in-memory Cognito for the rules' tests: users with statuses, scripted faults, and a
//! record of every call, so each rule of each operation is a fast table test. The emulator
//! proves the wire; this proves the decisions.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::diagnostics::PoolFacts;
use super::{
    ApiError, CognitoApi, CognitoWrite, Delivery, DeliveryMedium, ErrorKind, ListQuery, Operation,
    Permit, ResendRequest, User, UserPage,
};

/// What a scripted fault does to the next call of its operation.
#[derive(Clone)]
pub enum Fault {
    /// The call fails with this error and changes nothing.
    Fail(ApiError),
    /// The call is carried out, then its answer is lost (the connection drops).
    LoseAnswer,
    /// Something happens while the call is out (the disk fills, the operator leaves); then the
    /// call is carried out and answered.
    Then(std::sync::Arc<dyn Fn() + Send + Sync>),
}

impl std::fmt::Debug for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Fail(e) => write!(f, "Fail({e})"),
            Fault::LoseAnswer => f.write_str("LoseAnswer"),
            Fault::Then(_) => f.write_str("Then(..)"),
        }
    }
}

#[derive(Debug, Default)]
struct State {
    users: BTreeMap<String, User>,
    case_sensitive: bool,
    faults: Vec<(Operation, Fault)>,
    calls: Vec<(Operation, String)>,
    /// Addresses on SES's suppression list.
    suppressed: std::collections::BTreeSet<String>,
    /// Numbers on SNS's opted-out list.
    opted_out: std::collections::BTreeSet<String>,
}

/// The fake pool. Clones share one state.
#[derive(Debug, Clone, Default)]
pub struct FakeCognito {
    state: Arc<Mutex<State>>,
}

impl FakeCognito {
    /// A pool that compares usernames as given (`CaseSensitive = true`).
    pub fn new(users: impl IntoIterator<Item = User>) -> Self {
        let fake = Self::default();
        fake.lock().case_sensitive = true;
        for user in users {
            fake.put(user);
        }
        fake
    }

    /// `Jane` and `jane` are one user, as in a pool made by the console's defaults.
    pub fn case_insensitive(self) -> Self {
        self.lock().case_sensitive = false;
        self
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// Adds or replaces a user (a change made behind the list's back).
    pub fn put(&self, user: User) {
        let mut state = self.lock();
        let key = key(&state, &user.username);
        state.users.insert(key, user);
    }

    /// The user as the pool has them now.
    pub fn user(&self, username: &str) -> Option<User> {
        let state = self.lock();
        state.users.get(&key(&state, username)).cloned()
    }

    /// Removes a user (deleted by a colleague).
    pub fn remove(&self, username: &str) {
        let mut state = self.lock();
        let key = key(&state, username);
        state.users.remove(&key);
    }

    /// Puts an address on SES's suppression list (it bounced).
    pub fn suppress(&self, address: &str) {
        self.lock().suppressed.insert(address.to_lowercase());
    }

    /// Puts a number on SNS's opted-out list (it replied STOP).
    pub fn opt_out(&self, number: &str) {
        self.lock().opted_out.insert(number.to_string());
    }

    pub fn is_suppressed(&self, address: &str) -> bool {
        self.lock().suppressed.contains(&address.to_lowercase())
    }

    pub fn is_opted_out(&self, number: &str) -> bool {
        self.lock().opted_out.contains(number)
    }

    /// The next call of `operation` meets `fault`.
    pub fn fault(&self, operation: Operation, fault: Fault) {
        self.lock().faults.push((operation, fault));
    }

    /// Every call made, in order: the operation and the username (or the user pool for lists).
    pub fn calls(&self) -> Vec<(Operation, String)> {
        self.lock().calls.clone()
    }

    /// How many calls of `operation` were made.
    pub fn count(&self, operation: Operation) -> usize {
        self.lock()
            .calls
            .iter()
            .filter(|(o, _)| *o == operation)
            .count()
    }

    /// Records the call and takes its fault, if one is scripted.
    fn enter(&self, operation: Operation, username: &str) -> Option<Fault> {
        let mut state = self.lock();
        state.calls.push((operation, username.to_string()));
        let at = state.faults.iter().position(|(o, _)| *o == operation)?;
        Some(state.faults.remove(at).1)
    }

    /// Runs a write: a failing fault stops it, a lost answer carries it out and then fails.
    fn write<T>(
        &self,
        operation: Operation,
        username: &str,
        change: impl FnOnce(&mut State, &str) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let fault = self.enter(operation, username);
        match &fault {
            Some(Fault::Fail(e)) => return Err(e.clone()),
            Some(Fault::Then(happen)) => happen(),
            _ => {}
        }
        let mut state = self.lock();
        let key = key(&state, username);
        let result = change(&mut state, &key);
        match fault {
            Some(Fault::LoseAnswer) => Err(ApiError::local(
                operation,
                ErrorKind::ConnectionLost,
                "the connection dropped before the answer (fake)",
            )),
            _ => result,
        }
    }
}

fn key(state: &State, username: &str) -> String {
    if state.case_sensitive {
        username.to_string()
    } else {
        username.to_lowercase()
    }
}

fn not_found(operation: Operation) -> ApiError {
    ApiError::service(
        operation,
        "UserNotFoundException",
        Some("User does not exist."),
    )
}

fn user_mut<'a>(
    state: &'a mut State,
    key: &str,
    operation: Operation,
) -> Result<&'a mut User, ApiError> {
    state.users.get_mut(key).ok_or_else(|| not_found(operation))
}

impl CognitoApi for FakeCognito {
    async fn list_page(
        &self,
        query: &ListQuery,
        _token: Option<String>,
    ) -> Result<UserPage, ApiError> {
        if let Some(Fault::Fail(e)) = self.enter(Operation::ListUsers, "") {
            return Err(e);
        }
        let state = self.lock();
        let users = state
            .users
            .values()
            .filter(|u| query.status.status().is_none_or(|s| u.status == s))
            .cloned()
            .collect();
        Ok(UserPage {
            users,
            next_token: None,
            slowed_to: None,
        })
    }

    async fn pool_facts(&self, _client_id: &str) -> PoolFacts {
        let e = ApiError::local(Operation::DescribePool, ErrorKind::Other, "not in the fake");
        PoolFacts {
            pool: Err(e.clone()),
            client: Err(e.clone()),
            logs: Err(e),
        }
    }

    async fn caller_arn(&self) -> Option<String> {
        Some("arn:aws:iam::123456789012:user/fake".into())
    }

    async fn get_user(&self, username: &str) -> Result<User, ApiError> {
        if let Some(Fault::Fail(e)) = self.enter(Operation::GetUser, username) {
            return Err(e);
        }
        self.user(username)
            .ok_or_else(|| not_found(Operation::GetUser))
    }

    async fn suppressed(&self, _region: &str, address: &str) -> Result<bool, ApiError> {
        if let Some(Fault::Fail(e)) = self.enter(Operation::SesSuppressed, address) {
            return Err(e);
        }
        Ok(self.is_suppressed(address))
    }

    async fn opted_out(&self, _region: &str, number: &str) -> Result<bool, ApiError> {
        if let Some(Fault::Fail(e)) = self.enter(Operation::SmsOptOut, number) {
            return Err(e);
        }
        Ok(self.is_opted_out(number))
    }
}

impl CognitoWrite for FakeCognito {
    async fn invite(
        &self,
        _permit: &Permit,
        username: &str,
        _mediums: &[DeliveryMedium],
        _client_metadata: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        self.write(Operation::Invite, username, |state, key| {
            user_mut(state, key, Operation::Invite).map(|_| ())
        })
    }

    async fn confirm(&self, _permit: &Permit, username: &str) -> Result<(), ApiError> {
        self.write(Operation::Confirm, username, |state, key| {
            let user = user_mut(state, key, Operation::Confirm)?;
            user.status = "CONFIRMED".into();
            Ok(())
        })
    }

    async fn update_attributes(
        &self,
        _permit: &Permit,
        username: &str,
        attributes: &[(String, String)],
    ) -> Result<(), ApiError> {
        self.write(Operation::UpdateAttributes, username, |state, key| {
            let user = user_mut(state, key, Operation::UpdateAttributes)?;
            for (name, value) in attributes {
                user.attributes.insert(name.clone(), value.clone());
            }
            Ok(())
        })
    }

    async fn set_enabled(
        &self,
        _permit: &Permit,
        username: &str,
        enabled: bool,
    ) -> Result<(), ApiError> {
        let operation = if enabled {
            Operation::Enable
        } else {
            Operation::Disable
        };
        self.write(operation, username, |state, key| {
            user_mut(state, key, operation)?.enabled = enabled;
            Ok(())
        })
    }

    async fn delete(&self, _permit: &Permit, username: &str) -> Result<(), ApiError> {
        self.write(Operation::Delete, username, |state, key| {
            state
                .users
                .remove(key)
                .map(|_| ())
                .ok_or_else(|| not_found(Operation::Delete))
        })
    }

    async fn resend(
        &self,
        _permit: &Permit,
        request: &ResendRequest,
    ) -> Result<Delivery, ApiError> {
        self.write(Operation::Resend, &request.username, |state, key| {
            let user = user_mut(state, key, Operation::Resend)?;
            if !user.is_unconfirmed() {
                return Err(ApiError::service(
                    Operation::Resend,
                    "InvalidParameterException",
                    Some("User is already confirmed."),
                ));
            }
            let email = user.email().map(crate::text::mask_email);
            Ok(Delivery {
                destination: email.unwrap_or_else(|| "(none)".into()),
                medium: DeliveryMedium::Email,
                attribute_name: "email".into(),
            })
        })
    }

    async fn unsuppress(
        &self,
        _permit: &Permit,
        _region: &str,
        address: &str,
    ) -> Result<(), ApiError> {
        let address = address.to_lowercase();
        self.write(Operation::SesUnsuppress, &address, |state, _| {
            if state.suppressed.remove(&address) {
                Ok(())
            } else {
                Err(ApiError::service(
                    Operation::SesUnsuppress,
                    "NotFoundException",
                    Some("not on the suppression list"),
                ))
            }
        })
    }

    async fn sms_opt_in(
        &self,
        _permit: &Permit,
        _region: &str,
        number: &str,
    ) -> Result<(), ApiError> {
        self.write(Operation::SmsOptIn, number, |state, _| {
            state.opted_out.remove(number);
            Ok(())
        })
    }
}

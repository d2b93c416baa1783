//! Everything that talks to Cognito. The rest of the program sees only the types defined here.

pub mod diagnostics;
pub mod error;
pub mod fake;
pub mod filter;
pub mod rate;
pub mod sdk;
pub mod secret_hash;
pub mod session;
pub mod types;

use std::collections::HashSet;
use std::future::Future;
use std::hash::BuildHasher;

pub use crate::ops::guard::Permit;

pub use error::{ApiError, ErrorKind, Operation};
pub use filter::{Search, SearchError, SearchOp};
pub use types::{
    Attributes, Delivery, DeliveryMedium, ListQuery, ResendOptions, ResendRequest, Status,
    StatusFilter, User, UserContext, UserPage, UserStatus,
};

/// ListUsers returns at most this many users a page; the service rejects a larger `Limit`.
pub const PAGE_SIZE: i32 = 60;

/// The calls cogtui makes on one pool.
pub trait CognitoApi: Send + Sync + 'static {
    /// One page of users; pass the previous page's `next_token` to continue.
    fn list_page(
        &self,
        query: &ListQuery,
        token: Option<String>,
    ) -> impl Future<Output = Result<UserPage, ApiError>> + Send;

    /// What the pool and app client settings say about delivery (three describe calls, each
    /// answer kept on its own: one denied call leaves the others' checks).
    fn pool_facts(&self, client_id: &str) -> impl Future<Output = diagnostics::PoolFacts> + Send;

    /// The AWS principal acting (STS GetCallerIdentity), for the audit log; `None` when unknown.
    fn caller_arn(&self) -> impl Future<Output = Option<String>> + Send;

    /// A fresh view of one user.
    fn get_user(&self, username: &str) -> impl Future<Output = Result<User, ApiError>> + Send;

    /// SES v2 GetSuppressedDestination in `region`: whether SES keeps the address off every
    /// email (a bounce, a complaint).
    fn suppressed(
        &self,
        region: &str,
        address: &str,
    ) -> impl Future<Output = Result<bool, ApiError>> + Send;

    /// SNS CheckIfPhoneNumberIsOptedOut in `region`: whether the number replied STOP.
    fn opted_out(
        &self,
        region: &str,
        number: &str,
    ) -> impl Future<Output = Result<bool, ApiError>> + Send;
}

/// The calls that change a user or send a message (and the two that let a message reach them
/// again: SES's suppression list, SNS's opt-out list). Each takes a [`Permit`], which only the
/// operations' guard can make: a front end cannot reach these without the rules.
pub trait CognitoWrite: CognitoApi {
    /// AdminCreateUser with MessageAction=RESEND: a new invitation (and temporary password) for
    /// a FORCE_CHANGE_PASSWORD user, by the mediums given. Never retried.
    fn invite(
        &self,
        permit: &Permit,
        username: &str,
        mediums: &[DeliveryMedium],
        client_metadata: &std::collections::BTreeMap<String, String>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send;

    /// AdminConfirmSignUp. Never retried.
    fn confirm(
        &self,
        permit: &Permit,
        username: &str,
    ) -> impl Future<Output = Result<(), ApiError>> + Send;

    /// AdminUpdateUserAttributes. Never retried.
    fn update_attributes(
        &self,
        permit: &Permit,
        username: &str,
        attributes: &[(String, String)],
    ) -> impl Future<Output = Result<(), ApiError>> + Send;

    /// AdminDisableUser (`enabled = false`) or AdminEnableUser (`true`). Never retried.
    fn set_enabled(
        &self,
        permit: &Permit,
        username: &str,
        enabled: bool,
    ) -> impl Future<Output = Result<(), ApiError>> + Send;

    /// AdminDeleteUser. Never retried: a delete whose answer was lost is settled by a look.
    fn delete(
        &self,
        permit: &Permit,
        username: &str,
    ) -> impl Future<Output = Result<(), ApiError>> + Send;

    /// Sends ResendConfirmationCode once, never retried: a retry could send a second code and
    /// spends the user's hourly allowance.
    fn resend(
        &self,
        permit: &Permit,
        request: &ResendRequest,
    ) -> impl Future<Output = Result<Delivery, ApiError>> + Send;

    /// SES v2 DeleteSuppressedDestination in `region`: the address gets email again. Never
    /// retried.
    fn unsuppress(
        &self,
        permit: &Permit,
        region: &str,
        address: &str,
    ) -> impl Future<Output = Result<(), ApiError>> + Send;

    /// SNS OptInPhoneNumber in `region`: the number gets SMS again (once in 30 days). Never
    /// retried.
    fn sms_opt_in(
        &self,
        permit: &Permit,
        region: &str,
        number: &str,
    ) -> impl Future<Output = Result<(), ApiError>> + Send;
}

/// Keeps one listing honest: a pagination token the service has already handed out means the
/// chain loops, and the listing stops with an error instead of going round forever.
#[derive(Debug, Default, Clone)]
pub struct TokenChain {
    /// A 64-bit hash of each token seen, not the token (a few hundred bytes each, 16,000 of
    /// them at a million users, freed one by one when a listing ends).
    seen: HashSet<u64>,
    /// Pages received so far.
    pub pages: usize,
}

impl TokenChain {
    /// Takes a page's `next_token`: the token to ask for next, `None` at the end of the chain.
    pub fn advance(&mut self, next: Option<String>) -> Result<Option<String>, ApiError> {
        self.pages += 1;
        let Some(token) = next.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        // SipHash with fixed keys: the same token, the same number.
        let hash =
            std::hash::BuildHasherDefault::<std::hash::DefaultHasher>::default().hash_one(&token);
        if !self.seen.insert(hash) {
            return Err(ApiError::local(
                Operation::ListUsers,
                ErrorKind::PaginationLoop,
                format!(
                    "page {} repeated a pagination token already seen",
                    self.pages
                ),
            ));
        }
        Ok(Some(token))
    }
}

/// Follows the token chain, handing each page over as soon as it arrives. Within one listing a
/// user is handed over once: a copy on a later page (the service is eventually consistent) is
/// dropped.
pub async fn for_each_page<A: CognitoApi>(
    api: &A,
    query: &ListQuery,
    mut on_page: impl FnMut(UserPage) -> std::io::Result<()>,
) -> Result<(), ListAllError> {
    let mut chain = TokenChain::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut users = 0;
    let mut token = None;
    let failed = |error: ApiError, users: usize, chain: &TokenChain| ListAllError::Api {
        error,
        users,
        pages: chain.pages,
    };
    loop {
        let mut page = match api.list_page(query, token.take()).await {
            Ok(page) => page,
            Err(e) => return Err(failed(e, users, &chain)),
        };
        let next = page.next_token.take();
        page.users.retain(|u| seen.insert(u.username.clone()));
        users += page.users.len();
        let next = chain.advance(next);
        on_page(UserPage {
            users: page.users,
            next_token: next.clone().ok().flatten(),
            slowed_to: page.slowed_to,
        })
        .map_err(ListAllError::Output)?;
        match next {
            Ok(Some(t)) => token = Some(t),
            Ok(None) => return Ok(()),
            Err(e) => return Err(failed(e, users, &chain)),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ListAllError {
    /// The listing stopped after `users` users in `pages` pages had been handed over.
    #[error("{error}")]
    Api {
        error: ApiError,
        users: usize,
        pages: usize,
    },
    #[error("cannot write the output: {0}")]
    Output(std::io::Error),
}

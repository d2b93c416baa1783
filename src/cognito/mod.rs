//! Everything that talks to Cognito. The rest of the program sees only the types defined here.

pub mod error;
pub mod filter;
pub mod sdk;
pub mod secret_hash;
pub mod session;
pub mod types;

use std::future::Future;

pub use error::{ApiError, ErrorKind, Operation};
pub use filter::{Search, SearchError, SearchOp};
pub use types::{
    Delivery, DeliveryMedium, ListQuery, ResendOptions, ResendRequest, StatusFilter, User,
    UserContext, UserPage,
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

    /// A fresh view of one user.
    fn get_user(&self, username: &str) -> impl Future<Output = Result<User, ApiError>> + Send;

    /// Sends ResendConfirmationCode once, never retried: a retry could send a second code and
    /// spends the user's hourly allowance.
    fn resend(
        &self,
        request: &ResendRequest,
    ) -> impl Future<Output = Result<Delivery, ApiError>> + Send;
}

/// Follows the token chain, handing each page over as soon as it arrives.
pub async fn for_each_page<A: CognitoApi>(
    api: &A,
    query: &ListQuery,
    mut on_page: impl FnMut(UserPage) -> std::io::Result<()>,
) -> Result<(), ListAllError> {
    let mut token = None;
    loop {
        let page = api.list_page(query, token.take()).await?;
        let next = page.next_token.clone();
        on_page(page).map_err(ListAllError::Output)?;
        match next {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => return Ok(()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ListAllError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("cannot write the output: {0}")]
    Output(std::io::Error),
}

//! One configured pool, connected: the API client plus the app client's secret, if any.

use super::sdk::{Endpoint, SdkCognito};
use super::{ApiError, CognitoApi, ResendOptions, ResendRequest};
use crate::config::{Config, ConfigError, PoolConfig};
use crate::secret::{self, ClientSecret, SecretSource};

/// `--profile`, `--region` and `--endpoint-url` win over the settings of the pool chosen at
/// start (and only that pool: switching pools in the UI uses the other pool's own settings);
/// `--timeout` holds for every pool.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub attempt_timeout: Option<std::time::Duration>,
}

impl Overrides {
    pub fn endpoint_for(&self, pool: &PoolConfig) -> Endpoint {
        Endpoint {
            region: self.region.clone().unwrap_or_else(|| pool.region.clone()),
            profile: self.profile.clone().or_else(|| pool.profile.clone()),
            endpoint_url: self
                .endpoint_url
                .clone()
                .or_else(|| pool.endpoint_url.clone()),
            attempt_timeout: self.attempt_timeout,
        }
    }

    /// What holds for a pool other than the one chosen at start: the timeout only.
    pub fn for_other_pools(&self) -> Self {
        Self {
            attempt_timeout: self.attempt_timeout,
            ..Self::default()
        }
    }
}

/// The one way a command or the UI connects to a pool: its endpoint with the overrides, and
/// its ListUsers pace.
pub async fn connect(pool: &PoolConfig, overrides: &Overrides) -> SdkCognito {
    SdkCognito::connect(&overrides.endpoint_for(pool), &pool.user_pool_id)
        .await
        .with_list_rate(pool.max_list_rps)
}

pub struct PoolSession<A> {
    pub pool: PoolConfig,
    pub api: A,
    secret: Option<ClientSecret>,
    /// Whether the pool tells `Jane` from `jane` (DescribeUserPool's
    /// `UsernameConfiguration.CaseSensitive`). Until known, false: the console's default, and
    /// the safe side for the hourly limit (never fewer sends counted than Cognito counts).
    pub case_sensitive: bool,
}

impl<A: CognitoApi> PoolSession<A> {
    pub fn new(pool: PoolConfig, api: A, secret: Option<ClientSecret>) -> Self {
        Self {
            pool,
            api,
            secret,
            case_sensitive: false,
        }
    }

    pub fn has_secret(&self) -> bool {
        self.secret.is_some()
    }

    /// Every member of the call: client id, secret hash when the client has a secret, and the
    /// operator's choices.
    pub fn resend_request(&self, username: &str, options: ResendOptions) -> ResendRequest {
        ResendRequest::new(
            &self.pool.client_id,
            self.secret.as_ref(),
            username,
            options,
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Api(#[from] ApiError),
}

/// Reads a local secret (environment or file) for the pool; errors name the config line and key.
pub fn local_secret(
    config: &Config,
    pool: &PoolConfig,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<ClientSecret>, ConfigError> {
    secret::read_local(&pool.secret, env).map_err(|e| ConfigError {
        path: config.path.clone(),
        line: Some(match &pool.secret {
            SecretSource::File { line, .. } => *line,
            _ => pool.line,
        }),
        key: Some(format!("pools.{}.{}", pool.name, e.key())),
        message: e.to_string(),
    })
}

/// Whether a client secret is configured for the pool (the `client_secret` check); a broken
/// local setting is the config error it is.
pub fn secret_configured(config: &Config, pool: &PoolConfig) -> Result<bool, ConfigError> {
    Ok(match &pool.secret {
        SecretSource::None => false,
        SecretSource::Fetch => true,
        _ => local_secret(config, pool, |var| std::env::var(var).ok())?.is_some(),
    })
}

/// The one place a pool's client secret is resolved: from the environment or a file, or with
/// DescribeUserPoolClient for `fetch_client_secret = true`.
pub async fn client_secret(
    config: &Config,
    pool: &PoolConfig,
    api: &SdkCognito,
) -> Result<Option<ClientSecret>, OpenError> {
    match &pool.secret {
        SecretSource::Fetch => Ok(api.fetch_client_secret(&pool.client_id).await?),
        _ => Ok(local_secret(config, pool, |var| std::env::var(var).ok())?),
    }
}

pub async fn open(
    config: &Config,
    pool: &PoolConfig,
    overrides: &Overrides,
) -> Result<PoolSession<SdkCognito>, OpenError> {
    // A broken local setting is reported before any connection is made.
    local_secret(config, pool, |var| std::env::var(var).ok())?;
    let api = connect(pool, overrides).await;
    let secret = client_secret(config, pool, &api).await?;
    Ok(PoolSession::new(pool.clone(), api, secret))
}

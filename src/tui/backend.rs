//! Runs the app's effects against Cognito, one connection per pool, made on first use.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{Mutex, OnceCell};

use super::app::{Effect, Msg};
use crate::cognito::sdk::SdkCognito;
use crate::cognito::session::{self, OpenError, Overrides, PoolSession};
use crate::cognito::{ApiError, CognitoApi, ErrorKind, Operation};
use crate::config::{Config, PoolConfig};
use crate::secret::ClientSecret;

struct Connection {
    pool: PoolConfig,
    api: SdkCognito,
    secret: OnceCell<Option<ClientSecret>>,
}

pub struct Backend {
    config: Config,
    /// The pool chosen at start: the command line's overrides are for it alone.
    start_pool: String,
    overrides: Overrides,
    connections: Mutex<HashMap<String, Arc<Connection>>>,
}

impl Backend {
    pub fn new(config: Config, start_pool: String, overrides: Overrides) -> Self {
        Self {
            config,
            start_pool,
            overrides,
            connections: Mutex::new(HashMap::new()),
        }
    }

    /// `--region`, `--profile` and `--endpoint-url` apply to the pool chosen at start only.
    pub fn overrides_for(&self, pool: &str) -> Overrides {
        if pool == self.start_pool {
            self.overrides.clone()
        } else {
            self.overrides.for_other_pools()
        }
    }

    pub async fn run(&self, effect: Effect) -> Msg {
        match effect {
            Effect::FetchPage {
                generation,
                pool,
                query,
                token,
            } => {
                let result = match self.connection(&pool).await {
                    Ok(conn) => conn.api.list_page(&query, token).await,
                    Err(e) => Err(e),
                };
                Msg::Page { generation, result }
            }
            Effect::FetchUser { pool, username } => {
                let result = match self.connection(&pool).await {
                    Ok(conn) => conn.api.get_user(&username).await,
                    Err(e) => Err(e),
                };
                Msg::UserFetched {
                    pool,
                    username,
                    result,
                }
            }
            Effect::Resend {
                id,
                pool,
                username,
                options,
            } => {
                let result = match self.session(&pool).await {
                    Ok(session) => session.resend(&username, options).await,
                    Err(e) => Err(e),
                };
                Msg::Resent {
                    id,
                    pool,
                    username,
                    at: chrono::Utc::now(),
                    result,
                }
            }
        }
    }

    async fn connection(&self, pool: &str) -> Result<Arc<Connection>, ApiError> {
        let mut connections = self.connections.lock().await;
        if let Some(conn) = connections.get(pool) {
            return Ok(conn.clone());
        }
        let config = self.config.pools.get(pool).ok_or_else(|| {
            ApiError::local(
                Operation::ListUsers,
                ErrorKind::Other,
                format!("no pool named {pool}"),
            )
        })?;
        let endpoint = self.overrides_for(pool).endpoint_for(config);
        let conn = Arc::new(Connection {
            api: SdkCognito::connect(&endpoint, &config.user_pool_id).await,
            pool: config.clone(),
            secret: OnceCell::new(),
        });
        connections.insert(pool.to_string(), conn.clone());
        Ok(conn)
    }

    /// The pool's connection with its client secret, read on the first resend.
    async fn session(&self, pool: &str) -> Result<PoolSession<SdkCognito>, ApiError> {
        let conn = self.connection(pool).await?;
        let config = &conn.pool;
        let secret = conn
            .secret
            .get_or_try_init(|| async {
                session::client_secret(&self.config, config, &conn.api)
                    .await
                    .map_err(|e| match e {
                        OpenError::Api(api) => api,
                        OpenError::Config(c) => ApiError::local(
                            Operation::Resend,
                            ErrorKind::SecretUnavailable,
                            c.to_string(),
                        ),
                    })
            })
            .await?;
        Ok(PoolSession::new(
            config.clone(),
            conn.api.clone(),
            secret.clone(),
        ))
    }
}

//! Runs the app's effects against Cognito, one connection per pool, made on first use.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{Mutex, OnceCell};

use super::app::{Effect, Msg};
use crate::actions::{Action, Answer, Auditor, Done, Request, Resend};
use crate::audit::{AuditLog, Operator};
use crate::cognito::diagnostics;
use crate::cognito::sdk::SdkCognito;
use crate::cognito::session::{self, OpenError, Overrides, PoolSession};
use crate::cognito::{ApiError, CognitoApi, ErrorKind, Operation};
use crate::config::{Config, PoolConfig};
use crate::secret::ClientSecret;
use crate::time::Zone;

struct Connection {
    pool: PoolConfig,
    api: SdkCognito,
    secret: OnceCell<Option<ClientSecret>>,
}

pub struct Backend {
    config: Config,
    /// `None` when the system has no data directory and the config names no audit_log.
    audit: Option<AuditLog>,
    /// The OS user and AWS principal, asked of STS once.
    operator: OnceCell<Operator>,
    /// `--read-only`: the guarded path refuses every action (the UI hides them too).
    pub read_only: bool,
    /// Action runs asked to stop.
    stopped: std::sync::Mutex<std::collections::HashSet<u64>>,
    /// The pool chosen at start: the command line's overrides are for it alone.
    start_pool: String,
    overrides: Overrides,
    connections: Mutex<HashMap<String, Arc<Connection>>>,
}

impl Backend {
    pub fn new(config: Config, start_pool: String, overrides: Overrides) -> Self {
        Self {
            audit: AuditLog::configured(config.audit_log.as_deref()),
            operator: OnceCell::new(),
            read_only: false,
            stopped: std::sync::Mutex::new(std::collections::HashSet::new()),
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
                ticket,
                options,
                force,
            } => {
                let resend = Resend {
                    username: username.clone(),
                    ticket,
                    options,
                    force,
                };
                let done = match (self.session(&pool).await, &self.audit) {
                    (Ok(session), Some(log)) => {
                        let auditor = Auditor {
                            log: log.clone(),
                            operator: self.operator(&session.api).await,
                            read_only: self.read_only,
                        };
                        auditor.resend(&session, resend, Zone::Local).await
                    }
                    (Err(e), _) => Done {
                        at: chrono::Utc::now(),
                        result: Err(e),
                        audit_warning: None,
                        before: Vec::new(),
                    },
                    (Ok(_), None) => Done {
                        at: chrono::Utc::now(),
                        result: Err(ApiError::local(
                            Operation::Resend,
                            ErrorKind::AuditUnavailable,
                            "nothing was sent: this system has no data directory for the audit \
                             log; set audit_log in the config file",
                        )),
                        audit_warning: None,
                        before: Vec::new(),
                    },
                };
                Msg::Resent {
                    id,
                    pool,
                    username,
                    at: done.at,
                    result: done.result,
                    audit_warning: done.audit_warning,
                }
            }
            Effect::Diagnose { pool } => {
                let (checks, settings) = match self.connection(&pool).await {
                    Ok(conn) => {
                        let facts = conn.api.pool_facts(&conn.pool.client_id).await;
                        let configured =
                            session::secret_configured(&self.config, &conn.pool).unwrap_or(false);
                        (
                            diagnostics::pool_checks(&facts, configured),
                            facts.pool.ok(),
                        )
                    }
                    Err(e) => (
                        diagnostics::pool_checks(
                            &diagnostics::PoolFacts {
                                pool: Err(e.clone()),
                                client: Err(e.clone()),
                                logs: Err(e),
                            },
                            false,
                        ),
                        None,
                    ),
                };
                Msg::Diagnosed {
                    pool,
                    checks,
                    settings,
                    at: chrono::Utc::now(),
                }
            }
            Effect::LoadHistory { pool } => {
                let read = match (&self.audit, self.config.pools.get(&pool)) {
                    (Some(log), Some(config)) => {
                        let log = log.clone();
                        let id = config.user_pool_id.clone();
                        tokio::task::spawn_blocking(move || {
                            log.read(|r| r.user_pool_id == id)
                                .map(|(records, skipped)| {
                                    (crate::audit::attempts(records), skipped.len())
                                })
                                .map_err(|e| e.to_string())
                        })
                        .await
                        .unwrap_or_else(|e| Err(e.to_string()))
                    }
                    (None, _) => Err("no audit log: set audit_log in the config file".into()),
                    (_, None) => Ok((Vec::new(), 0)),
                };
                let skipped = read.as_ref().map_or(0, |(_, n)| *n);
                Msg::History {
                    pool,
                    result: read.map(|(attempts, _)| attempts),
                    skipped,
                }
            }
            // The runtime writes to the terminal itself, and streams action runs through `act`.
            Effect::Copy(_) | Effect::Act { .. } | Effect::StopAct { .. } => Msg::Tick,
            Effect::After { ms, token } => {
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                Msg::SearchDue { token }
            }
            Effect::Lookup { id, pool, query } => {
                let result = match self.connection(&pool).await {
                    Ok(conn) => conn.api.list_page(&query, None).await,
                    Err(e) => Err(e),
                };
                Msg::Looked { id, pool, result }
            }
            Effect::Export { path, csv, rows } => {
                let shown = path.clone();
                let result = tokio::task::spawn_blocking(move || export(&path, &csv, rows))
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()));
                Msg::Exported {
                    path: shown,
                    result,
                }
            }
        }
    }

    /// Stops the run `id` after the call in flight.
    pub fn stop(&self, id: u64) {
        if let Ok(mut stopped) = self.stopped.lock() {
            stopped.insert(id);
        }
    }

    fn is_stopped(&self, id: u64) -> bool {
        self.stopped
            .lock()
            .map(|s| s.contains(&id))
            .unwrap_or(false)
    }

    /// Runs the requests one after the other, paced (sends 2 a second, other actions 5), each
    /// through the guarded path, reporting each user; deletes get a fresh check first.
    pub async fn act(
        &self,
        id: u64,
        pool: String,
        requests: Vec<Request>,
        tx: tokio::sync::mpsc::UnboundedSender<Msg>,
    ) {
        let send = |msg: Msg| {
            let _ = tx.send(msg);
        };
        let sends = requests
            .iter()
            .any(|r| matches!(r.action, Action::Resend(_) | Action::Invite { .. }));
        let session = match self.session(&pool).await {
            Ok(session) => session,
            Err(e) => {
                for r in requests {
                    send(Msg::ActProgress {
                        id,
                        username: r.username,
                        result: Err(e.clone()),
                        skipped: None,
                    });
                }
                send(Msg::ActDone { id, stopped: false });
                return;
            }
        };
        let Some(log) = &self.audit else {
            send(Msg::ActDone { id, stopped: false });
            return;
        };
        let auditor = Auditor {
            log: log.clone(),
            operator: self.operator(&session.api).await,
            read_only: self.read_only,
        };
        let rate = if sends { 2.0 } else { 5.0 };
        let mut pace = tokio::time::interval(std::time::Duration::from_secs_f64(1.0 / rate));
        pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut stopped = false;
        for request in requests {
            if self.is_stopped(id) {
                stopped = true;
                break;
            }
            pace.tick().await;
            let username = request.username.clone();
            if matches!(request.action, Action::Delete { .. }) {
                match session.api.get_user(&username).await {
                    Err(e) if e.kind == ErrorKind::UserNotFound => {
                        send(Msg::ActProgress {
                            id,
                            username,
                            result: Ok(Answer::Done),
                            skipped: Some("already gone".into()),
                        });
                        continue;
                    }
                    Err(e) => {
                        send(Msg::ActProgress {
                            id,
                            username,
                            result: Err(e),
                            skipped: None,
                        });
                        continue;
                    }
                    Ok(_) => {}
                }
            }
            let done = auditor.perform(&session, request, Zone::Local).await;
            let skipped = match &done.result {
                Err(e)
                    if matches!(e.kind, ErrorKind::HourlyLimit | ErrorKind::AlreadyConfirmed) =>
                {
                    Some(e.message.clone())
                }
                _ => None,
            };
            send(Msg::ActProgress {
                id,
                username,
                result: done.result,
                skipped,
            });
        }
        send(Msg::ActDone { id, stopped });
    }

    async fn operator(&self, api: &SdkCognito) -> Operator {
        self.operator
            .get_or_init(|| crate::actions::operator(api))
            .await
            .clone()
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
            api: SdkCognito::connect(&endpoint, &config.user_pool_id)
                .await
                .with_list_rate(config.max_list_rps),
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

/// Writes the CSV (as the headless `list --format csv` makes it) to a new file, never over one.
fn export(path: &str, bytes: &[u8], rows: usize) -> Result<usize, String> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!("{path} exists: choose another name"),
            _ => format!("cannot write {path}: {e}"),
        })?;
    std::io::Write::write_all(&mut file, bytes).map_err(|e| format!("cannot write {path}: {e}"))?;
    Ok(rows)
}

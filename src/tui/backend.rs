//! Runs the app's effects against Cognito, one connection per pool, made on first use.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{Mutex, OnceCell};

use super::app::{Effect, History, Msg};
use super::store::Snapshot;
use crate::audit::AuditLog;
use crate::cognito::diagnostics;
use crate::cognito::sdk::SdkCognito;
use crate::cognito::session::{self, OpenError, Overrides, PoolSession};
use crate::cognito::{ApiError, CognitoApi, ErrorKind, Operation};
use crate::config::{Config, PoolConfig};
use crate::ops::bulk::Stop;
use crate::ops::{Auditor, Request};
use crate::secret::ClientSecret;
use crate::time::Zone;

struct Connection {
    pool: PoolConfig,
    api: SdkCognito,
    secret: OnceCell<Option<ClientSecret>>,
    /// `UsernameConfiguration.CaseSensitive`, once DescribeUserPool has said (the checks).
    case_sensitive: std::sync::Mutex<Option<bool>>,
    /// The SNS client of the pool's SMS region, made once (a client resolves its credentials
    /// again: SSO caches, a credential_process run).
    evidence: OnceCell<crate::evidence::Evidence>,
    /// The pool's describe answers, from the last `D` (or the first dialog's evidence).
    facts: Mutex<Option<Arc<diagnostics::PoolFacts>>>,
}

pub struct Backend {
    config: Config,
    /// `None` when the system has no data directory and the config names no audit_log.
    audit: Option<AuditLog>,
    /// The audit log and the calls in flight, shared by every pool.
    auditor: OnceCell<Auditor>,
    /// The AWS principal each profile signs as (asked of STS once a profile): records carry the
    /// ARN of the pool's own credentials, not the first pool's.
    operators: Mutex<HashMap<Option<String>, crate::audit::Operator>>,
    /// `--read-only`: the guarded path refuses every action (the UI hides them too).
    pub read_only: bool,
    /// How to stop each action run.
    stops: std::sync::Mutex<HashMap<u64, Stop>>,
    /// The users this process has claimed (dialogs open), since when.
    claims: std::sync::Mutex<HashMap<(String, String), chrono::DateTime<chrono::Utc>>>,
    /// The users a dialog's fresh look just fetched (by pool and the name asked), as Cognito
    /// answered (never redacted): the evidence and the watch that follow read them instead of
    /// asking again.
    fetched:
        std::sync::Mutex<HashMap<(String, String), (crate::cognito::User, std::time::Instant)>>,
    /// The pool chosen at start: the command line's overrides are for it alone.
    start_pool: String,
    overrides: Overrides,
    connections: Mutex<HashMap<String, Arc<Connection>>>,
}

/// How long a fresh look stands for the evidence and the watch after it.
const FETCHED_FOR: std::time::Duration = std::time::Duration::from_secs(60);

impl Backend {
    pub fn new(config: Config, start_pool: String, overrides: Overrides) -> Self {
        Self {
            audit: AuditLog::from_config(&config),
            auditor: OnceCell::new(),
            operators: Mutex::new(HashMap::new()),
            read_only: false,
            stops: std::sync::Mutex::new(HashMap::new()),
            claims: std::sync::Mutex::new(HashMap::new()),
            fetched: std::sync::Mutex::new(HashMap::new()),
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
                if let (Ok(user), Ok(mut fetched)) = (&result, self.fetched.lock()) {
                    fetched.retain(|_, (_, at)| at.elapsed() < FETCHED_FOR);
                    fetched.insert(
                        (pool.clone(), username.clone()),
                        (user.clone(), std::time::Instant::now()),
                    );
                }
                Msg::UserFetched {
                    pool,
                    username,
                    result,
                }
            }
            Effect::Evidence {
                pool,
                username,
                redact,
            } => {
                let checks = match self.connection(&pool).await {
                    Ok(conn) => self.user_evidence(&conn, &username, redact).await,
                    Err(_) => Vec::new(),
                };
                Msg::Evidence {
                    pool,
                    username,
                    checks,
                }
            }
            Effect::Claim {
                pool,
                username,
                ticket,
            } => {
                // The connection, not a session: a claim needs no client secret.
                let colleague = match self.connection(&pool).await {
                    Ok(conn) => match self.auditor(&pool, &conn.api).await {
                        Ok(auditor) => {
                            let config = conn.pool.clone();
                            let case_sensitive = conn
                                .case_sensitive
                                .lock()
                                .ok()
                                .and_then(|known| *known)
                                .unwrap_or(false);
                            let name = username.clone();
                            let since = self.claimed_since(&pool, &username);
                            tokio::task::spawn_blocking(move || {
                                auditor
                                    .open_user(
                                        &config,
                                        &name,
                                        ticket,
                                        case_sensitive,
                                        Zone::Local,
                                        Some(since),
                                    )
                                    .map_err(|e| e.to_string())
                            })
                            .await
                            .unwrap_or_else(|e| Err(e.to_string()))
                        }
                        Err(e) => Err(e.message),
                    },
                    Err(e) => Err(e.to_string()),
                };
                Msg::Claimed {
                    pool,
                    username,
                    colleague,
                }
            }
            Effect::Release { pool, username } => {
                if let Ok(mut claims) = self.claims.lock() {
                    claims.remove(&(pool.clone(), username.clone()));
                }
                if let Ok(conn) = self.connection(&pool).await
                    && let Ok(auditor) = self.auditor(&pool, &conn.api).await
                {
                    let config = conn.pool.clone();
                    let _ =
                        tokio::task::spawn_blocking(move || auditor.close_user(&config, &username))
                            .await;
                }
                Msg::Tick
            }
            Effect::Diagnose { pool } => {
                let (checks, settings) = match self.connection(&pool).await {
                    Ok(conn) => {
                        let facts = conn.api.pool_facts(&conn.pool.client_id).await;
                        if let (Ok(settings), Ok(mut known)) =
                            (&facts.pool, conn.case_sensitive.lock())
                        {
                            *known = settings.case_sensitive;
                        }
                        let configured =
                            session::secret_configured(&self.config, &conn.pool).unwrap_or(false);
                        let mut checks = diagnostics::pool_checks(&facts, configured);
                        // One service further: the SES and SNS accounts the pool sends through.
                        if let Ok(settings) = &facts.pool {
                            let caused = crate::evidence::emails_caused_in(
                                self.audit.as_ref(),
                                &conn.pool.region,
                                chrono::Utc::now(),
                            );
                            let evidence = self.evidence(&conn, settings.sns_region.as_deref());
                            checks.extend(evidence.await.pool_checks(settings, caused).await);
                        }
                        let settings = facts.pool.clone().ok();
                        *conn.facts.lock().await = Some(Arc::new(facts));
                        (checks, settings)
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
            Effect::LoadHistory {
                pool,
                case_sensitive,
            } => {
                let read = match (&self.audit, self.config.pools.get(&pool)) {
                    (Some(log), Some(config)) => {
                        let log = log.clone();
                        let id = config.user_pool_id.clone();
                        tokio::task::spawn_blocking(move || {
                            // The last month or so: LAST RESEND and the dialogs' day, not
                            // the desk's whole history (one or two month files).
                            let since = chrono::Utc::now() - crate::audit::UI_HISTORY;
                            log.read_since(Some(since), |r| r.user_pool_id == id)
                                .map(|(records, skipped)| {
                                    let attempts = crate::audit::attempts(records);
                                    (History::new(attempts, case_sensitive), skipped.len())
                                })
                                .map_err(|e| e.to_string())
                        })
                        .await
                        .unwrap_or_else(|e| Err(e.to_string()))
                    }
                    (None, _) => Err("no audit log: set audit_log in the config file".into()),
                    (_, None) => Ok((History::default(), 0)),
                };
                let skipped = read.as_ref().map_or(0, |(_, n)| *n);
                Msg::History {
                    pool,
                    result: read.map(|(attempts, _)| attempts),
                    skipped,
                }
            }
            // The runtime writes to the terminal itself, and streams action runs through `act`.
            Effect::Copy(_) | Effect::Act { .. } | Effect::Stop { .. } | Effect::Watch { .. } => {
                Msg::Tick
            }
            Effect::CountStats { id, rows, basis } => {
                let stats = tokio::task::spawn_blocking(move || {
                    super::app::count_stats(rows.iter(), basis)
                })
                .await
                .unwrap_or_default();
                Msg::Counted {
                    id,
                    stats: Box::new(stats),
                }
            }
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
            // The runtime streams exports through `export`.
            Effect::Export { .. } => Msg::Tick,
        }
    }

    /// Stops the run `id` after the call in flight.
    pub fn stop(&self, id: u64) {
        if let Ok(stops) = self.stops.lock()
            && let Some(stop) = stops.get(&id)
        {
            stop.request();
        }
    }

    /// The operator leaves without waiting: every call still out is recorded as `unknown`.
    pub fn abandon(&self) -> usize {
        self.auditor.get().map_or(0, Auditor::abandon_in_flight)
    }

    /// Runs the requests through `ops::bulk` (paced: messages 2 a second, other writes 5),
    /// reporting each user as it is done.
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
        let stop = Stop::default();
        if let Ok(mut stops) = self.stops.lock() {
            stops.insert(id, stop.clone());
        }
        let sends = requests.iter().any(|r| r.action.sends());
        // A change makes what a fresh look found stale (a resend changes nothing the evidence
        // reads).
        if let Ok(mut fetched) = self.fetched.lock() {
            for r in &requests {
                if !matches!(r.action, crate::ops::Action::Resend(_)) {
                    fetched.remove(&(pool.clone(), r.username.clone()));
                }
            }
        }
        // A dialog's send renews the dialog's claim: it keeps when the dialog opened.
        let requests: Vec<Request> = requests
            .into_iter()
            .map(|mut r| {
                if r.keep_claim {
                    r.claimed_since = Some(self.claimed_since(&pool, &r.username));
                }
                r
            })
            .collect();
        let ready = match self.session(&pool).await {
            Ok(session) => self
                .auditor(&pool, &session.api)
                .await
                .map(|a| (session, a)),
            Err(e) => Err(e),
        };
        let tally = match ready {
            Ok((session, auditor)) => {
                let rate = if sends {
                    crate::ops::bulk::SEND_RATE
                } else {
                    crate::ops::bulk::CHANGE_RATE
                };
                crate::ops::bulk::run(
                    &auditor,
                    &session,
                    requests,
                    rate,
                    &stop,
                    Zone::Local,
                    |step, warning, at| {
                        send(Msg::ActProgress {
                            id,
                            step: step.clone(),
                            audit_warning: warning.map(str::to_string),
                            at,
                        });
                    },
                )
                .await
            }
            Err(e) => {
                let mut tally = crate::ops::bulk::Tally::default();
                for r in requests {
                    let step = crate::ops::bulk::Step::Failed {
                        username: r.username,
                        error: e.clone(),
                    };
                    tally.count(&step, None);
                    send(Msg::ActProgress {
                        id,
                        step,
                        audit_warning: None,
                        at: chrono::Utc::now(),
                    });
                }
                tally
            }
        };
        if let Ok(mut stops) = self.stops.lock() {
            stops.remove(&id);
        }
        send(Msg::ActDone { id, tally });
    }

    /// Writes an export on a blocking thread, reporting its progress; `stop(id)` stops it.
    pub async fn export(
        &self,
        id: u64,
        path: String,
        rows: Snapshot,
        redact: bool,
        tx: tokio::sync::mpsc::UnboundedSender<Msg>,
    ) {
        let stop = Stop::default();
        if let Ok(mut stops) = self.stops.lock() {
            stops.insert(id, stop.clone());
        }
        let (file, progress) = (path.clone(), tx.clone());
        let result = tokio::task::spawn_blocking(move || {
            export(&file, &rows, redact, &stop, |done| {
                let _ = progress.send(Msg::ExportProgress { id, done });
            })
        })
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
        if let Ok(mut stops) = self.stops.lock() {
            stops.remove(&id);
        }
        let _ = tx.send(Msg::Exported { id, path, result });
    }

    /// The session's auditor (one, so calls in flight are known on the way out), as the
    /// operator the pool's profile signs as.
    async fn auditor(&self, pool: &str, api: &SdkCognito) -> Result<Auditor, ApiError> {
        let Some(log) = &self.audit else {
            return Err(ApiError::local(
                Operation::Resend,
                ErrorKind::AuditUnavailable,
                "nothing was done: this system has no data directory for the audit log; set \
                 audit_log in the config file",
            ));
        };
        let read_only = self.read_only;
        let base = self
            .auditor
            .get_or_init(|| async move {
                Auditor::new(log.clone(), crate::audit::Operator::from_os(), read_only)
            })
            .await;
        let profile = self
            .config
            .pools
            .get(pool)
            .and_then(|p| self.overrides_for(pool).endpoint_for(p).profile);
        let mut operators = self.operators.lock().await;
        let operator = match operators.get(&profile) {
            Some(known) => known.clone(),
            None => {
                let asked = crate::ops::operator(api).await;
                operators.insert(profile, asked.clone());
                asked
            }
        };
        Ok(base.as_operator(operator))
    }

    /// Watches the delivery logs for a user after a send, reporting each read; `stop(id)` ends
    /// it.
    pub async fn watch(
        &self,
        id: u64,
        pool: String,
        username: String,
        since: chrono::DateTime<chrono::Utc>,
        redact: bool,
        tx: tokio::sync::mpsc::UnboundedSender<Msg>,
    ) {
        let stop = Stop::default();
        if let Ok(mut stops) = self.stops.lock() {
            stops.insert(id, stop.clone());
        }
        let report = |seen: crate::evidence::Watched| {
            let _ = tx.send(Msg::Watched { id, seen });
        };
        match self.watch_plan(&pool, &username).await {
            Ok((evidence, targets, user)) => {
                let mask = crate::evidence::masker(&user, redact);
                evidence
                    .watch(
                        &targets,
                        &crate::evidence::search_terms(&user),
                        since,
                        crate::evidence::WATCH_FOR,
                        crate::evidence::WATCH_EVERY,
                        &stop,
                        |seen| report(seen.masked(&mask)),
                    )
                    .await;
            }
            Err(why) => report(crate::evidence::Watched::Cannot(why)),
        }
        if let Ok(mut stops) = self.stops.lock() {
            stops.remove(&id);
        }
    }

    /// The clients, log groups and user a watch needs.
    async fn watch_plan(
        &self,
        pool: &str,
        username: &str,
    ) -> Result<
        (
            crate::evidence::Evidence,
            Vec<crate::evidence::LogTarget>,
            crate::cognito::User,
        ),
        String,
    > {
        let conn = self.connection(pool).await.map_err(|e| e.message)?;
        let facts = self.facts(&conn).await;
        let settings = facts.pool.as_ref().map_err(|e| e.hint())?;
        let logs = facts.logs.as_ref().map_err(|e| e.hint())?;
        let user = self.user(&conn, username).await.map_err(|e| e.hint())?;
        let targets = crate::evidence::log_targets(settings, logs, &conn.pool.region);
        let evidence = self.evidence(&conn, settings.sns_region.as_deref()).await;
        Ok((evidence, targets, user))
    }

    /// The user as the dialog's fresh look just found them, else as Cognito has them now.
    async fn user(
        &self,
        conn: &Connection,
        username: &str,
    ) -> Result<crate::cognito::User, ApiError> {
        let key = (conn.pool.name.clone(), username.to_string());
        let fetched = self.fetched.lock().ok().and_then(|fetched| {
            fetched
                .get(&key)
                .filter(|(_, at)| at.elapsed() < FETCHED_FOR)
                .map(|(user, _)| user.clone())
        });
        match fetched {
            Some(user) => Ok(user),
            None => conn.api.get_user(username).await,
        }
    }

    /// When this process first claimed a user (a renewal keeps it, so a colleague reads "open
    /// since" the dialog opened).
    fn claimed_since(&self, pool: &str, username: &str) -> chrono::DateTime<chrono::Utc> {
        let now = chrono::Utc::now();
        match self.claims.lock() {
            Ok(mut claims) => *claims
                .entry((pool.to_string(), username.to_string()))
                .or_insert(now),
            Err(_) => now,
        }
    }

    /// The pool's describe answers: from the last `D`, else asked now (and kept).
    async fn facts(&self, conn: &Connection) -> Arc<diagnostics::PoolFacts> {
        let mut cached = conn.facts.lock().await;
        match &*cached {
            Some(facts) => facts.clone(),
            None => {
                let facts = Arc::new(conn.api.pool_facts(&conn.pool.client_id).await);
                *cached = Some(facts.clone());
                facts
            }
        }
    }

    /// What SES, SNS and the delivery logs say of one user: the user looked at again (with
    /// --redact the app holds only masked addresses), the logs read since the last send.
    async fn user_evidence(
        &self,
        conn: &Connection,
        username: &str,
        redact: bool,
    ) -> Vec<diagnostics::Check> {
        let facts = self.facts(conn).await;
        let (Ok(settings), Ok(user)) = (&facts.pool, self.user(conn, username).await) else {
            return Vec::new();
        };
        let now = chrono::Utc::now();
        let case_sensitive = settings.case_sensitive.unwrap_or(false);
        let last = crate::evidence::last_send(
            self.audit.as_ref(),
            &conn.pool.user_pool_id,
            &user.username,
            case_sensitive,
            now,
        );
        self.evidence(conn, settings.sns_region.as_deref())
            .await
            .user_checks(
                settings,
                facts.logs.as_deref(),
                &user,
                redact,
                crate::evidence::Window::since_last_send(last, now),
                Zone::Local,
            )
            .await
    }

    /// The pool's SNS client (in its SMS region), made on first use.
    async fn evidence(
        &self,
        conn: &Connection,
        sns_region: Option<&str>,
    ) -> crate::evidence::Evidence {
        conn.evidence
            .get_or_init(|| async {
                let endpoint = self.overrides_for(&conn.pool.name).endpoint_for(&conn.pool);
                crate::evidence::Evidence::connect(&endpoint, sns_region).await
            })
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
        let conn = Arc::new(Connection {
            api: session::connect(config, &self.overrides_for(pool)).await,
            pool: config.clone(),
            secret: OnceCell::new(),
            case_sensitive: std::sync::Mutex::new(None),
            evidence: OnceCell::new(),
            facts: Mutex::new(None),
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
        let mut session = PoolSession::new(config.clone(), conn.api.clone(), secret.clone());
        // Until the pool has said, the conservative default (one user whatever the case).
        session.case_sensitive = conn
            .case_sensitive
            .lock()
            .ok()
            .and_then(|known| *known)
            .unwrap_or(false);
        Ok(session)
    }
}

/// Writes the CSV (as the headless `list --format csv` makes it) to a new file, never over one.
/// Writes the rows as CSV to a new file (0600), reporting progress; a stop removes the partial
/// file.
fn export(
    path: &str,
    rows: &Snapshot,
    redact: bool,
    stop: &Stop,
    progress: impl Fn(usize),
) -> Result<usize, String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    // Like every file cogtui writes: the rows hold people's addresses.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!("{path} exists: choose another name"),
        _ => format!("cannot write {path}: {e}"),
    })?;
    let written =
        crate::output::write_csv(std::io::BufWriter::new(file), rows.iter(), redact, |done| {
            if done % 65_536 == 0 {
                progress(done);
            }
            !stop.requested()
        });
    match written {
        Ok(Some(n)) => Ok(n),
        Ok(None) => {
            let _ = std::fs::remove_file(path);
            Err(format!("export stopped; the partial {path} was removed"))
        }
        Err(e) => {
            let _ = std::fs::remove_file(path);
            Err(format!("cannot write {path}: {e}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::User;
    use crate::tui::users::UserList;

    fn rows(n: usize) -> Snapshot {
        let mut list = UserList::default();
        list.extend(
            (0..n)
                .map(|i| User {
                    username: format!("user{i}"),
                    status: "UNCONFIRMED".into(),
                    enabled: true,
                    created: None,
                    modified: None,
                    attributes: Default::default(),
                })
                .collect(),
        );
        list.snapshot()
    }

    #[test]
    fn an_export_streams_every_row_to_a_private_file_and_reports_as_it_goes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv").display().to_string();
        let reported = std::cell::RefCell::new(Vec::new());
        let n = export(&path, &rows(70_000), false, &Stop::default(), |done| {
            reported.borrow_mut().push(done)
        });
        assert_eq!(n, Ok(70_000));
        assert_eq!(*reported.borrow(), [0, 65_536]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 70_001, "a header and every row");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Never over a file that exists.
        let again = export(&path, &rows(1), false, &Stop::default(), |_| {});
        assert!(again.unwrap_err().contains("exists: choose another name"));
    }

    #[test]
    fn a_stopped_export_leaves_no_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv").display().to_string();
        let stop = Stop::default();
        // Esc as the first rows go out.
        let result = export(&path, &rows(20_000), false, &stop, |_| stop.request());
        assert!(result.unwrap_err().contains("stopped"));
        assert!(!std::path::Path::new(&path).exists());
    }
}

//! The audit log: what cogtui did to whom, kept across sessions, for one person or a desk.
//!
//! Every action that reaches a user writes two records: its intent before the call and its
//! outcome after, so a crash or a hang mid-call still leaves evidence. A record never holds a
//! secret or a secret hash. Where records go is an [`AuditStore`]: JSON lines in a file a month
//! (`file.rs`: appended whole under an exclusive lock, flushed before the action is reported
//! done), or the desk's DynamoDB table (`dynamo.rs`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Cognito refuses a sixth ResendConfirmationCode for a user within a rolling hour.
pub const RESENDS_PER_HOUR: usize = 5;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Intent,
    Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A message went out (a code, an invitation).
    Sent,
    /// A change was made (a confirmation, an address, a deletion).
    Done,
    Failed,
    /// No answer (timeout, broken connection, server error): it may have happened.
    Unknown,
}

/// Who acted: the OS account, and the AWS principal when STS could say.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Operator {
    pub user: String,
    #[serde(default)]
    pub arn: Option<String>,
}

impl Operator {
    /// Who, as stores compare operators: the AWS principal, else the OS user.
    pub fn key(&self) -> String {
        self.arn.clone().unwrap_or_else(|| self.user.clone())
    }

    /// Who, as a colleague reads it: an assumed role's session name (SSO puts the person's
    /// name there), else the OS user.
    pub fn name(&self) -> String {
        self.arn
            .as_deref()
            .filter(|arn| arn.contains(":assumed-role/"))
            .and_then(|arn| arn.rsplit('/').next())
            .filter(|n| !n.is_empty())
            .map_or_else(|| self.user.clone(), str::to_string)
    }

    /// The OS account running cogtui (the AWS principal is added once STS has answered).
    pub fn from_os() -> Self {
        Self {
            user: whoami::username(),
            arn: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Pairs an outcome with its intent.
    pub id: String,
    pub event: Event,
    pub time: DateTime<Utc>,
    pub operator: Operator,
    pub pool: String,
    pub user_pool_id: String,
    pub username: String,
    pub action: String,
    #[serde(default)]
    pub ticket: Option<String>,
    #[serde(default)]
    pub client_metadata: BTreeMap<String, String>,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    #[serde(default)]
    pub destination: Option<String>,
    #[serde(default)]
    pub delivery_medium: Option<String>,
    #[serde(default)]
    pub attribute_name: Option<String>,
    #[serde(default)]
    pub error_code: Option<String>,
    /// Why (a manual confirmation's reason, a prune's criteria).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What the action changed or chose: `attribute`, `value`, `mediums`, `verified`…
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
    pub version: String,
}

impl Record {
    /// The record as `--redact` shows it: the changed address, the ClientMetadata values and a
    /// username that is itself an address are masked (destinations are masked by Cognito).
    pub fn redacted(mut self) -> Self {
        if let Some(value) = self.details.get_mut("value") {
            *value = if value.contains('@') {
                crate::text::mask_email(value)
            } else {
                crate::text::mask_phone(value)
            };
        }
        for value in self.client_metadata.values_mut() {
            *value = crate::text::mask_name(value);
        }
        self.username = crate::text::redact_username(&self.username).into_owned();
        self
    }
}

#[derive(Debug, thiserror::Error)]
#[error("audit log {}: {source}", path.display())]
pub struct AuditError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// A line that is not a cogtui record (torn by a crash, or written by something else).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file it is in (the log is a file a month).
    pub path: PathBuf,
    pub line: usize,
    pub reason: String,
}

/// How far back the guard and the dialogs look: the hourly limit, the 15 minutes of a bulk run
/// and the dialog's day, with an hour to spare.
pub const RECENT: Duration = Duration::hours(25);

/// How long opening a user claims them (renewed while the dialog is open).
pub const CLAIM_FOR: Duration = Duration::minutes(10);

pub use dynamo::Claim;

/// How far back the UI reads a pool's history (LAST RESEND, the dialogs' History line).
pub const UI_HISTORY: Duration = Duration::days(31);

#[derive(Debug, Clone)]
pub struct AuditLog {
    store: std::sync::Arc<dyn AuditStore>,
}

/// Where the records go: a file a month (one person, or a desk on one machine), or the desk's
/// DynamoDB table. Both answer the same questions, and `tests/team.rs` runs one suite on each.
pub trait AuditStore: std::fmt::Debug + Send + Sync {
    /// Appends one record, whole; a record already there (the same id and event) is not
    /// written twice by the table.
    fn append(&self, record: &Record) -> Result<(), AuditError>;

    /// The records from `since` on (every record without it) that `keep` accepts, oldest
    /// first, and the lines that were skipped.
    fn read_since(
        &self,
        since: Option<DateTime<Utc>>,
        keep: &dyn Fn(&Record) -> bool,
    ) -> Result<(Vec<Record>, Vec<Skipped>), AuditError>;

    /// One user's attempts from `since` on, oldest first (`Jane` and `jane` as one unless the
    /// pool is case-sensitive).
    fn attempts_of(
        &self,
        user_pool_id: &str,
        username: &str,
        case_sensitive: bool,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Attempt>, AuditError>;

    /// Claims a user (see [`AuditLog::claim`]).
    fn claim(
        &self,
        user_pool_id: &str,
        username: &str,
        claim: Claim,
    ) -> Result<Option<Claim>, AuditError>;

    /// Lets go of `operator`'s claim on a user.
    fn release(&self, user_pool_id: &str, username: &str, operator: &str)
    -> Result<(), AuditError>;

    /// Where it is, for messages: the configured path, or `dynamodb:REGION/TABLE`.
    fn location(&self) -> &Path;

    /// The files holding records from `since` on (none for a table).
    fn files(&self, _since: Option<DateTime<Utc>>) -> Vec<PathBuf> {
        Vec::new()
    }

    /// What the operator should know about where the records are (a shared file every user
    /// of the machine can read).
    fn warning(&self) -> Option<String> {
        None
    }

    /// The DynamoDB table, when that is the store.
    fn table(&self) -> Option<&dynamo::Table> {
        None
    }

    /// Every record `keep` accepts, a part at a time (the file store: a month file each), so
    /// that a desk's years are never all in memory; `part` says whether to go on.
    fn for_each_part(
        &self,
        keep: &dyn Fn(&Record) -> bool,
        part: &mut dyn FnMut(Vec<Record>, Vec<Skipped>) -> bool,
    ) -> Result<(), AuditError> {
        let (records, skipped) = self.read_since(None, keep)?;
        part(records, skipped);
        Ok(())
    }
}

impl AuditLog {
    /// The operator's own log, private (0600).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self::file(file::FileStore::new(path.into(), false))
    }

    /// A log the operator named, which a desk may share: its mode is left as it is.
    pub fn shared(path: impl Into<PathBuf>) -> Self {
        Self::file(file::FileStore::new(path.into(), true))
    }

    fn file(store: file::FileStore) -> Self {
        Self {
            store: std::sync::Arc::new(store),
        }
    }

    /// A log over any store (tests put one in front of another).
    #[cfg(test)]
    pub(crate) fn over(store: std::sync::Arc<dyn AuditStore>) -> Self {
        Self { store }
    }

    /// The store under the log.
    #[cfg(test)]
    pub(crate) fn store(&self) -> std::sync::Arc<dyn AuditStore> {
        self.store.clone()
    }

    /// The desk's shared table (`[audit] store = "dynamodb"`).
    pub fn dynamodb(config: &crate::config::AuditTable) -> Self {
        Self {
            store: std::sync::Arc::new(dynamo::Table::open(config)),
        }
    }

    /// The store the config names: `[audit] store = "dynamodb"`, else the file (`audit_log`,
    /// or the platform's data directory).
    pub fn from_config(config: &crate::config::Config) -> Option<Self> {
        match &config.audit {
            Some(table) => Some(Self::dynamodb(table)),
            None => Self::configured(config.audit_log.as_deref()),
        }
    }

    /// The DynamoDB table, when that is the store.
    pub fn table(&self) -> Option<&dynamo::Table> {
        self.store.table()
    }

    /// A store a desk shares on AWS: actions there are refused without an AWS identity.
    pub fn is_desk_table(&self) -> bool {
        self.store.table().is_some()
    }

    /// `audit_log` from the config (shared), else the platform's data directory
    /// (`~/.local/share/cogtui/audit.jsonl` on Linux, private).
    pub fn configured(config_path: Option<&Path>) -> Option<Self> {
        config_path.map(Self::shared).or_else(|| {
            let dirs = directories::ProjectDirs::from("", "", "cogtui")?;
            Some(Self::new(dirs.data_dir().join("audit.jsonl")))
        })
    }

    /// What the operator should know about a shared file: readable by every user of the
    /// machine, not only by the desk's group.
    pub fn warning(&self) -> Option<String> {
        self.store.warning()
    }

    /// The path as configured (the month files sit beside it), or `dynamodb:REGION/TABLE`.
    pub fn path(&self) -> &Path {
        self.store.location()
    }

    /// The files holding records from `since` on, oldest first (none for a table).
    pub fn files(&self, since: Option<DateTime<Utc>>) -> Vec<PathBuf> {
        self.store.files(since)
    }

    /// The file of the month `at` falls in (the file store writes its records there).
    pub fn month_path(&self, at: DateTime<Utc>) -> PathBuf {
        file::month_path(self.store.location(), at)
    }

    /// Appends one record, whole.
    pub fn append(&self, record: &Record) -> Result<(), AuditError> {
        self.store.append(record)
    }

    /// Every record that `keep` accepts, oldest first, and the lines that were skipped. A missing
    /// file is an empty history.
    pub fn read(
        &self,
        keep: impl Fn(&Record) -> bool,
    ) -> Result<(Vec<Record>, Vec<Skipped>), AuditError> {
        self.read_since(None, keep)
    }

    /// The same from the records that can be from `since` on (the files: records before it in
    /// those files come too; callers compare times themselves).
    pub fn read_since(
        &self,
        since: Option<DateTime<Utc>>,
        keep: impl Fn(&Record) -> bool,
    ) -> Result<(Vec<Record>, Vec<Skipped>), AuditError> {
        self.store.read_since(since, &keep)
    }

    /// Every attempt `keep` accepts, oldest first, a part (a month file) at a time: an intent
    /// whose outcome is in a later part waits for it; those with no outcome at all come last.
    pub fn for_each_attempts(
        &self,
        keep: impl Fn(&Record) -> bool,
        mut each: impl FnMut(Vec<Attempt>, Vec<Skipped>) -> std::io::Result<()>,
    ) -> Result<std::io::Result<()>, AuditError> {
        let mut waiting: Vec<Record> = Vec::new();
        let mut written = Ok(());
        self.store.for_each_part(&keep, &mut |records, skipped| {
            let mut batch = std::mem::take(&mut waiting);
            batch.extend(records);
            let (done, open): (Vec<Attempt>, Vec<Attempt>) = attempts(batch)
                .into_iter()
                .partition(|a| a.outcome.is_some());
            waiting = open.into_iter().map(|a| a.intent).collect();
            written = each(done, skipped);
            written.is_ok()
        })?;
        if written.is_ok() && !waiting.is_empty() {
            written = each(attempts(waiting), Vec::new());
        }
        Ok(written)
    }

    /// The attempts on one user of one pool, oldest first; `Jane` and `jane` are one user
    /// unless the pool is case-sensitive. Only what `since` reaches is read (the guard asks
    /// for the last [`RECENT`]).
    pub fn attempts_of(
        &self,
        user_pool_id: &str,
        username: &str,
        case_sensitive: bool,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Attempt>, AuditError> {
        self.store
            .attempts_of(user_pool_id, username, case_sensitive, since)
    }

    /// The attempts on one user of one pool, oldest first (the name as given).
    pub fn attempts_for(
        &self,
        user_pool_id: &str,
        username: &str,
    ) -> Result<(Vec<Attempt>, Vec<Skipped>), AuditError> {
        self.attempts_of(user_pool_id, username, true, None)
            .map(|a| (a, Vec::new()))
    }

    /// Claims a user for `claim.until`: taken when nobody holds them, when the holder's claim
    /// has run out, or when the holder is `claim.operator` (a renewal). `Ok(None)`: ours now;
    /// `Ok(Some(held))`: a colleague's, left as it is. The file store keeps claims in a file
    /// beside the log (`audit-claims.json`): between processes on one machine; the table's
    /// work across the desk.
    pub fn claim(
        &self,
        user_pool_id: &str,
        username: &str,
        claim: Claim,
    ) -> Result<Option<Claim>, AuditError> {
        self.store.claim(user_pool_id, username, claim)
    }

    /// Lets go of `operator`'s claim on a user (a colleague's is left alone).
    pub fn release(
        &self,
        user_pool_id: &str,
        username: &str,
        operator: &str,
    ) -> Result<(), AuditError> {
        self.store.release(user_pool_id, username, operator)
    }

    /// Every attempt on the pool's users, read once and grouped by user (`Jane` and `jane` as one
    /// when the pool is not case-sensitive).
    /// Only the months from `since` are read.
    pub fn by_user(
        &self,
        user_pool_id: &str,
        case_sensitive: bool,
        since: Option<DateTime<Utc>>,
    ) -> Result<UserHistory, AuditError> {
        let (records, _) = self.read_since(since, |r| r.user_pool_id == user_pool_id)?;
        Ok(UserHistory::new(attempts(records), case_sensitive))
    }
}

/// One pool's attempts by user, compared as the pool compares usernames (`Jane` and `jane` as
/// one unless the pool is case-sensitive). Built once from the log (on another thread in the
/// UI), then asked per user.
#[derive(Debug, Default)]
pub struct UserHistory {
    case_sensitive: bool,
    by_user: HashMap<String, Vec<Attempt>>,
    /// The users (keyed alike) with a resend, and their names as recorded: the UI's LAST
    /// RESEND column shows once a loaded user has one.
    resent: HashSet<String>,
    resent_names: HashSet<String>,
}

impl UserHistory {
    pub fn new(attempts: Vec<Attempt>, case_sensitive: bool) -> Self {
        let mut history = Self {
            case_sensitive,
            ..Self::default()
        };
        for attempt in attempts {
            let key = history.key(&attempt.intent.username).into_owned();
            if attempt.intent.action == crate::ops::ActionName::Resend.as_str() {
                history.resent.insert(key.clone());
                history.resent_names.insert(attempt.intent.username.clone());
            }
            history.by_user.entry(key).or_default().push(attempt);
        }
        history
    }

    fn key<'a>(&self, username: &'a str) -> std::borrow::Cow<'a, str> {
        if self.case_sensitive {
            username.into()
        } else {
            username.to_lowercase().into()
        }
    }

    /// Every attempt held, user by user.
    pub fn attempts(&self) -> impl Iterator<Item = &Attempt> {
        self.by_user.values().flatten()
    }

    /// The attempts on this user, oldest first.
    pub fn of(&self, username: &str) -> &[Attempt] {
        self.by_user
            .get(&*self.key(username))
            .map_or(&[], Vec::as_slice)
    }

    /// The same, owned.
    pub fn get(&self, username: &str) -> Vec<Attempt> {
        self.of(username).to_vec()
    }

    pub fn has_resend(&self, username: &str) -> bool {
        self.resent.contains(&*self.key(username))
    }

    /// Whether one of `names` has a resend, over the smaller of the two sides.
    pub fn any_resend_among<'a>(
        &self,
        count: usize,
        names: impl Iterator<Item = &'a str>,
        contains: impl Fn(&str) -> bool,
    ) -> bool {
        if self.resent_names.len() <= count {
            self.resent_names.iter().any(|name| contains(name))
        } else {
            names.into_iter().any(|name| self.has_resend(name))
        }
    }

    /// Its parts, to free a batch at a time elsewhere.
    pub fn into_parts(
        self,
    ) -> (
        HashMap<String, Vec<Attempt>>,
        impl Iterator<Item = String> + Send,
    ) {
        (
            self.by_user,
            self.resent.into_iter().chain(self.resent_names),
        )
    }
}

/// A new record id: unique across processes and machines sharing the file.
pub fn new_id(now: DateTime<Utc>) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}-{}",
        now.timestamp_micros(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// One action as the history tells it: its intent, and its outcome once one was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub intent: Record,
    pub outcome: Option<Record>,
}

impl Attempt {
    /// When it was done: the answer's time, or the intent's when there is no answer.
    pub fn at(&self) -> DateTime<Utc> {
        self.outcome.as_ref().unwrap_or(&self.intent).time
    }

    /// `None` while no outcome was written (still running, or the process died mid-call).
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome.as_ref().and_then(|o| o.outcome)
    }

    /// Sent, or perhaps sent: what Cognito's hourly limit counts.
    pub fn may_have_sent(&self) -> bool {
        !matches!(self.outcome(), Some(Outcome::Failed))
    }

    pub fn record(&self) -> &Record {
        self.outcome.as_ref().unwrap_or(&self.intent)
    }
}

/// Pairs outcomes with their intents; an outcome whose intent is missing stands alone.
pub fn attempts(records: Vec<Record>) -> Vec<Attempt> {
    let mut out: Vec<Attempt> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for record in records {
        match record.event {
            Event::Intent => {
                by_id.insert(record.id.clone(), out.len());
                out.push(Attempt {
                    intent: record,
                    outcome: None,
                });
            }
            Event::Outcome => match by_id.get(&record.id) {
                Some(&at) if out[at].outcome.is_none() => out[at].outcome = Some(record),
                _ => out.push(Attempt {
                    intent: record.clone(),
                    outcome: Some(record),
                }),
            },
        }
    }
    out.sort_by_key(Attempt::at);
    out
}

/// The resends within the rolling hour before `now` that count against Cognito's limit.
pub fn resends_within(attempts: &[Attempt], now: DateTime<Utc>, window: Duration) -> Vec<&Attempt> {
    attempts
        .iter()
        .filter(|a| {
            a.intent.action == crate::ops::ActionName::Resend.as_str()
                && a.may_have_sent()
                && now - a.at() < window
        })
        .collect()
}

/// When Cognito will take the next resend, if the last hour already holds five.
pub fn hourly_limit_until(attempts: &[Attempt], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let recent = resends_within(attempts, now, Duration::hours(1));
    (recent.len() >= RESENDS_PER_HOUR)
        .then(|| recent[recent.len() - RESENDS_PER_HOUR].at() + Duration::hours(1))
}

/// "14:02 T-41 (alice) → j***@e***.com" (with the date when it was not today).
pub fn summary(attempt: &Attempt, now: DateTime<Utc>, zone: crate::time::Zone) -> String {
    let record = attempt.record();
    let at = attempt.at();
    let same_day = zone.format(at, "%F") == zone.format(now, "%F");
    let mut text = zone.format(at, if same_day { "%H:%M" } else { "%F %H:%M" });
    if let Some(ticket) = &attempt.intent.ticket {
        text.push(' ');
        text.push_str(&crate::text::sanitize(ticket));
    }
    text.push_str(&format!(
        " ({})",
        crate::text::sanitize(&record.operator.name())
    ));
    match (attempt.outcome(), &record.destination) {
        (Some(Outcome::Sent), Some(dest)) => {
            text.push_str(&format!(" → {}", crate::text::sanitize(dest)))
        }
        (Some(Outcome::Sent), None) => text.push_str(" sent"),
        (Some(Outcome::Done), _) => text.push_str(&format!(" {} done", record.action)),
        (Some(Outcome::Failed), _) => text.push_str(&format!(
            " failed: {}",
            crate::text::sanitize(record.error_code.as_deref().unwrap_or("error"))
        )),
        (Some(Outcome::Unknown), _) => text.push_str(" no answer (may have been sent)"),
        (None, _) => text.push_str(" no outcome recorded (may have been sent)"),
    }
    text
}

pub mod dynamo;
pub mod file;

#[cfg(test)]
mod tests;

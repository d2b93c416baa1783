//! The audit log: what cogtui did to whom, one JSON object per line, kept across sessions.
//!
//! Every action that reaches a user writes two records: its intent before the call and its
//! outcome after, so a crash or a hang mid-call still leaves evidence. Records are appended whole
//! under an exclusive file lock and flushed to disk before the action is reported done, so two
//! cogtui processes (or a team sharing one file) never interleave lines. Nothing else opens the
//! file. A record never holds a secret or a secret hash.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
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
    path: PathBuf,
    /// A file the operator named (`audit_log`), perhaps a desk's shared one: created readable
    /// and writable by the group, and never chmod-ed (a colleague's file cannot be, and a
    /// private one would lock the desk out). The default file is the operator's own: 0600.
    shared: bool,
    /// `[audit] store = "dynamodb"`: the desk's table instead of files.
    table: Option<std::sync::Arc<dynamo::Table>>,
}

impl AuditLog {
    /// The operator's own log, private (0600).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            shared: false,
            table: None,
        }
    }

    /// The desk's shared table (`[audit] store = "dynamodb"`).
    pub fn dynamodb(config: &crate::config::AuditTable) -> Self {
        Self {
            path: PathBuf::from(format!("dynamodb:{}/{}", config.region, config.table)),
            shared: true,
            table: Some(std::sync::Arc::new(dynamo::Table::open(config))),
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
        self.table.as_deref()
    }

    /// A store a desk shares on AWS: actions there are refused without an AWS identity.
    pub fn is_desk_table(&self) -> bool {
        self.table.is_some()
    }

    fn store_error(&self, e: dynamo::StoreError) -> AuditError {
        AuditError {
            path: self.path.clone(),
            source: std::io::Error::other(e.0),
        }
    }

    /// A log the operator named, which a desk may share: its mode is left as it is.
    pub fn shared(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            shared: true,
            table: None,
        }
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
        if self.table.is_some() {
            return None;
        }
        #[cfg(unix)]
        if self.shared {
            use std::os::unix::fs::PermissionsExt;
            // The newest file: the one being written.
            let path = self.files(None).pop()?;
            let mode = std::fs::metadata(&path).ok()?.permissions().mode();
            if mode & 0o004 != 0 {
                return Some(format!(
                    "the audit log {} is readable by every user of this machine (mode {:o}): \
                     `chmod o-rwx` it, so only the desk's group reads who was sent what",
                    path.display(),
                    mode & 0o777
                ));
            }
        }
        None
    }

    /// The path as configured: the month files sit beside it (`audit-2026-12.jsonl`), and a
    /// file at this very path (from before the log was kept by month) is read as the oldest.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file of the month `at` falls in: records are written there, so a question about the
    /// last day reads a month or two, however old the desk.
    pub fn month_path(&self, at: DateTime<Utc>) -> PathBuf {
        self.path.with_file_name(format!(
            "{}-{}.{}",
            self.stem(),
            at.format("%Y-%m"),
            self.extension()
        ))
    }

    fn stem(&self) -> String {
        self.path
            .file_stem()
            .map_or_else(|| "audit".into(), |s| s.to_string_lossy().into_owned())
    }

    fn extension(&self) -> String {
        self.path
            .extension()
            .map_or_else(|| "jsonl".into(), |s| s.to_string_lossy().into_owned())
    }

    /// The files holding records from `since` on (every file without it), oldest first: the
    /// file from before months (when it was written to since), then the months.
    pub fn files(&self, since: Option<DateTime<Utc>>) -> Vec<PathBuf> {
        let mut files = Vec::new();
        if self.table.is_some() {
            return files;
        }
        if let Ok(meta) = std::fs::metadata(&self.path) {
            let written = meta.modified().ok().map(DateTime::<Utc>::from);
            if since.is_none_or(|since| written.is_none_or(|w| w >= since)) {
                files.push(self.path.clone());
            }
        }
        let (stem, ext) = (self.stem(), self.extension());
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let first = since.map(|s| s.format("%Y-%m").to_string());
        let mut months: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let month = name
                    .strip_prefix(&format!("{stem}-"))?
                    .strip_suffix(&format!(".{ext}"))?
                    .to_string();
                // YYYY-MM and nothing else.
                let valid = month.len() == 7
                    && month.as_bytes()[4] == b'-'
                    && month.chars().filter(char::is_ascii_digit).count() == 6;
                (valid && first.as_ref().is_none_or(|f| month >= *f)).then(|| (month, entry.path()))
            })
            .collect();
        months.sort();
        files.extend(months.into_iter().map(|(_, p)| p));
        files
    }

    fn error(&self, source: std::io::Error) -> AuditError {
        AuditError {
            path: self.path.clone(),
            source,
        }
    }

    /// Appends one record, whole, under an exclusive lock, and flushes it to disk.
    pub fn append(&self, record: &Record) -> Result<(), AuditError> {
        if let Some(table) = &self.table {
            return table.append(record).map_err(|e| self.store_error(e));
        }
        let path = self.month_path(record.time);
        let mut line = serde_json::to_vec(record).map_err(|e| self.error(e.into()))?;
        line.push(b'\n');
        if let Some(dir) = self.path.parent()
            && !dir.as_os_str().is_empty()
            && !dir.exists()
        {
            if self.shared {
                std::fs::create_dir_all(dir)
            } else {
                crate::logging::create_private_dir(dir)
            }
            .map_err(|e| self.error(e))?;
        }
        let mut file = if self.shared {
            open_shared(&path)
        } else {
            crate::logging::open_private_rw(&path)
        }
        .map_err(|e| self.error(e))?;
        // Said in the log from the file just opened (no listing of the folder on every write).
        #[cfg(unix)]
        if self.shared
            && let Ok(meta) = file.metadata()
            && std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o004 != 0
        {
            tracing::warn!(path = %path.display(), "the audit log is readable by every user of this machine");
        }
        file.lock().map_err(|e| self.error(e))?;
        let written = append_line(&mut file, &line);
        // Unlocking is also what closing the file does; an error here changes nothing.
        let _ = file.unlock();
        written.map_err(|e| self.error(e))
    }

    /// Every record that `keep` accepts, oldest first, and the lines that were skipped. A missing
    /// file is an empty history.
    pub fn read(
        &self,
        keep: impl Fn(&Record) -> bool,
    ) -> Result<(Vec<Record>, Vec<Skipped>), AuditError> {
        self.read_since(None, keep)
    }

    /// The same from the files that can hold records from `since` on (the records before it
    /// in those files come too: callers compare times themselves).
    pub fn read_since(
        &self,
        since: Option<DateTime<Utc>>,
        keep: impl Fn(&Record) -> bool,
    ) -> Result<(Vec<Record>, Vec<Skipped>), AuditError> {
        if let Some(table) = &self.table {
            let records = table
                .records_since(since)
                .map_err(|e| self.store_error(e))?;
            return Ok((
                records.into_iter().filter(|r| keep(r)).collect(),
                Vec::new(),
            ));
        }
        let mut records = Vec::new();
        let mut skipped = Vec::new();
        for path in self.files(since) {
            self.read_file(&path, &|_: &[u8]| true, &keep, &mut records, &mut skipped)?;
        }
        for s in &skipped {
            tracing::warn!(path = %s.path.display(), line = s.line, reason = %s.reason, "audit log line skipped");
        }
        Ok((records, skipped))
    }

    /// Reads one file: a line `wanted` says no to is not parsed at all (the guard's question
    /// about one user reads a month of a desk's records in milliseconds).
    fn read_file(
        &self,
        path: &Path,
        wanted: &dyn Fn(&[u8]) -> bool,
        keep: &impl Fn(&Record) -> bool,
        records: &mut Vec<Record>,
        skipped: &mut Vec<Skipped>,
    ) -> Result<(), AuditError> {
        let error = |source| AuditError {
            path: path.to_path_buf(),
            source,
        };
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(error(e)),
        };
        file.lock_shared().map_err(error)?;
        for (index, line) in BufReader::new(&file).split(b'\n').enumerate() {
            let line = line.map_err(error)?;
            if line.iter().all(u8::is_ascii_whitespace) || !wanted(&line) {
                continue;
            }
            match serde_json::from_slice::<Record>(&line) {
                Ok(record) if keep(&record) => records.push(record),
                Ok(_) => {}
                Err(e) => skipped.push(Skipped {
                    path: path.to_path_buf(),
                    line: index + 1,
                    reason: e.to_string(),
                }),
            }
        }
        let _ = file.unlock();
        Ok(())
    }

    /// The attempts on one user of one pool, oldest first; `Jane` and `jane` are one user
    /// unless the pool is case-sensitive.
    /// Only the months from `since` are read (the guard asks for the last [`RECENT`]).
    pub fn attempts_of(
        &self,
        user_pool_id: &str,
        username: &str,
        case_sensitive: bool,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Attempt>, AuditError> {
        if let Some(table) = &self.table {
            // One query: the user's partition holds every case of the name.
            let records = table
                .user_records(user_pool_id, username, since)
                .map_err(|e| self.store_error(e))?;
            return Ok(attempts(
                records
                    .into_iter()
                    .filter(|r| r.user_pool_id == user_pool_id)
                    .filter(|r| !case_sensitive || r.username == username)
                    .collect(),
            ));
        }
        let wanted = username.to_lowercase();
        let line_wanted = line_names(username, case_sensitive);
        let mut records = Vec::new();
        let mut skipped = Vec::new();
        for path in self.files(since) {
            self.read_file(
                &path,
                &|line: &[u8]| line_wanted(line),
                &|r: &Record| {
                    r.user_pool_id == user_pool_id
                        && if case_sensitive {
                            r.username == username
                        } else {
                            r.username.to_lowercase() == wanted
                        }
                },
                &mut records,
                &mut skipped,
            )?;
        }
        for s in &skipped {
            tracing::warn!(path = %s.path.display(), line = s.line, reason = %s.reason, "audit log line skipped");
        }
        Ok(attempts(records))
    }

    /// The attempts on one user of one pool, oldest first.
    pub fn attempts_for(
        &self,
        user_pool_id: &str,
        username: &str,
    ) -> Result<(Vec<Attempt>, Vec<Skipped>), AuditError> {
        if self.table.is_some() {
            return self
                .attempts_of(user_pool_id, username, true, None)
                .map(|a| (a, Vec::new()));
        }
        let (records, skipped) =
            self.read(|r| r.user_pool_id == user_pool_id && r.username == username)?;
        Ok((attempts(records), skipped))
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

impl AuditLog {
    /// Claims a user for `claim.until`: taken when nobody holds them, when the holder's claim
    /// has run out, or when the holder is `claim.operator` (a renewal). `Ok(None)`: ours now;
    /// `Ok(Some(held))`: a colleague's, left as it is. The file store keeps claims in a file
    /// beside the log (`audit-claims.json`), under the same lock discipline: claims work between
    /// processes on one machine; the table's work across the desk.
    pub fn claim(
        &self,
        user_pool_id: &str,
        username: &str,
        claim: Claim,
    ) -> Result<Option<Claim>, AuditError> {
        if let Some(table) = &self.table {
            return table
                .claim(user_pool_id, username, claim)
                .map_err(|e| self.store_error(e));
        }
        let key = format!("{user_pool_id}#{}", username.to_lowercase());
        self.with_claims(|claims| {
            let now = Utc::now();
            match claims.get(&key) {
                Some(held) if held.until > now && held.operator != claim.operator => {
                    Some(held.clone())
                }
                _ => {
                    claims.insert(key.clone(), claim.clone());
                    None
                }
            }
        })
    }

    /// Lets go of `operator`'s claim on a user (a colleague's is left alone).
    pub fn release(
        &self,
        user_pool_id: &str,
        username: &str,
        operator: &str,
    ) -> Result<(), AuditError> {
        if let Some(table) = &self.table {
            return table
                .release(user_pool_id, username, operator)
                .map_err(|e| self.store_error(e));
        }
        let key = format!("{user_pool_id}#{}", username.to_lowercase());
        self.with_claims(|claims| {
            if claims.get(&key).is_some_and(|c| c.operator == operator) {
                claims.remove(&key);
            }
        })
    }

    /// Reads, changes and writes the claims file under an exclusive lock; claims run out are
    /// dropped on the way.
    fn with_claims<T>(
        &self,
        change: impl FnOnce(&mut BTreeMap<String, Claim>) -> T,
    ) -> Result<T, AuditError> {
        let path = self
            .path
            .with_file_name(format!("{}-claims.json", self.stem()));
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
            && !dir.exists()
        {
            if self.shared {
                std::fs::create_dir_all(dir)
            } else {
                crate::logging::create_private_dir(dir)
            }
            .map_err(|e| self.error(e))?;
        }
        let mut file = if self.shared {
            open_shared(&path)
        } else {
            crate::logging::open_private_rw(&path)
        }
        .map_err(|e| self.error(e))?;
        file.lock().map_err(|e| self.error(e))?;
        let result = (|| {
            let mut text = String::new();
            file.seek(SeekFrom::Start(0))?;
            file.read_to_string(&mut text)?;
            let mut claims: BTreeMap<String, Claim> =
                serde_json::from_str(&text).unwrap_or_default();
            let now = Utc::now();
            claims.retain(|_, c| c.until > now);
            let answer = change(&mut claims);
            let json = serde_json::to_vec(&claims).map_err(std::io::Error::other)?;
            file.set_len(0)?;
            file.seek(SeekFrom::Start(0))?;
            file.write_all(&json)?;
            file.sync_data()?;
            Ok(answer)
        })();
        let _ = file.unlock();
        result.map_err(|e| self.error(e))
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

/// Whether a line can be a record of `username`, without parsing it: the raw `"username"`
/// value compared (ASCII case folded unless the pool is case-sensitive). A name JSON would
/// escape, or one outside ASCII (whose case folding is Unicode's), lets every line through
/// to the parser.
fn line_names(username: &str, case_sensitive: bool) -> impl Fn(&[u8]) -> bool + use<> {
    let plain = username.is_ascii()
        && !username
            .bytes()
            .any(|b| b == b'"' || b == b'\\' || b < 0x20);
    let needle = format!("\"username\":\"{username}\"").into_bytes();
    let finder = memchr::memmem::Finder::new(b"\"username\":\"").into_owned();
    move |line: &[u8]| {
        if !plain {
            return true;
        }
        let Some(at) = finder.find(line) else {
            return true;
        };
        let Some(field) = line.get(at..at + needle.len()) else {
            return false;
        };
        if case_sensitive {
            field == needle.as_slice()
        } else {
            field.eq_ignore_ascii_case(&needle)
        }
    }
}

/// A shared log: created readable and writable by the owner and the group (the umask has the
/// last word), an existing one opened as it is.
fn open_shared(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true).read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o660);
    }
    options.open(path)
}

/// A torn last line (a crash mid-write by an older or foreign writer) gets its line ended first,
/// so the new record stays a line of its own.
fn append_line(file: &mut File, line: &[u8]) -> std::io::Result<()> {
    let len = file.seek(SeekFrom::End(0))?;
    if len > 0 {
        file.seek(SeekFrom::End(-1))?;
        let mut last = [0u8; 1];
        file.read_exact(&mut last)?;
        file.seek(SeekFrom::End(0))?;
        if last[0] != b'\n' {
            file.write_all(b"\n")?;
        }
    }
    file.write_all(line)?;
    file.sync_data()
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

#[cfg(test)]
mod tests;

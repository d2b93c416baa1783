//! The file store: JSON lines, a file a month, appended whole under an exclusive lock; claims
//! in a locked file beside it (between processes on one machine).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::{Attempt, AuditError, Claim, Record, Skipped, attempts};

#[derive(Debug, Clone)]
pub struct FileStore {
    path: PathBuf,
    /// A file the operator named (`audit_log`), perhaps a desk's shared one: created readable
    /// and writable by the group, and never chmod-ed (a colleague's file cannot be, and a
    /// private one would lock the desk out). The default file is the operator's own: 0600.
    shared: bool,
}

/// Lines that are not records go to the log file (callers that print say so themselves).
fn log_skipped(skipped: &[Skipped]) {
    for s in skipped {
        tracing::warn!(path = %s.path.display(), line = s.line, reason = %s.reason, "audit log line skipped");
    }
}

/// The file of the month `at` falls in, beside the configured `path` (`audit-2026-12.jsonl`).
pub fn month_path(path: &Path, at: DateTime<Utc>) -> PathBuf {
    path.with_file_name(format!(
        "{}-{}.{}",
        stem(path),
        at.format("%Y-%m"),
        extension(path)
    ))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "audit".into(), |s| s.to_string_lossy().into_owned())
}

fn extension(path: &Path) -> String {
    path.extension()
        .map_or_else(|| "jsonl".into(), |s| s.to_string_lossy().into_owned())
}

impl super::AuditStore for FileStore {
    fn append(&self, record: &Record) -> Result<(), AuditError> {
        FileStore::append(self, record)
    }

    fn read_since(
        &self,
        since: Option<DateTime<Utc>>,
        keep: &dyn Fn(&Record) -> bool,
    ) -> Result<(Vec<Record>, Vec<Skipped>), AuditError> {
        FileStore::read_since(self, since, keep)
    }

    fn attempts_of(
        &self,
        user_pool_id: &str,
        username: &str,
        case_sensitive: bool,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Attempt>, AuditError> {
        FileStore::attempts_of(self, user_pool_id, username, case_sensitive, since)
    }

    fn claim(
        &self,
        user_pool_id: &str,
        username: &str,
        claim: Claim,
    ) -> Result<Option<Claim>, AuditError> {
        FileStore::claim(self, user_pool_id, username, claim)
    }

    fn release(
        &self,
        user_pool_id: &str,
        username: &str,
        operator: &str,
    ) -> Result<(), AuditError> {
        FileStore::release(self, user_pool_id, username, operator)
    }

    fn location(&self) -> &Path {
        &self.path
    }

    fn files(&self, since: Option<DateTime<Utc>>) -> Vec<PathBuf> {
        FileStore::files(self, since)
    }

    fn warning(&self) -> Option<String> {
        FileStore::warning(self)
    }

    fn for_each_part(
        &self,
        keep: &dyn Fn(&Record) -> bool,
        part: &mut dyn FnMut(Vec<Record>, Vec<Skipped>) -> bool,
    ) -> Result<(), AuditError> {
        for path in FileStore::files(self, None) {
            let (mut records, mut skipped) = (Vec::new(), Vec::new());
            self.read_file(&path, &|_: &[u8]| true, &keep, &mut records, &mut skipped)?;
            if !part(records, skipped) {
                break;
            }
        }
        Ok(())
    }
}

impl FileStore {
    pub fn new(path: PathBuf, shared: bool) -> Self {
        Self { path, shared }
    }

    /// What the operator should know about a shared file: readable by every user of the
    /// machine, not only by the desk's group.
    pub fn warning(&self) -> Option<String> {
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
        month_path(&self.path, at)
    }

    fn stem(&self) -> String {
        stem(&self.path)
    }

    fn extension(&self) -> String {
        extension(&self.path)
    }

    /// The files holding records from `since` on (every file without it), oldest first: the
    /// file from before months (when it was written to since), then the months.
    pub fn files(&self, since: Option<DateTime<Utc>>) -> Vec<PathBuf> {
        let mut files = Vec::new();
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

    /// Opens (creating) a file of the store beside the configured path: the folder and the file
    /// private for the operator's own log, group-writable for a named one.
    fn open(&self, path: &Path) -> Result<File, AuditError> {
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
        if self.shared {
            open_shared(path)
        } else {
            crate::logging::open_private_rw(path)
        }
        .map_err(|e| self.error(e))
    }

    /// Appends one record, whole, under an exclusive lock, and flushes it to disk.
    pub fn append(&self, record: &Record) -> Result<(), AuditError> {
        let path = self.month_path(record.time);
        let mut line = serde_json::to_vec(record).map_err(|e| self.error(e.into()))?;
        line.push(b'\n');
        let mut file = self.open(&path)?;
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

    /// The same from the files that can hold records from `since` on (the records before it
    /// in those files come too: callers compare times themselves).
    pub fn read_since(
        &self,
        since: Option<DateTime<Utc>>,
        keep: impl Fn(&Record) -> bool,
    ) -> Result<(Vec<Record>, Vec<Skipped>), AuditError> {
        let mut records = Vec::new();
        let mut skipped = Vec::new();
        for path in self.files(since) {
            self.read_file(&path, &|_: &[u8]| true, &keep, &mut records, &mut skipped)?;
        }
        log_skipped(&skipped);
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
        log_skipped(&skipped);
        Ok(attempts(records))
    }

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
        let mut file = self.open(&path)?;
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
}

/// Whether a line can be a record of `username`, without parsing it: the raw `"username"`
/// value compared (ASCII case folded unless the pool is case-sensitive). A name JSON would
/// escape, or one outside ASCII (whose case folding is Unicode's), lets every line through
/// to the parser.
pub(super) fn line_names(username: &str, case_sensitive: bool) -> impl Fn(&[u8]) -> bool + use<> {
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

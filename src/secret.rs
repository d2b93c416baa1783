//! Client secrets: where they come from, and a type that never prints them.

use std::fmt;
use std::path::PathBuf;

/// Where a pool's app client secret comes from. The config file only ever names the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// The app client has no secret.
    None,
    Env(String),
    File {
        path: PathBuf,
        line: usize,
    },
    /// Read with DescribeUserPoolClient when connecting.
    Fetch,
}

/// A client secret. `Debug` and `Display` print a placeholder, so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(<redacted>)")
    }
}

impl fmt::Display for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("environment variable {var} is not set or is empty")]
    EnvMissing { var: String },
    #[error("cannot read {}: {reason}", path.display())]
    Unreadable { path: PathBuf, reason: String },
    #[error(
        "{} is readable by group or others (mode {mode:o}): run chmod 600 on it",
        path.display()
    )]
    TooOpen { path: PathBuf, mode: u32 },
    #[error("{} is empty", path.display())]
    EmptyFile { path: PathBuf },
}

impl SecretError {
    /// The config key the error is about, for messages that name file, line and key.
    pub fn key(&self) -> &'static str {
        match self {
            SecretError::EnvMissing { .. } => "client_secret_env",
            _ => "client_secret_file",
        }
    }
}

/// Reads a secret from the environment or a file; `Fetch` and `None` give `Ok(None)` here.
pub fn read_local(
    source: &SecretSource,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<ClientSecret>, SecretError> {
    match source {
        SecretSource::None | SecretSource::Fetch => Ok(None),
        SecretSource::Env(var) => env(var)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .map(|v| Some(ClientSecret(v)))
            .ok_or_else(|| SecretError::EnvMissing { var: var.clone() }),
        SecretSource::File { path, .. } => read_file(path).map(Some),
    }
}

fn read_file(path: &PathBuf) -> Result<ClientSecret, SecretError> {
    let unreadable = |e: std::io::Error| SecretError::Unreadable {
        path: path.clone(),
        reason: e.to_string(),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(unreadable)?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(SecretError::TooOpen {
                path: path.clone(),
                mode: mode & 0o777,
            });
        }
    }
    let text = std::fs::read_to_string(path).map_err(unreadable)?;
    let secret = text.trim();
    if secret.is_empty() {
        return Err(SecretError::EmptyFile { path: path.clone() });
    }
    Ok(ClientSecret(secret.to_string()))
}

//! `cogtui init`: a config from the operator's AWS credentials, without the console.
//!
//! The pool and its app client are listed (ListUserPools, ListUserPoolClients) and picked, or
//! given as flags for scripts; DescribeUserPoolClient tells whether the client has a secret,
//! and the operator says where it will come from. The secret itself is never read into the
//! config nor written anywhere. What is written is checked by the same parser that reads it.

use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError};

/// Where the app client's secret comes from, when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretFrom {
    /// `client_secret_env = "VAR"`.
    Env(String),
    /// `client_secret_file = "PATH"`.
    File(String),
    /// `fetch_client_secret = true` (DescribeUserPoolClient at each start).
    Fetch,
}

impl SecretFrom {
    /// `env:VAR`, `file:PATH` or `fetch` (`--secret-from`).
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.split_once(':') {
            Some(("env", var)) if valid_env_name(var) => Ok(Self::Env(var.to_string())),
            Some(("env", _)) => Err("env:NAME needs a variable name (letters, digits, _)".into()),
            Some(("file", path)) if !path.trim().is_empty() => Ok(Self::File(path.to_string())),
            _ if text == "fetch" => Ok(Self::Fetch),
            _ => Err(format!("\"{text}\": use env:VARIABLE, file:PATH or fetch")),
        }
    }

    /// The ways offered to the operator for the pool `name`, with their config lines.
    pub fn choices(name: &str) -> [SecretFrom; 3] {
        [
            SecretFrom::Env(default_env_var(name)),
            SecretFrom::File(format!("~/.config/cogtui/{name}.secret")),
            SecretFrom::Fetch,
        ]
    }

    /// How the picker names it.
    pub fn describe(&self) -> String {
        match self {
            SecretFrom::Env(var) => format!("from the environment variable {var}"),
            SecretFrom::File(path) => format!("from a file only you can read: {path}"),
            SecretFrom::Fetch => {
                "fetched from Cognito at each start (needs cognito-idp:DescribeUserPoolClient)"
                    .into()
            }
        }
    }
}

fn valid_env_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

/// `COGTUI_PROD_SECRET` for the pool `prod`.
pub fn default_env_var(name: &str) -> String {
    let upper: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("COGTUI_{upper}_SECRET")
}

/// A name for the pool in the config, from its name in Cognito: `Prod Users` → `prod-users`.
pub fn pool_name(cognito_name: &str) -> String {
    let mut name = String::new();
    for c in cognito_name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-').to_string();
    if name.is_empty() {
        "default".into()
    } else {
        name
    }
}

/// What `init` found and was told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choices {
    /// The pool's name in the config.
    pub name: String,
    pub user_pool_id: String,
    /// The pool's and the client's names in Cognito, for the comment.
    pub pool_label: String,
    pub client_id: String,
    pub client_label: String,
    pub region: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// `None`: no secret. `Some(None)`: whether there is one is unknown (the describe call was
    /// denied).
    pub secret: Option<Option<SecretFrom>>,
}

fn quoted(value: &str) -> String {
    // TOML basic string: the few characters that need escaping.
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text from Cognito made safe for a comment line (no line breaks or control characters).
fn in_comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The `[pools.NAME]` table, commented like config.example.toml.
pub fn pool_table(c: &Choices) -> String {
    let (pool_label, client_label) = (in_comment(&c.pool_label), in_comment(&c.client_label));
    let mut t = String::new();
    t.push_str(&format!("[pools.{}]\n", c.name));
    t.push_str(&format!(
        "# {} ({}), app client {}.\n",
        if pool_label.is_empty() {
            "The pool"
        } else {
            &pool_label
        },
        c.user_pool_id,
        if client_label.is_empty() {
            c.client_id.clone()
        } else {
            format!("\"{client_label}\"")
        }
    ));
    t.push_str(&format!("user_pool_id = {}\n", quoted(&c.user_pool_id)));
    t.push_str(&format!("client_id = {}\n", quoted(&c.client_id)));
    t.push_str(&format!("region = {}\n", quoted(&c.region)));
    match &c.profile {
        Some(p) => t.push_str(&format!(
            "# The AWS profile cogtui signs with for this pool (SSO profiles work).\nprofile = {}\n",
            quoted(p)
        )),
        None => t.push_str(
            "# Optional. The AWS profile to sign with (SSO profiles work); default: the usual chain.\n# profile = \"support\"\n",
        ),
    }
    if let Some(url) = &c.endpoint_url {
        t.push_str(&format!(
            "# Not AWS: the endpoint given to init (an emulator).\nendpoint_url = {}\n",
            quoted(url)
        ));
    }
    match &c.secret {
        None => t.push_str("# The app client has no secret: no secret hash is needed.\n"),
        Some(None) => t.push_str(
            "# Whether the app client has a secret could not be read (DescribeUserPoolClient was\n\
             # denied). If it has one, say where it comes from, one of:\n\
             # client_secret_env = \"COGTUI_SECRET\"\n\
             # client_secret_file = \"~/.config/cogtui/pool.secret\"\n",
        ),
        Some(Some(from)) => {
            t.push_str(
                "# The app client has a secret; cogtui computes the secret hash from it. The\n\
                 # secret is never written here.\n",
            );
            t.push_str(&match from {
                SecretFrom::Env(var) => format!("client_secret_env = {}\n", quoted(var)),
                SecretFrom::File(path) => format!("client_secret_file = {}\n", quoted(path)),
                SecretFrom::Fetch => "fetch_client_secret = true\n".into(),
            });
        }
    }
    t.push_str(
        "# Optional. ClientMetadata for the custom-message Lambda, the Ticket field's key, pacing,\n\
         # read_only: see config.example.toml.\n\
         # ticket_metadata_key = \"ticket\"\n\
         # read_only = false\n",
    );
    t
}

/// A whole new config with one pool.
pub fn new_config(c: &Choices, today: &str) -> String {
    format!(
        "# Written by `cogtui init` on {today}. config.example.toml documents every key.\n\
         default_pool = {}\n\
         # Optional. Where the history of sends goes (default: the platform's data directory).\n\
         # audit_log = \"~/cogtui-audit.jsonl\"\n\n{}",
        quoted(&c.name),
        pool_table(c)
    )
}

/// An existing config with one more pool.
pub fn with_pool(existing: &str, c: &Choices) -> String {
    let mut text = existing.trim_end().to_string();
    text.push_str("\n\n");
    text.push_str(&pool_table(c));
    text
}

/// How to write: a new file, one more pool in the file, or over it (keeping a `.bak`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    New,
    Add,
    Replace,
}

/// What may be done at `path` given the flags: a config that exists is never overwritten
/// without `--force`.
pub fn mode(path: &Path, add: bool, force: bool) -> Result<Mode, String> {
    let exists = path.exists();
    match (exists, add, force) {
        (_, true, true) => Err("--add and --force: choose one".into()),
        (false, true, _) => Err(format!(
            "{} does not exist: leave out --add to write a new config",
            path.display()
        )),
        (true, true, _) => Ok(Mode::Add),
        (true, false, true) => Ok(Mode::Replace),
        (true, false, false) => Err(format!(
            "{} exists: --add adds a pool to it, --force replaces it (keeping {})",
            path.display(),
            backup_path(path).display()
        )),
        (false, false, _) => Ok(Mode::New),
    }
}

pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Checks `text` with the parser that will read it, then writes it (0600; a replaced file is
/// kept as `.bak` first; written beside and renamed, so a failure leaves the old file whole).
pub fn write(path: &Path, text: &str, mode: Mode) -> Result<(), ConfigError> {
    Config::parse(path, text)?;
    let io = |e: std::io::Error| ConfigError {
        path: path.to_path_buf(),
        line: None,
        key: None,
        message: format!("cannot write the config: {e}"),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    if mode == Mode::Replace {
        std::fs::copy(path, backup_path(path)).map_err(io)?;
    }
    let mut temp = path.as_os_str().to_os_string();
    temp.push(".new");
    let temp = PathBuf::from(temp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temp).map_err(io)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io)?;
    drop(file);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    std::fs::rename(&temp, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices(secret: Option<Option<SecretFrom>>) -> Choices {
        Choices {
            name: "prod".into(),
            user_pool_id: "eu-west-1_AbCdEf123".into(),
            pool_label: "Prod users".into(),
            client_id: "1example23456789abcdef".into(),
            client_label: "support desk".into(),
            region: "eu-west-1".into(),
            profile: Some("support".into()),
            endpoint_url: None,
            secret,
        }
    }

    #[test]
    fn the_written_config_reads_back_as_chosen_for_every_secret_source() {
        let path = Path::new("/tmp/cogtui-init-test.toml");
        for (secret, expected) in [
            (None, crate::secret::SecretSource::None),
            (
                Some(Some(SecretFrom::Env("COGTUI_PROD_SECRET".into()))),
                crate::secret::SecretSource::Env("COGTUI_PROD_SECRET".into()),
            ),
            (
                Some(Some(SecretFrom::Fetch)),
                crate::secret::SecretSource::Fetch,
            ),
            (Some(None), crate::secret::SecretSource::None),
        ] {
            let text = new_config(&choices(secret), "2026-12-02");
            let config = Config::parse(path, &text).unwrap();
            let pool = &config.pools["prod"];
            assert_eq!(pool.user_pool_id, "eu-west-1_AbCdEf123");
            assert_eq!(pool.client_id, "1example23456789abcdef");
            assert_eq!(pool.profile.as_deref(), Some("support"));
            assert_eq!(pool.secret, expected, "{text}");
            assert_eq!(config.default_pool.as_deref(), Some("prod"));
        }
    }

    #[test]
    fn a_pool_added_to_a_config_keeps_what_was_there() {
        let first = new_config(&choices(None), "2026-12-02");
        let mut second = choices(Some(Some(SecretFrom::File("~/s.secret".into()))));
        second.name = "staging".into();
        second.endpoint_url = Some("http://127.0.0.1:5000".into());
        let both = with_pool(&first, &second);
        assert!(both.starts_with(&first.trim_end().to_string()));
        let config = Config::parse(Path::new("/tmp/x.toml"), &both).unwrap();
        assert_eq!(config.pools.len(), 2);
        assert_eq!(
            config.pools["staging"].endpoint_url.as_deref(),
            Some("http://127.0.0.1:5000")
        );
        assert_eq!(config.default_pool.as_deref(), Some("prod"));
    }

    #[test]
    fn names_and_flags_read_as_an_operator_writes_them() {
        assert_eq!(pool_name("Prod Users (EU)"), "prod-users-eu");
        assert_eq!(pool_name("  "), "default");
        assert_eq!(default_env_var("prod-eu"), "COGTUI_PROD_EU_SECRET");
        assert_eq!(
            SecretFrom::parse("env:MY_SECRET"),
            Ok(SecretFrom::Env("MY_SECRET".into()))
        );
        assert_eq!(SecretFrom::parse("fetch"), Ok(SecretFrom::Fetch));
        assert!(SecretFrom::parse("env:").is_err());
        assert!(SecretFrom::parse("vault:x").is_err());
        // Quotes in a name from Cognito stay inside the string.
        let mut odd = choices(None);
        odd.pool_label = "a \"quoted\" pool".into();
        odd.client_label = "x\ny".into();
        assert!(Config::parse(Path::new("/tmp/x.toml"), &new_config(&odd, "d")).is_ok());
    }

    #[test]
    fn an_existing_config_is_never_overwritten_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        assert_eq!(mode(&path, false, false), Ok(Mode::New));
        assert!(mode(&path, true, false).is_err());
        let text = new_config(&choices(None), "d");
        write(&path, &text, Mode::New).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let m = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(m & 0o777, 0o600);
        }
        let refused = mode(&path, false, false).unwrap_err();
        assert!(
            refused.contains("--add") && refused.contains("--force"),
            "{refused}"
        );
        assert_eq!(mode(&path, false, true), Ok(Mode::Replace));
        let mut other = choices(None);
        other.user_pool_id = "eu-west-1_Other9".into();
        write(&path, &new_config(&other, "d"), Mode::Replace).unwrap();
        assert_eq!(std::fs::read_to_string(backup_path(&path)).unwrap(), text);
        // A config the parser would refuse is not written.
        assert!(write(&path, "default_pool = 1", Mode::Replace).is_err());
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("eu-west-1_Other9")
        );
    }
}

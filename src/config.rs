//! The configuration file: which pools exist and how to reach each one.
//!
//! Every error names the file, the line and the key, and never quotes a value: a misplaced secret
//! must not end up on screen.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::secret::SecretSource;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": {key}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// One pool, validated and ready to connect to.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolConfig {
    pub name: String,
    pub user_pool_id: String,
    pub client_id: String,
    pub region: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub secret: SecretSource,
    pub analytics_endpoint_id: Option<String>,
    pub client_metadata: BTreeMap<String, String>,
    /// ClientMetadata keys that must have a value before a send (e.g. a ticket number).
    pub required_metadata: Vec<String>,
    /// The ClientMetadata key the Ticket field is also sent under (for the message trigger).
    pub ticket_metadata_key: Option<String>,
    /// `read_only = true`: nothing that changes a user or sends a message, for this pool.
    pub read_only: bool,
    /// ListUsers calls a second at most (the account's quota of 30 is shared with production).
    pub max_list_rps: f64,
    /// The UI's listing pauses after this many users (`L` loads more).
    pub max_users: usize,
    /// Where the pool's table starts in the config file, for errors found later (a secret file).
    pub line: usize,
}

impl PoolConfig {
    /// A pool with only its ids and region, every other setting at its default (no secret,
    /// no metadata, writable, the default pace): what a config with the two required keys
    /// gives, and what tests start from.
    pub fn minimal(name: &str, user_pool_id: &str, client_id: &str, region: &str) -> Self {
        Self {
            name: name.into(),
            user_pool_id: user_pool_id.into(),
            client_id: client_id.into(),
            region: region.into(),
            profile: None,
            endpoint_url: None,
            secret: SecretSource::None,
            analytics_endpoint_id: None,
            client_metadata: BTreeMap::new(),
            required_metadata: Vec::new(),
            ticket_metadata_key: None,
            read_only: false,
            max_list_rps: DEFAULT_MAX_LIST_RPS,
            max_users: DEFAULT_MAX_USERS,
            line: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub path: PathBuf,
    pub default_pool: Option<String>,
    pub pools: BTreeMap<String, PoolConfig>,
    /// `audit_log`: where the history of sends goes instead of the platform's data directory.
    pub audit_log: Option<PathBuf>,
    /// `[reply]`: the ticket reply after a send, by delivery medium.
    pub reply: ReplyTemplates,
    /// `[keys]`: the keymap, the defaults with the operator's remapping over them.
    pub keys: crate::tui::keymap::Keymap,
    /// `[theme]`: the colours by role (`NO_COLOR` in the environment wins over it).
    pub theme: crate::tui::theme::Theme,
    /// Clicks and the wheel (default); `mouse = false` leaves the mouse to the terminal.
    pub mouse: bool,
    /// `[audit] store = "dynamodb"`: the desk's shared history in a DynamoDB table.
    pub audit: Option<AuditTable>,
}

/// `[audit]` with `store = "dynamodb"`: the table, and how to reach it (the audit account may
/// differ from the pools').
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditTable {
    pub table: String,
    pub region: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// Records expire (DynamoDB TTL) this many days after they are written.
    pub retain_days: Option<u32>,
}

/// The reply for the ticket, with `{destination}`, `{medium}`, `{username}`, `{valid_hours}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyTemplates {
    pub email: String,
    pub sms: String,
}

pub const REPLY_PLACEHOLDERS: [&str; 4] = ["destination", "medium", "username", "valid_hours"];

impl Default for ReplyTemplates {
    fn default() -> Self {
        Self {
            email:
                "We have sent a new confirmation code by {medium} to {destination}. It is valid \
                    for {valid_hours} hours; if it is not in your inbox, please check your spam \
                    folder."
                    .into(),
            sms: "We have sent a new confirmation code by {medium} to {destination}. It is valid \
                  for {valid_hours} hours."
                .into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    default_pool: Option<Spanned<String>>,
    #[serde(default)]
    pools: BTreeMap<String, Spanned<RawPool>>,
    audit_log: Option<Spanned<String>>,
    reply: Option<RawReply>,
    /// `[keys]`: the list's commands; `[keys.stats]` and the like: another screen's.
    #[serde(default)]
    keys: BTreeMap<String, Spanned<toml::Value>>,
    /// `[theme]`: `preset` and a colour per role.
    #[serde(default)]
    theme: BTreeMap<String, Spanned<String>>,
    /// `mouse = false`: the terminal's own selection instead of clicks and the wheel.
    mouse: Option<bool>,
    /// `[audit]`: `store = "file"` (the default) or `"dynamodb"` with its table.
    audit: Option<Spanned<RawAudit>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAudit {
    store: Option<Spanned<String>>,
    table: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    profile: Option<Spanned<String>>,
    endpoint_url: Option<Spanned<String>>,
    retain_days: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReply {
    email: Option<Spanned<String>>,
    sms: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPool {
    user_pool_id: Spanned<String>,
    client_id: Spanned<String>,
    region: Option<Spanned<String>>,
    profile: Option<Spanned<String>>,
    endpoint_url: Option<Spanned<String>>,
    client_secret_env: Option<Spanned<String>>,
    client_secret_file: Option<Spanned<String>>,
    fetch_client_secret: Option<Spanned<bool>>,
    analytics_endpoint_id: Option<Spanned<String>>,
    #[serde(default)]
    client_metadata: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    required_metadata: Vec<Spanned<String>>,
    ticket_metadata_key: Option<Spanned<String>>,
    #[serde(default)]
    read_only: bool,
    max_list_rps: Option<Spanned<f64>>,
    max_users: Option<Spanned<i64>>,
}

/// A third of ListUsers' account-wide quota (30 a second, shared with the production app).
pub const DEFAULT_MAX_LIST_RPS: f64 = 10.0;
/// Where the UI's listing pauses: about 200 MB of rows; `L` loads more.
pub const DEFAULT_MAX_USERS: usize = 200_000;

/// The platform's default config path, e.g. `~/.config/cogtui/config.toml` on Linux.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "cogtui").map(|d| d.config_dir().join("config.toml"))
}

/// `--config` (or `COGTUI_CONFIG`, which clap reads into the flag) wins over the platform default.
pub fn resolve_path(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf).or_else(default_path)
}

impl Config {
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: None,
            key: None,
            message: if e.kind() == std::io::ErrorKind::NotFound {
                "no config file here: copy config.example.toml to this path, or pass --config"
                    .to_string()
            } else {
                format!("cannot read the config file: {e}")
            },
        })?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let ctx = Source { path, text };
        let raw: RawConfig = toml::from_str(text).map_err(|e| ctx.toml_error(&e))?;
        let mut pools = BTreeMap::new();
        for (name, pool) in raw.pools {
            let span = pool.span();
            let parsed = ctx.pool(&name, span, pool.into_inner())?;
            pools.insert(name, parsed);
        }
        if let Some(default) = &raw.default_pool
            && !pools.contains_key(default.get_ref())
        {
            return Err(ctx.error(
                default.span(),
                "default_pool",
                format!(
                    "names a pool that is not defined; defined pools: {}",
                    names(&pools)
                ),
            ));
        }
        let audit_log = match &raw.audit_log {
            Some(p) if p.get_ref().trim().is_empty() => {
                return Err(ctx.error(p.span(), "audit_log", "is empty"));
            }
            // A relative path is taken from the config file's folder, wherever cogtui starts.
            Some(p) => Some(match expand_home(p.get_ref()) {
                rel if rel.is_relative() => path.parent().unwrap_or(Path::new(".")).join(rel),
                abs => abs,
            }),
            None => None,
        };
        let mut reply = ReplyTemplates::default();
        if let Some(raw_reply) = raw.reply {
            for (key, given, slot) in [
                ("reply.email", raw_reply.email, &mut reply.email),
                ("reply.sms", raw_reply.sms, &mut reply.sms),
            ] {
                if let Some(template) = given {
                    ctx.template(key, &template)?;
                    *slot = template.into_inner();
                }
            }
        }
        let keys = ctx.keys(&raw.keys)?;
        let theme = ctx.theme(&raw.theme)?;
        let audit = match raw.audit {
            Some(audit) => ctx.audit(audit, raw.audit_log.as_ref().map(Spanned::span))?,
            None => None,
        };
        Ok(Config {
            path: path.to_path_buf(),
            default_pool: raw.default_pool.map(Spanned::into_inner),
            pools,
            audit_log,
            reply,
            keys,
            theme,
            mouse: raw.mouse.unwrap_or(true),
            audit,
        })
    }

    /// `--pool` wins, then `default_pool`, then the only pool there is.
    pub fn select(&self, wanted: Option<&str>) -> Result<&PoolConfig, ConfigError> {
        let err = |message: String| ConfigError {
            path: self.path.clone(),
            line: None,
            key: None,
            message,
        };
        if let Some(name) = wanted.or(self.default_pool.as_deref()) {
            return self.pools.get(name).ok_or_else(|| {
                err(format!(
                    "no pool named \"{name}\"; defined pools: {}",
                    names(&self.pools)
                ))
            });
        }
        match self.pools.len() {
            0 => Err(err(
                "no pools are configured: add a [pools.NAME] table".into()
            )),
            1 => Ok(self.pools.values().next().expect("one pool")),
            _ => Err(err(format!(
                "several pools are configured and no default_pool is set: pass --pool with one of {}",
                names(&self.pools)
            ))),
        }
    }
}

fn names(pools: &BTreeMap<String, PoolConfig>) -> String {
    if pools.is_empty() {
        return "(none)".into();
    }
    pools
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    /// `[theme]`: a preset (`dark`, `light`), then a colour per role over it.
    fn theme(
        &self,
        raw: &BTreeMap<String, Spanned<String>>,
    ) -> Result<crate::tui::theme::Theme, ConfigError> {
        use crate::tui::theme::Theme;
        let mut theme = match raw.get("preset") {
            None => Theme::dark(),
            Some(name) => Theme::preset(name.get_ref()).ok_or_else(|| {
                self.error(
                    name.span(),
                    "theme.preset",
                    "is not a preset: dark or light",
                )
            })?,
        };
        for (role, colour) in raw.iter().filter(|(k, _)| *k != "preset") {
            theme
                .set(role, colour.get_ref())
                .map_err(|e| self.error(colour.span(), &format!("theme.{role}"), e))?;
        }
        Ok(theme)
    }

    /// `[keys]`: `command = "key"` or `["key", "key"]` for the list, and a table per other
    /// screen. Every problem names its line and its dotted key.
    fn keys(
        &self,
        raw: &BTreeMap<String, Spanned<toml::Value>>,
    ) -> Result<crate::tui::keymap::Keymap, ConfigError> {
        use crate::tui::keymap::{Keymap, Screen};
        // (screen, command, keys, where it was written, its dotted name)
        let mut entries: Vec<(Screen, String, Vec<String>, usize, String)> = Vec::new();
        let keys_of =
            |value: &toml::Value, at: usize, key: &str| -> Result<Vec<String>, ConfigError> {
                let not_keys = || ConfigError {
                    path: self.path.to_path_buf(),
                    line: Some(self.line_of(at)),
                    key: Some(key.to_string()),
                    message: "expected a key (\"enter\") or a list of keys ([\"/\", \"ctrl-f\"])"
                        .into(),
                };
                match value {
                    toml::Value::String(k) => Ok(vec![k.clone()]),
                    toml::Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string).ok_or_else(not_keys))
                        .collect(),
                    _ => Err(not_keys()),
                }
            };
        for (name, value) in raw {
            let at = value.span().start;
            if let toml::Value::Table(table) = value.get_ref() {
                let Some(screen) = Screen::ALL
                    .into_iter()
                    .find(|s| s.name() == name && *s != Screen::Browse)
                else {
                    let screens: Vec<&str> = Screen::ALL
                        .iter()
                        .filter(|s| **s != Screen::Browse)
                        .map(|s| s.name())
                        .collect();
                    return Err(self.error(
                        value.span(),
                        &format!("keys.{name}"),
                        format!(
                            "no such screen; the screens with keys of their own: {} (the \
                             list's commands go in [keys] itself)",
                            screens.join(", ")
                        ),
                    ));
                };
                for (command, keys) in table {
                    // The line of `command =` inside the screen's table.
                    let line_at = self.text[at.min(self.text.len())..]
                        .match_indices(command.as_str())
                        .map(|(i, _)| at + i)
                        // At the start of a line (after its indentation).
                        .find(|i| {
                            self.text[..*i]
                                .trim_end_matches([' ', '\t'])
                                .ends_with('\n')
                        })
                        .unwrap_or(at);
                    let dotted = format!("keys.{name}.{command}");
                    let list = keys_of(keys, line_at, &dotted)?;
                    entries.push((screen, command.clone(), list, line_at, dotted));
                }
            } else {
                let dotted = format!("keys.{name}");
                let list = keys_of(value.get_ref(), at, &dotted)?;
                entries.push((Screen::Browse, name.clone(), list, at, dotted));
            }
        }
        let overrides: Vec<(Screen, String, Vec<String>)> = entries
            .iter()
            .map(|(screen, command, keys, _, _)| (*screen, command.clone(), keys.clone()))
            .collect();
        Keymap::with_overrides(&overrides).map_err(|e| {
            let (at, dotted) = entries
                .iter()
                .find(|(screen, command, ..)| *screen == e.screen && *command == e.name)
                .map_or((0, format!("keys.{}", e.name)), |(.., at, dotted)| {
                    (*at, dotted.clone())
                });
            ConfigError {
                path: self.path.to_path_buf(),
                line: (at > 0).then(|| self.line_of(at)),
                key: Some(dotted),
                message: e.message,
            }
        })
    }

    fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    /// `[audit]`: the file (the default) or a DynamoDB table with its region.
    fn audit(
        &self,
        raw: Spanned<RawAudit>,
        audit_log: Option<Range<usize>>,
    ) -> Result<Option<AuditTable>, ConfigError> {
        let span = raw.span();
        let raw = raw.into_inner();
        let store = raw.store.as_ref().map_or("file", |s| s.get_ref().as_str());
        match store {
            "file" => {
                for (key, given) in [
                    ("audit.table", raw.table.as_ref().map(Spanned::span)),
                    ("audit.region", raw.region.as_ref().map(Spanned::span)),
                    (
                        "audit.endpoint_url",
                        raw.endpoint_url.as_ref().map(Spanned::span),
                    ),
                ] {
                    if let Some(at) = given {
                        return Err(self.error(
                            at,
                            key,
                            "is for store = \"dynamodb\" (the file store is audit_log)",
                        ));
                    }
                }
                return Ok(None);
            }
            "dynamodb" => {}
            other => {
                let at = raw.store.as_ref().map_or(span.clone(), Spanned::span);
                return Err(self.error(
                    at,
                    "audit.store",
                    format!("\"{other}\" is not a store: \"file\" or \"dynamodb\""),
                ));
            }
        }
        if let Some(at) = audit_log {
            return Err(self.error(
                at,
                "audit_log",
                "is the file store; [audit] store = \"dynamodb\" keeps the history in the table: \
                 keep one of the two (`cogtui audit import` moves a file into the table)",
            ));
        }
        let text =
            |given: &Option<Spanned<String>>, key: &str| -> Result<Option<String>, ConfigError> {
                match given {
                    Some(v) if v.get_ref().trim().is_empty() => {
                        Err(self.error(v.span(), key, "is empty"))
                    }
                    Some(v) => Ok(Some(v.get_ref().trim().to_string())),
                    None => Ok(None),
                }
            };
        let table = text(&raw.table, "audit.table")?.ok_or_else(|| {
            self.error(
                span.clone(),
                "audit.table",
                "is required with store = \"dynamodb\"",
            )
        })?;
        let region = text(&raw.region, "audit.region")?.ok_or_else(|| {
            self.error(
                span.clone(),
                "audit.region",
                "is required with store = \"dynamodb\" (the table's region)",
            )
        })?;
        let retain_days = match &raw.retain_days {
            Some(days) if (1..=3650).contains(days.get_ref()) => Some(*days.get_ref() as u32),
            Some(days) => {
                return Err(self.error(
                    days.span(),
                    "audit.retain_days",
                    "must be between 1 and 3650 days",
                ));
            }
            None => None,
        };
        Ok(Some(AuditTable {
            table,
            region,
            profile: text(&raw.profile, "audit.profile")?,
            endpoint_url: text(&raw.endpoint_url, "audit.endpoint_url")?,
            retain_days,
        }))
    }

    fn error(&self, span: Range<usize>, key: &str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: self.path.to_path_buf(),
            line: Some(self.line_of(span.start)),
            key: Some(key.to_string()),
            message: message.into(),
        }
    }

    /// The `[table]` header in force at `offset`, to give a bare key its full dotted name.
    fn table_at(&self, offset: usize) -> Option<String> {
        let before = &self.text[..offset.min(self.text.len())];
        before.lines().rev().find_map(|line| {
            let line = line.trim();
            let inner = line.strip_prefix('[')?.strip_suffix(']')?;
            Some(inner.trim_matches(['[', ']']).trim().to_string())
        })
    }

    /// toml's own Display quotes the offending line, which may hold a secret: build ours instead.
    fn toml_error(&self, e: &toml::de::Error) -> ConfigError {
        let message = e.message().trim().to_string();
        let offset = e.span().map(|s| s.start);
        let field = message.split('`').nth(1).map(str::to_string);
        let key = match (field, offset) {
            (Some(field), Some(at)) if message.starts_with("missing field") => {
                // The span covers the table that lacks the field; its header names it.
                let line_end = self.text[at..]
                    .find('\n')
                    .map_or(self.text.len(), |i| at + i);
                let header = self.table_at(line_end);
                Some(header.map_or(field.clone(), |t| format!("{t}.{field}")))
            }
            (Some(field), Some(at)) if message.starts_with("unknown field") => {
                // A table header that is itself the unknown field (`[audit]` after a pool's
                // table) is named as it is, not under the table before it.
                let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
                let line = self.text[line_start..]
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim();
                match line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                    Some(header) => Some(header.trim_matches(['[', ']']).trim().to_string()),
                    None => Some(
                        self.table_at(at)
                            .map_or(field.clone(), |t| format!("{t}.{field}")),
                    ),
                }
            }
            _ => offset.and_then(|at| self.key_on_line(at)),
        };
        let message = match key.as_deref() {
            Some(k) if k.ends_with("client_secret") => "a client secret never goes in the config \
                file: name an environment variable with client_secret_env, or a file with \
                client_secret_file, or set fetch_client_secret = true"
                .to_string(),
            _ => message,
        };
        ConfigError {
            path: self.path.to_path_buf(),
            line: offset.map(|at| self.line_of(at)),
            key,
            message,
        }
    }

    /// A reply template may only name the known placeholders.
    fn template(&self, key: &str, template: &Spanned<String>) -> Result<(), ConfigError> {
        let text = template.get_ref();
        if text.trim().is_empty() {
            return Err(self.error(template.span(), key, "is empty"));
        }
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err(self.error(template.span(), key, "has a { without a closing }"));
            };
            let name = &after[..close];
            if !REPLY_PLACEHOLDERS.contains(&name) {
                return Err(self.error(
                    template.span(),
                    key,
                    format!(
                        "has an unknown placeholder {{{name}}}: use {}",
                        REPLY_PLACEHOLDERS
                            .iter()
                            .map(|p| format!("{{{p}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            rest = &after[close + 1..];
        }
        Ok(())
    }

    fn key_on_line(&self, offset: usize) -> Option<String> {
        let start = self.text[..offset.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line = self.text[start..].lines().next()?;
        let (key, _) = line.split_once('=')?;
        let key = key.trim();
        Some(
            self.table_at(start)
                .map_or(key.to_string(), |t| format!("{t}.{key}")),
        )
    }

    fn pool(
        &self,
        name: &str,
        span: Range<usize>,
        raw: RawPool,
    ) -> Result<PoolConfig, ConfigError> {
        let key = |k: &str| format!("pools.{name}.{k}");
        let id = &raw.user_pool_id;
        if !valid_pool_id(id.get_ref()) {
            return Err(self.error(
                id.span(),
                &key("user_pool_id"),
                "is not a user pool id: expected REGION_ID such as eu-west-1_AbCdEf123 (1-55 characters)",
            ));
        }
        let client = &raw.client_id;
        if !valid_client_id(client.get_ref()) {
            return Err(self.error(
                client.span(),
                &key("client_id"),
                "is not an app client id: 1-128 letters, digits, underscores or plus signs",
            ));
        }
        let region = match &raw.region {
            Some(r) if r.get_ref().trim().is_empty() => {
                return Err(self.error(r.span(), &key("region"), "is empty"));
            }
            Some(r) => r.get_ref().clone(),
            None => region_of(id.get_ref()).to_string(),
        };
        if let Some(url) = &raw.endpoint_url
            && !(url.get_ref().starts_with("http://") || url.get_ref().starts_with("https://"))
        {
            return Err(self.error(
                url.span(),
                &key("endpoint_url"),
                "must start with http:// or https://",
            ));
        }
        let secret = self.secret_source(&key, &raw)?;
        let mut client_metadata = BTreeMap::new();
        for (k, v) in raw.client_metadata {
            if k.trim().is_empty() {
                return Err(self.error(v.span(), &key("client_metadata"), "has an empty key"));
            }
            client_metadata.insert(k, v.into_inner());
        }
        let mut required_metadata = Vec::new();
        for k in raw.required_metadata {
            if k.get_ref().trim().is_empty() {
                return Err(self.error(k.span(), &key("required_metadata"), "has an empty key"));
            }
            required_metadata.push(k.into_inner().trim().to_string());
        }
        let ticket_metadata_key = match raw.ticket_metadata_key {
            Some(k) if k.get_ref().trim().is_empty() => {
                return Err(self.error(k.span(), &key("ticket_metadata_key"), "is empty"));
            }
            Some(k) if client_metadata.contains_key(k.get_ref().trim()) => {
                return Err(self.error(
                    k.span(),
                    &key("ticket_metadata_key"),
                    format!(
                        "names {} which client_metadata also sets: the Ticket field fills this \
                         key, so remove it from client_metadata",
                        k.get_ref().trim()
                    ),
                ));
            }
            Some(k) => Some(k.into_inner().trim().to_string()),
            None => None,
        };
        Ok(PoolConfig {
            name: name.to_string(),
            user_pool_id: id.get_ref().clone(),
            client_id: client.get_ref().clone(),
            region,
            profile: raw.profile.map(Spanned::into_inner),
            endpoint_url: raw.endpoint_url.map(Spanned::into_inner),
            secret,
            analytics_endpoint_id: raw
                .analytics_endpoint_id
                .map(Spanned::into_inner)
                .filter(|s| !s.is_empty()),
            client_metadata,
            required_metadata,
            ticket_metadata_key,
            read_only: raw.read_only,
            max_list_rps: match &raw.max_list_rps {
                Some(r) if !(0.1..=30.0).contains(r.get_ref()) => {
                    return Err(self.error(
                        r.span(),
                        &key("max_list_rps"),
                        "must be between 0.1 and 30 (ListUsers' quota for the whole account)",
                    ));
                }
                Some(r) => *r.get_ref(),
                None => DEFAULT_MAX_LIST_RPS,
            },
            max_users: match &raw.max_users {
                Some(n) if *n.get_ref() < 60 => {
                    return Err(self.error(
                        n.span(),
                        &key("max_users"),
                        "must be at least 60 (one page)",
                    ));
                }
                Some(n) => *n.get_ref() as usize,
                None => DEFAULT_MAX_USERS,
            },
            line: self.line_of(span.start),
        })
    }

    fn secret_source(
        &self,
        key: &dyn Fn(&str) -> String,
        raw: &RawPool,
    ) -> Result<SecretSource, ConfigError> {
        let fetch = raw.fetch_client_secret.as_ref().filter(|f| *f.get_ref());
        let given: Vec<(&str, Range<usize>)> = [
            raw.client_secret_env
                .as_ref()
                .map(|s| ("client_secret_env", s.span())),
            raw.client_secret_file
                .as_ref()
                .map(|s| ("client_secret_file", s.span())),
            fetch.map(|s| ("fetch_client_secret", s.span())),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let [_, (second, span), ..] = given.as_slice() {
            return Err(self.error(
                span.clone(),
                &key(second),
                format!(
                    "conflicts with {}: give the client secret one source only",
                    given[0].0
                ),
            ));
        }
        if let Some(var) = &raw.client_secret_env {
            if var.get_ref().trim().is_empty() {
                return Err(self.error(var.span(), &key("client_secret_env"), "is empty"));
            }
            // The value is not quoted back: it may be the secret itself, pasted in by mistake.
            if looks_like_a_secret(var.get_ref()) {
                return Err(self.error(
                    var.span(),
                    &key("client_secret_env"),
                    "looks like a client secret, not the name of an environment variable: put \
                     the secret in the environment (e.g. PROD_CLIENT_SECRET) and name that \
                     variable here",
                ));
            }
            if !valid_env_name(var.get_ref()) {
                return Err(self.error(
                    var.span(),
                    &key("client_secret_env"),
                    "is not an environment variable name: letters, digits and underscores, \
                     not starting with a digit",
                ));
            }
            return Ok(SecretSource::Env(var.get_ref().clone()));
        }
        if let Some(file) = &raw.client_secret_file {
            if file.get_ref().trim().is_empty() {
                return Err(self.error(file.span(), &key("client_secret_file"), "is empty"));
            }
            return Ok(SecretSource::File {
                path: expand_home(file.get_ref()),
                line: self.line_of(file.span().start),
            });
        }
        Ok(if fetch.is_some() {
            SecretSource::Fetch
        } else {
            SecretSource::None
        })
    }
}

/// `[A-Za-z_][A-Za-z0-9_]*`.
fn valid_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Cognito client secrets are long runs of lowercase letters and digits (sometimes base64):
/// nothing like the SHOUTING_SNAKE_CASE of a variable name.
fn looks_like_a_secret(name: &str) -> bool {
    let long = name.len() >= 20;
    let has_digit = name.chars().any(|c| c.is_ascii_digit());
    let has_lower = name.chars().any(|c| c.is_ascii_lowercase());
    let base64ish = name.contains(['+', '/', '=']);
    long && has_digit && (has_lower || base64ish) && !name.contains('_')
}

/// `[\w-]+_[0-9a-zA-Z]+`, 1-55 characters, as the service's model has it.
pub fn valid_pool_id(id: &str) -> bool {
    let Some((region, rest)) = id.split_once('_') else {
        return false;
    };
    (1..=55).contains(&id.len())
        && !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `[\w+]+`, 1-128 characters.
pub fn valid_client_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+')
}

/// A pool id starts with its region: `eu-west-1_AbCdEf123`.
pub fn region_of(pool_id: &str) -> &str {
    pool_id
        .split_once('_')
        .map_or(pool_id, |(region, _)| region)
}

fn expand_home(path: &str) -> PathBuf {
    if let Some(rest) = path.strip_prefix("~/")
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().join(rest);
    }
    PathBuf::from(path)
}

#[cfg(test)]
mod tests;

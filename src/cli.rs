//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cognito::StatusFilter;

#[derive(Debug, Parser)]
#[command(
    name = "cogtui",
    version,
    about = "Find UNCONFIRMED Amazon Cognito users and resend their confirmation codes",
    long_about = "Find UNCONFIRMED Amazon Cognito users and resend their confirmation codes; see why \
        a code may not arrive; invite, confirm, fix and prune pending users, with an audit log.\n\n\
        With no command, opens the terminal UI on the selected pool. The commands do the same \
        work headless, for scripts.\n\n\
        Exit codes: 0 success, 1 Cognito refused or failed the call, 2 usage or configuration error."
)]
pub struct Cli {
    /// Config file [default: the platform config dir, e.g. ~/.config/cogtui/config.toml]
    #[arg(long, global = true, env = "COGTUI_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Pool to use, by its name in the config [default: default_pool, else the only pool]
    #[arg(long, global = true, value_name = "NAME")]
    pub pool: Option<String>,

    /// AWS shared-config profile (SSO profiles work), over the pool's `profile`
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// AWS region, over the pool's `region` and the pool id's prefix
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// Cognito endpoint, e.g. a local emulator; over the pool's `endpoint_url` and AWS_ENDPOINT_URL
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Seconds one Cognito call may take before it counts as unanswered [default: 10]; a call
    /// with its retries gets three times that
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<f64>,

    /// Change nothing and send nothing: resends and every admin action are hidden in the UI and
    /// refused headless (exit 2) before any call. Also COGTUI_READ_ONLY (1/0, true/false,
    /// yes/no, on/off), or read_only = true for a pool
    #[arg(
        long,
        global = true,
        env = "COGTUI_READ_ONLY",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub read_only: bool,

    /// Mask emails, phone numbers and names on screen and in list/export output the way Cognito
    /// masks destinations (j***@e***.com, +*******1234), for screen sharing; usernames stay
    #[arg(long, global = true)]
    pub redact: bool,

    /// Log file [default: cogtui.log in the platform state or cache dir]; level from COGTUI_LOG
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the pool's users as pages arrive (UNCONFIRMED by default)
    List(ListArgs),
    /// Resend a user's confirmation code and print where it went (and a reply for the ticket)
    Resend(ResendArgs),
    /// Send an invited (FORCE_CHANGE_PASSWORD) user a new invitation and temporary password
    Invite(InviteArgs),
    /// Confirm a user without a code, after checking who they are another way
    Confirm(ConfirmArgs),
    /// Fix the email or phone number of a user who has not confirmed yet
    SetContact(SetContactArgs),
    /// Delete pending users older than a given age (dry run first; --yes or a typed count)
    Prune(PruneArgs),
    /// Disable pending users (a bot wave): they cannot sign in, confirm or get a code
    Disable(SwitchArgs),
    /// Enable users disabled before
    Enable(SwitchArgs),
    /// Take a user's email off the SES suppression list (it bounced or complained once), so
    /// codes reach it again
    Unsuppress(FixArgs),
    /// Opt a user's phone number back in to SMS after they replied STOP (once in 30 days)
    SmsOptIn(FixArgs),
    /// Check why a code may not arrive: the pool's delivery settings, and one user's with --user
    Diagnose(DiagnoseArgs),
    /// What cogtui sent, from the audit log (every pool unless --pool is given)
    History(HistoryArgs),
    /// The shape of the pending pile: counts by age, day, email domain and medium
    Stats(StatsArgs),
    /// The desk's shared audit store ([audit] store = "dynamodb"): create the table, move a
    /// personal log into it, export records
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Write a config from your AWS credentials: pick the pool and app client (or pass them),
    /// say where the client secret comes from; the secret itself is never written
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The pool, for scripts [default: picked from ListUserPools]
    #[arg(long, value_name = "ID")]
    pub pool_id: Option<String>,

    /// The app client, for scripts [default: picked from ListUserPoolClients]
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,

    /// The pool's name in the config (or --pool) [default: from its name in Cognito]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Where the client secret comes from, if the client has one: env:VARIABLE, file:PATH or
    /// fetch [default: asked]
    #[arg(long, value_name = "SOURCE", value_parser = parse_secret_from)]
    pub secret_from: Option<crate::init::SecretFrom>,

    /// Add the pool to the existing config
    #[arg(long)]
    pub add: bool,

    /// Replace the existing config (it is kept as config.toml.bak)
    #[arg(long)]
    pub force: bool,
}

fn parse_secret_from(text: &str) -> Result<crate::init::SecretFrom, String> {
    crate::init::SecretFrom::parse(text)
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Create the table the config's [audit] names (on-demand capacity, TTL when retain_days)
    Init {
        /// Print the AWS CLI commands that would create it, and create nothing
        #[arg(long)]
        print: bool,
    },
    /// Copy a JSON-lines audit log (a personal one, or the file store's months) into the table;
    /// running it twice adds nothing
    Import {
        /// The file(s): audit.jsonl, audit-2026-11.jsonl…
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write the records as JSON lines (the file store's format), oldest first
    Export {
        /// Only records this recent: 24h, 30d (units s, m, h, d, w) [default: all]
        #[arg(long, value_name = "DURATION", value_parser = crate::time::parse_duration)]
        since: Option<chrono::Duration>,
    },
}

#[derive(Debug, Args)]
pub struct FixArgs {
    pub username: String,

    /// The support ticket, for the audit log
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,

    /// Look at the list and say what would be done; change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: ResendFormat,
}

#[derive(Debug, Args)]
pub struct SwitchArgs {
    /// The users (or --stdin)
    #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
    pub usernames: Vec<String>,

    /// Read the usernames from standard input, one per line
    #[arg(long)]
    pub stdin: bool,

    /// Why (e.g. "bot wave from spam.example"): goes to the audit log
    #[arg(long, value_name = "TEXT")]
    pub reason: String,

    /// The support ticket or change this is for, for the audit log
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,

    /// Say who would be switched (a fresh look at each), and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Go on without the typed confirmation (needed for several users without a terminal)
    #[arg(long)]
    pub yes: bool,

    /// Changes per second at most (leaves room for the production app's calls)
    #[arg(long, value_name = "PER_SECOND", default_value = "5", value_parser = parse_rate)]
    pub rate: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MediumArg {
    Email,
    Sms,
    Both,
}

#[derive(Debug, Args)]
pub struct InviteArgs {
    pub username: String,

    /// How to deliver it [default: email when the user has one, else SMS]
    #[arg(long, value_enum)]
    pub medium: Option<MediumArg>,

    /// ClientMetadata for the pool's Lambda triggers, over the pool's defaults; repeat it
    #[arg(long = "meta", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub meta: Vec<(String, String)>,

    /// The support ticket: recorded in the audit log (and sent under ticket_metadata_key)
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: ResendFormat,
}

#[derive(Debug, Args)]
pub struct ConfirmArgs {
    pub username: String,

    /// Why the user is confirmed by hand (how their identity was checked): goes to the audit log
    #[arg(long, value_name = "TEXT")]
    pub reason: String,

    /// Leave email_verified alone (by default it is set, or a later password reset fails)
    #[arg(long)]
    pub no_verify_email: bool,

    /// Also set phone_number_verified
    #[arg(long)]
    pub verify_phone: bool,

    /// The support ticket, for the audit log
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: ResendFormat,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("contact").required(true).args(["email", "phone"])))]
pub struct SetContactArgs {
    pub username: String,

    /// The corrected email address
    #[arg(long, value_name = "ADDR")]
    pub email: Option<String>,

    /// The corrected phone number, E.164 (+447700900123)
    #[arg(long, value_name = "+NUMBER")]
    pub phone: Option<String>,

    /// Then resend a confirmation code, to the new address
    #[arg(long)]
    pub resend: bool,

    /// The support ticket, for the audit log
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: ResendFormat,
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Only users who signed up longer ago than this: 30d, 2w, 12h (units s, m, h, d, w)
    #[arg(long, value_name = "DURATION", value_parser = crate::time::parse_duration)]
    pub older_than: chrono::Duration,

    /// And more recently than this (a window: --older-than 7d --newer-than 30d)
    #[arg(long, value_name = "DURATION", value_parser = crate::time::parse_duration)]
    pub newer_than: Option<chrono::Duration>,

    /// Which users [default: unconfirmed]
    #[arg(long, value_enum, default_value = "unconfirmed")]
    pub status: StatusArg,

    /// Server-side search, as for `list`: ATTR=VALUE or ATTR^=VALUE
    #[arg(long, value_name = "ATTR=VALUE")]
    pub search: Option<String>,

    /// List what would be deleted, and delete nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Delete without the typed confirmation (needed when there is no terminal)
    #[arg(long)]
    pub yes: bool,

    /// Delete at most this many users in one run (the oldest first); run again for the rest
    #[arg(long, value_name = "N", default_value_t = crate::ops::prune::DEFAULT_LIMIT)]
    pub limit: usize,

    /// The support ticket or change this is for, for the audit log
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,

    /// Deletions per second at most (leaves room for the production app's calls)
    #[arg(long, value_name = "PER_SECOND", default_value = "5", value_parser = parse_rate)]
    pub rate: f64,

    /// Why, for the audit log [default: the criteria]
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Which users
    #[arg(long, value_enum, default_value = "unconfirmed")]
    pub status: StatusArg,

    /// Server-side search, as for `list`: ATTR=VALUE or ATTR^=VALUE
    #[arg(long, value_name = "ATTR=VALUE")]
    pub search: Option<String>,

    /// Only users who signed up longer ago than this
    #[arg(long, value_name = "DURATION", value_parser = crate::time::parse_duration)]
    pub older_than: Option<chrono::Duration>,

    /// Only users who signed up more recently than this
    #[arg(long, value_name = "DURATION", value_parser = crate::time::parse_duration)]
    pub newer_than: Option<chrono::Duration>,

    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: StatsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnoseFormat {
    /// One block per check: status, id, summary, what it means, the field it read
    Text,
    /// {"pool","user_pool_id","checks":[{"id","status","summary","detail","source"}]}
    Json,
}

/// `cogtui stats` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// The count, then by age, sign-up day, email domain, phone country and medium, as text
    Text,
    /// {"total","by_age","by_day","by_domain","by_country","by_medium","disabled","complete"}
    Json,
}

/// `cogtui history` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// One line per action: time, pool, user, action, ticket, operator, outcome
    Table,
    /// One audit record per line: the outcome record (or the intent with "outcome": null)
    Json,
    /// A header row, then one row per action
    Csv,
}

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Also check this user: status, where the code goes, recent resends, age
    #[arg(long, value_name = "USERNAME")]
    pub user: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiagnoseFormat,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only this user
    pub username: Option<String>,

    /// Only what was done this long ago or later: 90m, 24h, 7d, 2w (units s, m, h, d, w)
    #[arg(long, value_name = "DURATION", value_parser = crate::time::parse_duration)]
    pub since: Option<chrono::Duration>,

    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: HistoryFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Unconfirmed,
    ForceChangePassword,
    All,
}

impl From<StatusArg> for StatusFilter {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Unconfirmed => StatusFilter::Unconfirmed,
            StatusArg::ForceChangePassword => StatusFilter::ForceChangePassword,
            StatusArg::All => StatusFilter::All,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for people (control characters escaped)
    Table,
    /// One JSON object per line: username, status, enabled, created, modified, attributes
    Json,
    /// A header row, then one row per user
    Csv,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Which users to list
    #[arg(long, value_enum, default_value = "unconfirmed")]
    pub status: StatusArg,

    /// Server-side search on one attribute: ATTR=VALUE (exact) or ATTR^=VALUE (prefix).
    /// ATTR is one of username, email, phone_number, name, given_name, family_name,
    /// preferred_username, sub
    #[arg(long, value_name = "ATTR=VALUE")]
    pub search: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,

    /// Only users who signed up longer ago than this: 7d, 24h, 2w (units s, m, h, d, w)
    #[arg(long, value_name = "DURATION", value_parser = crate::time::parse_duration)]
    pub older_than: Option<chrono::Duration>,

    /// Only users who signed up more recently than this
    #[arg(long, value_name = "DURATION", value_parser = crate::time::parse_duration)]
    pub newer_than: Option<chrono::Duration>,

    /// Row order: as the service pages them (streamed, the default), or newest first (waits for
    /// the last page)
    #[arg(long, value_enum, default_value = "service")]
    pub sort: SortArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Streamed as pages arrive, in the service's order
    Service,
    /// Newest sign-up first, once the listing is complete
    Created,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResendFormat {
    /// Where the code went and a reply for the ticket on stdout; errors on stderr
    Text,
    /// {"username","destination","delivery_medium","attribute_name"}, or {"error":{..}}
    Json,
}

#[derive(Debug, Args)]
pub struct ResendArgs {
    /// The username (an email or phone alias, or the sub, where the pool allows it)
    #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
    pub username: Option<String>,

    /// Resend to every username read from standard input, one per line (e.g. from
    /// `cogtui list --format json | jq -r .username`); skipped and listed before the count:
    /// users at the hourly limit, with a code in the last 15 minutes (see --again), named twice,
    /// or found gone, confirmed, invited or disabled by a look at each
    #[arg(long)]
    pub stdin: bool,

    /// With --stdin: send without the typed confirmation (needed when there is no terminal)
    #[arg(long, requires = "stdin")]
    pub yes: bool,

    /// With --stdin: list who would get a code, and send nothing
    #[arg(long, requires = "stdin")]
    pub dry_run: bool,

    /// With --stdin: sends per second at most (leaves room for the production app's calls)
    #[arg(long, value_name = "PER_SECOND", default_value = "2", value_parser = parse_rate, requires = "stdin")]
    pub rate: f64,

    /// ClientMetadata for the pool's Lambda triggers; repeat it. Merged over the pool's
    /// [client_metadata] defaults, the command line winning
    #[arg(long = "meta", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub meta: Vec<(String, String)>,

    /// AnalyticsMetadata.AnalyticsEndpointId [default: the pool's analytics_endpoint_id]
    #[arg(long, value_name = "ID")]
    pub analytics_endpoint_id: Option<String>,

    /// UserContextData.IpAddress: the end user's IP address
    #[arg(long, value_name = "ADDR")]
    pub ip: Option<std::net::IpAddr>,

    /// UserContextData.EncodedData: the device fingerprint from the Cognito context-data library
    #[arg(long, value_name = "DATA")]
    pub encoded_data: Option<String>,

    /// The support ticket this is for: recorded in the audit log, and sent as ClientMetadata
    /// under the pool's ticket_metadata_key when it has one
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,

    /// After the send, watch the delivery logs for the user this long (a read every 15 s,
    /// e.g. 2m): exits 1 when a delivery error is logged
    #[arg(long, value_name = "DURATION", value_parser = parse_watch, conflicts_with = "stdin")]
    pub watch: Option<std::time::Duration>,

    /// Send even though the audit log holds five resends of this user in the last hour
    /// (Cognito will most likely refuse)
    #[arg(long)]
    pub force: bool,

    /// With --stdin: also send to users who got a code (or may have) in the last 15 minutes,
    /// which invalidates that code
    #[arg(long, requires = "stdin")]
    pub again: bool,

    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: ResendFormat,
}

fn parse_key_value(s: &str) -> Result<(String, String), String> {
    let (key, value) = s
        .split_once('=')
        .ok_or_else(|| format!("expected KEY=VALUE, got \"{s}\""))?;
    if key.trim().is_empty() {
        return Err("the key before '=' is empty".into());
    }
    Ok((key.trim().to_string(), value.to_string()))
}

fn parse_watch(s: &str) -> Result<std::time::Duration, String> {
    let span = crate::time::parse_duration(s)?;
    match span.to_std() {
        Ok(d) if d.as_secs() >= 1 && d.as_secs() <= 3600 => Ok(d),
        _ => Err(format!("expected 1s to 1h, got \"{s}\"")),
    }
}

fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(rate) if rate.is_finite() && (0.1..=50.0).contains(&rate) => Ok(rate),
        _ => Err(format!(
            "expected calls per second between 0.1 and 50, got \"{s}\""
        )),
    }
}

fn parse_timeout(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(secs) if secs.is_finite() && (0.1..=600.0).contains(&secs) => Ok(secs),
        _ => Err(format!("expected seconds between 0.1 and 600, got \"{s}\"")),
    }
}

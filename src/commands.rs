//! Wires the command line to the config, the Cognito layer and the UI, and decides exit codes.

use std::io::Write;
use std::process::ExitCode;

use crate::audit::AuditLog;
use crate::cli::{Cli, Command, ListArgs, ResendArgs};
use crate::cognito::sdk::SdkCognito;
use crate::cognito::session::{self, OpenError, Overrides};
use crate::cognito::{ApiError, ErrorKind, ListAllError, ListQuery, Search};
use crate::config::{self, Config, ConfigError};
use crate::headless;
use crate::ops::Auditor;

/// Why cogtui stopped early; the binary's edge turns it into a message and an exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("error: {0}")]
    Config(#[from] ConfigError),
    #[error("error: {0}")]
    Usage(String),
    /// Already reported on stderr/stdout in the requested format.
    #[error("{0}")]
    Reported(ApiError),
    #[error("error: {}: {}\nhint: {}", crate::text::sanitize(&.0.code), crate::text::sanitize(&.0.message), .0.hint())]
    Api(ApiError),
    #[error("error: {0}")]
    Io(#[from] std::io::Error),
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Config(_) | Failure::Usage(_) => ExitCode::from(2),
            _ => ExitCode::from(1),
        }
    }
}

impl From<OpenError> for Failure {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::Config(c) => Failure::Config(c),
            OpenError::Api(a) => Failure::Api(a),
        }
    }
}

pub fn load_config(cli: &Cli) -> Result<Config, Failure> {
    let path = config::resolve_path(cli.config.as_deref()).ok_or_else(|| {
        Failure::Usage("cannot find a config directory on this system: pass --config PATH".into())
    })?;
    Ok(Config::load(&path)?)
}

pub fn overrides(cli: &Cli) -> Overrides {
    Overrides {
        profile: cli.profile.clone(),
        region: cli.region.clone(),
        endpoint_url: cli.endpoint_url.clone(),
        attempt_timeout: cli.timeout.map(std::time::Duration::from_secs_f64),
    }
}

pub async fn run(cli: Cli) -> Result<(), Failure> {
    // Before any config: init writes it.
    if let Some(Command::Init(args)) = &cli.command {
        return headless::init::run(&cli, args).await;
    }
    let config = load_config(&cli)?;
    if let Some(Command::Audit(command)) = &cli.command {
        return headless::audit::run(&config, command);
    }
    // The history covers every pool unless one is named.
    if let Some(Command::History(args)) = &cli.command {
        let pool = match &cli.pool {
            Some(name) => Some(config.select(Some(name))?.clone()),
            None => None,
        };
        return headless::history::run(&config, pool.as_ref(), args, cli.redact);
    }
    let pool = config.select(cli.pool.as_deref())?.clone();
    let overrides = overrides(&cli);
    match &cli.command {
        Some(Command::List(args)) => list(&config, &pool, &overrides, args, cli.redact).await,
        Some(Command::Prune(args)) => prune(&config, &pool, &overrides, args, cli.read_only).await,
        Some(Command::Stats(args)) => headless::stats::run(&pool, &overrides, args).await,
        Some(Command::Resend(args)) => {
            resend(&config, &pool, &overrides, args, cli.read_only, cli.redact).await
        }
        Some(Command::Diagnose(args)) => {
            headless::diagnose::run(&config, &pool, &overrides, args, cli.redact).await
        }
        Some(Command::Invite(args)) => {
            refuse_if_read_only(&pool, cli.read_only, "invite")?;
            let mut notes = Vec::new();
            let metadata = headless::resend::client_metadata(
                &pool,
                &args.meta,
                args.ticket.as_deref(),
                &mut notes,
            )
            .map_err(Failure::Usage)?;
            print_notes(&notes);
            let (session, auditor) =
                admin(&config, &pool, &overrides, false, cli.read_only).await?;
            report(headless::admin::invite(&session, &auditor, args, metadata).await)
        }
        Some(Command::Confirm(args)) => {
            refuse_if_read_only(&pool, cli.read_only, "confirm")?;
            if args.reason.trim().is_empty() {
                return Err(Failure::Usage(
                    "--reason is empty: say how the user's identity was checked".into(),
                ));
            }
            let (session, auditor) =
                admin(&config, &pool, &overrides, false, cli.read_only).await?;
            report(headless::admin::confirm(&session, &auditor, args).await)
        }
        Some(Command::SetContact(args)) => {
            refuse_if_read_only(&pool, cli.read_only, "set-contact")?;
            let (contact, value) = headless::admin::contact(args).map_err(Failure::Usage)?;
            let mut notes = Vec::new();
            let metadata =
                headless::resend::client_metadata(&pool, &[], args.ticket.as_deref(), &mut notes);
            // Without --resend the pool's metadata rules do not apply: nothing is sent.
            let metadata = match (args.resend, metadata) {
                (true, Err(e)) => return Err(Failure::Usage(e)),
                (true, Ok(m)) => m,
                (false, _) => Default::default(),
            };
            if args.resend {
                print_notes(&notes);
            }
            let options = crate::cognito::ResendOptions {
                client_metadata: metadata,
                analytics_endpoint_id: pool.analytics_endpoint_id.clone(),
                ..Default::default()
            };
            let (session, auditor) =
                admin(&config, &pool, &overrides, args.resend, cli.read_only).await?;
            report(
                headless::admin::set_contact(
                    &session, &auditor, args, contact, value, options, cli.redact,
                )
                .await,
            )
        }
        Some(Command::Disable(args)) => {
            switch(&config, &pool, &overrides, args, false, cli.read_only).await
        }
        Some(Command::Enable(args)) => {
            switch(&config, &pool, &overrides, args, true, cli.read_only).await
        }
        Some(Command::Unsuppress(args)) => {
            fix(
                &config,
                &pool,
                &overrides,
                args,
                false,
                cli.read_only,
                cli.redact,
            )
            .await
        }
        Some(Command::SmsOptIn(args)) => {
            fix(
                &config,
                &pool,
                &overrides,
                args,
                true,
                cli.read_only,
                cli.redact,
            )
            .await
        }
        Some(Command::History(_) | Command::Init(_) | Command::Audit(_)) => Ok(()),
        None => crate::tui::run(
            config,
            pool.name.clone(),
            overrides,
            crate::tui::Modes {
                read_only: cli.read_only,
                redact: cli.redact,
            },
        )
        .await
        .map_err(|e| match e {
            crate::tui::Error::Config(c) => Failure::Config(c),
            crate::tui::Error::NoTerminal => Failure::Usage(e.to_string()),
            crate::tui::Error::Terminal(io) => Failure::Io(io),
        }),
    }
}

async fn list(
    config: &Config,
    pool: &config::PoolConfig,
    overrides: &Overrides,
    args: &ListArgs,
    redact: bool,
) -> Result<(), Failure> {
    let query = list_query(args.status, args.search.as_deref())?;
    // Listing never needs the client secret, so an unset variable is no error here; a secret
    // file that others can read is, whatever the command.
    if matches!(pool.secret, crate::secret::SecretSource::File { .. }) {
        session::local_secret(config, pool, |_| None)?;
    }
    let api = session::connect(pool, overrides).await;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let shape = headless::list::Shape {
        redact,
        older_than: args.older_than,
        newer_than: args.newer_than,
        sort_created: args.sort == crate::cli::SortArg::Created,
    };
    match headless::list::run(&api, &query, args.format, shape, &mut out).await {
        Ok(_) => Ok(()),
        Err(ListAllError::Api {
            error,
            users,
            pages,
        }) => {
            if pages > 0 {
                eprintln!(
                    "cogtui: the listing stopped after {users} users in {pages} pages; \
                     the rows above are complete up to there"
                );
            }
            Err(Failure::Api(error))
        }
        Err(ListAllError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(ListAllError::Output(e)) => Err(Failure::Io(e)),
    }
}

async fn resend(
    config: &Config,
    pool: &config::PoolConfig,
    overrides: &Overrides,
    args: &ResendArgs,
    read_only: bool,
    redact: bool,
) -> Result<(), Failure> {
    if !(args.stdin && args.dry_run) {
        refuse_if_read_only(pool, read_only, "resend")?;
    }
    // Bad metadata is a usage error, found before anything is sent.
    let mut notes = Vec::new();
    let options = headless::resend::options(pool, args, &mut notes).map_err(Failure::Usage)?;
    for note in &notes {
        eprintln!("{note}");
    }
    let log = audit_log(config)?;
    let Some(username) = args.username.as_deref() else {
        return resend_many(config, pool, overrides, args, options, log, read_only).await;
    };
    let session = session::open(config, pool, overrides).await?;
    let auditor = Auditor::new(log, crate::ops::operator(&session.api).await, read_only);
    let outcome =
        headless::resend::run(&session, &auditor, &config.reply, args, username, options).await;
    let (printed, error) = match outcome {
        Ok(printed) => (printed, None),
        Err((error, printed)) => (printed, Some(error)),
    };
    std::io::stdout().write_all(printed.stdout.as_bytes())?;
    std::io::stderr().write_all(printed.stderr.as_bytes())?;
    if let Some(e) = error {
        return Err(Failure::Reported(e));
    }
    match args.watch {
        Some(span) => watch(&session, overrides, username, span, args.format, redact).await,
        None => Ok(()),
    }
}

/// `resend --watch`: the delivery logs, read right away and every 15 s for `span`; a delivery
/// error logged for the user is printed and makes the command exit 1.
async fn watch(
    session: &session::PoolSession<SdkCognito>,
    overrides: &Overrides,
    username: &str,
    span: std::time::Duration,
    format: crate::cli::ResendFormat,
    redact: bool,
) -> Result<(), Failure> {
    use crate::cognito::CognitoApi;
    let pool = &session.pool;
    let facts = session.api.pool_facts(&pool.client_id).await;
    let settings = facts.pool.map_err(Failure::Api)?;
    let logs = facts.logs.map_err(Failure::Api)?;
    let user = session.api.get_user(username).await.map_err(Failure::Api)?;
    let evidence = crate::evidence::Evidence::connect(
        &overrides.endpoint_for(pool),
        settings.sns_region.as_deref(),
    )
    .await;
    let targets = crate::evidence::log_targets(&settings, &logs, &pool.region);
    let mask = crate::evidence::masker(&user, redact);
    let stop = crate::ops::bulk::Stop::default();
    let print = |seen: &crate::evidence::Watched| {
        let line = seen.line(crate::time::Zone::Local, &mask);
        let out = match format {
            crate::cli::ResendFormat::Text => format!("watch: {}\n", crate::text::sanitize(&line)),
            crate::cli::ResendFormat::Json => format!(
                "{}\n",
                crate::text::json_safe(
                    &serde_json::json!({"watch": line, "over": seen.is_over()}).to_string()
                )
            ),
        };
        let _ = std::io::stdout().write_all(out.as_bytes());
        let _ = std::io::stdout().flush();
    };
    let seen = evidence
        .watch(
            &targets,
            &crate::evidence::search_terms(&user),
            chrono::Utc::now() - chrono::Duration::seconds(30),
            span,
            crate::evidence::WATCH_EVERY,
            &stop,
            |seen| print(&seen),
        )
        .await;
    match seen {
        crate::evidence::Watched::Found(_) => Err(Failure::Reported(ApiError::local(
            crate::cognito::Operation::LogEvents,
            crate::cognito::ErrorKind::Other,
            "a delivery error was logged for the code just sent",
        ))),
        _ => Ok(()),
    }
}

/// Where the audit log is, or a usage error saying how to give it one.
pub fn audit_log(config: &Config) -> Result<AuditLog, Failure> {
    let log = AuditLog::from_config(config).ok_or_else(|| {
        Failure::Usage(format!(
            "no data directory for the audit log on this system: set audit_log in {}",
            config.path.display()
        ))
    })?;
    if let Some(warning) = log.warning() {
        eprintln!("warning: {warning}");
    }
    Ok(log)
}

/// Read-only mode refuses every action before anything is read or called (exit 2).
fn refuse_if_read_only(
    pool: &config::PoolConfig,
    read_only: bool,
    command: &str,
) -> Result<(), Failure> {
    if read_only || pool.read_only {
        let why = if read_only {
            "--read-only (or COGTUI_READ_ONLY) is set"
        } else {
            "the pool's config says read_only = true"
        };
        return Err(Failure::Usage(format!(
            "`{command}` changes users or sends messages, and {why}: nothing was done"
        )));
    }
    Ok(())
}

fn print_notes(notes: &[String]) {
    for note in notes {
        eprintln!("{note}");
    }
}

/// A session and an auditor for an admin action; the client secret is read only when a code
/// is sent (invitations, confirmations and changes do not need it).
async fn admin(
    config: &Config,
    pool: &config::PoolConfig,
    overrides: &Overrides,
    needs_secret: bool,
    read_only: bool,
) -> Result<(session::PoolSession<SdkCognito>, Auditor), Failure> {
    let log = audit_log(config)?;
    let session = if needs_secret {
        session::open(config, pool, overrides).await?
    } else {
        let api = session::connect(pool, overrides).await;
        session::PoolSession::new(pool.clone(), api, None)
    };
    // The operations refuse in read-only mode themselves; the command's own refusal before
    // them is only for its exit code and message.
    let auditor = Auditor::new(log, crate::ops::operator(&session.api).await, read_only);
    Ok((session, auditor))
}

/// `cogtui unsuppress` and `cogtui sms-opt-in`: in the regions the pool's email and SMS go out
/// of (DescribeUserPool says which).
async fn fix(
    config: &Config,
    pool: &config::PoolConfig,
    overrides: &Overrides,
    args: &crate::cli::FixArgs,
    sms: bool,
    read_only: bool,
    redact: bool,
) -> Result<(), Failure> {
    let command = if sms { "sms-opt-in" } else { "unsuppress" };
    if !args.dry_run {
        refuse_if_read_only(pool, read_only, command)?;
    }
    let (session, auditor) = admin(config, pool, overrides, false, read_only).await?;
    let settings = crate::cognito::CognitoApi::pool_facts(&session.api, &pool.client_id)
        .await
        .pool
        .ok();
    let action = match (sms, &settings) {
        (true, s) => crate::ops::Action::SmsOptIn {
            region: s
                .as_ref()
                .and_then(|s| s.sns_region.clone())
                .unwrap_or_else(|| pool.region.clone()),
            number: String::new(),
        },
        (false, s) => crate::ops::Action::Unsuppress {
            region: s.as_ref().map_or_else(
                || pool.region.clone(),
                |s| crate::evidence::ses_region(s, &pool.region),
            ),
            address: String::new(),
        },
    };
    report(headless::admin::fix(&session, &auditor, args, action, redact).await)
}

fn report(printed: headless::admin::Printed) -> Result<(), Failure> {
    std::io::stdout().write_all(printed.stdout.as_bytes())?;
    std::io::stderr().write_all(printed.stderr.as_bytes())?;
    match printed.error {
        Some(e) => Err(Failure::Reported(e)),
        None => Ok(()),
    }
}

/// Nothing happens in bulk without a person typing the count, or `--yes`.
fn confirm_bulk(question: &str, count: usize, yes: bool, what: &str) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    if !headless::bulk::terminal_present() {
        return Err(Failure::Usage(format!(
            "nothing {what}: there is no terminal to confirm on; pass --yes (after a --dry-run)"
        )));
    }
    if headless::bulk::typed_confirmation(question, &count.to_string())? {
        Ok(())
    } else {
        Err(Failure::Usage(format!(
            "nothing {what}: the confirmation was not the count"
        )))
    }
}

/// The end of a bulk run: the summary on stderr; exit 1 when something failed, was not
/// reached, or was done without its outcome recorded.
fn finish_bulk(tally: crate::ops::bulk::Tally, verb: &str, log: &AuditLog) -> Result<(), Failure> {
    eprint!("{}", tally.summary(verb, Some(log.path())));
    if !tally.failing() {
        return Ok(());
    }
    let error = match (
        tally.failed.into_iter().next(),
        tally.audit_warnings.into_iter().next(),
    ) {
        (Some((_, e)), _) => e,
        (None, Some(w)) => ApiError::local(
            crate::cognito::Operation::Delete,
            ErrorKind::AuditUnavailable,
            w,
        ),
        (None, None) => ApiError::local(
            crate::cognito::Operation::Delete,
            ErrorKind::Other,
            "stopped",
        ),
    };
    Err(Failure::Reported(error))
}

/// `resend --stdin`: the usernames from standard input, through the resend operation's plan.
async fn resend_many(
    config: &Config,
    pool: &config::PoolConfig,
    overrides: &Overrides,
    args: &ResendArgs,
    options: crate::cognito::ResendOptions,
    log: AuditLog,
    read_only: bool,
) -> Result<(), Failure> {
    use std::io::Read;
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let names = headless::bulk::usernames(&input);
    if names.is_empty() {
        return Err(Failure::Usage(
            "--stdin: no usernames on standard input".into(),
        ));
    }
    let mut session = session::open(config, pool, overrides).await?;
    let auditor = Auditor::new(
        log.clone(),
        crate::ops::operator(&session.api).await,
        read_only,
    );
    let tally = headless::resend::many(
        &mut session,
        &auditor,
        args,
        options,
        names,
        |question, n| confirm_bulk(question, n, args.yes, "sent"),
    )
    .await?;
    if args.dry_run {
        return Ok(());
    }
    finish_bulk(tally, "sent", &log)
}

/// `cogtui disable` / `cogtui enable`.
async fn switch(
    config: &Config,
    pool: &config::PoolConfig,
    overrides: &Overrides,
    args: &crate::cli::SwitchArgs,
    enable: bool,
    read_only: bool,
) -> Result<(), Failure> {
    let verb = if enable { "enable" } else { "disable" };
    if !args.dry_run {
        refuse_if_read_only(pool, read_only, verb)?;
    }
    if args.reason.trim().is_empty() {
        return Err(Failure::Usage(format!(
            "--reason is empty: say why the users are {verb}d (it goes to the audit log)"
        )));
    }
    let names = headless::switch::names(args)?;
    let (session, auditor) = admin(config, pool, overrides, false, read_only).await?;
    let tally = headless::switch::run(&session, &auditor, args, enable, names, |question, n| {
        confirm_bulk(
            question,
            n,
            args.yes,
            if enable { "enabled" } else { "disabled" },
        )
    })
    .await?;
    match tally {
        Some(tally) => finish_bulk(tally, &format!("{verb}d"), &auditor.log),
        None => Ok(()),
    }
}

async fn prune(
    config: &Config,
    pool: &config::PoolConfig,
    overrides: &Overrides,
    args: &crate::cli::PruneArgs,
    read_only: bool,
) -> Result<(), Failure> {
    if !args.dry_run {
        refuse_if_read_only(pool, read_only, "prune")?;
    }
    let query = list_query(args.status, args.search.as_deref())?;
    let log = audit_log(config)?;
    let api = session::connect(pool, overrides).await;
    let session = session::PoolSession::new(pool.clone(), api, None);
    let auditor = if args.dry_run {
        None
    } else {
        Some(Auditor::new(
            log.clone(),
            crate::ops::operator(&session.api).await,
            read_only,
        ))
    };
    let tally = headless::prune::run(&session, auditor.as_ref(), args, &query, |question, n| {
        confirm_bulk(question, n, args.yes, "deleted")
    })
    .await?;
    match tally {
        Some(tally) => finish_bulk(tally, "deleted", &log),
        None => Ok(()),
    }
}

/// `--status` and `--search` as one ListUsers query; a bad search is a usage error.
pub fn list_query(
    status: crate::cli::StatusArg,
    search: Option<&str>,
) -> Result<ListQuery, Failure> {
    let search = search
        .map(str::parse::<Search>)
        .transpose()
        .map_err(|e| Failure::Usage(format!("--search: {e}")))?;
    Ok(ListQuery {
        status: status.into(),
        search,
    })
}

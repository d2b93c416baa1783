//! Wires the command line to the config, the Cognito layer and the UI, and decides exit codes.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{Cli, Command, ListArgs, ResendArgs};
use crate::cognito::session::{self, OpenError, Overrides};
use crate::cognito::{ApiError, ListAllError, ListQuery, Search};
use crate::config::{self, Config, ConfigError};
use crate::headless;

/// Why cogtui stopped early; the binary's edge turns it into a message and an exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
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
    let config = load_config(&cli)?;
    let pool = config.select(cli.pool.as_deref())?.clone();
    let overrides = overrides(&cli);
    match &cli.command {
        Some(Command::List(args)) => list(&config, &pool, &overrides, args).await,
        Some(Command::Resend(args)) => resend(&config, &pool, &overrides, args).await,
        None => crate::tui::run(config, pool.name.clone(), overrides)
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
) -> Result<(), Failure> {
    let search = args
        .search
        .as_deref()
        .map(str::parse::<Search>)
        .transpose()
        .map_err(|e| Failure::Usage(format!("--search: {e}")))?;
    let query = ListQuery {
        status: args.status.into(),
        search,
    };
    // Listing never needs the client secret, so an unset variable is no error here; a secret
    // file that others can read is, whatever the command.
    if matches!(pool.secret, crate::secret::SecretSource::File { .. }) {
        session::local_secret(config, pool, |_| None)?;
    }
    let api =
        crate::cognito::sdk::SdkCognito::connect(&overrides.endpoint_for(pool), &pool.user_pool_id)
            .await;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match headless::list::run(&api, &query, args.format, &mut out).await {
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
) -> Result<(), Failure> {
    // Bad metadata is a usage error, found before anything is sent.
    let mut notes = Vec::new();
    let options = headless::resend::options(pool, args, &mut notes).map_err(Failure::Usage)?;
    for note in &notes {
        eprintln!("{note}");
    }
    let session = session::open(config, pool, overrides).await?;
    let outcome = headless::resend::run(&session, args, options).await;
    let (printed, error) = match outcome {
        Ok(printed) => (printed, None),
        Err((error, printed)) => (printed, Some(error)),
    };
    std::io::stdout().write_all(printed.stdout.as_bytes())?;
    std::io::stderr().write_all(printed.stderr.as_bytes())?;
    match error {
        Some(e) => Err(Failure::Reported(e)),
        None => Ok(()),
    }
}

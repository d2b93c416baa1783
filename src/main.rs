use std::process::ExitCode;

use clap::Parser;
use cogtui::cli::Cli;
use cogtui::commands::{self, Failure};

fn main() -> ExitCode {
    let cli = Cli::parse();
    cogtui::logging::init(cli.log_file.as_deref());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let outcome = runtime.block_on(commands::run(cli));
    // A call still hanging (the operator quit while it waited) must not hold up the exit.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !matches!(failure, Failure::Reported(_)) {
                eprintln!("{failure}");
            }
            failure.exit_code()
        }
    }
}

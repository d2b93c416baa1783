//! `cogtui audit init | import | export`: the desk's shared table ([audit] store = "dynamodb").

use std::io::{BufRead, Write};

use crate::audit::{AuditLog, Record};
use crate::cli::AuditCommand;
use crate::commands::Failure;
use crate::config::Config;

pub fn run(config: &Config, command: &AuditCommand) -> Result<(), Failure> {
    let Some(table_config) = &config.audit else {
        return Err(Failure::Usage(format!(
            "{} has no [audit] store = \"dynamodb\": the audit commands are for the desk's \
             shared table (see README, Working as a team)",
            config.path.display()
        )));
    };
    match command {
        AuditCommand::Init { print: true } => {
            print!("{}", crate::audit::dynamo::create_commands(table_config));
            Ok(())
        }
        AuditCommand::Init { print: false } => {
            let log = AuditLog::dynamodb(table_config);
            table(&log)?.create().map_err(|e| Failure::Usage(e.0))?;
            println!(
                "created table {} in {} (on-demand capacity{})",
                table_config.table,
                table_config.region,
                if table_config.retain_days.is_some() {
                    ", records expire after retain_days"
                } else {
                    ""
                }
            );
            Ok(())
        }
        AuditCommand::Import { files } => import(table_config, files),
        AuditCommand::Export { since } => {
            let log = AuditLog::dynamodb(table_config);
            let since = since.map(|d| chrono::Utc::now() - d);
            let (records, _) = log
                .read_since(since, |r| since.is_none_or(|s| r.time >= s))
                .map_err(|e| Failure::Usage(e.to_string()))?;
            let mut out = std::io::stdout().lock();
            for record in records {
                let line = serde_json::to_string(&record).map_err(std::io::Error::other)?;
                writeln!(out, "{line}")?;
            }
            Ok(())
        }
    }
}

fn table(log: &AuditLog) -> Result<&crate::audit::dynamo::Table, Failure> {
    log.table()
        .ok_or_else(|| Failure::Usage("the audit store is not a DynamoDB table".into()))
}

/// Reads every file first (a bad line names its file and line, and nothing is written), then
/// writes in batches with a progress bar. Records already in the table are written over with
/// themselves: run it again after an interruption and it picks up where it was, adding nothing.
fn import(
    table_config: &crate::config::AuditTable,
    files: &[std::path::PathBuf],
) -> Result<(), Failure> {
    let mut records: Vec<Record> = Vec::new();
    for path in files {
        let file = std::fs::File::open(path)
            .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
        for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
            if line.trim().is_empty() {
                continue;
            }
            let record: Record = serde_json::from_str(&line).map_err(|e| {
                Failure::Usage(format!(
                    "{}:{}: not a cogtui audit record ({e}): nothing was imported",
                    path.display(),
                    index + 1
                ))
            })?;
            records.push(record);
        }
    }
    let total = records.len();
    let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::new(total as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} records {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let log = AuditLog::dynamodb(table_config);
    let progress = bar.clone();
    let written = table(&log)?
        .import(records, move |n| progress.set_position(n as u64))
        .map_err(|e| Failure::Usage(e.0))?;
    bar.finish_and_clear();
    println!(
        "imported {written} records into {} ({} files); records already there are unchanged",
        table_config.table,
        files.len()
    );
    Ok(())
}

//! `cogtui history`: what the audit log says was done, one line per action.

use std::io::Write;

use crate::audit::{Attempt, Outcome};
use crate::cli::HistoryFormat;
use crate::time::Zone;

fn outcome_label(attempt: &Attempt) -> &'static str {
    match attempt.outcome() {
        Some(Outcome::Sent) => "sent",
        Some(Outcome::Done) => "done",
        Some(Outcome::Failed) => "failed",
        Some(Outcome::Unknown) => "unknown",
        None => "no outcome",
    }
}

/// Writes the attempts, oldest first. JSON is one record per line: the outcome record (or the
/// intent, with `outcome: null`, when none was written).
pub fn write(
    out: &mut impl Write,
    attempts: &[Attempt],
    format: HistoryFormat,
    zone: Zone,
) -> std::io::Result<()> {
    write_part(out, attempts, format, zone, true)
}

/// The same for one part of a longer history: the CSV header only with the first.
fn write_part(
    out: &mut impl Write,
    attempts: &[Attempt],
    format: HistoryFormat,
    zone: Zone,
    first: bool,
) -> std::io::Result<()> {
    match format {
        HistoryFormat::Json => {
            for attempt in attempts {
                let line =
                    serde_json::to_string(attempt.record()).map_err(std::io::Error::other)?;
                writeln!(out, "{}", crate::text::json_safe(&line))?;
            }
        }
        HistoryFormat::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            if first {
                csv.write_record([
                    "time",
                    "pool",
                    "username",
                    "action",
                    "ticket",
                    "operator",
                    "operator_arn",
                    "outcome",
                    "destination",
                    "delivery_medium",
                    "error_code",
                ])?;
            }
            for a in attempts {
                let r = a.record();
                let cells = [
                    a.at().to_rfc3339(),
                    r.pool.clone(),
                    r.username.clone(),
                    r.action.clone(),
                    r.ticket.clone().unwrap_or_default(),
                    r.operator.name(),
                    r.operator.arn.clone().unwrap_or_default(),
                    outcome_label(a).to_string(),
                    r.destination.clone().unwrap_or_default(),
                    r.delivery_medium.clone().unwrap_or_default(),
                    r.error_code.clone().unwrap_or_default(),
                ];
                csv.write_record(cells.iter().map(|c| crate::text::csv_cell(c)))?;
            }
            csv.flush()?;
        }
        HistoryFormat::Table => {
            if attempts.is_empty() {
                writeln!(out, "(nothing in the audit log matches)")?;
                return Ok(());
            }
            let rows: Vec<[String; 8]> = attempts
                .iter()
                .map(|a| {
                    let r = a.record();
                    let result = match a.outcome() {
                        Some(Outcome::Sent) => r
                            .destination
                            .clone()
                            .or_else(|| r.details.get("mediums").map(|m| format!("by {m}")))
                            .unwrap_or_default(),
                        Some(Outcome::Done) => r
                            .details
                            .iter()
                            .map(|(k, v)| format!("{k}={v}"))
                            .collect::<Vec<_>>()
                            .join(" "),
                        Some(Outcome::Failed) => r.error_code.clone().unwrap_or_default(),
                        Some(Outcome::Unknown) => "no answer: may have been sent".into(),
                        None => "may have been sent".into(),
                    };
                    [
                        zone.format(a.at(), "%F %H:%M:%S"),
                        r.pool.clone(),
                        r.username.clone(),
                        r.action.clone(),
                        r.ticket.clone().unwrap_or_default(),
                        r.operator.name(),
                        outcome_label(a).into(),
                        result,
                    ]
                    .map(|c| crate::text::sanitize(&c).into_owned())
                })
                .collect();
            let header = [
                "TIME", "POOL", "USER", "ACTION", "TICKET", "OPERATOR", "OUTCOME", "RESULT",
            ];
            let widths: Vec<usize> = (0..header.len())
                .map(|i| {
                    rows.iter()
                        .map(|r| unicode_width::UnicodeWidthStr::width(r[i].as_str()))
                        .chain([header[i].len()])
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let line = |cells: &[&str]| {
                cells
                    .iter()
                    .zip(&widths)
                    .map(|(c, w)| {
                        let cell = crate::text::cell(c, *w);
                        let pad =
                            w.saturating_sub(unicode_width::UnicodeWidthStr::width(cell.as_str()));
                        format!("{cell}{}", " ".repeat(pad))
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            writeln!(out, "{}", line(&header))?;
            for row in &rows {
                writeln!(out, "{}", line(&row.each_ref().map(String::as_str)))?;
            }
        }
    }
    Ok(())
}

/// `cogtui history`: the audit log read back, for one pool (or all) and one user (or all).
pub fn run(
    config: &crate::config::Config,
    pool: Option<&crate::config::PoolConfig>,
    args: &crate::cli::HistoryArgs,
    redact: bool,
) -> Result<(), crate::commands::Failure> {
    let log = crate::commands::audit_log(config)?;
    let since = args.since.map(|d| chrono::Utc::now() - d);
    let keep = |r: &crate::audit::Record| {
        pool.is_none_or(|p| r.user_pool_id == p.user_pool_id)
            && args.username.as_ref().is_none_or(|u| &r.username == u)
    };
    // Every month, as JSON or CSV: streamed a month at a time (a desk's years never all in
    // memory); a table needs every row for its widths.
    if since.is_none() && args.format != HistoryFormat::Table {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let mut first = true;
        let written = log
            .for_each_attempts(keep, |attempts, skipped| {
                warn_skipped(&skipped);
                let attempts: Vec<Attempt> = if redact {
                    attempts.into_iter().map(redacted).collect()
                } else {
                    attempts
                };
                let written = write_part(&mut out, &attempts, args.format, Zone::Local, first);
                first = false;
                written
            })
            .map_err(|e| crate::commands::Failure::Usage(e.to_string()))?;
        return match written {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => Ok(other?),
        };
    }
    // With --since, only the months it reaches are read.
    let (records, skipped) = log
        .read_since(since, keep)
        .map_err(|e| crate::commands::Failure::Usage(e.to_string()))?;
    warn_skipped(&skipped);
    let records = records
        .into_iter()
        .map(|r| if redact { r.redacted() } else { r });
    let attempts: Vec<_> = crate::audit::attempts(records.collect())
        .into_iter()
        .filter(|a| since.is_none_or(|t| a.at() >= t))
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match write(&mut out, &attempts, args.format, Zone::Local) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn warn_skipped(skipped: &[crate::audit::Skipped]) {
    for s in skipped {
        eprintln!(
            "warning: {}:{}: skipped a line that is not a cogtui record",
            s.path.display(),
            s.line
        );
    }
}

fn redacted(attempt: Attempt) -> Attempt {
    Attempt {
        intent: attempt.intent.redacted(),
        outcome: attempt.outcome.map(crate::audit::Record::redacted),
    }
}

//! Bulk work headless: the terminal around a bulk run (progress bar on stderr, a typed
//! confirmation that is never a paste, Ctrl-C). The run itself, its pacing, its stopping and its
//! tally are `ops::bulk`'s.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

use crate::cognito::CognitoWrite;
use crate::cognito::session::PoolSession;
use crate::ops::bulk::{Step, Stop, Tally};
use crate::ops::{Answer, Auditor, Request};
use crate::time::Zone;

/// Runs the requests through `ops::bulk`, one line per user on stdout. The first Ctrl-C stops
/// after the call in flight (its outcome is recorded); a second one leaves at once, writing the
/// call in flight as `unknown` first.
pub async fn run<A: CognitoWrite>(
    auditor: &Auditor,
    session: &PoolSession<A>,
    requests: Vec<Request>,
    rate: f64,
    verb: &str,
) -> Tally {
    let stop = Stop::default();
    let watcher = {
        let (stop, auditor) = (stop.clone(), auditor.clone());
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.request();
                eprintln!(
                    "\r\nstopping after the call in flight (it may take up to 30 s to answer); \
                     Ctrl-C again leaves at once"
                );
            }
            if tokio::signal::ctrl_c().await.is_ok() {
                let n = auditor.abandon_in_flight();
                eprintln!(
                    "\r\nleft at once: {n} call(s) in flight recorded as unknown in the audit log"
                );
                std::process::exit(130);
            }
        })
    };
    let bar = indicatif::ProgressBar::new(requests.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {msg} {pos}/{len} [{bar:30}] {per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(verb.to_string());
    let tally = crate::ops::bulk::run(
        auditor,
        session,
        requests,
        rate,
        &stop,
        Zone::Local,
        |step, warning, _| {
            if let Step::Done {
                username,
                answer,
                settled,
            } = step
            {
                let line = match answer {
                    Answer::Delivered(d) => format!(
                        "sent {} {} {}",
                        crate::text::sanitize(username),
                        d.medium,
                        crate::text::sanitize(&d.destination)
                    ),
                    _ => format!("{verb} {}", crate::text::sanitize(username)),
                };
                let line = match settled {
                    Some(note) => format!("{line} ({note})"),
                    None => line,
                };
                bar.suspend(|| println!("{line}"));
            }
            if let Some(w) = warning {
                bar.suspend(|| eprintln!("warning: {}", crate::text::sanitize(w)));
            }
            bar.inc(1);
        },
    )
    .await;
    bar.finish_and_clear();
    watcher.abort();
    tally
}

/// Usernames, one per line: blank lines and `#` comments skipped, repeats dropped.
pub fn usernames(input: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|l| seen.insert(l.to_string()))
        .map(str::to_string)
        .collect()
}

/// Whether a person is there to type a confirmation (the terminal, even when stdin is a pipe).
pub fn terminal_present() -> bool {
    std::io::stderr().is_terminal() && std::fs::File::open("/dev/tty").is_ok()
}

/// Asks the operator to type `expected` (a count); keys only: a paste is ignored. `Ok(false)`
/// when they typed something else or gave up (Esc, Ctrl-C).
pub fn typed_confirmation(question: &str, expected: &str) -> std::io::Result<bool> {
    let mut err = std::io::stderr();
    write!(
        err,
        "{question}\r\nType {expected} to go on (Esc cancels): "
    )?;
    err.flush()?;
    crossterm::terminal::enable_raw_mode()?;
    let _ = crossterm::execute!(err, crossterm::event::EnableBracketedPaste);
    let answer = read_typed();
    let _ = crossterm::execute!(err, crossterm::event::DisableBracketedPaste);
    crossterm::terminal::disable_raw_mode()?;
    writeln!(err)?;
    Ok(answer?.is_some_and(|typed| typed == expected))
}

fn read_typed() -> std::io::Result<Option<String>> {
    let mut typed = String::new();
    let mut err = std::io::stderr();
    loop {
        match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => match key.code {
                KeyCode::Enter => return Ok(Some(typed)),
                KeyCode::Esc => return Ok(None),
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    return Ok(None);
                }
                KeyCode::Backspace if typed.pop().is_some() => write!(err, "\x08 \x08")?,
                KeyCode::Char(c)
                    if !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    typed.push(c);
                    write!(err, "{c}")?;
                }
                _ => {}
            },
            Event::Paste(_) => write!(err, " (a paste is not a confirmation: type it) ")?,
            _ => {}
        }
        err.flush()?;
    }
}

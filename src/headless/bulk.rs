//! Bulk work headless: `prune` and `resend --stdin`. Paced under Cognito's quotas, with a
//! progress bar on stderr, a typed confirmation (never a paste), Ctrl-C stopping after the call
//! in flight, and a summary at the end. Every user goes through the guarded path.

use std::collections::HashSet;
use std::future::Future;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

use crate::cognito::ApiError;

/// What became of one user.
pub enum Step {
    Done(String),
    Skipped(String),
    Failed(ApiError),
}

#[derive(Default)]
pub struct Tally {
    pub done: usize,
    pub skipped: Vec<(String, String)>,
    pub failed: Vec<(String, ApiError)>,
    /// Ctrl-C stopped the run; these were not reached.
    pub not_reached: usize,
}

impl Tally {
    /// "deleted 120 · skipped 3 (…) · failed 1 (…)", then each skip and failure on its own line.
    pub fn summary(&self, verb: &str, audit_path: &std::path::Path) -> String {
        let mut out = format!("{verb} {}", self.done);
        if !self.skipped.is_empty() {
            out.push_str(&format!(" · skipped {}", self.skipped.len()));
        }
        if !self.failed.is_empty() {
            out.push_str(&format!(" · failed {}", self.failed.len()));
        }
        if self.not_reached > 0 {
            out.push_str(&format!(
                " · stopped by Ctrl-C: {} not reached (run again to continue)",
                self.not_reached
            ));
        }
        out.push('\n');
        for (user, why) in &self.skipped {
            out.push_str(&format!(
                "  skipped {}: {}\n",
                crate::text::sanitize(user),
                crate::text::sanitize(why)
            ));
        }
        for (user, e) in &self.failed {
            out.push_str(&format!(
                "  failed {}: {}: {} (hint: {})\n",
                crate::text::sanitize(user),
                crate::text::sanitize(&e.code),
                crate::text::sanitize(&e.message),
                e.hint()
            ));
        }
        out.push_str(&format!("audit log: {}\n", audit_path.display()));
        out
    }
}

/// Calls `act` for each user, at most `rate` a second, one at a time; a Ctrl-C lets the call in
/// flight finish and stops. Each finished user's line goes to stdout as it happens.
pub async fn run<F, Fut>(users: Vec<String>, rate: f64, verb: &str, mut act: F) -> Tally
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = Step>,
{
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let watcher = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, Ordering::SeqCst);
        }
    });
    let bar = indicatif::ProgressBar::new(users.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {msg} {pos}/{len} [{bar:30}] {per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(verb.to_string());
    let mut pace = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut tally = Tally::default();
    let total = users.len();
    for (i, user) in users.into_iter().enumerate() {
        if stop.load(Ordering::SeqCst) {
            tally.not_reached = total - i;
            break;
        }
        pace.tick().await;
        match act(user.clone()).await {
            Step::Done(line) => {
                tally.done += 1;
                bar.suspend(|| println!("{line}"));
            }
            Step::Skipped(why) => tally.skipped.push((user, why)),
            Step::Failed(e) => tally.failed.push((user, e)),
        }
        bar.inc(1);
    }
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

//! A bulk run is a run of single operations through the guard, one at a time, paced under
//! Cognito's quotas, stoppable after the call in flight. The TUI and the headless commands both
//! use this runner; they only show its steps and its tally.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Answer, Auditor, Request};
use crate::cognito::session::PoolSession;
use crate::cognito::{ApiError, CognitoWrite};
use crate::time::Zone;

/// Messages (codes, invitations) a second in a bulk run.
pub const SEND_RATE: f64 = 2.0;
/// Other writes (confirm, set-contact, delete) a second in a bulk run.
pub const CHANGE_RATE: f64 = 5.0;

/// Asks a run to stop after the call in flight; shared by the run and whoever can stop it.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    pub fn request(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn requested(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// "1 outcome", "2 outcomes".
pub fn outcomes(n: usize) -> String {
    format!("{n} outcome{}", if n == 1 { "" } else { "s" })
}

/// What became of one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Done {
        username: String,
        answer: Answer,
        /// A lost answer settled by a look ("deleted: confirmed by a fresh look").
        settled: Option<String>,
    },
    /// A rule left the user alone before any write (gone, no longer pending, a recent code).
    Skipped {
        username: String,
        /// The rule's refusal, with its kind (a front end offers the deliberate override).
        error: ApiError,
    },
    Failed {
        username: String,
        error: ApiError,
    },
}

/// The whole run, for the summary and the exit code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub done: usize,
    pub skipped: Vec<(String, String)>,
    pub failed: Vec<(String, ApiError)>,
    /// The run was stopped; these were not reached.
    pub not_reached: usize,
    pub stopped: bool,
    /// Outcomes that could not be written to the audit log.
    pub audit_warnings: Vec<String>,
}

impl Tally {
    /// Adds a step (and its audit warning).
    pub fn count(&mut self, step: &Step, audit_warning: Option<&str>) {
        match step {
            Step::Done { .. } => self.done += 1,
            Step::Skipped { username, error } => {
                self.skipped.push((username.clone(), error.message.clone()))
            }
            Step::Failed { username, error } => self.failed.push((username.clone(), error.clone())),
        }
        if let Some(w) = audit_warning {
            self.audit_warnings.push(w.to_string());
        }
    }

    /// Whether the run must end with a failing exit code.
    pub fn failing(&self) -> bool {
        !self.failed.is_empty() || self.not_reached > 0 || !self.audit_warnings.is_empty()
    }

    /// "deleted 120 · skipped 3 · failed 1", then each skip, failure and audit warning on its
    /// own line.
    pub fn summary(&self, verb: &str, audit_path: Option<&std::path::Path>) -> String {
        let mut out = format!("{verb} {}", self.done);
        if !self.skipped.is_empty() {
            out.push_str(&format!(" · skipped {}", self.skipped.len()));
        }
        if !self.failed.is_empty() {
            out.push_str(&format!(" · failed {}", self.failed.len()));
        }
        if self.stopped {
            out.push_str(&format!(
                " · stopped: {} not reached (run again to continue)",
                self.not_reached
            ));
        }
        if !self.audit_warnings.is_empty() {
            out.push_str(&format!(
                " · {} NOT recorded",
                outcomes(self.audit_warnings.len())
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
        for w in &self.audit_warnings {
            out.push_str(&format!("  warning: {}\n", crate::text::sanitize(w)));
        }
        if let Some(path) = audit_path {
            out.push_str(&format!("audit log: {}\n", path.display()));
        }
        out
    }
}

/// The step a single operation's result makes.
pub fn step(username: &str, done: super::Done<Answer>) -> (Step, Option<String>) {
    let step = match done.result {
        Ok(answer) => Step::Done {
            username: done.username,
            answer,
            settled: done.settled,
        },
        Err(error) => Step::of(username, Err(error)),
    };
    (step, done.audit_warning)
}

impl Step {
    /// The step an operation's result makes: a rule's refusal is a skip, any other error a
    /// failure.
    pub fn of(username: &str, result: Result<Answer, ApiError>) -> Step {
        let username = username.to_string();
        match result {
            Ok(answer) => Step::Done {
                username,
                answer,
                settled: None,
            },
            Err(error) if error.is_refusal() => Step::Skipped { username, error },
            Err(error) => Step::Failed { username, error },
        }
    }

    pub fn username(&self) -> &str {
        match self {
            Step::Done { username, .. }
            | Step::Skipped { username, .. }
            | Step::Failed { username, .. } => username,
        }
    }
}

/// Runs the requests one after the other through the guard, at most `rate` a second. The stop
/// request is read after each pacing wait, just before the next call: once asked, no call
/// starts. `on_step` hears of each user (with any audit warning, and when the answer came) as it
/// happens.
pub async fn run<A: CognitoWrite>(
    auditor: &Auditor,
    session: &PoolSession<A>,
    requests: Vec<Request>,
    rate: f64,
    stop: &Stop,
    zone: Zone,
    mut on_step: impl FnMut(&Step, Option<&str>, DateTime<Utc>),
) -> Tally {
    let mut pace = tokio::time::interval(Duration::from_secs_f64(1.0 / rate.max(0.01)));
    pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut tally = Tally::default();
    let total = requests.len();
    for (i, request) in requests.into_iter().enumerate() {
        if !stop.requested() {
            pace.tick().await;
        }
        if stop.requested() {
            tally.stopped = true;
            tally.not_reached = total - i;
            break;
        }
        let username = request.username.clone();
        let done = auditor.perform(session, request, zone).await;
        let at = done.at;
        let (step, warning) = step(&username, done);
        tally.count(&step, warning.as_deref());
        on_step(&step, warning.as_deref(), at);
    }
    tally
}

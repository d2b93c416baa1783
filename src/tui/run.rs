//! A run: operations one user after the other through `ops::bulk::run`, whether a bulk action's
//! or a resend dialog's send (a run of one). Both dialogs hold a [`Run`] while it goes and draw it
//! with the one progress view here; a finished run's tally has the one summary view.

use ratatui::style::Stylize;
use ratatui::text::Line;

use crate::ops::bulk::{Step, Tally};
use crate::text::sanitize;
use crate::tui::theme::Role;
use crate::tui::view::SPINNER;

/// A run in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The id its `ActProgress` and `ActDone` answer to.
    pub id: u64,
    /// Users in the run (one for a resend dialog's send).
    pub total: usize,
    /// Users done with so far (done, skipped or failed).
    pub done: usize,
    /// Esc was pressed: no call starts after the one in flight.
    pub stopping: bool,
    /// What came back so far.
    pub progress: Tally,
}

impl Run {
    pub fn new(id: u64, total: usize) -> Self {
        Run {
            id,
            total,
            done: 0,
            stopping: false,
            progress: Tally::default(),
        }
    }

    /// A user's step came back.
    pub fn heard(&mut self, step: &Step, audit_warning: Option<&str>) {
        self.done += 1;
        self.progress.count(step, audit_warning);
    }

    /// Asks the run to stop after the call in flight: the id to stop, the first time only.
    pub fn stop(&mut self) -> Option<u64> {
        (!self.stopping).then(|| {
            self.stopping = true;
            self.id
        })
    }

    /// The progress lines: `verb` names the work ("Sending", "Working").
    pub fn progress_lines(&self, verb: &str, spinner: usize) -> Vec<Line<'static>> {
        let spin = SPINNER[spinner % SPINNER.len()];
        let mut lines = vec![
            Line::from(if self.total == 1 {
                format!(" {spin} {verb}… waiting for Cognito")
            } else {
                format!(
                    " {spin} {verb}: {} of {} done{}",
                    self.done,
                    self.total,
                    if self.stopping {
                        " · stopping after the call in flight…"
                    } else {
                        ""
                    }
                )
            })
            .info(),
        ];
        if let Some(w) = self.progress.audit_warnings.last() {
            lines.push(
                Line::from(format!(
                    " ⚠ {} NOT recorded: {}",
                    crate::ops::bulk::outcomes(self.progress.audit_warnings.len()),
                    sanitize(w)
                ))
                .fail()
                .bold(),
            );
        }
        if self.total > 1 && !self.stopping {
            lines.push(Line::from(" Esc stops after the call in flight").dim());
        }
        lines
    }
}

/// A finished run's summary: the counts, then the first audit warnings, skips and failures.
pub fn summary_lines(title: &str, tally: &Tally) -> Vec<Line<'static>> {
    let (skipped, failed) = (&tally.skipped, &tally.failed);
    let mut lines = vec![
        Line::from(format!(
            " {title}: {} done · {} skipped · {} failed{}{}",
            tally.done,
            skipped.len(),
            failed.len(),
            if tally.stopped {
                format!(" · stopped: {} not reached", tally.not_reached)
            } else {
                String::new()
            },
            if tally.audit_warnings.is_empty() {
                String::new()
            } else {
                format!(
                    " · {} NOT recorded",
                    crate::ops::bulk::outcomes(tally.audit_warnings.len())
                )
            }
        ))
        .bold()
        .style(if failed.is_empty() && tally.audit_warnings.is_empty() {
            crate::tui::theme::current().ok
        } else {
            crate::tui::theme::current().fail
        }),
    ];
    for w in tally.audit_warnings.iter().take(2) {
        lines.push(Line::from(format!(" ⚠ {}", sanitize(w))).fail().bold());
    }
    for (user, why) in skipped.iter().take(4) {
        lines.push(Line::from(format!(" skipped {}: {}", sanitize(user), sanitize(why))).dim());
    }
    for (user, e) in failed.iter().take(4) {
        lines.push(
            Line::from(format!(
                " failed {}: {}: {}",
                sanitize(user),
                sanitize(&e.code),
                e.hint()
            ))
            .fail(),
        );
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::{ApiError, ErrorKind, Operation};
    use crate::ops::Answer;

    fn text(lines: &[Line]) -> String {
        lines
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_run_counts_its_steps_and_stops_once() {
        let mut run = Run::new(7, 3);
        run.heard(
            &Step::Done {
                username: "a".into(),
                answer: Answer::Done,
                settled: None,
            },
            None,
        );
        run.heard(
            &Step::of(
                "b",
                Err(ApiError::local(
                    Operation::Resend,
                    ErrorKind::UserGone,
                    "gone",
                )),
            ),
            Some("disk full"),
        );
        assert_eq!(
            (run.done, run.progress.done, run.progress.skipped.len()),
            (2, 1, 1)
        );
        let shown = text(&run.progress_lines("Working", 0));
        assert!(shown.contains("Working: 2 of 3 done"), "{shown}");
        assert!(
            shown.contains("1 outcome NOT recorded: disk full"),
            "{shown}"
        );
        assert!(shown.contains("Esc stops"), "{shown}");
        assert_eq!(run.stop(), Some(7));
        assert_eq!(run.stop(), None, "asked once");
        let shown = text(&run.progress_lines("Working", 0));
        assert!(
            shown.contains("stopping after the call in flight"),
            "{shown}"
        );
        assert!(!shown.contains("Esc stops"), "{shown}");
    }

    #[test]
    fn a_run_of_one_waits_for_cognito() {
        let shown = text(&Run::new(1, 1).progress_lines("Sending", 0));
        assert!(shown.contains("Sending… waiting for Cognito"), "{shown}");
        assert!(!shown.contains("of 1"), "{shown}");
    }
}

//! `D`: the pool's delivery checks, their keys and their view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use super::{Next, boxed, scrolled};
use crate::cognito::diagnostics::Status;
use crate::tui::app::{App, Diagnosis};
use crate::tui::keymap::{Command, Screen};
use crate::tui::theme::Role;
use crate::tui::view::{SPINNER, indented};

/// How far the checks are scrolled.
#[derive(Debug, Default)]
pub struct DiagnosticsScreen {
    pub scroll: u16,
}

impl DiagnosticsScreen {
    /// A key of `[keys.checks]`.
    pub fn on_command(&mut self, command: Option<Command>) -> Next {
        match command {
            Some(Command::Close) => return Next::Close,
            Some(Command::CheckAgain) => return Next::CheckAgain,
            Some(command) => super::scroll(&mut self.scroll, command),
            None => {}
        }
        Next::Stay
    }
}

/// `[WARN]` in the status's colour; readable without colour too.
pub fn status_tag(status: Status) -> ratatui::text::Span<'static> {
    let tag = ratatui::text::Span::from(format!("[{:<4}]", status.label().to_uppercase()));
    match status {
        Status::Ok => tag.good(),
        Status::Info => tag.info(),
        Status::Unknown => tag.unknown(),
        Status::Warn => tag.warn().bold(),
        Status::Fail => tag.fail().bold(),
    }
}

/// `D`: every check on the current pool, worst first, with what it means and where it was read.
pub struct DiagnosticsView<'a> {
    pub app: &'a App,
    pub scroll: u16,
}

impl Widget for DiagnosticsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let pool = self.app.current_pool();
        let width = area.width.saturating_sub(4).min(110);
        let text_width = width.saturating_sub(3) as usize;
        let mut lines: Vec<Line> = Vec::new();
        match self.app.diagnosis() {
            None | Some(Diagnosis::Checking) => {
                for line in indented(
                    &format!(
                        "{} asking Cognito: DescribeUserPool, DescribeUserPoolClient, \
                         GetLogDeliveryConfiguration…",
                        SPINNER[self.app.spinner % SPINNER.len()]
                    ),
                    text_width,
                    1,
                ) {
                    lines.push(Line::from(line).info());
                }
            }
            Some(Diagnosis::Ready { checks, at, .. }) => {
                let head = format!(
                    "Checked at {}: {}",
                    self.app.zone.clock(*at),
                    crate::cognito::diagnostics::counts(checks)
                );
                lines.extend(
                    indented(&head, text_width, 1)
                        .into_iter()
                        .map(|l| Line::from(l).bold()),
                );
                for check in crate::cognito::diagnostics::worst_first(checks) {
                    lines.push(Line::from(""));
                    let summary = indented(&check.summary, text_width, 8);
                    for (i, line) in summary.into_iter().enumerate() {
                        if i == 0 {
                            lines.push(Line::from(vec![
                                ratatui::text::Span::from(" "),
                                status_tag(check.status),
                                ratatui::text::Span::from(line[7..].to_string()).bold(),
                            ]));
                        } else {
                            lines.push(Line::from(line).bold());
                        }
                    }
                    if !check.detail.is_empty() {
                        lines.extend(
                            indented(&check.detail, text_width, 8)
                                .into_iter()
                                .map(Line::from),
                        );
                    }
                    lines.extend(
                        indented(&format!("{} · {}", check.id, check.source), text_width, 8)
                            .into_iter()
                            .map(|l| Line::from(l).dim()),
                    );
                }
            }
        }
        let block = boxed(format!(
            "Why a code may not arrive: pool {} ({})",
            crate::text::sanitize(&pool.name),
            pool.region
        ))
        .title_bottom(
            Line::from(format!(
                " {} ",
                self.app.keymap.hints(Screen::Checks, false).join(" · ")
            ))
            .dim(),
        );
        scrolled(block, lines, self.scroll, area, width, buf);
    }
}

//! `D`: the pool's delivery checks, their keys and their view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use super::{boxed, scrolled};
use crate::cognito::diagnostics::Status;
use crate::tui::app::{App, Diagnosis, Effect, Mode};
use crate::tui::keymap::{Command, Screen};
use crate::tui::theme::Role;
use crate::tui::view::{SPINNER, indented};
use crossterm::event::KeyEvent;

/// How far the checks are scrolled.
#[derive(Debug, Default)]
pub struct DiagnosticsScreen {
    pub scroll: u16,
}

impl App {
    pub(in crate::tui) fn on_diagnostics_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Mode::Diagnostics(DiagnosticsScreen { scroll }) = &mut self.mode else {
            return Vec::new();
        };
        match self.keymap.command(Screen::Checks, &key) {
            Some(Command::Close) => {
                // Back where `D` was pressed: the resend dialog, or the list.
                self.mode = match self.parked.take() {
                    Some(dialog) => Mode::Dialog(dialog),
                    None => Mode::Browse,
                };
            }
            Some(Command::CheckAgain) => return self.pool_facts(true),
            Some(command) => super::scroll(scroll, command),
            None => {}
        }
        Vec::new()
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

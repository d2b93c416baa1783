//! Help, the pool picker and notices.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph, Widget, Wrap};

use super::{SPINNER, centered, indented};
use crate::cognito::diagnostics::Status;
use crate::tui::app::{App, Diagnosis};
use crate::tui::keymap::{Keymap, Screen};
use crate::tui::theme::Role;

/// The resend dialog's keys (its fields and its confirmation are not in the keymap: a send is
/// confirmed by a bare `y` whatever the map says).
/// The resend dialog's keys the keymap does not hold: a confirmation's answers are fixed.
const CONFIRM_KEYS: &[(&str, &str)] = &[
    (
        "y",
        "at the question: send (a bare y only; Enter and a paste never send)",
    ),
    (
        "F",
        "send anyway after five resends in an hour (Cognito will likely refuse)",
    ),
    (
        "O",
        "go on although a colleague is on the user (named above it)",
    ),
];

fn boxed(title: &str) -> Block<'_> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(crate::tui::theme::current().border)
        .title(format!(" {title} "))
        .title_style(Style::new().bold())
}

pub struct HelpView<'a> {
    pub scroll: u16,
    /// The keys in force (the config's `[keys]` included): the help lists what they do.
    pub keymap: &'a Keymap,
    /// Read-only: the keys that send or change are not there to press, so not listed.
    pub read_only: bool,
}

/// A key (or keys) and what it does.
type KeyHelp = (String, &'static str);

impl Widget for HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let width = area.width.saturating_sub(4).min(84);
        let text_width = width.saturating_sub(3) as usize;
        let mut lines: Vec<Line> = Vec::new();
        if self.read_only {
            lines.push(
                Line::from(
                    " read-only: resends and admin actions are off (--read-only or the pool)",
                )
                .warn()
                .bold(),
            );
        }
        let mut sections: Vec<(Option<&str>, Vec<KeyHelp>)> = vec![
            (None, self.keymap.help(Screen::Browse, self.read_only)),
            (
                Some("In the charts (S)"),
                self.keymap.help(Screen::Stats, self.read_only),
            ),
        ];
        if !self.read_only {
            sections.push((
                Some("In the resend dialog"),
                self.keymap
                    .help(Screen::Dialog, self.read_only)
                    .into_iter()
                    .chain(CONFIRM_KEYS.iter().map(|(k, w)| (k.to_string(), *w)))
                    .collect(),
            ));
        }
        for (title, keys) in sections {
            if let Some(title) = title {
                lines.push(Line::from(""));
                lines.push(Line::from(format!(" {title}")).bold());
            }
            for (key, what) in keys {
                // Wrapped lines keep the indent of the description.
                let text = format!("{key:<15} {what}");
                // Terms such as created:2026-11-01..2026-11-07 are typed as they read: never
                // split at their hyphens.
                let options = textwrap::Options::new(text_width)
                    .initial_indent(" ")
                    .subsequent_indent("                 ")
                    .word_splitter(textwrap::WordSplitter::NoHyphenation);
                lines.extend(
                    textwrap::wrap(&text, options)
                        .into_iter()
                        .map(|l| Line::from(l.into_owned())),
                );
            }
        }
        let block = boxed("Keys").title_bottom(
            Line::from(format!(
                " {} ",
                self.keymap.hints(Screen::Help, self.read_only).join(" · ")
            ))
            .dim(),
        );
        scrolled(block, lines, self.scroll, area, width, buf);
    }
}

/// `lines` in `block`, centred in `area` and as tall as they need (within the screen), scrolled
/// down by `scroll` lines at most as far as the last line.
fn scrolled(
    block: Block<'static>,
    lines: Vec<Line<'static>>,
    scroll: u16,
    area: Rect,
    width: u16,
    buf: &mut Buffer,
) {
    let total = lines.len() as u16;
    let height = (total + 2).min(area.height.saturating_sub(2));
    let rect = centered(area, width, height, buf);
    let inner = block.inner(rect);
    block.render(rect, buf);
    let max_scroll = total.saturating_sub(inner.height);
    Paragraph::new(lines)
        .scroll((scroll.min(max_scroll), 0))
        .render(inner, buf);
}

pub struct PoolsView<'a> {
    pub app: &'a App,
    pub selected: usize,
}

impl Widget for PoolsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let mut lines: Vec<Line> = self
            .app
            .pools
            .iter()
            .enumerate()
            .map(|(i, pool)| {
                let marker = if i == self.app.pool { "●" } else { " " };
                let line = Line::from(format!(
                    " {marker} {:<16} {} ({})",
                    pool.name, pool.user_pool_id, pool.region
                ));
                if i == self.selected {
                    line.reversed()
                } else {
                    line
                }
            })
            .collect();
        lines.push(Line::from(""));
        lines.push(Line::from(" Enter switches · Esc closes").dim());
        let rect = centered(area, 76, lines.len() as u16 + 2, buf);
        Paragraph::new(lines)
            .block(boxed("Pools"))
            .render(rect, buf);
    }
}

pub struct NoticeView<'a> {
    pub title: &'a str,
    pub lines: &'a [String],
}

impl Widget for NoticeView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let mut lines: Vec<Line> = self
            .lines
            .iter()
            .map(|l| Line::from(format!(" {l}")))
            .collect();
        lines.push(Line::from(""));
        lines.push(Line::from(" Enter closes").dim());
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        let width = area.width.saturating_sub(4).min(90);
        let height = paragraph.line_count(width.saturating_sub(2)) as u16 + 2;
        let rect = centered(area, width, height, buf);
        paragraph.block(boxed(self.title)).render(rect, buf);
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
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .title(format!(
                " Why a code may not arrive: pool {} ({}) ",
                crate::text::sanitize(&pool.name),
                pool.region
            ))
            .title_style(Style::new().bold())
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

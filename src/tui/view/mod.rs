//! Drawing. Every view only reads the app's state.

mod dialog;
mod main_view;
mod overlays;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::app::{App, Mode};
use crate::cognito::ApiError;
use crate::text::sanitize;

/// The error banner's lines: what failed, then what to do.
pub fn banner_paragraph(err: &ApiError) -> Paragraph<'static> {
    let lines = vec![
        Line::from(vec![
            ratatui::text::Span::from(format!(" ✘ {} failed: ", err.operation.api_name())).bold(),
            ratatui::text::Span::from(format!("{}: {}", err.code, sanitize(&err.message))),
        ]),
        Line::from(format!(" hint: {} · r retries", err.hint())),
    ];
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// The banner wraps on narrow terminals; it never takes more than four lines.
pub fn banner_height(banner: Option<&ApiError>, width: u16) -> u16 {
    banner.map_or(0, |err| {
        (banner_paragraph(err).line_count(width) as u16).clamp(2, 4)
    })
}

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;
/// From this width the detail pane sits beside the table, below it otherwise.
pub const WIDE: u16 = 120;
const DETAIL_WIDTH: u16 = 44;
const DETAIL_HEIGHT: u16 = 9;
pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Where each part of the main screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub banner: Rect,
    pub table: Rect,
    pub detail: Rect,
    pub footer: Rect,
}

impl Areas {
    pub fn compute(area: Rect, banner_lines: u16) -> Self {
        let [header, banner, body, footer] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(banner_lines),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let (table, detail) = if area.width >= WIDE {
            let [t, d] =
                Layout::horizontal([Constraint::Fill(1), Constraint::Length(DETAIL_WIDTH)])
                    .areas(body);
            (t, d)
        } else if body.height >= DETAIL_HEIGHT + 6 {
            let [t, d] = Layout::vertical([Constraint::Fill(1), Constraint::Length(DETAIL_HEIGHT)])
                .areas(body);
            (t, d)
        } else {
            (body, Rect::default())
        };
        Self {
            header,
            banner,
            table,
            detail,
            footer,
        }
    }
}

pub fn too_small(size: (u16, u16)) -> bool {
    size.0 < MIN_WIDTH || size.1 < MIN_HEIGHT
}

/// How many user rows the table shows at this terminal size (below its header row).
pub fn table_rows(size: (u16, u16), banner: Option<&ApiError>) -> usize {
    let area = Rect::new(0, 0, size.0, size.1);
    Areas::compute(area, banner_height(banner, size.0))
        .table
        .height
        .saturating_sub(1) as usize
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if too_small((area.width, area.height)) {
            TooSmall {
                width: area.width,
                height: area.height,
            }
            .render(area, buf);
            return;
        }
        main_view::MainView { app: self }.render(area, buf);
        match &self.mode {
            Mode::Dialog(dialog) => dialog::DialogView {
                dialog,
                spinner: self.spinner,
            }
            .render(area, buf),
            Mode::Help => overlays::HelpView.render(area, buf),
            Mode::Pools { selected } => overlays::PoolsView {
                app: self,
                selected: *selected,
            }
            .render(area, buf),
            Mode::Notice { title, lines } => {
                overlays::NoticeView { title, lines }.render(area, buf)
            }
            Mode::Browse | Mode::Filter { .. } => {}
        }
    }
}

struct TooSmall {
    width: u16,
    height: u16,
}

impl Widget for TooSmall {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lines = vec![
            Line::from("Terminal too small").bold(),
            Line::from(format!(
                "{}×{}: cogtui needs at least {MIN_WIDTH}×{MIN_HEIGHT}",
                self.width, self.height
            )),
        ];
        let height = (lines.len() as u16).min(area.height);
        let y = area.y + area.height.saturating_sub(height) / 2;
        Paragraph::new(lines)
            .centered()
            .wrap(Wrap { trim: true })
            .render(
                Rect::new(
                    area.x,
                    y,
                    area.width,
                    height.max(area.height - (y - area.y)),
                ),
                buf,
            );
    }
}

/// A box in the middle of `area`, cleared first.
pub(super) fn centered(area: Rect, width: u16, height: u16, buf: &mut Buffer) -> Rect {
    let width = width.min(area.width.saturating_sub(2));
    let height = height.min(area.height.saturating_sub(2));
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    Clear.render(rect, buf);
    buf.set_style(rect, Style::default());
    rect
}

/// "3d", "5h", "12m": how long ago, in the largest unit that fits.
pub fn age(now: chrono::DateTime<chrono::Utc>, then: chrono::DateTime<chrono::Utc>) -> String {
    let secs = (now - then).num_seconds().max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s if s < 86_400 * 60 => format!("{}d", s / 86_400),
        s if s < 86_400 * 730 => format!("{}mo", s / (86_400 * 30)),
        s => format!("{}y", s / (86_400 * 365)),
    }
}

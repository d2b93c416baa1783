//! Where each part of the main screen goes. Both `app` (paging needs the table's height) and
//! `view` (drawing) use it, so neither needs the other.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Wrap};

use crate::cognito::ApiError;
use crate::text::sanitize;

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;
/// From this width the detail pane sits beside the table, below it otherwise: at 120 columns the
/// table needs the whole width to keep PHONE, ENABLED and LAST RESEND.
pub const WIDE: u16 = 160;
pub const DETAIL_WIDTH: u16 = 44;
pub const DETAIL_HEIGHT: u16 = 9;

/// The error banner's text: what failed, then what to do. The view styles the same lines.
pub fn banner_text(err: &ApiError, next: &str) -> [String; 2] {
    [
        format!(
            " ✘ {} failed: {}: {}",
            err.operation.api_name(),
            sanitize(&err.code),
            sanitize(&err.message)
        ),
        format!(" hint: {} · {next}", err.hint()),
    ]
}

/// The banner wraps on narrow terminals and grows to show the whole hint (the IAM action it
/// names must stay readable), up to a third of the screen.
pub fn banner_height(text: Option<&[String; 2]>, size: (u16, u16)) -> u16 {
    text.map_or(0, |lines| {
        let lines = Paragraph::new(
            lines
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("\n"),
        )
        .wrap(Wrap { trim: false })
        .line_count(size.0) as u16;
        lines.clamp(2, (size.1 / 3).max(2))
    })
}

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
            // Grows with the terminal (a user with many attributes), up to 2/5 of it.
            let height = (body.height * 2 / 5).clamp(DETAIL_HEIGHT, 16);
            let [t, d] =
                Layout::vertical([Constraint::Fill(1), Constraint::Length(height)]).areas(body);
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
pub fn table_rows(size: (u16, u16), banner: Option<&[String; 2]>) -> usize {
    let area = Rect::new(0, 0, size.0, size.1);
    Areas::compute(area, banner_height(banner, size))
        .table
        .height
        .saturating_sub(1) as usize
}

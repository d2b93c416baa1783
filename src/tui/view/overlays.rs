//! Help, the pool picker and notices.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph, Widget, Wrap};

use super::centered;
use crate::tui::app::App;

pub const KEYS: &[(&str, &str)] = &[
    ("↑ ↓  j k", "move the selection"),
    ("PgUp PgDn", "move a page"),
    ("Home End  g G", "first / last user"),
    ("Enter", "resend a code to the selected user"),
    ("/", "filter loaded users by username, email, phone or name"),
    (
        "/ attr^=value",
        "search the server, e.g. email^=jane or phone_number^=+44",
    ),
    ("Esc", "clear the filter, then leave a server search"),
    (
        "t",
        "switch status: UNCONFIRMED, FORCE_CHANGE_PASSWORD, all",
    ),
    ("r", "refresh (rows stay until the new ones arrive)"),
    ("p", "switch pool"),
    ("?", "this help"),
    ("q  Ctrl-C", "quit"),
    ("", ""),
    ("In the resend dialog", ""),
    ("a / d", "add / delete a ClientMetadata pair"),
    (
        "Enter",
        "edit the pair (Tab or Enter moves key → value → done)",
    ),
    ("x", "show AnalyticsEndpointId and UserContextData"),
    ("s, then y", "send, after confirming"),
    ("Esc", "close; the draft is kept for this user"),
];

fn boxed(title: &str) -> Block<'_> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .title(format!(" {title} "))
        .title_style(Style::new().bold())
}

pub struct HelpView;

impl Widget for HelpView {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lines: Vec<Line> = KEYS
            .iter()
            .map(|(key, what)| {
                if what.is_empty() {
                    Line::from(format!(" {key}")).bold()
                } else {
                    Line::from(format!(" {key:<15} {what}"))
                }
            })
            .chain([Line::from(""), Line::from(" Esc closes").dim()])
            .collect();
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        let width = area.width.saturating_sub(4).min(80);
        let height = paragraph.line_count(width.saturating_sub(2)) as u16 + 2;
        let rect = centered(area, width, height, buf);
        paragraph.block(boxed("Keys")).render(rect, buf);
    }
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

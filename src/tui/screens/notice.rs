//! A notice: what cogtui has to tell before the list (a title and lines; any key closes it).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{Next, boxed};
use crate::tui::view::centered;
use crossterm::event::{KeyCode, KeyEvent};

/// A notice's title and lines.
#[derive(Debug)]
pub struct NoticeScreen {
    pub title: String,
    pub lines: Vec<String>,
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

impl NoticeScreen {
    /// Any of Esc, Enter, q or ? closes it.
    pub fn on_key(&self, key: KeyEvent) -> Next {
        match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q' | '?') => Next::Close,
            _ => Next::Stay,
        }
    }
}

//! `p`: the pool picker, its keys and its view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::boxed;
use crate::tui::app::{App, Effect, Mode};
use crate::tui::keymap::{Command, Screen};
use crate::tui::view::centered;
use crossterm::event::KeyEvent;

/// The pool the cursor is on.
#[derive(Debug)]
pub struct PoolsScreen {
    pub selected: usize,
}

impl App {
    pub(in crate::tui) fn on_pools_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Mode::Pools(PoolsScreen { selected }) = &mut self.mode else {
            return Vec::new();
        };
        match self.keymap.command(Screen::Pools, &key) {
            Some(Command::Close) => self.mode = Mode::Browse,
            Some(Command::Up) => *selected = selected.saturating_sub(1),
            Some(Command::Down) => *selected = (*selected + 1).min(self.pools.len() - 1),
            Some(Command::Apply) => {
                let chosen = *selected;
                self.mode = Mode::Browse;
                if chosen != self.pool {
                    self.pool = chosen;
                    self.search = None;
                    self.users.set_filter("");
                    let mut effects = self.reload(false);
                    effects.extend(self.pool_facts(false));
                    return effects;
                }
            }
            _ => {}
        }
        Vec::new()
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

//! `p`: the pool picker, its keys and its view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::{Next, boxed};
use crate::tui::app::App;
use crate::tui::keymap::{Command, Screen};
use crate::tui::view::centered;

/// The pool the cursor is on.
#[derive(Debug)]
pub struct PoolsScreen {
    pub selected: usize,
}

impl PoolsScreen {
    /// A key of `[keys.pools]`, over `pools` configured pools.
    pub fn on_command(&mut self, command: Option<Command>, pools: usize) -> Next {
        match command {
            Some(Command::Close) => return Next::Close,
            Some(Command::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Command::Down) => self.selected = (self.selected + 1).min(pools.saturating_sub(1)),
            Some(Command::Apply) => return Next::SwitchPool(self.selected),
            _ => {}
        }
        Next::Stay
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
        let pools = lines.len();
        lines.push(Line::from(""));
        let key = |command| self.app.keymap.key(Screen::Pools, command);
        lines.push(
            Line::from(format!(
                " {} switches · {} closes",
                key(Command::Apply),
                key(Command::Close)
            ))
            .dim(),
        );
        let rect = centered(area, 76, lines.len() as u16 + 2, buf);
        // Where each pool is drawn, for a click.
        *self.app.menu_hits.borrow_mut() = super::entry_rows(rect, pools);
        Paragraph::new(lines)
            .block(boxed("Pools"))
            .render(rect, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_stays_among_the_pools_and_enter_switches_to_the_one_chosen() {
        let mut picker = PoolsScreen { selected: 0 };
        for _ in 0..3 {
            assert_eq!(picker.on_command(Some(Command::Down), 2), Next::Stay);
        }
        assert_eq!(picker.selected, 1, "no further than the last pool");
        assert_eq!(
            picker.on_command(Some(Command::Apply), 2),
            Next::SwitchPool(1)
        );
        assert_eq!(picker.on_command(Some(Command::Close), 2), Next::Close);
        assert_eq!(picker.on_command(None, 2), Next::Stay);
    }
}

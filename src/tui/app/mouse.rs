//! Clicks and the wheel.

use super::*;

impl App {
    /// A click selects (twice: opens), the wheel scrolls; a click outside a dialog does
    /// nothing, and no click ever sends.
    pub(crate) fn on_mouse(&mut self, event: MouseEvent) -> Vec<Effect> {
        let wheel = match event.kind {
            MouseEventKind::ScrollDown => Some(Command::Down),
            MouseEventKind::ScrollUp => Some(Command::Up),
            _ => None,
        };
        let click = event.kind == MouseEventKind::Down(MouseButton::Left);
        // The menu's offers, once (its cursor and its click both need them).
        let offers = match self.mode {
            Mode::Actions(_) => self.offers(),
            _ => Vec::new(),
        };
        let entry = self.menu_entry(event);
        match &mut self.mode {
            Mode::Browse => {
                if let Some(command) = wheel {
                    let delta = if command == Command::Down {
                        WHEEL_ROWS
                    } else {
                        -WHEEL_ROWS
                    };
                    self.users.move_by(delta);
                    self.users.scroll_into_view(self.table_rows());
                } else if click && let Some(row) = self.row_at(event.column, event.row) {
                    self.users.select(row);
                    self.users.scroll_into_view(self.table_rows());
                    let now = std::time::Instant::now();
                    let double = self
                        .last_click
                        .is_some_and(|(at, when)| at == row && now - when <= DOUBLE_CLICK);
                    self.last_click = (!double).then_some((row, now));
                    if double {
                        return self.open_dialog();
                    }
                }
            }
            Mode::Help(HelpScreen { scroll }) | Mode::Diagnostics(DiagnosticsScreen { scroll }) => {
                if let Some(command) = wheel {
                    for _ in 0..WHEEL_ROWS {
                        crate::tui::screens::scroll(scroll, command);
                    }
                }
            }
            Mode::Stats(StatsScreen {
                panel, selected, ..
            }) => {
                // The wheel moves along the chart's bars, as ← → do.
                if let Some(command) = wheel {
                    return self.on_stats_command(Some(if command == Command::Down {
                        Command::NextBar
                    } else {
                        Command::PrevBar
                    }));
                }
                // A click selects the bar under it; on the bar already selected, it filters the
                // table by it, as Enter does.
                let hit = self
                    .bar_hits
                    .borrow()
                    .iter()
                    .find(|h| {
                        h.area
                            .contains(ratatui::layout::Position::new(event.column, event.row))
                    })
                    .map(|h| (h.panel, h.index));
                match hit {
                    Some(bar) if click && bar == (*panel, *selected) => {
                        return self.on_stats_command(Some(Command::Apply));
                    }
                    Some((p, i)) if click => {
                        *panel = p;
                        *selected = i;
                    }
                    _ => {}
                }
            }
            // The menu: the wheel moves the cursor, a click opens the action under it (its
            // dialog asks before anything is done).
            Mode::Actions(menu) => {
                if let Some(command) = wheel {
                    menu.move_by(command, offers.len());
                } else if click && let Some(index) = entry {
                    return self.open_offer(offers.get(index).copied());
                }
            }
            // The pool picker: the wheel moves the cursor, a click switches to the pool under it.
            Mode::Pools(picker) => {
                let pools = self.pools.len();
                if let Some(command) = wheel {
                    let next = picker.on_command(Some(command), pools);
                    return self.follow(next);
                }
                if click && let Some(index) = entry {
                    picker.selected = index;
                    let next = picker.on_command(Some(Command::Apply), pools);
                    return self.follow(next);
                }
            }
            // In a dialog the wheel moves between its lines as its down and up keys do, while it
            // is a draft (never at a confirmation: there only a typed answer counts, nor while
            // a field is typed into).
            Mode::Dialog(d) if matches!(d.phase, Phase::Draft) && d.edit.is_none() => {
                if let Some(press) = wheel.and_then(|c| self.keymap.event(Screen::Dialog, c)) {
                    return self.on_key(press);
                }
                // A click on a line of the form moves there; on the line already chosen, it
                // does what the edit key does there (type into it, add a pair, show the
                // optional fields). Never a send.
                if click
                    && again(&self.dialog_hits, event, &mut d.focus)
                    && let Some(press) = self.keymap.event(Screen::Dialog, Command::Edit)
                {
                    return self.on_key(press);
                }
            }
            Mode::Action(d) if matches!(d.phase, ActPhase::Draft) && !d.editing => {
                if let Some(press) = wheel.and_then(|c| self.keymap.event(Screen::Action, c)) {
                    return self.on_key(press);
                }
                // A click on a field moves there; on the field already chosen, it types into
                // it, as the edit key does. Never the action itself.
                if click
                    && again(&self.action_hits, event, &mut d.focus)
                    && let Some(press) = self.keymap.event(Screen::Action, Command::Edit)
                {
                    return self.on_key(press);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// The entry of the open menu (the actions menu, the pool picker) under the mouse.
    fn menu_entry(&self, event: MouseEvent) -> Option<usize> {
        let at = ratatui::layout::Position::new(event.column, event.row);
        self.menu_hits.borrow().iter().position(|r| r.contains(at))
    }

    /// The table row (of all rows shown) at this screen position, if a user's row is there.
    fn row_at(&self, column: u16, row: u16) -> Option<usize> {
        let area = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
        let banner = self.banner_text();
        let table =
            layout::Areas::compute(area, layout::banner_height(banner.as_ref(), self.size)).table;
        // The first line of the table is its header.
        let inside = column >= table.x
            && column < table.x + table.width
            && row > table.y
            && row < table.y + table.height;
        let at = self.users.offset() + usize::from(row.checked_sub(table.y + 1)?);
        (inside && at < self.users.visible_len()).then_some(at)
    }
}

/// A click on a dialog's line (`hits`: where each was drawn): the focus moves to it; `true`
/// when it was there already (a second click, which acts as the edit key).
fn again<T: Copy + PartialEq>(
    hits: &std::cell::RefCell<Vec<(ratatui::layout::Rect, T)>>,
    event: MouseEvent,
    focus: &mut T,
) -> bool {
    let at = ratatui::layout::Position::new(event.column, event.row);
    let hit = hits
        .borrow()
        .iter()
        .find(|(r, _)| r.contains(at))
        .map(|(_, line)| *line);
    match hit {
        Some(line) if line == *focus => true,
        Some(line) => {
            *focus = line;
            false
        }
        None => false,
    }
}

//! The pool's checks (`D`) and the pool picker (`p`): their keys.

use super::*;

impl App {
    pub(super) fn on_diagnostics_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Mode::Diagnostics { scroll } = &mut self.mode else {
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
            Some(command) => scrolled(scroll, command),
            None => {}
        }
        Vec::new()
    }

    pub(super) fn on_pools_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Mode::Pools { selected } = &mut self.mode else {
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

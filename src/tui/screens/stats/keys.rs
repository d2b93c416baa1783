//! The charts (`S`): opening (the count on another thread), their keys, and what a bar filters
//! by. The state is `mod.rs`, the view `view.rs`.

use crossterm::event::KeyEvent;

use crate::cognito::User;
use crate::tui::app::*;
use crate::tui::keymap::{Command, Screen};
use crate::tui::screens::Next;
use crate::tui::users::UserList;

impl App {
    /// The numbers of the stats screen, over the rows the table shows, counted here (the view
    /// counts them on another thread: [`count_stats`]).
    pub fn stats(&self) -> crate::stats::Stats {
        count_stats(self.users.visible(), self.stats_basis())
    }

    /// `S`: the view opens at once; the rows it shows are counted on another thread.
    pub(crate) fn open_stats(&mut self) -> Vec<Effect> {
        self.next_request += 1;
        let id = self.next_request;
        let rows = self.users.snapshot();
        let basis = self.stats_basis();
        self.mode = Mode::Stats(StatsScreen {
            panel: StatsPanel::Days,
            selected: 0,
            stats: Box::default(),
            basis,
            counting: Some(Counting {
                id,
                rows: rows.len(),
                pending: Vec::new(),
            }),
        });
        vec![Effect::CountStats { id, rows, basis }]
    }

    /// The count is in: the users that came meanwhile are counted on top of it.
    pub(crate) fn on_counted(&mut self, id: u64, mut counted: Box<crate::stats::Stats>) {
        let Mode::Stats(StatsScreen {
            stats,
            basis,
            counting,
            selected,
            panel,
        }) = &mut self.mode
        else {
            return;
        };
        let Some(done) = counting.take_if(|c| c.id == id) else {
            return;
        };
        for (user, add) in &done.pending {
            if *add {
                counted.add(user, basis.now, basis.zone, basis.verifies);
            } else {
                counted.remove(user, basis.now, basis.zone, basis.verifies);
            }
        }
        if *panel == StatsPanel::Days {
            *selected = counted.by_day.len().saturating_sub(1);
        }
        *stats = counted;
    }

    fn stats_basis(&self) -> StatsBasis {
        StatsBasis {
            now: self.now,
            zone: self.zone,
            verifies: self
                .pool_settings()
                .map(|p| (p.verifies_phone(), p.verifies_email())),
        }
    }

    /// Adds users to the list (a loaded user is replaced by its fresher copy). An open stats
    /// view counts the new ones and takes back the copies they replace: O(page), where counting
    /// every loaded user again took 120 ms a page at a million.
    /// (Fields rather than `self`: a page is loaded while the listing's state is borrowed.)
    pub(crate) fn load(mode: &mut Mode, list: &mut UserList, users: Vec<User>) {
        Self::count_in_stats(mode, list, &users, true);
        let replaced = list.extend(users);
        Self::count_in_stats(mode, list, &replaced, false);
    }

    /// Puts a fresher copy of a loaded user in place (after a look or an action), the stats
    /// view kept in step.
    pub(crate) fn replace_user(&mut self, user: User) {
        Self::count_in_stats(
            &mut self.mode,
            &self.users,
            std::slice::from_ref(&user),
            true,
        );
        let old = self.users.replace(user);
        Self::count_in_stats(&mut self.mode, &self.users, &old, false);
    }

    /// Counts users in (or takes them out of) an open stats view, those the filter shows; while
    /// the view's first count runs, they wait to be counted after it.
    fn count_in_stats(mode: &mut Mode, list: &UserList, users: &[User], add: bool) {
        if let Mode::Stats(StatsScreen {
            stats,
            basis,
            counting,
            ..
        }) = mode
        {
            for user in users.iter().filter(|u| list.would_show(u)) {
                if let Some(counting) = counting {
                    counting.pending.push((user.clone(), add));
                } else if add {
                    stats.add(user, basis.now, basis.zone, basis.verifies);
                } else {
                    stats.remove(user, basis.now, basis.zone, basis.verifies);
                }
            }
        }
    }

    /// The `/` filter that bar `i` of a panel stands for.
    pub fn stats_bar_filter(
        stats: &crate::stats::Stats,
        panel: StatsPanel,
        i: usize,
    ) -> Option<String> {
        match panel {
            StatsPanel::Days => stats.by_day.keys().nth(i).map(|d| format!("created:{d}")),
            StatsPanel::Ages => crate::stats::AGE_BUCKETS.get(i).map(|(_, f)| f.to_string()),
            StatsPanel::Domains => crate::stats::Stats::top(&stats.by_domain, STATS_DOMAINS)
                .get(i)
                .map(|(d, _)| format!("@{d}")),
            StatsPanel::Wave => None,
        }
    }

    fn stats_bars(stats: &crate::stats::Stats, panel: StatsPanel) -> usize {
        match panel {
            StatsPanel::Days => stats.by_day.len(),
            StatsPanel::Ages => crate::stats::AGE_BUCKETS.len(),
            StatsPanel::Domains => stats.by_domain.len().min(STATS_DOMAINS),
            StatsPanel::Wave => 1,
        }
    }

    pub(crate) fn on_stats_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let command = self.keymap.command(Screen::Stats, &key);
        self.on_stats_command(command)
    }

    /// A command on the charts, from a key (the keymap's) or the wheel (the bars).
    pub(crate) fn on_stats_command(&mut self, command: Option<Command>) -> Vec<Effect> {
        let Mode::Stats(stats) = &mut self.mode else {
            return Vec::new();
        };
        let next = stats.on_command(command);
        self.follow(next)
    }
}

impl StatsScreen {
    /// A command of `[keys.stats]` (or the wheel's): move between charts and bars, or filter the
    /// table by the bar selected.
    pub fn on_command(&mut self, command: Option<Command>) -> Next {
        let (stats, now) = (&self.stats, self.basis.now);
        let first = |panel| {
            if panel == StatsPanel::Days {
                App::stats_bars(stats, panel).saturating_sub(1)
            } else {
                0
            }
        };
        match command {
            Some(Command::Close) => return Next::Close,
            Some(Command::NextChart) => {
                let wave = stats.wave(now).is_some();
                self.panel = match self.panel {
                    StatsPanel::Days => StatsPanel::Ages,
                    StatsPanel::Ages => StatsPanel::Domains,
                    StatsPanel::Domains if wave => StatsPanel::Wave,
                    StatsPanel::Domains | StatsPanel::Wave => StatsPanel::Days,
                };
                self.selected = first(self.panel);
            }
            Some(Command::PrevChart) => {
                let wave = stats.wave(now).is_some();
                self.panel = match self.panel {
                    StatsPanel::Days if wave => StatsPanel::Wave,
                    StatsPanel::Days | StatsPanel::Wave => StatsPanel::Domains,
                    StatsPanel::Ages => StatsPanel::Days,
                    StatsPanel::Domains => StatsPanel::Ages,
                };
                self.selected = first(self.panel);
            }
            Some(Command::PrevBar) => self.selected = self.selected.saturating_sub(1),
            Some(Command::NextBar) => {
                let last = App::stats_bars(stats, self.panel).saturating_sub(1);
                self.selected = (self.selected + 1).min(last);
            }
            Some(Command::Apply) => {
                let filter = match self.panel {
                    // The wave's domain and span of sign-up times.
                    StatsPanel::Wave => stats.wave(now).map(|w| w.filter(now)),
                    _ => App::stats_bar_filter(stats, self.panel, self.selected),
                };
                if let Some(filter) = filter {
                    return Next::Filter(filter);
                }
            }
            _ => {}
        }
        Next::Stay
    }
}

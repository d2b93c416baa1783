//! The list's keys: moving, marking, the status, the pool, refreshing, and the screens they
//! open; `L` goes on with a paused listing.

use crossterm::event::{KeyEvent, KeyModifiers};

use crate::tui::app::*;
use crate::tui::input::TextField;
use crate::tui::keymap::{Command, Screen};
use crate::tui::screens::export::export_dir;

impl App {
    pub(crate) fn on_browse_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // The keymap says what the key does (Alt-q and Ctrl-r are not the bare letters).
        if key.modifiers.contains(KeyModifiers::SUPER) {
            return Vec::new();
        }
        let Some(command) = self.keymap.command(Screen::Browse, &key) else {
            return Vec::new();
        };
        let page = self.table_rows().max(1) as isize;
        match command {
            Command::Quit => self.should_quit = true,
            Command::Down => self.users.move_by(1),
            Command::Up => self.users.move_by(-1),
            Command::PageDown => self.users.move_by(page),
            Command::PageUp => self.users.move_by(-page),
            Command::First => self.users.select_first(),
            Command::Last => self.users.select_last(),
            Command::Filter => {
                self.mode = Mode::Filter(FilterScreen {
                    input: TextField::new(self.users.filter()),
                    error: None,
                });
            }
            Command::Help => self.mode = Mode::Help(HelpScreen { scroll: 0 }),
            Command::Checks => {
                self.mode = Mode::Diagnostics(DiagnosticsScreen { scroll: 0 });
                return self.pool_facts(false);
            }
            Command::Mark => {
                if let Some(user) = self.users.selected_user() {
                    let name = user.username.clone();
                    self.users.toggle_mark(&name);
                    self.users.move_by(1);
                }
            }
            Command::MarkAll => self.users.toggle_visible_marks(),
            Command::Unmark => self.users.clear_marks(),
            Command::Stats => return self.open_stats(),
            Command::Actions => {
                if self.is_read_only() {
                    self.toast = Some(READ_ONLY.into());
                } else if self.users.selected_user().is_some() || self.users.marked_count() > 0 {
                    self.mode = Mode::Actions(Default::default());
                }
            }
            Command::Export => {
                let pool = &self.current_pool().name;
                let name = format!(
                    "cogtui-{}-{}-{}.csv",
                    pool,
                    self.status.label().replace(' ', "-"),
                    self.zone.format(self.now, "%Y%m%d-%H%M")
                );
                // The Downloads folder (or home), not wherever cogtui happened to start.
                let path = export_dir().join(name).display().to_string();
                self.mode = Mode::Export(ExportScreen {
                    input: TextField::new(&path),
                    error: None,
                    writing: None,
                });
            }
            Command::Pools => {
                if self.pools.len() > 1 {
                    self.mode = Mode::Pools(PoolsScreen {
                        selected: self.pool,
                    });
                } else {
                    self.toast = Some("only one pool is configured".into());
                }
            }
            Command::Refresh => {
                if self.listing.loading().is_some() {
                    self.toast = Some("still loading: the refresh is already running".into());
                } else if let Some(stopped) = self.listing.resume_point().cloned() {
                    return self.resume(stopped);
                } else {
                    self.toast = Some(REFRESHING.into());
                    let mut effects = self.reload(true);
                    effects.extend(self.pool_facts(true));
                    return effects;
                }
            }
            Command::Status => {
                self.status = self.status.next();
                return self.reload(false);
            }
            Command::LoadMore => return self.load_more(),
            Command::Back => {
                if !self.users.filter().is_empty() {
                    self.users.set_filter("");
                } else if self.search.is_some() {
                    self.search = None;
                    return self.reload(false);
                } else if let Listing::Loading(loading) = &self.listing {
                    // Stop the listing in progress; its rows stay, `L` goes on.
                    let paused = loading.stopped_here().map(|stopped| Paused {
                        stopped,
                        why: PauseReason::Stopped,
                    });
                    self.generation += 1;
                    self.listing = paused.map_or(Listing::Done, Listing::Paused);
                    self.users.listing_done();
                    self.toast = Some(format!(
                        "listing stopped at {} users: {} loads more",
                        self.users.len(),
                        self.keymap.key(Screen::Browse, Command::LoadMore)
                    ));
                }
            }
            Command::Resend => return self.open_dialog(),
            _ => {}
        }
        self.users.scroll_into_view(self.table_rows());
        Vec::new()
    }

    /// `L`: go on with a paused listing, for another `max_users`.
    fn load_more(&mut self) -> Vec<Effect> {
        let Listing::Paused(paused) = &self.listing else {
            self.toast = Some("nothing more to load: the listing is complete".into());
            return Vec::new();
        };
        let paused = paused.clone();
        self.cap = self
            .users
            .len()
            .saturating_add(self.current_pool().max_users);
        self.generation += 1;
        self.listing = Listing::Loading(Loading {
            generation: self.generation,
            replacing: false,
            resumed: true,
            chain: paused.stopped.chain,
            token: Some(paused.stopped.token),
            slowed_to: None,
        });
        self.fetch_next()
    }
}

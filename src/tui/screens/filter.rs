//! The filter (`/`): its keys, what it filters locally, and the automatic server search after a
//! pause in typing when the loaded rows do not settle it. It is drawn in the list's footer.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};

use crate::cognito::{ApiError, ListQuery, Search, User, UserPage};
use crate::tui::app::*;
use crate::tui::theme::Role;

/// The filter being typed: the text, and why it cannot be used (an attribute Cognito cannot
/// search), said under it.
#[derive(Debug)]
pub struct FilterScreen {
    pub input: crate::tui::input::TextField,
    pub error: Option<String>,
}

impl App {
    /// After each keystroke in the filter: a new pause starts (the earlier one is stale).
    pub(crate) fn schedule_search(&mut self) -> Vec<Effect> {
        self.search_token += 1;
        if crate::cognito::filter::guess(self.users.filter()).is_none() {
            return Vec::new();
        }
        vec![Effect::After {
            ms: SEARCH_PAUSE_MS,
            token: self.search_token,
        }]
    }

    /// The pause is over: search the server when the loaded rows do not settle it (no match, or
    /// the listing is incomplete, paused or capped). At most one search per pause.
    pub(crate) fn on_search_due(&mut self, token: u64) -> Vec<Effect> {
        if token != self.search_token || self.search.is_some() {
            return Vec::new();
        }
        let Some(search) = crate::cognito::filter::guess(self.users.filter()) else {
            return Vec::new();
        };
        // Every page is in (a failure that cannot resume has nothing more to give either).
        let settled = self.users.visible_len() > 0
            && matches!(
                self.listing,
                Listing::Done | Listing::Failed { resume: None, .. }
            );
        if settled {
            return Vec::new();
        }
        self.next_request += 1;
        self.lookup = Some(self.next_request);
        self.toast = Some(format!("searching the server: {search}"));
        vec![Effect::Lookup {
            id: self.next_request,
            pool: self.current_pool().name.clone(),
            query: ListQuery {
                status: self.status,
                search: Some(search),
            },
        }]
    }

    pub(crate) fn on_looked(&mut self, id: u64, pool: &str, result: Result<UserPage, ApiError>) {
        if self.lookup != Some(id) || pool != self.current_pool().name {
            return; // a stale answer: the operator typed on, or switched pools
        }
        self.lookup = None;
        match result {
            Ok(page) => {
                let fresh: Vec<User> = page
                    .users
                    .into_iter()
                    .map(|u| if self.redact { u.redacted() } else { u })
                    .filter(|u| !self.users.contains(&u.username))
                    .collect();
                self.toast = Some(match fresh.len() {
                    0 => "the server has no other match".to_string(),
                    n => format!("found {n} more on the server (marked ⌕)"),
                });
                self.found.extend(fresh.iter().map(|u| u.username.clone()));
                let filter = self.users.filter().to_string();
                let history = self.history.get(&self.pools[self.pool].name);
                Self::spot_resends(&mut self.resends_loaded, history, &fresh);
                Self::load(&mut self.mode, &mut self.users, fresh);
                self.users.set_filter(&filter);
                self.users.scroll_into_view(self.table_rows());
            }
            Err(e) => self.toast = Some(format!("the server search failed: {}", e.code)),
        }
    }

    pub(crate) fn on_filter_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Mode::Filter(FilterScreen { input, error }) = &mut self.mode else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Esc => {
                self.users.set_filter("");
                self.mode = Mode::Browse;
            }
            KeyCode::Enter => {
                let text = input.value().to_string();
                if looks_like_search(&text) {
                    match text.parse::<Search>() {
                        Ok(search) => {
                            self.search = Some(search);
                            self.users.set_filter("");
                            self.mode = Mode::Browse;
                            return self.reload(false);
                        }
                        Err(e) => *error = Some(e.to_string()),
                    }
                } else {
                    self.mode = Mode::Browse;
                }
            }
            KeyCode::Up => self.users.move_by(-1),
            KeyCode::Down => self.users.move_by(1),
            _ => {
                if input.handle(key) {
                    let text = input.value().to_string();
                    *error =
                        self.users
                            .set_filter(if looks_like_search(&text) { "" } else { &text });
                    self.users.scroll_into_view(self.table_rows());
                    return self.schedule_search();
                }
            }
        }
        self.users.scroll_into_view(self.table_rows());
        Vec::new()
    }
}

impl FilterScreen {
    /// Its view, on the footer's line: the text typed, and how it is read (or why it cannot be).
    pub fn line(&self, app: &App, width: u16) -> Line<'static> {
        let mut spans = vec![Span::from(" / ").bold().reversed(), Span::from(" ")];
        spans.extend(crate::tui::screens::resend::field_spans(
            &self.input,
            width.saturating_sub(40) as usize,
            true,
        ));
        let note = match &self.error {
            Some(e) => Span::from(format!("  {e}")).fail(),
            None if app.users.filter_note().is_some() => {
                Span::from(format!("  {}", app.users.filter_note().unwrap_or_default())).info()
            }
            None if looks_like_search(self.input.value()) => {
                Span::from("  Enter searches the server · Esc cancels").info()
            }
            None => {
                Span::from("  Enter keeps · Esc clears · attr^=value searches the server").dim()
            }
        };
        spans.push(note);
        Line::from(spans)
    }
}

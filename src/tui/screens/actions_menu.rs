//! The actions menu (`a`): what can be done to the selected user, or to the marked ones, from
//! the operations' own rules over the users as listed. An action's letter opens it, as does
//! Enter (or a click) on the one the cursor is on: the resend dialog or an action dialog, which
//! asks before anything is done.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::cognito::User;
use crate::text::{sanitize, shown_username};
use crate::tui::app::{App, Effect, Mode};
use crate::tui::keymap::{Command, Screen};
use crate::tui::screens::action::ActionKind;
use crate::tui::view::centered;

/// Every letter the menu may offer (`[keys.actions]` cannot take them).
pub const LETTERS: &[char] = &['r', 'i', 'c', 'f', 'b', 'e', 'x'];

/// The menu's cursor: the offer Enter opens.
#[derive(Debug, Default)]
pub struct ActionsMenuScreen {
    pub selected: usize,
}

impl ActionsMenuScreen {
    /// Down or Up, among `offers` offers.
    pub fn move_by(&mut self, command: Command, offers: usize) {
        self.selected = match command {
            Command::Down => (self.selected + 1).min(offers.saturating_sub(1)),
            Command::Up => self.selected.saturating_sub(1),
            _ => self.selected,
        };
    }
}

/// One entry of the actions menu: its key, what it does, and what it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    pub key: char,
    pub label: &'static str,
    pub kind: Offered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offered {
    /// The resend dialog for the user.
    Resend,
    Action(ActionKind),
}

impl App {
    /// What the actions menu offers for the selected user (or the marked ones): one table, read
    /// by the menu and by its keys, built from the operations' own rules over the users as
    /// listed (the operation looks again before it writes).
    pub fn offers(&self) -> Vec<Offer> {
        use crate::ops::{confirm, disable, invite, set_contact};
        let offer = |key, label, kind| Offer { key, label, kind };
        if self.users.marked_count() > 0 {
            return vec![
                offer(
                    'r',
                    "resend confirmation codes to the UNCONFIRMED ones",
                    Offered::Action(ActionKind::BulkResend),
                ),
                offer(
                    'b',
                    "disable them (a bot wave): nothing is deleted",
                    Offered::Action(ActionKind::Disable),
                ),
                offer(
                    'e',
                    "enable them again",
                    Offered::Action(ActionKind::Enable),
                ),
                offer('x', "delete them all", Offered::Action(ActionKind::Delete)),
            ];
        }
        let Some(user) = self.users.selected_user() else {
            return Vec::new();
        };
        // Key, what it does, what it opens, and the operation's rule that offers it.
        type Rule = fn(&User) -> bool;
        let table: [(char, &'static str, Offered, Rule); 7] = [
            ('r', "resend the confirmation code", Offered::Resend, |u| {
                u.is_unconfirmed()
            }),
            (
                'i',
                "invite again (a new temporary password)",
                Offered::Action(ActionKind::Invite),
                |u| invite::applies_to(u, &[]).is_ok(),
            ),
            (
                'c',
                "confirm without a code (identity checked otherwise)",
                Offered::Action(ActionKind::Confirm),
                |u| confirm::applies_to(u, false).is_ok(),
            ),
            (
                'f',
                "fix the email or phone number",
                Offered::Action(ActionKind::SetContact),
                |u| set_contact::applies_to(u).is_ok(),
            ),
            (
                'b',
                "disable the user (nothing is deleted)",
                Offered::Action(ActionKind::Disable),
                |u| disable::applies_to(u, false).is_ok(),
            ),
            (
                'e',
                "enable the user again",
                Offered::Action(ActionKind::Enable),
                |u| disable::applies_to(u, true).is_ok(),
            ),
            // Offered for every user: the operation refuses what it does not apply to.
            (
                'x',
                "delete the user",
                Offered::Action(ActionKind::Delete),
                |_| true,
            ),
        ];
        table
            .into_iter()
            .filter(|(_, _, _, rule)| rule(user))
            .map(|(key, label, kind, _)| offer(key, label, kind))
            .collect()
    }

    pub(crate) fn on_actions_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let offers = self.offers();
        let Mode::Actions(menu) = &mut self.mode else {
            return Vec::new();
        };
        let chosen = match self.keymap.command(Screen::Actions, &key) {
            Some(Command::Close) => {
                self.mode = Mode::Browse;
                return Vec::new();
            }
            Some(command @ (Command::Down | Command::Up)) => {
                menu.move_by(command, offers.len());
                return Vec::new();
            }
            // The list may have changed under the menu (a refresh): the cursor stays on an offer.
            Some(Command::Apply) => offers
                .get(menu.selected.min(offers.len().saturating_sub(1)))
                .copied(),
            _ => match key.code {
                KeyCode::Char(c) => offers.into_iter().find(|o| o.key == c),
                _ => None,
            },
        };
        self.open_offer(chosen)
    }

    /// Opens what the menu offered (the menu closes); nothing for no offer.
    pub(crate) fn open_offer(&mut self, chosen: Option<Offer>) -> Vec<Effect> {
        let Some(chosen) = chosen else {
            return Vec::new();
        };
        let (targets, hidden) = self.targets();
        let kind = match chosen.kind {
            Offered::Resend => {
                self.mode = Mode::Browse;
                return match targets.into_iter().next() {
                    Some(user) => self.open_dialog_for(user),
                    None => Vec::new(),
                };
            }
            Offered::Action(kind) => kind,
        };
        let mut dialog = self.action_dialog(kind, targets);
        dialog.hidden = hidden;
        if kind == ActionKind::BulkResend {
            self.prepare_bulk_resend(&mut dialog);
        }
        self.open_action(dialog)
    }
}

/// `a`: what can be done to the selected user, or to the marked ones.
pub struct ActionsMenu<'a> {
    pub app: &'a App,
    pub selected: usize,
}

impl Widget for ActionsMenu<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let mut lines = Vec::new();
        let title = if app.users.marked_count() == 0 {
            let Some(user) = app.users.selected_user() else {
                return;
            };
            format!(
                "Actions: {} ({})",
                sanitize(&shown_username(&user.username, app.redact)),
                sanitize(&user.status)
            )
        } else {
            format!("Actions: {} marked users", app.users.marked_count())
        };
        let offers = app.offers();
        for (i, offer) in offers.iter().enumerate() {
            // The cursor: a mark and the row reversed (both read without colour).
            let chosen = i == self.selected.min(offers.len().saturating_sub(1));
            let label = Span::from(format!(" {}", offer.label));
            lines.push(Line::from(vec![
                Span::from(if chosen { " ▸" } else { "  " }).bold(),
                Span::from(format!(" {} ", offer.key)).bold().reversed(),
                if chosen { label.reversed() } else { label },
            ]));
        }
        if app.users.marked_count() > 0 {
            lines.push(Line::from(" u (on the list) clears the marks").dim());
        }
        lines.push(Line::from(""));
        let keys = |command| app.keymap.key(Screen::Actions, command);
        lines.push(
            Line::from(format!(
                " a letter or {} opens · {} closes",
                keys(Command::Apply),
                keys(Command::Close)
            ))
            .dim(),
        );
        let width = area.width.saturating_sub(4).min(70);
        let rect = centered(area, width, lines.len() as u16 + 2, buf);
        // Where each offer is drawn, for a click.
        *app.menu_hits.borrow_mut() = super::entry_rows(rect, offers.len());
        Paragraph::new(lines)
            .block(super::boxed(title))
            .render(rect, buf);
    }
}
